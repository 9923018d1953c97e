//! "Masuk": sign in by NIP or email and password. Works without JavaScript
//! (the form posts, the server redirects); with JavaScript the answer
//! appears in place and success reloads the whole page as the new person.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::SignIn;
use crate::components::errors::ErrorBox;
use crate::components::form_echo::echo;
use crate::i18n::td_string;
use crate::lang::use_locale;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let l = use_locale();
    let new_password = move || query.with(|q| q.get("sandi").as_deref() == Some("baru"));
    // After a successful sign-in in the browser, load "/" afresh so every
    // part of the page knows the new person.
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            #[cfg(feature = "hydrate")]
            let _ = window().location().set_href("/");
        }
    });
    view! {
        <Title text=td_string!(l, sign_in.title)/>
        <h1>{td_string!(l, sign_in.heading)}</h1>
        {move || new_password().then(|| view! {
            <p class="notice ok" role="status">{td_string!(l, sign_in.password_set)}</p>
        })}
        <section class="card">
            <ActionForm action attr:id="form-masuk" attr:class="stack">
                <label for="login">{td_string!(l, sign_in.login)}</label>
                <input id="login" name="login" required autocomplete="username" inputmode="text" value={echo::<SignIn>("login")}
                    placeholder=td_string!(l, sign_in.login_placeholder)/>
                <label for="password">{td_string!(l, sign_in.password)}</label>
                <input id="password" name="password" type="password" required autocomplete="current-password"/>
                <button type="submit" disabled=move || action.pending().get()>{td_string!(l, sign_in.submit)}</button>
            </ActionForm>
            {move || action.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
            <p class="muted">{td_string!(l, sign_in.no_password)}</p>
        </section>
    }
}
