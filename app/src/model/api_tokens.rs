//! Shared data types of the api_tokens concern (see `crate::model`).
