//! Putting back what a person typed into a form the server refused, when
//! JavaScript is off (see `backend::form_echo`). Use it as the input's
//! value: `<input name="title" value=echo::<CreateCourse>("title")/>`.

#[allow(unused_imports)]
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// What was typed into field `name` of the refused form posted to the
/// server function `A`; None otherwise (and always in the browser, where a
/// refused form keeps its values by itself).
pub fn echo<A: ServerFn>(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| {
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
