//! Positions, courses and plan rules (with their version history).

pub mod queries;

use sea_orm::{
    sea_query::{Expr, ExprTrait as _, Func},
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};
use serde::{Deserialize, Serialize};

use crate::backend::audit::{self, Actor};
use crate::{
    backend::entities::{course, plan_rule, plan_rule_version, position},
    domain::plan::{Criteria, PositionKind, RuleItem},
    error::AppError,
};

pub async fn create_position(
    db: &DatabaseConnection,
    name: &str,
    kind: PositionKind,
    job_family: &str,
    competencies: &[&str],
) -> Result<position::Model, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(
            "name",
            "Nama jabatan wajib diisi",
            "The position name is required",
        ));
    }
    Ok(position::ActiveModel {
        name: Set(name.to_string()),
        kind: Set(kind.as_str().into()),
        job_family: Set(job_family.trim().to_string()),
        competencies: Set(serde_json::to_string(competencies).unwrap_or_else(|_| "[]".into())),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCourse {
    pub code: String,
    pub title_id: String,
    pub title_en: String,
    pub competency: String,
    pub jp: f64,
    pub method: String,
    pub provider: String,
    pub validity_months: Option<i32>,
}

pub async fn create_course(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    new: NewCourse,
) -> Result<course::Model, AppError> {
    let code = new.code.trim().to_uppercase();
    if code.is_empty() || code.len() > 40 {
        return Err(AppError::invalid(
            "code",
            "Kode pelatihan wajib diisi (maksimum 40 karakter)",
            "The course code is required (at most 40 characters)",
        ));
    }
    if new.title_id.trim().is_empty() {
        return Err(AppError::invalid(
            "title_id",
            "Judul pelatihan wajib diisi",
            "The course title is required",
        ));
    }
    if !(new.jp > 0.0 && new.jp <= 1000.0) {
        return Err(AppError::invalid(
            "jp",
            format!(
                "JP harus lebih dari 0 dan paling banyak 1000, bukan {}",
                new.jp
            ),
            format!("JP must be above 0 and at most 1000, not {}", new.jp),
        ));
    }
    if !matches!(new.method.as_str(), "klasikal" | "nonklasikal") {
        return Err(AppError::invalid(
            "method",
            "Metode harus klasikal atau nonklasikal",
            "The method must be klasikal or nonklasikal",
        ));
    }
    if !matches!(
        new.competency.as_str(),
        "teknis" | "manajerial" | "sosial_kultural"
    ) {
        return Err(AppError::invalid(
            "competency",
            "Kompetensi harus teknis, manajerial atau sosial_kultural",
            "The competency must be teknis, manajerial or sosial_kultural",
        ));
    }
    if new.validity_months.is_some_and(|m| m <= 0) {
        return Err(AppError::invalid(
            "validity_months",
            "Masa berlaku harus lebih dari 0 bulan, atau kosong",
            "Validity must be above 0 months, or empty",
        ));
    }
    let txn = crate::backend::db::begin_write(db).await?;
    if course::Entity::find()
        .filter(course::Column::Code.eq(code.clone()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            format!("Kode pelatihan {code} sudah dipakai"),
            format!("Course code {code} is already in use"),
        ));
    }
    let c = course::ActiveModel {
        code: Set(code),
        title_id: Set(new.title_id.trim().into()),
        title_en: Set(new.title_en.trim().into()),
        description_id: Set(String::new()),
        description_en: Set(String::new()),
        competency: Set(new.competency),
        jp: Set(new.jp),
        method: Set(new.method),
        provider: Set(new.provider.trim().into()),
        validity_months: Set(new.validity_months),
        active: Set(true),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::created(&txn, actor, "course.create", "course", c.id, &c).await?;
    txn.commit().await?;
    Ok(c)
}

/// Changes a course's fields (the code stays unique); one audit line.
/// Plans already made keep the course as it is linked; nothing else moves.
pub async fn update_course(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    new: NewCourse,
) -> Result<course::Model, AppError> {
    let code = new.code.trim().to_uppercase();
    if code.is_empty() || code.chars().count() > 40 {
        return Err(AppError::invalid(
            "code",
            "Kode pelatihan wajib diisi (maksimum 40 karakter)",
            "The course code is required (at most 40 characters)",
        ));
    }
    let txn = crate::backend::db::begin_write(db).await?;
    let before = course::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if course::Entity::find()
        .filter(course::Column::Code.eq(code.clone()))
        .filter(course::Column::Id.ne(id))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            format!("Kode pelatihan {code} sudah dipakai pelatihan lain"),
            format!("Course code {code} is already used by another course"),
        ));
    }
    let mut am = before.clone().into_active_model();
    am.code = Set(code);
    am.title_id = Set(new.title_id.trim().into());
    am.title_en = Set(new.title_en.trim().into());
    am.competency = Set(new.competency);
    am.jp = Set(new.jp);
    am.method = Set(new.method);
    am.provider = Set(new.provider.trim().into());
    am.validity_months = Set(new.validity_months);
    let after = am.update(&txn).await?;
    audit::changed(&txn, actor, "course.update", "course", id, &before, &after).await?;
    txn.commit().await?;
    Ok(after)
}

/// Takes a course out of the offer (`active = false`: no longer chosen for
/// new rules nor put into new plans; existing plans and history keep it) or
/// puts it back. One audit line when it changes; nothing when it already is so.
pub async fn set_course_active(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    active: bool,
) -> Result<course::Model, AppError> {
    let txn = crate::backend::db::begin_write(db).await?;
    let before = course::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if before.active == active {
        return Ok(before);
    }
    let mut am = before.clone().into_active_model();
    am.active = Set(active);
    let after = am.update(&txn).await?;
    let action = if active {
        "course.activate"
    } else {
        "course.deactivate"
    };
    audit::changed(&txn, actor, action, "course", id, &before, &after).await?;
    txn.commit().await?;
    Ok(after)
}

fn check_items(items: &[RuleItem]) -> Result<(), AppError> {
    if items.is_empty() {
        return Err(AppError::invalid(
            "items",
            "Aturan harus mewajibkan paling sedikit satu pelatihan",
            "A rule must require at least one course",
        ));
    }
    if let Some(i) = items.iter().find(|i| i.due_offset_days > 3650) {
        return Err(AppError::invalid(
            "items",
            format!(
                "Tenggat {} hari setelah TMT terlalu jauh (maksimum 3650)",
                i.due_offset_days
            ),
            format!(
                "A due offset of {} days is too far (at most 3650)",
                i.due_offset_days
            ),
        ));
    }
    Ok(())
}

/// Saves a new version of a rule (creating the rule when `id` is `None`).
/// Earlier versions stay as they were; open plans are not touched.
pub async fn save_rule(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: Option<i64>,
    name: &str,
    active: bool,
    criteria: Criteria,
    items: Vec<RuleItem>,
) -> Result<plan_rule_version::Model, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(
            "name",
            "Nama aturan wajib diisi",
            "The rule name is required",
        ));
    }
    check_items(&items)?;
    let txn = crate::backend::db::begin_write(db).await?;
    // Two rules may not share a name (any case); checked in the transaction
    // that writes, so nothing is written when it is refused.
    let taken = plan_rule::Entity::find()
        .filter(Expr::expr(Func::lower(Expr::col(plan_rule::Column::Name))).eq(name.to_lowercase()))
        .all(&txn)
        .await?
        .into_iter()
        .find(|r| Some(r.id) != id);
    if let Some(r) = taken {
        return Err(AppError::invalid(
            "name",
            format!("Sudah ada aturan bernama {:?}; pilih nama lain", r.name),
            format!(
                "A rule named {:?} already exists; choose another name",
                r.name
            ),
        ));
    }
    let now = chrono::Utc::now();
    let (rule, version) = match id {
        None => {
            let r = plan_rule::ActiveModel {
                name: Set(name.into()),
                active: Set(active),
                current_version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            audit::created(&txn, actor, "rule.create", "plan_rule", r.id, &r).await?;
            (r, 1)
        }
        Some(id) => {
            let before = plan_rule::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let next = before.current_version + 1;
            let mut am = before.clone().into_active_model();
            am.name = Set(name.into());
            am.active = Set(active);
            am.current_version = Set(next);
            am.updated_at = Set(now);
            let r = am.update(&txn).await?;
            audit::changed(&txn, actor, "rule.update", "plan_rule", r.id, &before, &r).await?;
            (r, next)
        }
    };
    let v = plan_rule_version::ActiveModel {
        rule_id: Set(rule.id),
        version: Set(version),
        name: Set(name.into()),
        active: Set(active),
        criteria: Set(serde_json::to_string(&criteria).unwrap_or_default()),
        items: Set(serde_json::to_string(&items).unwrap_or_default()),
        created_by: Set(actor.into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(v)
}
