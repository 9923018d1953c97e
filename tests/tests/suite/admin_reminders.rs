//! The administrator's reminders page over HTTP: schedules and the outbox log (issue 6).
