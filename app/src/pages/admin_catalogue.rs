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
    get_courses, get_rules, test_rule, CourseRow, CoursesPage, CreateCourse, CreateRule,
    RuleItemField, RuleRow, RuleTrial, RulesPage, COMPETENCIES, ITEM_ROWS, METHODS, POSITION_KINDS,
};
use crate::api::transfers_admin::TRANSFER_TYPES;
use crate::components::errors::{ErrorBox, FieldError, PageError};
use crate::error::AppError;

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

fn courses_href(q: &str, page: u64) -> String {
    let mut parts = Vec::new();
    if !q.is_empty() {
        parts.push(format!("q={}", encode(q)));
    }
    if page > 1 {
        parts.push(format!("hal={page}"));
    }
    if parts.is_empty() {
        "/admin/pelatihan".to_string()
    } else {
        format!("/admin/pelatihan?{}", parts.join("&"))
    }
}

#[component]
pub fn CoursesAdminPage() -> impl IntoView {
    let create = ServerAction::<CreateCourse>::new();
    let query = use_query_map();
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
        <Title text="Pelatihan"/>
        <h1>"Pelatihan"</h1>
        {move || create.value().get().map(|r| match r {
            Ok(id) => view! {
                <p class="notice ok" role="status" id="pelatihan-dibuat" data-course-id=id.to_string()>
                    "Pelatihan ditambahkan ke katalog."
                </p>
            }.into_any(),
            Err(e) if e.field().is_none() => view! { <ErrorBox error=e/> }.into_any(),
            Err(_) => ().into_any(),
        })}
        <Transition fallback=|| view! { <p class="muted">"Memuat…"</p> }>
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
    let mut numbers: Vec<Option<u64>> = Vec::new();
    for n in 1..=pages {
        if n == 1 || n == pages || n.abs_diff(page) <= 2 {
            numbers.push(Some(n));
        } else if numbers.last() != Some(&None) {
            numbers.push(None);
        }
    }
    let pq = q.clone();
    view! {
        <section class="card" id="pelatihan">
            <h2>"Katalog pelatihan"</h2>
            <form method="get" action="/admin/pelatihan" class="filter" role="search" id="saring-pelatihan">
                <label for="cari-pelatihan">"Cari"</label>
                <input id="cari-pelatihan" name="q" type="search" value=q placeholder="Kode atau judul"/>
                <button type="submit" class="secondary">"Tampilkan"</button>
            </form>
            <p class="muted" id="jumlah-pelatihan" data-total=total.to_string()>
                {format!("{total} pelatihan sesuai pencarian · halaman {page} dari {pages}")}
            </p>
            {if empty {
                view! { <p class="empty" id="daftar-pelatihan">"Tidak ada pelatihan yang sesuai."</p> }.into_any()
            } else {
                view! {
                    <table class="table" id="daftar-pelatihan">
                        <thead>
                            <tr>
                                <th>"Kode"</th>
                                <th>"Judul"</th>
                                <th>"Kompetensi"</th>
                                <th>"JP"</th>
                                <th>"Metode"</th>
                                <th>"Penyelenggara"</th>
                                <th>"Masa berlaku"</th>
                                <th>"Status"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|c| view! { <CourseLine c/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <nav class="pager" aria-label="Halaman" id="halaman-pelatihan">
                {(page > 1).then(|| view! { <a href=courses_href(&pq, page - 1) rel="prev">"← Sebelumnya"</a> })}
                {numbers.into_iter().map(|n| match n {
                    Some(n) if n == page => view! { <span aria-current="page"><strong>{n}</strong></span> }.into_any(),
                    Some(n) => view! { <a href=courses_href(&pq, n)>{n}</a> }.into_any(),
                    None => view! { <span class="muted">"…"</span> }.into_any(),
                }).collect_view()}
                {(page < pages).then(|| view! { <a href=courses_href(&pq, page + 1) rel="next">"Berikutnya →"</a> })}
            </nav>
        </section>
    }
}

#[component]
fn CourseLine(c: CourseRow) -> impl IntoView {
    let tone = if c.active { "open" } else { "closed" };
    view! {
        <tr class=format!("tone-{tone}") data-course-id=c.id.to_string() data-course-code=c.code.clone()>
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
            <td><span class="badge">{if c.active { "Aktif" } else { "Nonaktif" }}</span></td>
        </tr>
    }
}

#[component]
fn NewCourseForm(create: ServerAction<CreateCourse>) -> impl IntoView {
    let all = |_: &CreateCourse| true;
    view! {
        <section class="card" id="pelatihan-baru">
            <h2>"Tambah pelatihan"</h2>
            <ActionForm action=create attr:id="form-pelatihan-baru" attr:class="stack">
                <label for="pelatihan-kode">"Kode"</label>
                <input id="pelatihan-kode" name="code" required maxlength="40" placeholder="SPBE-02"/>
                <FieldError action=create field="code" when=all/>
                <label for="pelatihan-judul">"Judul (bahasa Indonesia)"</label>
                <input id="pelatihan-judul" name="title_id" required maxlength="200"/>
                <FieldError action=create field="title_id" when=all/>
                <label for="pelatihan-judul-en">"Judul (bahasa Inggris, opsional)"</label>
                <input id="pelatihan-judul-en" name="title_en" maxlength="200" lang="en"/>
                <FieldError action=create field="title_en" when=all/>
                <label for="pelatihan-kompetensi">"Kompetensi"</label>
                <select id="pelatihan-kompetensi" name="competency">
                    {COMPETENCIES.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
                <FieldError action=create field="competency" when=all/>
                <label for="pelatihan-jp">"JP (jam pelajaran)"</label>
                <input id="pelatihan-jp" name="jp" required inputmode="decimal" placeholder="8 atau 2,5"/>
                <FieldError action=create field="jp" when=all/>
                <label for="pelatihan-metode">"Metode"</label>
                <select id="pelatihan-metode" name="method">
                    {METHODS.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
                <FieldError action=create field="method" when=all/>
                <label for="pelatihan-penyelenggara">"Penyelenggara"</label>
                <input id="pelatihan-penyelenggara" name="provider" maxlength="200" placeholder="BKPSDM Kota Medan"/>
                <FieldError action=create field="provider" when=all/>
                <label for="pelatihan-berlaku">"Masa berlaku (bulan; kosongkan jika tidak kedaluwarsa)"</label>
                <input id="pelatihan-berlaku" name="validity_months" inputmode="numeric"/>
                <FieldError action=create field="validity_months" when=all/>
                <button type="submit" id="simpan-pelatihan">"Tambah pelatihan"</button>
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
            let field = |f: &str| q.get(&format!("items[{i}][{f}]"));
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

/// A refusal that concerns this field, next to it.
fn field_problem(error: &Option<AppError>, field: &'static str) -> impl IntoView {
    error
        .as_ref()
        .filter(|e| e.field() == Some(field))
        .map(|e| {
            view! {
                <p class="field-error" role="alert">
                    {e.message("id")} <span class="muted" lang="en">{format!(" ({})", e.message("en"))}</span>
                </p>
            }
        })
}

#[component]
pub fn RulesAdminPage() -> impl IntoView {
    let create = ServerAction::<CreateRule>::new();
    let query = use_query_map();
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
        <Title text="Aturan rencana"/>
        <h1>"Aturan rencana"</h1>
        {move || create.value().get().map(|r| match r {
            Ok(saved) => view! {
                <p class="notice ok" role="status" id="aturan-disimpan" data-rule-id=saved.rule_id.to_string()>
                    {format!("Aturan “{}” disimpan sebagai versi {}.", saved.name, saved.version)}
                </p>
            }.into_any(),
            Err(e) if e.field().is_none() => view! { <ErrorBox error=e/> }.into_any(),
            Err(_) => ().into_any(),
        })}
        <Transition fallback=|| view! { <p class="muted">"Memuat…"</p> }>
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
    view! {
        <section class="card" id="aturan">
            <h2>"Daftar aturan"</h2>
            <p class="muted">
                "Mengubah aturan tidak mengubah rencana yang sudah dibuat; setiap perubahan disimpan sebagai versi baru."
            </p>
            {if empty {
                view! { <p class="empty" id="daftar-aturan">"Belum ada aturan."</p> }.into_any()
            } else {
                view! {
                    <table class="table" id="daftar-aturan">
                        <thead>
                            <tr>
                                <th>"Aturan"</th>
                                <th>"Kriteria"</th>
                                <th>"Pelatihan yang diwajibkan"</th>
                                <th>"Status"</th>
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
    view! {
        <tr class=format!("tone-{tone}") data-rule-id=r.id.to_string() data-version=r.version.to_string()
            data-active=r.active.to_string()>
            <td>
                <strong class="rule-name">{r.name.clone()}</strong>
                <div class="muted">{format!("Versi {}", r.version)}</div>
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
                                {format!(" · {} hari setelah TMT · {}", i.due_offset_days, if i.required { "wajib" } else { "pilihan" })}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            </td>
            <td><span class="badge">{if r.active { "Aktif" } else { "Nonaktif" }}</span></td>
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
    let rows = c
        .items
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, row)| view! { <ItemRow i row courses=courses.clone()/> })
        .collect_view();
    view! {
        <section class="card" id="aturan-baru">
            <h2>"Susun aturan baru"</h2>
            <p class="muted">
                "Kriteria yang dikosongkan berarti “semua”. Uji aturan terhadap mutasi yang ada sebelum menyimpannya; pengujian tidak menyimpan apa pun."
            </p>
            <form method="get" action="/admin/aturan" id="form-aturan-baru" class="stack">
                <input type="hidden" name="susun" value="1"/>
                <label for="aturan-nama">"Nama aturan"</label>
                <input id="aturan-nama" name="name" maxlength="200" value=c.name.clone()/>
                {field_problem(&problem, "name")}
                <FieldError action=create field="name" when=all/>
                <label for="aturan-aktif">
                    <input id="aturan-aktif" type="checkbox" name="active" value="on" checked=c.active/>
                    " Aktif (dipakai saat mutasi diselesaikan)"
                </label>
                <fieldset>
                    <legend>"Kriteria"</legend>
                    <div class="stack">
                        <label for="aturan-rumpun">"Rumpun jabatan tujuan (pisahkan dengan koma)"</label>
                        <input id="aturan-rumpun" name="job_family" list="rumpun-jabatan" value=c.job_family.clone()/>
                        <datalist id="rumpun-jabatan">
                            {job_families.into_iter().map(|f| view! { <option value=f></option> }).collect_view()}
                        </datalist>
                        {field_problem(&problem, "job_family")}
                        <FieldError action=create field="job_family" when=all/>
                        <label for="aturan-jenis-jabatan">"Jenis jabatan tujuan"</label>
                        <select id="aturan-jenis-jabatan" name="position_kind">
                            <option value="">"Semua jenis jabatan"</option>
                            {POSITION_KINDS.into_iter().map(|(v, l)| view! {
                                <option value=v selected=c.position_kind == v>{l}</option>
                            }).collect_view()}
                        </select>
                        {field_problem(&problem, "position_kind")}
                        <FieldError action=create field="position_kind" when=all/>
                        <label for="aturan-unit">"Unit tujuan (beserta unit di bawahnya)"</label>
                        <select id="aturan-unit" name="unit_id">
                            <option value="">"Semua unit"</option>
                            {units.into_iter().map(|u| view! {
                                <option value=u.id.to_string() selected=c.unit_id == u.id.to_string()>{u.label}</option>
                            }).collect_view()}
                        </select>
                        {field_problem(&problem, "unit_id")}
                        <FieldError action=create field="unit_id" when=all/>
                        <label for="aturan-jenis-mutasi">"Jenis mutasi"</label>
                        <select id="aturan-jenis-mutasi" name="transfer_type">
                            <option value="">"Semua jenis mutasi"</option>
                            {TRANSFER_TYPES.into_iter().map(|(v, l)| view! {
                                <option value=v selected=c.transfer_type == v>{l}</option>
                            }).collect_view()}
                        </select>
                        {field_problem(&problem, "transfer_type")}
                        <FieldError action=create field="transfer_type" when=all/>
                    </div>
                </fieldset>
                <fieldset id="aturan-pelatihan">
                    <legend>"Pelatihan yang diwajibkan"</legend>
                    {rows}
                    {field_problem(&problem, "items")}
                    <FieldError action=create field="items" when=all/>
                </fieldset>
                <label for="uji-mutasi">"Uji terhadap mutasi (draf atau disetujui)"</label>
                <select id="uji-mutasi" name="transfer_id">
                    <option value="">"— pilih mutasi —"</option>
                    {transfers.into_iter().map(|t: Choice| view! {
                        <option value=t.id.to_string() selected=c.transfer_id == t.id.to_string()>{t.label}</option>
                    }).collect_view()}
                </select>
                {field_problem(&problem, "transfer_id")}
                <button type="submit" id="uji-aturan">"Uji aturan terhadap mutasi"</button>
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
    view! {
        <div class="inline-form item-row" data-row=i.to_string()>
            <label for=format!("item-{i}-course")>{format!("Pelatihan {n}")}</label>
            <select id=format!("item-{i}-course") name=format!("items[{i}][course_id]")>
                <option value="">"— tidak ada —"</option>
                {courses.into_iter().map(|c| view! {
                    <option value=c.id.to_string() selected=course == c.id.to_string()>{c.label}</option>
                }).collect_view()}
            </select>
            <label for=format!("item-{i}-offset")>"Tenggat (hari setelah TMT)"</label>
            <input id=format!("item-{i}-offset") name=format!("items[{i}][due_offset_days]")
                inputmode="numeric" size="5" value=offset/>
            <label for=format!("item-{i}-required")>"Sifat"</label>
            <select id=format!("item-{i}-required") name=format!("items[{i}][required]")>
                <option value="wajib" selected=required>"Wajib"</option>
                <option value="pilihan" selected=!required>"Pilihan"</option>
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
    let result = match t {
        Ok(t) => {
            let empty = t.items.is_empty();
            let count = t.items.len();
            view! {
                <div id="hasil-uji-aturan" data-transfer-id=t.transfer_id.to_string()
                    data-matched=t.matched.to_string() data-items=count.to_string()>
                    <p><strong>{format!("Mutasi: {}", t.transfer)}</strong></p>
                    <ul class="muted">
                        {t.facts.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}
                    </ul>
                    <p>{format!("Kriteria aturan: {}", t.criteria.join("; "))}</p>
                    {if !t.matched {
                        view! {
                            <p class="notice error">"Kriteria aturan ini tidak cocok dengan mutasi tersebut: aturan ini tidak akan menambahkan pelatihan apa pun."</p>
                        }.into_any()
                    } else if empty {
                        view! { <p class="empty">"Aturan cocok, tetapi tidak ada pelatihan aktif yang akan ditugaskan."</p> }.into_any()
                    } else {
                        view! {
                            <p>"Jika mutasi ini diselesaikan hari ini, aturan ini saja akan menghasilkan:"</p>
                            <ul class="assignments" id="hasil-uji-item">
                                {t.items.into_iter().map(|i| {
                                    let tone = if i.recognised { "done" } else { "open" };
                                    view! {
                                        <li class=format!("assignment tone-{tone}") data-course-id=i.course_id.to_string()
                                            data-recognised=i.recognised.to_string() data-due=i.due_iso.clone()>
                                            <div class="assignment-head">
                                                <span class="course"><strong>{i.code.clone()}</strong> " " {i.title.clone()}</span>
                                                <span class="badge">{if i.recognised { "Diakui" } else { "Akan ditugaskan" }}</span>
                                            </div>
                                            <div class="muted">
                                                <time datetime=i.due_iso.clone()>{format!("Tenggat {}", i.due)}</time>
                                                {if i.required { " · wajib" } else { " · pilihan" }}
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
                "Belum diuji: pilih mutasi di atas untuk melihat hasilnya."
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
            <h2>"Hasil uji aturan"</h2>
            <p class="muted">"Pengujian tidak menyimpan apa pun."</p>
            {result}
            <ActionForm action=create attr:id="form-simpan-aturan" attr:class="inline-form">
                <input type="hidden" name="name" value=c.name.clone()/>
                {c.active.then(|| view! { <input type="hidden" name="active" value="on"/> })}
                <input type="hidden" name="job_family" value=c.job_family.clone()/>
                <input type="hidden" name="position_kind" value=c.position_kind.clone()/>
                <input type="hidden" name="unit_id" value=c.unit_id.clone()/>
                <input type="hidden" name="transfer_type" value=c.transfer_type.clone()/>
                {rows.into_iter().map(|(i, r)| view! {
                    <input type="hidden" name=format!("items[{i}][course_id]") value=r.course_id.unwrap_or_default()/>
                    <input type="hidden" name=format!("items[{i}][due_offset_days]") value=r.due_offset_days.unwrap_or_default()/>
                    <input type="hidden" name=format!("items[{i}][required]") value=r.required.unwrap_or_default()/>
                }).collect_view()}
                <button type="submit" id="simpan-aturan">"Simpan aturan (versi 1)"</button>
            </ActionForm>
        </section>
    }
}
