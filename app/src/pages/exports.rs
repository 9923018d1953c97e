//! "Ekspor data" (`/ekspor`, managers and administrators): one plain GET
//! form per CSV download with its filters (unit subtree, dates, for the
//! audit trail also actor, entity and action) and the choice of `,` or
//! `;` with a BOM. The browser saves the answer as a file and stays on the
//! page; nothing here needs JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::admin_list::Loaded;
use crate::i18n::td_string;
use crate::lang::use_locale;
use crate::{
    api::exports::export_options,
    model::exports::{paths, ExportChoices, UnitChoice},
};

/// An element id from two parts.
fn eid(form: &str, field: &str) -> String {
    format!("{form}-{field}")
}

#[component]
pub fn ExportsPage() -> impl IntoView {
    let l = use_locale();
    let data = Resource::new(|| (), |_| export_options());
    view! {
        <Title text=td_string!(l, exports.title)/>
        <h1>{td_string!(l, exports.title)}</h1>
        <Loaded data show=move |o: ExportChoices| view! { <Downloads o/> }/>
    }
}

#[component]
fn Downloads(o: ExportChoices) -> impl IntoView {
    let l = use_locale();
    let ExportChoices { units, audit } = o;
    view! {
        <p class="lead">{td_string!(l, exports.lead)}</p>
        <ExportForm id="progres-pegawai" action=paths::PERSON_PROGRESS
            title=td_string!(l, exports.person.title) about=td_string!(l, exports.person.about)
            units=units.clone() dates=false audit=false/>
        <ExportForm id="progres-unit" action=paths::UNIT_PROGRESS
            title=td_string!(l, exports.unit_progress.title) about=td_string!(l, exports.unit_progress.about)
            units=units.clone() dates=false audit=false/>
        <ExportForm id="riwayat-pelatihan" action=paths::HISTORY
            title=td_string!(l, exports.history.title) about=td_string!(l, exports.history.about)
            units=units.clone() dates=true audit=false/>
        <ExportForm id="terlambat" action=paths::OVERDUE
            title=td_string!(l, exports.overdue.title) about=td_string!(l, exports.overdue.about)
            units=units dates=false audit=false/>
        {audit.then(|| view! {
            <ExportForm id="audit" action=paths::AUDIT
                title=td_string!(l, exports.audit.title) about=td_string!(l, exports.audit.about)
                units=Vec::new() dates=true audit=true/>
        })}
    }
}

/// One download: its filters, the separator, the button.
#[component]
fn ExportForm(
    id: &'static str,
    action: &'static str,
    title: &'static str,
    about: &'static str,
    /// The unit filter's choices; none: no unit filter.
    units: Vec<UnitChoice>,
    dates: bool,
    audit: bool,
) -> impl IntoView {
    let l = use_locale();
    let field = move |name: &str| eid(id, name);
    let unit_filter = (!units.is_empty()).then(|| {
        view! {
            <p>
                <label for=field("unit")>{td_string!(l, exports.unit)}</label>
                <select id=field("unit") name="unit">
                    <option value="">{td_string!(l, exports.all_units)}</option>
                    {units.into_iter().map(|u| {
                        let indent = "\u{a0}\u{a0}".repeat(u.depth as usize);
                        view! { <option value=u.id.to_string()>{indent}{u.name}</option> }
                    }).collect_view()}
                </select>
            </p>
        }
    });
    let date_filter = dates.then(|| {
        view! {
            <p>
                <label for=field("dari")>{td_string!(l, exports.from)}</label>
                <input id=field("dari") name="dari" type="date"/>
                <label for=field("sampai")>{td_string!(l, exports.until)}</label>
                <input id=field("sampai") name="sampai" type="date"/>
            </p>
        }
    });
    let audit_filter = audit.then(|| {
        view! {
            <p>
                <label for=field("aktor")>{td_string!(l, exports.audit.actor_filter)}</label>
                <input id=field("aktor") name="aktor" type="search"/>
                <label for=field("entitas")>{td_string!(l, exports.audit.entity_filter)}</label>
                <input id=field("entitas") name="entitas" type="text"/>
                <label for=field("aksi")>{td_string!(l, exports.audit.action_filter)}</label>
                <input id=field("aksi") name="aksi" type="text"/>
            </p>
        }
    });
    view! {
        <section class="card" id=eid("ekspor", id)>
            <h2>{title}</h2>
            <p class="muted">{about}</p>
            // A download: left to the browser (see client.js).
            <form method="get" action=action class="filter" data-plain="">
                {unit_filter}
                {date_filter}
                {audit_filter}
                <fieldset>
                    <legend>{td_string!(l, exports.separator)}</legend>
                    <label><input type="radio" name="pemisah" value="" checked=true/>{td_string!(l, exports.comma)}</label>
                    <label><input type="radio" name="pemisah" value="titikkoma"/>{td_string!(l, exports.semicolon)}</label>
                </fieldset>
                <button type="submit" id=eid("unduh", id)>{td_string!(l, exports.download)}</button>
            </form>
        </section>
    }
}
