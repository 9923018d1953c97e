//! Server functions behind the import pages (`/admin/impor`,
//! `/admin/impor/<id>`), administrators only:
//!
//! - [`import_overview`] (`/fn/import_home`): the recent uploads and the columns of each kind;
//! - [`import_preview`]: the stored upload checked now — every row with
//!   its findings and what confirming would do; writes nothing;
//! - [`confirm_import`]: checks again and writes in one transaction (or
//!   nothing); a plain form post is sent back to the preview page with
//!   `diimpor=1`.
//!
//! The file itself arrives through `POST /admin/impor/unggah` (multipart,
//! in the server crate), which stores it and sends the browser here.

use leptos::prelude::*;

use crate::domain::import::Applied;
use crate::error::AppError;
use crate::model::import::{ImportHome, PreviewPage};
#[cfg(feature = "ssr")]
use crate::{
    domain::import::ImportKind,
    model::import::{ColumnInfo, KindInfo, UploadRow, PAGE_PATH},
};

#[server(prefix = "/fn", endpoint = "import_home")]
pub async fn import_overview() -> Result<ImportHome, AppError> {
    use crate::backend::{data::import, state::AppState};
    admin()?;
    let app = AppState::current()?;
    let en = crate::lang::request_locale() == crate::i18n::Locale::en;
    let kinds = ImportKind::ALL
        .iter()
        .map(|k| KindInfo {
            kind: *k,
            columns: import::columns(*k)
                .iter()
                .map(|c| ColumnInfo {
                    name: c.name.to_string(),
                    required: c.required,
                    about: if en { c.about_en } else { c.about_id }.to_string(),
                })
                .collect(),
        })
        .collect();
    let uploads = import::uploads::recent(&app.db, 20)
        .await?
        .into_iter()
        .map(|u| row(u, &app))
        .collect();
    Ok(ImportHome {
        kinds,
        uploads,
        max_kb: import::reader::MAX_BYTES / 1024,
        max_rows: import::reader::MAX_ROWS,
    })
}

#[server(prefix = "/fn", endpoint = "import_preview")]
pub async fn import_preview(id: i64, create_missing: bool) -> Result<PreviewPage, AppError> {
    use crate::backend::{
        access::policy,
        data::import::{self, uploads, ImportFile, Options},
        state::AppState,
    };
    let p = admin()?;
    let app = AppState::current()?;
    let upload = uploads::load(&app.db, id).await?;
    let kind = uploads::kind_of(&upload)?;
    policy::authorize(Some(p), &import::permission(kind))?;
    let today = app.now_local().date_naive();
    let preview = import::preview(
        &app.db,
        ImportFile {
            kind,
            file_name: &upload.file_name,
            bytes: &upload.content,
            options: Options {
                only_valid: false,
                create_missing,
            },
            today,
        },
    )
    .await?;
    let info = uploads::info_of(&app.db, id).await?;
    Ok(PreviewPage {
        upload: row(info, &app),
        preview,
        create_missing,
    })
}

/// Imports the stored upload `id`. `create_missing` and `only_valid` are
/// checkboxes ("on" when ticked).
#[server(prefix = "/fn", endpoint = "import_confirm")]
pub async fn confirm_import(
    id: i64,
    create_missing: Option<String>,
    only_valid: Option<String>,
) -> Result<Applied, AppError> {
    use crate::backend::{
        access::policy,
        data::import::{self, uploads, ImportFile, Options},
        state::AppState,
    };
    let p = admin()?;
    let app = AppState::current()?;
    let upload = uploads::load(&app.db, id).await?;
    let kind = uploads::kind_of(&upload)?;
    let p = policy::authorize(Some(p), &import::permission(kind))?;
    let options = Options {
        only_valid: only_valid.is_some_and(|v| !v.is_empty()),
        create_missing: create_missing.is_some_and(|v| !v.is_empty()),
    };
    let today = app.now_local().date_naive();
    let (_, applied) = import::apply(
        &app.db,
        &p.actor(),
        ImportFile {
            kind,
            file_name: &upload.file_name,
            bytes: &upload.content,
            options,
            today,
        },
        &app.config.checkin_days,
        Some(id),
    )
    .await?;
    back_to_preview(id, options.create_missing);
    Ok(applied)
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::backend::access::Principal, AppError> {
    use crate::backend::access::{policy, principal};
    // Any of the import permissions: each kind is checked again when used.
    let p = principal::require_principal()?;
    policy::authorize(Some(p.clone()), &policy::Action::ManageTransfers)
        .or_else(|_| policy::authorize(Some(p), &policy::Action::ManageOrganisation))
}

#[cfg(feature = "ssr")]
fn row(
    u: crate::backend::data::import::uploads::UploadInfo,
    app: &crate::backend::state::AppState,
) -> UploadRow {
    UploadRow {
        id: u.id,
        kind: u.kind,
        file_name: u.file_name,
        size: u.size,
        uploaded: u
            .created_at
            .with_timezone(&app.config.tz())
            .format("%d-%m-%Y %H.%M")
            .to_string(),
        status: u.status,
        applied: u.applied,
    }
}

/// A plain form post (no JavaScript) goes back to the preview, now imported.
#[cfg(feature = "ssr")]
fn back_to_preview(id: i64, create_missing: bool) {
    let plain = use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if plain {
        let created = if create_missing { "&buat_baru=1" } else { "" };
        leptos_axum::redirect(&format!("{PAGE_PATH}/{id}?diimpor=1{created}"));
    }
}
