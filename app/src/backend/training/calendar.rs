//! Personal calendar feeds: an iCalendar (RFC 5545) file of one's open
//! assignments' due dates at a secret URL that calendar apps subscribe to.
//! The token is stored hashed; making a new one revokes the old.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::backend::audit;
use crate::{
    backend::{
        access::{
            token::{hash_token, new_token},
            Principal,
        },
        entities::{account, assignment, calendar_link, course, employee},
    },
    domain::progress::AssignmentState,
    error::AppError,
    i18n::{td_string, Locale},
};

/// A new secret link token for the person (the previous one stops working).
pub async fn renew(db: &DatabaseConnection, p: &Principal) -> Result<String, AppError> {
    let token = new_token();
    let txn = crate::backend::db::begin_write(db).await?;
    calendar_link::Entity::delete_by_id(p.account_id)
        .exec(&txn)
        .await?;
    calendar_link::ActiveModel {
        account_id: Set(p.account_id),
        token_hash: Set(hash_token(&token)),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    audit::created(
        &txn,
        &p.actor(),
        "calendar.link_created",
        "account",
        p.account_id,
        &(),
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

pub async fn revoke(db: &DatabaseConnection, p: &Principal) -> Result<(), AppError> {
    let txn = crate::backend::db::begin_write(db).await?;
    calendar_link::Entity::delete_by_id(p.account_id)
        .exec(&txn)
        .await?;
    audit::created(
        &txn,
        &p.actor(),
        "calendar.link_revoked",
        "account",
        p.account_id,
        &(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The feed for a token, or NotFound for an unknown or revoked one.
pub async fn feed(
    db: &DatabaseConnection,
    token: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let link = calendar_link::Entity::find()
        .filter(calendar_link::Column::TokenHash.eq(hash_token(token)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let acc = account::Entity::find_by_id(link.account_id)
        .one(db)
        .await?
        // Deactivating an account deletes its link; checked here as well.
        .filter(account::Model::is_usable)
        .ok_or(AppError::NotFound)?;
    // The feed speaks the employee's own language, as the pages do.
    let l = employee::Entity::find_by_id(acc.employee_id)
        .one(db)
        .await?
        .and_then(|e| crate::lang::parse(&e.language))
        .unwrap_or(Locale::id);
    let open: Vec<assignment::Model> = assignment::Entity::find()
        .filter(assignment::Column::EmployeeId.eq(acc.employee_id))
        .order_by_asc(assignment::Column::DueDate)
        .all(db)
        .await?
        .into_iter()
        .filter(|a| AssignmentState::parse(&a.state).is_some_and(AssignmentState::is_open))
        .collect();
    let courses: std::collections::HashMap<i64, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(open.iter().map(|a| a.course_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let host = public_url
        .trim_end_matches('/')
        .rsplit("//")
        .next()
        .unwrap_or("jejak");
    let mine = format!("{}/saya", public_url.trim_end_matches('/'));
    let mut cal = Calendar::new();
    cal.name(td_string!(l, my_training.feed.name))
        .timezone("Asia/Jakarta");
    for a in &open {
        let c = courses.get(&a.course_id);
        let title = c.map_or_else(
            || td_string!(l, my_training.feed.course).to_string(),
            |c| c.title_in(l).to_string(),
        );
        let code = c.map(|c| c.code.as_str()).unwrap_or("");
        cal.push(
            Event::new()
                .uid(&format!("assignment-{}@{host}", a.id))
                .timestamp(now)
                .all_day(a.due_date)
                .summary(&td_string!(l, my_training.feed.summary, title = &title))
                .description(&td_string!(
                    l,
                    my_training.feed.description,
                    code = code,
                    title = &title,
                    url = &mine
                ))
                .url(&mine)
                .done(),
        );
    }
    Ok(cal.done().to_string())
}
