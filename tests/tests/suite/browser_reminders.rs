//! The administrator's reminders page in Chromium (issue 6).
