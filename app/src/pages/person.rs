//! A person's page ("/pegawai/:id"): who they are and their assignments, as
//! far as the viewer may see. Someone the viewer may not see is answered
//! exactly like someone who does not exist (404).

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::people::{get_person, CheckinLine, PersonPage, WriteCheckin};
use crate::components::errors::{ErrorBox, FieldError, PageError};
use crate::domain::progress::RATINGS;
use crate::error::AppError;

#[component]
pub fn PersonRoute() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let write = ServerAction::<WriteCheckin>::new();
    let person = Resource::new(
        move || (id(), write.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_person(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Memuat…"</p> }>
            {move || Suspend::new(async move {
                match person.await {
                    Ok(p) => view! { <PersonView person=p write/> }.into_any(),
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PersonView(person: PersonPage, write: ServerAction<WriteCheckin>) -> impl IntoView {
    let empty = person.assignments.is_empty();
    let checkins = person.checkins.clone();
    let can_write = person.can_write_checkins;
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
        {(!checkins.is_empty()).then(|| view! { <Checkins checkins can_write write/> })}
    }
}

/// The 30/60/90-day check-ins; open ones have a form for the manager.
#[component]
fn Checkins(
    checkins: Vec<CheckinLine>,
    can_write: bool,
    write: ServerAction<WriteCheckin>,
) -> impl IntoView {
    view! {
        <section class="card" id="checkin">
            <h2>"Check-in adaptasi"</h2>
            {move || write.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice ok" role="status" id="checkin-tersimpan">"Check-in disimpan."</p> }.into_any(),
                Err(e) if e.field().is_none() => view! { <ErrorBox error=e/> }.into_any(),
                Err(_) => ().into_any(),
            })}
            <ul class="assignments">
                {checkins.into_iter().map(|c| {
                    let id = c.id;
                    let form_id = format!("form-checkin-{id}");
                    let (f_rating, f_notes) = (format!("{form_id}-nilai"), format!("{form_id}-catatan"));
                    view! {
                        <li class="assignment" data-checkin-id=id.to_string()>
                            <div class="assignment-head">
                                <strong>{format!("Hari ke-{}", c.day_offset)}</strong>
                                <span class="muted">{format!("jatuh tempo {}", c.due)}</span>
                                <span class="badge">{c.rating.clone().unwrap_or_else(|| "Belum diisi".into())}</span>
                            </div>
                            {(!c.notes.is_empty()).then(|| view! { <p>{c.notes.clone()}</p> })}
                            {c.written_by.clone().map(|w| view! { <p class="muted">{format!("Ditulis oleh {w}")}</p> })}
                            {(can_write && c.rating.is_none()).then(|| view! {
                                <ActionForm action=write attr:id=form_id.clone() attr:class="stack">
                                    <input type="hidden" name="checkin_id" value=id.to_string()/>
                                    <label for=f_rating.clone()>"Penilaian adaptasi"</label>
                                    <select id=f_rating.clone() name="rating" required>
                                        <option value="">"— pilih —"</option>
                                        {RATINGS.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                                    </select>
                                    <FieldError action=write field="rating" when=move |i: &WriteCheckin| i.checkin_id == id/>
                                    <label for=f_notes.clone()>"Catatan"</label>
                                    <textarea id=f_notes.clone() name="notes" rows="3" maxlength="5000"></textarea>
                                    <FieldError action=write field="notes" when=move |i: &WriteCheckin| i.checkin_id == id/>
                                    <button type="submit">"Simpan check-in"</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
