//! A person's page ("/pegawai/:id"): who they are and their assignments, as
//! far as the viewer may see. Someone the viewer may not see is answered
//! exactly like someone who does not exist (404).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::people::{get_person, PersonPage};
use crate::components::errors::PageError;
use crate::error::AppError;

#[component]
pub fn PersonRoute() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let person = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_person(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Memuat…"</p> }>
            {move || Suspend::new(async move {
                match person.await {
                    Ok(p) => view! { <PersonView person=p/> }.into_any(),
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PersonView(person: PersonPage) -> impl IntoView {
    let empty = person.assignments.is_empty();
    view! {
        <Title text=person.name.clone()/>
        <h1 id="nama-pegawai">{person.name.clone()}</h1>
        <p class="muted">
            "NIP " <span id="nip">{person.nip.clone()}</span> " · " {person.unit.clone()}
            {person.position.clone().map(|p| format!(" · {p}"))}
        </p>
        {person.limited_to_own_courses.then(|| view! {
            <p class="notice" role="note">"Anda melihat pelatihan yang Anda ajar saja."</p>
        })}
        <h2>"Penugasan pelatihan"</h2>
        {if empty {
            view! { <p class="muted">"Belum ada penugasan."</p> }.into_any()
        } else {
            view! {
                <ul class="assignments" id="penugasan">
                    {person.assignments.into_iter().map(|a| view! {
                        <li class=format!("assignment tone-{}", a.tone) data-assignment-id=a.id.to_string()>
                            <span class="course"><strong>{a.course_code}</strong> " " {a.course_title}</span>
                            <span class="muted">{format!(" · {} JP · tenggat {}", a.jp, a.due)}</span>
                            <span class="badge">{a.status}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
