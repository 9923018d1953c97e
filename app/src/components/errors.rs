//! Showing errors: inline (a form's answer) or as the page's outcome; and
//! a form's answer as a whole ([`Answer`]), a success as a [`Notice`].

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang::use_locale;

/// The message in the page's language.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let l = use_locale();
    view! {
        <div class="notice error" role="alert">
            <p>{error.message(crate::lang::code(l))}</p>
        </div>
    }
}

/// A page whose data could not be loaded: the response gets the error's
/// status (404 for what one may not see, exactly as for what does not
/// exist), and someone not signed in is sent to the sign-in page.
#[component]
pub fn PageError(error: AppError) -> impl IntoView {
    if error == AppError::Unauthenticated {
        // On the server this answers 302 with a Location; in the browser it navigates.
        return view! { <Redirect path="/masuk"/> }.into_any();
    }
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(error.status_code());
    }
    let not_found = error == AppError::NotFound;
    let l = use_locale();
    view! {
        {not_found.then(|| view! { <h1>{td_string!(l, common.not_found.data_title)}</h1> })}
        <ErrorBox error/>
        <p><a href="/">{td_string!(l, common.actions.back_home)}</a></p>
    }
    .into_any()
}

/// The message of a failed action that concerns one field, next to that
/// field. `when` picks which submission this form is (a page may have one
/// form per row).
#[component]
pub fn FieldError<A>(
    action: ServerAction<A>,
    field: &'static str,
    when: impl Fn(&A) -> bool + Send + Sync + 'static,
) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    let input = action.input();
    let value = action.value();
    let l = use_locale();
    move || {
        let mine = input.with(|i| i.as_ref().map(&when)).unwrap_or(true);
        value
            .get()
            .and_then(|r| r.err())
            .filter(|e| mine && e.field() == Some(field))
            .map(|e| {
                view! {
                    <p class="field-error" role="alert">{e.message(crate::lang::code(l))}</p>
                }
            })
    }
}

/// What `action` answered last: `ok` shows a success; a refusal shows in an
/// [`ErrorBox`] unless it names a field (it shows next to that field, see
/// [`FieldError`]), or always with `every_refusal`.
#[component]
pub fn Answer<A, V>(
    action: ServerAction<A>,
    ok: impl Fn(A::Output) -> V + Send + Sync + 'static,
    #[prop(optional)] every_refusal: bool,
) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || {
        action.value().get().map(|r| match r {
            Ok(v) => ok(v).into_any(),
            Err(e) if every_refusal || e.field().is_none() => {
                view! { <ErrorBox error=e/> }.into_any()
            }
            Err(_) => ().into_any(),
        })
    }
}

/// A success, said in a `<p class="notice ok" role="status">`; attributes
/// given as `attr:data-…` go on it.
#[component]
pub fn Notice(#[prop(optional, into)] id: Option<String>, children: Children) -> impl IntoView {
    view! { <p class="notice ok" role="status" id=id>{children()}</p> }
}
