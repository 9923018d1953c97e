//! Reading the catalogue for the administrator's pages, and testing a rule
//! being composed against an existing transfer (the plan that rule alone
//! would produce, computed by the pure `generate_plan`; nothing is written).

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use sea_orm::{
    sea_query::{Expr, Func, LikeExpr},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::checks::{check_rule, text};
use crate::backend::db;
use crate::{
    backend::entities::{course, employee, plan_rule, plan_rule_version, position, transfer, unit},
    domain::{
        dates::long_date_in,
        plan::{generate_plan, Criteria, Rule, RuleItem},
    },
    error::AppError,
    i18n::{td_string, Locale},
    model::{
        accounts::Choice,
        catalogue::{
            competency_label, method_label, position_kind_label, CourseRow, CoursesPage, RuleDraft,
            RuleForm, RuleItemField, RuleItemRow, RuleRow, RuleTrial, RulesPage, PAGE_SIZE,
        },
        transfers::transfer_type_label,
    },
};
use {
    crate::backend::transfers,
    crate::backend::transfers::{
        completion::PlanInputs,
        list::{course_words, planned_entry},
    },
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
    Ok(course_row(db::find::<course::Entity, _>(db, id).await?, l))
}

/// A rule and its current version (criteria and items as stored).
pub(super) async fn current_version<C: ConnectionTrait>(
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
pub(super) fn keep_hidden_criteria(checked: &mut Criteria, stored: &Criteria) {
    checked.position_ids = stored.position_ids.clone();
    checked.grade_min = stored.grade_min;
    checked.grade_max = stored.grade_max;
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

/// Every row of `E`, by id (`pair` gives the id and what to keep).
async fn by_id<E: EntityTrait, C: ConnectionTrait, T>(
    db: &C,
    pair: impl Fn(E::Model) -> (i64, T),
) -> Result<HashMap<i64, T>, AppError> {
    Ok(E::find().all(db).await?.into_iter().map(pair).collect())
}

impl Names {
    async fn load<C: ConnectionTrait>(db: &C, l: Locale) -> Result<Names, AppError> {
        Ok(Names {
            l,
            units: by_id::<unit::Entity, _, _>(db, |u| (u.id, u.name)).await?,
            positions: by_id::<position::Entity, _, _>(db, |p| (p.id, p.name)).await?,
            courses: by_id::<course::Entity, _, _>(db, |c| (c.id, c)).await?,
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
        course_words(&self.courses, id, self.l)
    }
}

/// The criteria in words (in the language of `names`), one condition a line.
fn criteria_words(c: &Criteria, names: &Names) -> Vec<String> {
    let l = names.l;
    // A list condition names its items; an empty list is no condition.
    let list = |items: Vec<String>| (!items.is_empty()).then(|| items.join(", "));
    let positions = c.position_ids.iter().map(|id| names.position(*id));
    let kinds = c.position_kinds.iter().map(|k| k.as_str());
    let kinds = kinds.map(|k| label_of(position_kind_label(k, l), k));
    let units = c.unit_subtrees.iter().map(|u| names.unit(*u));
    let types = c.transfer_types.iter().map(|t| t.as_str());
    let types = types.map(|t| label_of(transfer_type_label(t, l), t));
    let grades = match (c.grade_min, c.grade_max) {
        (None, None) => None,
        (Some(a), None) => {
            Some(td_string!(l, catalogue.words.grade_min, grade = a.code()).to_string())
        }
        (None, Some(b)) => {
            Some(td_string!(l, catalogue.words.grade_max, grade = b.code()).to_string())
        }
        (Some(a), Some(b)) => Some(
            td_string!(
                l,
                catalogue.words.grade_range,
                min = a.code(),
                max = b.code()
            )
            .to_string(),
        ),
    };
    let mut out: Vec<String> = [
        list(positions.collect())
            .map(|list| td_string!(l, catalogue.words.to_position, list = list).to_string()),
        list(c.job_families.clone())
            .map(|list| td_string!(l, catalogue.words.job_family, list = list).to_string()),
        list(kinds.collect())
            .map(|list| td_string!(l, catalogue.words.position_kind, list = list).to_string()),
        list(units.collect())
            .map(|list| td_string!(l, catalogue.words.unit, list = list).to_string()),
        grades,
        list(types.collect())
            .map(|list| td_string!(l, catalogue.words.transfer_type, list = list).to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if out.is_empty() {
        out.push(td_string!(l, catalogue.words.any_transfer).to_string());
    }
    out
}

/// Every rule with its current version, by name; and what the form offers.
/// The words are in `l`.
pub async fn rules_page(db: &DatabaseConnection, l: Locale) -> Result<RulesPage, AppError> {
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
    let people = db::by_id::<employee::Entity, _>(db, open.iter().map(|t| t.employee_id)).await?;
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

/// The id sent in a field, `(field, what in Indonesian, What in English)`:
/// `None` when empty, a refusal when it is not a number.
fn id_in(field: (&str, &str, &str), raw: &Option<String>) -> Result<Option<i64>, AppError> {
    let (name, id, en) = field;
    let r = text(raw);
    if r.is_empty() {
        return Ok(None);
    }
    r.parse::<i64>().map(Some).map_err(|_| {
        AppError::invalid(
            name,
            format!("{id} tidak valid: {r:?}"),
            format!("Invalid {}: {r:?}", en.to_lowercase()),
        )
    })
}

/// What id `n` of a field names, or a refusal of the field saying it does not exist.
fn found<T>(field: (&str, &str, &str), n: i64, what: Option<T>) -> Result<T, AppError> {
    let (name, id, en) = field;
    what.ok_or_else(|| {
        AppError::invalid(
            name,
            format!("{id} dengan id {n} tidak ditemukan"),
            format!("{en} {n} does not exist"),
        )
    })
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
    form: &RuleForm,
    transfer_id: Option<String>,
    rule_id: Option<String>,
    today: NaiveDate,
    l: Locale,
) -> Result<RuleTrial, AppError> {
    const RULE: (&str, &str, &str) = ("rule_id", "Aturan", "Rule");
    const TRANSFER: (&str, &str, &str) = ("transfer_id", "Mutasi", "Transfer");
    let editing = match id_in(RULE, &rule_id)? {
        None => None,
        Some(id) => Some(found(RULE, id, current_version(db, id).await?)?),
    };
    let keep: Vec<i64> = editing
        .as_ref()
        .map(|(_, _, items)| items.iter().map(|i| i.course_id).collect())
        .unwrap_or_default();
    let mut checked = check_rule(db, form, false, &keep).await?;
    if let Some((_, stored, _)) = &editing {
        keep_hidden_criteria(&mut checked.criteria, stored);
    }
    let Some(id) = id_in(TRANSFER, &transfer_id)? else {
        return Err(AppError::invalid(
            "transfer_id",
            "Pilih mutasi untuk menguji aturan",
            "Choose a transfer to test the rule against",
        ));
    };
    let t = found(
        TRANSFER,
        id,
        transfer::Entity::find_by_id(id).one(db).await?,
    )?;
    let inputs = PlanInputs::load(db, std::slice::from_ref(&t)).await?;
    let (emp, pos, facts, history) = inputs.facts(&t)?;
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
    let plan = generate_plan(&facts, history, &[rule], &catalogue, today);
    let names = Names::load(db, l).await?;
    let items = plan
        .iter()
        .map(|i| planned_entry(i, &names.courses, l))
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
        transfer: transfer_label(&t, Some(emp), &names),
        facts: fact_lines,
        matched,
        criteria: criteria_words(&checked.criteria, &names),
        items,
    })
}

#[cfg(test)]
mod tests {
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
