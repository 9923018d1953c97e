//! Jejak's user interface (Leptos, rendered on the server and hydrated in the
//! browser) and, behind the `ssr` feature, the backend core it calls.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

const ICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%230b6e4f'/%3E%3C/svg%3E";

/// The HTML document around the app; rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The page's Content-Security-Policy names the nonce Leptos put on its
    // hydration script for this response.
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(v) = http::HeaderValue::from_str(&backend::security::page_csp(&nonce)) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="id">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                // Plain tags in the server-only shell: nothing here is hydrated.
                <link rel="stylesheet" href="/pkg/jejak.css"/>
                <link rel="icon" href=ICON/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|t: String| if t.is_empty() { "Jejak".to_string() } else { format!("{t} · Jejak") }/>
        <Router>
            <components::layout::Layout>
                <Routes fallback=pages::not_found::NotFound>
                    // Async: the server waits for the data and sends the whole page,
                    // so it is complete without JavaScript (no out-of-order chunks).
                    <Route path=StaticSegment("") view=pages::home::HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("saya") view=pages::my_training::MyTrainingPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("manajer") view=pages::manager::ManagerPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("pelatih") view=pages::trainer::TrainerPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("masuk") view=pages::sign_in::SignInPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("sandi") view=pages::password::ChangePasswordPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("atur-sandi"), ParamSegment("token")) view=pages::password::SetPasswordPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("pegawai"), ParamSegment("id")) view=pages::person::PersonRoute ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("pelatihan")) view=pages::admin_catalogue::CoursesAdminPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("aturan")) view=pages::admin_catalogue::RulesAdminPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("mutasi")) view=pages::admin_transfers::TransfersAdminPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("akun")) view=pages::admin::AccountsAdminPage ssr=SsrMode::Async/>
                </Routes>
            </components::layout::Layout>
        </Router>
    }
}

/// The WebAssembly entry point: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
