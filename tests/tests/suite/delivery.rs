//! Delivering reminders through a real SMTP server on loopback: the
//! 120-day walk, an outage, a crash mid-batch, two instances (issue 6).
