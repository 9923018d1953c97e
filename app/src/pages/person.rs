//! A person's page ("/pegawai/:id"): who they are and their assignments, as
//! far as the viewer may see. Someone the viewer may not see is answered
//! exactly like someone who does not exist (404).

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::adaptation::CorrectCheckin;
use crate::components::errors::{Answer, FieldError, Notice, PageError};
use crate::components::form_echo::{echo_in, server_action};
use crate::components::layout::use_me;
use crate::domain::progress::RATINGS;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang::use_locale;
use crate::{
    api::person::{get_person, WriteCheckin},
    model::person::{rating_label, CheckinLine, PersonPage},
};

#[component]
pub fn PersonRoute() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let write = server_action::<WriteCheckin>();
    let correct = server_action::<CorrectCheckin>();
    // Administrators get a correction form under each written check-in
    // (the server function asks the policy again).
    let admin = use_me().is_some_and(|m| m.admin);
    let person = Resource::new(
        id,
        |id| async move {
            match id {
                Some(id) => get_person(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let l = use_locale();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match person.await {
                    Ok(p) => view! { <PersonView person=p write correct admin/> }.into_any(),
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PersonView(
    person: PersonPage,
    write: ServerAction<WriteCheckin>,
    correct: ServerAction<CorrectCheckin>,
    admin: bool,
) -> impl IntoView {
    let empty = person.assignments.is_empty();
    let checkins = person.checkins.clone();
    let can_write = person.can_write_checkins;
    let l = use_locale();
    view! {
        <Title text=person.name.clone()/>
        <h1 id="nama-pegawai">{person.name.clone()}</h1>
        <p class="muted">
            {td_string!(l, person.nip)} " " <span id="nip">{person.nip.clone()}</span> " · " {person.unit.clone()}
            {person.position.clone().map(|p| format!(" · {p}"))}
        </p>
        {person.limited_to_own_courses.then(|| view! {
            <p class="notice" role="note">{td_string!(l, person.own_courses_only)}</p>
        })}
        <h2>{td_string!(l, person.assignments)}</h2>
        {if empty {
            view! { <p class="muted">{td_string!(l, person.no_assignments)}</p> }.into_any()
        } else {
            view! {
                <ul class="assignments" id="penugasan">
                    {person.assignments.into_iter().map(|a| view! {
                        <li class=["assignment tone-", a.tone.as_str()].concat() data-assignment-id=a.id.to_string()>
                            <span class="course"><strong>{a.course_code}</strong> " " {a.course_title}</span>
                            <span class="muted">{format!(" · {}", td_string!(l, person.assignment_meta, jp = a.jp, due = &a.due))}</span>
                            <span class="badge">{a.status}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(!checkins.is_empty()).then(|| view! { <Checkins checkins can_write write correct admin/> })}
    }
}

/// The 30/60/90-day check-ins; open ones have a form for the manager.
/// A written one is read-only (no form): only an administrator corrects
/// it, with a reason.
#[component]
fn Checkins(
    checkins: Vec<CheckinLine>,
    can_write: bool,
    write: ServerAction<WriteCheckin>,
    correct: ServerAction<CorrectCheckin>,
    admin: bool,
) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card" id="checkin">
            <h2>{td_string!(l, person.checkins.heading)}</h2>
            <Answer action=write ok=move |()| view! { <Notice id="checkin-tersimpan">{td_string!(l, person.checkins.saved)}</Notice> }/>
            <Answer action=correct ok=move |()| view! { <Notice id="checkin-dikoreksi">{td_string!(l, person.checkins.corrected)}</Notice> }/>
            <ul class="assignments">
                {checkins.into_iter().map(|c| {
                    let id = c.id;
                    // Element ids (not words): "form-checkin-7", "form-checkin-7-nilai" …
                    let form_id = dom_id("form-checkin", id);
                    let (f_rating, f_notes) = (dom_id(&form_id, "nilai"), dom_id(&form_id, "catatan"));
                    let written = c.rating.is_some();
                    // "form-koreksi-7", "form-koreksi-7-alasan" …
                    let fix_id = dom_id("form-koreksi", id);
                    let (x_rating, x_notes, x_reason) =
                        (dom_id(&fix_id, "nilai"), dom_id(&fix_id, "catatan"), dom_id(&fix_id, "alasan"));
                    // A refused correction opens its form again, with what was typed.
                    let fix_echo = |name: &str| echo_in::<CorrectCheckin>(name, "checkin_id", &id.to_string());
                    let fix_refused = fix_echo("reason").is_some();
                    let fix_rating = fix_echo("rating");
                    let fix_notes = fix_echo("notes").unwrap_or_else(|| c.notes.clone());
                    let fix_reason = fix_echo("reason").unwrap_or_default();
                    view! {
                        <li class="assignment" data-checkin-id=id.to_string()>
                            <div class="assignment-head">
                                <strong>{td_string!(l, person.checkins.day, n = c.day_offset)}</strong>
                                <span class="muted">{td_string!(l, person.checkins.due, date = &c.due)}</span>
                                <span class="badge">{c.rating.clone().unwrap_or_else(|| td_string!(l, person.checkins.not_written).to_string())}</span>
                            </div>
                            {(!c.notes.is_empty()).then(|| view! { <p>{c.notes.clone()}</p> })}
                            {c.written_by.clone().map(|w| view! { <p class="muted">{td_string!(l, person.checkins.written_by, name = w)}</p> })}
                            {(can_write && written && !admin).then(|| view! {
                                <p class="muted read-only">{td_string!(l, person.checkins.read_only)}</p>
                            })}
                            {(admin && written).then(|| view! {
                                <details class="report" open=fix_refused>
                                    <summary>{td_string!(l, person.checkins.correct)}</summary>
                                    <ActionForm action=correct attr:id=fix_id.clone() attr:class="stack">
                                        <input type="hidden" name="checkin_id" value=id.to_string()/>
                                        <RatingField id=x_rating.clone() selected=fix_rating.clone()/>
                                        <FieldError action=correct field="rating" when=move |i: &CorrectCheckin| i.checkin_id == id/>
                                        <label for=x_notes.clone()>{td_string!(l, person.checkins.notes)}</label>
                                        <textarea id=x_notes.clone() name="notes" rows="3" maxlength="5000">{fix_notes}</textarea>
                                        <FieldError action=correct field="notes" when=move |i: &CorrectCheckin| i.checkin_id == id/>
                                        <label for=x_reason.clone()>{td_string!(l, person.checkins.reason)}</label>
                                        <input id=x_reason.clone() name="reason" required maxlength="500" value=fix_reason/>
                                        <FieldError action=correct field="reason" when=move |i: &CorrectCheckin| i.checkin_id == id/>
                                        <button type="submit" class="secondary">{td_string!(l, person.checkins.correct_submit)}</button>
                                    </ActionForm>
                                </details>
                            })}
                            {(can_write && !written).then(|| view! {
                                <ActionForm action=write attr:id=form_id.clone() attr:class="stack">
                                    <input type="hidden" name="checkin_id" value=id.to_string()/>
                                    <RatingField id=f_rating.clone()
                                        selected={echo_in::<WriteCheckin>("rating", "checkin_id", &id.to_string())}/>
                                    <FieldError action=write field="rating" when=move |i: &WriteCheckin| i.checkin_id == id/>
                                    <label for=f_notes.clone()>{td_string!(l, person.checkins.notes)}</label>
                                    <textarea id=f_notes.clone() name="notes" rows="3" maxlength="5000">{echo_in::<WriteCheckin>("notes", "checkin_id", &id.to_string())}</textarea>
                                    <FieldError action=write field="notes" when=move |i: &WriteCheckin| i.checkin_id == id/>
                                    <button type="submit">{td_string!(l, person.checkins.submit)}</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// An element id from a fixed part and a suffix: "form-checkin-7".
fn dom_id(base: impl std::fmt::Display, suffix: impl std::fmt::Display) -> String {
    format!("{base}-{suffix}")
}

/// The rating of a check-in form: the SKP words, `selected` chosen.
#[component]
fn RatingField(id: String, selected: Option<String>) -> impl IntoView {
    let l = use_locale();
    view! {
        <label for=id.clone()>{td_string!(l, person.checkins.rating)}</label>
        <select id=id name="rating" required>
            <option value="">{td_string!(l, person.checkins.choose)}</option>
            {RATINGS.iter().map(|(k, _)| view! {
                <option value=*k selected={selected.as_deref() == Some(*k)}>{rating_label(k, l).unwrap_or(*k)}</option>
            }).collect_view()}
        </select>
    }
}
