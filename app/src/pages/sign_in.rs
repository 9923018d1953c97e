//! "Masuk": sign in by NIP or email and password. The form posts, the
//! server sends the person on to the home page, now rendered for them (with
//! JavaScript the client fetches it in place).

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::SignIn;
use crate::components::errors::ErrorBox;
use crate::components::form_echo::{echo, server_action};
use crate::i18n::td_string;
use crate::lang::use_locale;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = server_action::<SignIn>();
    let query = use_query_map();
    let l = use_locale();
    let new_password = move || query.with(|q| q.get("sandi").as_deref() == Some("baru"));
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
                <button type="submit">{td_string!(l, sign_in.submit)}</button>
            </ActionForm>
            {move || action.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
            <p class="muted">{td_string!(l, sign_in.no_password)}</p>
        </section>
    }
}
