//! Shared data types of the adaptation concern (see `crate::model`).
