//! "Penugasan saya": each plan with its progress, each assignment with its
//! status, due date in words and as a date, the course, and what to do
//! next; reporting a completion; training history and this year's JP
//! against the target, with a chart; the personal calendar link.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::api::my_training::{
    get_my_training, AssignmentCard, CalendarLink, HistoryLine, LedgerView, MyTraining, PlanCard,
    SelfReport,
};
use crate::components::errors::{ErrorBox, FieldError, PageError};

#[component]
pub fn MyTrainingPage() -> impl IntoView {
    let report = ServerAction::<SelfReport>::new();
    let calendar = ServerAction::<CalendarLink>::new();
    let data = Resource::new(
        move || (report.version().get(), calendar.version().get()),
        |_| get_my_training(),
    );
    view! {
        <Title text="Penugasan saya"/>
        <h1>"Penugasan saya"</h1>
        <Transition fallback=|| view! { <p class="muted">"Memuat…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(t) => view! { <MyTrainingView training=t report calendar/> }.into_any(),
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Transition>
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
    view! {
        {move || report.value().get().map(|r| match r {
            Ok(()) => view! {
                <p class="notice ok" role="status" id="laporan-terkirim">
                    "Laporan terkirim. Pelatih akan memverifikasinya; statusnya tampil di bawah."
                </p>
            }.into_any(),
            Err(e) if e.field().is_none() => view! { <ErrorBox error=e/> }.into_any(),
            Err(_) => ().into_any(),
        })}
        {no_plans.then(|| view! {
            <p class="empty">"Belum ada rencana pelatihan. Rencana dibuat otomatis saat mutasi Anda selesai diproses."</p>
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
    view! {
        <section class="card plan" data-plan-id=plan.id.to_string()>
            <h2>{plan.title.clone()}</h2>
            <p class="muted">{plan.subtitle.clone()}</p>
            <div class="progress-row">
                <progress max="100" value=percent.to_string() aria-label="Kemajuan rencana"></progress>
                <span class="progress-text">
                    {format!("{} dari {} pelatihan wajib selesai ({percent}%)", plan.done, plan.total)}
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
    let form_id = format!("lapor-{id}");
    let (f_date, f_cert, f_note) = (
        format!("{form_id}-tanggal"),
        format!("{form_id}-sertifikat"),
        format!("{form_id}-catatan"),
    );
    view! {
        <li class=format!("assignment tone-{}", a.tone) data-assignment-id=id.to_string()>
            <div class="assignment-head">
                <span class="course"><strong>{a.course_code.clone()}</strong> " " {a.course_title.clone()}</span>
                <span class="badge">{a.status.clone()}</span>
            </div>
            <div class="muted">
                {format!("Tenggat {} · {} JP · {} · {}", a.due_date, a.jp, a.method, a.provider)}
                {(!a.required).then_some(" · pilihan")}
            </div>
            {(!a.description.is_empty()).then(|| view! { <p class="description">{a.description.clone()}</p> })}
            <p class="next-step">{a.next_step.clone()}</p>
            {can_report.then(|| view! {
                <details class="report">
                    <summary>"Laporkan selesai"</summary>
                    <ActionForm action=report attr:id=form_id.clone() attr:class="stack">
                        <input type="hidden" name="assignment_id" value=id.to_string()/>
                        <label for=f_date.clone()>"Tanggal selesai"</label>
                        <input id=f_date.clone() name="completed_on" type="date" required/>
                        <FieldError action=report field="completed_on" when=move |i: &SelfReport| i.assignment_id == id/>
                        <label for=f_cert.clone()>"Nomor sertifikat (jika ada)"</label>
                        <input id=f_cert.clone() name="certificate_no" maxlength="100"/>
                        <label for=f_note.clone()>"Catatan (opsional)"</label>
                        <textarea id=f_note.clone() name="note" rows="2" maxlength="2000"></textarea>
                        <FieldError action=report field="note" when=move |i: &SelfReport| i.assignment_id == id/>
                        <button type="submit">"Kirim laporan"</button>
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
    let months = [
        "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
    ];
    let fill = if ledger.target > 0.0 {
        (ledger.done / ledger.target).min(1.0)
    } else {
        1.0
    };
    view! {
        <section class="card" id="jp">
            <h2>{format!("Jam pelajaran (JP) tahun {}", ledger.year)}</h2>
            <p id="jp-ringkas">
                {format!("{} JP dari target {} JP", fmt_jp(ledger.done), fmt_jp(ledger.target))}
                {if ledger.shortfall > 0.0 {
                    format!(" · kurang {} JP", fmt_jp(ledger.shortfall))
                } else {
                    " · target tercapai".to_string()
                }}
            </p>
            <svg class="chart" viewBox="0 0 360 150" role="img"
                aria-label=format!("JP per bulan tahun {}; total {} dari {} JP", ledger.year, fmt_jp(ledger.done), fmt_jp(ledger.target))>
                <rect x="0" y="0" width="360" height="12" class="bar-track"></rect>
                <rect x="0" y="0" width=format!("{:.1}", 360.0 * fill) height="12" class="bar-fill"></rect>
                {ledger.by_month.iter().enumerate().map(|(i, jp)| {
                    let h = 100.0 * jp / max;
                    let x = 4.0 + i as f64 * 29.6;
                    view! {
                        <g>
                            <rect x=format!("{x:.1}") y=format!("{:.1}", 125.0 - h) width="22" height=format!("{h:.1}") class="bar-month">
                                <title>{format!("{}: {} JP", months[i], fmt_jp(*jp))}</title>
                            </rect>
                            <text x=format!("{:.1}", x + 11.0) y="142" text-anchor="middle" class="axis">{months[i]}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </section>
    }
}

fn fmt_jp(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}").replace('.', ",")
    }
}

#[component]
fn History(history: Vec<HistoryLine>) -> impl IntoView {
    let empty = history.is_empty();
    view! {
        <section class="card" id="riwayat">
            <h2>"Riwayat pelatihan"</h2>
            {if empty {
                view! { <p class="empty">"Belum ada pelatihan yang tercatat."</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th>"Pelatihan"</th><th>"Tanggal"</th><th>"JP"</th><th>"Sumber"</th><th>"Sertifikat"</th></tr></thead>
                        <tbody>
                            {history.into_iter().map(|h| view! {
                                <tr>
                                    <td><strong>{h.course_code}</strong> " " {h.course_title}</td>
                                    <td>{h.date}</td>
                                    <td>{fmt_jp(h.jp)}</td>
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
    view! {
        <section class="card" id="kalender">
            <h2>"Kalender"</h2>
            <p>"Tambahkan tenggat pelatihan Anda ke aplikasi kalender (Google Calendar, Outlook, kalender ponsel) dengan tautan rahasia."</p>
            {move || action.value().get().map(|r| match r {
                Ok(Some(url)) => view! {
                    <div class="notice ok" role="status">
                        <p>"Salin tautan ini sekarang; demi keamanan tautan hanya ditampilkan sekali:"</p>
                        <p><code id="tautan-kalender">{url}</code></p>
                    </div>
                }.into_any(),
                Ok(None) => view! { <p class="notice ok" role="status">"Tautan kalender dicabut."</p> }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
            <div class="actions">
                <ActionForm action attr:class="inline" attr:id="form-kalender">
                    <button type="submit" class="secondary">
                        {if has_link { "Buat tautan baru (yang lama tidak berlaku)" } else { "Buat tautan kalender" }}
                    </button>
                </ActionForm>
                {has_link.then(|| view! {
                    <ActionForm action attr:class="inline" attr:id="form-cabut-kalender">
                        <input type="hidden" name="revoke" value="ya"/>
                        <button type="submit" class="secondary">"Cabut tautan"</button>
                    </ActionForm>
                })}
            </div>
        </section>
    }
}
