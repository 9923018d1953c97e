//! "Impor data" (`/admin/impor`, administrators) and the preview of one
//! uploaded file (`/admin/impor/<id>`).
//!
//! The import page explains what can be imported, has the upload form (a
//! plain multipart post to `POST /admin/impor/unggah`, so it works without
//! JavaScript; a refusal comes back as `?galat=<reason>` and is shown in an
//! error box), the columns of each kind with a link to its template, and
//! the recent uploads with their state and, once imported, what was written.
//!
//! The preview (`?buat_baru=1` when units and positions may be created)
//! shows the counts, the findings about the file (a refused file says so
//! and offers no confirmation), the rows with what confirming would do and
//! their findings, and the confirmation form (`ConfirmImport`). Without
//! JavaScript the confirmation posts and the server sends the browser back
//! here with `?diimpor=1`; with JavaScript the result appears in place.
//!
//! Large files: a file may have 20,000 rows. The page shows every row with
//! a finding (at most [`MAX_FLAGGED`]) and the first [`FIRST_CLEAN`] rows
//! without one, in the file's order, and says how many of each it left
//! out ("N baris lain tanpa temuan …"). The rows are trimmed on the server
//! before the page's data is handed to the browser, so a long file does not
//! make the page (or its hydration data) long; the links to a preview load
//! the page from the server (`rel="external"`) rather than fetching the
//! whole preview into the browser.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::components::admin_list::{headers, param, ListTable, Loaded, TableHead};
use crate::components::errors::ErrorBox;
use crate::components::form_echo::{echo, server_action};
use crate::domain::import::{Applied, ImportKind, Issue, RowAction, RowPreview};
use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;
use crate::{
    api::import::{import_overview, import_preview, ConfirmImport},
    model::import::{ImportHome, KindInfo, PreviewPage, UploadRow, PAGE_PATH},
};

/// At most this many rows with findings are shown.
pub const MAX_FLAGGED: usize = 1000;
/// And the first this many rows without findings.
pub const FIRST_CLEAN: usize = 200;

/// Where the browser's upload form posts (served by the server crate).
const UPLOAD_ACTION: &str = "/admin/impor/unggah";

fn en(l: Locale) -> bool {
    l == Locale::en
}

/// `prefix-slug`: an element id.
fn element_id(prefix: &str, slug: &str) -> String {
    format!("{prefix}-{slug}") // i18n-ok: an element id
}

fn preview_href(id: i64) -> String {
    format!("{PAGE_PATH}/{id}")
}

fn template_href(kind: ImportKind) -> String {
    format!("/admin/impor/templat/{}.csv", kind.slug())
}

fn status_label(status: &str, l: Locale) -> &'static str {
    match status {
        "applied" => td_string!(l, import.uploads.status_applied),
        "applying" => td_string!(l, import.uploads.status_applying),
        _ => td_string!(l, import.uploads.status_previewed),
    }
}

/// The `tone-*` class of an upload's row, by its state.
fn status_tone(status: &str) -> &'static str {
    match status {
        "applied" => "tone-done",
        _ => "tone-pending",
    }
}

fn kilobytes(size: usize) -> usize {
    size.div_ceil(1024)
}

/// Why the upload was refused (`?galat=…` from the upload handler).
fn refusal(reason: &str, l: Locale) -> &'static str {
    match reason {
        "formulir" => td_string!(l, import.refusal.formulir),
        "besar" => td_string!(l, import.refusal.besar),
        "jenis" => td_string!(l, import.refusal.jenis),
        "kosong" => td_string!(l, import.refusal.kosong),
        _ => td_string!(l, import.refusal.other),
    }
}

// ---------------------------------------------------------------- /admin/impor

#[component]
pub fn ImportAdminPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let data = Resource::new(|| (), |_| import_overview());
    let refused = move || query.with(|q| param(q, "galat"));
    view! {
        <Title text=td_string!(l, import.title)/>
        <h1>{td_string!(l, import.title)}</h1>
        <Loaded data show=move |home: ImportHome| view! {
            <p class="lead">{td_string!(l, import.lead)}</p>
            {refused().map(|r| view! {
                <div class="notice error" role="alert" id="galat-unggah" data-reason=r.clone()>
                    <p>{refusal(&r, l)}</p>
                </div>
            })}
            <ImportHomeView home/>
        }/>
    }
}

#[component]
fn ImportHomeView(home: ImportHome) -> impl IntoView {
    let l = use_locale();
    let ImportHome {
        kinds,
        uploads,
        max_kb,
        max_rows,
    } = home;
    view! {
        <section class="card" id="unggah">
            <h2>{td_string!(l, import.upload.heading)}</h2>
            <form method="post" action=UPLOAD_ACTION enctype="multipart/form-data" class="stack import-upload"
                id="form-unggah">
                <fieldset class="kinds">
                    <legend>{td_string!(l, import.upload.kind)}</legend>
                    {ImportKind::ALL.into_iter().map(|k| view! {
                        <label class="choice">
                            <input type="radio" name="jenis" value=k.slug() required id=element_id("jenis", k.slug())/>
                            " " {k.label(en(l))}
                        </label>
                    }).collect_view()}
                </fieldset>
                <label for="berkas">{td_string!(l, import.upload.file)}</label>
                <input type="file" id="berkas" name="berkas" accept=".csv,text/csv" required
                    aria-describedby="batas-unggah"/>
                <p class="muted help" id="batas-unggah">
                    {td_string!(l, import.upload.limits, kb = max_kb, rows = max_rows).to_string()}
                </p>
                <label class="choice">
                    <input type="checkbox" name="buat_baru" value="1" id="buat-baru"
                        aria-describedby="buat-baru-bantuan"/>
                    " " {td_string!(l, import.upload.create_missing)}
                </label>
                <p class="muted help" id="buat-baru-bantuan">{td_string!(l, import.upload.create_missing_help)}</p>
                <button type="submit" id="unggah-berkas">{td_string!(l, import.upload.submit)}</button>
            </form>
        </section>
        <section class="card" id="unggahan">
            <h2>{td_string!(l, import.uploads.heading)}</h2>
            <ListTable id="daftar-unggahan".into() class="table uploads-table" none=td_string!(l, import.uploads.none)
                headers=headers![l, import.uploads: col_file, col_kind, col_when, col_status, col_result]
                empty=uploads.is_empty()>
                {uploads.into_iter().map(|u| view! { <UploadLine u/> }).collect_view()}
            </ListTable>
        </section>
        <section class="card" id="kolom">
            <h2>{td_string!(l, import.kinds.heading)}</h2>
            <p class="muted">{td_string!(l, import.kinds.about)}</p>
            {kinds.into_iter().map(|k| view! { <KindColumns k/> }).collect_view()}
        </section>
    }
}

#[component]
fn KindColumns(k: KindInfo) -> impl IntoView {
    let l = use_locale();
    let slug = k.kind.slug();
    let label = k.kind.label(en(l));
    view! {
        <section class="import-kind" id=element_id("kolom", slug)>
            <h3>{label}</h3>
            <p>
                <a href=template_href(k.kind) download id=element_id("templat", slug)>
                    {td_string!(l, import.kinds.template, kind = label.to_lowercase()).to_string()}
                </a>
            </p>
            <table class="table import-columns">
                <TableHead headers=headers![l, import.kinds: col_name, col_required, col_about]/>
                <tbody>
                    {k.columns.into_iter().map(|c| view! {
                        <tr data-column=c.name.clone() data-required=c.required.to_string()>
                            <td><code>{c.name.clone()}</code></td>
                            <td>
                                {if c.required {
                                    view! { <strong>{td_string!(l, import.kinds.required)}</strong> }.into_any()
                                } else {
                                    view! { <span class="muted">{td_string!(l, import.kinds.optional)}</span> }.into_any()
                                }}
                            </td>
                            <td>{c.about.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// One upload of the list: the file, its kind, when, its state and what it wrote.
#[component]
fn UploadLine(u: UploadRow) -> impl IntoView {
    let l = use_locale();
    let open_label =
        td_string!(l, import.uploads.open_label, file = u.file_name.clone()).to_string();
    view! {
        <tr class=status_tone(&u.status) data-upload-id=u.id.to_string() data-status=u.status.clone()>
            <td class="file">
                <a href=preview_href(u.id) rel="external" class="pratinjau" aria-label=open_label>
                    {u.file_name.clone()}
                </a>
                <div class="muted">
                    {td_string!(l, import.uploads.size, kb = kilobytes(u.size)).to_string()}
                </div>
            </td>
            <td>{u.kind.label(en(l))}</td>
            <td class="when">{u.uploaded.clone()}</td>
            <td class="state"><span class="badge">{status_label(&u.status, l)}</span></td>
            <td class="result">
                {match u.applied.clone() {
                    Some(a) => view! { <AppliedText a/> }.into_any(),
                    None => view! {
                        <a href=preview_href(u.id) rel="external">{td_string!(l, import.uploads.open)}</a>
                    }.into_any(),
                }}
            </td>
        </tr>
    }
}

/// What an import wrote, in one or two short lines.
#[component]
fn AppliedText(a: Applied) -> impl IntoView {
    let l = use_locale();
    let extra = a.units_created + a.positions_created + a.plans_created + a.assignments_created > 0;
    view! {
        <span class="applied" data-created=a.created.to_string() data-updated=a.updated.to_string()
            data-skipped=a.skipped.to_string()>
            {td_string!(l, import.applied.summary, created = a.created, updated = a.updated,
                unchanged = a.unchanged, skipped = a.skipped).to_string()}
            {extra.then(|| view! {
                <br/>
                <span class="muted">
                    {td_string!(l, import.applied.extra, units = a.units_created, positions = a.positions_created,
                        plans = a.plans_created, assignments = a.assignments_created).to_string()}
                </span>
            })}
        </span>
    }
}

// ---------------------------------------------------------------- /admin/impor/<id>

/// The preview as the page shows it: rows trimmed for long files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shown {
    pub page: PreviewPage,
    /// Rows with findings beyond [`MAX_FLAGGED`], left out.
    pub hidden_flagged: usize,
    /// Rows without findings beyond the first [`FIRST_CLEAN`], left out.
    pub hidden_clean: usize,
}

/// Keeps every row with findings (up to [`MAX_FLAGGED`]) and the first
/// [`FIRST_CLEAN`] others, in the file's order.
pub fn trim(mut page: PreviewPage) -> Shown {
    let (mut flagged, mut clean) = (0, 0);
    let (mut hidden_flagged, mut hidden_clean) = (0, 0);
    page.preview.rows.retain(|r| {
        if r.issues.is_empty() {
            clean += 1;
            let keep = clean <= FIRST_CLEAN;
            hidden_clean += usize::from(!keep);
            keep
        } else {
            flagged += 1;
            let keep = flagged <= MAX_FLAGGED;
            hidden_flagged += usize::from(!keep);
            keep
        }
    });
    Shown {
        page,
        hidden_flagged,
        hidden_clean,
    }
}

fn action_label(a: RowAction, l: Locale) -> &'static str {
    match a {
        RowAction::Create => td_string!(l, import.preview.action_create),
        RowAction::Update => td_string!(l, import.preview.action_update),
        RowAction::Unchanged => td_string!(l, import.preview.action_unchanged),
        RowAction::Rejected => td_string!(l, import.preview.action_rejected),
    }
}

/// The stable name of an action (data attribute and CSS class).
fn action_code(a: RowAction) -> &'static str {
    match a {
        RowAction::Create => "create",
        RowAction::Update => "update",
        RowAction::Unchanged => "unchanged",
        RowAction::Rejected => "rejected",
    }
}

fn row_class(code: &str) -> String {
    format!("import-row row-{code}") // i18n-ok: CSS classes
}

fn tag_class(a: RowAction) -> String {
    format!("tag action-{}", action_code(a)) // i18n-ok: CSS classes
}

#[component]
pub fn ImportPreviewPage() -> impl IntoView {
    let l = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let id = params.with(|p| p.get("id").and_then(|v| v.trim().parse::<i64>().ok()));
        let create = query.with(|q| q.get("buat_baru").is_some_and(|v| v == "1" || v == "on"));
        (id, create)
    };
    // An address that is not a number is an upload nobody has (0): the
    // server still answers "sign in" or "not found" as for any other id.
    let data = Resource::new(key, |(id, create)| async move {
        import_preview(id.unwrap_or(0), create).await.map(trim)
    });
    view! {
        <Title text=td_string!(l, import.preview.title)/>
        <p><a href=PAGE_PATH id="kembali-impor">{td_string!(l, import.preview.back)}</a></p>
        <Loaded data show=move |shown: Shown| view! { <PreviewView shown/> }/>
    }
}

#[component]
fn PreviewView(shown: Shown) -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let confirm = server_action::<ConfirmImport>();
    let Shown {
        page,
        hidden_flagged,
        hidden_clean,
    } = shown;
    let PreviewPage {
        upload,
        preview,
        create_missing,
    } = page;
    let c = preview.counts.clone();
    let refused = preview.refused();
    let stored_result = upload.applied.clone();
    let already = upload.status != "previewed";
    let just_imported =
        query.with_untracked(|q| q.get("diimpor").is_some() && q.get("__err").is_none());
    // What was written: the answer to this page's confirmation, or what the
    // server stored for the upload.
    let result = move || {
        confirm
            .value()
            .get()
            .and_then(Result::ok)
            .map(|a| (true, a))
            .or_else(|| stored_result.clone().map(|a| (just_imported, a)))
    };
    let confirmed = move || matches!(confirm.value().get(), Some(Ok(_)));
    let status = upload.status.clone();
    let status_now = move || {
        if confirmed() {
            status_label("applied", l)
        } else {
            status_label(&status, l)
        }
    };
    let separator = match preview.delimiter {
        '\t' => td_string!(l, import.preview.separator_tab).to_string(),
        d => d.to_string(),
    };
    let large = hidden_clean + hidden_flagged > 0;
    let rows = preview.rows;
    let has_rows = !rows.is_empty();
    let file_issues = preview.file_issues;
    let new_units = preview.new_units.join(", ");
    let new_positions = preview.new_positions.join(", ");
    let plans = preview.plans_to_generate;
    let written = c.create + c.update;
    let valid = c.create + c.update + c.unchanged;
    let can_confirm = !refused && !already && valid > 0;
    let findings = (!file_issues.is_empty()).then(|| {
        view! {
            <section class="card" id="temuan-berkas">
                <h2>{td_string!(l, import.preview.file_findings)}</h2>
                <IssueList issues=file_issues/>
            </section>
        }
    });
    let (findings_top, findings_below) = if refused {
        (findings, None)
    } else {
        (None, findings)
    };
    view! {
        <h1>{td_string!(l, import.preview.title)}</h1>
        // A refused file says so first, with its findings, before the details.
        {refused.then(|| view! {
            <div class="notice error" role="alert" id="berkas-ditolak">
                <p><strong>{td_string!(l, import.preview.refused)}</strong></p>
            </div>
        })}
        {findings_top}
        <section class="card import-summary" id="ringkasan-impor" data-kind=upload.kind.slug()
            data-refused=refused.to_string() data-status=upload.status.clone()>
            <h2 class="file-name">{format!("{} · {}", upload.kind.label(en(l)), upload.file_name)}</h2>
            <dl class="facts">
                <dt>{td_string!(l, import.preview.uploaded)}</dt>
                <dd>{upload.uploaded.clone()}</dd>
                <dt>{td_string!(l, import.preview.size)}</dt>
                <dd>{td_string!(l, import.uploads.size, kb = kilobytes(upload.size)).to_string()}</dd>
                <dt>{td_string!(l, import.preview.separator)}</dt>
                <dd id="pemisah">
                    <code>{separator}</code>
                    {preview.had_bom.then(|| format!(" · {}", td_string!(l, import.preview.bom)))}
                </dd>
                <dt>{td_string!(l, import.preview.units_positions)}</dt>
                <dd id="buat-baru-status" data-create-missing=create_missing.to_string()>
                    {if create_missing {
                        td_string!(l, import.preview.create_missing_on)
                    } else {
                        td_string!(l, import.preview.create_missing_off)
                    }}
                </dd>
                <dt>{td_string!(l, import.preview.status)}</dt>
                <dd id="status-unggahan"><span class="badge">{status_now}</span></dd>
            </dl>
            {move || result().map(|(now, a)| {
                let (created, skipped) = (a.created.to_string(), a.skipped.to_string());
                view! {
                <div class="notice ok" role="status" id="impor-selesai" data-created=created
                    data-skipped=skipped>
                    <p>
                        <strong>
                            {if now {
                                td_string!(l, import.confirm.done)
                            } else {
                                td_string!(l, import.confirm.already)
                            }}
                        </strong>
                        ": "
                        <AppliedText a/>
                    </p>
                    {(!now).then(|| view! { <p class="muted">{td_string!(l, import.confirm.already_note)}</p> })}
                </div>
            }})}
            {(!refused).then(|| view! {
                <ul class="stats import-counts" id="jumlah-impor" aria-label=td_string!(l, import.preview.counts_label)>
                    <Count id="jumlah-baris" n=c.rows label=td_string!(l, import.preview.count_rows)/>
                    <Count id="jumlah-baru" n=c.create label=td_string!(l, import.preview.count_create)/>
                    <Count id="jumlah-diperbarui" n=c.update label=td_string!(l, import.preview.count_update)/>
                    <Count id="jumlah-tetap" n=c.unchanged label=td_string!(l, import.preview.count_unchanged)/>
                    <Count id="jumlah-ditolak" n=c.rejected label=td_string!(l, import.preview.count_rejected)/>
                    <Count id="jumlah-peringatan" n=c.warnings label=td_string!(l, import.preview.count_warnings)/>
                </ul>
            })}
            {(plans > 0).then(|| view! {
                <p id="rencana-dibuat" data-n=plans.to_string()>
                    {td_string!(l, import.preview.plans, n = plans).to_string()}
                </p>
            })}
            {(!new_units.is_empty()).then(|| view! {
                <p id="unit-baru">{td_string!(l, import.preview.new_units, names = new_units).to_string()}</p>
            })}
            {(!new_positions.is_empty()).then(|| view! {
                <p id="jabatan-baru">{td_string!(l, import.preview.new_positions, names = new_positions).to_string()}</p>
            })}
        </section>
        {findings_below}
        {(!refused).then(|| view! {
            <section class="card" id="baris-impor">
                <h2>{td_string!(l, import.preview.rows_heading)}</h2>
                {large.then(|| view! {
                    <div class="notice" id="baris-disingkat">
                        <p>{td_string!(l, import.preview.large, flagged = MAX_FLAGGED, clean = FIRST_CLEAN).to_string()}</p>
                        {(hidden_flagged > 0).then(|| view! {
                            <p id="tersembunyi-temuan" data-n=hidden_flagged.to_string()>
                                <strong>{td_string!(l, import.preview.hidden_flagged, n = hidden_flagged).to_string()}</strong>
                            </p>
                        })}
                        {(hidden_clean > 0).then(|| view! {
                            <p id="tersembunyi-bersih" data-n=hidden_clean.to_string()>
                                {td_string!(l, import.preview.hidden_clean, n = hidden_clean).to_string()}
                            </p>
                        })}
                    </div>
                })}
                {if has_rows {
                    view! {
                        <table class="table import-rows" id="daftar-baris">
                            <TableHead headers=headers![l, import.preview: col_line, col_key, col_summary, col_action]/>
                            {rows.into_iter().map(|r| view! { <RowGroup r/> }).collect_view()}
                        </table>
                    }.into_any()
                } else {
                    view! { <p class="empty">{td_string!(l, import.preview.no_rows)}</p> }.into_any()
                }}
            </section>
        })}
        {(!refused && !already).then(|| view! {
            <ConfirmSection id=upload.id create_missing rejected=c.rejected written can_confirm confirm/>
        })}
    }
}

#[component]
fn Count(id: &'static str, n: usize, label: &'static str) -> impl IntoView {
    view! {
        <li class="stat" id=id data-n=n.to_string()>
            <span class="stat-value">{n}</span>
            <span class="stat-label">{label}</span>
        </li>
    }
}

#[component]
fn ConfirmSection(
    id: i64,
    create_missing: bool,
    rejected: usize,
    written: usize,
    can_confirm: bool,
    confirm: ServerAction<ConfirmImport>,
) -> impl IntoView {
    let l = use_locale();
    // Without JavaScript a refused confirmation comes back with the box as it was ticked.
    let ticked = echo::<ConfirmImport>("only_valid").is_some_and(|v| !v.is_empty());
    let refusal = move || {
        confirm
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <div id="impor-ditolak"><ErrorBox error=e/></div> })
    };
    // A memo: a refusal must not rebuild the form (it keeps what was ticked).
    let done = Memo::new(move |_| matches!(confirm.value().get(), Some(Ok(_))));
    let create_missing = if create_missing { "on" } else { "" };
    view! {
        <section class="card" id="konfirmasi">
            <h2>{td_string!(l, import.confirm.heading)}</h2>
            {refusal}
            {move || (!done.get()).then(|| if can_confirm {
                view! {
                    <p class="muted">{td_string!(l, import.confirm.about)}</p>
                    <ActionForm action=confirm attr:id="form-konfirmasi" attr:class="stack">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="create_missing" value=create_missing/>
                        {(rejected > 0).then(|| view! {
                            <label class="choice">
                                <input type="checkbox" name="only_valid" value="on" id="hanya-sah" checked=ticked/>
                                " " {td_string!(l, import.confirm.only_valid, n = rejected).to_string()}
                            </label>
                        })}
                        <button type="submit" id="konfirmasi-impor" data-n=written.to_string()>
                            {td_string!(l, import.confirm.submit, n = written).to_string()}
                        </button>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="empty" id="tidak-ada-yang-sah">{td_string!(l, import.confirm.none_valid)}</p> }.into_any()
            })}
        </section>
    }
}

/// One row of the file: its line, then (under it) its findings.
#[component]
fn RowGroup(r: RowPreview) -> impl IntoView {
    let l = use_locale();
    let code = action_code(r.action);
    let changes = (!r.changes.is_empty()).then(|| r.changes.join(", "));
    let issues = r.issues;
    view! {
        <tbody class=row_class(code) data-line=r.line.to_string() data-action=code>
            <tr>
                <td class="line" data-label=td_string!(l, import.preview.col_line)>{r.line}</td>
                <td class="key"><code>{r.key.clone()}</code></td>
                <td class="summary">
                    {r.summary.clone()}
                    {changes.map(|f| view! {
                        <div class="muted">{td_string!(l, import.preview.changes, fields = f).to_string()}</div>
                    })}
                </td>
                <td class="action"><span class=tag_class(r.action)>{action_label(r.action, l)}</span></td>
            </tr>
            {(!issues.is_empty()).then(|| view! {
                <tr class="issues-row">
                    <td colspan="4"><IssueList issues/></td>
                </tr>
            })}
        </tbody>
    }
}

/// Findings, errors before warnings, each saying which it is in words (not
/// only by colour), where (line, column) and the value found.
#[component]
fn IssueList(issues: Vec<Issue>) -> impl IntoView {
    let l = use_locale();
    let mut issues = issues;
    issues.sort_by_key(|i| !i.is_error());
    view! {
        <ul class="issues">
            {issues.into_iter().map(|i| {
                let error = i.is_error();
                let (class, severity) = if error {
                    ("issue error", "error")
                } else {
                    ("issue warning", "warning")
                };
                view! {
                    <li class=class data-line=i.line.to_string() data-column=i.column.clone().unwrap_or_default()
                        data-code=i.code.clone() data-severity=severity>
                        <strong class="severity">
                            {if error { td_string!(l, import.preview.error) } else { td_string!(l, import.preview.warning) }}
                        </strong>
                        " "
                        {i.describe(en(l))}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::{Counts, Preview};
    use crate::error::Message;

    fn row(line: u64, flagged: bool) -> RowPreview {
        RowPreview {
            line,
            key: line.to_string(),
            summary: String::new(),
            action: if flagged {
                RowAction::Rejected
            } else {
                RowAction::Create
            },
            changes: vec![],
            issues: if flagged {
                vec![Issue::error("x", Message::new("a", "a")).at(line, Some("c"), None)]
            } else {
                vec![]
            },
        }
    }

    fn page(rows: Vec<RowPreview>) -> PreviewPage {
        PreviewPage {
            upload: UploadRow {
                id: 1,
                kind: ImportKind::Transfers,
                file_name: "a.csv".into(),
                size: 1,
                uploaded: String::new(),
                status: "previewed".into(),
                applied: None,
            },
            preview: Preview {
                kind: ImportKind::Transfers,
                file_name: "a.csv".into(),
                delimiter: ';',
                had_bom: false,
                file_issues: vec![],
                rows,
                counts: Counts::default(),
                new_units: vec![],
                new_positions: vec![],
                plans_to_generate: 0,
            },
            create_missing: false,
        }
    }

    #[test]
    fn a_short_file_is_shown_whole() {
        let rows: Vec<_> = (2..40).map(|n| row(n, n % 3 == 0)).collect();
        let shown = trim(page(rows.clone()));
        assert_eq!(shown.page.preview.rows, rows);
        assert_eq!((shown.hidden_flagged, shown.hidden_clean), (0, 0));
    }

    #[test]
    fn a_long_file_keeps_every_finding_and_the_first_clean_rows_in_order() {
        // 10,000 rows, every 11th (909 in all) with a finding.
        let rows: Vec<_> = (2..10_002).map(|n| row(n, n % 11 == 0)).collect();
        let flagged = rows.iter().filter(|r| !r.issues.is_empty()).count();
        let shown = trim(page(rows.clone()));
        let kept = &shown.page.preview.rows;
        assert_eq!(
            kept.iter().filter(|r| !r.issues.is_empty()).count(),
            flagged
        );
        assert_eq!(
            kept.iter().filter(|r| r.issues.is_empty()).count(),
            FIRST_CLEAN
        );
        assert_eq!(shown.hidden_clean, rows.len() - flagged - FIRST_CLEAN);
        assert_eq!(shown.hidden_flagged, 0);
        assert!(kept.windows(2).all(|w| w[0].line < w[1].line), "file order");
        let first_clean: Vec<u64> = rows
            .iter()
            .filter(|r| r.issues.is_empty())
            .take(FIRST_CLEAN)
            .map(|r| r.line)
            .collect();
        let kept_clean: Vec<u64> = kept
            .iter()
            .filter(|r| r.issues.is_empty())
            .map(|r| r.line)
            .collect();
        assert_eq!(kept_clean, first_clean);
    }

    #[test]
    fn findings_beyond_the_cap_are_counted_not_shown() {
        let rows: Vec<_> = (2..(MAX_FLAGGED as u64 + 52))
            .map(|n| row(n, true))
            .collect();
        let shown = trim(page(rows));
        assert_eq!(shown.page.preview.rows.len(), MAX_FLAGGED);
        assert_eq!(shown.hidden_flagged, 50);
    }
}
