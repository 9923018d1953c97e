//! Email: composing each reminder (HTML and plain text, in the recipient's
//! language) and delivering it over SMTP (lettre), or into files when no
//! SMTP server is configured. (Being built.)
