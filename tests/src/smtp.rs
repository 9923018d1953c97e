//! A real SMTP server on loopback for the mail tests. (Being built.)
