//! What each reminder kind means against the database: its relevance check
//! (is it still worth sending?) and the facts it reads to be written. Which
//! kind has which check and which facts is said once, in the table of
//! [`crate::domain::reminders::KINDS`]; this module carries them out, each
//! check and each reading once, whichever kinds share it. The outbox
//! ([`super::outbox::still_relevant`]) and the delivery worker
//! ([`super::delivery`]) come here instead of telling kinds apart
//! themselves.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    sea_query::IntoCondition, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::{
    backend::{
        access::accounts,
        entities::{
            account, assignment, checkin, completion, course, employee, outbox, plan, position,
            transfer, unit,
        },
        reminders::{
            digest,
            mail::{CourseLine, MailFacts},
        },
    },
    domain::{
        plan::valid_until,
        reminders::{Audience, Facts, KindSpec, Relevance},
    },
    error::AppError,
    i18n::Locale,
};

// ---------------------------------------------------------------------------
// Relevance
// ---------------------------------------------------------------------------

/// Whether `query` finds a row (it reads the id column `id` only).
async fn exists<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    query: Select<E>,
    id: E::Column,
) -> Result<bool, AppError> {
    Ok(query
        .select_only()
        .column(id)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .is_some())
}

/// Whether account `id` exists and can be used.
async fn usable_account<C: ConnectionTrait>(db: &C, id: i64) -> Result<bool, AppError> {
    Ok(account::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some_and(|a| a.is_usable()))
}

/// Whether an open assignment (assigned, in progress) matches `which`.
async fn open_work<C: ConnectionTrait>(
    db: &C,
    which: impl IntoCondition,
) -> Result<bool, AppError> {
    let open = assignment::Entity::find()
        .filter(which)
        .filter(assignment::Column::State.is_in(assignment::OPEN_STATES));
    exists(db, open, assignment::Column::Id).await
}

/// Is `message` (of the kind `spec` describes, about `subject_id`) still
/// worth sending? See [`Relevance`].
pub async fn still_relevant<C: ConnectionTrait>(
    db: &C,
    spec: &KindSpec,
    message: &outbox::Model,
    subject_id: i64,
) -> Result<bool, AppError> {
    Ok(match spec.relevance {
        Relevance::OpenAssignment => open_work(db, assignment::Column::Id.eq(subject_id)).await?,
        Relevance::PlanWithOpenWork => {
            let open_plan = plan::Entity::find()
                .filter(plan::Column::Id.eq(subject_id))
                .filter(plan::Column::State.eq("open"));
            exists(db, open_plan, plan::Column::Id).await?
                && open_work(db, assignment::Column::PlanId.eq(subject_id)).await?
        }
        Relevance::UnwrittenCheckIn => {
            let unwritten = checkin::Entity::find()
                .filter(checkin::Column::Id.eq(subject_id))
                .filter(checkin::Column::WrittenAt.is_null());
            exists(db, unwritten, checkin::Column::Id).await?
        }
        Relevance::NoRenewalOpen => {
            let record: Option<(i64, i64)> = completion::Entity::find()
                .select_only()
                .column(completion::Column::EmployeeId)
                .column(completion::Column::CourseId)
                .filter(completion::Column::Id.eq(subject_id))
                .into_tuple()
                .one(db)
                .await?;
            match record {
                None => false,
                Some((employee_id, course_id)) => {
                    let renewal = Condition::all()
                        .add(assignment::Column::EmployeeId.eq(employee_id))
                        .add(assignment::Column::CourseId.eq(course_id));
                    !open_work(db, renewal).await?
                }
            }
        }
        Relevance::NewestForUsableAccount => {
            let newer = outbox::Entity::find()
                .filter(outbox::Column::Kind.eq(spec.word))
                .filter(outbox::Column::SubjectKind.eq(spec.subject))
                .filter(outbox::Column::SubjectId.eq(subject_id))
                .filter(outbox::Column::Id.gt(message.id));
            usable_account(db, subject_id).await? && !exists(db, newer, outbox::Column::Id).await?
        }
        Relevance::UsableAccount => usable_account(db, subject_id).await?,
        Relevance::Always => true,
    })
}

// ---------------------------------------------------------------------------
// Facts
// ---------------------------------------------------------------------------

/// What reading the facts of a message needs besides the message.
pub struct Reading<'a> {
    pub db: &'a DatabaseConnection,
    /// The office's zone: the local days in messages.
    pub tz: chrono_tz::Tz,
    /// Who counts as a newcomer in the digest.
    pub newcomer_days: u32,
    /// Today in the office's zone.
    pub today: NaiveDate,
    /// The recipient's language (course titles).
    pub lang: Locale,
}

/// The row of `$entity` with id `$id`; when it is gone, the reading ends
/// there with `Ok(None)` (as `?` ends it with an error).
macro_rules! row_or_gone {
    ($db:expr, $entity:ty, $id:expr) => {
        match <$entity>::find_by_id($id).one($db).await? {
            Some(row) => row,
            None => return Ok(None),
        }
    };
}

/// What `m` (of the kind `spec` describes) says, read now: see [`Facts`].
/// `None`: its subject is gone (or a digest has no newcomers left, or a
/// set-password link's time is over). A set-password link's secret is
/// minted here, just before sending
/// (`accounts::mint_emailed_password_link`): it exists only in the email,
/// the database keeps its hash.
pub async fn read_facts(
    r: &Reading<'_>,
    spec: &KindSpec,
    m: &outbox::Model,
) -> Result<Option<MailFacts>, AppError> {
    let (db, l) = (r.db, r.lang);
    let mut facts = MailFacts {
        recipient_name: name_of(db, m.recipient_employee_id).await?,
        ..MailFacts::default()
    };
    let subject = m.subject_id.unwrap_or_default();
    // The date the message is about, and the days from today to it.
    let on = |facts: &mut MailFacts, d: NaiveDate| {
        facts.date = Some(d);
        facts.days = (d - r.today).num_days();
    };
    match spec.facts {
        Facts::Assignment => {
            let a = row_or_gone!(db, assignment::Entity, subject);
            let c = row_or_gone!(db, course::Entity, a.course_id);
            on(&mut facts, a.due_date);
            facts.course_code = c.code.clone();
            facts.course_title = c.title_in(l).to_string();
            facts.employee_id = a.employee_id;
            // A supervisor is told whose work it is.
            if spec.audience == Audience::Supervisor {
                facts.employee_name = name_of(db, a.employee_id).await?;
            }
        }
        Facts::Plan => {
            let p = row_or_gone!(db, plan::Entity, subject);
            facts.plan_title = plan_title(db, &p).await?;
            facts.courses = open_courses(db, p.id, l).await?;
        }
        Facts::CheckIn => {
            let ci = row_or_gone!(db, checkin::Entity, subject);
            let t = row_or_gone!(db, transfer::Entity, ci.transfer_id);
            on(&mut facts, ci.due_date);
            facts.employee_id = t.employee_id;
            facts.employee_name = name_of(db, t.employee_id).await?;
        }
        Facts::Expiry => {
            let rec = row_or_gone!(db, completion::Entity, subject);
            let c = row_or_gone!(db, course::Entity, rec.course_id);
            let Some(expires) =
                valid_until(rec.completed_on, c.validity_months.map(|m| m.max(0) as u32))
            else {
                return Ok(None);
            };
            on(&mut facts, expires);
            facts.course_code = c.code.clone();
            facts.course_title = c.title_in(l).to_string();
        }
        Facts::Digest => {
            let rows =
                digest::rows_for(db, m.recipient_employee_id, r.today, r.newcomer_days, l).await?;
            if rows.is_empty() {
                return Ok(None);
            }
            facts.date = Some(r.today);
            facts.digest = rows;
        }
        Facts::PasswordLink => {
            let Some(expires) = accounts::emailed_link_expiry(&m.occurrence) else {
                return Ok(None);
            };
            let Some(token) =
                accounts::mint_emailed_password_link(db, subject, expires, Utc::now()).await?
            else {
                return Ok(None);
            };
            facts.password_token = token;
            // The last local day it works.
            facts.date = Some(
                (expires - chrono::Duration::seconds(1))
                    .with_timezone(&r.tz)
                    .date_naive(),
            );
        }
        Facts::SignInEpisode => {
            // The local day the failures began (the episode's start).
            let began = chrono::NaiveDateTime::parse_from_str(&m.occurrence, "%Y%m%dT%H%M%SZ")
                .map(|t| t.and_utc())
                .unwrap_or(m.created_at);
            facts.date = Some(began.with_timezone(&r.tz).date_naive());
        }
    }
    Ok(Some(facts))
}

async fn name_of(db: &DatabaseConnection, employee_id: i64) -> Result<String, AppError> {
    Ok(employee::Entity::find_by_id(employee_id)
        .one(db)
        .await?
        .map(|e| e.name)
        .unwrap_or_default())
}

/// The open courses of plan `plan_id`, by due date, in the plan's order.
async fn open_courses(
    db: &DatabaseConnection,
    plan_id: i64,
    l: Locale,
) -> Result<Vec<CourseLine>, AppError> {
    let work = assignment::Entity::find()
        .join(
            JoinType::InnerJoin,
            super::join_def::<assignment::Entity, course::Entity>(
                assignment::Column::CourseId,
                course::Column::Id,
            ),
        )
        .select_also(course::Entity)
        .filter(assignment::Column::PlanId.eq(plan_id))
        .filter(assignment::Column::State.is_in(assignment::OPEN_STATES))
        .order_by_asc(assignment::Column::DueDate)
        .order_by_asc(assignment::Column::SortOrder)
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await?;
    Ok(work
        .into_iter()
        .filter_map(|(a, c)| {
            let c = c?;
            Some(CourseLine {
                code: c.code.clone(),
                title: c.title_in(l).to_string(),
                due: Some(a.due_date),
            })
        })
        .collect())
}

/// A plan is named after where the transfer led: "Pranata Komputer,
/// Kecamatan Medan Belawan".
async fn plan_title(db: &DatabaseConnection, p: &plan::Model) -> Result<String, AppError> {
    let t = match p.transfer_id {
        Some(id) => transfer::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let Some(t) = t else {
        return Ok(String::new());
    };
    let position = position::Entity::find_by_id(t.to_position_id)
        .one(db)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let unit = unit::Entity::find_by_id(t.to_unit_id)
        .one(db)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    Ok([position, unit]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", "))
}
