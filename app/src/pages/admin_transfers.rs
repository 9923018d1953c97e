//! Transfers for HR administrators (being written).

use leptos::prelude::*;

#[component]
pub fn TransfersAdminPage() -> impl IntoView {
    view! { <h1>"Mutasi"</h1> }
}
