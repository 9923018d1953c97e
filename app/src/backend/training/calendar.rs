//! Personal calendar feeds: an iCalendar (RFC 5545) file of one's open
//! assignments' due dates at a secret URL that calendar apps subscribe to.
//! The token is stored hashed; making a new one revokes the old.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::backend::access::token::{hash_token, new_token};
use crate::backend::access::{accounts::commit_audited, Principal};
use crate::backend::db::{self, begin_write};
use crate::backend::entities::{account, assignment, calendar_link, course, employee};
use crate::domain::progress::AssignmentState;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};

/// A new secret link token for the person (the previous one stops working).
pub async fn renew(db: &DatabaseConnection, p: &Principal) -> Result<String, AppError> {
    let token = new_token();
    let txn = begin_write(db).await?;
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
    commit_audited(txn, &p.actor(), "calendar.link_created", p.account_id, &()).await?;
    Ok(token)
}

pub async fn revoke(db: &DatabaseConnection, p: &Principal) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    calendar_link::Entity::delete_by_id(p.account_id)
        .exec(&txn)
        .await?;
    commit_audited(txn, &p.actor(), "calendar.link_revoked", p.account_id, &()).await
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
    let acc = db::find::<account::Entity, _>(db, link.account_id).await?;
    // Deactivating an account deletes its link; checked here as well.
    if !acc.is_usable() {
        return Err(AppError::NotFound);
    }
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
    let courses = db::by_id::<course::Entity, _>(db, open.iter().map(|a| a.course_id)).await?;
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
