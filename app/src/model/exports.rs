//! Shared data types of the exports concern (see `crate::model`).
