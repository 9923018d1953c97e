use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Halaman tidak ditemukan"/>
        <h1>"Halaman tidak ditemukan"</h1>
        <p lang="en" class="muted">"Page not found."</p>
        <p><a href="/">"Kembali ke beranda"</a></p>
    }
}
