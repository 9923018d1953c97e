//! The browser-facing security headers, in one place.

/// The Content-Security-Policy of an HTML page: scripts only from Jejak
/// itself or carrying this response's nonce (Leptos's hydration script
/// does), WebAssembly allowed to compile, no inline styles, no framing,
/// forms only to Jejak.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// For everything that is not a page (JSON, files): nothing may run or embed it.
pub const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Headers every response carries.
pub const ALWAYS: [(&str, &str); 3] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
];

/// Whether a state-changing request comes from Jejak's own pages. Browsers
/// send `Sec-Fetch-Site` (same-origin, same-site, cross-site, none) and
/// `Origin` on POSTs; either one pointing elsewhere rejects the request.
/// Requests with neither (command-line clients, old browsers) are let
/// through: they carry no ambient browser cookies from another site, and
/// the session cookie is SameSite=Lax.
pub fn same_origin(
    sec_fetch_site: Option<&str>,
    origin: Option<&str>,
    host: Option<&str>,
    public_url: &str,
) -> bool {
    if let Some(site) = sec_fetch_site {
        if site != "same-origin" && site != "none" {
            return false;
        }
    }
    match origin {
        None => true,
        Some(o) => {
            let host_matches = host.is_some_and(|h| {
                o.strip_prefix("http://")
                    .or_else(|| o.strip_prefix("https://"))
                    == Some(h)
            });
            host_matches || o == public_url.trim_end_matches('/')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_pages_pass_and_other_sites_do_not() {
        let ok = |s, o| same_origin(s, o, Some("127.0.0.1:3000"), "https://jejak.medan.go.id");
        assert!(ok(Some("same-origin"), Some("http://127.0.0.1:3000")));
        assert!(ok(None, Some("https://jejak.medan.go.id")));
        assert!(ok(None, None), "curl and other non-browser clients");
        assert!(!ok(Some("cross-site"), Some("https://evil.example")));
        assert!(!ok(Some("same-site"), Some("http://127.0.0.1:4000")));
        assert!(!ok(None, Some("http://127.0.0.1:4000")));
        assert!(!ok(None, Some("null")));
    }

    #[test]
    fn the_page_policy_names_the_nonce_and_forbids_framing() {
        let p = page_csp("abc");
        assert!(p.contains("'nonce-abc'"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(!p.contains("unsafe-inline"));
    }
}
