//! Units and employees.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    PaginatorTrait, QuerySelect, Set,
};

use crate::{
    backend::{
        entities::{employee, unit},
        people::organisation::{in_tree_order, unit_name_free},
    },
    domain::{dates, org::validate_unit_name},
    error::AppError,
    model::overview::{Overview, UnitRow},
};

#[derive(Debug, FromQueryResult)]
struct UnitCount {
    unit_id: i64,
    n: i64,
}

pub async fn overview(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono_tz::Tz>,
    l: crate::i18n::Locale,
) -> Result<Overview, AppError> {
    let unit_count = unit::Entity::find().count(db).await?;
    let employee_count = employee::Entity::find().count(db).await?;
    let units = unit::Entity::find()
        .limit(Overview::UNIT_LIST_LIMIT as u64)
        .all(db)
        .await?;
    let counts: HashMap<i64, u64> = employee::Entity::find()
        .select_only()
        .column(employee::Column::UnitId)
        .column_as(employee::Column::Id.count(), "n")
        .group_by(employee::Column::UnitId)
        .into_model::<UnitCount>()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.unit_id, c.n as u64))
        .collect();
    let rows = in_tree_order(&units)
        .into_iter()
        .map(|(u, depth)| UnitRow {
            id: u.id,
            name: u.name.clone(),
            depth,
            employees: counts.get(&u.id).copied().unwrap_or(0),
        })
        .collect();
    Ok(Overview {
        unit_count,
        employee_count,
        units: rows,
        as_of: dates::long_date_time_in(now.naive_local(), &zone_abbr(&now), l),
    })
}

fn zone_abbr(now: &chrono::DateTime<chrono_tz::Tz>) -> String {
    // chrono-tz knows WIB/WITA/WIT for Indonesian zones.
    now.format("%Z").to_string()
}

pub async fn create_unit(
    db: &DatabaseConnection,
    raw_name: &str,
    parent_id: Option<i64>,
) -> Result<UnitRow, AppError> {
    let name = validate_unit_name(raw_name)?;
    let saved = crate::backend::db::write(db, async |txn| {
        if let Some(pid) = parent_id {
            if unit::Entity::find_by_id(pid).one(txn).await?.is_none() {
                return Err(AppError::invalid(
                    "parent_id",
                    format!("Unit induk dengan id {pid} tidak ditemukan"),
                    format!("Parent unit {pid} does not exist"),
                ));
            }
        }
        unit_name_free(txn, &name, parent_id, None).await?;
        let row = unit::ActiveModel {
            parent_id: Set(parent_id),
            name: Set(name),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        };
        Ok(row.insert(txn).await?)
    })
    .await?;
    tracing::info!(unit_id = saved.id, name = %saved.name, "unit created");
    Ok(UnitRow {
        id: saved.id,
        name: saved.name,
        depth: 0,
        employees: 0,
    })
}
