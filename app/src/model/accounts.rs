//! Shared data types of the accounts concern (see `crate::model`).
