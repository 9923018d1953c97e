//! Addresses of Jejak's own pages, built the same way everywhere.

/// A list's address with its query: empty values left out, the rest
/// percent-encoded ("/admin/akun?q=Siti%20A&hal=2").
pub fn href(path: &str, params: &[(&str, String)]) -> String {
    let mut parts = Vec::new();
    for (k, v) in params {
        if v.is_empty() {
            continue;
        }
        let mut enc = String::new();
        for b in v.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                enc.push(b as char);
            } else {
                enc.push_str(&format!("%{b:02X}"));
            }
        }
        parts.push(format!("{k}={enc}"));
    }
    if parts.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", parts.join("&"))
    }
}
