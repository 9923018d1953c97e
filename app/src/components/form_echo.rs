//! Putting back what a person typed into a form the server refused, when
//! JavaScript is off (see `backend::form_echo`). Use it as the input's
//! value: `<input name="title" value={echo::<CreateCourse>("title")}/>` (braces: the
//! view macro would read the turbofish as a tag).

#[allow(unused_imports)]
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// As [`echo`], for one of many forms of a page posting to the same server
/// function: only if the refused one had `key` = `value` (its row's id).
pub fn echo_in<A: ServerFn>(name: &str, key: &str, value: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().and_then(|p| {
            p.extensions
                .get::<crate::backend::form_echo::FormEcho>()
                .and_then(|e| e.get_in(A::PATH, name, key, value))
                .map(str::to_owned)
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (name, key, value);
        None
    }
}

/// What was typed into field `name` of the refused form posted to the
/// server function `A`; None otherwise (and always in the browser, where a
/// refused form keeps its values by itself).
pub fn echo<A: ServerFn>(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().and_then(|p| {
            p.extensions
                .get::<crate::backend::form_echo::FormEcho>()
                .and_then(|e| e.get(A::PATH, name))
                .map(str::to_owned)
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = name;
        None
    }
}
