//! Showing errors: inline (a form's answer) or as the page's outcome.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::error::AppError;

/// The message in Indonesian, with the English beneath.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    view! {
        <div class="notice error" role="alert">
            <p>{error.message("id")}</p>
            <p class="muted" lang="en">{error.message("en")}</p>
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
    view! {
        {not_found.then(|| view! { <h1>"Tidak ditemukan"</h1> })}
        <ErrorBox error/>
        <p><a href="/">"Kembali ke beranda"</a></p>
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
    move || {
        let mine = input.with(|i| i.as_ref().map(&when)).unwrap_or(true);
        value.get().and_then(|r| r.err()).filter(|e| mine && e.field() == Some(field)).map(|e| {
            view! {
                <p class="field-error" role="alert">
                    {e.message("id")} <span class="muted" lang="en">{format!(" ({})", e.message("en"))}</span>
                </p>
            }
        })
    }
}
