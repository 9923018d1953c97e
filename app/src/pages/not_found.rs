use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::td_string;
use crate::lang::use_locale;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    let l = use_locale();
    view! {
        <Title text=td_string!(l, common.not_found.title)/>
        <h1>{td_string!(l, common.not_found.title)}</h1>
        <p><a href="/">{td_string!(l, common.actions.back_home)}</a></p>
    }
}
