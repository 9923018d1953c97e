//! Placeholder, being built (issue 7).

use leptos::prelude::*;

#[component]
pub fn ImportAdminPage() -> impl IntoView {
    view! { <h1>"Impor data"</h1> }
}

#[component]
pub fn ImportPreviewPage() -> impl IntoView {
    view! { <h1>"Pratinjau impor"</h1> }
}
