//! Shared data types of the import concern (see `crate::model`).
