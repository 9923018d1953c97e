//! The catalogue: positions, courses and plan rules (with their version
//! history). `mod.rs` writes (each write in one transaction, with its audit
//! line); `checks` holds the one check of each form (course, rule), which
//! every write passes through; `queries` reads for the administrator's
//! pages and tests a rule being composed against a transfer.
//!
//! May use: `crate::model::catalogue` (the forms and page types), the
//! entities, `crate::domain` and the backend's services (audit, transfers);
//! never `crate::api` nor the user interface.

pub mod checks;
pub mod queries;

use sea_orm::{
    sea_query::{Expr, ExprTrait as _, Func},
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use serde::{Deserialize, Serialize};

use self::checks::{check_course, check_rule, filled, rule_items, rule_name, text, CheckedRule};
use self::queries::{current_version, keep_hidden_criteria};
use crate::backend::audit::{self, Actor};
use crate::{
    backend::db,
    backend::entities::{course, plan_rule, plan_rule_version, position},
    domain::plan::{Criteria, PositionKind, RuleItem},
    error::AppError,
    model::catalogue::{CourseForm, RuleForm, SavedRule},
};

pub async fn create_position(
    db: &DatabaseConnection,
    name: &str,
    kind: PositionKind,
    job_family: &str,
    competencies: &[&str],
) -> Result<position::Model, AppError> {
    let name = name.trim();
    filled("name", ("Nama jabatan", "position name"), name)?;
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

/// A course as the catalogue keeps it (typed). [`create_course`] checks it
/// as the course form would be.
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

/// Adds a course after the course form's checks ([`add_course`]).
pub async fn create_course(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    new: NewCourse,
) -> Result<course::Model, AppError> {
    add_course(db, actor, &new.into()).await
}

/// The checked fields onto a course being written.
fn set_fields(am: &mut course::ActiveModel, new: NewCourse) {
    am.code = Set(new.code);
    am.title_id = Set(new.title_id);
    am.title_en = Set(new.title_en);
    am.competency = Set(new.competency);
    am.jp = Set(new.jp);
    am.method = Set(new.method);
    am.provider = Set(new.provider);
    am.validity_months = Set(new.validity_months);
}

/// Writes `change` to course `before`, with an audit line `action`.
async fn change_course(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    action: &str,
    before: course::Model,
    change: impl FnOnce(&mut course::ActiveModel),
) -> Result<course::Model, AppError> {
    let mut am = before.clone().into_active_model();
    change(&mut am);
    Ok(audit::update(txn, actor, action, &before, am).await?)
}

/// Adds a course from the course form: checked field by field (a refusal
/// names the field; a code another course has is refused), in the
/// transaction that writes it with its audit line.
pub async fn add_course(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    form: &CourseForm,
) -> Result<course::Model, AppError> {
    db::write(db, async |txn| {
        let new = check_course(txn, form, None).await?;
        let mut am = course::ActiveModel {
            description_id: Set(String::new()),
            description_en: Set(String::new()),
            active: Set(true),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        };
        set_fields(&mut am, new);
        Ok(audit::insert(txn, actor, "course.create", am).await?)
    })
    .await
}

/// Changes course `id` from the course form, with the same checks as adding
/// one (made before the course is looked up, so a refusal names the field;
/// its own code is not "taken"); one audit line. Plans already made keep
/// the course as it is linked; nothing else moves.
pub async fn edit_course(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    form: &CourseForm,
) -> Result<course::Model, AppError> {
    db::write(db, async |txn| {
        let new = check_course(txn, form, Some(id)).await?;
        let before = db::find::<course::Entity, _>(txn, id).await?;
        change_course(txn, actor, "course.update", before, |am| {
            set_fields(am, new)
        })
        .await
    })
    .await
}

/// Takes course `id` out of the offer (`active = false`: no longer chosen
/// for new rules nor put into new plans; existing plans and history keep it)
/// or puts it back ([`switch_state`]). One audit line when it changes;
/// nothing when it already is so.
pub async fn switch_course(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    active: Option<String>,
) -> Result<course::Model, AppError> {
    let active = switch_state(&active)?;
    db::write(db, async |txn| {
        let before = db::find::<course::Entity, _>(txn, id).await?;
        if before.active == active {
            return Ok(before);
        }
        let action = if active {
            "course.activate"
        } else {
            "course.deactivate"
        };
        change_course(txn, actor, action, before, |am| am.active = Set(active)).await
    })
    .await
}

/// The state a course switch asks for: on ("true", "1", "ya", "on",
/// "aktif") or off ("false", "0", "tidak", "off", "nonaktif").
fn switch_state(active: &Option<String>) -> Result<bool, AppError> {
    match text(active).to_lowercase().as_str() {
        "true" | "1" | "ya" | "on" | "aktif" => Ok(true),
        "false" | "0" | "tidak" | "off" | "nonaktif" => Ok(false),
        other => Err(AppError::invalid(
            "active",
            format!("Status tidak dikenal: {other:?} (true atau false)"),
            format!("Unknown status: {other:?} (true or false)"),
        )),
    }
}

/// Saves a new version of a rule (creating the rule when `id` is `None`),
/// after the rule checks of its name and courses ([`checks`]).
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
    let name = rule_name(name, true)?;
    let name = name.as_str();
    rule_items(&items)?;
    db::write(db, async |txn| {
        // Two rules may not share a name (any case); checked in the transaction
        // that writes, so nothing is written when it is refused.
        let taken = plan_rule::Entity::find()
            .filter(
                Expr::expr(Func::lower(Expr::col(plan_rule::Column::Name))).eq(name.to_lowercase()),
            )
            .all(txn)
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
        let rule = match id {
            None => {
                let row = plan_rule::ActiveModel {
                    name: Set(name.into()),
                    active: Set(active),
                    current_version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                };
                audit::insert(txn, actor, "rule.create", row).await?
            }
            Some(id) => {
                let before = db::find::<plan_rule::Entity, _>(txn, id).await?;
                let mut row = before.clone().into_active_model();
                row.name = Set(name.into());
                row.active = Set(active);
                row.current_version = Set(before.current_version + 1);
                row.updated_at = Set(now);
                audit::update(txn, actor, "rule.update", &before, row).await?
            }
        };
        Ok(plan_rule_version::ActiveModel {
            rule_id: Set(rule.id),
            version: Set(rule.current_version),
            name: Set(name.into()),
            active: Set(active),
            criteria: Set(serde_json::to_string(&criteria).unwrap_or_default()),
            items: Set(serde_json::to_string(&items).unwrap_or_default()),
            created_by: Set(actor.into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?)
    })
    .await
}

/// The rule version saved, as the page announces it.
fn saved(v: plan_rule_version::Model) -> SavedRule {
    SavedRule {
        rule_id: v.rule_id,
        version: v.version,
        name: v.name,
    }
}

/// Saves a checked rule form as a new version of rule `id` (a new rule when `None`).
async fn save_checked(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: Option<i64>,
    checked: CheckedRule,
) -> Result<SavedRule, AppError> {
    let CheckedRule {
        name,
        active,
        criteria,
        items,
    } = checked;
    save_rule(db, actor, id, &name, active, criteria, items)
        .await
        .map(saved)
}

/// Creates a rule (version 1) after checking the form; a second rule with
/// the same name is refused (a form sent twice does not make two rules;
/// [`save_rule`] checks it in the transaction that writes).
pub async fn add_rule(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    form: &RuleForm,
) -> Result<SavedRule, AppError> {
    let checked = check_rule(db, form, true, &[]).await?;
    save_checked(db, actor, None, checked).await
}

/// Saves an edited rule as its next version, after the same checks as
/// creating one (checked before the rule is looked up, so a refusal names
/// the field). The courses of the current version that are no longer active
/// may stay; the conditions the form does not show stay as they are.
/// `base_version`, when given, is the version the edit started from: a rule
/// saved since is refused (409) instead of being overwritten unseen.
pub async fn edit_rule(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    base_version: Option<String>,
    form: &RuleForm,
) -> Result<SavedRule, AppError> {
    let current = current_version(db, id).await?;
    let keep: Vec<i64> = current
        .as_ref()
        .map(|(_, _, items)| items.iter().map(|i| i.course_id).collect())
        .unwrap_or_default();
    let mut checked = check_rule(db, form, true, &keep).await?;
    let base = text(&base_version);
    let base = if base.is_empty() {
        None
    } else {
        Some(base.parse::<i32>().map_err(|_| {
            AppError::invalid(
                "version",
                format!("Versi tidak valid: {base:?}"),
                format!("Invalid version: {base:?}"),
            )
        })?)
    };
    let Some((rule, stored, _)) = current else {
        return Err(AppError::NotFound);
    };
    if let Some(b) = base.filter(|b| *b != rule.current_version) {
        return Err(AppError::conflict(
            format!(
                "Aturan ini sudah disimpan sebagai versi {} sejak Anda membuka versi {b}; buka lagi versi terbaru lalu ubah",
                rule.current_version
            ),
            format!(
                "This rule has been saved as version {} since you opened version {b}; open the latest version and edit it again",
                rule.current_version
            ),
        ));
    }
    keep_hidden_criteria(&mut checked.criteria, &stored);
    save_checked(db, actor, Some(rule.id), checked).await
}
