//! Passwords: changing one's own ("Kata sandi"), and setting one through a
//! one-time link from an administrator ("Atur kata sandi").

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::auth::{password_link, ChangePassword, SetPassword};
use crate::components::errors::{ErrorBox, PageError};
use crate::components::layout::MeResource;

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let me = expect_context::<MeResource>();
    view! {
        <Title text="Kata sandi"/>
        <h1>"Ganti kata sandi"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(_)) => view! {
                        <section class="card">
                            <ActionForm action attr:id="form-sandi" attr:class="stack">
                                <label for="current_password">"Kata sandi saat ini"</label>
                                <input id="current_password" name="current_password" type="password" required autocomplete="current-password"/>
                                <label for="new_password">"Kata sandi baru (minimal 10 karakter)"</label>
                                <input id="new_password" name="new_password" type="password" required minlength="10" autocomplete="new-password"/>
                                <label for="confirm">"Ulangi kata sandi baru"</label>
                                <input id="confirm" name="confirm" type="password" required minlength="10" autocomplete="new-password"/>
                                <button type="submit" disabled=move || action.pending().get()>"Simpan"</button>
                            </ActionForm>
                            {move || action.value().get().map(|r| match r {
                                Ok(()) => view! {
                                    <p class="notice ok" role="status">"Kata sandi diganti. Sesi di perangkat lain telah diakhiri."</p>
                                }.into_any(),
                                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                            })}
                        </section>
                    }
                    .into_any(),
                    Ok(None) => view! { <PageError error=crate::error::AppError::Unauthenticated/> }.into_any(),
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let owner = Resource::new(token, password_link);
    let action = ServerAction::<SetPassword>::new();
    view! {
        <Title text="Atur kata sandi"/>
        <h1>"Atur kata sandi"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match owner.await {
                    Ok(name) => view! {
                        <p>"Untuk " <strong id="pemilik-tautan">{name}</strong> "."</p>
                        <section class="card">
                            <ActionForm action attr:id="form-atur-sandi" attr:class="stack">
                                <input type="hidden" name="token" value=token()/>
                                <label for="new_password">"Kata sandi baru (minimal 10 karakter)"</label>
                                <input id="new_password" name="new_password" type="password" required minlength="10" autocomplete="new-password"/>
                                <label for="confirm">"Ulangi kata sandi baru"</label>
                                <input id="confirm" name="confirm" type="password" required minlength="10" autocomplete="new-password"/>
                                <button type="submit" disabled=move || action.pending().get()>"Simpan"</button>
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
