//! Placeholder, being built (issue 7).

use leptos::prelude::*;

#[component]
pub fn ExportsPage() -> impl IntoView {
    view! { <h1>"Ekspor data"</h1> }
}
