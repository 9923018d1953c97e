//! Passwords: changing one's own ("Kata sandi"), and setting one through a
//! one-time link from an administrator ("Atur kata sandi").

use leptos::{form::ActionForm, prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::auth::{password_link, ChangePassword, SetPassword};
use crate::components::form_echo::server_action;
use crate::components::errors::{ErrorBox, PageError};
use crate::components::layout::use_me;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang::use_locale;

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let action = server_action::<ChangePassword>();
    let me = use_me();
    let l = use_locale();
    view! {
        <Title text=td_string!(l, password.title)/>
        <h1>{td_string!(l, password.heading)}</h1>
        {match me {
            Some(_) => view! {
                <section class="card">
                    <ActionForm action attr:id="form-sandi" attr:class="stack">
                        <label for="current_password">{td_string!(l, password.current)}</label>
                        <input id="current_password" name="current_password" type="password" required autocomplete="current-password"/>
                        <NewPasswordFields action/>
                    </ActionForm>
                    {move || action.value().get().map(|r| match r {
                        Ok(()) => view! {
                            <p class="notice ok" role="status">{td_string!(l, password.changed)}</p>
                        }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    })}
                </section>
            }
            .into_any(),
            None => view! { <PageError error=AppError::Unauthenticated/> }.into_any(),
        }}
    }
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let owner = Resource::new(token, password_link);
    let action = server_action::<SetPassword>();
    let l = use_locale();
    view! {
        <Title text=td_string!(l, password.set_title)/>
        <h1>{td_string!(l, password.set_title)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match owner.await {
                    Ok(name) => view! {
                        <p>{td_string!(l, password.for_before)} <strong id="pemilik-tautan">{name}</strong> {td_string!(l, password.for_after)}</p>
                        <section class="card">
                            <ActionForm action attr:id="form-atur-sandi" attr:class="stack">
                                <input type="hidden" name="token" value=token()/>
                                <NewPasswordFields action/>
                            </ActionForm>
                            {move || action.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
                        </section>
                    }
                    .into_any(),
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The new password, twice, and the button that saves it (not while
/// `action` is under way).
#[component]
fn NewPasswordFields<A>(action: ServerAction<A>) -> impl IntoView
where
    A: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    let l = use_locale();
    view! {
        <label for="new_password">{td_string!(l, password.new)}</label>
        <input id="new_password" name="new_password" type="password" required minlength="10" autocomplete="new-password"/>
        <label for="confirm">{td_string!(l, password.repeat)}</label>
        <input id="confirm" name="confirm" type="password" required minlength="10" autocomplete="new-password"/>
        <button type="submit" disabled=move || action.pending().get()>{td_string!(l, common.actions.save)}</button>
    }
}
