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

use leptos::{attr::custom::custom_attribute, oco::Oco, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use crate::api::organisation::{
    get_org_employees, get_org_positions, get_org_units, CreateOrgEmployee, CreateOrgPosition,
    CreateOrgUnit, UpdateOrgEmployee, UpdateOrgPosition, UpdateOrgUnit,
};
use crate::components::admin_list::{
    headers, outcome, param, param_id, param_page, AdminList, FilterSelect,
    FormCard, FormField, FormFn, ListHref, Loaded, SearchField,
};
use crate::components::form_echo::{echo, server_action};
use crate::components::pager::Pager;
use crate::domain::grade::Golongan;
use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;
use crate::model::organisation::{
    nip_grouped, EmployeeRow, EmployeesPage, Listed, PositionChoice, PositionRow, PositionsPage,
    UnitChoice, UnitRow, UnitsPage, ASN_KINDS, LANGUAGES, POSITION_KINDS,
};

const PATH: &str = "/admin/organisasi";

/// The three sections, by their address name; what tells them apart on
/// the page besides their lists and fields.
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

    /// The names that stand for the section in the page.
    fn names(self) -> SectionNames {
        let (slug, tab, pager, data_key) = match self {
            Section::Units => ("unit", "tab-unit", "halaman-unit", "data-unit-id"),
            Section::Positions => (
                "jabatan",
                "tab-jabatan",
                "halaman-jabatan",
                "data-position-id",
            ),
            Section::Employees => (
                "pegawai",
                "tab-pegawai",
                "halaman-pegawai",
                "data-employee-id",
            ),
        };
        SectionNames {
            slug,
            tab,
            pager,
            data_key,
        }
    }

    /// Its name in the address (`bagian=`) and in element ids.
    fn slug(self) -> &'static str {
        self.names().slug
    }

    /// The section's address, keeping nothing else.
    fn href(self) -> ListHref {
        ListHref::new(PATH).with("bagian", Some(self.slug()))
    }

    fn label(self, l: Locale) -> &'static str {
        match self {
            Section::Units => td_string!(l, organisation.tabs.units),
            Section::Positions => td_string!(l, organisation.tabs.positions),
            Section::Employees => td_string!(l, organisation.tabs.employees),
        }
    }

    /// "Added", "edit it", "saved": the outcomes of its forms.
    fn outcomes(self, l: Locale) -> [&'static str; 3] {
        match self {
            Section::Units => [
                td_string!(l, organisation.units.created),
                td_string!(l, organisation.units.edit_new),
                td_string!(l, organisation.units.saved),
            ],
            Section::Positions => [
                td_string!(l, organisation.positions.created),
                td_string!(l, organisation.positions.edit_new),
                td_string!(l, organisation.positions.saved),
            ],
            Section::Employees => [
                td_string!(l, organisation.employees.created),
                td_string!(l, organisation.employees.edit_new),
                td_string!(l, organisation.employees.saved),
            ],
        }
    }

    /// The heading and the button of the form that adds one.
    fn create_texts(self, l: Locale) -> (&'static str, &'static str) {
        match self {
            Section::Units => (
                td_string!(l, organisation.units.create_title),
                td_string!(l, organisation.units.create_submit),
            ),
            Section::Positions => (
                td_string!(l, organisation.positions.create_title),
                td_string!(l, organisation.positions.create_submit),
            ),
            Section::Employees => (
                td_string!(l, organisation.employees.create_title),
                td_string!(l, organisation.employees.create_submit),
            ),
        }
    }

    /// The heading of the form that edits `name`.
    fn edit_title(self, l: Locale, name: String) -> String {
        match self {
            Section::Units => td_string!(l, organisation.units.edit_title, name = name).to_string(),
            Section::Positions => {
                td_string!(l, organisation.positions.edit_title, name = name).to_string()
            }
            Section::Employees => {
                td_string!(l, organisation.employees.edit_title, name = name).to_string()
            }
        }
    }
}

/// The names of a section in the page: its slug (in the address and in
/// element ids), the ids of its tab and of its list's pager, the attribute
/// naming one of its records (`data-unit-id`).
struct SectionNames {
    slug: &'static str,
    tab: &'static str,
    pager: &'static str,
    data_key: &'static str,
}

/// An element id: a prefix and a name (the id of a form field: the form's
/// prefix and the field's name).
fn field_id(prefix: &str, field: &str) -> String {
    format!("{prefix}-{field}")
}

/// A list's address: the section and its search and filters.
fn list_href(section: Section, q: &str, kind: Option<&str>, unit: Option<i64>) -> ListHref {
    section
        .href()
        .with("q", Some(q))
        .with("jenis", kind)
        .with("unit", unit)
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

/// The `<option>`s of the units, indented, `selected` the chosen one.
fn unit_options(units: Vec<UnitChoice>, selected: Option<i64>) -> impl IntoView {
    units
        .into_iter()
        .map(|u| view! { <option value=u.id.to_string() selected=Some(u.id) == selected>{indented(&u)}</option> })
        .collect_view()
}

/// The `<option>`s of the position kinds, `selected` the chosen one.
fn kind_options(l: Locale, selected: Option<String>) -> impl IntoView {
    POSITION_KINDS
        .into_iter()
        .map(|k| view! { <option value=k selected=selected.as_deref() == Some(k)>{kind_label(l, k)}</option> })
        .collect_view()
}

/// What a field of form `A` holds: without JavaScript a refused form comes
/// back with what was typed; else the stored value (editing), else nothing.
fn typed<A: FormFn>(name: &str, stored: Option<String>) -> Option<String> {
    echo::<A>(name).or(stored)
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
                <a href=s.href().page(1)
                    id=s.names().tab
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

// ---------------------------------------------------------------- shared by the sections

/// A section's two forms: adding (answers the new id) and editing.
struct Forms<C: FormFn, U: FormFn> {
    create: ServerAction<C>,
    update: ServerAction<U>,
}

impl<C: FormFn, U: FormFn> Clone for Forms<C, U> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: FormFn, U: FormFn> Copy for Forms<C, U> {}

impl<C: FormFn<Output = i64>, U: FormFn<Output = ()>> Forms<C, U> {
    fn new() -> Self {
        Forms {
            create: server_action::<C>(),
            update: server_action::<U>(),
        }
    }

    /// What the section's list asks for, from the address: the search, the
    /// section's own `filter`, the page and the record being edited.
    fn list_ask<F>(
        self,
        filter: impl Fn(&ParamsMap) -> F + Send + Sync + 'static,
    ) -> impl Fn() -> (Option<String>, F, Option<u64>, Option<i64>) + Send + Sync + 'static
    {
        let query = use_query_map();
        move || {
            query.with(|q| {
                (
                    param(q, "q"),
                    filter(q),
                    param_page(q),
                    param_id(q, "ubah"),
                )
            })
        }
    }
}

/// What the last form did: a record added (with a link to edit it) or
/// saved: the form's answer, or the address the post led to (`baru`,
/// `disimpan`).
#[component]
fn Outcomes<C: FormFn<Output = i64>, U: FormFn<Output = ()>>(
    section: Section,
    forms: Forms<C, U>,
    /// The id of the link to edit the new record, if any.
    #[prop(optional)]
    edit_new_id: Option<&'static str>,
) -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let [created_text, edit_new, saved_text] = section.outcomes(l);
    let slug = section.slug();
    let created = move || {
        forms
            .create
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| query.with(|q| outcome(q, "baru").and_then(|v| v.parse::<i64>().ok())))
    };
    let was_saved = move || {
        matches!(forms.update.value().get(), Some(Ok(())))
            || query.with(|q| outcome(q, "disimpan").is_some())
    };
    view! {
        {move || created().map(|id| view! {
            <p class="notice ok" role="status" id=field_id(slug, "dibuat")>
                {created_text} " "
                <a href=section.href().edit(1, Some(id)) id=edit_new_id>{edit_new}</a>
            </p>
        }.add_any_attr(custom_attribute(section.names().data_key, id.to_string())))}
        {move || was_saved().then(|| view! {
            <p class="notice ok" role="status" id=field_id(slug, "disimpan")>{saved_text}</p>
        })}
    }
}

/// The form that adds a record to `section`.
#[component]
fn NewForm<A: FormFn>(
    section: Section,
    action: ServerAction<A>,
    children: Children,
) -> impl IntoView {
    let l = use_locale();
    let slug = section.slug();
    let (title, submit) = section.create_texts(l);
    view! {
        <FormCard action id=field_id(slug, "baru") title=title.to_string()
            form_id=field_id("form", slug) refusal=true submit>
            {children()}
        </FormCard>
    }
}

/// The form that edits record `id` (called `name`) of `section`.
#[component]
fn EditForm<A: FormFn>(
    section: Section,
    action: ServerAction<A>,
    id: i64,
    name: String,
    children: Children,
) -> impl IntoView {
    let l = use_locale();
    let slug = section.slug();
    let close = (
        section.href().page(1),
        field_id("tutup-ubah", slug),
        td_string!(l, organisation.close_edit),
    );
    view! {
        <FormCard action id=field_id("ubah", slug) data=(section.names().data_key, id.to_string())
            title=section.edit_title(l, name) form_id=field_id("form-ubah", slug) edit=id
            refusal=true submit=td_string!(l, common.actions.save) close>
            {children()}
        </FormCard>
    }
}

/// A record of a list: what its "edit" link needs.
trait Record {
    fn id(&self) -> i64;
}

impl Record for UnitRow {
    fn id(&self) -> i64 {
        self.id
    }
}

impl Record for PositionRow {
    fn id(&self) -> i64 {
        self.id
    }
}

impl Record for EmployeeRow {
    fn id(&self) -> i64 {
        self.id
    }
}

/// The last cell of a row: the link that opens its edit form.
fn edit_cell(l: Locale, href: String) -> impl IntoView {
    view! { <td><a class="ubah" href=href>{td_string!(l, organisation.edit)}</a></td> }
}

/// A section's list: what all three share (the card, the filter form and
/// its button, the table's class, the pager), with what `section` says.
#[component]
fn SectionList<R: Record + 'static, V: IntoView + 'static>(
    section: Section,
    list: Listed<R>,
    /// The address of the list as shown (search and filters).
    addr: ListHref,
    /// The card's id, if not the section's name.
    #[prop(optional)]
    section_id: Option<&'static str>,
    title: &'static str,
    /// The filter form's fields.
    filters: AnyView,
    found: String,
    none: &'static str,
    headers: Vec<Oco<'static, str>>,
    /// A row, given the address that edits it.
    row: impl Fn(R, String) -> V + 'static,
) -> impl IntoView {
    let l = use_locale();
    let Listed {
        rows,
        total,
        page,
        pages,
        ..
    } = list;
    let empty = rows.is_empty();
    let rows = rows
        .into_iter()
        .map(|r| {
            let edit = addr.edit(page, Some(r.id()));
            row(r, edit)
        })
        .collect_view();
    let pager = view! {
        <Pager page pages href=move |n| addr.page(n) id=section.names().pager/>
    };
    view! {
        <AdminList name=section.slug() section_id=section_id.unwrap_or(section.slug())
            title action=PATH hidden=vec![("bagian", section.slug())] filters
            button=td_string!(l, common.actions.search) total found
            table_class="table org-table" none headers empty pager=pager.into_any()>
            {rows}
        </AdminList>
    }
}

// ---------------------------------------------------------------- units

#[component]
fn UnitsSection() -> impl IntoView {
    let forms = Forms::<CreateOrgUnit, UpdateOrgUnit>::new();
    let data = Resource::new(forms.list_ask(|_| ()), |(q, (), page, edit)| {
        get_org_units(q, page, edit)
    });
    view! {
        <Outcomes section=Section::Units forms/>
        <Loaded data show=move |page: UnitsPage| {
            let units = page.units.clone();
            let all = units.clone();
            view! {
                {page.list.editing.clone().map(|u| view! {
                    <EditForm section=Section::Units action=forms.update id=u.id name=u.name.clone()>
                        <UnitFields action=forms.update prefix="ubah-unit" units=all current=u/>
                    </EditForm>
                })}
                <UnitList page/>
                <NewForm section=Section::Units action=forms.create>
                    <UnitFields action=forms.create prefix="unit" units/>
                </NewForm>
            }
        }/>
    }
}

#[component]
fn UnitList(page: UnitsPage) -> impl IntoView {
    let l = use_locale();
    let list = page.list;
    let (q, total) = (list.q.clone(), list.total);
    view! {
        <SectionList section=Section::Units list addr=list_href(Section::Units, &q, None, None)
            section_id="unit-kerja"
            title=td_string!(l, organisation.units.list_title)
            filters=view! {
                <SearchField id="cari-unit".into() label=td_string!(l, organisation.units.search_label)
                    value=q placeholder=td_string!(l, organisation.units.search_placeholder)/>
            }.into_any()
            found=td_string!(l, organisation.units.found, n = total).to_string()
            none=td_string!(l, organisation.units.none)
            headers=headers![l, organisation.units: col_name, col_parent, col_employees,
                (td_string!(l, organisation.col_actions))]
            row=move |u: UnitRow, edit| {
                let path = if u.path.is_empty() {
                    td_string!(l, organisation.units.top_level).to_string()
                } else {
                    u.path.join(" › ")
                };
                view! {
                    <tr data-unit-id=u.id.to_string()>
                        <td class="nama">{u.name}</td>
                        <td class="induk">{path}</td>
                        <td class="jumlah">{u.employees}</td>
                        {edit_cell(l, edit)}
                    </tr>
                }
            }/>
    }
}

/// The fields of a unit (name, parent), for adding or editing one.
#[component]
fn UnitFields<A: FormFn>(
    action: ServerAction<A>,
    prefix: &'static str,
    units: Vec<UnitChoice>,
    #[prop(optional)] current: Option<UnitRow>,
) -> impl IntoView {
    let l = use_locale();
    let name = typed::<A>("name", current.as_ref().map(|u| u.name.clone())).unwrap_or_default();
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
    let units: Vec<UnitChoice> = units
        .into_iter()
        .filter(|u| !below.contains(&u.id))
        .collect();
    view! {
        <FormField action id=field_id(prefix, "nama") label=td_string!(l, organisation.units.name) field="name">
            <input id=field_id(prefix, "nama") name="name" required maxlength="150" value=name
                placeholder=td_string!(l, organisation.units.name_placeholder)/>
        </FormField>
        <FormField action id=field_id(prefix, "induk") label=td_string!(l, organisation.units.parent) field="parent_id">
            <select id=field_id(prefix, "induk") name="parent_id">
                <option value="">{td_string!(l, organisation.units.no_parent)}</option>
                {unit_options(units, parent)}
            </select>
        </FormField>
    }
}

// ---------------------------------------------------------------- positions

#[component]
fn PositionsSection() -> impl IntoView {
    let forms = Forms::<CreateOrgPosition, UpdateOrgPosition>::new();
    let data = Resource::new(
        forms.list_ask(|q| param(q, "jenis")),
        |(q, kind, page, edit)| get_org_positions(q, kind, page, edit),
    );
    view! {
        <Outcomes section=Section::Positions forms/>
        <Loaded data show=move |page: PositionsPage| view! {
            <datalist id="rumpun-jabatan">
                {page.job_families.clone().into_iter().map(|f| view! { <option value=f></option> }).collect_view()}
            </datalist>
            {page.list.editing.clone().map(|p| view! {
                <EditForm section=Section::Positions action=forms.update id=p.id name=p.name.clone()>
                    <PositionFields action=forms.update prefix="ubah-jabatan" current=p/>
                </EditForm>
            })}
            <PositionList page/>
            <NewForm section=Section::Positions action=forms.create>
                <PositionFields action=forms.create prefix="jabatan"/>
            </NewForm>
        }/>
    }
}

#[component]
fn PositionList(page: PositionsPage) -> impl IntoView {
    let l = use_locale();
    let PositionsPage { list, kind, .. } = page;
    let (q, total) = (list.q.clone(), list.total);
    view! {
        <SectionList section=Section::Positions list
            addr=list_href(Section::Positions, &q, kind.as_deref(), None)
            title=td_string!(l, organisation.positions.list_title)
            filters=view! {
                <SearchField id="cari-jabatan".into() label=td_string!(l, organisation.positions.search_label)
                    value=q placeholder=td_string!(l, organisation.positions.search_placeholder)/>
                <FilterSelect id="jenis-jabatan" name="jenis" label=td_string!(l, organisation.positions.kind)
                    all=td_string!(l, organisation.positions.all_kinds)>
                    {kind_options(l, kind)}
                </FilterSelect>
            }.into_any()
            found=td_string!(l, organisation.positions.found, n = total).to_string()
            none=td_string!(l, organisation.positions.none)
            headers=headers![l, organisation.positions: col_name, kind, job_family, competencies,
                col_employees, (td_string!(l, organisation.col_actions))]
            row=move |p: PositionRow, edit| {
                let competencies = if p.competencies.is_empty() {
                    "—".to_string()
                } else {
                    p.competencies.join(", ")
                };
                view! {
                    <tr data-position-id=p.id.to_string() data-kind=p.kind.clone()>
                        <td class="nama">{p.name}</td>
                        <td class="jenis">{kind_label(l, &p.kind)}</td>
                        <td class="rumpun">{p.job_family}</td>
                        <td class="kompetensi">{competencies}</td>
                        <td class="jumlah">{p.employees}</td>
                        {edit_cell(l, edit)}
                    </tr>
                }
            }/>
    }
}

#[component]
fn PositionFields<A: FormFn>(
    action: ServerAction<A>,
    prefix: &'static str,
    #[prop(optional)] current: Option<PositionRow>,
) -> impl IntoView {
    let l = use_locale();
    let ids = move |f: &str| field_id(prefix, f);
    let stored = |f: fn(&PositionRow) -> String| current.as_ref().map(f);
    let name = typed::<A>("name", stored(|p| p.name.clone())).unwrap_or_default();
    let kind = typed::<A>("kind", stored(|p| p.kind.clone()));
    let family = typed::<A>("job_family", stored(|p| p.job_family.clone())).unwrap_or_default();
    let competencies =
        typed::<A>("competencies", stored(|p| p.competencies.join("\n"))).unwrap_or_default();
    view! {
        <FormField action id=ids("nama") label=td_string!(l, organisation.positions.name) field="name">
            <input id=ids("nama") name="name" required maxlength="200" value=name
                placeholder=td_string!(l, organisation.positions.name_placeholder)/>
        </FormField>
        <FormField action id=ids("jenis") label=td_string!(l, organisation.positions.kind) field="kind">
            <select id=ids("jenis") name="kind" required>
                <option value="">{td_string!(l, organisation.positions.choose_kind)}</option>
                {kind_options(l, kind)}
            </select>
        </FormField>
        <FormField action id=ids("rumpun") label=td_string!(l, organisation.positions.job_family) field="job_family">
            <input id=ids("rumpun") name="job_family" required maxlength="60" list="rumpun-jabatan"
                value=family
                placeholder=td_string!(l, organisation.positions.job_family_placeholder)/>
        </FormField>
        <FormField action id=ids("kompetensi") label=td_string!(l, organisation.positions.competencies) field="competencies">
            <textarea id=ids("kompetensi") name="competencies" rows="4"
                aria-describedby=ids("kompetensi-bantuan")>{competencies}</textarea>
            <p class="muted" id=ids("kompetensi-bantuan")>{td_string!(l, organisation.positions.competencies_help)}</p>
        </FormField>
    }
}

// ---------------------------------------------------------------- employees

#[component]
fn EmployeesSection() -> impl IntoView {
    let forms = Forms::<CreateOrgEmployee, UpdateOrgEmployee>::new();
    let data = Resource::new(
        forms.list_ask(|q| param_id(q, "unit")),
        |(q, unit, page, edit)| get_org_employees(q, unit, page, edit),
    );
    view! {
        <Outcomes section=Section::Employees forms edit_new_id="ubah-pegawai-baru"/>
        <Loaded data show=move |page: EmployeesPage| {
            let (units, positions) = (page.units.clone(), page.positions.clone());
            let (all_units, all_positions) = (units.clone(), positions.clone());
            view! {
                {page.list.editing.clone().map(|e| view! {
                    <EditForm section=Section::Employees action=forms.update id=e.id name=e.name.clone()>
                        <EmployeeFields action=forms.update prefix="ubah-pegawai" units=all_units
                            positions=all_positions current=e/>
                    </EditForm>
                })}
                <EmployeeList page/>
                <NewForm section=Section::Employees action=forms.create>
                    <EmployeeFields action=forms.create prefix="pegawai" units positions/>
                </NewForm>
            }
        }/>
    }
}

#[component]
fn EmployeeList(page: EmployeesPage) -> impl IntoView {
    let l = use_locale();
    let EmployeesPage {
        list,
        unit_id,
        units,
        ..
    } = page;
    let (q, total) = (list.q.clone(), list.total);
    view! {
        <SectionList section=Section::Employees list
            addr=list_href(Section::Employees, &q, None, unit_id)
            section_id="pegawai"
            title=td_string!(l, organisation.employees.list_title)
            filters=view! {
                <SearchField id="cari-pegawai".into() label=td_string!(l, organisation.employees.search_label)
                    value=q placeholder=td_string!(l, organisation.employees.search_placeholder)/>
                <FilterSelect id="unit-pegawai" name="unit" label=td_string!(l, organisation.employees.unit_filter)
                    all=td_string!(l, organisation.employees.all_units)>
                    {unit_options(units, unit_id)}
                </FilterSelect>
            }.into_any()
            found=td_string!(l, organisation.employees.found, n = total).to_string()
            none=td_string!(l, organisation.employees.none)
            headers=headers![l, organisation.employees: col_person, col_rank, unit, position,
                col_supervisor, (td_string!(l, organisation.col_actions))]
            row=move |e: EmployeeRow, edit| {
                let rank = match &e.golongan {
                    Some(g) => format!("{} · {g}", asn_label(l, &e.asn_kind)),
                    None => asn_label(l, &e.asn_kind),
                };
                view! {
                    <tr data-employee-id=e.id.to_string() data-nip=e.nip.clone()>
                        <td>
                            <a class="nama" href=format!("/pegawai/{}", e.id)>{e.name}</a>
                            <div class="muted nip">{e.nip_display}</div>
                        </td>
                        <td>{rank}</td>
                        <td class="unit">{e.unit}</td>
                        <td class="jabatan">{e.position.unwrap_or_else(|| "—".to_string())}</td>
                        <td class="atasan">{e.supervisor.unwrap_or_else(|| "—".to_string())}</td>
                        {edit_cell(l, edit)}
                    </tr>
                }
            }/>
    }
}

#[component]
fn EmployeeFields<A: FormFn>(
    action: ServerAction<A>,
    prefix: &'static str,
    units: Vec<UnitChoice>,
    positions: Vec<PositionChoice>,
    #[prop(optional)] current: Option<EmployeeRow>,
) -> impl IntoView {
    let l = use_locale();
    let ids = move |f: &str| field_id(prefix, f);
    let value = |name: &str, f: fn(&EmployeeRow) -> Option<String>| {
        typed::<A>(name, current.as_ref().and_then(f))
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
        |name: &str, f: fn(&EmployeeRow) -> Option<String>| value(name, f).unwrap_or_default();
    let nip = text("nip", |e| Some(e.nip_display.clone()));
    let name = text("name", |e| Some(e.name.clone()));
    let email = text("email", |e| e.email.clone());
    let supervisor = text("supervisor_nip", |e| {
        e.supervisor_nip.as_deref().map(nip_grouped)
    });
    view! {
        <FormField action id=ids("jenis") label=td_string!(l, organisation.employees.asn_kind) field="asn_kind">
            <select id=ids("jenis") name="asn_kind" required>
                {ASN_KINDS.into_iter().map(|k| view! {
                    <option value=k selected=asn == k>{asn_label(l, k)}</option>
                }).collect_view()}
            </select>
        </FormField>
        <FormField action id=ids("nip") label=td_string!(l, organisation.employees.nip) field="nip">
            <input id=ids("nip") name="nip" required inputmode="numeric" autocomplete="off" maxlength="24"
                value=nip
                placeholder=td_string!(l, organisation.employees.nip_placeholder)/>
        </FormField>
        <FormField action id=ids("nama") label=td_string!(l, organisation.employees.name) field="name">
            <input id=ids("nama") name="name" required maxlength="200" autocomplete="off"
                value=name
                placeholder=td_string!(l, organisation.employees.name_placeholder)/>
        </FormField>
        <FormField action id=ids("golongan") label=td_string!(l, organisation.employees.golongan) field="golongan">
            <select id=ids("golongan") name="golongan">
                <option value="">{td_string!(l, organisation.employees.no_golongan)}</option>
                {Golongan::all().map(|g| view! {
                    <option value=g.code() selected=golongan.as_deref() == Some(g.code())>
                        {format!("{} — {}", g.code(), g.pangkat())}
                    </option>
                }).collect_view()}
            </select>
        </FormField>
        <FormField action id=ids("email") label=td_string!(l, organisation.employees.email) field="email">
            <input id=ids("email") name="email" type="email" maxlength="254" autocomplete="off"
                value=email
                placeholder=td_string!(l, organisation.employees.email_placeholder)/>
        </FormField>
        <FormField action id=ids("bahasa") label=td_string!(l, organisation.employees.language) field="language">
            <select id=ids("bahasa") name="language">
                {LANGUAGES.into_iter().map(|code| view! {
                    <option value=code selected=language == code>{language_label(l, code)}</option>
                }).collect_view()}
            </select>
        </FormField>
        <FormField action id=ids("unit") label=td_string!(l, organisation.employees.unit) field="unit_id">
            <select id=ids("unit") name="unit_id" required>
                <option value="">{td_string!(l, organisation.employees.choose_unit)}</option>
                {unit_options(units, unit)}
            </select>
        </FormField>
        <FormField action id=ids("jabatan") label=td_string!(l, organisation.employees.position) field="position_id">
            <select id=ids("jabatan") name="position_id">
                <option value="">{td_string!(l, organisation.employees.no_position)}</option>
                {positions.into_iter().map(|p| {
                    let label = format!("{} ({})", p.name, kind_label(l, &p.kind));
                    view! { <option value=p.id.to_string() selected=Some(p.id) == position>{label}</option> }
                }).collect_view()}
            </select>
        </FormField>
        <FormField action id=ids("atasan") label=td_string!(l, organisation.employees.supervisor) field="supervisor_nip">
            <input id=ids("atasan") name="supervisor_nip" inputmode="numeric" autocomplete="off" maxlength="24"
                value=supervisor
                aria-describedby=ids("atasan-bantuan")
                placeholder=td_string!(l, organisation.employees.nip_placeholder)/>
            <p class="muted" id=ids("atasan-bantuan")>{td_string!(l, organisation.employees.supervisor_help)}</p>
        </FormField>
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
    fn list_addresses_keep_the_section_then_the_search_and_filters() {
        // How a `ListHref` is written out is tested with it (admin_list).
        let expected = ListHref::new(PATH)
            .with("bagian", Some("pegawai"))
            .with("q", Some("Siti Rahmah"))
            .with("jenis", None::<&str>)
            .with("unit", Some(4));
        assert_eq!(
            list_href(Section::Employees, "Siti Rahmah", None, Some(4)),
            expected
        );
        assert_eq!(
            list_href(Section::Positions, "", Some("jpt"), None).page(1),
            "/admin/organisasi?bagian=jabatan&jenis=jpt"
        );
    }
}
