//! Listing and searching transfers (being written).
