//! Which language a page speaks. Indonesian unless the person chose English:
//! the choice is stored with the employee (so it follows them to any device
//! they sign in on) and, for someone not signed in, in the `jejak_bahasa`
//! cookie. The browser's Accept-Language is ignored on purpose: many
//! Indonesian offices run English-language browsers, and Jejak is
//! Indonesian first.

use crate::cookie::Cookie;
use crate::i18n::Locale;

/// The cookie that remembers the choice of someone not signed in.
pub const COOKIE: &str = "jejak_bahasa";
/// Its name over HTTPS (`__Host-`: see [`crate::cookie::Cookie`]).
pub const COOKIE_SECURE: &str = "__Host-jejak_bahasa";

const LANGUAGE: Cookie = Cookie {
    plain: COOKIE,
    secure: COOKIE_SECURE,
};

/// The language's code, as stored, sent and put in `<html lang>`.
pub fn code(l: Locale) -> &'static str {
    match l {
        Locale::id => "id",
        Locale::en => "en",
    }
}

/// "id" → Indonesian, "en" → English; anything else is not a language Jejak speaks.
pub fn parse(code: &str) -> Option<Locale> {
    match code.trim() {
        "id" => Some(Locale::id),
        "en" => Some(Locale::en),
        _ => None,
    }
}

/// The language in a `Cookie:` header, if it names one.
pub fn from_cookie_header(header: &str, secure: bool) -> Option<Locale> {
    LANGUAGE.value_in(header, secure).and_then(parse)
}

/// Chooses the language of a request: the signed-in person's, else the
/// cookie's, else the configured default.
pub fn resolve(person: Option<&str>, cookie: Option<Locale>, default: &str) -> Locale {
    person
        .and_then(parse)
        .or(cookie)
        .or_else(|| parse(default))
        .unwrap_or(Locale::id)
}

/// The language of the current request, as the middleware decided it
/// (Indonesian outside a request).
#[cfg(feature = "ssr")]
pub fn request_locale() -> Locale {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<RequestLocale>().map(|l| l.0))
        .unwrap_or(Locale::id)
}

/// Put on each request by the `authenticate` middleware.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestLocale(pub Locale);

/// The language the page is shown in (in a component).
pub fn use_locale() -> Locale {
    crate::i18n::use_i18n().get_locale_untracked()
}

/// The `Set-Cookie` value that remembers `locale` for a year.
pub fn cookie(locale: Locale, secure: bool) -> String {
    LANGUAGE.set(
        code(locale),
        "Max-Age=31536000; SameSite=Lax; HttpOnly",
        secure,
    )
}

/// Every key of a translation file's JSON, as `prefix.a.b`, in file order.
/// Panics on an empty text or on a value that is neither text nor an
/// object. For the tests that check the translation files.
#[cfg(test)]
pub(crate) fn translation_keys(prefix: &str, json: &serde_json::Value) -> Vec<String> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    walk(&format!("{prefix}.{k}"), v, out)
                }
            }
            serde_json::Value::String(s) => {
                assert!(!s.trim().is_empty(), "empty text at {prefix}");
                out.push(prefix.to_string())
            }
            other => panic!("{prefix}: expected text or an object, got {other}"),
        }
    }
    let mut out = Vec::new();
    walk(prefix, json, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_person_beats_the_cookie_beats_the_default() {
        assert_eq!(resolve(Some("en"), Some(Locale::id), "id"), Locale::en);
        assert_eq!(resolve(Some("id"), Some(Locale::en), "en"), Locale::id);
        assert_eq!(resolve(None, Some(Locale::en), "id"), Locale::en);
        assert_eq!(resolve(None, None, "en"), Locale::en);
        assert_eq!(resolve(None, None, "id"), Locale::id);
        // A stored value Jejak does not know falls through to the next source.
        assert_eq!(resolve(Some("jv"), None, "id"), Locale::id);
    }

    #[test]
    fn reads_its_cookie_among_others() {
        assert_eq!(
            from_cookie_header("jejak_sesi=abc; jejak_bahasa=en; x=1", false),
            Some(Locale::en)
        );
        assert_eq!(from_cookie_header("jejak_bahasa=fr", false), None);
        assert_eq!(from_cookie_header("xjejak_bahasa=en", false), None);
        assert_eq!(from_cookie_header("", false), None);
    }

    /// Every key exists in both languages and no text is empty: a missing
    /// English string would otherwise fall back to Indonesian silently.
    #[test]
    fn both_languages_have_the_same_keys() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let mut namespaces = 0;
        for entry in std::fs::read_dir(dir.join("id")).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let read = |lang: &str| {
                let path = dir.join(lang).join(&name);
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let mut out = translation_keys(&name, &serde_json::from_str(&text).unwrap());
                out.sort();
                out
            };
            assert_eq!(read("id"), read("en"), "keys differ in {name}");
            namespaces += 1;
        }
        assert!(namespaces >= 13, "only {namespaces} namespaces found");
    }

    /// Words a person reads must come from the translation files. This scans
    /// the components for text in view! markup (`>"Beranda"<`, a line that
    /// is only a sentence), text attributes (`placeholder="…"`, `title`,
    /// `aria-label`, `<Title text=…>`) and `format!` with words, and fails
    /// with file:line. A line may opt out with a trailing `// i18n-ok`
    /// comment saying why (a brand name, a code).
    #[test]
    fn components_have_no_hard_coded_text() {
        fn wordy(lit: &str) -> bool {
            // Two letters in a row outside {placeholders} and not a path or a code.
            let mut depth = 0;
            let mut run = 0;
            if lit.starts_with('/') || lit.starts_with('#') || lit.starts_with("http") {
                return false;
            }
            for c in lit.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    c if depth == 0 && c.is_alphabetic() => {
                        run += 1;
                        if run >= 2 {
                            return true;
                        }
                    }
                    _ => run = 0,
                }
            }
            false
        }
        fn sentence(lit: &str) -> bool {
            let words = lit
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count();
            words >= 2
                && (lit.chars().any(char::is_uppercase)
                    || lit.trim_end().ends_with(['.', ',', ':', '?', '!']))
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        for dir in ["pages", "components"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, line) in text.lines().enumerate() {
                    let t = line.trim();
                    if t.starts_with("//") || t.contains("// i18n-ok") || t.starts_with("#[") {
                        continue;
                    }
                    // The string literals of the line (no escapes needed for this check).
                    let parts: Vec<&str> = t.split('"').collect();
                    let mut bad = false;
                    for (k, lit) in parts.iter().enumerate().skip(1).step_by(2) {
                        let before = parts[k - 1];
                        let after = parts.get(k + 1).copied().unwrap_or("");
                        let text_node =
                            before.trim_end().ends_with('>') && after.trim_start().starts_with('<');
                        let own_line =
                            k == 1 && before.trim().is_empty() && after.trim().is_empty();
                        let attr = ["placeholder=", "title=", "aria-label=", "text=", "alt="]
                            .iter()
                            .any(|a| before.ends_with(a));
                        let fmt = before.ends_with("format!(");
                        if (text_node || attr || fmt) && wordy(lit) || own_line && sentence(lit) {
                            bad = true;
                        }
                    }
                    if bad {
                        found.push(format!(
                            "{}:{}: {t}",
                            path.strip_prefix(&root).unwrap().display(),
                            i + 1
                        ));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "{} lines with hard-coded text:\n{}",
            found.len(),
            found.join("\n")
        );
    }
}
