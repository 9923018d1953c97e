//! The home page ("Beranda"): real figures from the database, a unit list
//! that filters as you type once hydrated (and by submitting without
//! JavaScript), and a form to add a unit that works with JavaScript off.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::overview::{get_overview, AddUnit, Overview, UnitRow};
use crate::components::errors::{ErrorBox, PageError};
use crate::components::layout::MeResource;

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

    view! {
        <Title text="Beranda"/>
        <h1>"Beranda"</h1>
        <p class="lead">
            "Jejak mencatat mutasi pegawai, menyusun rencana pelatihan untuk jabatan baru, "
            "dan memantau adaptasi pegawai baru di unit kerja."
        </p>
        // Transition (not Suspense): after adding a unit the old figures stay
        // on screen until the new ones arrive.
        <Transition fallback=|| view! { <p class="muted">"Memuat data…"</p> }>
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
    view! {
        <section class="stats" aria-label="Ringkasan">
            <div class="stat">
                <span class="stat-value" id="jumlah-unit">{overview.unit_count}</span>
                <span class="stat-label">"unit kerja"</span>
            </div>
            <div class="stat">
                <span class="stat-value" id="jumlah-pegawai">{overview.employee_count}</span>
                <span class="stat-label">"pegawai"</span>
            </div>
        </section>
        <p class="muted as-of">"Data per " {overview.as_of.clone()}</p>

        <section class="units">
            <h2>"Unit kerja"</h2>
            <form method="get" action="/" class="filter" role="search">
                <label for="cari-unit">"Cari unit"</label>
                <input
                    id="cari-unit"
                    name="q"
                    type="search"
                    placeholder="mis. Belawan"
                    autocomplete="off"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
                <button type="submit" class="secondary">"Cari"</button>
                <span class="muted" id="jumlah-cocok" aria-live="polite">
                    {move || format!("{} dari {} unit", shown(), total)}
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
                                <span class="muted">{format!(" · {} pegawai", u.employees)}</span>
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
    let result = action.value();
    let message = move || {
        result.get().map(|r| match r {
            Ok(u) => view! { <p class="notice ok" role="status">"Unit \"" {u.name} "\" ditambahkan."</p> }.into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })
    };
    view! {
        <section class="card">
            <h2>"Tambah unit kerja"</h2>
            <ActionForm action=action attr:id="form-unit" attr:class="stack">
                <label for="nama-unit">"Nama unit"</label>
                <input id="nama-unit" name="name" required maxlength="150" placeholder="mis. Seksi Pemerintahan"/>
                <label for="induk-unit">"Unit induk (opsional)"</label>
                <select id="induk-unit" name="parent_id">
                    <option value="">"— tanpa induk —"</option>
                    {parents
                        .into_iter()
                        .map(|u| {
                            let label = format!("{}{}", "· ".repeat(u.depth as usize), u.name);
                            view! { <option value=u.id.to_string()>{label}</option> }
                        })
                        .collect_view()}
                </select>
                <button type="submit" disabled=move || action.pending().get()>"Simpan"</button>
            </ActionForm>
            {message}
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
