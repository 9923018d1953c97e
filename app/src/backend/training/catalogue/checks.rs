//! The one check of each catalogue form, field by field: a refusal names
//! its field and says why in both languages; lengths count characters (what
//! people see), not bytes. [`check_course`] for a course, [`check_rule`] for
//! a rule; every way of writing one (the server functions, the seed and the
//! tests through `create_course`, `update_course` and `save_rule`) passes
//! through them.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::NewCourse;
use crate::{
    backend::entities::{course, unit},
    domain::plan::{Criteria, PositionKind, RuleItem, TransferType},
    error::AppError,
    model::catalogue::{CourseForm, RuleForm, RuleItemField, COMPETENCIES, METHODS},
};

/// The most days after the effective date a rule's course may be due.
const MAX_DUE_OFFSET_DAYS: i64 = 3650;

/// A field as sent, trimmed ("" when absent).
pub(super) fn text(v: &Option<String>) -> String {
    v.as_deref().unwrap_or("").trim().to_string()
}

/// The values of a field that may list several, separated by commas
/// (trimmed, without empties or repeats, in the order given).
pub(super) fn list(v: &Option<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text(v).split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if !out.iter().any(|o| o == part) {
            out.push(part.to_string());
        }
    }
    out
}

/// Refuses `value` of `field` when it is required and empty, or longer than
/// `max` characters. `what` names the field in both languages, as a
/// sentence starts ("Kode pelatihan", "course code").
fn bounded(
    field: &str,
    what: (&str, &str),
    value: &str,
    required: bool,
    max: usize,
) -> Result<(), AppError> {
    if required {
        filled(field, what, value)?;
    }
    let (id, en) = what;
    if value.chars().count() > max {
        return Err(AppError::invalid(
            field,
            format!("{id} terlalu panjang (maksimum {max} karakter)"),
            format!("The {en} is too long (at most {max} characters)"),
        ));
    }
    Ok(())
}

/// Refuses `value` of `field` when it is empty ("Nama jabatan wajib diisi",
/// "The position name is required").
pub(super) fn filled(field: &str, what: (&str, &str), value: &str) -> Result<(), AppError> {
    if value.is_empty() {
        let (id, en) = what;
        return Err(AppError::invalid(
            field,
            format!("{id} wajib diisi"),
            format!("The {en} is required"),
        ));
    }
    Ok(())
}

/// `raw` as one of `allowed`, else a refusal of `field` listing them.
fn one_of(
    field: &str,
    what: (&str, &str),
    raw: String,
    allowed: &[&str],
) -> Result<String, AppError> {
    if allowed.contains(&raw.as_str()) {
        return Ok(raw);
    }
    let (id, en) = what;
    let (last, rest) = allowed.split_last().unwrap_or((&"", &[]));
    let choices = |or: &str| format!("{} {or} {last}", rest.join(", "));
    Err(AppError::invalid(
        field,
        format!("{id} harus {}, bukan {raw:?}", choices("atau")),
        format!("The {en} must be {}, not {raw:?}", choices("or")),
    ))
}

/// "wajib" and the like as true, "pilihan" and the like (or nothing) as false.
pub(super) fn truthy(field: &str, raw: &str) -> Result<bool, AppError> {
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

/// JP: a positive number; "2,5" and "2.5" both mean two and a half.
pub(super) fn parse_jp(raw: &str) -> Result<f64, AppError> {
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
pub(super) fn parse_validity(raw: &str) -> Result<Option<i32>, AppError> {
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

/// The course form as a typed course would have sent it.
impl From<NewCourse> for CourseForm {
    fn from(c: NewCourse) -> CourseForm {
        CourseForm {
            code: Some(c.code),
            title_id: Some(c.title_id),
            title_en: Some(c.title_en),
            competency: Some(c.competency),
            jp: Some(c.jp.to_string()),
            method: Some(c.method),
            provider: Some(c.provider),
            validity_months: c.validity_months.map(|m| m.to_string()),
        }
    }
}

/// The one check of a course: its fields one by one, in the form's order
/// (a refusal names the field). The code is upper-cased and may not be
/// another course's (`except` is the course being edited); an empty
/// English title is the Indonesian one. Run it in the transaction that writes.
pub async fn check_course<C: ConnectionTrait>(
    db: &C,
    form: &CourseForm,
    except: Option<i64>,
) -> Result<NewCourse, AppError> {
    let code = text(&form.code).to_uppercase();
    bounded("code", ("Kode pelatihan", "course code"), &code, true, 40)?;
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
    let title = ("Judul pelatihan", "course title");
    bounded("title_id", title, &title_id, true, 200)?;
    let competency = ("Kompetensi", "competency");
    let competency = one_of(
        "competency",
        competency,
        text(&form.competency),
        &COMPETENCIES,
    )?;
    let jp = parse_jp(&text(&form.jp))?;
    let method = one_of("method", ("Metode", "method"), text(&form.method), &METHODS)?;
    let provider = text(&form.provider);
    bounded(
        "provider",
        ("Penyelenggara", "provider"),
        &provider,
        false,
        200,
    )?;
    let validity_months = parse_validity(&text(&form.validity_months))?;
    let title_en = match text(&form.title_en) {
        t if t.is_empty() => title_id.clone(),
        t => t,
    };
    let title_en_words = ("Judul bahasa Inggris", "English title");
    bounded("title_en", title_en_words, &title_en, false, 200)?;
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

/// A rule form that passed the checks.
#[derive(Debug, Clone)]
pub struct CheckedRule {
    pub name: String,
    pub active: bool,
    pub criteria: Criteria,
    pub items: Vec<RuleItem>,
}

/// A rule's name: trimmed, at most 200 characters, required when `required`.
pub(super) fn rule_name(raw: &str, required: bool) -> Result<String, AppError> {
    let name = raw.trim().to_string();
    bounded("name", ("Nama aturan", "rule name"), &name, required, 200)?;
    Ok(name)
}

/// A rule's courses: at least one, each due at most 3650 days after the
/// effective date.
pub(super) fn rule_items(items: &[RuleItem]) -> Result<(), AppError> {
    if items.is_empty() {
        return Err(AppError::invalid(
            "items",
            "Pilih paling sedikit satu pelatihan yang diwajibkan aturan",
            "Choose at least one course the rule requires",
        ));
    }
    if let Some(i) = items
        .iter()
        .find(|i| i64::from(i.due_offset_days) > MAX_DUE_OFFSET_DAYS)
    {
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

/// Each of the values of a field listing several, read by `parse` (`None`:
/// a refusal naming the value, "{what_id}: {value:?}").
fn each<T>(
    field: &str,
    what: (&str, &str),
    raw: &Option<String>,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, AppError> {
    let (id, en) = what;
    list(raw)
        .iter()
        .map(|v| {
            parse(v).ok_or_else(|| {
                AppError::invalid(field, format!("{id}: {v:?}"), format!("{en}: {v:?}"))
            })
        })
        .collect()
}

/// One course row of the rule form (row `n`, counting from 1); `None` for a
/// row without a course. `chosen`: the rows before it; `keep`: courses no
/// longer active that may stay.
async fn rule_item<C: ConnectionTrait>(
    db: &C,
    n: usize,
    row: &RuleItemField,
    chosen: &[RuleItem],
    keep: &[i64],
) -> Result<Option<(i64, u32, bool)>, AppError> {
    let course_raw = text(&row.course_id);
    if course_raw.is_empty() {
        return Ok(None);
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
            format!("Row {n}: the due offset must be a whole number of days, not {offset_raw:?}"),
        )
    })?;
    if !(0..=MAX_DUE_OFFSET_DAYS).contains(&offset) {
        return Err(AppError::invalid(
            "items",
            format!("Baris {n}: tenggat harus antara 0 dan 3650 hari setelah TMT, bukan {offset}"),
            format!("Row {n}: the due offset must be between 0 and 3650 days, not {offset}"),
        ));
    }
    let required = truthy("items", row.required.as_deref().unwrap_or(""))?;
    if chosen.iter().any(|it| it.course_id == course_id) {
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
    Ok(Some((course_id, offset as u32, required)))
}

/// The one check of a rule form: the name (only required when
/// `need_name`), the criteria and the course rows, field by field.
/// Position kind, unit and transfer type may each list several values
/// separated by commas. Courses no longer active are refused, but for those
/// in `keep` (the courses of the rule being edited).
pub async fn check_rule<C: ConnectionTrait>(
    db: &C,
    form: &RuleForm,
    need_name: bool,
    keep: &[i64],
) -> Result<CheckedRule, AppError> {
    let name = rule_name(&text(&form.name), need_name)?;
    let active = truthy("active", form.active.as_deref().unwrap_or(""))?;
    let job_families: Vec<String> = text(&form.job_family)
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    for family in &job_families {
        bounded(
            "job_family",
            ("Rumpun jabatan", "job family"),
            family,
            false,
            100,
        )?;
    }
    let position_kinds = each(
        "position_kind",
        ("Jenis jabatan tidak dikenal", "Unknown position kind"),
        &form.position_kind,
        PositionKind::parse,
    )?;
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
    let transfer_types = each(
        "transfer_type",
        ("Jenis mutasi tidak dikenal", "Unknown transfer type"),
        &form.transfer_type,
        TransferType::parse,
    )?;
    let mut items: Vec<RuleItem> = Vec::new();
    for (i, row) in form.items.iter().flatten().enumerate() {
        let Some((course_id, due_offset_days, required)) =
            rule_item(db, i + 1, row, &items, keep).await?
        else {
            continue;
        };
        items.push(RuleItem {
            course_id,
            due_offset_days,
            required,
            order: (items.len() as u32 + 1) * 10,
            prerequisites: vec![],
        });
    }
    rule_items(&items)?;
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

#[cfg(test)]
mod tests {
    use super::{list, parse_jp, parse_validity};

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
    }
}
