//! Transfers for HR administrators (being written).
