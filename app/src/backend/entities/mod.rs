//! sea-orm entities, one file per table. The schema itself is in `migrations/`.

pub mod employee;
pub mod unit;
