//! Completing transfers: the one way it is done, for one transfer (the
//! administrator's button, the JSON API), an import's transfers, or a
//! decree list of hundreds or thousands. For each: the employee moves, the
//! transfer is completed, the plan with its assignments and the check-ins
//! are created, every change audited. The inputs are read once for all the
//! transfers at hand (rules, catalogue, the target units' paths, positions,
//! the people and their history: [`PlanInputs`]) and rows are written in
//! batches.
//!
//! In bulk, work is cut into chunks of `chunk` transfers, one transaction each: a
//! chunk is applied completely or not at all. On PostgreSQL two chunks run at
//! once on two connections, so the server's work (mostly per-row foreign-key
//! checks and index updates) uses both cores; on a 2-core machine this about
//! halves the time (docs/BENCHMARKS.md). SQLite has one writer, so there
//! chunks run one after another.
//!
//! Chunks that run at the same time never touch the same employee: each
//! employee's transfers are taken in TMT order, the first in the first
//! "wave", the second in the next, and waves run one after another. So two
//! transactions never wait for each other's row locks (no deadlocks), and a
//! person's later move is applied after the earlier one.

use std::collections::HashMap;

use chrono::{NaiveDate, SubsecRound};
use futures::{StreamExt, TryStreamExt};
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{
    backend::{
        db,
        entities::{assignment, audit_entry, completion, employee, plan, position, transfer},
    },
    domain::{
        plan::{generate_plan, CourseFacts, PlanItem, PriorCompletion, Rule, TransferFacts},
        transfer::{TransferAction, TransferState},
    },
    error::AppError,
};
use {
    crate::backend::audit::{self, Actor},
    crate::backend::bulk::insert_all,
    crate::backend::people::unit_lookup,
    crate::backend::transfers::{
        active_catalogue, active_rules, assignment_row, checkin_rows, state_of, transfer_facts,
        Completed, EmployeePlace, PlanCreated,
    },
};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkReport {
    pub completed: usize,
    pub already_completed: usize,
    /// Assignments created for the completed transfers' plans.
    pub assignments: usize,
}

impl BulkReport {
    fn add(mut self, other: BulkReport) -> BulkReport {
        self.completed += other.completed;
        self.already_completed += other.already_completed;
        self.assignments += other.assignments;
        self
    }
}

/// Completes the transfers `ids`: approved ones are completed, completed ones
/// are counted and left alone. An unknown id fails before anything is
/// written; a transfer in another state fails its chunk with the error
/// `complete` gives (chunks committed before stay committed).
pub async fn complete_many(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    ids: &[i64],
    today: NaiveDate,
    chunk: usize,
    checkin_days: &[u32],
) -> Result<BulkReport, AppError> {
    let rules = RuleSet::load(db).await?;
    let workers = match db.get_database_backend() {
        DbBackend::Postgres => 2,
        _ => 1,
    };
    let mut report = BulkReport::default();
    for wave in waves(db, ids).await? {
        report = futures::stream::iter(wave.chunks(chunk.max(1)))
            .map(|ids| complete_chunk(db, actor, &rules, ids, today, checkin_days))
            .buffer_unordered(workers)
            .try_fold(report, |acc, r| async move { Ok(acc.add(r)) })
            .await?;
    }
    Ok(report)
}

/// The active rules and courses: what every plan of a run is generated
/// from, and nobody changes during it.
pub(super) struct RuleSet {
    rules: Vec<Rule>,
    catalogue: Vec<CourseFacts>,
}

impl RuleSet {
    pub(super) async fn load<C: ConnectionTrait>(db: &C) -> Result<Self, AppError> {
        Ok(RuleSet {
            rules: active_rules(db).await?,
            catalogue: active_catalogue(db).await?,
        })
    }
}

/// Everything generating the plans of some transfers reads, each kind in
/// one query for all of them: their people with their training history,
/// the target units' paths up to the top, the target positions.
pub(crate) struct PlanInputs {
    employees: HashMap<i64, employee::Model>,
    history: HashMap<i64, Vec<PriorCompletion>>,
    paths: HashMap<i64, Vec<i64>>,
    positions: HashMap<i64, position::Model>,
}

impl PlanInputs {
    pub(crate) async fn load<C: ConnectionTrait>(
        db: &C,
        transfers: &[transfer::Model],
    ) -> Result<Self, AppError> {
        let emp_ids: Vec<i64> = transfers.iter().map(|t| t.employee_id).collect();
        let employees = db::by_id::<employee::Entity, _>(db, emp_ids.clone()).await?;
        let mut history: HashMap<i64, Vec<PriorCompletion>> = HashMap::new();
        for c in completion::Entity::find()
            .filter(completion::Column::EmployeeId.is_in(emp_ids))
            .all(db)
            .await?
        {
            history
                .entry(c.employee_id)
                .or_default()
                .push(PriorCompletion {
                    record_id: c.id,
                    course_id: c.course_id,
                    completed_on: c.completed_on,
                });
        }
        let mut units: Vec<i64> = transfers.iter().map(|t| t.to_unit_id).collect();
        units.sort_unstable();
        units.dedup();
        let to_positions = transfers.iter().map(|t| t.to_position_id);
        let positions = db::by_id::<position::Entity, _>(db, to_positions).await?;
        Ok(PlanInputs {
            employees,
            history,
            paths: unit_lookup::unit_paths(db, &units).await?,
            positions,
        })
    }

    /// What plan generation knows of `t`: the person it moves, the target
    /// position, the transfer's facts and the person's training history.
    pub(crate) fn facts(
        &self,
        t: &transfer::Model,
    ) -> Result<
        (
            &employee::Model,
            &position::Model,
            TransferFacts,
            &[PriorCompletion],
        ),
        AppError,
    > {
        let emp = self
            .employees
            .get(&t.employee_id)
            .ok_or(AppError::NotFound)?;
        let pos = self
            .positions
            .get(&t.to_position_id)
            .ok_or(AppError::NotFound)?;
        let path = self
            .paths
            .get(&t.to_unit_id)
            .cloned()
            .unwrap_or_else(|| vec![t.to_unit_id]);
        let facts = transfer_facts(t, emp, pos, path);
        let history = self.history.get(&emp.id).map(Vec::as_slice).unwrap_or(&[]);
        Ok((emp, pos, facts, history))
    }

    /// The person `t` moves and the plan completing it on `today` gives them.
    pub(super) fn plan(
        &self,
        rules: &RuleSet,
        t: &transfer::Model,
        today: NaiveDate,
    ) -> Result<(&employee::Model, Vec<PlanItem>), AppError> {
        let (emp, _, facts, history) = self.facts(t)?;
        let items = generate_plan(&facts, history, &rules.rules, &rules.catalogue, today);
        Ok((emp, items))
    }
}

/// The ids in waves: within a wave every employee appears at most once, and
/// an employee's transfers fall in consecutive waves in TMT order.
/// Unknown ids are an error before anything is written.
async fn waves<C: ConnectionTrait>(db: &C, ids: &[i64]) -> Result<Vec<Vec<i64>>, AppError> {
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let mut found: Vec<(NaiveDate, i64, i64)> = Vec::with_capacity(unique.len());
    for part in unique.chunks(10_000) {
        let rows: Vec<(i64, i64, NaiveDate)> = transfer::Entity::find()
            .select_only()
            .column(transfer::Column::Id)
            .column(transfer::Column::EmployeeId)
            .column(transfer::Column::Tmt)
            .filter(transfer::Column::Id.is_in(part.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows.into_iter().map(|(id, emp, tmt)| (tmt, id, emp)));
    }
    if found.len() != unique.len() {
        return Err(AppError::NotFound);
    }
    found.sort_unstable();
    Ok(into_waves(found.into_iter().map(|(_, id, emp)| (id, emp))))
}

/// (transfer, employee) pairs, already in the order to apply them, into waves.
fn into_waves(pairs: impl IntoIterator<Item = (i64, i64)>) -> Vec<Vec<i64>> {
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let mut waves: Vec<Vec<i64>> = Vec::new();
    for (id, emp) in pairs {
        let n = seen.entry(emp).or_insert(0);
        if waves.len() <= *n {
            waves.push(Vec::new());
        }
        waves[*n].push(id);
        *n += 1;
    }
    waves
}

/// Completes the transfers `ids` inside the caller's transaction (an
/// import writes its transfers and their plans all at once, or nothing):
/// the same result as `complete_many`, with the waves applied in turn.
pub async fn complete_within<C: ConnectionTrait>(
    txn: &C,
    actor: Actor<'_>,
    ids: &[i64],
    today: NaiveDate,
    checkin_days: &[u32],
) -> Result<BulkReport, AppError> {
    let rules = RuleSet::load(txn).await?;
    let mut report = BulkReport::default();
    for wave in waves(txn, ids).await? {
        // Bounded IN lists, whatever the database's parameter limit.
        for chunk in wave.chunks(2_000) {
            let done = complete_in(txn, actor, Some(&rules), chunk, today, checkin_days).await?;
            report = report.add(done.report());
        }
    }
    Ok(report)
}

/// One transaction: completes the approved transfers among `ids`.
async fn complete_chunk(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    rules: &RuleSet,
    ids: &[i64],
    today: NaiveDate,
    checkin_days: &[u32],
) -> Result<BulkReport, AppError> {
    let txn = crate::backend::db::begin_write(db).await?;
    let done = complete_in(&txn, actor, Some(rules), ids, today, checkin_days).await?;
    txn.commit().await?;
    Ok(done.report())
}

/// What completing some transfers did.
#[derive(Debug, Default)]
pub(super) struct Done {
    /// Those completed before: left alone.
    pub(super) already: Vec<transfer::Model>,
    /// Those completed now, with their new plans.
    pub(super) completed: Vec<Completed>,
}

impl Done {
    fn report(&self) -> BulkReport {
        BulkReport {
            completed: self.completed.len(),
            already_completed: self.already.len(),
            assignments: self.completed.iter().map(|c| c.assignments.len()).sum(),
        }
    }
}

/// Inside the caller's transaction: completes the approved transfers among
/// `ids` (all of which must exist), leaves completed ones alone, and fails
/// on any in another state. The rules are read here unless given (and only
/// when there is something to complete).
pub(super) async fn complete_in<C: ConnectionTrait>(
    txn: &C,
    actor: Actor<'_>,
    rules: Option<&RuleSet>,
    ids: &[i64],
    today: NaiveDate,
    checkin_days: &[u32],
) -> Result<Done, AppError> {
    // To the microsecond, as the database keeps it: the transfers returned
    // are the stored ones.
    let now = chrono::Utc::now().trunc_subsecs(6);
    let all = transfer::Entity::find()
        .filter(transfer::Column::Id.is_in(ids.to_vec()))
        .all(txn)
        .await?;
    if all.len() != ids.len() {
        return Err(AppError::NotFound);
    }
    let mut done = Done::default();
    let mut todo = Vec::new();
    for t in all {
        match state_of(&t)? {
            TransferState::Completed => done.already.push(t),
            s => {
                s.apply(TransferAction::Complete)?;
                todo.push(t);
            }
        }
    }
    if todo.is_empty() {
        return Ok(done);
    }
    let loaded;
    let rules = match rules {
        Some(r) => r,
        None => {
            loaded = RuleSet::load(txn).await?;
            &loaded
        }
    };
    let inputs = PlanInputs::load(txn, &todo).await?;
    let todo_ids: Vec<i64> = todo.iter().map(|t| t.id).collect();
    let moved = transfer::Entity::update_many()
        .col_expr(
            transfer::Column::State,
            Expr::value(TransferState::Completed.as_str()),
        )
        .col_expr(transfer::Column::UpdatedAt, Expr::value(now))
        .filter(transfer::Column::Id.is_in(todo_ids.clone()))
        .filter(transfer::Column::State.eq(TransferState::Approved.as_str()))
        .exec(txn)
        .await?;
    if moved.rows_affected as usize != todo.len() {
        return Err(AppError::conflict(
            "Sebagian mutasi berubah status saat diproses; ulangi",
            "Some transfers changed state while being processed; try again",
        ));
    }
    let mut audits = Vec::new();
    let mut plans_by_transfer = HashMap::new();
    let mut completed_transfers = HashMap::new();
    // Employees moving to the same unit and position move in one UPDATE.
    let mut moves: HashMap<(i64, i64), Vec<i64>> = HashMap::new();
    for t in &todo {
        let (emp, items) = inputs.plan(rules, t, today)?;
        plans_by_transfer.insert(t.id, items);
        moves
            .entry((t.to_unit_id, t.to_position_id))
            .or_default()
            .push(emp.id);
        let place_after = EmployeePlace {
            unit_id: t.to_unit_id,
            position_id: Some(t.to_position_id),
        };
        audits.push(audit::row(
            actor,
            "employee.move",
            "employee",
            emp.id,
            Some(&EmployeePlace::of(emp)),
            Some(&place_after),
            now,
        ));
        let mut after = t.clone();
        after.state = TransferState::Completed.as_str().into();
        after.updated_at = now;
        audits.push(audit::row(
            actor,
            "transfer.completed",
            "transfer",
            t.id,
            Some(t),
            Some(&after),
            now,
        ));
        completed_transfers.insert(t.id, after);
    }
    for ((unit_id, position_id), ids) in moves {
        employee::Entity::update_many()
            .col_expr(employee::Column::UnitId, Expr::value(unit_id))
            .col_expr(employee::Column::PositionId, Expr::value(position_id))
            .filter(employee::Column::Id.is_in(ids))
            .exec(txn)
            .await?;
    }
    insert_all(
        txn,
        todo.iter()
            .map(|t| plan::ActiveModel {
                kind: Set("transfer".into()),
                transfer_id: Set(Some(t.id)),
                employee_id: Set(t.employee_id),
                state: Set("open".into()),
                created_at: Set(now),
                ..Default::default()
            })
            .collect(),
    )
    .await?;
    let plans = plan::Entity::find()
        .filter(plan::Column::TransferId.is_in(todo_ids))
        .order_by_asc(plan::Column::Id)
        .all(txn)
        .await?;
    let mut rows = Vec::new();
    for p in &plans {
        let transfer_id = p.transfer_id.unwrap_or_default();
        for item in plans_by_transfer
            .get(&transfer_id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            rows.push(assignment_row(p.id, p.employee_id, item, now));
        }
    }
    insert_all(txn, rows).await?;
    let plan_ids: Vec<i64> = plans.iter().map(|p| p.id).collect();
    let mut by_plan: HashMap<i64, Vec<assignment::Model>> = HashMap::new();
    for a in assignment::Entity::find()
        .filter(assignment::Column::PlanId.is_in(plan_ids))
        .order_by_asc(assignment::Column::Id)
        .all(txn)
        .await?
    {
        by_plan.entry(a.plan_id).or_default().push(a);
    }
    for p in plans {
        let assignments = by_plan.remove(&p.id).unwrap_or_default();
        let created = PlanCreated {
            plan: &p,
            assignments: &assignments,
        };
        audits.push(audit::row(
            actor,
            "plan.create",
            "plan",
            p.id,
            None::<&()>,
            Some(&created),
            now,
        ));
        let transfer = p
            .transfer_id
            .and_then(|id| completed_transfers.remove(&id))
            .ok_or_else(|| AppError::Internal {
                reference: format!("plan {} of no transfer being completed", p.id),
            })?;
        done.completed.push(Completed {
            transfer,
            plan: p,
            assignments,
            newly_completed: true,
        });
    }
    insert_all(
        txn,
        todo.iter()
            .flat_map(|t| checkin_rows(t, checkin_days))
            .collect(),
    )
    .await?;
    insert_all::<audit_entry::ActiveModel, _>(txn, audits).await?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::into_waves;

    #[test]
    fn an_employee_appears_once_per_wave_in_the_given_order() {
        // transfers 1..=5; employee 7 has three transfers, employee 8 one, 9 one
        let waves = into_waves([(1, 7), (2, 8), (3, 7), (4, 9), (5, 7)]);
        assert_eq!(waves, vec![vec![1, 2, 4], vec![3], vec![5]]);
    }

    #[test]
    fn distinct_employees_make_one_wave() {
        assert_eq!(into_waves([(1, 1), (2, 2), (3, 3)]), vec![vec![1, 2, 3]]);
        assert!(into_waves([]).is_empty());
    }
}
