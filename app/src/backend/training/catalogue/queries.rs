//! Reading the catalogue for the administrator's pages, checking the
//! course and rule forms field by field, and testing a rule being composed
//! against an existing transfer (the plan that rule alone would produce,
//! computed by the pure `generate_plan`; nothing is written).

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use sea_orm::{
    sea_query::{Expr, Func, LikeExpr},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::{
    api::{
        accounts::Choice,
        catalogue::{
            competency_label, method_label, position_kind_label, CourseRow, CoursesPage, RuleDraft,
            RuleItemField, RuleItemRow, RuleRow, RuleTrial, RulesPage, SavedRule, TrialItem,
            COMPETENCIES, METHODS, PAGE_SIZE,
        },
        transfers::transfer_type_label,
    },
    backend::entities::{
        completion, course, employee, plan_rule, plan_rule_version, position, transfer, unit,
    },
    domain::{
        dates::long_date_in,
        plan::{
            generate_plan, valid_until, Criteria, Disposition, PositionKind, PriorCompletion, Rule,
            RuleItem, TransferType,
        },
    },
    error::AppError,
    i18n::{td_string, Locale},
};
use {
    crate::backend::audit::Actor,
    crate::backend::training::catalogue::{self, NewCourse},
    crate::backend::transfers,
    crate::backend::transfers::list::recognised_note,
};

/// The words of a stored value, or the value itself when it has none.
fn label_of(words: Option<&'static str>, stored: &str) -> String {
    words.unwrap_or(stored).to_string()
}

/// `%text%` for LIKE, with the wildcards in `text` taken literally.
fn contains_pattern(text: &str) -> LikeExpr {
    let mut p = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    LikeExpr::new(p).escape('\\')
}

fn lower_contains(col: course::Column, lower: &str) -> Expr {
    use sea_orm::sea_query::ExprTrait as _;
    Expr::expr(Func::lower(Expr::col((course::Entity, col)))).like(contains_pattern(lower))
}

/// "2" for 2.0, "2,5" for 2.5 (Indonesian decimal comma).
pub fn jp_label(jp: f64) -> String {
    let s = format!("{}", (jp * 100.0).round() / 100.0);
    s.replace('.', ",")
}

fn course_row(c: course::Model, l: Locale) -> CourseRow {
    CourseRow {
        id: c.id,
        competency_label: label_of(competency_label(&c.competency, l), &c.competency),
        method_label: label_of(method_label(&c.method, l), &c.method),
        validity: match c.validity_months {
            Some(m) => td_string!(l, catalogue.courses.validity_months, n = m).to_string(),
            None => td_string!(l, catalogue.courses.never_expires).to_string(),
        },
        code: c.code,
        title_id: c.title_id,
        title_en: c.title_en,
        competency: c.competency,
        jp: c.jp,
        method: c.method,
        provider: c.provider,
        validity_months: c.validity_months,
        active: c.active,
    }
}

/// One page of courses by code; `q` matches the code or the Indonesian
/// title, case-insensitively; `status` "aktif" or "nonaktif" keeps only
/// those (anything else: all). A page past the last is the last. The words
/// are in `l`.
pub async fn courses(
    db: &DatabaseConnection,
    q: &str,
    page: u64,
    status: &str,
    l: Locale,
) -> Result<CoursesPage, AppError> {
    let q = q.trim();
    let status = status.trim().to_lowercase();
    let mut query = course::Entity::find();
    let status = match status.as_str() {
        "aktif" => {
            query = query.filter(course::Column::Active.eq(true));
            status
        }
        "nonaktif" => {
            query = query.filter(course::Column::Active.eq(false));
            status
        }
        _ => String::new(),
    };
    if !q.is_empty() {
        let lower = q.to_lowercase();
        query = query.filter(
            Condition::any()
                .add(lower_contains(course::Column::Code, &lower))
                .add(lower_contains(course::Column::TitleId, &lower)),
        );
    }
    let paginator = query
        .order_by_asc(course::Column::Code)
        .order_by_asc(course::Column::Id)
        .paginate(db, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let rows = paginator
        .fetch_page(page - 1)
        .await?
        .into_iter()
        .map(|c| course_row(c, l))
        .collect();
    Ok(CoursesPage {
        rows,
        total,
        page,
        pages,
        q: q.to_string(),
        status,
    })
}

/// One course, for the edit form; words in `l`.
pub async fn course(db: &DatabaseConnection, id: i64, l: Locale) -> Result<CourseRow, AppError> {
    course::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|c| course_row(c, l))
        .ok_or(AppError::NotFound)
}

/// The course form as sent: every field optional, checked here.
#[derive(Debug, Clone, Default)]
pub struct CourseForm {
    pub code: Option<String>,
    pub title_id: Option<String>,
    pub title_en: Option<String>,
    pub competency: Option<String>,
    pub jp: Option<String>,
    pub method: Option<String>,
    pub provider: Option<String>,
    pub validity_months: Option<String>,
}

fn text(v: &Option<String>) -> String {
    v.as_deref().unwrap_or("").trim().to_string()
}

/// JP: a positive number; "2,5" and "2.5" both mean two and a half.
fn parse_jp(raw: &str) -> Result<f64, AppError> {
    if raw.is_empty() {
        return Err(AppError::invalid(
            "jp",
            "JP (jam pelajaran) wajib diisi",
            "The hours (JP) are required",
        ));
    }
    let jp = raw
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            AppError::invalid(
                "jp",
                format!("JP harus berupa angka, misalnya 8 atau 2,5; bukan {raw:?}"),
                format!("JP must be a number such as 8 or 2.5, not {raw:?}"),
            )
        })?;
    if !(jp > 0.0 && jp <= 1000.0) {
        return Err(AppError::invalid(
            "jp",
            format!("JP harus lebih dari 0 dan paling banyak 1000, bukan {raw}"),
            format!("JP must be above 0 and at most 1000, not {raw}"),
        ));
    }
    Ok(jp)
}

/// Validity in whole months, or empty for "never expires".
fn parse_validity(raw: &str) -> Result<Option<i32>, AppError> {
    if raw.is_empty() {
        return Ok(None);
    }
    let m = raw.parse::<i64>().map_err(|_| {
        AppError::invalid(
            "validity_months",
            format!("Masa berlaku harus bilangan bulat bulan (atau kosong), bukan {raw:?}"),
            format!("Validity must be a whole number of months (or empty), not {raw:?}"),
        )
    })?;
    if m <= 0 || m > 1200 {
        return Err(AppError::invalid(
            "validity_months",
            format!(
                "Masa berlaku harus antara 1 dan 1200 bulan, atau kosong jika tidak kedaluwarsa; bukan {m}"
            ),
            format!("Validity must be between 1 and 1200 months, or empty if it never expires; not {m}"),
        ));
    }
    Ok(Some(m as i32))
}

/// Checks the course form field by field (a refusal names the field), then
/// adds the course through `catalogue::create_course`.
pub async fn add_course(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    form: CourseForm,
) -> Result<course::Model, AppError> {
    let new = check_course(db, &form, None).await?;
    catalogue::create_course(db, actor, new)
        .await
        .map_err(code_taken)
}

/// Checks the course form as for adding one, then changes course `id`
/// through `catalogue::update_course` (one transaction, one audit line).
/// A code another course has is refused (field `code`).
pub async fn edit_course(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    form: CourseForm,
) -> Result<course::Model, AppError> {
    let new = check_course(db, &form, Some(id)).await?;
    catalogue::update_course(db, actor, id, new)
        .await
        .map_err(code_taken)
}

/// A code taken by someone else in the meantime: a refusal of the field.
fn code_taken(e: AppError) -> AppError {
    match e {
        AppError::Conflict { message } => AppError::Invalid {
            field: Some("code".into()),
            message,
        },
        other => other,
    }
}

/// Takes course `id` out of the offer or puts it back (`active`: "true",
/// "1", "ya", "on" or "false", "0", "tidak", "off").
pub async fn switch_course(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    active: Option<String>,
) -> Result<course::Model, AppError> {
    let active = match text(&active).to_lowercase().as_str() {
        "true" | "1" | "ya" | "on" | "aktif" => true,
        "false" | "0" | "tidak" | "off" | "nonaktif" => false,
        other => {
            return Err(AppError::invalid(
                "active",
                format!("Status tidak dikenal: {other:?} (true atau false)"),
                format!("Unknown status: {other:?} (true or false)"),
            ))
        }
    };
    catalogue::set_course_active(db, actor, id, active).await
}

/// The course form's fields, checked one by one (a refusal names the
/// field); `except` is the course being edited (its own code is not "taken").
async fn check_course(
    db: &DatabaseConnection,
    form: &CourseForm,
    except: Option<i64>,
) -> Result<NewCourse, AppError> {
    let code = text(&form.code).to_uppercase();
    if code.is_empty() {
        return Err(AppError::invalid(
            "code",
            "Kode pelatihan wajib diisi",
            "The course code is required",
        ));
    }
    if code.chars().count() > 40 {
        return Err(AppError::invalid(
            "code",
            "Kode pelatihan terlalu panjang (maksimum 40 karakter)",
            "The course code is too long (at most 40 characters)",
        ));
    }
    if let Some(other) = course::Entity::find()
        .filter(course::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .filter(|c| Some(c.id) != except)
    {
        return Err(AppError::invalid(
            "code",
            format!("Kode pelatihan {code} sudah dipakai ({})", other.title_id),
            format!("Course code {code} is already in use ({})", other.title_id),
        ));
    }
    let title_id = text(&form.title_id);
    if title_id.is_empty() {
        return Err(AppError::invalid(
            "title_id",
            "Judul pelatihan wajib diisi",
            "The course title is required",
        ));
    }
    if title_id.chars().count() > 200 {
        return Err(AppError::invalid(
            "title_id",
            "Judul pelatihan terlalu panjang (maksimum 200 karakter)",
            "The course title is too long (at most 200 characters)",
        ));
    }
    let competency = text(&form.competency);
    if !COMPETENCIES.contains(&competency.as_str()) {
        return Err(AppError::invalid(
            "competency",
            format!(
                "Kompetensi harus teknis, manajerial atau sosial_kultural, bukan {competency:?}"
            ),
            format!(
                "The competency must be teknis, manajerial or sosial_kultural, not {competency:?}"
            ),
        ));
    }
    let jp = parse_jp(&text(&form.jp))?;
    let method = text(&form.method);
    if !METHODS.contains(&method.as_str()) {
        return Err(AppError::invalid(
            "method",
            format!("Metode harus klasikal atau nonklasikal, bukan {method:?}"),
            format!("The method must be klasikal or nonklasikal, not {method:?}"),
        ));
    }
    let provider = text(&form.provider);
    if provider.chars().count() > 200 {
        return Err(AppError::invalid(
            "provider",
            "Penyelenggara terlalu panjang (maksimum 200 karakter)",
            "The provider is too long (at most 200 characters)",
        ));
    }
    let validity_months = parse_validity(&text(&form.validity_months))?;
    let title_en = match text(&form.title_en) {
        t if t.is_empty() => title_id.clone(),
        t => t,
    };
    if title_en.chars().count() > 200 {
        return Err(AppError::invalid(
            "title_en",
            "Judul bahasa Inggris terlalu panjang (maksimum 200 karakter)",
            "The English title is too long (at most 200 characters)",
        ));
    }
    Ok(NewCourse {
        code,
        title_id,
        title_en,
        competency,
        jp,
        method,
        provider,
        validity_months,
    })
}

/// The rule form as sent: every field optional, checked here.
#[derive(Debug, Clone, Default)]
pub struct RuleForm {
    pub name: Option<String>,
    pub active: Option<String>,
    pub job_family: Option<String>,
    pub position_kind: Option<String>,
    pub unit_id: Option<String>,
    pub transfer_type: Option<String>,
    pub items: Vec<RuleItemField>,
}

/// A rule form that passed the checks.
#[derive(Debug, Clone)]
pub struct CheckedRule {
    pub name: String,
    pub active: bool,
    pub criteria: Criteria,
    pub items: Vec<RuleItem>,
}

fn truthy(field: &str, raw: &str) -> Result<bool, AppError> {
    match raw.trim().to_lowercase().as_str() {
        "" | "pilihan" | "false" | "0" | "tidak" | "off" => Ok(false),
        "wajib" | "true" | "1" | "ya" | "on" => Ok(true),
        other => Err(AppError::invalid(
            field,
            format!("Nilai tidak dikenal: {other:?} (wajib atau pilihan)"),
            format!("Unknown value: {other:?} (wajib or pilihan)"),
        )),
    }
}

/// The values of a field that may list several, separated by commas
/// (trimmed, without empties or repeats, in the order given).
fn list(v: &Option<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text(v).split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if !out.iter().any(|o| o == part) {
            out.push(part.to_string());
        }
    }
    out
}

/// Checks the criteria and the items (the name only when `need_name`).
/// Position kind, unit and transfer type may each list several values
/// separated by commas. Courses no longer active are refused, but for those
/// in `keep` (the courses of the rule being edited).
pub async fn check_rule<C: ConnectionTrait>(
    db: &C,
    form: &RuleForm,
    need_name: bool,
    keep: &[i64],
) -> Result<CheckedRule, AppError> {
    let name = text(&form.name);
    if need_name && name.is_empty() {
        return Err(AppError::invalid(
            "name",
            "Nama aturan wajib diisi",
            "The rule name is required",
        ));
    }
    if name.chars().count() > 200 {
        return Err(AppError::invalid(
            "name",
            "Nama aturan terlalu panjang (maksimum 200 karakter)",
            "The rule name is too long (at most 200 characters)",
        ));
    }
    let active = truthy("active", form.active.as_deref().unwrap_or(""))?;
    let job_families: Vec<String> = text(&form.job_family)
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if job_families.iter().any(|f| f.chars().count() > 100) {
        return Err(AppError::invalid(
            "job_family",
            "Rumpun jabatan terlalu panjang (maksimum 100 karakter)",
            "The job family is too long (at most 100 characters)",
        ));
    }
    let mut position_kinds = Vec::new();
    for kind in list(&form.position_kind) {
        position_kinds.push(PositionKind::parse(&kind).ok_or_else(|| {
            AppError::invalid(
                "position_kind",
                format!("Jenis jabatan tidak dikenal: {kind:?}"),
                format!("Unknown position kind: {kind:?}"),
            )
        })?);
    }
    let mut unit_subtrees = Vec::new();
    for unit_raw in list(&form.unit_id) {
        let id = unit_raw.parse::<i64>().map_err(|_| {
            AppError::invalid(
                "unit_id",
                format!("Unit tidak valid: {unit_raw:?}"),
                format!("Invalid unit: {unit_raw:?}"),
            )
        })?;
        if unit::Entity::find_by_id(id).one(db).await?.is_none() {
            return Err(AppError::invalid(
                "unit_id",
                format!("Unit dengan id {id} tidak ditemukan"),
                format!("Unit {id} does not exist"),
            ));
        }
        if !unit_subtrees.contains(&id) {
            unit_subtrees.push(id);
        }
    }
    let mut transfer_types = Vec::new();
    for type_raw in list(&form.transfer_type) {
        transfer_types.push(TransferType::parse(&type_raw).ok_or_else(|| {
            AppError::invalid(
                "transfer_type",
                format!("Jenis mutasi tidak dikenal: {type_raw:?}"),
                format!("Unknown transfer type: {type_raw:?}"),
            )
        })?);
    }
    let mut items: Vec<RuleItem> = Vec::new();
    for (i, row) in form.items.iter().enumerate() {
        let n = i + 1;
        let course_raw = text(&row.course_id);
        if course_raw.is_empty() {
            continue;
        }
        let course_id = course_raw.parse::<i64>().map_err(|_| {
            AppError::invalid(
                "items",
                format!("Baris {n}: pelatihan tidak valid: {course_raw:?}"),
                format!("Row {n}: invalid course: {course_raw:?}"),
            )
        })?;
        let offset_raw = text(&row.due_offset_days);
        if offset_raw.is_empty() {
            return Err(AppError::invalid(
                "items",
                format!("Baris {n}: tenggat (hari setelah TMT) wajib diisi"),
                format!("Row {n}: the due offset (days after the effective date) is required"),
            ));
        }
        let offset = offset_raw.parse::<i64>().map_err(|_| {
            AppError::invalid(
                "items",
                format!("Baris {n}: tenggat harus bilangan bulat hari, bukan {offset_raw:?}"),
                format!(
                    "Row {n}: the due offset must be a whole number of days, not {offset_raw:?}"
                ),
            )
        })?;
        if !(0..=3650).contains(&offset) {
            return Err(AppError::invalid(
                "items",
                format!(
                    "Baris {n}: tenggat harus antara 0 dan 3650 hari setelah TMT, bukan {offset}"
                ),
                format!("Row {n}: the due offset must be between 0 and 3650 days, not {offset}"),
            ));
        }
        let required = truthy("items", row.required.as_deref().unwrap_or(""))?;
        if items.iter().any(|it| it.course_id == course_id) {
            return Err(AppError::invalid(
                "items",
                format!("Baris {n}: pelatihan ini sudah dipilih di baris lain"),
                format!("Row {n}: this course is already chosen in another row"),
            ));
        }
        match course::Entity::find_by_id(course_id).one(db).await? {
            Some(c) if c.active || keep.contains(&c.id) => {}
            Some(c) => {
                return Err(AppError::invalid(
                    "items",
                    format!("Baris {n}: pelatihan {} tidak aktif", c.code),
                    format!("Row {n}: course {} is not active", c.code),
                ))
            }
            None => {
                return Err(AppError::invalid(
                    "items",
                    format!("Baris {n}: pelatihan dengan id {course_id} tidak ditemukan"),
                    format!("Row {n}: course {course_id} does not exist"),
                ))
            }
        }
        items.push(RuleItem {
            course_id,
            due_offset_days: offset as u32,
            required,
            order: (items.len() as u32 + 1) * 10,
            prerequisites: vec![],
        });
    }
    if items.is_empty() {
        return Err(AppError::invalid(
            "items",
            "Pilih paling sedikit satu pelatihan yang diwajibkan aturan",
            "Choose at least one course the rule requires",
        ));
    }
    Ok(CheckedRule {
        name,
        active,
        criteria: Criteria {
            job_families,
            position_kinds,
            unit_subtrees,
            transfer_types,
            ..Default::default()
        },
        items,
    })
}

/// Creates a rule (version 1) after checking the form; a second rule with
/// the same name is refused (a form sent twice does not make two rules;
/// `catalogue::save_rule` checks it in the transaction that writes).
pub async fn add_rule(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    form: RuleForm,
) -> Result<SavedRule, AppError> {
    let checked = check_rule(db, &form, true, &[]).await?;
    let v = catalogue::save_rule(
        db,
        actor,
        None,
        &checked.name,
        checked.active,
        checked.criteria,
        checked.items,
    )
    .await?;
    Ok(SavedRule {
        rule_id: v.rule_id,
        version: v.version,
        name: v.name,
    })
}

/// A rule and its current version (criteria and items as stored).
async fn current_version<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<(plan_rule::Model, Criteria, Vec<RuleItem>)>, AppError> {
    let Some(rule) = plan_rule::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let (criteria, mut items) = match plan_rule_version::Entity::find()
        .filter(plan_rule_version::Column::RuleId.eq(id))
        .filter(plan_rule_version::Column::Version.eq(rule.current_version))
        .one(db)
        .await?
    {
        Some(v) => parse_version(&v)?,
        None => (Criteria::default(), vec![]),
    };
    items.sort_by_key(|i| (i.order, i.course_id));
    Ok(Some((rule, criteria, items)))
}

fn parse_version(v: &plan_rule_version::Model) -> Result<(Criteria, Vec<RuleItem>), AppError> {
    let criteria: Criteria = serde_json::from_str(&v.criteria).map_err(|e| AppError::Internal {
        reference: format!("rule {} criteria: {e}", v.rule_id),
    })?;
    let items: Vec<RuleItem> = serde_json::from_str(&v.items).map_err(|e| AppError::Internal {
        reference: format!("rule {} items: {e}", v.rule_id),
    })?;
    Ok((criteria, items))
}

/// The conditions the form does not show (target positions, grades): an
/// edit keeps those of the version it changes.
fn keep_hidden_criteria(checked: &mut Criteria, stored: &Criteria) {
    checked.position_ids = stored.position_ids.clone();
    checked.grade_min = stored.grade_min;
    checked.grade_max = stored.grade_max;
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
    form: RuleForm,
) -> Result<SavedRule, AppError> {
    let current = current_version(db, id).await?;
    let keep: Vec<i64> = current
        .as_ref()
        .map(|(_, _, items)| items.iter().map(|i| i.course_id).collect())
        .unwrap_or_default();
    let mut checked = check_rule(db, &form, true, &keep).await?;
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
    let v = catalogue::save_rule(
        db,
        actor,
        Some(rule.id),
        &checked.name,
        checked.active,
        checked.criteria,
        checked.items,
    )
    .await?;
    Ok(SavedRule {
        rule_id: v.rule_id,
        version: v.version,
        name: v.name,
    })
}

/// A rule's current version as the rule form shows it; words in `l`.
pub async fn rule_draft(
    db: &DatabaseConnection,
    id: i64,
    l: Locale,
) -> Result<RuleDraft, AppError> {
    let (rule, criteria, items) = current_version(db, id).await?.ok_or(AppError::NotFound)?;
    let names = Names::load(db, l).await?;
    let hidden = Criteria {
        position_ids: criteria.position_ids.clone(),
        grade_min: criteria.grade_min,
        grade_max: criteria.grade_max,
        ..Default::default()
    };
    let kept_criteria = if hidden == Criteria::default() {
        vec![]
    } else {
        criteria_words(&hidden, &names)
    };
    let joined = |v: Vec<String>| v.join(",");
    let inactive_courses = items
        .iter()
        .filter(|i| names.courses.get(&i.course_id).is_some_and(|c| !c.active))
        .map(|i| {
            let (code, title) = names.course(i.course_id);
            Choice {
                id: i.course_id,
                label: td_string!(
                    l,
                    catalogue.composer.inactive_course,
                    code = code,
                    title = title
                )
                .to_string(),
            }
        })
        .collect();
    Ok(RuleDraft {
        id: rule.id,
        version: rule.current_version,
        name: rule.name,
        active: rule.active,
        job_family: criteria.job_families.join(", "),
        position_kind: joined(
            criteria
                .position_kinds
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
        ),
        unit_id: joined(
            criteria
                .unit_subtrees
                .iter()
                .map(|u| u.to_string())
                .collect(),
        ),
        transfer_type: joined(
            criteria
                .transfer_types
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
        ),
        items: items
            .iter()
            .map(|i| RuleItemField {
                course_id: Some(i.course_id.to_string()),
                due_offset_days: Some(i.due_offset_days.to_string()),
                required: Some(if i.required { "wajib" } else { "pilihan" }.to_string()),
            })
            .collect(),
        kept_criteria,
        inactive_courses,
    })
}

/// Names of units, positions and courses for describing criteria, and the
/// language to describe them in.
struct Names {
    units: HashMap<i64, String>,
    positions: HashMap<i64, String>,
    courses: HashMap<i64, course::Model>,
    l: Locale,
}

impl Names {
    async fn load<C: ConnectionTrait>(db: &C, l: Locale) -> Result<Names, AppError> {
        Ok(Names {
            l,
            units: unit::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect(),
            positions: position::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect(),
            courses: course::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.id, c))
                .collect(),
        })
    }

    fn unit(&self, id: i64) -> String {
        self.units
            .get(&id)
            .cloned()
            .unwrap_or_else(|| td_string!(self.l, catalogue.words.unit_n, id = id).to_string())
    }

    fn position(&self, id: i64) -> String {
        self.positions
            .get(&id)
            .cloned()
            .unwrap_or_else(|| td_string!(self.l, catalogue.words.position_n, id = id).to_string())
    }

    /// The code and the title in the language (the Indonesian one when
    /// there is no English title).
    fn course(&self, id: i64) -> (String, String) {
        self.courses
            .get(&id)
            .map(|c| {
                let title = match self.l {
                    Locale::en if !c.title_en.trim().is_empty() => &c.title_en,
                    _ => &c.title_id,
                };
                (c.code.clone(), title.clone())
            })
            .unwrap_or_else(|| {
                (
                    String::new(),
                    td_string!(self.l, transfers.plan.course_n, id = id).to_string(),
                )
            })
    }
}

/// The criteria in words (in the language of `names`), one condition a line.
fn criteria_words(c: &Criteria, names: &Names) -> Vec<String> {
    let l = names.l;
    let mut out = Vec::new();
    if !c.position_ids.is_empty() {
        let ps: Vec<String> = c
            .position_ids
            .iter()
            .map(|id| names.position(*id))
            .collect();
        out.push(td_string!(l, catalogue.words.to_position, list = ps.join(", ")).to_string());
    }
    if !c.job_families.is_empty() {
        out.push(
            td_string!(
                l,
                catalogue.words.job_family,
                list = c.job_families.join(", ")
            )
            .to_string(),
        );
    }
    if !c.position_kinds.is_empty() {
        let ks: Vec<String> = c
            .position_kinds
            .iter()
            .map(|k| label_of(position_kind_label(k.as_str(), l), k.as_str()))
            .collect();
        out.push(td_string!(l, catalogue.words.position_kind, list = ks.join(", ")).to_string());
    }
    if !c.unit_subtrees.is_empty() {
        let us: Vec<String> = c.unit_subtrees.iter().map(|u| names.unit(*u)).collect();
        out.push(td_string!(l, catalogue.words.unit, list = us.join(", ")).to_string());
    }
    match (c.grade_min, c.grade_max) {
        (None, None) => {}
        (Some(a), None) => {
            out.push(td_string!(l, catalogue.words.grade_min, grade = a.code()).to_string())
        }
        (None, Some(b)) => {
            out.push(td_string!(l, catalogue.words.grade_max, grade = b.code()).to_string())
        }
        (Some(a), Some(b)) => out.push(
            td_string!(
                l,
                catalogue.words.grade_range,
                min = a.code(),
                max = b.code()
            )
            .to_string(),
        ),
    }
    if !c.transfer_types.is_empty() {
        let ts: Vec<String> = c
            .transfer_types
            .iter()
            .map(|t| label_of(transfer_type_label(t.as_str(), l), t.as_str()))
            .collect();
        out.push(td_string!(l, catalogue.words.transfer_type, list = ts.join(", ")).to_string());
    }
    if out.is_empty() {
        out.push(td_string!(l, catalogue.words.any_transfer).to_string());
    }
    out
}

/// Every rule with its current version, by name; and what the form offers.
/// The words are in `l`.
pub async fn rules_page(
    db: &DatabaseConnection,
    _today: NaiveDate,
    l: Locale,
) -> Result<RulesPage, AppError> {
    let names = Names::load(db, l).await?;
    let rules = plan_rule::Entity::find()
        .order_by_asc(plan_rule::Column::Name)
        .order_by_asc(plan_rule::Column::Id)
        .all(db)
        .await?;
    let current: HashMap<(i64, i32), plan_rule_version::Model> = plan_rule_version::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|v| ((v.rule_id, v.version), v))
        .collect();
    let mut rows = Vec::with_capacity(rules.len());
    for r in rules {
        let (criteria, items) = match current.get(&(r.id, r.current_version)) {
            Some(v) => parse_version(v)?,
            None => (Criteria::default(), vec![]),
        };
        let mut items = items;
        items.sort_by_key(|i| (i.order, i.course_id));
        rows.push(RuleRow {
            id: r.id,
            name: r.name,
            active: r.active,
            version: r.current_version,
            criteria: criteria_words(&criteria, &names),
            items: items
                .into_iter()
                .map(|i| {
                    let (code, title) = names.course(i.course_id);
                    RuleItemRow {
                        course_id: i.course_id,
                        code,
                        title,
                        due_offset_days: i.due_offset_days,
                        required: i.required,
                        active: names.courses.get(&i.course_id).is_some_and(|c| c.active),
                    }
                })
                .collect(),
        });
    }
    let mut courses: Vec<&course::Model> = names.courses.values().filter(|c| c.active).collect();
    courses.sort_by(|a, b| a.code.cmp(&b.code));
    let mut units: Vec<Choice> = names
        .units
        .iter()
        .map(|(id, name)| Choice {
            id: *id,
            label: name.clone(),
        })
        .collect();
    units.sort_by(|a, b| a.label.cmp(&b.label).then(a.id.cmp(&b.id)));
    let job_families: BTreeSet<String> = position::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.job_family)
        .filter(|f| !f.is_empty())
        .collect();
    let open = transfer::Entity::find()
        .filter(transfer::Column::State.is_in(["draft", "approved"]))
        .order_by_desc(transfer::Column::Id)
        .limit(100)
        .all(db)
        .await?;
    let people: HashMap<i64, employee::Model> = employee::Entity::find()
        .filter(employee::Column::Id.is_in(open.iter().map(|t| t.employee_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let transfers = open
        .iter()
        .map(|t| Choice {
            id: t.id,
            label: transfer_label(t, people.get(&t.employee_id), &names),
        })
        .collect();
    Ok(RulesPage {
        rules: rows,
        courses: courses
            .into_iter()
            .map(|c| {
                let (code, title) = names.course(c.id);
                Choice {
                    id: c.id,
                    label: format!("{code} — {title}"),
                }
            })
            .collect(),
        units,
        job_families: job_families.into_iter().collect(),
        transfers,
    })
}

/// "Nama (NIP …) → Jabatan — Unit, TMT 1 Maret 2026", in the language of `names`.
fn transfer_label(t: &transfer::Model, emp: Option<&employee::Model>, names: &Names) -> String {
    let l = names.l;
    let who = match emp {
        Some(e) => td_string!(l, catalogue.words.who, name = &e.name, nip = &e.nip).to_string(),
        None => td_string!(l, catalogue.words.employee_n, id = t.employee_id).to_string(),
    };
    td_string!(
        l,
        catalogue.words.transfer,
        who = who,
        position = names.position(t.to_position_id),
        unit = names.unit(t.to_unit_id),
        tmt = long_date_in(t.tmt, l)
    )
    .to_string()
}

/// The target unit followed by its ancestors (bounded: a cycle cannot loop forever).
async fn unit_path<C: ConnectionTrait>(db: &C, start: i64) -> Result<Vec<i64>, AppError> {
    let mut path = vec![start];
    let mut current = start;
    for _ in 0..64 {
        match unit::Entity::find_by_id(current)
            .one(db)
            .await?
            .and_then(|u| u.parent_id)
        {
            Some(p) if !path.contains(&p) => {
                path.push(p);
                current = p;
            }
            _ => break,
        }
    }
    Ok(path)
}

/// The plan the rule being composed would produce, alone, for an existing
/// transfer completed `today`: the transfer's facts and the person's
/// history as `transfers::preview_plan` reads them, this one rule (taken as
/// active), the active catalogue. With `rule_id` (an edit of that rule), the
/// conditions the form does not show are the rule's and its courses no
/// longer active may stay (they give nothing: the catalogue is the active
/// one). Only reads. The words are in `l`.
pub async fn try_rule(
    db: &DatabaseConnection,
    form: RuleForm,
    transfer_id: Option<String>,
    rule_id: Option<String>,
    today: NaiveDate,
    l: Locale,
) -> Result<RuleTrial, AppError> {
    let editing = match text(&rule_id) {
        r if r.is_empty() => None,
        r => {
            let id = r.parse::<i64>().map_err(|_| {
                AppError::invalid(
                    "rule_id",
                    format!("Aturan tidak valid: {r:?}"),
                    format!("Invalid rule: {r:?}"),
                )
            })?;
            Some(current_version(db, id).await?.ok_or_else(|| {
                AppError::invalid(
                    "rule_id",
                    format!("Aturan dengan id {id} tidak ditemukan"),
                    format!("Rule {id} does not exist"),
                )
            })?)
        }
    };
    let keep: Vec<i64> = editing
        .as_ref()
        .map(|(_, _, items)| items.iter().map(|i| i.course_id).collect())
        .unwrap_or_default();
    let mut checked = check_rule(db, &form, false, &keep).await?;
    if let Some((_, stored, _)) = &editing {
        keep_hidden_criteria(&mut checked.criteria, stored);
    }
    let raw = text(&transfer_id);
    if raw.is_empty() {
        return Err(AppError::invalid(
            "transfer_id",
            "Pilih mutasi untuk menguji aturan",
            "Choose a transfer to test the rule against",
        ));
    }
    let id = raw.parse::<i64>().map_err(|_| {
        AppError::invalid(
            "transfer_id",
            format!("Mutasi tidak valid: {raw:?}"),
            format!("Invalid transfer: {raw:?}"),
        )
    })?;
    let t = transfer::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "transfer_id",
                format!("Mutasi dengan id {id} tidak ditemukan"),
                format!("Transfer {id} does not exist"),
            )
        })?;
    let emp = employee::Entity::find_by_id(t.employee_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let pos = position::Entity::find_by_id(t.to_position_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = transfers::transfer_facts(&t, &emp, &pos, unit_path(db, t.to_unit_id).await?);
    let history: Vec<PriorCompletion> = completion::Entity::find()
        .filter(completion::Column::EmployeeId.eq(emp.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| PriorCompletion {
            record_id: c.id,
            course_id: c.course_id,
            completed_on: c.completed_on,
        })
        .collect();
    let catalogue = transfers::active_catalogue(db).await?;
    let name = if checked.name.is_empty() {
        td_string!(l, catalogue.words.new_rule).to_string()
    } else {
        checked.name.clone()
    };
    let rule = Rule {
        id: 0,
        version: 1,
        name,
        active: true,
        criteria: checked.criteria.clone(),
        items: checked.items.clone(),
    };
    let matched = rule.criteria.matches(&facts);
    let plan = generate_plan(&facts, &history, &[rule], &catalogue, today);
    let names = Names::load(db, l).await?;
    let validity: HashMap<i64, Option<u32>> = catalogue
        .iter()
        .map(|c| (c.id, c.validity_months))
        .collect();
    let items = plan
        .into_iter()
        .map(|i| {
            let (code, title) = names.course(i.course_id);
            let (recognised, recognised_note) = match &i.disposition {
                Disposition::Assign => (false, String::new()),
                Disposition::Recognised { completed_on, .. } => {
                    let until =
                        valid_until(*completed_on, validity.get(&i.course_id).copied().flatten());
                    (true, recognised_note(*completed_on, until, l))
                }
            };
            TrialItem {
                course_id: i.course_id,
                code,
                title,
                due: long_date_in(i.due, l),
                due_iso: i.due.to_string(),
                required: i.required,
                recognised,
                recognised_note,
            }
        })
        .collect();
    let kind = facts.to_position_kind.as_str();
    let transfer_type = facts.transfer_type.as_str();
    let mut fact_lines = vec![
        td_string!(
            l,
            catalogue.words.fact_position,
            position = &pos.name,
            kind = label_of(position_kind_label(kind, l), kind),
            family = if pos.job_family.is_empty() {
                "-"
            } else {
                pos.job_family.as_str()
            }
        )
        .to_string(),
        td_string!(
            l,
            catalogue.words.fact_unit,
            path = facts
                .to_unit_path
                .iter()
                .map(|u| names.unit(*u))
                .collect::<Vec<_>>()
                .join(" ‹ ")
        )
        .to_string(),
        td_string!(
            l,
            catalogue.words.fact_transfer_type,
            kind = label_of(transfer_type_label(transfer_type, l), transfer_type)
        )
        .to_string(),
    ];
    if let Some(g) = facts.grade {
        fact_lines.push(td_string!(l, catalogue.words.fact_grade, grade = g.code()).to_string());
    }
    Ok(RuleTrial {
        transfer_id: t.id,
        transfer: transfer_label(&t, Some(&emp), &names),
        facts: fact_lines,
        matched,
        criteria: criteria_words(&checked.criteria, &names),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::{jp_label, list, parse_jp, parse_validity};

    #[test]
    fn lists_are_split_trimmed_and_without_repeats() {
        let v = |s: &str| Some(s.to_string());
        assert_eq!(
            list(&v(" pengawas, administrator ,,pengawas")),
            vec!["pengawas", "administrator"]
        );
        assert_eq!(list(&v("12")), vec!["12"]);
        assert!(list(&v(" , ")).is_empty());
        assert!(list(&None).is_empty());
    }

    #[test]
    fn numbers_are_read_as_people_write_them() {
        assert_eq!(parse_jp("2,5").unwrap(), 2.5);
        assert_eq!(parse_jp("8").unwrap(), 8.0);
        for bad in ["", "abc", "0", "-1", "NaN", "inf", "1001"] {
            assert_eq!(parse_jp(bad).unwrap_err().field(), Some("jp"), "{bad}");
        }
        assert_eq!(parse_validity("").unwrap(), None);
        assert_eq!(parse_validity("24").unwrap(), Some(24));
        for bad in ["-1", "0", "dua", "1.5"] {
            assert_eq!(
                parse_validity(bad).unwrap_err().field(),
                Some("validity_months"),
                "{bad}"
            );
        }
        assert_eq!(jp_label(2.5), "2,5");
        assert_eq!(jp_label(8.0), "8");
    }

    #[test]
    fn criteria_are_described_in_the_page_language() {
        use super::{criteria_words, Names};
        use crate::domain::plan::{Criteria, PositionKind, TransferType};
        use crate::i18n::Locale;
        use std::collections::HashMap;
        let names = |l| Names {
            units: HashMap::from([(1, "Kecamatan Medan Belawan".to_string())]),
            positions: HashMap::new(),
            courses: HashMap::new(),
            l,
        };
        let c = Criteria {
            position_ids: vec![7],
            job_families: vec!["IT".into(), "Keuangan".into()],
            position_kinds: vec![PositionKind::Pengawas],
            unit_subtrees: vec![1],
            transfer_types: vec![TransferType::WithinAgency],
            ..Default::default()
        };
        assert_eq!(
            criteria_words(&c, &names(Locale::id)),
            vec![
                "Jabatan tujuan: Jabatan #7",
                "Rumpun jabatan: IT, Keuangan",
                "Jenis jabatan: Pengawas",
                "Unit tujuan: Kecamatan Medan Belawan (beserta unit di bawahnya)",
                "Jenis mutasi: Dalam satu instansi",
            ]
        );
        assert_eq!(
            criteria_words(&c, &names(Locale::en)),
            vec![
                "Target position: Position #7",
                "Job family: IT, Keuangan",
                "Position kind: Supervisor",
                "Target unit: Kecamatan Medan Belawan (with the units below it)",
                "Transfer type: Within one agency",
            ]
        );
        assert_eq!(
            criteria_words(&Criteria::default(), &names(Locale::id)),
            vec!["Semua mutasi"]
        );
        assert_eq!(
            criteria_words(&Criteria::default(), &names(Locale::en)),
            vec!["Every transfer"]
        );
    }
}
