//! The home page ("Beranda"): real figures from the database, a unit list
//! that filters as you type with JavaScript (the search field is an island)
//! and by submitting without, and a form to add a unit.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::errors::{Answer, Notice, PageError};
use crate::components::form_echo::{echo, server_action};
use crate::components::layout::use_me;
use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;
use crate::{
    api::overview::{get_overview, AddUnit},
    model::overview::{Overview, UnitRow},
};

fn matches(name: &str, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty() || name.to_lowercase().contains(&q)
}

#[component]
pub fn HomePage() -> impl IntoView {
    let add_unit = server_action::<AddUnit>();
    let overview = Resource::new(|| (), |_| get_overview());
    let query = use_query_map();
    let filter = query.with_untracked(|q| q.get("q").unwrap_or_default());
    // Only administrators change the organisation.
    let admin = use_me().is_some_and(|m| m.admin);
    let l = use_locale();

    view! {
        <Title text=td_string!(l, home.title)/>
        <h1>{td_string!(l, home.title)}</h1>
        <p class="lead">{td_string!(l, home.lead)}</p>
        <Suspense fallback=move || view! { <p class="muted">{td_string!(l, home.loading)}</p> }>
            {move || {
                let filter = filter.clone();
                Suspend::new(async move {
                    match overview.await {
                        Ok(o) => {
                            let parents = o.units.clone();
                            view! {
                                <OverviewView overview=o filter/>
                                {admin.then(|| view! { <AddUnitForm action=add_unit parents/> })}
                            }
                            .into_any()
                        }
                        Err(e) => view! { <PageError error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn OverviewView(overview: Overview, filter: String) -> impl IntoView {
    let units = overview.units.clone();
    let shown = units.iter().filter(|u| matches(&u.name, &filter)).count();
    let total = units.len();
    let l = use_locale();
    view! {
        <section class="stats" aria-label=td_string!(l, home.summary)>
            <div class="stat">
                <span class="stat-value" id="jumlah-unit">{overview.unit_count}</span>
                <span class="stat-label">{td_string!(l, home.units_stat)}</span>
            </div>
            <div class="stat">
                <span class="stat-value" id="jumlah-pegawai">{overview.employee_count}</span>
                <span class="stat-label">{td_string!(l, home.employees_stat)}</span>
            </div>
        </section>
        <p class="muted as-of">{td_string!(l, home.as_of, when = overview.as_of.clone())}</p>

        <section class="units">
            <h2>{td_string!(l, home.units)}</h2>
            <UnitSearch q=filter.clone() shown total lang=l/>
            <ul class="unit-tree">
                {units
                    .into_iter()
                    .map(|u: UnitRow| {
                        view! {
                            <li
                                class="unit"
                                data-unit-id=u.id.to_string()
                                data-depth=u.depth.min(8).to_string()
                                hidden=!matches(&u.name, &filter)
                            >
                                <span class="unit-name">{u.name.clone()}</span>
                                <span class="muted">{td_string!(l, home.unit_employees, n = u.employees).to_string()}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The unit search. Without JavaScript it sends `q` and the server lists
/// the matching units; with it (an island), typing hides the others in
/// place and counts what is left, without a request.
#[island]
fn UnitSearch(q: String, shown: usize, total: usize, lang: Locale) -> impl IntoView {
    let l = lang;
    let shown = RwSignal::new(shown);
    view! {
        <form method="get" action="/" class="filter" role="search">
            <label for="cari-unit">{td_string!(l, home.search_units)}</label>
            <input
                id="cari-unit"
                name="q"
                type="search"
                placeholder=td_string!(l, home.search_placeholder)
                autocomplete="off"
                value=q
                on:input=move |ev| {
                    #[cfg(feature = "hydrate")]
                    shown.set(filter_units(&event_target_value(&ev)));
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                }
            />
            <button type="submit" class="secondary">{td_string!(l, common.actions.search)}</button>
            <span class="muted" id="jumlah-cocok" aria-live="polite">
                {move || td_string!(l, home.shown, shown = shown.get(), total = total).to_string()}
            </span>
        </form>
    }
}

/// Shows the listed units whose name matches `q`, hides the others, and
/// counts the shown.
#[cfg(feature = "hydrate")]
fn filter_units(q: &str) -> usize {
    use wasm_bindgen::JsCast;
    let Ok(items) = document().query_selector_all("li.unit") else {
        return 0;
    };
    let mut shown = 0;
    for i in 0..items.length() {
        let Some(li) = items
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let name = li
            .query_selector(".unit-name")
            .ok()
            .flatten()
            .and_then(|e| e.text_content())
            .unwrap_or_default();
        let hit = matches(&name, q);
        li.set_hidden(!hit);
        shown += usize::from(hit);
    }
    shown
}

#[component]
fn AddUnitForm(action: ServerAction<AddUnit>, parents: Vec<UnitRow>) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card">
            <h2>{td_string!(l, home.add_title)}</h2>
            <ActionForm action=action attr:id="form-unit" attr:class="stack">
                <label for="nama-unit">{td_string!(l, home.unit_name)}</label>
                <input id="nama-unit" name="name" required maxlength="150" value={echo::<AddUnit>("name")} placeholder=td_string!(l, home.unit_name_placeholder)/>
                <label for="induk-unit">{td_string!(l, home.parent)}</label>
                <select id="induk-unit" name="parent_id">
                    <option value="">{td_string!(l, home.no_parent)}</option>
                    {parents
                        .into_iter()
                        .map(|u| {
                            let label = format!("{}{}", "· ".repeat(u.depth as usize), u.name);
                            view! { <option value=u.id.to_string()>{label}</option> }
                        })
                        .collect_view()}
                </select>
                <button type="submit" disabled=move || action.pending().get()>{td_string!(l, common.actions.save)}</button>
            </ActionForm>
            <Answer action every_refusal=true
                ok=move |u: UnitRow| view! { <Notice>{td_string!(l, home.added, name = u.name).to_string()}</Notice> }/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn filter_matches_case_insensitively_and_empty_matches_all() {
        assert!(super::matches("Kecamatan Medan Belawan", "belawan"));
        assert!(super::matches("Apa saja", "  "));
        assert!(!super::matches("Dinas Kominfo", "belawan"));
    }
}
