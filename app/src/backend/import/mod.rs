//! Placeholder, being built (issue 7).
