//! People as others see them: the facts the policy needs, and the page.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    backend::{
        access::policy::{PersonFacts, PersonView},
        db,
        entities::{assignment, checkin, completion, course, employee, plan, position, unit},
        training::assignments::{shown_status, tone},
    },
    domain::dates::long_date_in,
    error::AppError,
    i18n::Locale,
    model::{
        organisation::nip_grouped,
        person::{rating_label, AssignmentLine, CheckinLine, PersonPage},
    },
};

/// What the policy needs to decide about a person; None if there is no such person.
pub async fn facts<C: ConnectionTrait>(
    db: &C,
    employee_id: i64,
) -> Result<Option<PersonFacts>, AppError> {
    let Some(emp) = employee::Entity::find_by_id(employee_id).one(db).await? else {
        return Ok(None);
    };
    let mut course_ids: Vec<i64> = assignment::Entity::find()
        .filter(assignment::Column::EmployeeId.eq(employee_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.course_id)
        .chain(
            completion::Entity::find()
                .filter(completion::Column::EmployeeId.eq(employee_id))
                .all(db)
                .await?
                .into_iter()
                .map(|c| c.course_id),
        )
        .collect();
    course_ids.sort_unstable();
    course_ids.dedup();
    Ok(Some(PersonFacts {
        employee_id,
        unit_path: crate::backend::people::unit_lookup::unit_path(db, emp.unit_id).await?,
        course_ids,
    }))
}

/// The person's page as `view` allows.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    employee_id: i64,
    view: &PersonView,
    can_write_checkins: bool,
    today: NaiveDate,
    l: Locale,
) -> Result<PersonPage, AppError> {
    let emp = db::find::<employee::Entity, _>(db, employee_id).await?;
    let unit = unit::Entity::find_by_id(emp.unit_id)
        .one(db)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let position = match emp.position_id {
        Some(id) => position::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|p| p.name),
        None => None,
    };
    let mut q = assignment::Entity::find()
        .filter(assignment::Column::EmployeeId.eq(employee_id))
        .order_by_asc(assignment::Column::DueDate)
        .order_by_asc(assignment::Column::Id);
    if let PersonView::Courses(ids) = view {
        q = q.filter(assignment::Column::CourseId.is_in(ids.clone()));
    }
    let rows = q.all(db).await?;
    let courses = db::by_id::<course::Entity, _>(db, rows.iter().map(|a| a.course_id)).await?;
    let assignments = rows
        .into_iter()
        .map(|a| {
            let status = shown_status(&a, today);
            let c = courses.get(&a.course_id);
            AssignmentLine {
                id: a.id,
                course_code: c.map(|c| c.code.clone()).unwrap_or_default(),
                course_title: c.map(|c| c.title_in(l).to_string()).unwrap_or_default(),
                jp: c.map(|c| c.jp).unwrap_or_default(),
                due: long_date_in(a.due_date, l),
                status: status.label(l),
                tone: tone(status).into(),
            }
        })
        .collect();
    // Check-ins are about adaptation, not a course: trainers do not see them.
    let checkins = if matches!(view, PersonView::Full) {
        checkin_lines(db, employee_id, l).await?
    } else {
        Vec::new()
    };
    Ok(PersonPage {
        checkins,
        can_write_checkins: can_write_checkins && matches!(view, PersonView::Full),
        employee_id,
        name: emp.name,
        nip: nip_grouped(&emp.nip),
        unit,
        position,
        limited_to_own_courses: matches!(view, PersonView::Courses(_)),
        assignments,
    })
}

/// The check-ins of the person's latest completed transfer, by day.
async fn checkin_lines<C: ConnectionTrait>(
    db: &C,
    employee_id: i64,
    l: Locale,
) -> Result<Vec<CheckinLine>, AppError> {
    let Some(t) = crate::backend::adaptation::latest_completed_transfer(db, employee_id).await?
    else {
        return Ok(Vec::new());
    };
    let rows = checkin::Entity::find()
        .filter(checkin::Column::TransferId.eq(t.id))
        .order_by_asc(checkin::Column::DayOffset)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| CheckinLine {
            id: c.id,
            day_offset: c.day_offset,
            due: long_date_in(c.due_date, l),
            rating: c
                .rating
                .as_deref()
                .map(|r| rating_label(r, l).map_or_else(|| r.to_string(), str::to_string)),
            notes: c.notes,
            written_by: c.written_by,
        })
        .collect())
}

/// A plan with the assignments a viewer may see.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanWithWork {
    pub plan: plan::Model,
    pub assignments: Vec<assignment::Model>,
}

/// The person's plans (one, with `only`), oldest first, as `view` allows:
/// a trainer sees only the assignments of their courses, and only plans
/// that have some.
pub async fn plans<C: ConnectionTrait>(
    db: &C,
    employee_id: i64,
    only: Option<i64>,
    view: &PersonView,
) -> Result<Vec<PlanWithWork>, AppError> {
    let mut q = plan::Entity::find()
        .filter(plan::Column::EmployeeId.eq(employee_id))
        .order_by_asc(plan::Column::CreatedAt)
        .order_by_asc(plan::Column::Id);
    if let Some(id) = only {
        q = q.filter(plan::Column::Id.eq(id));
    }
    let found = q.all(db).await?;
    let mut work = assignment::Entity::find()
        .filter(assignment::Column::PlanId.is_in(found.iter().map(|p| p.id)))
        .order_by_asc(assignment::Column::SortOrder)
        .order_by_asc(assignment::Column::Id);
    if let PersonView::Courses(ids) = view {
        work = work.filter(assignment::Column::CourseId.is_in(ids.clone()));
    }
    let work = work.all(db).await?;
    Ok(found
        .into_iter()
        .map(|p| PlanWithWork {
            assignments: work.iter().filter(|a| a.plan_id == p.id).cloned().collect(),
            plan: p,
        })
        .filter(|p| matches!(view, PersonView::Full) || !p.assignments.is_empty())
        .collect())
}
