//! Shared data types of the catalogue concern (see `crate::model`):
//! courses and plan rules as the administrator's pages receive them, the
//! course and rule forms as they are sent (field names are those of the
//! HTML inputs), and the stored values with their words.

use serde::{Deserialize, Serialize};

use crate::model::accounts::Choice;

/// Courses on one page of the catalogue.
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

stored_words! {
    /// Stored methods (the words: [`method_label`]).
    pub const METHODS;
    /// A stored method in words; `None` for a value Jejak does not know.
    pub fn method_label => catalogue.method [klasikal, nonklasikal]
}

stored_words! {
    /// Stored competencies (the words: [`competency_label`]).
    pub const COMPETENCIES;
    /// A stored competency in words; `None` for a value Jejak does not know.
    pub fn competency_label => catalogue.competency [teknis, manajerial, sosial_kultural]
}

stored_words! {
    /// Stored position kinds (the words: [`position_kind_label`]).
    pub const POSITION_KINDS;
    /// A stored position kind in words; `None` for a value Jejak does not know.
    pub fn position_kind_label => catalogue.position_kind [
        jpt,
        administrator,
        pengawas,
        fungsional,
        pelaksana,
    ]
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

/// The course form as sent: the names are those of the form's inputs, every
/// field optional (checked, field by field, by the catalogue service).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseForm {
    pub code: Option<String>,
    pub title_id: Option<String>,
    /// Empty: the Indonesian title.
    pub title_en: Option<String>,
    /// teknis | manajerial | sosial_kultural
    pub competency: Option<String>,
    /// "8", "2,5" or "2.5".
    pub jp: Option<String>,
    /// klasikal | nonklasikal
    pub method: Option<String>,
    pub provider: Option<String>,
    /// Whole months; empty: never expires.
    pub validity_months: Option<String>,
}

/// The rule form as sent (also the composing form's address): the names are
/// those of the form's inputs, every field optional (checked, field by
/// field, by the catalogue service). Criteria left empty mean "any";
/// `job_family`, `position_kind`, `unit_id` and `transfer_type` may list
/// several values separated by commas.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleForm {
    pub name: Option<String>,
    /// A checkbox: "on" (also true/1/ya) when the rule is active.
    pub active: Option<String>,
    pub job_family: Option<String>,
    pub position_kind: Option<String>,
    pub unit_id: Option<String>,
    pub transfer_type: Option<String>,
    /// The course rows, in order (`items[0][course_id]=…`).
    pub items: Option<Vec<RuleItemField>>,
}

/// "2" for 2.0, "2,5" for 2.5 (Indonesian decimal comma).
pub fn jp_label(jp: f64) -> String {
    format!("{}", (jp * 100.0).round() / 100.0).replace('.', ",")
}

/// Where the page shows a saved rule: `/admin/aturan?disimpan=<id>&versi=<n>`.
pub fn saved_href(saved: &SavedRule) -> String {
    format!(
        "/admin/aturan?disimpan={}&versi={}",
        saved.rule_id, saved.version
    )
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
    fn hours_are_written_with_a_decimal_comma() {
        use super::jp_label;
        assert_eq!(jp_label(2.5), "2,5");
        assert_eq!(jp_label(8.0), "8");
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
