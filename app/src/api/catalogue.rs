//! Courses and plan rules for HR administrators: the searchable, paged
//! course list; adding a course; the rules with their current version,
//! criteria in words and required courses; creating a rule (version 1);
//! and testing a rule that is being composed against an existing transfer
//! (the plan that rule alone would produce; nothing is written). Every
//! function answers "not found" to anyone but an administrator, before
//! looking at what was sent.

// The course form has eight fields; the client half `#[server]` generates
// for them cannot carry an attribute of its own.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::accounts::Choice;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};

pub const PAGE_SIZE: u64 = 50;

/// How many course rows the rule form offers at first (the functions take
/// any number; "Tambah baris" offers more).
pub const ITEM_ROWS: usize = 5;

/// How many rows "Tambah baris" adds without JavaScript (one reload).
pub const ITEM_ROWS_STEP: usize = 5;

/// The most course rows the rule form shows.
pub const MAX_ITEM_ROWS: usize = 100;

/// The course list's status filter in the address: `?status=aktif|nonaktif`.
pub const COURSE_STATUSES: [&str; 2] = ["aktif", "nonaktif"];

/// Stored methods (the words: [`method_label`]).
pub const METHODS: [&str; 2] = ["klasikal", "nonklasikal"];

/// Stored competencies (the words: [`competency_label`]).
pub const COMPETENCIES: [&str; 3] = ["teknis", "manajerial", "sosial_kultural"];

/// Stored position kinds (the words: [`position_kind_label`]).
pub const POSITION_KINDS: [&str; 5] = [
    "jpt",
    "administrator",
    "pengawas",
    "fungsional",
    "pelaksana",
];

/// A stored method in words; `None` for a value Jejak does not know.
pub fn method_label(stored: &str, l: Locale) -> Option<&'static str> {
    Some(match stored {
        "klasikal" => td_string!(l, catalogue.method.klasikal),
        "nonklasikal" => td_string!(l, catalogue.method.nonklasikal),
        _ => return None,
    })
}

/// A stored competency in words; `None` for a value Jejak does not know.
pub fn competency_label(stored: &str, l: Locale) -> Option<&'static str> {
    Some(match stored {
        "teknis" => td_string!(l, catalogue.competency.teknis),
        "manajerial" => td_string!(l, catalogue.competency.manajerial),
        "sosial_kultural" => td_string!(l, catalogue.competency.sosial_kultural),
        _ => return None,
    })
}

/// A stored position kind in words; `None` for a value Jejak does not know.
pub fn position_kind_label(stored: &str, l: Locale) -> Option<&'static str> {
    Some(match stored {
        "jpt" => td_string!(l, catalogue.position_kind.jpt),
        "administrator" => td_string!(l, catalogue.position_kind.administrator),
        "pengawas" => td_string!(l, catalogue.position_kind.pengawas),
        "fungsional" => td_string!(l, catalogue.position_kind.fungsional),
        "pelaksana" => td_string!(l, catalogue.position_kind.pelaksana),
        _ => return None,
    })
}

/// One page of the course catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoursesPage {
    pub rows: Vec<CourseRow>,
    /// Courses matching the search (all pages).
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// The search as understood (trimmed).
    pub q: String,
    /// The status filter as understood: "aktif", "nonaktif" or "" (all).
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseRow {
    pub id: i64,
    pub code: String,
    pub title_id: String,
    pub title_en: String,
    pub competency: String,
    pub competency_label: String,
    pub jp: f64,
    /// klasikal | nonklasikal
    pub method: String,
    pub method_label: String,
    pub provider: String,
    pub validity_months: Option<i32>,
    /// "24 bulan" or "tidak kedaluwarsa".
    pub validity: String,
    pub active: bool,
}

/// The rules, with what the rule form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesPage {
    pub rules: Vec<RuleRow>,
    /// Active courses, "CODE — title".
    pub courses: Vec<Choice>,
    pub units: Vec<Choice>,
    /// The job families of the positions (suggestions).
    pub job_families: Vec<String>,
    /// Recent draft and approved transfers to test a rule against.
    pub transfers: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRow {
    pub id: i64,
    pub name: String,
    pub active: bool,
    pub version: i32,
    /// The criteria in words (page language), one line each ("Semua mutasi" when none).
    pub criteria: Vec<String>,
    pub items: Vec<RuleItemRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleItemRow {
    pub course_id: i64,
    pub code: String,
    pub title: String,
    pub due_offset_days: u32,
    pub required: bool,
    /// The course is still offered (an inactive one goes into no new plan).
    pub active: bool,
}

/// A rule's current version as the rule form shows it, for editing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleDraft {
    pub id: i64,
    /// The current version (saving makes `version + 1`).
    pub version: i32,
    pub name: String,
    pub active: bool,
    /// Families separated by commas.
    pub job_family: String,
    /// One stored kind, several separated by commas, or "" (any).
    pub position_kind: String,
    /// One unit id, several separated by commas, or "" (any).
    pub unit_id: String,
    /// One stored type, several separated by commas, or "" (any).
    pub transfer_type: String,
    /// In plan order.
    pub items: Vec<RuleItemField>,
    /// Conditions the form does not show (target positions, grades), in
    /// words: an edit keeps them as they are.
    pub kept_criteria: Vec<String>,
    /// Courses of this version no longer active, "CODE — title": the form
    /// offers them to this rule only, so that an edit can keep them.
    pub inactive_courses: Vec<Choice>,
}

/// One course row of the rule form, as sent (`items[0][course_id]=…`).
/// A row without a course is ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleItemField {
    pub course_id: Option<String>,
    pub due_offset_days: Option<String>,
    /// wajib | pilihan (also on/true/1 and false/0; absent: pilihan).
    pub required: Option<String>,
}

/// A saved rule version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRule {
    pub rule_id: i64,
    pub version: i32,
    pub name: String,
}

/// What a rule alone would produce for a transfer, as of today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTrial {
    pub transfer_id: i64,
    /// "Nama (NIP …) → Jabatan — Unit, TMT …".
    pub transfer: String,
    /// What the rule looks at in this transfer, in words.
    pub facts: Vec<String>,
    /// The criteria hold for this transfer.
    pub matched: bool,
    /// The rule as composed, in words.
    pub criteria: Vec<String>,
    pub items: Vec<TrialItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialItem {
    pub course_id: i64,
    pub code: String,
    pub title: String,
    /// In words, in the page language.
    pub due: String,
    /// ISO, for machines.
    pub due_iso: String,
    pub required: bool,
    /// Already completed and still valid on the due date.
    pub recognised: bool,
    pub recognised_note: String,
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::backend::access::Principal, AppError> {
    use crate::backend::access::{policy, principal};
    policy::authorize(principal(), &policy::Action::ManageCatalogue)
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
    use crate::backend::{state::AppState, training::catalogue::queries};
    admin()?;
    let app = AppState::current()?;
    queries::courses(
        &app.db,
        q.as_deref().unwrap_or(""),
        page.unwrap_or(1),
        status.as_deref().unwrap_or(""),
        crate::lang::request_locale(),
    )
    .await
}

/// One course, for the edit form.
#[server(prefix = "/fn", endpoint = "course")]
pub async fn get_course(id: i64) -> Result<CourseRow, AppError> {
    use crate::backend::{state::AppState, training::catalogue::queries};
    admin()?;
    let app = AppState::current()?;
    queries::course(&app.db, id, crate::lang::request_locale()).await
}

/// Adds a course. Every field is checked and a refusal names the field.
#[server(prefix = "/fn", endpoint = "create_course")]
pub async fn create_course(
    code: Option<String>,
    title_id: Option<String>,
    title_en: Option<String>,
    competency: Option<String>,
    jp: Option<String>,
    method: Option<String>,
    provider: Option<String>,
    validity_months: Option<String>,
) -> Result<i64, AppError> {
    use crate::backend::{
        state::AppState,
        {training::catalogue::queries, training::catalogue::queries::CourseForm},
    };
    let p = admin()?;
    let app = AppState::current()?;
    let c = queries::add_course(
        &app.db,
        &p.actor(),
        CourseForm {
            code,
            title_id,
            title_en,
            competency,
            jp,
            method,
            provider,
            validity_months,
        },
    )
    .await?;
    Ok(c.id)
}

/// Changes a course: the same fields and checks as adding one; a code used
/// by another course is refused (field `code`). One audit line.
#[server(prefix = "/fn", endpoint = "update_course")]
pub async fn update_course(
    id: i64,
    code: Option<String>,
    title_id: Option<String>,
    title_en: Option<String>,
    competency: Option<String>,
    jp: Option<String>,
    method: Option<String>,
    provider: Option<String>,
    validity_months: Option<String>,
) -> Result<i64, AppError> {
    use crate::backend::{
        state::AppState,
        {training::catalogue::queries, training::catalogue::queries::CourseForm},
    };
    let p = admin()?;
    let app = AppState::current()?;
    let c = queries::edit_course(
        &app.db,
        &p.actor(),
        id,
        CourseForm {
            code,
            title_id,
            title_en,
            competency,
            jp,
            method,
            provider,
            validity_months,
        },
    )
    .await?;
    after_plain_post(&format!("/admin/pelatihan?diubah={}", c.id));
    Ok(c.id)
}

/// Takes a course out of the offer (`active` = "false"/"0"/"tidak") or puts
/// it back ("true"/"1"/"ya"). Existing plans keep it either way.
#[server(prefix = "/fn", endpoint = "set_course_active")]
pub async fn set_course_active(id: i64, active: Option<String>) -> Result<bool, AppError> {
    use crate::backend::{state::AppState, training::catalogue::queries};
    let p = admin()?;
    let app = AppState::current()?;
    let c = queries::switch_course(&app.db, &p.actor(), id, active).await?;
    Ok(c.active)
}

/// The rules (current versions) and what the rule form offers.
#[server(prefix = "/fn", endpoint = "rules")]
pub async fn get_rules() -> Result<RulesPage, AppError> {
    use crate::backend::{state::AppState, training::catalogue::queries};
    admin()?;
    let app = AppState::current()?;
    queries::rules_page(
        &app.db,
        app.now_local().date_naive(),
        crate::lang::request_locale(),
    )
    .await
}

/// Creates a rule (its version 1). Criteria left empty mean "any";
/// `job_family` may list several families separated by commas.
#[server(prefix = "/fn", endpoint = "create_rule")]
pub async fn create_rule(
    name: Option<String>,
    active: Option<String>,
    job_family: Option<String>,
    position_kind: Option<String>,
    unit_id: Option<String>,
    transfer_type: Option<String>,
    items: Option<Vec<RuleItemField>>,
) -> Result<SavedRule, AppError> {
    use crate::backend::{
        state::AppState,
        {training::catalogue::queries, training::catalogue::queries::RuleForm},
    };
    let p = admin()?;
    let app = AppState::current()?;
    let saved = queries::add_rule(
        &app.db,
        &p.actor(),
        RuleForm {
            name,
            active,
            job_family,
            position_kind,
            unit_id,
            transfer_type,
            items: items.unwrap_or_default(),
        },
    )
    .await?;
    after_plain_post(&saved_href(&saved));
    Ok(saved)
}

/// A rule's current version as the rule form shows it.
#[server(prefix = "/fn", endpoint = "rule")]
pub async fn get_rule(id: i64) -> Result<RuleDraft, AppError> {
    use crate::backend::{state::AppState, training::catalogue::queries};
    admin()?;
    let app = AppState::current()?;
    queries::rule_draft(&app.db, id, crate::lang::request_locale()).await
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
    name: Option<String>,
    active: Option<String>,
    job_family: Option<String>,
    position_kind: Option<String>,
    unit_id: Option<String>,
    transfer_type: Option<String>,
    items: Option<Vec<RuleItemField>>,
) -> Result<SavedRule, AppError> {
    use crate::backend::{
        state::AppState,
        {training::catalogue::queries, training::catalogue::queries::RuleForm},
    };
    let p = admin()?;
    let app = AppState::current()?;
    let saved = queries::edit_rule(
        &app.db,
        &p.actor(),
        id,
        version,
        RuleForm {
            name,
            active,
            job_family,
            position_kind,
            unit_id,
            transfer_type,
            items: items.unwrap_or_default(),
        },
    )
    .await?;
    after_plain_post(&saved_href(&saved));
    Ok(saved)
}

/// Where the page shows a saved rule: `/admin/aturan?disimpan=<id>&versi=<n>`.
pub fn saved_href(saved: &SavedRule) -> String {
    format!(
        "/admin/aturan?disimpan={}&versi={}",
        saved.rule_id, saved.version
    )
}

/// After a plain form post (JavaScript off) that succeeded, sends the
/// browser to `to` instead of back to the page it came from. A request from
/// the hydrated page gets its answer as data and stays where it is.
#[cfg(feature = "ssr")]
fn after_plain_post(to: &str) {
    let plain = use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false);
    if plain {
        leptos_axum::redirect(to);
    }
}

/// The plan items the rule being composed would produce, alone, for an
/// existing transfer if it were completed today. Writes nothing. With
/// `rule_id` (an edit), the conditions the form does not show are those of
/// that rule, and its courses no longer active may stay.
#[server(prefix = "/fn", endpoint = "test_rule")]
pub async fn test_rule(
    name: Option<String>,
    active: Option<String>,
    job_family: Option<String>,
    position_kind: Option<String>,
    unit_id: Option<String>,
    transfer_type: Option<String>,
    items: Option<Vec<RuleItemField>>,
    transfer_id: Option<String>,
    rule_id: Option<String>,
) -> Result<RuleTrial, AppError> {
    use crate::backend::{
        state::AppState,
        {training::catalogue::queries, training::catalogue::queries::RuleForm},
    };
    admin()?;
    let app = AppState::current()?;
    queries::try_rule(
        &app.db,
        RuleForm {
            name,
            active,
            job_family,
            position_kind,
            unit_id,
            transfer_type,
            items: items.unwrap_or_default(),
        },
        transfer_id,
        rule_id,
        app.now_local().date_naive(),
        crate::lang::request_locale(),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::{
        competency_label, method_label, position_kind_label, COMPETENCIES, METHODS, POSITION_KINDS,
    };
    use crate::domain::plan::PositionKind;
    use crate::i18n::Locale;

    #[test]
    fn the_form_offers_exactly_the_stored_forms_of_the_domain() {
        for stored in POSITION_KINDS {
            assert_eq!(
                PositionKind::parse(stored).map(|k| k.as_str()),
                Some(stored)
            );
        }
        assert_eq!(COMPETENCIES.len(), 3);
        for l in [Locale::id, Locale::en] {
            assert!(POSITION_KINDS
                .iter()
                .all(|k| position_kind_label(k, l).is_some()));
            assert!(COMPETENCIES
                .iter()
                .all(|c| competency_label(c, l).is_some()));
            assert!(METHODS.iter().all(|m| method_label(m, l).is_some()));
        }
        assert_eq!(
            position_kind_label("jpt", Locale::id),
            Some("Jabatan pimpinan tinggi")
        );
        assert_eq!(
            competency_label("sosial_kultural", Locale::id),
            Some("Sosial kultural")
        );
        assert_eq!(
            method_label("nonklasikal", Locale::en),
            Some("Non-classroom")
        );
        assert_eq!(method_label("bogus", Locale::en), None);
    }

    #[test]
    fn sentences_keep_their_spacing() {
        use crate::i18n::td_string;
        // Appended after the course title: the leading space must survive.
        assert_eq!(
            td_string!(
                Locale::id,
                catalogue.rules.item_due,
                days = 30,
                kind = "wajib"
            ),
            " · 30 hari setelah TMT · wajib"
        );
        assert_eq!(
            td_string!(
                Locale::id,
                catalogue.rules.saved,
                name = "Orientasi",
                version = 1
            ),
            "Aturan “Orientasi” disimpan sebagai versi 1."
        );
    }
}
