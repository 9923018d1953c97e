//! "Masuk": sign in by NIP or email and password. Works without JavaScript
//! (the form posts, the server redirects); with JavaScript the answer
//! appears in place and success reloads the whole page as the new person.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::SignIn;
use crate::components::errors::ErrorBox;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
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
        <Title text="Masuk"/>
        <h1>"Masuk ke Jejak"</h1>
        {move || new_password().then(|| view! {
            <p class="notice ok" role="status">"Kata sandi sudah diatur. Silakan masuk."</p>
        })}
        <section class="card">
            <ActionForm action attr:id="form-masuk" attr:class="stack">
                <label for="login">"NIP atau email"</label>
                <input id="login" name="login" required autocomplete="username" inputmode="text"
                    placeholder="mis. 198609262015051001"/>
                <label for="password">"Kata sandi"</label>
                <input id="password" name="password" type="password" required autocomplete="current-password"/>
                <button type="submit" disabled=move || action.pending().get()>"Masuk"</button>
            </ActionForm>
            {move || action.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
            <p class="muted">"Belum punya kata sandi atau lupa? Minta tautan atur kata sandi kepada admin kepegawaian."</p>
        </section>
    }
}
