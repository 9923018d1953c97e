//! Shared data types of the person concern (see `crate::model`).
