//! The home page ("Beranda"): real figures from the database, a unit list
//! that filters as you type once hydrated (and by submitting without
//! JavaScript), and a form to add a unit that works with JavaScript off.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::errors::{Answer, Notice, PageError};
use crate::components::form_echo::echo;
use crate::components::layout::MeResource;
use crate::i18n::td_string;
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
    let add_unit = ServerAction::<AddUnit>::new();
    // Refetch whenever a unit was added.
    let overview = Resource::new(move || add_unit.version().get(), |_| get_overview());
    let query = use_query_map();
    let filter = RwSignal::new(query.with_untracked(|q| q.get("q").unwrap_or_default()));
    let me = expect_context::<MeResource>();
    let l = use_locale();

    view! {
        <Title text=td_string!(l, home.title)/>
        <h1>{td_string!(l, home.title)}</h1>
        <p class="lead">{td_string!(l, home.lead)}</p>
        // Transition (not Suspense): after adding a unit the old figures stay
        // on screen until the new ones arrive.
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, home.loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => {
                        let parents = o.units.clone();
                        // Only administrators change the organisation.
                        let admin = matches!(me.await, Ok(Some(m)) if m.admin);
                        view! {
                            <OverviewView overview=o filter/>
                            {admin.then(|| view! { <AddUnitForm action=add_unit parents/> })}
                        }
                            .into_any()
                    }
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OverviewView(overview: Overview, filter: RwSignal<String>) -> impl IntoView {
    let units = overview.units.clone();
    let names: Vec<String> = units.iter().map(|u| u.name.clone()).collect();
    let shown = move || filter.with(|f| names.iter().filter(|n| matches(n, f)).count());
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
            <form method="get" action="/" class="filter" role="search">
                <label for="cari-unit">{td_string!(l, home.search_units)}</label>
                <input
                    id="cari-unit"
                    name="q"
                    type="search"
                    placeholder=td_string!(l, home.search_placeholder)
                    autocomplete="off"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
                <button type="submit" class="secondary">{td_string!(l, common.actions.search)}</button>
                <span class="muted" id="jumlah-cocok" aria-live="polite">
                    {move || td_string!(l, home.shown, shown = shown(), total = total).to_string()}
                </span>
            </form>
            <ul class="unit-tree">
                {units
                    .into_iter()
                    .map(|u: UnitRow| {
                        let name = u.name.clone();
                        let hidden = move || filter.with(|f| !matches(&name, f));
                        view! {
                            <li
                                class="unit"
                                data-unit-id=u.id.to_string()
                                data-depth=u.depth.min(8).to_string()
                                hidden=hidden
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
