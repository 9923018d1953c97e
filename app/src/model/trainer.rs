//! Shared data types of the trainer concern (see `crate::model`).
