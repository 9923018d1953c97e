//! Jejak's cookies (the session, the language, the refused form's echo):
//! one naming rule and one way to read and write them. On the lowest floor
//! because the language is read before anything else.

/// A cookie's two names. Over HTTPS it carries the `__Host-` prefix:
/// browsers then take it only with `Secure`, `Path=/` and no `Domain`, so
/// no other host under the same domain (nor a plain-HTTP page) can set or
/// shadow it.
#[derive(Clone, Copy, Debug)]
pub struct Cookie {
    /// The name over plain HTTP.
    pub plain: &'static str,
    /// The name over HTTPS: `__Host-` and the plain name.
    pub secure: &'static str,
}

impl Cookie {
    /// The name this cookie has on a plain or a secure connection.
    pub fn name(self, secure: bool) -> &'static str {
        if secure {
            self.secure
        } else {
            self.plain
        }
    }

    /// Its value in a `Cookie:` request header, if the header has it under
    /// the name `secure` asks for (over HTTPS a plain name is ignored).
    pub fn value_in(self, header: &str, secure: bool) -> Option<&str> {
        let name = self.name(secure);
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// The `Set-Cookie` value: `name=value; Path=/; attributes`, and
    /// `; Secure` over HTTPS.
    pub fn set(self, value: &str, attributes: &str, secure: bool) -> String {
        format!(
            "{}={value}; Path=/; {attributes}{}",
            self.name(secure),
            if secure { "; Secure" } else { "" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: Cookie = Cookie {
        plain: "jejak_x",
        secure: "__Host-jejak_x",
    };

    #[test]
    fn reads_its_own_name_only() {
        let header = "a=1; jejak_x=plain; __Host-jejak_x=secure; jejak_xy=no";
        assert_eq!(C.value_in(header, false), Some("plain"));
        assert_eq!(C.value_in(header, true), Some("secure"));
        assert_eq!(C.value_in("jejak_xy=no", false), None);
        assert_eq!(C.value_in("", true), None);
    }

    #[test]
    fn writes_secure_only_over_https() {
        assert_eq!(C.set("v", "HttpOnly", false), "jejak_x=v; Path=/; HttpOnly");
        assert_eq!(
            C.set("v", "HttpOnly", true),
            "__Host-jejak_x=v; Path=/; HttpOnly; Secure"
        );
    }
}
