//! What became of the form just posted, for the page the post's redirect
//! leads to (see `backend::form_echo`): what the person typed into a form
//! the server refused, put back as the input's value
//! (`<input name="title" value={echo::<CreateCourse>("title")}/>`; braces: the
//! view macro would read the turbofish as a tag), and the answer of one that
//! succeeded, in the form's action ([`server_action`]).

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

/// The action of server function `A` for a form of the page: as
/// `ServerAction::new()`, and on the server it already holds the answer of
/// the form just posted to `A` (see `backend::form_echo`), so the page
/// says what was done after the post's redirect, as it would have in place.
#[track_caller]
pub fn server_action<A>() -> ServerAction<A>
where
    A: ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    A::Output: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    answered(None)
}

/// As [`server_action`], for one of many forms of a page posting to `A`:
/// only the form whose field `key` had `value` (its row's id) gets the answer.
#[track_caller]
pub fn server_action_in<A>(key: &'static str, value: String) -> ServerAction<A>
where
    A: ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    A::Output: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    answered(Some((key, value)))
}

#[track_caller]
fn answered<A>(key: Option<(&'static str, String)>) -> ServerAction<A>
where
    A: ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    A::Output: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    let action = ServerAction::<A>::new();
    #[cfg(feature = "ssr")]
    if let Some(output) = use_context::<http::request::Parts>().and_then(|p| {
        p.extensions
            .get::<crate::backend::form_echo::FormEcho>()
            .and_then(|e| e.output::<A::Output>(A::PATH, key.as_ref().map(|(k, v)| (*k, v.as_str()))))
    }) {
        action.value().set(Some(Ok(output)));
    }
    #[cfg(not(feature = "ssr"))]
    let _ = key;
    action
}
