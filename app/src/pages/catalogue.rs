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

use crate::api::catalogue::{
    get_course, get_courses, get_rule, get_rules, test_rule, CreateCourse, CreateRule,
    SetCourseActive, UpdateCourse, UpdateRule,
};
use crate::components::admin_list::{
    headers, param, param_page, FilterSelect, ListHref, ListTable, Loaded,
};
use crate::components::errors::{Answer, ErrorBox, FieldError, Notice, PageError};
use crate::components::form_echo::{echo, server_action};
use crate::components::plan_item::PlanItemLine;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;
use crate::model::accounts::Choice;
use crate::model::catalogue::{
    competency_label, jp_label, method_label, position_kind_label, CourseRow, CoursesPage,
    RuleDraft, RuleForm, RuleItemField, RuleRow, RuleTrial, RulesPage, SavedRule, COMPETENCIES,
    COURSE_STATUSES, ITEM_ROWS, ITEM_ROWS_STEP, MAX_ITEM_ROWS, METHODS, POSITION_KINDS,
};
use crate::model::transfers::{transfer_type_label, PreviewItem, TRANSFER_TYPES};
use crate::{components::pager::Pager, domain::links::href};

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

/// The course list's address, keeping its search and status filter.
fn courses_href(q: Option<String>, status: Option<String>) -> ListHref {
    ListHref::new("/admin/pelatihan")
        .with("q", q)
        .with("status", status)
}

#[component]
pub fn CoursesAdminPage() -> impl IntoView {
    let create = server_action::<CreateCourse>();
    let update = server_action::<UpdateCourse>();
    let switch = server_action::<SetCourseActive>();
    let query = use_query_map();
    let l = use_locale();
    let data = Resource::new(
        move || {
            let q = query.get();
            (
                param(&q, "q"),
                param_page(&q),
                param(&q, "status"),
            )
        },
        |(q, page, status)| get_courses(q, page, status),
    );
    // The course being edited (`?ubah=<id>`). Not read again after a save:
    // the form keeps what was typed (also when it is refused).
    let editing = Resource::new(
        move || query.with(|q| q.get("ubah").and_then(|v| v.trim().parse::<i64>().ok())),
        |id| async move {
            match id {
                Some(id) => Some(get_course(id).await),
                None => None,
            }
        },
    );
    // Saved without JavaScript: the server sent the browser to `?diubah=<id>`.
    let updated_plain = move || query.with(|q| q.get("diubah").is_some());
    view! {
        <Title text=td_string!(l, catalogue.courses.title)/>
        <h1>{td_string!(l, catalogue.courses.title)}</h1>
        <Answer action=create ok=move |id: i64| view! {
            <Notice id="pelatihan-dibuat" attr:data-course-id=id.to_string()>{td_string!(l, catalogue.courses.created)}</Notice>
        }/>
        {move || {
            let saved = match update.value().get() {
                Some(Ok(_)) => true,
                Some(Err(e)) if e.field().is_none() => {
                    return view! { <ErrorBox error=e/> }.into_any();
                }
                _ => false,
            };
            (saved || updated_plain()).then(|| view! {
                <p class="notice ok" role="status" id="pelatihan-diubah">
                    {td_string!(l, catalogue.courses.updated)}
                </p>
            }).into_any()
        }}
        <Answer action=switch every_refusal=true ok=move |active: bool| view! {
            <Notice id="pelatihan-status" attr:data-active=active.to_string()>
                {if active {
                    td_string!(l, catalogue.courses.activated)
                } else {
                    td_string!(l, catalogue.courses.deactivated)
                }}
            </Notice>
        }/>
        // The edit form on its own: the list is read again after every
        // change, the form is not (it keeps what was typed).
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let back = query.with_untracked(|q| {
                    courses_href(param(q, "q"), param(q, "status")).page(param_page(q).unwrap_or(1))
                });
                editing.await.map(|r| match r {
                    Ok(c) => view! { <EditCourseForm c update back/> }.into_any(),
                    Err(e) => view! {
                        <section class="card" id="ubah-pelatihan"><ErrorBox error=e/></section>
                    }.into_any(),
                })
            })}
        </Transition>
        <Loaded data show=move |page: CoursesPage| view! { <CourseList page switch/> }/>
        <NewCourseForm create/>
    }
}

#[component]
fn CourseList(page: CoursesPage, switch: ServerAction<SetCourseActive>) -> impl IntoView {
    let CoursesPage {
        rows,
        total,
        page,
        pages,
        q,
        status,
    } = page;
    let empty = rows.is_empty();
    let l = use_locale();
    let addr = courses_href(Some(q.clone()), Some(status.clone()));
    let pager_addr = addr.clone();
    view! {
        <section class="card" id="pelatihan">
            <h2>{td_string!(l, catalogue.courses.heading)}</h2>
            <form method="get" action="/admin/pelatihan" class="filter" role="search" id="saring-pelatihan">
                <label for="cari-pelatihan">{td_string!(l, common.actions.search)}</label>
                <input id="cari-pelatihan" name="q" type="search" value=q
                    placeholder=td_string!(l, catalogue.courses.search_placeholder)/>
                <label for="status-pelatihan">{td_string!(l, catalogue.status)}</label>
                <select id="status-pelatihan" name="status">
                    <option value="">{td_string!(l, catalogue.courses.all_statuses)}</option>
                    {COURSE_STATUSES.into_iter().map(|v| view! {
                        <option value=v selected=status == v>
                            {if v == "aktif" {
                                td_string!(l, catalogue.courses.only_active)
                            } else {
                                td_string!(l, catalogue.courses.only_inactive)
                            }}
                        </option>
                    }).collect_view()}
                </select>
                <button type="submit" class="secondary">{td_string!(l, catalogue.show)}</button>
            </form>
            <p class="muted" id="jumlah-pelatihan" data-total=total.to_string()>
                {td_string!(l, catalogue.courses.found, total = total, page = page, pages = pages)}
            </p>
            <ListTable id="daftar-pelatihan".into() class="table catalogue-table"
                none=td_string!(l, catalogue.courses.none) empty
                headers=headers![l, catalogue.courses: code, course_title, competency, jp, method,
                    provider, validity, (td_string!(l, catalogue.status))]>
                {rows.into_iter().map(|c| {
                    let edit = addr.edit(page, Some(c.id));
                    view! { <CourseLine c edit switch/> }
                }).collect_view()}
            </ListTable>
            <Pager page pages href=move |n| pager_addr.page(n) id="halaman-pelatihan"/>
        </section>
    }
}

#[component]
fn CourseLine(c: CourseRow, edit: String, switch: ServerAction<SetCourseActive>) -> impl IntoView {
    let tone = if c.active { "open" } else { "closed" };
    let l = use_locale();
    let id = c.id;
    view! {
        <tr class=tone_class(tone) data-course-id=c.id.to_string() data-course-code=c.code.clone()
            data-active=c.active.to_string()>
            <td class="code">
                <strong>{c.code.clone()}</strong>
                <div><a href=edit class="ubah-pelatihan">{td_string!(l, catalogue.courses.edit)}</a></div>
            </td>
            <td>
                <div class="title">{c.title_id.clone()}</div>
                {(c.title_en != c.title_id).then(|| view! { <div class="muted" lang="en">{c.title_en.clone()}</div> })}
            </td>
            <td>{c.competency_label.clone()}</td>
            <td class="jp">{jp_label(c.jp)}</td>
            <td>{c.method_label.clone()}</td>
            <td>{c.provider.clone()}</td>
            <td class="validity">{c.validity.clone()}</td>
            <td class="status">
                <span class="badge">{active_label(c.active, l)}</span>
                <ActionForm action=switch attr:class="switch">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="active" value=(!c.active).to_string()/>
                    <button type="submit" class="secondary ubah-status">
                        {if c.active {
                            td_string!(l, catalogue.courses.deactivate)
                        } else {
                            td_string!(l, catalogue.courses.activate)
                        }}
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}

/// `prefix-name`: the element id of a field of one of the course forms.
fn field_id(prefix: &str, name: &str) -> String {
    format!("{prefix}-{name}") // i18n-ok: an element id
}

/// The fields of a course, for adding or editing one. Without JavaScript a
/// refused form comes back with what was typed; else the stored values
/// (editing), else nothing.
#[component]
fn CourseFields<A>(
    action: ServerAction<A>,
    prefix: &'static str,
    #[prop(optional)] current: Option<CourseRow>,
) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    let all = |_: &A| true;
    let l = use_locale();
    let ids = |f: &str| field_id(prefix, f);
    let c = current;
    let value = move |name: &str, f: fn(&CourseRow) -> Option<String>| {
        echo::<A>(name).or_else(|| c.as_ref().and_then(f))
    };
    let code = value("code", |c| Some(c.code.clone()));
    let title_id = value("title_id", |c| Some(c.title_id.clone()));
    let title_en = value("title_en", |c| {
        (c.title_en != c.title_id).then(|| c.title_en.clone())
    });
    let competency = value("competency", |c| Some(c.competency.clone()));
    let jp = value("jp", |c| Some(jp_label(c.jp)));
    let method = value("method", |c| Some(c.method.clone()));
    let provider = value("provider", |c| Some(c.provider.clone()));
    let validity = value("validity_months", |c| {
        c.validity_months.map(|m| m.to_string())
    });
    view! {
        <label for=ids("kode")>{td_string!(l, catalogue.courses.code)}</label>
        <input id=ids("kode") name="code" required maxlength="40" value=code
            placeholder=td_string!(l, catalogue.course_form.code_placeholder)/>
        <FieldError action field="code" when=all/>
        <label for=ids("judul")>{td_string!(l, catalogue.course_form.title_id)}</label>
        <input id=ids("judul") name="title_id" required maxlength="200" value=title_id/>
        <FieldError action field="title_id" when=all/>
        <label for=ids("judul-en")>{td_string!(l, catalogue.course_form.title_en)}</label>
        <input id=ids("judul-en") name="title_en" maxlength="200" lang="en" value=title_en/>
        <FieldError action field="title_en" when=all/>
        <label for=ids("kompetensi")>{td_string!(l, catalogue.courses.competency)}</label>
        <select id=ids("kompetensi") name="competency">
            {COMPETENCIES.into_iter().map(|v| view! {
                <option value=v selected={competency.as_deref() == Some(v)}>{competency_label(v, l)}</option>
            }).collect_view()}
        </select>
        <FieldError action field="competency" when=all/>
        <label for=ids("jp")>{td_string!(l, catalogue.course_form.jp)}</label>
        <input id=ids("jp") name="jp" required inputmode="decimal" value=jp
            placeholder=td_string!(l, catalogue.course_form.jp_placeholder)/>
        <FieldError action field="jp" when=all/>
        <label for=ids("metode")>{td_string!(l, catalogue.courses.method)}</label>
        <select id=ids("metode") name="method">
            {METHODS.into_iter().map(|v| view! {
                <option value=v selected={method.as_deref() == Some(v)}>{method_label(v, l)}</option>
            }).collect_view()}
        </select>
        <FieldError action field="method" when=all/>
        <label for=ids("penyelenggara")>{td_string!(l, catalogue.courses.provider)}</label>
        <input id=ids("penyelenggara") name="provider" maxlength="200" value=provider
            placeholder=td_string!(l, catalogue.course_form.provider_placeholder)/>
        <FieldError action field="provider" when=all/>
        <label for=ids("berlaku")>{td_string!(l, catalogue.course_form.validity)}</label>
        <input id=ids("berlaku") name="validity_months" inputmode="numeric" value=validity/>
        <FieldError action field="validity_months" when=all/>
    }
}

#[component]
fn NewCourseForm(create: ServerAction<CreateCourse>) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card" id="pelatihan-baru">
            <h2>{td_string!(l, catalogue.course_form.heading)}</h2>
            <ActionForm action=create attr:id="form-pelatihan-baru" attr:class="stack">
                <CourseFields action=create prefix="pelatihan"/>
                <button type="submit" id="simpan-pelatihan">{td_string!(l, catalogue.course_form.submit)}</button>
            </ActionForm>
        </section>
    }
}

/// Editing a course (`?ubah=<id>`): the same fields as adding one, filled in.
#[component]
fn EditCourseForm(c: CourseRow, update: ServerAction<UpdateCourse>, back: String) -> impl IntoView {
    let l = use_locale();
    let id = c.id;
    let active = c.active;
    view! {
        <section class="card" id="ubah-pelatihan" data-course-id=id.to_string()>
            <h2>{td_string!(l, catalogue.course_form.edit_heading, code = c.code.clone())}</h2>
            <p class="muted">{td_string!(l, catalogue.course_form.edit_note)}</p>
            {(!active).then(|| view! {
                <p class="notice" id="pelatihan-nonaktif">{td_string!(l, catalogue.course_form.inactive_note)}</p>
            })}
            <ActionForm action=update attr:id="form-ubah-pelatihan" attr:class="stack">
                <input type="hidden" name="id" value=id.to_string()/>
                <CourseFields action=update prefix="ubah-pelatihan" current=c/>
                <button type="submit" id="simpan-ubah-pelatihan">{td_string!(l, catalogue.course_form.save)}</button>
            </ActionForm>
            <p><a href=back id="tutup-ubah-pelatihan">{td_string!(l, catalogue.course_form.close)}</a></p>
        </section>
    }
}

/// The rule being composed, as the address holds it (or, when editing and
/// nothing has been sent yet, as the rule's current version has it).
#[derive(Clone, Debug, Default, PartialEq)]
struct Composition {
    /// The composing form was sent (the address holds a rule).
    sent: bool,
    /// The form was sent by "Tambah baris" (`?baris=N`): show more rows,
    /// test nothing.
    more_rows: bool,
    /// The rule being edited (`?ubah=<id>`).
    editing: Option<i64>,
    name: String,
    active: bool,
    job_family: String,
    position_kind: String,
    unit_id: String,
    transfer_type: String,
    /// The rows of the form, in order (empty ones included).
    items: Vec<RuleItemField>,
    transfer_id: String,
}

/// At least the usual rows, or `at_least`, and every filled row.
fn pad_rows(items: &mut Vec<RuleItemField>, at_least: usize) {
    let shown = at_least.clamp(ITEM_ROWS, MAX_ITEM_ROWS);
    while items.len() > shown && items.last() == Some(&RuleItemField::default()) {
        items.pop();
    }
    while items.len() < shown {
        items.push(RuleItemField::default());
    }
}

impl Composition {
    fn from_query(q: &ParamsMap) -> Composition {
        let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        let sent = q.get("susun").is_some();
        let rows = q.get("baris").and_then(|v| v.trim().parse::<usize>().ok());
        let mut items = Vec::new();
        for i in 0..MAX_ITEM_ROWS {
            let field = |f: &str| q.get(&item_field(i, f));
            items.push(RuleItemField {
                course_id: field("course_id"),
                due_offset_days: field("due_offset_days"),
                required: field("required"),
            });
        }
        pad_rows(&mut items, rows.unwrap_or(ITEM_ROWS));
        Composition {
            sent,
            more_rows: rows.is_some(),
            editing: q.get("ubah").and_then(|v| v.trim().parse::<i64>().ok()),
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

    /// The form filled with the rule's current version (and a free row).
    fn from_draft(d: &RuleDraft) -> Composition {
        let mut items = d.items.clone();
        pad_rows(&mut items, d.items.len() + 1);
        Composition {
            sent: false,
            more_rows: false,
            editing: Some(d.id),
            name: d.name.clone(),
            active: d.active,
            job_family: d.job_family.clone(),
            position_kind: d.position_kind.clone(),
            unit_id: d.unit_id.clone(),
            transfer_type: d.transfer_type.clone(),
            items,
            transfer_id: String::new(),
        }
    }

    /// Test the rule against the chosen transfer.
    fn wants_trial(&self) -> bool {
        self.sent && !self.more_rows
    }

    /// The rule as the form sends it.
    fn form(&self) -> RuleForm {
        let opt = |s: &str| Some(s.to_string());
        RuleForm {
            name: opt(&self.name),
            active: self.active.then(|| "on".to_string()),
            job_family: opt(&self.job_family),
            position_kind: opt(&self.position_kind),
            unit_id: opt(&self.unit_id),
            transfer_type: opt(&self.transfer_type),
            items: Some(self.items.clone()),
        }
    }

    async fn trial(self) -> Result<RuleTrial, AppError> {
        test_rule(
            self.form(),
            Self::opt_text(&self.transfer_id),
            self.editing.map(|id| id.to_string()),
        )
        .await
    }

    fn opt_text(s: &str) -> Option<String> {
        Some(s.to_string())
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

/// The notice for a saved rule: "versi 1" for a new rule, else "versi N disimpan".
fn saved_notice(l: Locale, rule_id: i64, name: String, version: i32) -> impl IntoView {
    view! {
        <p class="notice ok" role="status" id="aturan-disimpan" data-rule-id=rule_id.to_string()
            data-version=version.to_string()>
            {if version <= 1 {
                td_string!(l, catalogue.rules.saved, name = name, version = version).to_string()
            } else {
                td_string!(l, catalogue.rules.saved_version, name = name, n = version).to_string()
            }}
        </p>
    }
}

/// A refusal of a rule's save that concerns no one field (those show next
/// to their field). A save that succeeded is said by the page it leads to
/// (`?disimpan=<id>&versi=<n>`, see [`saved_notice`]).
fn save_refusal(r: Result<SavedRule, AppError>) -> Option<AnyView> {
    r.err()
        .filter(|e| e.field().is_none())
        .map(|e| view! { <ErrorBox error=e/> }.into_any())
}

/// The two ways of saving a rule: a new one (version 1), or the next
/// version of the rule being edited.
#[derive(Clone, Copy)]
struct Savers {
    create: ServerAction<CreateRule>,
    update: ServerAction<UpdateRule>,
}

#[component]
pub fn RulesAdminPage() -> impl IntoView {
    let create = server_action::<CreateRule>();
    let update = server_action::<UpdateRule>();
    let savers = Savers { create, update };
    let query = use_query_map();
    let l = use_locale();
    let data = Resource::new(|| (), |_| get_rules());
    let composition = Memo::new(move |_| query.with(Composition::from_query));
    // The rule being edited.
    let draft = Resource::new(
        move || composition.with(|c| c.editing),
        |id| async move {
            match id {
                Some(id) => Some(get_rule(id).await),
                None => None,
            }
        },
    );
    let trial = Resource::new(
        move || composition.get(),
        |c| async move {
            if c.wants_trial() {
                Some(c.trial().await)
            } else {
                None
            }
        },
    );
    // Saved: the server sent the browser to `?disimpan=<id>&versi=<n>`.
    let saved_plain = move || {
        query.with(|q| {
            let id = q.get("disimpan")?.trim().parse::<i64>().ok()?;
            let version = q.get("versi")?.trim().parse::<i32>().ok()?;
            Some((id, version))
        })
    };
    view! {
        <Title text=td_string!(l, catalogue.rules.title)/>
        <h1>{td_string!(l, catalogue.rules.title)}</h1>
        {move || create.value().get().and_then(save_refusal)}
        {move || update.value().get().and_then(save_refusal)}
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let page = data.await;
                let editing = draft.await;
                let tried = trial.await;
                let asked = composition.get_untracked();
                match (page, editing) {
                    (Err(e), _) | (_, Some(Err(e))) => view! { <PageError error=e/> }.into_any(),
                    (Ok(page), editing) => {
                        let editing = editing.and_then(Result::ok);
                        let c = match &editing {
                            Some(d) if !asked.sent => Composition::from_draft(d),
                            _ => asked,
                        };
                        let notice = saved_plain().and_then(|(id, version)| {
                            page.rules
                                .iter()
                                .find(|r| r.id == id)
                                .map(|r| saved_notice(l, id, r.name.clone(), version))
                        });
                        let composer = view! {
                            <Composer page=page.clone() c=c.clone() tried=tried.clone()
                                editing=editing.clone() savers/>
                        };
                        let list = view! { <RuleList rules=page.rules.clone()/> };
                        let review = tried.map(|t| view! {
                            <Review c=c.clone() t editing=editing.clone() savers/>
                        });
                        if editing.is_some() {
                            view! { {notice} {review} {composer} {list} }.into_any()
                        } else {
                            view! { {notice} {review} {list} {composer} }.into_any()
                        }
                    }
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
            <ListTable id="daftar-aturan".into() class="table catalogue-table"
                none=td_string!(l, catalogue.rules.none) empty
                headers=headers![l, catalogue.rules: rule, criteria, required_courses,
                    (td_string!(l, catalogue.status))]>
                {rules.into_iter().map(|r| view! { <RuleLine r/> }).collect_view()}
            </ListTable>
        </section>
    }
}

#[component]
fn RuleLine(r: RuleRow) -> impl IntoView {
    let tone = if r.active { "open" } else { "closed" };
    let l = use_locale();
    let edit = href("/admin/aturan", &[("ubah", r.id.to_string())]);
    view! {
        <tr class=tone_class(tone) data-rule-id=r.id.to_string() data-version=r.version.to_string()
            data-active=r.active.to_string()>
            <td>
                <strong class="rule-name">{r.name.clone()}</strong>
                <div class="muted rule-version">{td_string!(l, catalogue.rules.version, n = r.version)}</div>
                <div><a href=edit class="ubah-aturan">{td_string!(l, catalogue.rules.edit)}</a></div>
            </td>
            <td>
                <ul class="criteria">
                    {r.criteria.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                </ul>
            </td>
            <td>
                <ul class="items">
                    {r.items.into_iter().map(|i| view! {
                        <li data-course-id=i.course_id.to_string() data-active=i.active.to_string()>
                            <strong>{i.code}</strong> " " {i.title}
                            <span class="muted">
                                {td_string!(
                                    l,
                                    catalogue.rules.item_due,
                                    days = i.due_offset_days,
                                    kind = required_label(i.required, l)
                                )}
                                {(!i.active).then(|| td_string!(l, catalogue.rules.inactive_course))}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            </td>
            <td><span class="badge">{active_label(r.active, l)}</span></td>
        </tr>
    }
}

/// The words of a criterion that may hold several values ("a,b"), for the
/// option that keeps them as they are.
fn several(raw: &str, word: impl Fn(&str) -> String) -> String {
    raw.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(word)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the composer shows the refusals of a field: the test's, and a save's.
struct Refusals {
    problem: Option<AppError>,
    savers: Savers,
    l: Locale,
}

impl Refusals {
    fn of(&self, field: &'static str) -> impl IntoView {
        let Savers { create, update } = self.savers;
        view! {
            {field_problem(&self.problem, self.l, field)}
            <FieldError action=create field when=|_: &CreateRule| true/>
            <FieldError action=update field when=|_: &UpdateRule| true/>
        }
    }
}

/// A criterion's choice, `(id, name)`, `(label, "any" option)`: any, then
/// the values it holds when they are several (kept from the stored rule, as
/// one more option), then each of `values` in words.
fn criterion_select(
    (id, name): (&'static str, &'static str),
    (label, any): (&'static str, &'static str),
    current: &str,
    values: Vec<String>,
    word: impl Fn(&str) -> String,
) -> impl IntoView {
    let kept = current
        .contains(',')
        .then(|| (current.to_string(), several(current, &word)));
    let options = values
        .into_iter()
        .map(|v| {
            let (selected, words) = (current == v, word(&v));
            view! { <option value=v selected=selected>{words}</option> }
        })
        .collect_view();
    view! {
        <FilterSelect id name label all=any>
            {kept.map(|(v, words)| view! { <option value=v selected=true>{words}</option> })}
            {options}
        </FilterSelect>
    }
}

#[component]
fn Composer(
    page: RulesPage,
    c: Composition,
    tried: Option<Result<RuleTrial, AppError>>,
    editing: Option<RuleDraft>,
    savers: Savers,
) -> impl IntoView {
    let RulesPage {
        mut courses,
        units,
        job_families,
        transfers,
        ..
    } = page;
    let l = use_locale();
    let refusals = Refusals {
        problem: tried.and_then(|r| r.err()),
        savers,
        l,
    };
    if let Some(d) = &editing {
        // The rule's own courses no longer offered, so that an edit can keep them.
        courses.extend(d.inactive_courses.iter().cloned());
    }
    let unit_label = {
        let units = units.clone();
        move |id: &str| {
            units
                .iter()
                .find(|u| u.id.to_string() == id)
                .map(|u| u.label.clone())
                .unwrap_or_else(|| id.to_string())
        }
    };
    let unit_ids: Vec<String> = units.iter().map(|u| u.id.to_string()).collect();
    let words = |label: fn(&str, Locale) -> Option<&'static str>| {
        move |v: &str| label(v, l).unwrap_or(v).to_string()
    };
    let shown_rows = c.items.len();
    let rows = c
        .items
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, row)| view! { <ItemRow i row courses=courses.clone()/> })
        .collect_view();
    let (section_id, form_id) = if editing.is_some() {
        ("ubah-aturan", "form-ubah-aturan")
    } else {
        ("aturan-baru", "form-aturan-baru")
    };
    let heading = match &editing {
        Some(d) => td_string!(
            l,
            catalogue.composer.edit_heading,
            name = d.name.clone(),
            n = d.version
        )
        .to_string(),
        None => td_string!(l, catalogue.composer.heading).to_string(),
    };
    let note = match &editing {
        Some(d) => td_string!(l, catalogue.composer.edit_note, n = d.version + 1).to_string(),
        None => td_string!(l, catalogue.composer.note).to_string(),
    };
    let kept = editing
        .as_ref()
        .map(|d| d.kept_criteria.clone())
        .filter(|k| !k.is_empty());
    view! {
        <section class="card" id=section_id data-rule-id=editing.as_ref().map(|d| d.id.to_string())
            data-version=editing.as_ref().map(|d| d.version.to_string())>
            <h2>{heading}</h2>
            <p class="muted">{note}</p>
            <form method="get" action="/admin/aturan" id=form_id class="stack">
                <input type="hidden" name="susun" value="1"/>
                {c.editing.map(|id| view! { <input type="hidden" name="ubah" value=id.to_string()/> })}
                <label for="aturan-nama">{td_string!(l, catalogue.composer.name)}</label>
                <input id="aturan-nama" name="name" maxlength="200" value=c.name.clone()/>
                {refusals.of("name")}
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
                        {refusals.of("job_family")}
                        {criterion_select(
                            ("aturan-jenis-jabatan", "position_kind"),
                            (
                                td_string!(l, catalogue.composer.position_kind),
                                td_string!(l, catalogue.composer.all_position_kinds),
                            ),
                            &c.position_kind,
                            POSITION_KINDS.map(String::from).to_vec(),
                            words(position_kind_label),
                        )}
                        {refusals.of("position_kind")}
                        {criterion_select(
                            ("aturan-unit", "unit_id"),
                            (
                                td_string!(l, catalogue.composer.unit),
                                td_string!(l, catalogue.composer.all_units),
                            ),
                            &c.unit_id,
                            unit_ids,
                            unit_label,
                        )}
                        {refusals.of("unit_id")}
                        {criterion_select(
                            ("aturan-jenis-mutasi", "transfer_type"),
                            (
                                td_string!(l, catalogue.composer.transfer_type),
                                td_string!(l, catalogue.composer.all_transfer_types),
                            ),
                            &c.transfer_type,
                            TRANSFER_TYPES.map(String::from).to_vec(),
                            words(transfer_type_label),
                        )}
                        {refusals.of("transfer_type")}
                        {kept.map(|k| view! {
                            <div id="kriteria-tetap">
                                <p class="muted">{td_string!(l, catalogue.composer.kept_criteria)}</p>
                                <ul class="criteria">{k.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                            </div>
                        })}
                    </div>
                </fieldset>
                <fieldset id="aturan-pelatihan" data-rows=shown_rows.to_string()>
                    <legend>{td_string!(l, catalogue.rules.required_courses)}</legend>
                    <p class="muted">{td_string!(l, catalogue.composer.rows_note)}</p>
                    {rows}
                    <AddRowButton
                        value=(shown_rows + ITEM_ROWS_STEP).min(MAX_ITEM_ROWS).to_string()
                        label=td_string!(l, catalogue.composer.add_row).to_string()/>
                    {refusals.of("items")}
                </fieldset>
                <label for="uji-mutasi">{td_string!(l, catalogue.composer.test_against)}</label>
                <select id="uji-mutasi" name="transfer_id">
                    <option value="">{td_string!(l, catalogue.composer.choose_transfer)}</option>
                    {transfers.into_iter().map(|t: Choice| view! {
                        <option value=t.id.to_string() selected=c.transfer_id == t.id.to_string()>{t.label}</option>
                    }).collect_view()}
                </select>
                {field_problem(&refusals.problem, l, "transfer_id")}
                <button type="submit" id="uji-aturan">{td_string!(l, catalogue.composer.test)}</button>
            </form>
            {editing.is_some().then(|| view! {
                <p><a href="/admin/aturan" id="batal-ubah-aturan">{td_string!(l, catalogue.composer.cancel_edit)}</a></p>
            })}
        </section>
    }
}

/// "Tambah baris". Without JavaScript it sends the composing form with
/// `baris=N` and the page comes back with more rows; with it (an island), a
/// blank row is added in place, up to [`MAX_ITEM_ROWS`]: a copy of the last
/// row, renumbered and emptied, so the course list is not sent twice.
#[island]
fn AddRowButton(value: String, label: String) -> impl IntoView {
    view! {
        <button type="submit" class="secondary" id="tambah-baris" name="baris" value=value
            on:click=move |ev| {
                #[cfg(feature = "hydrate")]
                if add_blank_row() {
                    ev.prevent_default();
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }>
            {label}
        </button>
    }
}

/// Adds a blank course row after the last one; false when there is no room
/// (the form is then sent, and the server says so).
#[cfg(feature = "hydrate")]
fn add_blank_row() -> bool {
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
    let Ok(rows) = document().query_selector_all("#aturan-pelatihan .item-row") else {
        return false;
    };
    let k = rows.length() as usize;
    let last = rows
        .item(rows.length().saturating_sub(1))
        .and_then(|n| n.dyn_into::<Element>().ok());
    let Some(last) = last.filter(|_| k > 0 && k < MAX_ITEM_ROWS) else {
        return false;
    };
    let Some(copy) = last
        .clone_node_with_deep(true)
        .ok()
        .and_then(|n| n.dyn_into::<Element>().ok())
    else {
        return false;
    };
    // Row k-1's names and ids become row k's; its label's number k becomes k+1.
    let old = k - 1;
    let renumber = |v: String| {
        v.replace(&item_id(old, ""), &item_id(k, ""))
            .replace(&format!("items[{old}]"), &format!("items[{k}]")) // i18n-ok: form field names
    };
    let _ = copy.set_attribute("data-row", &k.to_string());
    if let Ok(fields) = copy.query_selector_all("[id], [for], [name]") {
        for i in 0..fields.length() {
            let Some(el) = fields.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            for attr in ["id", "for", "name"] {
                if let Some(v) = el.get_attribute(attr) {
                    let _ = el.set_attribute(attr, &renumber(v));
                }
            }
            if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
                select.set_selected_index(0);
            } else if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
                input.set_value("");
            }
        }
    }
    if let Ok(Some(label)) = copy.query_selector("label") {
        let text = label.text_content().unwrap_or_default();
        label.set_text_content(Some(&text.replace(&k.to_string(), &(k + 1).to_string())));
    }
    last.after_with_node_1(&copy).is_ok()
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

/// The hidden fields of the save form: the rule exactly as tested.
fn composed_fields(c: &Composition) -> impl IntoView {
    let rows: Vec<(usize, RuleItemField)> = c
        .items
        .iter()
        .filter(|r| r.course_id.as_deref().is_some_and(|v| !v.trim().is_empty()))
        .cloned()
        .enumerate()
        .collect();
    view! {
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
    }
}

/// The test's outcome and the button that saves the rule as composed (a
/// new rule, or the next version of the rule being edited).
#[component]
fn Review(
    c: Composition,
    t: Result<RuleTrial, AppError>,
    editing: Option<RuleDraft>,
    savers: Savers,
) -> impl IntoView {
    let l = use_locale();
    let Savers { create, update } = savers;
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
                                {t.items.into_iter().map(|i| view! {
                                    <PlanItemLine item=PreviewItem::new(i, Vec::new(), None) data_due=true/>
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
    let save = match editing {
        Some(d) => view! {
            <ActionForm action=update attr:id="form-simpan-aturan" attr:class="inline-form">
                <input type="hidden" name="id" value=d.id.to_string()/>
                <input type="hidden" name="version" value=d.version.to_string()/>
                {composed_fields(&c)}
                <button type="submit" id="simpan-aturan" data-version=(d.version + 1).to_string()>
                    {td_string!(l, catalogue.review.save_version, n = d.version + 1)}
                </button>
            </ActionForm>
        }
        .into_any(),
        None => view! {
            <ActionForm action=create attr:id="form-simpan-aturan" attr:class="inline-form">
                {composed_fields(&c)}
                <button type="submit" id="simpan-aturan">{td_string!(l, catalogue.review.save)}</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <section class="card" id="tinjau-aturan">
            <h2>{td_string!(l, catalogue.review.heading)}</h2>
            <p class="muted">{td_string!(l, catalogue.review.nothing_saved)}</p>
            {result}
            {save}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{item_field, Composition, ITEM_ROWS};
    use leptos_router::params::ParamsMap;

    fn query(pairs: &[(&str, &str)]) -> ParamsMap {
        let mut q = ParamsMap::new();
        for (k, v) in pairs {
            q.insert(k.to_string(), v.to_string());
        }
        q
    }

    #[test]
    fn more_rows_keep_what_was_typed_and_test_nothing() {
        let c = Composition::from_query(&query(&[
            ("susun", "1"),
            ("ubah", "7"),
            ("name", "Orientasi"),
            (&item_field(0, "course_id"), "3"),
            (&item_field(6, "course_id"), "9"),
            (&item_field(6, "due_offset_days"), "30"),
            ("baris", "10"),
        ]));
        assert_eq!(c.items.len(), 10);
        assert_eq!(c.items[0].course_id.as_deref(), Some("3"));
        assert_eq!(
            c.items[6].due_offset_days.as_deref(),
            Some("30"),
            "rows keep their place"
        );
        assert_eq!((c.editing, c.name.as_str()), (Some(7), "Orientasi"));
        assert!(c.sent && !c.wants_trial(), "adding rows tests nothing");
        // Sent by "Uji": every filled row, at least the usual number.
        let c = Composition::from_query(&query(&[
            ("susun", "1"),
            (&item_field(6, "course_id"), "9"),
        ]));
        assert_eq!(c.items.len(), 7);
        assert!(c.wants_trial());
        let c = Composition::from_query(&query(&[]));
        assert_eq!(c.items.len(), ITEM_ROWS);
        assert!(!c.sent && c.active && c.editing.is_none());
        // Never more than the most rows, whatever the address says.
        let c = Composition::from_query(&query(&[("baris", "100000")]));
        assert_eq!(c.items.len(), super::MAX_ITEM_ROWS);
    }
}
