//! What became of the form just posted, kept for the one page view that
//! shows it. A form posts to its server function, which answers with a
//! redirect back to the page (the error, if any, travels in the URL): with
//! JavaScript too, since the pages are rendered on the server only and the
//! client fetches the page the redirect leads to. Two things would be lost
//! on the way and travel here instead:
//! - when the form was refused, what the person typed, to put it back;
//! - when it succeeded, the server function's answer (its JSON), so the page
//!   can say what was done ("Mutasi selesai: 5 pelatihan").
//!
//! Both travel in a short-lived cookie (never in the URL, which ends up in
//! history and logs); typed passwords and tokens are never kept.

use base64::Engine as _;

use crate::cookie::Cookie;

/// The cookie that carries the refused form's values to the next page view.
pub const COOKIE: &str = "jejak_isian";
/// Its name over HTTPS (`__Host-`: see [`crate::cookie::Cookie`]).
pub const COOKIE_SECURE: &str = "__Host-jejak_isian";

const ECHO: Cookie = Cookie {
    plain: COOKIE,
    secure: COOKIE_SECURE,
};

/// Larger forms are not echoed (a cookie holds about 4 KB).
const MAX_COOKIE_VALUE: usize = 3000;

/// The form just posted: the server function it was posted to, its fields
/// and, when it succeeded, the function's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FormEcho {
    pub path: String,
    pub fields: Vec<(String, String)>,
    /// The answer (JSON) of a form that succeeded; None for a refused one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

impl FormEcho {
    /// Whether the form posted was the one to `path` with `key` = `value`
    /// (which of a page's many forms for one server function, e.g. the
    /// row's id); any form to `path` when `key` is None.
    pub fn is_form(&self, path: &str, key: Option<(&str, &str)>) -> bool {
        self.path == path
            && key.is_none_or(|(key, value)| self.fields.iter().any(|(k, v)| k == key && v == value))
    }

    /// The answer of the form posted to `path` (and `key`), if it succeeded.
    pub fn output<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        key: Option<(&str, &str)>,
    ) -> Option<T> {
        let json = self.output.as_deref().filter(|_| self.is_form(path, key))?;
        serde_json::from_str(json).ok()
    }

    /// As [`get`](Self::get), when the refused form also had `key` = `value`
    /// (which of a page's many forms for one server function, e.g. the row's id).
    pub fn get_in(&self, path: &str, name: &str, key: &str, value: &str) -> Option<&str> {
        self.fields
            .iter()
            .any(|(k, v)| k == key && v == value)
            .then(|| self.get(path, name))
            .flatten()
    }

    /// What was typed in `name`, if the refused form was the one posted to
    /// `path` (a form that succeeded starts afresh).
    pub fn get(&self, path: &str, name: &str) -> Option<&str> {
        (self.path == path && self.output.is_none())
            .then(|| {
                self.fields
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
            })
            .flatten()
    }
}

/// Never echoed: secrets, and what the page sets itself.
fn kept(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    !(n.contains("password") || n.contains("sandi") || n.contains("token") || n == "confirm")
}

/// The fields of an `application/x-www-form-urlencoded` body worth echoing.
pub fn fields_of_form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body)
        .into_owned()
        .filter(|(k, v)| kept(k) && !v.is_empty())
        .collect()
}

/// The cookie's value, or None when there is nothing to keep or it is too large.
pub fn encode(echo: &FormEcho) -> Option<String> {
    if echo.fields.is_empty() && echo.output.is_none() {
        return None;
    }
    let json = serde_json::to_vec(echo).ok()?;
    let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    (value.len() <= MAX_COOKIE_VALUE).then_some(value)
}

/// The echo in a `Cookie:` header, if there is a valid one.
pub fn from_cookie_header(header: &str, secure: bool) -> Option<FormEcho> {
    let value = ECHO.value_in(header, secure)?;
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(value)
        .ok()?;
    serde_json::from_slice(&json).ok()
}

/// Set-Cookie for the echo: two minutes is plenty for one redirect.
pub fn set_cookie(value: &str, secure: bool) -> String {
    set_cookie_for(value, 120, secure)
}

/// Set-Cookie that ends the echo once a page has shown it.
pub fn clear_cookie(secure: bool) -> String {
    set_cookie_for("", 0, secure)
}

fn set_cookie_for(value: &str, max_age: u32, secure: bool) -> String {
    ECHO.set(
        value,
        &format!("Max-Age={max_age}; SameSite=Strict; HttpOnly"),
        secure,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_typed_text_but_never_secrets() {
        let fields = fields_of_form(
            b"title=Pengelolaan%20Arsip&jp=abc&password=rahasia&new_password=x&confirm=x&token=t&empty=",
        );
        assert_eq!(
            fields,
            vec![
                ("title".to_string(), "Pengelolaan Arsip".to_string()),
                ("jp".to_string(), "abc".to_string()),
            ]
        );
    }

    #[test]
    fn survives_the_cookie_and_answers_only_for_its_form() {
        let echo = FormEcho {
            path: "/fn/create_course".into(),
            fields: vec![("title".into(), "Arsip; \"digital\" = baru".into())],
            ..Default::default()
        };
        let value = encode(&echo).unwrap();
        let header = format!("jejak_sesi=abc; {COOKIE}={value}; jejak_bahasa=en");
        let back = from_cookie_header(&header, false).unwrap();
        assert_eq!(back, echo);
        assert_eq!(
            back.get("/fn/create_course", "title"),
            Some("Arsip; \"digital\" = baru")
        );
        assert_eq!(back.get("/fn/create_transfer", "title"), None);
        assert_eq!(back.get("/fn/create_course", "code"), None);
        let row = FormEcho {
            path: "/fn/self_report".into(),
            fields: vec![
                ("assignment_id".into(), "7".into()),
                ("note".into(), "x".into()),
            ],
            ..Default::default()
        };
        assert_eq!(
            row.get_in("/fn/self_report", "note", "assignment_id", "7"),
            Some("x")
        );
        assert_eq!(
            row.get_in("/fn/self_report", "note", "assignment_id", "8"),
            None
        );
        assert!(from_cookie_header(&format!("{COOKIE}=not-base64!"), false).is_none());
    }

    #[test]
    fn huge_forms_are_not_echoed() {
        let echo = FormEcho {
            path: "/fn/x".into(),
            fields: vec![("note".into(), "a".repeat(5000))],
            ..Default::default()
        };
        assert!(encode(&echo).is_none());
        assert!(encode(&FormEcho::default()).is_none());
    }

    #[test]
    fn an_answer_reaches_only_its_form_and_puts_nothing_back() {
        let echo = FormEcho {
            path: "/fn/grant_role".into(),
            fields: vec![("account_id".into(), "7".into())],
            output: Some(r#"{"id":3,"name":"Siti"}"#.into()),
        };
        let header = format!("{COOKIE}={}", encode(&echo).unwrap());
        let back = from_cookie_header(&header, false).unwrap();
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Answer {
            id: i64,
            name: String,
        }
        let answer = Answer {
            id: 3,
            name: "Siti".into(),
        };
        assert_eq!(back.output("/fn/grant_role", None), Some(answer));
        assert!(back
            .output::<Answer>("/fn/grant_role", Some(("account_id", "7")))
            .is_some());
        assert!(back
            .output::<Answer>("/fn/grant_role", Some(("account_id", "8")))
            .is_none());
        assert!(back.output::<Answer>("/fn/revoke_role", None).is_none());
        // A form that succeeded starts afresh: nothing typed comes back.
        assert_eq!(back.get("/fn/grant_role", "account_id"), None);
    }
}
