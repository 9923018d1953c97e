//! "Penugasan saya": the signed-in person's plans, assignments, history, the
//! yearly JP ledger, self-reported completions and the calendar feed link.

use leptos::prelude::*;

use crate::error::AppError;

use crate::model::my_training::MyTraining;

#[server(prefix = "/fn", endpoint = "my_training")]
pub async fn get_my_training() -> Result<MyTraining, AppError> {
    use crate::backend::{access::policy::Action, training::my_training};
    let c = super::Caller::allowed(&Action::ViewOwnTraining)?;
    my_training::load(
        c.db(),
        &c.p,
        c.today(),
        c.app.config.jp_target_per_year,
        c.locale(),
    )
    .await
}

/// Reports one's own assignment as completed; it waits for a trainer.
#[server(prefix = "/fn", endpoint = "self_report")]
pub async fn self_report(
    assignment_id: i64,
    completed_on: String,
    certificate_no: String,
    note: String,
) -> Result<(), AppError> {
    use crate::backend::training::my_training;
    let c = super::Caller::signed_in()?;
    my_training::report(
        c.db(),
        &c.p,
        assignment_id,
        &completed_on,
        &certificate_no,
        &note,
        c.today(),
    )
    .await
}

/// Makes a new secret calendar link (the old one stops working) and returns
/// it, or with `revoke` removes it. The link is shown only now.
#[server(prefix = "/fn", endpoint = "calendar_link")]
pub async fn calendar_link(revoke: Option<String>) -> Result<Option<String>, AppError> {
    use crate::backend::{access::policy::Action, training::calendar};
    let c = super::Caller::allowed(&Action::ManageOwnAccount)?;
    if revoke.is_some_and(|v| !v.is_empty()) {
        calendar::revoke(c.db(), &c.p).await?;
        Ok(None)
    } else {
        let token = calendar::renew(c.db(), &c.p).await?;
        Ok(Some(format!(
            "{}/kalender/{token}.ics",
            c.app.config.public_url.trim_end_matches('/')
        )))
    }
}
