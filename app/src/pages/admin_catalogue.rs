//! Courses and plan rules for HR administrators (being written).

use leptos::prelude::*;

#[component]
pub fn CoursesAdminPage() -> impl IntoView {
    view! { <h1>"Pelatihan"</h1> }
}

#[component]
pub fn RulesAdminPage() -> impl IntoView {
    view! { <h1>"Aturan rencana"</h1> }
}
