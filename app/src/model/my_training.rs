//! Shared data types of the my_training concern (see `crate::model`).
