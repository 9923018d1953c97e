//! Reading the catalogue and testing rules (being written).
