//! Data in and out: CSV import (preview, then apply) and the CSV exports,
//! all written by the one CSV writer (`csv_out`).

pub mod csv_out;
pub mod exports;
pub mod import;
