//! Shared data types of the transfers concern (see `crate::model`).
