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

/// Whether a state-changing request comes from Jejak's own pages.
/// Browsers send `Sec-Fetch-Site` (same-origin, same-site, cross-site,
/// none) and `Origin` on POSTs; either one pointing elsewhere rejects the
/// request. An `Origin` must have the public URL's scheme (an `http://`
/// page must not act on an `https://` Jejak) and either its host or the
/// `Host` the request came to.
///
/// A request with neither header is let through only without a session
/// cookie (command-line clients, the sign-in form of a script): every
/// browser in use sends one of the two, so a cookie-authenticated request
/// without them did not come from a page of Jejak's.
pub fn same_origin(
    sec_fetch_site: Option<&str>,
    origin: Option<&str>,
    host: Option<&str>,
    public_url: &str,
    with_session: bool,
) -> bool {
    if let Some(site) = sec_fetch_site {
        if site != "same-origin" && site != "none" {
            return false;
        }
    }
    let public = public_url.trim_end_matches('/');
    let scheme = if public.starts_with("https://") {
        "https://"
    } else {
        "http://"
    };
    match origin {
        None => sec_fetch_site.is_some() || !with_session,
        Some(o) => {
            let Some(o_host) = o.strip_prefix(scheme) else {
                return false;
            };
            host.is_some_and(|h| o_host == h) || o == origin_of(public)
        }
    }
}

/// `scheme://host[:port]` of a URL (its origin, as browsers write it).
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_pages_pass_and_other_sites_do_not() {
        let https = |s, o, session| {
            same_origin(
                s,
                o,
                Some("jejak.medan.go.id"),
                "https://jejak.medan.go.id/",
                session,
            )
        };
        assert!(https(
            Some("same-origin"),
            Some("https://jejak.medan.go.id"),
            true
        ));
        assert!(https(None, Some("https://jejak.medan.go.id"), true));
        assert!(https(Some("same-origin"), None, true));
        assert!(
            https(None, None, false),
            "curl and other clients without a session"
        );
        assert!(
            !https(None, None, true),
            "a session cookie without Origin or Sec-Fetch-Site: not from a current browser's page"
        );
        assert!(!https(
            Some("cross-site"),
            Some("https://evil.example"),
            true
        ));
        assert!(!https(
            Some("same-site"),
            Some("https://x.medan.go.id"),
            true
        ));
        assert!(!https(None, Some("https://evil.example"), true));
        assert!(!https(None, Some("null"), true));
        assert!(
            !https(None, Some("http://jejak.medan.go.id"), true),
            "the right host over the wrong scheme"
        );
        let http = |s, o| same_origin(s, o, Some("127.0.0.1:3000"), "http://127.0.0.1:3000", true);
        assert!(http(Some("same-origin"), Some("http://127.0.0.1:3000")));
        assert!(!http(None, Some("https://127.0.0.1:3000")));
        assert!(!http(None, Some("http://127.0.0.1:4000")));
        // Behind a proxy the Host may be an internal name; the public URL's
        // origin still matches.
        assert!(same_origin(
            None,
            Some("https://jejak.medan.go.id"),
            Some("10.0.0.5:3000"),
            "https://jejak.medan.go.id/jejak",
            true
        ));
    }

    #[test]
    fn the_page_policy_names_the_nonce_and_forbids_framing() {
        let p = page_csp("abc");
        assert!(p.contains("'nonce-abc'"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(!p.contains("unsafe-inline"));
    }
}
