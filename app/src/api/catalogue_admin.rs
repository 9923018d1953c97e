//! Courses and plan rules for HR administrators (being written).
