//! "Penugasan saya": each plan with its progress, each assignment with its
//! status, due date in words and as a date, the course, and what to do
//! next; reporting a completion; training history and this year's JP
//! against the target, with a chart; the personal calendar link.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::components::admin_list::{headers, Loaded, TableHead};
use crate::components::errors::{Answer, ErrorBox, FieldError, Notice};
use crate::components::form_echo::{echo_in, server_action};
use crate::domain::dates::month_name;
use crate::i18n::td_string;
use crate::lang::use_locale;
use crate::{
    api::my_training::{get_my_training, CalendarLink, SelfReport},
    model::my_training::{
        fmt_jp, method_label, AssignmentCard, HistoryLine, LedgerView, MyTraining, PlanCard,
    },
};

#[component]
pub fn MyTrainingPage() -> impl IntoView {
    let report = server_action::<SelfReport>();
    let calendar = server_action::<CalendarLink>();
    let data = Resource::new(|| (), |_| get_my_training());
    let l = use_locale();
    view! {
        <Title text=td_string!(l, my_training.title)/>
        <h1>{td_string!(l, my_training.title)}</h1>
        <Loaded data show=move |t: MyTraining| view! { <MyTrainingView training=t report calendar/> }/>
    }
}

#[component]
fn MyTrainingView(
    training: MyTraining,
    report: ServerAction<SelfReport>,
    calendar: ServerAction<CalendarLink>,
) -> impl IntoView {
    let MyTraining {
        plans,
        history,
        ledger,
        has_calendar_link,
        ..
    } = training;
    let no_plans = plans.is_empty();
    let l = use_locale();
    view! {
        <Answer action=report ok=move |()| view! { <Notice id="laporan-terkirim">{td_string!(l, my_training.report_sent)}</Notice> }/>
        {no_plans.then(|| view! {
            <p class="empty">{td_string!(l, my_training.no_plans)}</p>
        })}
        {plans.into_iter().map(|p| view! { <Plan plan=p report/> }).collect_view()}
        <Ledger ledger/>
        <History history/>
        <CalendarSection has_link=has_calendar_link action=calendar/>
    }
}

#[component]
fn Plan(plan: PlanCard, report: ServerAction<SelfReport>) -> impl IntoView {
    let percent = plan.percent();
    let l = use_locale();
    view! {
        <section class="card plan" data-plan-id=plan.id.to_string()>
            <h2>{plan.title.clone()}</h2>
            <p class="muted">{plan.subtitle.clone()}</p>
            <div class="progress-row">
                <progress max="100" value=percent.to_string() aria-label=td_string!(l, my_training.plan.progress_label)></progress>
                <span class="progress-text">
                    {td_string!(l, my_training.plan.progress, done = plan.done, total = plan.total, percent = percent)}
                </span>
            </div>
            <ul class="assignments">
                {plan.assignments.into_iter().map(|a| view! { <Assignment a report/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Assignment(a: AssignmentCard, report: ServerAction<SelfReport>) -> impl IntoView {
    let id = a.id;
    let can_report = a.can_report;
    // Element ids (not words): "lapor-7", "lapor-7-tanggal" …
    let form_id = dom_id("lapor", id);
    let (f_date, f_cert, f_note) = (
        dom_id(&form_id, "tanggal"),
        dom_id(&form_id, "sertifikat"),
        dom_id(&form_id, "catatan"),
    );
    let l = use_locale();
    let meta = td_string!(
        l,
        my_training.card.meta,
        due = &a.due_date,
        jp = fmt_jp(a.jp, l),
        method = method_label(&a.method, l),
        provider = &a.provider
    );
    view! {
        <li class=["assignment tone-", a.tone.as_str()].concat() data-assignment-id=id.to_string()>
            <div class="assignment-head">
                <span class="course"><strong>{a.course_code.clone()}</strong> " " {a.course_title.clone()}</span>
                <span class="badge">{a.status.clone()}</span>
            </div>
            <div class="muted">
                {meta}
                {(!a.required).then(|| format!(" · {}", td_string!(l, my_training.card.optional)))}
            </div>
            {(!a.description.is_empty()).then(|| view! { <p class="description">{a.description.clone()}</p> })}
            <p class="next-step">{a.next_step.clone()}</p>
            {can_report.then(|| view! {
                // Reopened when it comes back refused without JavaScript.
                <details class="report" open={echo_in::<SelfReport>("assignment_id", "assignment_id", &id.to_string()).is_some()}>
                    <summary>{td_string!(l, my_training.card.report_summary)}</summary>
                    <ActionForm action=report attr:id=form_id.clone() attr:class="stack">
                        <input type="hidden" name="assignment_id" value=id.to_string()/>
                        <label for=f_date.clone()>{td_string!(l, my_training.card.completed_on)}</label>
                        <input id=f_date.clone() name="completed_on" type="date" required
                            value={echo_in::<SelfReport>("completed_on", "assignment_id", &id.to_string())}/>
                        <FieldError action=report field="completed_on" when=move |i: &SelfReport| i.assignment_id == id/>
                        <label for=f_cert.clone()>{td_string!(l, my_training.card.certificate_no)}</label>
                        <input id=f_cert.clone() name="certificate_no" maxlength="100"
                            value={echo_in::<SelfReport>("certificate_no", "assignment_id", &id.to_string())}/>
                        <label for=f_note.clone()>{td_string!(l, my_training.card.note)}</label>
                        <textarea id=f_note.clone() name="note" rows="2" maxlength="2000">{echo_in::<SelfReport>("note", "assignment_id", &id.to_string())}</textarea>
                        <FieldError action=report field="note" when=move |i: &SelfReport| i.assignment_id == id/>
                        <button type="submit">{td_string!(l, my_training.card.submit)}</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}

/// This year's JP against the target, and a bar per month (SVG, no script).
#[component]
fn Ledger(ledger: LedgerView) -> impl IntoView {
    let max = ledger.by_month.iter().cloned().fold(1.0_f64, f64::max);
    let l = use_locale();
    // "Jan" … "Agu" … "Des" / "Aug" … "Dec": the month's name, shortened.
    let months: Vec<String> = (0..12)
        .map(|m| month_name(m, l).chars().take(3).collect())
        .collect();
    let (done, target) = (fmt_jp(ledger.done, l), fmt_jp(ledger.target, l));
    let fill = if ledger.target > 0.0 {
        (ledger.done / ledger.target).min(1.0)
    } else {
        1.0
    };
    view! {
        <section class="card" id="jp">
            <h2>{td_string!(l, my_training.ledger.heading, year = ledger.year)}</h2>
            <p id="jp-ringkas">
                {td_string!(l, my_training.ledger.summary, done = &done, target = &target)}
                {if ledger.shortfall > 0.0 {
                    format!(" · {}", td_string!(l, my_training.ledger.short, n = fmt_jp(ledger.shortfall, l)))
                } else {
                    format!(" · {}", td_string!(l, my_training.ledger.reached))
                }}
            </p>
            <svg class="chart" viewBox="0 0 360 150" role="img"
                aria-label=td_string!(l, my_training.ledger.chart_label, year = ledger.year, done = &done, target = &target)>
                <rect x="0" y="0" width="360" height="12" class="bar-track"></rect>
                <rect x="0" y="0" width=format!("{:.1}", 360.0 * fill) height="12" class="bar-fill"></rect>
                {ledger.by_month.iter().enumerate().map(|(i, jp)| {
                    let h = 100.0 * jp / max;
                    let x = 4.0 + i as f64 * 29.6;
                    view! {
                        <g>
                            <rect x=format!("{x:.1}") y=format!("{:.1}", 125.0 - h) width="22" height=format!("{h:.1}") class="bar-month">
                                <title>{td_string!(l, my_training.ledger.bar, month = &months[i], jp = fmt_jp(*jp, l))}</title>
                            </rect>
                            <text x=format!("{:.1}", x + 11.0) y="142" text-anchor="middle" class="axis">{months[i].clone()}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </section>
    }
}

#[component]
fn History(history: Vec<HistoryLine>) -> impl IntoView {
    let empty = history.is_empty();
    let l = use_locale();
    view! {
        <section class="card" id="riwayat">
            <h2>{td_string!(l, my_training.history.heading)}</h2>
            {if empty {
                view! { <p class="empty">{td_string!(l, my_training.history.empty)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <TableHead headers=headers![l, my_training.history: course, date, jp, source, certificate]/>
                        <tbody>
                            {history.into_iter().map(|h| view! {
                                <tr>
                                    <td><strong>{h.course_code}</strong> " " {h.course_title}</td>
                                    <td>{h.date}</td>
                                    <td>{fmt_jp(h.jp, l)}</td>
                                    <td>{h.source}</td>
                                    <td>{h.certificate_no}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CalendarSection(has_link: bool, action: ServerAction<CalendarLink>) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card" id="kalender">
            <h2>{td_string!(l, my_training.calendar.heading)}</h2>
            <p>{td_string!(l, my_training.calendar.intro)}</p>
            {move || action.value().get().map(|r| match r {
                Ok(Some(url)) => view! {
                    <div class="notice ok" role="status">
                        <p>{td_string!(l, my_training.calendar.copy_now)}</p>
                        <p><code id="tautan-kalender">{url}</code></p>
                    </div>
                }.into_any(),
                Ok(None) => view! { <p class="notice ok" role="status">{td_string!(l, my_training.calendar.revoked)}</p> }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
            <div class="actions">
                <ActionForm action attr:class="inline" attr:id="form-kalender">
                    <button type="submit" class="secondary">
                        {if has_link {
                            td_string!(l, my_training.calendar.renew)
                        } else {
                            td_string!(l, my_training.calendar.create)
                        }}
                    </button>
                </ActionForm>
                {has_link.then(|| view! {
                    <ActionForm action attr:class="inline" attr:id="form-cabut-kalender">
                        <input type="hidden" name="revoke" value="ya"/>
                        <button type="submit" class="secondary">{td_string!(l, my_training.calendar.revoke)}</button>
                    </ActionForm>
                })}
            </div>
        </section>
    }
}

/// An element id from a fixed part and a suffix: "lapor-7".
fn dom_id(base: impl std::fmt::Display, suffix: impl std::fmt::Display) -> String {
    format!("{base}-{suffix}")
}
