//! Shared data types of the catalogue concern (see `crate::model`).
