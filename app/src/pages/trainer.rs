//! "Meja pelatih": the courses one teaches, their participants (filter by
//! unit and status, paged), the attendance sheet, and self-reports to
//! verify or reject. Every form works without JavaScript.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::admin_list::{headers, FilterSelect, Loaded, TableHead};
use crate::components::errors::{Answer, FieldError, Notice};
use crate::components::form_echo::{echo, echo_in, server_action};
use crate::components::pager::Pager;
use crate::i18n::td_string;
use crate::lang::use_locale;
use crate::{
    api::trainer::{get_trainer_desk, RecordAttendance, ReviewSelfReport},
    model::{
        accounts::Choice,
        trainer::{PendingReport, TrainerDesk},
    },
};

#[component]
pub fn TrainerPage() -> impl IntoView {
    let attendance = server_action::<RecordAttendance>();
    let review = server_action::<ReviewSelfReport>();
    let query = use_query_map();
    let l = use_locale();
    let data = Resource::new(
        move || {
            let q = query.get();
            let num = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
            (
                num("pelatihan"),
                num("unit"),
                q.get("status"),
                num("hal").map(|p| p.max(1) as u64),
            )
        },
        |(course, unit, status, page)| get_trainer_desk(course, unit, status, page),
    );
    view! {
        <Title text=td_string!(l, trainer.title)/>
        <h1>{td_string!(l, trainer.title)}</h1>
        <Answer action=attendance ok=move |n: usize| view! {
            <Notice id="hadir-tersimpan">{td_string!(l, trainer.attendance_saved, n = n)}</Notice>
        }/>
        <Answer action=review ok=move |()| view! { <Notice id="tinjauan-tersimpan">{td_string!(l, trainer.review_saved)}</Notice> }/>
        <Loaded data show=move |desk: TrainerDesk| view! { <Desk desk attendance review/> }/>
    }
}

/// The `<option>`s of `choices`, `selected` the chosen one.
fn choice_options(choices: Vec<Choice>, selected: Option<i64>) -> impl IntoView {
    choices
        .into_iter()
        .map(|c| view! { <option value=c.id.to_string() selected=Some(c.id) == selected>{c.label}</option> })
        .collect_view()
}

#[component]
fn Desk(
    desk: TrainerDesk,
    attendance: ServerAction<RecordAttendance>,
    review: ServerAction<ReviewSelfReport>,
) -> impl IntoView {
    let TrainerDesk {
        courses,
        course,
        units,
        unit_id,
        status,
        participants,
        total,
        page,
        pages,
        reports,
        today,
    } = desk;
    let l = use_locale();
    let course_id = course.as_ref().map(|c| c.id);
    let link = {
        let status = status.clone();
        move |p: u64| {
            let mut s = format!(
                "/pelatih?pelatihan={}&status={status}&hal={p}",
                course_id.unwrap_or_default()
            );
            if let Some(u) = unit_id {
                // A query parameter, not text.
                s.push_str(&format!("&unit={u}")); // i18n-ok
            }
            s
        }
    };
    let any_open = participants.iter().any(|p| p.open);
    view! {
        <form method="get" action="/pelatih" class="filter" id="saring-peserta">
            <FilterSelect id="pelatihan" name="pelatihan" label=td_string!(l, trainer.filter.course)>
                {choice_options(courses, course_id)}
            </FilterSelect>
            <FilterSelect id="unit-saring" name="unit" label=td_string!(l, trainer.filter.unit)
                all=td_string!(l, trainer.filter.all_units)>
                {choice_options(units, unit_id)}
            </FilterSelect>
            <FilterSelect id="status-saring" name="status" label=td_string!(l, trainer.filter.status)>
                {[
                    ("terbuka", td_string!(l, trainer.filter.open)),
                    ("terlambat", td_string!(l, common.status.overdue)),
                    ("selesai", td_string!(l, common.status.completed)),
                    ("semua", td_string!(l, trainer.filter.all)),
                ]
                    .into_iter()
                    .map(|(v, label)| view! { <option value=v selected=status == v>{label}</option> })
                    .collect_view()}
            </FilterSelect>
            <button type="submit" class="secondary">{td_string!(l, trainer.filter.show)}</button>
        </form>
        {match course {
            None => view! { <p class="empty">{td_string!(l, trainer.no_courses)}</p> }.into_any(),
            Some(c) => view! {
                <section class="card" id="daftar-hadir">
                    <h2>{td_string!(l, trainer.sheet.title, code = c.code.clone(), title = c.title.clone())}</h2>
                    <p class="muted">{td_string!(l, trainer.sheet.summary, total = total, page = page, pages = pages)}</p>
                    <ActionForm action=attendance attr:id="form-hadir">
                        <input type="hidden" name="course_id" value=c.id.to_string()/>
                        <div class="inline-form">
                            <label for="hadir-tanggal">{td_string!(l, trainer.sheet.date)}</label>
                            <input id="hadir-tanggal" name="completed_on" type="date" value={echo::<RecordAttendance>("completed_on").unwrap_or(today)} required/>
                            <label for="hadir-jp">{td_string!(l, trainer.sheet.jp)}</label>
                            <input id="hadir-jp" name="jp" inputmode="decimal" size="5" value={echo::<RecordAttendance>("jp").unwrap_or_else(|| c.jp.to_string())}/>
                            <label for="hadir-nilai">{td_string!(l, trainer.sheet.score)}</label>
                            <input id="hadir-nilai" name="score" inputmode="decimal" size="5" value={echo::<RecordAttendance>("score")}/>
                        </div>
                        <FieldError action=attendance field="completed_on" when=|_| true/>
                        <FieldError action=attendance field="jp" when=|_| true/>
                        <FieldError action=attendance field="score" when=|_| true/>
                        <FieldError action=attendance field="ids" when=|_| true/>
                        <table class="table" id="peserta">
                            <TableHead headers=headers![l, trainer.sheet: present, employee, unit, due, status]/>
                            <tbody>
                                {participants.into_iter().enumerate().map(|(i, p)| {
                                    // An element id, not text.
                                    let box_id = format!("hadir-{}", p.assignment_id); // i18n-ok
                                    view! {
                                        // A CSS class, not text.
                                        <tr class=format!("tone-{}", p.tone) data-assignment-id=p.assignment_id.to_string()> // i18n-ok
                                            <td>
                                                {p.open.then(|| view! {
                                                    // A form field's name, not text.
                                                    <input type="checkbox" id=box_id.clone() name=format!("ids[{i}]") value=p.assignment_id.to_string() // i18n-ok
                                                        aria-label=td_string!(l, trainer.sheet.present_label, name = p.name.clone())/>
                                                })}
                                            </td>
                                            <td><label for=box_id>{p.name.clone()}</label><div class="muted">{p.nip.clone()}</div></td>
                                            <td>{p.unit.clone()}</td>
                                            <td>{p.due.clone()}</td>
                                            <td><span class="badge">{p.status.clone()}</span></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {any_open.then(|| view! { <button type="submit">{td_string!(l, trainer.sheet.save)}</button> })}
                    </ActionForm>
                    <Pager page pages href=link/>
                </section>
            }.into_any(),
        }}
        <Reports reports review/>
    }
}

#[component]
fn Reports(reports: Vec<PendingReport>, review: ServerAction<ReviewSelfReport>) -> impl IntoView {
    let l = use_locale();
    let empty = reports.is_empty();
    view! {
        <section class="card" id="laporan-menunggu">
            <h2>{td_string!(l, trainer.reports.title)}</h2>
            {empty.then(|| view! { <p class="empty">{td_string!(l, trainer.reports.none)}</p> })}
            <ul class="assignments">
                {reports.into_iter().map(|r| {
                    let id = r.id;
                    // An element id, not text.
                    let reason_id = format!("alasan-{id}"); // i18n-ok
                    view! {
                        <li class="assignment" data-report-id=id.to_string()>
                            <div class="assignment-head">
                                <strong>{r.name.clone()}</strong>
                                <span class="muted">{r.nip.clone()}</span>
                            </div>
                            <div>{td_string!(l, trainer.reports.line, course = r.course.clone(), date = r.completed_on.clone())}</div>
                            <div class="muted">
                                {(!r.certificate_no.is_empty()).then(|| {
                                    format!("{} · ", td_string!(l, trainer.reports.certificate, no = r.certificate_no.clone()))
                                })}
                                {r.note.clone()}
                            </div>
                            <div class="actions">
                                <ActionForm action=review attr:class="inline">
                                    <input type="hidden" name="report_id" value=id.to_string()/>
                                    <input type="hidden" name="decision" value="verify"/>
                                    <input type="hidden" name="reason" value=""/>
                                    <button type="submit" class="verify">{td_string!(l, trainer.reports.verify)}</button>
                                </ActionForm>
                                <ActionForm action=review attr:class="inline-form">
                                    <input type="hidden" name="report_id" value=id.to_string()/>
                                    <input type="hidden" name="decision" value="reject"/>
                                    <label for=reason_id.clone()>{td_string!(l, trainer.reports.reason)}</label>
                                    <input id=reason_id name="reason" required maxlength="1000" value={echo_in::<ReviewSelfReport>("reason", "report_id", &id.to_string())}/>
                                    <button type="submit" class="secondary reject">{td_string!(l, trainer.reports.reject)}</button>
                                </ActionForm>
                            </div>
                            <FieldError action=review field="reason" when=move |i: &ReviewSelfReport| i.report_id == id/>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
