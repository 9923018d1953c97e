//! Reminders against the database: the snapshot the pure decision
//! (`domain::reminders`) needs, the outbox it fills, and claiming messages
//! for delivery. (Being built.)
