//! Shared data types of the auth concern (see `crate::model`).
