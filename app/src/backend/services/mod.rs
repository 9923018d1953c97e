//! Services: functions over a database connection that apply the domain rules.

pub mod org;
