//! Shared data types of the overview concern (see `crate::model`).
