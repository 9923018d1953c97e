//! "Organisasi" (administrators): units, positions (jabatan) and employees
//! on one page, one section at a time, chosen by the address
//! (`?bagian=unit|jabatan|pegawai`, units by default) through tabs that are
//! plain links. Each section has its list, searched and paged on the server
//! through the address (`q`, `jenis`, `unit`, `hal`: bookmarkable), a form
//! to add one, and, with `ubah=<id>`, the form that edits one, filled in.
//!
//! Every form works without JavaScript: it posts, and the server sends the
//! browser back (to the new record after creating, `baru=<id>`; to the
//! edited one after saving, `disimpan=1`; to the form with the refusal
//! otherwise). With JavaScript the answer appears in place, a refusal next
//! to its field with what was typed kept, and the list refreshes after a
//! change.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::organisation::{
    encode, get_org_employees, get_org_positions, get_org_units, CreateOrgEmployee,
    CreateOrgPosition, CreateOrgUnit, EmployeeRow, EmployeesPage, PositionChoice, PositionRow,
    PositionsPage, UnitChoice, UnitRow, UnitsPage, UpdateOrgEmployee, UpdateOrgPosition,
    UpdateOrgUnit, ASN_KINDS, LANGUAGES, POSITION_KINDS,
};
use crate::components::errors::{ErrorBox, FieldError, PageError};
use crate::components::form_echo::echo;
use crate::components::pager::Pager;
use crate::domain::grade::Golongan;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;

/// The three sections, by their address name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Units,
    Positions,
    Employees,
}

impl Section {
    const ALL: [Section; 3] = [Section::Units, Section::Positions, Section::Employees];

    fn parse(raw: Option<&str>) -> Section {
        match raw.map(str::trim) {
            Some("jabatan") => Section::Positions,
            Some("pegawai") => Section::Employees,
            _ => Section::Units,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Section::Units => "unit",
            Section::Positions => "jabatan",
            Section::Employees => "pegawai",
        }
    }

    /// The id of its tab.
    fn tab_id(self) -> &'static str {
        match self {
            Section::Units => "tab-unit",
            Section::Positions => "tab-jabatan",
            Section::Employees => "tab-pegawai",
        }
    }

    fn label(self, l: Locale) -> &'static str {
        match self {
            Section::Units => td_string!(l, organisation.tabs.units),
            Section::Positions => td_string!(l, organisation.tabs.positions),
            Section::Employees => td_string!(l, organisation.tabs.employees),
        }
    }
}

/// `key=value` in an address.
fn pair(key: &str, value: impl std::fmt::Display) -> String {
    format!("{key}={value}")
}

/// The id of a form field: the form's prefix and the field's name.
fn field_id(prefix: &str, field: &str) -> String {
    format!("{prefix}-{field}")
}

/// A list's address: the section and its search, filters and page.
#[derive(Clone, Debug, Default, PartialEq)]
struct ListAddr {
    section: &'static str,
    q: String,
    kind: Option<String>,
    unit: Option<i64>,
}

impl ListAddr {
    fn href(&self, page: u64, edit: Option<i64>) -> String {
        let mut parts = vec![pair("bagian", self.section)];
        if !self.q.is_empty() {
            parts.push(pair("q", encode(&self.q)));
        }
        if let Some(k) = &self.kind {
            parts.push(pair("jenis", encode(k)));
        }
        if let Some(u) = self.unit {
            parts.push(pair("unit", u));
        }
        if page > 1 {
            parts.push(pair("hal", page));
        }
        if let Some(id) = edit {
            parts.push(pair("ubah", id));
        }
        format!("/admin/organisasi?{}", parts.join("&"))
    }
}

/// The stored position kind in words.
fn kind_label(l: Locale, kind: &str) -> String {
    match kind {
        "jpt" => td_string!(l, organisation.kinds.jpt).to_string(),
        "administrator" => td_string!(l, organisation.kinds.administrator).to_string(),
        "pengawas" => td_string!(l, organisation.kinds.pengawas).to_string(),
        "fungsional" => td_string!(l, organisation.kinds.fungsional).to_string(),
        "pelaksana" => td_string!(l, organisation.kinds.pelaksana).to_string(),
        other => other.to_string(),
    }
}

fn asn_label(l: Locale, kind: &str) -> String {
    match kind {
        "pns" => td_string!(l, organisation.asn.pns).to_string(),
        "pppk" => td_string!(l, organisation.asn.pppk).to_string(),
        other => other.to_uppercase(),
    }
}

fn language_label(l: Locale, code: &str) -> String {
    match code {
        "en" => td_string!(l, organisation.languages.en).to_string(),
        _ => td_string!(l, organisation.languages.id).to_string(),
    }
}

/// "· · Seksi Pemerintahan": a unit indented by its depth in a list of choices.
fn indented(u: &UnitChoice) -> String {
    format!("{}{}", "· ".repeat(u.depth.min(8) as usize), u.name)
}

/// Counts the successful answers of `action`: lists reload after a change,
/// but not after a refusal (so a form keeps what was typed).
fn count_successes<A>(action: ServerAction<A>, saved: RwSignal<u32>)
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            saved.update(|n| *n += 1);
        }
    });
}

/// A refusal that belongs to no field (a conflict, a record gone), shown at
/// the form it answers.
#[component]
fn FormError<A>(action: ServerAction<A>) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.field().is_none())
            .map(|e| view! { <ErrorBox error=e/> })
    }
}

#[component]
pub fn OrganisationAdminPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let section = Memo::new(move |_| query.with(|q| Section::parse(q.get("bagian").as_deref())));
    view! {
        <Title text=td_string!(l, organisation.title)/>
        <h1>{td_string!(l, organisation.title)}</h1>
        <p class="lead">{td_string!(l, organisation.lead)}</p>
        <nav class="tabs" aria-label=td_string!(l, organisation.tabs.label) id="bagian-organisasi">
            {Section::ALL.into_iter().map(|s| view! {
                <a href=format!("/admin/organisasi?bagian={}", s.slug())
                    id=s.tab_id()
                    aria-current=move || (section.get() == s).then_some("page")>
                    {s.label(l)}
                </a>
            }).collect_view()}
        </nav>
        {move || match section.get() {
            Section::Units => view! { <UnitsSection/> }.into_any(),
            Section::Positions => view! { <PositionsSection/> }.into_any(),
            Section::Employees => view! { <EmployeesSection/> }.into_any(),
        }}
    }
}

/// A query parameter, trimmed; empty is none.
fn param(query: &leptos_router::params::ParamsMap, key: &str) -> Option<String> {
    query
        .get(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// What the server reported in the address after a form posted without
/// JavaScript (`baru`, `disimpan`); nothing when the address also carries a
/// refusal (a later form on the same page was refused).
fn outcome(query: &leptos_router::params::ParamsMap, key: &str) -> Option<String> {
    if query.get("__err").is_some() {
        return None;
    }
    param(query, key)
}

fn param_id(query: &leptos_router::params::ParamsMap, key: &str) -> Option<i64> {
    param(query, key).and_then(|v| v.parse::<i64>().ok())
}

fn param_page(query: &leptos_router::params::ParamsMap) -> Option<u64> {
    param(query, "hal")
        .and_then(|v| v.parse::<u64>().ok())
        .map(|p| p.max(1))
}

// ---------------------------------------------------------------- units

#[component]
fn UnitsSection() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let create = ServerAction::<CreateOrgUnit>::new();
    let update = ServerAction::<UpdateOrgUnit>::new();
    let saved = RwSignal::new(0u32);
    count_successes(create, saved);
    count_successes(update, saved);
    let data = Resource::new(
        move || {
            query.with(|q| {
                (
                    param(q, "q"),
                    param_page(q),
                    param_id(q, "ubah"),
                    saved.get(),
                )
            })
        },
        |(q, page, edit, _)| get_org_units(q, page, edit),
    );
    let created = move || {
        create
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| query.with(|q| outcome(q, "baru").and_then(|v| v.parse::<i64>().ok())))
    };
    let was_saved = move || {
        matches!(update.value().get(), Some(Ok(())))
            || query.with(|q| outcome(q, "disimpan").is_some())
    };
    view! {
        {move || created().map(|id| view! {
            <p class="notice ok" role="status" id="unit-dibuat" data-unit-id=id.to_string()>
                {td_string!(l, organisation.units.created)} " "
                <a href=format!("/admin/organisasi?bagian=unit&ubah={id}")>{td_string!(l, organisation.units.edit_new)}</a>
            </p>
        })}
        {move || was_saved().then(|| view! {
            <p class="notice ok" role="status" id="unit-disimpan">{td_string!(l, organisation.units.saved)}</p>
        })}
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let units = page.units.clone();
                        view! {
                            {page.editing.clone().map(|u| view! {
                                <EditUnitForm unit=u update units=units.clone()/>
                            })}
                            <UnitList page/>
                            <NewUnitForm create units/>
                        }.into_any()
                    }
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn UnitList(page: UnitsPage) -> impl IntoView {
    let l = use_locale();
    let UnitsPage {
        rows,
        total,
        page,
        pages,
        q,
        ..
    } = page;
    let addr = ListAddr {
        section: "unit",
        q: q.clone(),
        ..Default::default()
    };
    let pager_addr = addr.clone();
    let empty = rows.is_empty();
    view! {
        <section class="card" id="unit-kerja">
            <h2>{td_string!(l, organisation.units.list_title)}</h2>
            <form method="get" action="/admin/organisasi" class="filter" role="search" id="saring-unit">
                <input type="hidden" name="bagian" value="unit"/>
                <label for="cari-unit">{td_string!(l, organisation.units.search_label)}</label>
                <input id="cari-unit" name="q" type="search" value=q
                    placeholder=td_string!(l, organisation.units.search_placeholder)/>
                <button type="submit" class="secondary">{td_string!(l, common.actions.search)}</button>
            </form>
            <p class="muted" id="jumlah-unit" data-total=total.to_string()>
                {td_string!(l, organisation.units.found, n = total).to_string()}
            </p>
            {if empty {
                view! { <p class="empty" id="daftar-unit">{td_string!(l, organisation.units.none)}</p> }.into_any()
            } else {
                view! {
                    <table class="table org-table" id="daftar-unit">
                        <thead>
                            <tr>
                                <th>{td_string!(l, organisation.units.col_name)}</th>
                                <th>{td_string!(l, organisation.units.col_parent)}</th>
                                <th>{td_string!(l, organisation.units.col_employees)}</th>
                                <th>{td_string!(l, organisation.col_actions)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|u| {
                                let path = if u.path.is_empty() {
                                    td_string!(l, organisation.units.top_level).to_string()
                                } else {
                                    u.path.join(" › ")
                                };
                                view! {
                                    <tr data-unit-id=u.id.to_string()>
                                        <td class="nama">{u.name.clone()}</td>
                                        <td class="induk">{path}</td>
                                        <td class="jumlah">{u.employees}</td>
                                        <td><a class="ubah" href=addr.href(page, Some(u.id))>{td_string!(l, organisation.edit)}</a></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <Pager page pages href=move |n| pager_addr.href(n, None) id="halaman-unit"/>
        </section>
    }
}

/// The fields of a unit (name, parent), for adding or editing one.
#[component]
fn UnitFields<A>(
    action: ServerAction<A>,
    prefix: &'static str,
    units: Vec<UnitChoice>,
    #[prop(optional)] current: Option<UnitRow>,
) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    let l = use_locale();
    let all = |_: &A| true;
    let name_id = field_id(prefix, "nama");
    let parent_id = field_id(prefix, "induk");
    // Without JavaScript a refused form comes back with what was typed.
    let name = echo::<A>("name")
        .or_else(|| current.as_ref().map(|u| u.name.clone()))
        .unwrap_or_default();
    let parent = echo::<A>("parent_id")
        .and_then(|v| v.parse::<i64>().ok())
        .or_else(|| current.as_ref().and_then(|u| u.parent_id));
    // A unit cannot go below itself: leave out the unit and its subtree.
    let below: Vec<i64> = match &current {
        Some(u) => {
            let pairs: Vec<(i64, Option<i64>)> =
                units.iter().map(|c| (c.id, c.parent_id)).collect();
            crate::domain::org::subtree(&pairs, &[u.id])
                .into_iter()
                .collect()
        }
        None => Vec::new(),
    };
    view! {
        <label for=name_id.clone()>{td_string!(l, organisation.units.name)}</label>
        <input id=name_id name="name" required maxlength="150" value=name
            placeholder=td_string!(l, organisation.units.name_placeholder)/>
        <FieldError action field="name" when=all/>
        <label for=parent_id.clone()>{td_string!(l, organisation.units.parent)}</label>
        <select id=parent_id name="parent_id">
            <option value="">{td_string!(l, organisation.units.no_parent)}</option>
            {units.into_iter().filter(|u| !below.contains(&u.id)).map(|u| view! {
                <option value=u.id.to_string() selected=Some(u.id) == parent>{indented(&u)}</option>
            }).collect_view()}
        </select>
        <FieldError action field="parent_id" when=all/>
    }
}

#[component]
fn NewUnitForm(create: ServerAction<CreateOrgUnit>, units: Vec<UnitChoice>) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card" id="unit-baru">
            <h2>{td_string!(l, organisation.units.create_title)}</h2>
            <ActionForm action=create attr:id="form-unit" attr:class="stack">
                <UnitFields action=create prefix="unit" units/>
                <FormError action=create/>
                <button type="submit">{td_string!(l, organisation.units.create_submit)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn EditUnitForm(
    unit: UnitRow,
    update: ServerAction<UpdateOrgUnit>,
    units: Vec<UnitChoice>,
) -> impl IntoView {
    let l = use_locale();
    let id = unit.id;
    view! {
        <section class="card" id="ubah-unit" data-unit-id=id.to_string()>
            <h2>{td_string!(l, organisation.units.edit_title, name = unit.name.clone()).to_string()}</h2>
            <ActionForm action=update attr:id="form-ubah-unit" attr:class="stack">
                <input type="hidden" name="id" value=id.to_string()/>
                <UnitFields action=update prefix="ubah-unit" units current=unit/>
                <FormError action=update/>
                <button type="submit">{td_string!(l, common.actions.save)}</button>
            </ActionForm>
            <p><a href="/admin/organisasi?bagian=unit" id="tutup-ubah-unit">{td_string!(l, organisation.close_edit)}</a></p>
        </section>
    }
}

// ---------------------------------------------------------------- positions

#[component]
fn PositionsSection() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let create = ServerAction::<CreateOrgPosition>::new();
    let update = ServerAction::<UpdateOrgPosition>::new();
    let saved = RwSignal::new(0u32);
    count_successes(create, saved);
    count_successes(update, saved);
    let data = Resource::new(
        move || {
            query.with(|q| {
                (
                    param(q, "q"),
                    param(q, "jenis"),
                    param_page(q),
                    param_id(q, "ubah"),
                    saved.get(),
                )
            })
        },
        |(q, kind, page, edit, _)| get_org_positions(q, kind, page, edit),
    );
    let created = move || {
        create
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| query.with(|q| outcome(q, "baru").and_then(|v| v.parse::<i64>().ok())))
    };
    let was_saved = move || {
        matches!(update.value().get(), Some(Ok(())))
            || query.with(|q| outcome(q, "disimpan").is_some())
    };
    view! {
        {move || created().map(|id| view! {
            <p class="notice ok" role="status" id="jabatan-dibuat" data-position-id=id.to_string()>
                {td_string!(l, organisation.positions.created)} " "
                <a href=format!("/admin/organisasi?bagian=jabatan&ubah={id}")>{td_string!(l, organisation.positions.edit_new)}</a>
            </p>
        })}
        {move || was_saved().then(|| view! {
            <p class="notice ok" role="status" id="jabatan-disimpan">{td_string!(l, organisation.positions.saved)}</p>
        })}
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let families = page.job_families.clone();
                        view! {
                            <datalist id="rumpun-jabatan">
                                {families.into_iter().map(|f| view! { <option value=f></option> }).collect_view()}
                            </datalist>
                            {page.editing.clone().map(|p| view! { <EditPositionForm position=p update/> })}
                            <PositionList page/>
                            <NewPositionForm create/>
                        }.into_any()
                    }
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PositionList(page: PositionsPage) -> impl IntoView {
    let l = use_locale();
    let PositionsPage {
        rows,
        total,
        page,
        pages,
        q,
        kind,
        ..
    } = page;
    let addr = ListAddr {
        section: "jabatan",
        q: q.clone(),
        kind: kind.clone(),
        ..Default::default()
    };
    let pager_addr = addr.clone();
    let empty = rows.is_empty();
    view! {
        <section class="card" id="jabatan">
            <h2>{td_string!(l, organisation.positions.list_title)}</h2>
            <form method="get" action="/admin/organisasi" class="filter" role="search" id="saring-jabatan">
                <input type="hidden" name="bagian" value="jabatan"/>
                <label for="cari-jabatan">{td_string!(l, organisation.positions.search_label)}</label>
                <input id="cari-jabatan" name="q" type="search" value=q
                    placeholder=td_string!(l, organisation.positions.search_placeholder)/>
                <label for="jenis-jabatan">{td_string!(l, organisation.positions.kind)}</label>
                <select id="jenis-jabatan" name="jenis">
                    <option value="">{td_string!(l, organisation.positions.all_kinds)}</option>
                    {POSITION_KINDS.into_iter().map(|k| view! {
                        <option value=k selected=kind.as_deref() == Some(k)>{kind_label(l, k)}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="secondary">{td_string!(l, common.actions.search)}</button>
            </form>
            <p class="muted" id="jumlah-jabatan" data-total=total.to_string()>
                {td_string!(l, organisation.positions.found, n = total).to_string()}
            </p>
            {if empty {
                view! { <p class="empty" id="daftar-jabatan">{td_string!(l, organisation.positions.none)}</p> }.into_any()
            } else {
                view! {
                    <table class="table org-table" id="daftar-jabatan">
                        <thead>
                            <tr>
                                <th>{td_string!(l, organisation.positions.col_name)}</th>
                                <th>{td_string!(l, organisation.positions.kind)}</th>
                                <th>{td_string!(l, organisation.positions.job_family)}</th>
                                <th>{td_string!(l, organisation.positions.competencies)}</th>
                                <th>{td_string!(l, organisation.positions.col_employees)}</th>
                                <th>{td_string!(l, organisation.col_actions)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|p| {
                                let competencies = if p.competencies.is_empty() {
                                    "—".to_string()
                                } else {
                                    p.competencies.join(", ")
                                };
                                view! {
                                    <tr data-position-id=p.id.to_string() data-kind=p.kind.clone()>
                                        <td class="nama">{p.name.clone()}</td>
                                        <td class="jenis">{kind_label(l, &p.kind)}</td>
                                        <td class="rumpun">{p.job_family.clone()}</td>
                                        <td class="kompetensi">{competencies}</td>
                                        <td class="jumlah">{p.employees}</td>
                                        <td><a class="ubah" href=addr.href(page, Some(p.id))>{td_string!(l, organisation.edit)}</a></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <Pager page pages href=move |n| pager_addr.href(n, None) id="halaman-jabatan"/>
        </section>
    }
}

#[component]
fn PositionFields<A>(
    action: ServerAction<A>,
    prefix: &'static str,
    #[prop(optional)] current: Option<PositionRow>,
) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    let l = use_locale();
    let all = |_: &A| true;
    let ids = |f: &str| field_id(prefix, f);
    // Without JavaScript a refused form comes back with what was typed.
    let typed = |name: &str, stored: Option<String>| echo::<A>(name).or(stored);
    let name = typed("name", current.as_ref().map(|p| p.name.clone())).unwrap_or_default();
    let kind = typed("kind", current.as_ref().map(|p| p.kind.clone()));
    let family =
        typed("job_family", current.as_ref().map(|p| p.job_family.clone())).unwrap_or_default();
    let competencies = typed(
        "competencies",
        current.as_ref().map(|p| p.competencies.join("\n")),
    )
    .unwrap_or_default();
    view! {
        <label for=ids("nama")>{td_string!(l, organisation.positions.name)}</label>
        <input id=ids("nama") name="name" required maxlength="200" value=name
            placeholder=td_string!(l, organisation.positions.name_placeholder)/>
        <FieldError action field="name" when=all/>
        <label for=ids("jenis")>{td_string!(l, organisation.positions.kind)}</label>
        <select id=ids("jenis") name="kind" required>
            <option value="">{td_string!(l, organisation.positions.choose_kind)}</option>
            {POSITION_KINDS.into_iter().map(|k| view! {
                <option value=k selected=kind.as_deref() == Some(k)>{kind_label(l, k)}</option>
            }).collect_view()}
        </select>
        <FieldError action field="kind" when=all/>
        <label for=ids("rumpun")>{td_string!(l, organisation.positions.job_family)}</label>
        <input id=ids("rumpun") name="job_family" required maxlength="60" list="rumpun-jabatan"
            value=family
            placeholder=td_string!(l, organisation.positions.job_family_placeholder)/>
        <FieldError action field="job_family" when=all/>
        <label for=ids("kompetensi")>{td_string!(l, organisation.positions.competencies)}</label>
        <textarea id=ids("kompetensi") name="competencies" rows="4"
            aria-describedby=ids("kompetensi-bantuan")>{competencies}</textarea>
        <p class="muted" id=ids("kompetensi-bantuan")>{td_string!(l, organisation.positions.competencies_help)}</p>
        <FieldError action field="competencies" when=all/>
    }
}

#[component]
fn NewPositionForm(create: ServerAction<CreateOrgPosition>) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card" id="jabatan-baru">
            <h2>{td_string!(l, organisation.positions.create_title)}</h2>
            <ActionForm action=create attr:id="form-jabatan" attr:class="stack">
                <PositionFields action=create prefix="jabatan"/>
                <FormError action=create/>
                <button type="submit">{td_string!(l, organisation.positions.create_submit)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn EditPositionForm(
    position: PositionRow,
    update: ServerAction<UpdateOrgPosition>,
) -> impl IntoView {
    let l = use_locale();
    let id = position.id;
    view! {
        <section class="card" id="ubah-jabatan" data-position-id=id.to_string()>
            <h2>{td_string!(l, organisation.positions.edit_title, name = position.name.clone()).to_string()}</h2>
            <ActionForm action=update attr:id="form-ubah-jabatan" attr:class="stack">
                <input type="hidden" name="id" value=id.to_string()/>
                <PositionFields action=update prefix="ubah-jabatan" current=position/>
                <FormError action=update/>
                <button type="submit">{td_string!(l, common.actions.save)}</button>
            </ActionForm>
            <p><a href="/admin/organisasi?bagian=jabatan" id="tutup-ubah-jabatan">{td_string!(l, organisation.close_edit)}</a></p>
        </section>
    }
}

// ---------------------------------------------------------------- employees

#[component]
fn EmployeesSection() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let create = ServerAction::<CreateOrgEmployee>::new();
    let update = ServerAction::<UpdateOrgEmployee>::new();
    let saved = RwSignal::new(0u32);
    count_successes(create, saved);
    count_successes(update, saved);
    let data = Resource::new(
        move || {
            query.with(|q| {
                (
                    param(q, "q"),
                    param_id(q, "unit"),
                    param_page(q),
                    param_id(q, "ubah"),
                    saved.get(),
                )
            })
        },
        |(q, unit, page, edit, _)| get_org_employees(q, unit, page, edit),
    );
    let created = move || {
        create
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| query.with(|q| outcome(q, "baru").and_then(|v| v.parse::<i64>().ok())))
    };
    let was_saved = move || {
        matches!(update.value().get(), Some(Ok(())))
            || query.with(|q| outcome(q, "disimpan").is_some())
    };
    view! {
        {move || created().map(|id| view! {
            <p class="notice ok" role="status" id="pegawai-dibuat" data-employee-id=id.to_string()>
                {td_string!(l, organisation.employees.created)} " "
                <a href=format!("/admin/organisasi?bagian=pegawai&ubah={id}") id="ubah-pegawai-baru">
                    {td_string!(l, organisation.employees.edit_new)}
                </a>
            </p>
        })}
        {move || was_saved().then(|| view! {
            <p class="notice ok" role="status" id="pegawai-disimpan">{td_string!(l, organisation.employees.saved)}</p>
        })}
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let (units, positions) = (page.units.clone(), page.positions.clone());
                        view! {
                            {page.editing.clone().map(|e| view! {
                                <EditEmployeeForm employee=e update units=units.clone() positions=positions.clone()/>
                            })}
                            <EmployeeList page/>
                            <NewEmployeeForm create units positions/>
                        }.into_any()
                    }
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EmployeeList(page: EmployeesPage) -> impl IntoView {
    let l = use_locale();
    let EmployeesPage {
        rows,
        total,
        page,
        pages,
        q,
        unit_id,
        units,
        ..
    } = page;
    let addr = ListAddr {
        section: "pegawai",
        q: q.clone(),
        unit: unit_id,
        ..Default::default()
    };
    let pager_addr = addr.clone();
    let empty = rows.is_empty();
    view! {
        <section class="card" id="pegawai">
            <h2>{td_string!(l, organisation.employees.list_title)}</h2>
            <form method="get" action="/admin/organisasi" class="filter" role="search" id="saring-pegawai">
                <input type="hidden" name="bagian" value="pegawai"/>
                <label for="cari-pegawai">{td_string!(l, organisation.employees.search_label)}</label>
                <input id="cari-pegawai" name="q" type="search" value=q
                    placeholder=td_string!(l, organisation.employees.search_placeholder)/>
                <label for="unit-pegawai">{td_string!(l, organisation.employees.unit_filter)}</label>
                <select id="unit-pegawai" name="unit">
                    <option value="">{td_string!(l, organisation.employees.all_units)}</option>
                    {units.into_iter().map(|u| view! {
                        <option value=u.id.to_string() selected=Some(u.id) == unit_id>{indented(&u)}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="secondary">{td_string!(l, common.actions.search)}</button>
            </form>
            <p class="muted" id="jumlah-pegawai" data-total=total.to_string()>
                {td_string!(l, organisation.employees.found, n = total).to_string()}
            </p>
            {if empty {
                view! { <p class="empty" id="daftar-pegawai">{td_string!(l, organisation.employees.none)}</p> }.into_any()
            } else {
                view! {
                    <table class="table org-table" id="daftar-pegawai">
                        <thead>
                            <tr>
                                <th>{td_string!(l, organisation.employees.col_person)}</th>
                                <th>{td_string!(l, organisation.employees.col_rank)}</th>
                                <th>{td_string!(l, organisation.employees.unit)}</th>
                                <th>{td_string!(l, organisation.employees.position)}</th>
                                <th>{td_string!(l, organisation.employees.col_supervisor)}</th>
                                <th>{td_string!(l, organisation.col_actions)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|e| {
                                let rank = match &e.golongan {
                                    Some(g) => format!("{} · {g}", asn_label(l, &e.asn_kind)),
                                    None => asn_label(l, &e.asn_kind),
                                };
                                view! {
                                    <tr data-employee-id=e.id.to_string() data-nip=e.nip.clone()>
                                        <td>
                                            <a class="nama" href=format!("/pegawai/{}", e.id)>{e.name.clone()}</a>
                                            <div class="muted nip">{e.nip_display.clone()}</div>
                                        </td>
                                        <td>{rank}</td>
                                        <td class="unit">{e.unit.clone()}</td>
                                        <td class="jabatan">{e.position.clone().unwrap_or_else(|| "—".to_string())}</td>
                                        <td class="atasan">{e.supervisor.clone().unwrap_or_else(|| "—".to_string())}</td>
                                        <td><a class="ubah" href=addr.href(page, Some(e.id))>{td_string!(l, organisation.edit)}</a></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <Pager page pages href=move |n| pager_addr.href(n, None) id="halaman-pegawai"/>
        </section>
    }
}

#[component]
fn EmployeeFields<A>(
    action: ServerAction<A>,
    prefix: &'static str,
    units: Vec<UnitChoice>,
    positions: Vec<PositionChoice>,
    #[prop(optional)] current: Option<EmployeeRow>,
) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    let l = use_locale();
    let all = |_: &A| true;
    let ids = |f: &str| field_id(prefix, f);
    // What the field holds: without JavaScript a refused form comes back
    // with what was typed; else the stored value (editing), else nothing.
    let c = current.clone();
    let value = move |name: &str, f: fn(&EmployeeRow) -> Option<String>| {
        echo::<A>(name).or_else(|| c.as_ref().and_then(f))
    };
    let id_of = |v: Option<String>| v.and_then(|v| v.trim().parse::<i64>().ok());
    let asn = value("asn_kind", |e| Some(e.asn_kind.clone())).unwrap_or_else(|| "pns".into());
    let golongan = value("golongan", |e| e.golongan.clone());
    let language = value("language", |e| Some(e.language.clone())).unwrap_or_else(|| "id".into());
    let unit = id_of(value("unit_id", |e| Some(e.unit_id.to_string())));
    let position = id_of(value("position_id", |e| {
        e.position_id.map(|p| p.to_string())
    }));
    let text =
        move |name: &str, f: fn(&EmployeeRow) -> Option<String>| value(name, f).unwrap_or_default();
    view! {
        <label for=ids("jenis")>{td_string!(l, organisation.employees.asn_kind)}</label>
        <select id=ids("jenis") name="asn_kind" required>
            {ASN_KINDS.into_iter().map(|k| view! {
                <option value=k selected=asn == k>{asn_label(l, k)}</option>
            }).collect_view()}
        </select>
        <FieldError action field="asn_kind" when=all/>
        <label for=ids("nip")>{td_string!(l, organisation.employees.nip)}</label>
        <input id=ids("nip") name="nip" required inputmode="numeric" autocomplete="off" maxlength="24"
            value=text("nip", |e| Some(e.nip_display.clone()))
            placeholder=td_string!(l, organisation.employees.nip_placeholder)/>
        <FieldError action field="nip" when=all/>
        <label for=ids("nama")>{td_string!(l, organisation.employees.name)}</label>
        <input id=ids("nama") name="name" required maxlength="200" autocomplete="off"
            value=text("name", |e| Some(e.name.clone()))
            placeholder=td_string!(l, organisation.employees.name_placeholder)/>
        <FieldError action field="name" when=all/>
        <label for=ids("golongan")>{td_string!(l, organisation.employees.golongan)}</label>
        <select id=ids("golongan") name="golongan">
            <option value="">{td_string!(l, organisation.employees.no_golongan)}</option>
            {Golongan::all().map(|g| view! {
                <option value=g.code() selected=golongan.as_deref() == Some(g.code())>
                    {format!("{} — {}", g.code(), g.pangkat())}
                </option>
            }).collect_view()}
        </select>
        <FieldError action field="golongan" when=all/>
        <label for=ids("email")>{td_string!(l, organisation.employees.email)}</label>
        <input id=ids("email") name="email" type="email" maxlength="254" autocomplete="off"
            value=text("email", |e| e.email.clone())
            placeholder=td_string!(l, organisation.employees.email_placeholder)/>
        <FieldError action field="email" when=all/>
        <label for=ids("bahasa")>{td_string!(l, organisation.employees.language)}</label>
        <select id=ids("bahasa") name="language">
            {LANGUAGES.into_iter().map(|code| view! {
                <option value=code selected=language == code>{language_label(l, code)}</option>
            }).collect_view()}
        </select>
        <FieldError action field="language" when=all/>
        <label for=ids("unit")>{td_string!(l, organisation.employees.unit)}</label>
        <select id=ids("unit") name="unit_id" required>
            <option value="">{td_string!(l, organisation.employees.choose_unit)}</option>
            {units.into_iter().map(|u| view! {
                <option value=u.id.to_string() selected=Some(u.id) == unit>{indented(&u)}</option>
            }).collect_view()}
        </select>
        <FieldError action field="unit_id" when=all/>
        <label for=ids("jabatan")>{td_string!(l, organisation.employees.position)}</label>
        <select id=ids("jabatan") name="position_id">
            <option value="">{td_string!(l, organisation.employees.no_position)}</option>
            {positions.into_iter().map(|p| {
                let label = format!("{} ({})", p.name, kind_label(l, &p.kind));
                view! { <option value=p.id.to_string() selected=Some(p.id) == position>{label}</option> }
            }).collect_view()}
        </select>
        <FieldError action field="position_id" when=all/>
        <label for=ids("atasan")>{td_string!(l, organisation.employees.supervisor)}</label>
        <input id=ids("atasan") name="supervisor_nip" inputmode="numeric" autocomplete="off" maxlength="24"
            value=text("supervisor_nip", |e| e.supervisor_nip.as_deref().map(crate::api::organisation::nip_grouped))
            aria-describedby=ids("atasan-bantuan")
            placeholder=td_string!(l, organisation.employees.nip_placeholder)/>
        <p class="muted" id=ids("atasan-bantuan")>{td_string!(l, organisation.employees.supervisor_help)}</p>
        <FieldError action field="supervisor_nip" when=all/>
    }
}

#[component]
fn NewEmployeeForm(
    create: ServerAction<CreateOrgEmployee>,
    units: Vec<UnitChoice>,
    positions: Vec<PositionChoice>,
) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card" id="pegawai-baru">
            <h2>{td_string!(l, organisation.employees.create_title)}</h2>
            <ActionForm action=create attr:id="form-pegawai" attr:class="stack">
                <EmployeeFields action=create prefix="pegawai" units positions/>
                <FormError action=create/>
                <button type="submit">{td_string!(l, organisation.employees.create_submit)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn EditEmployeeForm(
    employee: EmployeeRow,
    update: ServerAction<UpdateOrgEmployee>,
    units: Vec<UnitChoice>,
    positions: Vec<PositionChoice>,
) -> impl IntoView {
    let l = use_locale();
    let id = employee.id;
    view! {
        <section class="card" id="ubah-pegawai" data-employee-id=id.to_string()>
            <h2>{td_string!(l, organisation.employees.edit_title, name = employee.name.clone()).to_string()}</h2>
            <ActionForm action=update attr:id="form-ubah-pegawai" attr:class="stack">
                <input type="hidden" name="id" value=id.to_string()/>
                <EmployeeFields action=update prefix="ubah-pegawai" units positions current=employee/>
                <FormError action=update/>
                <button type="submit">{td_string!(l, common.actions.save)}</button>
            </ActionForm>
            <p><a href="/admin/organisasi?bagian=pegawai" id="tutup-ubah-pegawai">{td_string!(l, organisation.close_edit)}</a></p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_come_from_the_address_and_default_to_units() {
        assert_eq!(Section::parse(None), Section::Units);
        assert_eq!(Section::parse(Some("jabatan")), Section::Positions);
        assert_eq!(Section::parse(Some(" pegawai ")), Section::Employees);
        assert_eq!(Section::parse(Some("lain")), Section::Units);
    }

    #[test]
    fn list_addresses_keep_the_search_and_filters() {
        let a = ListAddr {
            section: "pegawai",
            q: "Siti Rahmah".into(),
            unit: Some(4),
            ..Default::default()
        };
        assert_eq!(
            a.href(1, None),
            "/admin/organisasi?bagian=pegawai&q=Siti%20Rahmah&unit=4"
        );
        assert_eq!(
            a.href(3, Some(9)),
            "/admin/organisasi?bagian=pegawai&q=Siti%20Rahmah&unit=4&hal=3&ubah=9"
        );
    }
}
