//! Shared data types of the organisation concern (see `crate::model`).
