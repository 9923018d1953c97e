//! Shared data types of the reminders concern (see `crate::model`).
