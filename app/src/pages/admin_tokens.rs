//! Placeholder, being built (issue 7).

use leptos::prelude::*;

#[component]
pub fn TokensAdminPage() -> impl IntoView {
    view! { <h1>"Token API"</h1> }
}
