//! Courses and plan rules for HR administrators: the searchable, paged
//! course list; adding and changing a course; the rules with their current
//! version, criteria in words and required courses; saving a rule (a new
//! version each time); and testing a rule that is being composed against an
//! existing transfer (the plan that rule alone would produce; nothing is
//! written). Every function answers "not found" to anyone but an
//! administrator, before looking at what was sent. Each form is one
//! argument (`#[server(flatten)]`): its fields keep their names in the post.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::catalogue::{
    CourseForm, CourseRow, CoursesPage, RuleDraft, RuleForm, RuleTrial, RulesPage, SavedRule,
};

/// The administrator asking; anyone else is refused first.
#[cfg(feature = "ssr")]
fn admin() -> Result<super::Caller, AppError> {
    super::Caller::allowed(&crate::backend::access::policy::Action::ManageCatalogue)
}

/// After a plain form post (JavaScript off) that succeeded, sends the
/// browser to `to` instead of back to the page it came from.
#[cfg(feature = "ssr")]
fn after_plain_post(to: &str) {
    if super::plain_post() {
        leptos_axum::redirect(to);
    }
}

/// The catalogue: `q` searches the code and the Indonesian title
/// (case-insensitive); pages of 50, by code.
/// `status` is "aktif" or "nonaktif" for only those (anything else: all).
#[server(prefix = "/fn", endpoint = "courses")]
pub async fn get_courses(
    q: Option<String>,
    page: Option<u64>,
    status: Option<String>,
) -> Result<CoursesPage, AppError> {
    use crate::backend::training::catalogue::queries;
    let c = admin()?;
    queries::courses(
        c.db(),
        q.as_deref().unwrap_or(""),
        page.unwrap_or(1),
        status.as_deref().unwrap_or(""),
        c.locale(),
    )
    .await
}

/// One course, for the edit form.
#[server(prefix = "/fn", endpoint = "course")]
pub async fn get_course(id: i64) -> Result<CourseRow, AppError> {
    use crate::backend::training::catalogue::queries;
    let c = admin()?;
    queries::course(c.db(), id, c.locale()).await
}

/// Adds a course. Every field is checked and a refusal names the field.
#[server(prefix = "/fn", endpoint = "create_course")]
pub async fn create_course(#[server(flatten)] form: CourseForm) -> Result<i64, AppError> {
    use crate::backend::training::catalogue;
    let c = admin()?;
    Ok(catalogue::add_course(c.db(), &c.p.actor(), &form).await?.id)
}

/// Changes a course: the same fields and checks as adding one; a code used
/// by another course is refused (field `code`). One audit line.
#[server(prefix = "/fn", endpoint = "update_course")]
pub async fn update_course(id: i64, #[server(flatten)] form: CourseForm) -> Result<i64, AppError> {
    use crate::backend::training::catalogue;
    let c = admin()?;
    let c = catalogue::edit_course(c.db(), &c.p.actor(), id, &form).await?;
    after_plain_post(&format!("/admin/pelatihan?diubah={}", c.id));
    Ok(c.id)
}

/// Takes a course out of the offer (`active` = "false"/"0"/"tidak") or puts
/// it back ("true"/"1"/"ya"). Existing plans keep it either way.
#[server(prefix = "/fn", endpoint = "set_course_active")]
pub async fn set_course_active(id: i64, active: Option<String>) -> Result<bool, AppError> {
    use crate::backend::training::catalogue;
    let c = admin()?;
    let c = catalogue::switch_course(c.db(), &c.p.actor(), id, active).await?;
    Ok(c.active)
}

/// The rules (current versions) and what the rule form offers.
#[server(prefix = "/fn", endpoint = "rules")]
pub async fn get_rules() -> Result<RulesPage, AppError> {
    use crate::backend::training::catalogue::queries;
    let c = admin()?;
    queries::rules_page(c.db(), c.locale()).await
}

/// Creates a rule (its version 1). Criteria left empty mean "any";
/// `job_family` may list several families separated by commas.
#[server(prefix = "/fn", endpoint = "create_rule")]
pub async fn create_rule(#[server(flatten)] form: RuleForm) -> Result<SavedRule, AppError> {
    use crate::{backend::training::catalogue, model::catalogue::saved_href};
    let c = admin()?;
    let saved = catalogue::add_rule(c.db(), &c.p.actor(), &form).await?;
    after_plain_post(&saved_href(&saved));
    Ok(saved)
}

/// A rule's current version as the rule form shows it.
#[server(prefix = "/fn", endpoint = "rule")]
pub async fn get_rule(id: i64) -> Result<RuleDraft, AppError> {
    use crate::backend::training::catalogue::queries;
    let c = admin()?;
    queries::rule_draft(c.db(), id, c.locale()).await
}

/// Saves an edited rule as a new version (earlier versions stay; plans
/// already made are not touched). The same checks as creating one; a name
/// another rule has is refused (field `name`). `version`, when sent, is the
/// version the edit started from: if the rule has been saved since, the
/// edit is refused (409) rather than silently overwriting that version.
#[server(prefix = "/fn", endpoint = "update_rule")]
pub async fn update_rule(
    id: i64,
    version: Option<String>,
    #[server(flatten)] form: RuleForm,
) -> Result<SavedRule, AppError> {
    use crate::{backend::training::catalogue, model::catalogue::saved_href};
    let c = admin()?;
    let saved = catalogue::edit_rule(c.db(), &c.p.actor(), id, version, &form).await?;
    after_plain_post(&saved_href(&saved));
    Ok(saved)
}

/// The plan items the rule being composed would produce, alone, for an
/// existing transfer if it were completed today. Writes nothing. With
/// `rule_id` (an edit), the conditions the form does not show are those of
/// that rule, and its courses no longer active may stay.
#[server(prefix = "/fn", endpoint = "test_rule")]
pub async fn test_rule(
    #[server(flatten)] form: RuleForm,
    transfer_id: Option<String>,
    rule_id: Option<String>,
) -> Result<RuleTrial, AppError> {
    use crate::backend::training::catalogue::queries;
    let c = admin()?;
    queries::try_rule(c.db(), &form, transfer_id, rule_id, c.today(), c.locale()).await
}
