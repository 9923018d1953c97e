//! Import outside the Leptos pages: `jejak import` on the command line, the
//! browser's file upload (`POST /admin/impor/unggah`, multipart, so it works
//! without JavaScript) and the downloadable templates.
//!
//! The upload only stores the file and sends the browser to its preview
//! (`/admin/impor/<id>`); checking and confirming happen there, through
//! `app::api::import`, on the stored bytes.

use axum::{
    body::Body,
    extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State},
    http::{header, HeaderValue, StatusCode},
    response::Response,
    routing::{get, post},
    Router,
};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use app::{
    backend::{
        access::{policy, Principal},
        config::Config,
        data::import::{self, reader::MAX_BYTES, uploads, ImportFile, Options},
    },
    domain::import::{Applied, ImportKind, Preview},
};

use crate::http::ServerState;

pub const UPLOAD_PATH: &str = "/admin/impor/unggah";
/// The largest upload body: the largest file Jejak imports plus the form around it.
pub const MAX_UPLOAD_BODY_BYTES: usize = MAX_BYTES + 64 * 1024;
pub const TEMPLATE_PATH: &str = "/admin/impor/templat/{file}";

pub fn router() -> Router<ServerState> {
    Router::new()
        .route(
            UPLOAD_PATH,
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY_BYTES)),
        )
        .route(TEMPLATE_PATH, get(template))
}

fn redirect(to: &str) -> Response {
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

fn text(status: StatusCode, body: String) -> Response {
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

/// Stores the uploaded file and sends the browser to its preview. A refusal
/// goes back to the import page with its reason (`?galat=…`), nothing stored.
async fn upload(State(state): State<ServerState>, req: Request) -> Response {
    let Some(principal) = req.extensions().get::<Principal>().cloned() else {
        return redirect("/masuk");
    };
    // Refuse before reading a body of megabytes; the kind's own permission
    // is checked again once the form says which kind it is.
    let may_import = ImportKind::ALL
        .iter()
        .any(|k| policy::allows(&principal, &import::permission(*k)));
    if !may_import {
        return text(
            StatusCode::NOT_FOUND,
            "Data tidak ditemukan\nNot found\n".into(),
        );
    }
    let mut multipart = match Multipart::from_request(req, &state).await {
        Ok(m) => m,
        Err(_) => return redirect("/admin/impor?galat=formulir"),
    };
    let mut kind = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut create_missing = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            // Mostly: larger than the limit.
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return redirect("/admin/impor?galat=besar")
            }
            Err(_) => return redirect("/admin/impor?galat=formulir"),
        };
        match field.name().unwrap_or("") {
            "jenis" => {
                kind = field
                    .text()
                    .await
                    .ok()
                    .as_deref()
                    .and_then(ImportKind::parse)
            }
            "buat_baru" => create_missing = true,
            "berkas" => {
                let name = field.file_name().unwrap_or("berkas.csv").to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return redirect("/admin/impor?galat=besar")
                    }
                    Err(_) => return redirect("/admin/impor?galat=formulir"),
                }
            }
            _ => {}
        }
    }
    let Some(kind) = kind else {
        return redirect("/admin/impor?galat=jenis");
    };
    if policy::authorize(Some(principal.clone()), &import::permission(kind)).is_err() {
        return text(
            StatusCode::NOT_FOUND,
            "Data tidak ditemukan\nNot found\n".into(),
        );
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return redirect("/admin/impor?galat=kosong");
    };
    if bytes.len() > MAX_BYTES {
        return redirect("/admin/impor?galat=besar");
    }
    match uploads::store(&state.app.db, principal.account_id, kind, &name, bytes).await {
        Ok(id) => redirect(&format!(
            "/admin/impor/{id}{}",
            if create_missing { "?buat_baru=1" } else { "" }
        )),
        Err(e) => text(
            e.status_code(),
            format!("{}\n{}\n", e.message("id"), e.message("en")),
        ),
    }
}

/// `GET /admin/impor/templat/<pegawai|mutasi|riwayat>.csv`: the columns
/// Jejak reads with an example row (no personal data; public).
async fn template(Path(file): Path<String>) -> Response {
    let Some(kind) = file.strip_suffix(".csv").and_then(ImportKind::parse) else {
        return text(
            StatusCode::NOT_FOUND,
            "Templat tidak ada (pegawai.csv, mutasi.csv, riwayat.csv)\nNo such template (pegawai.csv, mutasi.csv, riwayat.csv)\n".into(),
        );
    };
    let mut res = Response::new(Body::from(import::template(kind)));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"templat-{}.csv\"",
        kind.slug()
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// What `jejak import` did.
#[derive(Debug, Serialize)]
pub struct CliOutcome {
    pub preview: Preview,
    /// `None` with `--dry-run`, or when the file or its rows were refused.
    pub applied: Option<Applied>,
    /// Why nothing was written, when it was refused.
    pub refused: Option<String>,
}

impl CliOutcome {
    /// Non-zero exit: the file was refused or a row was rejected.
    pub fn failed(&self) -> bool {
        self.refused.is_some() || self.preview.refused() || self.preview.counts.rejected > 0
    }
}

/// `jejak import <kind> <file>`: the preview, then (unless `dry_run`) the
/// import in one transaction. The actor in the audit trail is the command line.
pub async fn run_cli(
    db: &DatabaseConnection,
    config: &Config,
    kind: ImportKind,
    path: &std::path::Path,
    options: Options,
    dry_run: bool,
) -> anyhow::Result<CliOutcome> {
    let bytes = std::fs::read(path).map_err(|e| {
        anyhow::anyhow!(
            "berkas tidak dapat dibaca / cannot read the file {}: {e}",
            path.display()
        )
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let today = chrono::Utc::now().with_timezone(&config.tz()).date_naive();
    let file = ImportFile {
        kind,
        file_name: &file_name,
        bytes: &bytes,
        options,
        today,
    };
    let preview = import::preview(db, file).await?;
    if dry_run || preview.refused() || (preview.counts.rejected > 0 && !options.only_valid) {
        let refused = (!dry_run).then(|| {
            if preview.refused() {
                "berkas ditolak, tidak ada yang disimpan / the file is refused, nothing was saved".to_string()
            } else {
                format!(
                    "{} baris ditolak, tidak ada yang disimpan (--only-valid mengimpor baris yang sah saja) / {} rows rejected, nothing was saved (--only-valid imports the valid rows only)",
                    preview.counts.rejected, preview.counts.rejected
                )
            }
        });
        return Ok(CliOutcome {
            preview,
            applied: None,
            refused,
        });
    }
    let actor = format!("jejak import ({})", crate::jobs::instance_name());
    let (preview, applied) = import::apply(db, &actor, file, &config.checkin_days, None).await?;
    Ok(CliOutcome {
        preview,
        applied: Some(applied),
        refused: None,
    })
}

/// The outcome as text for people: counts, then every finding.
pub fn describe(o: &CliOutcome, en: bool) -> String {
    let p = &o.preview;
    let c = &p.counts;
    let mut out = String::new();
    let delimiter = match p.delimiter {
        '\t' => "tab".to_string(),
        d => format!("'{d}'"),
    };
    out.push_str(&if en {
        format!(
            "{} import from {} (separator {delimiter}{})\n  rows: {}; create: {}; update: {}; unchanged: {}; rejected: {}; warnings: {}\n",
            p.kind.label(true), p.file_name, if p.had_bom { ", BOM" } else { "" },
            c.rows, c.create, c.update, c.unchanged, c.rejected, c.warnings
        )
    } else {
        format!(
            "Impor {} dari {} (pemisah {delimiter}{})\n  baris: {}; dibuat: {}; diperbarui: {}; tidak berubah: {}; ditolak: {}; peringatan: {}\n",
            p.kind.label(false).to_lowercase(), p.file_name, if p.had_bom { ", BOM" } else { "" },
            c.rows, c.create, c.update, c.unchanged, c.rejected, c.warnings
        )
    });
    if p.plans_to_generate > 0 {
        out.push_str(&if en {
            format!(
                "  transfers in force now, each with a training plan: {}\n",
                p.plans_to_generate
            )
        } else {
            format!(
                "  mutasi yang berlaku sekarang, masing-masing dengan rencana pelatihan: {}\n",
                p.plans_to_generate
            )
        });
    }
    if !p.new_units.is_empty() {
        out.push_str(&format!(
            "  {}: {}\n",
            if en { "new units" } else { "unit baru" },
            p.new_units.join(", ")
        ));
    }
    if !p.new_positions.is_empty() {
        out.push_str(&format!(
            "  {}: {}\n",
            if en { "new positions" } else { "jabatan baru" },
            p.new_positions.join(", ")
        ));
    }
    let findings: Vec<_> = p
        .file_issues
        .iter()
        .chain(p.rows.iter().flat_map(|r| r.issues.iter()))
        .collect();
    if !findings.is_empty() {
        out.push_str(if en { "Findings:\n" } else { "Temuan:\n" });
        for i in findings {
            let level = match (i.is_error(), en) {
                (true, false) => "GALAT",
                (true, true) => "ERROR",
                (false, false) => "peringatan",
                (false, true) => "warning",
            };
            out.push_str(&format!("  [{level}] {} [{}]\n", i.describe(en), i.code));
        }
    }
    match (&o.applied, &o.refused) {
        (Some(a), _) => out.push_str(&if en {
            format!(
                "Imported in one transaction: created {}, updated {}, unchanged {}, left out {}; units created {}, positions created {}; plans {}, assignments {}\n",
                a.created, a.updated, a.unchanged, a.skipped, a.units_created, a.positions_created, a.plans_created, a.assignments_created
            )
        } else {
            format!(
                "Diimpor dalam satu transaksi: dibuat {}, diperbarui {}, tidak berubah {}, dilewati {}; unit dibuat {}, jabatan dibuat {}; rencana {}, penugasan {}\n",
                a.created, a.updated, a.unchanged, a.skipped, a.units_created, a.positions_created, a.plans_created, a.assignments_created
            )
        }),
        (None, Some(reason)) => out.push_str(&format!("{reason}\n")),
        (None, None) => out.push_str(if en {
            "Dry run: nothing was written.\n"
        } else {
            "Uji coba (--dry-run): tidak ada yang disimpan.\n"
        }),
    }
    out
}
