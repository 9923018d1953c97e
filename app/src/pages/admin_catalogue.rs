//! The administrator's catalogue.
//!
//! "Pelatihan" (`/admin/pelatihan`): every course, searched (code or title)
//! and paged on the server through the address (`?q=…&hal=…`), and a form
//! to add one.
//!
//! "Aturan rencana" (`/admin/aturan`): every rule with its current version,
//! criteria in words and required courses; and a form to compose a new rule.
//! The composing form is a GET form, so the rule being composed lives in the
//! address: "Uji aturan terhadap mutasi" shows, before anything is saved,
//! what that rule alone would produce for a chosen transfer (nothing is
//! written), with the button that saves it. Everything works without
//! JavaScript.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use crate::api::admin::Choice;
use crate::api::catalogue_admin::{
    competency_label, get_courses, get_rules, method_label, position_kind_label, test_rule,
    CourseRow, CoursesPage, CreateCourse, CreateRule, RuleItemField, RuleRow, RuleTrial,
    RulesPage, COMPETENCIES, ITEM_ROWS, METHODS, POSITION_KINDS,
};
use crate::api::transfers_admin::{transfer_type_label, TRANSFER_TYPES};
use crate::components::errors::{ErrorBox, FieldError, PageError};
use crate::components::pager::Pager;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;

/// Percent-encoding for a query value (everything but unreserved characters).
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// "8" or "2,5".
fn jp_text(jp: f64) -> String {
    format!("{}", (jp * 100.0).round() / 100.0).replace('.', ",")
}

/// "Aktif" / "Nonaktif".
fn active_label(active: bool, l: Locale) -> &'static str {
    if active {
        td_string!(l, catalogue.active)
    } else {
        td_string!(l, catalogue.inactive)
    }
}

/// "wajib" / "pilihan".
fn required_label(required: bool, l: Locale) -> &'static str {
    if required {
        td_string!(l, catalogue.required)
    } else {
        td_string!(l, catalogue.optional)
    }
}

/// The form field of row `i` of the rule's courses: `items[0][course_id]`.
fn item_field(i: usize, f: &str) -> String {
    format!("items[{i}][{f}]") // i18n-ok: a form field name
}

/// The element id of row `i`'s field: `item-0-course`.
fn item_id(i: usize, f: &str) -> String {
    format!("item-{i}-{f}") // i18n-ok: an element id
}

/// The `tone-*` class of a row.
fn tone_class(tone: &str) -> String {
    format!("tone-{tone}") // i18n-ok: a CSS class
}

/// The classes of a plan item: `assignment tone-open`.
fn assignment_class(tone: &str) -> String {
    format!("assignment tone-{tone}") // i18n-ok: CSS classes
}

fn courses_href(q: &str, page: u64) -> String {
    // (parameter name, value already encoded)
    let mut parts: Vec<(&str, String)> = Vec::new();
    if !q.is_empty() {
        parts.push(("q", encode(q)));
    }
    if page > 1 {
        parts.push(("hal", page.to_string()));
    }
    if parts.is_empty() {
        "/admin/pelatihan".to_string()
    } else {
        let pairs: Vec<String> = parts.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("/admin/pelatihan?{}", pairs.join("&"))
    }
}

#[component]
pub fn CoursesAdminPage() -> impl IntoView {
    let create = ServerAction::<CreateCourse>::new();
    let query = use_query_map();
    let l = use_locale();
    let data = Resource::new(
        move || {
            let q = query.get();
            (
                q.get("q")
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty()),
                q.get("hal")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(|p| p.max(1)),
                create.version().get(),
            )
        },
        |(q, page, _)| get_courses(q, page),
    );
    view! {
        <Title text=td_string!(l, catalogue.courses.title)/>
        <h1>{td_string!(l, catalogue.courses.title)}</h1>
        {move || create.value().get().map(|r| match r {
            Ok(id) => view! {
                <p class="notice ok" role="status" id="pelatihan-dibuat" data-course-id=id.to_string()>
                    {td_string!(l, catalogue.courses.created)}
                </p>
            }.into_any(),
            Err(e) if e.field().is_none() => view! { <ErrorBox error=e/> }.into_any(),
            Err(_) => ().into_any(),
        })}
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <CourseList page/> }.into_any(),
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Transition>
        <NewCourseForm create/>
    }
}

#[component]
fn CourseList(page: CoursesPage) -> impl IntoView {
    let CoursesPage {
        rows,
        total,
        page,
        pages,
        q,
    } = page;
    let empty = rows.is_empty();
    let l = use_locale();
    let pq = q.clone();
    view! {
        <section class="card" id="pelatihan">
            <h2>{td_string!(l, catalogue.courses.heading)}</h2>
            <form method="get" action="/admin/pelatihan" class="filter" role="search" id="saring-pelatihan">
                <label for="cari-pelatihan">{td_string!(l, common.actions.search)}</label>
                <input id="cari-pelatihan" name="q" type="search" value=q
                    placeholder=td_string!(l, catalogue.courses.search_placeholder)/>
                <button type="submit" class="secondary">{td_string!(l, catalogue.show)}</button>
            </form>
            <p class="muted" id="jumlah-pelatihan" data-total=total.to_string()>
                {td_string!(l, catalogue.courses.found, total = total, page = page, pages = pages)}
            </p>
            {if empty {
                view! { <p class="empty" id="daftar-pelatihan">{td_string!(l, catalogue.courses.none)}</p> }.into_any()
            } else {
                view! {
                    <table class="table" id="daftar-pelatihan">
                        <thead>
                            <tr>
                                <th>{td_string!(l, catalogue.courses.code)}</th>
                                <th>{td_string!(l, catalogue.courses.course_title)}</th>
                                <th>{td_string!(l, catalogue.courses.competency)}</th>
                                <th>{td_string!(l, catalogue.courses.jp)}</th>
                                <th>{td_string!(l, catalogue.courses.method)}</th>
                                <th>{td_string!(l, catalogue.courses.provider)}</th>
                                <th>{td_string!(l, catalogue.courses.validity)}</th>
                                <th>{td_string!(l, catalogue.status)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|c| view! { <CourseLine c/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <Pager page pages href=move |n| courses_href(&pq, n) id="halaman-pelatihan"/>
        </section>
    }
}

#[component]
fn CourseLine(c: CourseRow) -> impl IntoView {
    let tone = if c.active { "open" } else { "closed" };
    let l = use_locale();
    view! {
        <tr class=tone_class(tone) data-course-id=c.id.to_string() data-course-code=c.code.clone()>
            <td class="code"><strong>{c.code.clone()}</strong></td>
            <td>
                <div class="title">{c.title_id.clone()}</div>
                {(c.title_en != c.title_id).then(|| view! { <div class="muted" lang="en">{c.title_en.clone()}</div> })}
            </td>
            <td>{c.competency_label.clone()}</td>
            <td class="jp">{jp_text(c.jp)}</td>
            <td>{c.method_label.clone()}</td>
            <td>{c.provider.clone()}</td>
            <td class="validity">{c.validity.clone()}</td>
            <td><span class="badge">{active_label(c.active, l)}</span></td>
        </tr>
    }
}

#[component]
fn NewCourseForm(create: ServerAction<CreateCourse>) -> impl IntoView {
    let all = |_: &CreateCourse| true;
    let l = use_locale();
    view! {
        <section class="card" id="pelatihan-baru">
            <h2>{td_string!(l, catalogue.course_form.heading)}</h2>
            <ActionForm action=create attr:id="form-pelatihan-baru" attr:class="stack">
                <label for="pelatihan-kode">{td_string!(l, catalogue.courses.code)}</label>
                <input id="pelatihan-kode" name="code" required maxlength="40"
                    placeholder=td_string!(l, catalogue.course_form.code_placeholder)/>
                <FieldError action=create field="code" when=all/>
                <label for="pelatihan-judul">{td_string!(l, catalogue.course_form.title_id)}</label>
                <input id="pelatihan-judul" name="title_id" required maxlength="200"/>
                <FieldError action=create field="title_id" when=all/>
                <label for="pelatihan-judul-en">{td_string!(l, catalogue.course_form.title_en)}</label>
                <input id="pelatihan-judul-en" name="title_en" maxlength="200" lang="en"/>
                <FieldError action=create field="title_en" when=all/>
                <label for="pelatihan-kompetensi">{td_string!(l, catalogue.courses.competency)}</label>
                <select id="pelatihan-kompetensi" name="competency">
                    {COMPETENCIES.into_iter().map(|v| view! { <option value=v>{competency_label(v, l)}</option> }).collect_view()}
                </select>
                <FieldError action=create field="competency" when=all/>
                <label for="pelatihan-jp">{td_string!(l, catalogue.course_form.jp)}</label>
                <input id="pelatihan-jp" name="jp" required inputmode="decimal"
                    placeholder=td_string!(l, catalogue.course_form.jp_placeholder)/>
                <FieldError action=create field="jp" when=all/>
                <label for="pelatihan-metode">{td_string!(l, catalogue.courses.method)}</label>
                <select id="pelatihan-metode" name="method">
                    {METHODS.into_iter().map(|v| view! { <option value=v>{method_label(v, l)}</option> }).collect_view()}
                </select>
                <FieldError action=create field="method" when=all/>
                <label for="pelatihan-penyelenggara">{td_string!(l, catalogue.courses.provider)}</label>
                <input id="pelatihan-penyelenggara" name="provider" maxlength="200"
                    placeholder=td_string!(l, catalogue.course_form.provider_placeholder)/>
                <FieldError action=create field="provider" when=all/>
                <label for="pelatihan-berlaku">{td_string!(l, catalogue.course_form.validity)}</label>
                <input id="pelatihan-berlaku" name="validity_months" inputmode="numeric"/>
                <FieldError action=create field="validity_months" when=all/>
                <button type="submit" id="simpan-pelatihan">{td_string!(l, catalogue.course_form.submit)}</button>
            </ActionForm>
        </section>
    }
}

/// The rule being composed, as the address holds it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Composition {
    /// The composing form was sent (the address holds a rule).
    sent: bool,
    name: String,
    active: bool,
    job_family: String,
    position_kind: String,
    unit_id: String,
    transfer_type: String,
    items: Vec<RuleItemField>,
    transfer_id: String,
}

impl Composition {
    fn from_query(q: &ParamsMap) -> Composition {
        let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        let sent = q.get("susun").is_some();
        let mut items = Vec::new();
        for i in 0..50 {
            let field = |f: &str| q.get(&item_field(i, f));
            let row = RuleItemField {
                course_id: field("course_id"),
                due_offset_days: field("due_offset_days"),
                required: field("required"),
            };
            if row == RuleItemField::default() && i >= ITEM_ROWS {
                continue;
            }
            items.push(row);
        }
        while items.len() > ITEM_ROWS && items.last() == Some(&RuleItemField::default()) {
            items.pop();
        }
        Composition {
            sent,
            name: get("name"),
            active: if sent {
                q.get("active").is_some()
            } else {
                true
            },
            job_family: get("job_family"),
            position_kind: get("position_kind"),
            unit_id: get("unit_id"),
            transfer_type: get("transfer_type"),
            items,
            transfer_id: get("transfer_id"),
        }
    }

    fn opt(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    async fn trial(self) -> Result<RuleTrial, AppError> {
        test_rule(
            Self::opt(&self.name),
            self.active.then(|| "on".to_string()),
            Self::opt(&self.job_family),
            Self::opt(&self.position_kind),
            Self::opt(&self.unit_id),
            Self::opt(&self.transfer_type),
            Some(self.items.clone()),
            Self::opt(&self.transfer_id),
        )
        .await
    }
}

/// A refusal that concerns this field, next to it, in the page's language.
fn field_problem(error: &Option<AppError>, l: Locale, field: &'static str) -> impl IntoView {
    error
        .as_ref()
        .filter(|e| e.field() == Some(field))
        .map(|e| {
            view! {
                <p class="field-error" role="alert">{e.message(crate::lang::code(l))}</p>
            }
        })
}

#[component]
pub fn RulesAdminPage() -> impl IntoView {
    let create = ServerAction::<CreateRule>::new();
    let query = use_query_map();
    let l = use_locale();
    let data = Resource::new(move || create.version().get(), |_| get_rules());
    let composition = Memo::new(move |_| query.with(Composition::from_query));
    let trial = Resource::new(
        move || composition.get(),
        |c| async move {
            if c.sent {
                Some(c.trial().await)
            } else {
                None
            }
        },
    );
    view! {
        <Title text=td_string!(l, catalogue.rules.title)/>
        <h1>{td_string!(l, catalogue.rules.title)}</h1>
        {move || create.value().get().map(|r| match r {
            Ok(saved) => view! {
                <p class="notice ok" role="status" id="aturan-disimpan" data-rule-id=saved.rule_id.to_string()>
                    {td_string!(l, catalogue.rules.saved, name = saved.name, version = saved.version)}
                </p>
            }.into_any(),
            Err(e) if e.field().is_none() => view! { <ErrorBox error=e/> }.into_any(),
            Err(_) => ().into_any(),
        })}
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let page = data.await;
                let tried = trial.await;
                let c = composition.get_untracked();
                match page {
                    Ok(page) => view! {
                        {tried.clone().map(|t| view! { <Review c=c.clone() t create/> })}
                        <RuleList rules=page.rules.clone()/>
                        <Composer page c tried create/>
                    }.into_any(),
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RuleList(rules: Vec<RuleRow>) -> impl IntoView {
    let empty = rules.is_empty();
    let l = use_locale();
    view! {
        <section class="card" id="aturan">
            <h2>{td_string!(l, catalogue.rules.heading)}</h2>
            <p class="muted">{td_string!(l, catalogue.rules.versions_note)}</p>
            {if empty {
                view! { <p class="empty" id="daftar-aturan">{td_string!(l, catalogue.rules.none)}</p> }.into_any()
            } else {
                view! {
                    <table class="table" id="daftar-aturan">
                        <thead>
                            <tr>
                                <th>{td_string!(l, catalogue.rules.rule)}</th>
                                <th>{td_string!(l, catalogue.rules.criteria)}</th>
                                <th>{td_string!(l, catalogue.rules.required_courses)}</th>
                                <th>{td_string!(l, catalogue.status)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rules.into_iter().map(|r| view! { <RuleLine r/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn RuleLine(r: RuleRow) -> impl IntoView {
    let tone = if r.active { "open" } else { "closed" };
    let l = use_locale();
    view! {
        <tr class=tone_class(tone) data-rule-id=r.id.to_string() data-version=r.version.to_string()
            data-active=r.active.to_string()>
            <td>
                <strong class="rule-name">{r.name.clone()}</strong>
                <div class="muted">{td_string!(l, catalogue.rules.version, n = r.version)}</div>
            </td>
            <td>
                <ul class="criteria">
                    {r.criteria.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                </ul>
            </td>
            <td>
                <ul class="items">
                    {r.items.into_iter().map(|i| view! {
                        <li data-course-id=i.course_id.to_string()>
                            <strong>{i.code}</strong> " " {i.title}
                            <span class="muted">
                                {td_string!(
                                    l,
                                    catalogue.rules.item_due,
                                    days = i.due_offset_days,
                                    kind = required_label(i.required, l)
                                )}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            </td>
            <td><span class="badge">{active_label(r.active, l)}</span></td>
        </tr>
    }
}

#[component]
fn Composer(
    page: RulesPage,
    c: Composition,
    tried: Option<Result<RuleTrial, AppError>>,
    create: ServerAction<CreateRule>,
) -> impl IntoView {
    let RulesPage {
        courses,
        units,
        job_families,
        transfers,
        ..
    } = page;
    let problem = tried.and_then(|r| r.err());
    let all = |_: &CreateRule| true;
    let l = use_locale();
    let rows = c
        .items
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, row)| view! { <ItemRow i row courses=courses.clone()/> })
        .collect_view();
    view! {
        <section class="card" id="aturan-baru">
            <h2>{td_string!(l, catalogue.composer.heading)}</h2>
            <p class="muted">{td_string!(l, catalogue.composer.note)}</p>
            <form method="get" action="/admin/aturan" id="form-aturan-baru" class="stack">
                <input type="hidden" name="susun" value="1"/>
                <label for="aturan-nama">{td_string!(l, catalogue.composer.name)}</label>
                <input id="aturan-nama" name="name" maxlength="200" value=c.name.clone()/>
                {field_problem(&problem, l, "name")}
                <FieldError action=create field="name" when=all/>
                <label for="aturan-aktif">
                    <input id="aturan-aktif" type="checkbox" name="active" value="on" checked=c.active/>
                    " " {td_string!(l, catalogue.composer.active)}
                </label>
                <fieldset>
                    <legend>{td_string!(l, catalogue.rules.criteria)}</legend>
                    <div class="stack">
                        <label for="aturan-rumpun">{td_string!(l, catalogue.composer.job_family)}</label>
                        <input id="aturan-rumpun" name="job_family" list="rumpun-jabatan" value=c.job_family.clone()/>
                        <datalist id="rumpun-jabatan">
                            {job_families.into_iter().map(|f| view! { <option value=f></option> }).collect_view()}
                        </datalist>
                        {field_problem(&problem, l, "job_family")}
                        <FieldError action=create field="job_family" when=all/>
                        <label for="aturan-jenis-jabatan">{td_string!(l, catalogue.composer.position_kind)}</label>
                        <select id="aturan-jenis-jabatan" name="position_kind">
                            <option value="">{td_string!(l, catalogue.composer.all_position_kinds)}</option>
                            {POSITION_KINDS.into_iter().map(|v| view! {
                                <option value=v selected=c.position_kind == v>{position_kind_label(v, l)}</option>
                            }).collect_view()}
                        </select>
                        {field_problem(&problem, l, "position_kind")}
                        <FieldError action=create field="position_kind" when=all/>
                        <label for="aturan-unit">{td_string!(l, catalogue.composer.unit)}</label>
                        <select id="aturan-unit" name="unit_id">
                            <option value="">{td_string!(l, catalogue.composer.all_units)}</option>
                            {units.into_iter().map(|u| view! {
                                <option value=u.id.to_string() selected=c.unit_id == u.id.to_string()>{u.label}</option>
                            }).collect_view()}
                        </select>
                        {field_problem(&problem, l, "unit_id")}
                        <FieldError action=create field="unit_id" when=all/>
                        <label for="aturan-jenis-mutasi">{td_string!(l, catalogue.composer.transfer_type)}</label>
                        <select id="aturan-jenis-mutasi" name="transfer_type">
                            <option value="">{td_string!(l, catalogue.composer.all_transfer_types)}</option>
                            {TRANSFER_TYPES.into_iter().map(|v| view! {
                                <option value=v selected=c.transfer_type == v>{transfer_type_label(v, l)}</option>
                            }).collect_view()}
                        </select>
                        {field_problem(&problem, l, "transfer_type")}
                        <FieldError action=create field="transfer_type" when=all/>
                    </div>
                </fieldset>
                <fieldset id="aturan-pelatihan">
                    <legend>{td_string!(l, catalogue.rules.required_courses)}</legend>
                    {rows}
                    {field_problem(&problem, l, "items")}
                    <FieldError action=create field="items" when=all/>
                </fieldset>
                <label for="uji-mutasi">{td_string!(l, catalogue.composer.test_against)}</label>
                <select id="uji-mutasi" name="transfer_id">
                    <option value="">{td_string!(l, catalogue.composer.choose_transfer)}</option>
                    {transfers.into_iter().map(|t: Choice| view! {
                        <option value=t.id.to_string() selected=c.transfer_id == t.id.to_string()>{t.label}</option>
                    }).collect_view()}
                </select>
                {field_problem(&problem, l, "transfer_id")}
                <button type="submit" id="uji-aturan">{td_string!(l, catalogue.composer.test)}</button>
            </form>
        </section>
    }
}

#[component]
fn ItemRow(i: usize, row: RuleItemField, courses: Vec<Choice>) -> impl IntoView {
    let course = row.course_id.clone().unwrap_or_default();
    let offset = row.due_offset_days.clone().unwrap_or_default();
    let required = !matches!(row.required.as_deref(), Some("pilihan"));
    let n = i + 1;
    let l = use_locale();
    view! {
        <div class="inline-form item-row" data-row=i.to_string()>
            <label for=item_id(i, "course")>{td_string!(l, catalogue.composer.item_course, n = n)}</label>
            <select id=item_id(i, "course") name=item_field(i, "course_id")>
                <option value="">{td_string!(l, catalogue.composer.no_course)}</option>
                {courses.into_iter().map(|c| view! {
                    <option value=c.id.to_string() selected=course == c.id.to_string()>{c.label}</option>
                }).collect_view()}
            </select>
            <label for=item_id(i, "offset")>{td_string!(l, catalogue.composer.item_due)}</label>
            <input id=item_id(i, "offset") name=item_field(i, "due_offset_days")
                inputmode="numeric" size="5" value=offset/>
            <label for=item_id(i, "required")>{td_string!(l, catalogue.composer.item_kind)}</label>
            <select id=item_id(i, "required") name=item_field(i, "required")>
                <option value="wajib" selected=required>{td_string!(l, catalogue.composer.kind_required)}</option>
                <option value="pilihan" selected=!required>{td_string!(l, catalogue.composer.kind_optional)}</option>
            </select>
        </div>
    }
}

/// The test's outcome and the button that saves the rule as composed.
#[component]
fn Review(
    c: Composition,
    t: Result<RuleTrial, AppError>,
    create: ServerAction<CreateRule>,
) -> impl IntoView {
    let l = use_locale();
    let result = match t {
        Ok(t) => {
            let empty = t.items.is_empty();
            let count = t.items.len();
            view! {
                <div id="hasil-uji-aturan" data-transfer-id=t.transfer_id.to_string()
                    data-matched=t.matched.to_string() data-items=count.to_string()>
                    <p><strong>{td_string!(l, catalogue.review.transfer, transfer = t.transfer)}</strong></p>
                    <ul class="muted">
                        {t.facts.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}
                    </ul>
                    <p>{td_string!(l, catalogue.review.criteria, criteria = t.criteria.join("; "))}</p>
                    {if !t.matched {
                        view! {
                            <p class="notice error">{td_string!(l, catalogue.review.no_match)}</p>
                        }.into_any()
                    } else if empty {
                        view! { <p class="empty">{td_string!(l, catalogue.review.no_items)}</p> }.into_any()
                    } else {
                        view! {
                            <p>{td_string!(l, catalogue.review.would_produce)}</p>
                            <ul class="assignments" id="hasil-uji-item">
                                {t.items.into_iter().map(|i| {
                                    let tone = if i.recognised { "done" } else { "open" };
                                    view! {
                                        <li class=assignment_class(tone) data-course-id=i.course_id.to_string()
                                            data-recognised=i.recognised.to_string() data-due=i.due_iso.clone()>
                                            <div class="assignment-head">
                                                <span class="course"><strong>{i.code.clone()}</strong> " " {i.title.clone()}</span>
                                                <span class="badge">
                                                    {if i.recognised {
                                                        td_string!(l, transfers.plan.recognised)
                                                    } else {
                                                        td_string!(l, transfers.plan.to_assign)
                                                    }}
                                                </span>
                                            </div>
                                            <div class="muted">
                                                <time datetime=i.due_iso.clone()>{td_string!(l, transfers.plan.due, date = i.due.clone())}</time>
                                                {format!(" · {}", required_label(i.required, l))}
                                            </div>
                                            {i.recognised.then(|| view! { <p class="next-step">{i.recognised_note.clone()}</p> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </div>
            }
            .into_any()
        }
        Err(e) if e.field() == Some("transfer_id") => view! {
            <p class="muted" id="hasil-uji-aturan" data-items="0">
                {td_string!(l, catalogue.review.not_tested)}
            </p>
        }
        .into_any(),
        Err(e) => view! {
            <div id="hasil-uji-aturan" data-items="0"><ErrorBox error=e/></div>
        }
        .into_any(),
    };
    let rows: Vec<(usize, RuleItemField)> = c
        .items
        .iter()
        .filter(|r| r.course_id.as_deref().is_some_and(|v| !v.trim().is_empty()))
        .cloned()
        .enumerate()
        .collect();
    view! {
        <section class="card" id="tinjau-aturan">
            <h2>{td_string!(l, catalogue.review.heading)}</h2>
            <p class="muted">{td_string!(l, catalogue.review.nothing_saved)}</p>
            {result}
            <ActionForm action=create attr:id="form-simpan-aturan" attr:class="inline-form">
                <input type="hidden" name="name" value=c.name.clone()/>
                {c.active.then(|| view! { <input type="hidden" name="active" value="on"/> })}
                <input type="hidden" name="job_family" value=c.job_family.clone()/>
                <input type="hidden" name="position_kind" value=c.position_kind.clone()/>
                <input type="hidden" name="unit_id" value=c.unit_id.clone()/>
                <input type="hidden" name="transfer_type" value=c.transfer_type.clone()/>
                {rows.into_iter().map(|(i, r)| view! {
                    <input type="hidden" name=item_field(i, "course_id") value=r.course_id.unwrap_or_default()/>
                    <input type="hidden" name=item_field(i, "due_offset_days") value=r.due_offset_days.unwrap_or_default()/>
                    <input type="hidden" name=item_field(i, "required") value=r.required.unwrap_or_default()/>
                }).collect_view()}
                <button type="submit" id="simpan-aturan">{td_string!(l, catalogue.review.save)}</button>
            </ActionForm>
        </section>
    }
}
