//! sea-orm entities, one file per table. The schema itself is in `migrations/`.

pub mod account;
pub mod account_role;
pub mod api_token;
pub mod assignment;
pub mod audit_entry;
pub mod calendar_link;
pub mod checkin;
pub mod completion;
pub mod course;
pub mod employee;
pub mod import_upload;
pub mod login_throttle;
pub mod outbox;
pub mod password_link;
pub mod plan;
pub mod plan_rule;
pub mod plan_rule_version;
pub mod position;
pub mod schedule;
pub mod scheduler_lease;
pub mod self_report;
pub mod session;
pub mod transfer;
pub mod unit;
