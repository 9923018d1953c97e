//! People and the organisation: units, positions and employees as the
//! administrator keeps them (`organisation`), the overview of the office
//! (`overview`), one person's page (`person`), and finding units and people
//! by what is typed (`unit_lookup`, `search`).

pub mod organisation;
pub mod overview;
pub mod person;
pub mod search;
pub mod unit_lookup;
