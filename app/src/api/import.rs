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
    use crate::backend::data::import;
    let c = admin()?;
    let en = c.locale() == crate::i18n::Locale::en;
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
    let uploads = import::uploads::recent(c.db(), 20)
        .await?
        .into_iter()
        .map(|u| row(u, &c.app))
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
    use crate::backend::data::import::{self, uploads, Options};
    let (c, upload) = stored_upload(id).await?;
    let options = Options {
        only_valid: false,
        create_missing,
    };
    let preview = import::preview(c.db(), upload.file(options, c.today())).await?;
    let info = uploads::info_of(c.db(), id).await?;
    Ok(PreviewPage {
        upload: row(info, &c.app),
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
    use crate::backend::data::import::{self, Options};
    let (c, upload) = stored_upload(id).await?;
    let options = Options {
        only_valid: only_valid.is_some_and(|v| !v.is_empty()),
        create_missing: create_missing.is_some_and(|v| !v.is_empty()),
    };
    let (_, applied) = import::apply(
        c.db(),
        &c.p.actor(),
        upload.file(options, c.today()),
        &c.app.config.checkin_days,
        Some(id),
    )
    .await?;
    back_to_preview(id, options.create_missing);
    Ok(applied)
}

#[cfg(feature = "ssr")]
fn admin() -> Result<super::Caller, AppError> {
    use super::Caller;
    use crate::backend::access::policy::Action;
    // Any of the import permissions: each kind is checked again when used.
    Caller::allowed(&Action::ManageTransfers)
        .or_else(|_| Caller::allowed(&Action::ManageOrganisation))
}

/// A stored upload, of a kind the administrator asking may import.
#[cfg(feature = "ssr")]
struct StoredUpload {
    kind: ImportKind,
    model: crate::backend::entities::import_upload::Model,
}

#[cfg(feature = "ssr")]
impl StoredUpload {
    /// The file, to check or import as `options` say on `today`.
    fn file(
        &self,
        options: crate::backend::data::import::Options,
        today: chrono::NaiveDate,
    ) -> crate::backend::data::import::ImportFile<'_> {
        crate::backend::data::import::ImportFile {
            kind: self.kind,
            file_name: &self.model.file_name,
            bytes: &self.model.content,
            options,
            today,
        }
    }
}

/// Upload `id`, if the administrator asking may import its kind (else
/// "not found", as for anything they may not do).
#[cfg(feature = "ssr")]
async fn stored_upload(id: i64) -> Result<(super::Caller, StoredUpload), AppError> {
    use crate::backend::{access::policy, data::import};
    let c = admin()?;
    let model = import::uploads::load(c.db(), id).await?;
    let kind = import::uploads::kind_of(&model)?;
    policy::authorize(Some(c.p.clone()), &import::permission(kind))?;
    Ok((c, StoredUpload { kind, model }))
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
    if super::plain_post() {
        let created = if create_missing { "&buat_baru=1" } else { "" };
        leptos_axum::redirect(&format!("{PAGE_PATH}/{id}?diimpor=1{created}"));
    }
}
