//! Uploaded files kept between the preview and the confirmation, so that
//! what is confirmed is exactly what was previewed (the same bytes).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use crate::{
    backend::{access::token::hash_bytes, entities::import_upload},
    domain::import::{Applied, ImportKind},
    error::AppError,
};

/// Uploaded files (and their results) are deleted this many days after upload.
pub const KEEP_DAYS: i64 = 30;

/// An upload as listed (without its bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadInfo {
    pub id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    pub size: usize,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub status: String,
    pub applied: Option<Applied>,
}

pub async fn store<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    kind: ImportKind,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<i64, AppError> {
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\'))
        .take(200)
        .collect();
    // Uploads hold personal data: none is kept longer than it is useful.
    import_upload::Entity::delete_many()
        .filter(
            import_upload::Column::CreatedAt
                .lt(chrono::Utc::now() - chrono::Duration::days(KEEP_DAYS)),
        )
        .exec(db)
        .await?;
    let saved = import_upload::ActiveModel {
        kind: Set(kind.slug().into()),
        file_name: Set(if name.trim().is_empty() {
            "berkas.csv".into()
        } else {
            name
        }),
        sha256: Set(hash_bytes(&bytes)),
        content: Set(bytes),
        account_id: Set(account_id),
        created_at: Set(chrono::Utc::now()),
        status: Set("previewed".into()),
        applied_at: Set(None),
        result: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(saved.id)
}

pub async fn load<C: ConnectionTrait>(db: &C, id: i64) -> Result<import_upload::Model, AppError> {
    crate::backend::db::find::<import_upload::Entity, _>(db, id).await
}

pub fn kind_of(u: &import_upload::Model) -> Result<ImportKind, AppError> {
    ImportKind::parse(&u.kind).ok_or_else(|| AppError::Internal {
        reference: format!("import upload {} kind {:?}", u.id, u.kind),
    })
}

fn info(u: import_upload::Model) -> Option<UploadInfo> {
    Some(UploadInfo {
        id: u.id,
        kind: ImportKind::parse(&u.kind)?,
        file_name: u.file_name,
        size: u.content.len(),
        created_at: u.created_at,
        status: u.status,
        applied: u
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok()),
    })
}

pub async fn info_of<C: ConnectionTrait>(db: &C, id: i64) -> Result<UploadInfo, AppError> {
    info(load(db, id).await?).ok_or(AppError::NotFound)
}

/// The latest uploads, newest first.
pub async fn recent<C: ConnectionTrait>(db: &C, limit: u64) -> Result<Vec<UploadInfo>, AppError> {
    Ok(import_upload::Entity::find()
        .order_by_desc(import_upload::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .filter_map(info)
        .collect())
}

/// Inside the import's transaction: the upload is still waiting (a second
/// confirmation, or one racing on another instance, is refused).
pub async fn claim<C: ConnectionTrait>(txn: &C, id: i64) -> Result<(), AppError> {
    let u = load(txn, id).await?;
    if u.status != "previewed" {
        return Err(AppError::conflict(
            "Berkas ini sudah diimpor; unggah lagi bila perlu (baris yang sudah ada tidak akan digandakan)",
            "This file has already been imported; upload it again if needed (rows already there are not duplicated)",
        ));
    }
    let done = import_upload::Entity::update_many()
        .col_expr(
            import_upload::Column::Status,
            sea_orm::sea_query::Expr::value("applying"),
        )
        .filter(import_upload::Column::Id.eq(id))
        .filter(import_upload::Column::Status.eq("previewed"))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::conflict(
            "Berkas ini sedang atau sudah diimpor",
            "This file is being or has been imported",
        ));
    }
    Ok(())
}

pub async fn mark_applied<C: ConnectionTrait>(
    txn: &C,
    id: i64,
    applied: &Applied,
) -> Result<(), AppError> {
    let mut am = load(txn, id).await?.into_active_model();
    am.status = Set("applied".into());
    am.applied_at = Set(Some(chrono::Utc::now()));
    am.result = Set(serde_json::to_string(applied).ok());
    am.update(txn).await?;
    Ok(())
}
