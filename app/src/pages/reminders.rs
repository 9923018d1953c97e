//! "Pengingat" (`/admin/pengingat`, administrators): the two schedules and
//! the outbox log.
//!
//! Each schedule (daily reminders, the managers' weekly digest) shows the
//! expression in force, where it comes from (configuration, or saved by
//! whom and when), the form it was understood as and its next five runs in
//! the office's zone, with a form to save a new one. A refused expression
//! is answered next to the field, with what was typed kept.
//!
//! The log lists the outbox newest first, filtered through the address
//! (`?status=…&jenis=…&q=…&hal=…`, so a filter can be bookmarked or
//! sent), with the number of messages per state (each a link to those
//! messages) and, on a failed message, a button that sends it again.
//!
//! Everything works without JavaScript: forms post, and the server sends
//! the browser back to the page (`disimpan=<name>`, `dikirim_ulang=<id>`,
//! or the refusal). With JavaScript the answer appears in place and the
//! data is read again after a change.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::reminders::{get_outbox_log, get_schedules, ResendMessage, SaveSchedule};
use crate::components::admin_list::{
    headers, outcome, param, param_page, AdminList, FilterSelect, SearchField,
};
use crate::components::errors::{ErrorBox, FieldError, PageError};
use crate::components::form_echo::{echo, server_action, server_action_in};
use crate::domain::reminders::ReminderKind;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;
use crate::model::reminders::{
    kind_label, state_label, LogFilter, OutboxPage, OutboxRow, ScheduleView, SchedulesPage,
    PAGE_PATH, STATES,
};
use crate::{components::pager::Pager, domain::links::href};

/// The schedule's part of element ids: "pengingat" or "ringkasan".
fn slug(name: &str) -> &'static str {
    match name {
        "digest" => "ringkasan",
        _ => "pengingat",
    }
}

/// `prefix-slug`: an element id of one schedule's card.
fn element_id(prefix: &str, slug: &str) -> String {
    format!("{prefix}-{slug}") // i18n-ok: an element id
}

/// The `tone-*` class of a log row, by the message's state.
fn tone_class(state: &str) -> String {
    let tone = match state {
        "failed" => "overdue",
        "sent" => "done",
        "pending" => "pending",
        _ => "closed",
    };
    format!("tone-{tone}") // i18n-ok: a CSS class
}

fn schedule_title(name: &str, l: Locale) -> &'static str {
    match name {
        "digest" => td_string!(l, reminders_admin.schedules.digest.title),
        _ => td_string!(l, reminders_admin.schedules.reminders.title),
    }
}

fn schedule_about(name: &str, l: Locale) -> &'static str {
    match name {
        "digest" => td_string!(l, reminders_admin.schedules.digest.about),
        _ => td_string!(l, reminders_admin.schedules.reminders.about),
    }
}

/// A link to page `page` of the log filtered by `f` (`?status=…&jenis=…&q=…&hal=…`).
fn log_href(f: &LogFilter, page: u64) -> String {
    let page = if page > 1 {
        page.to_string()
    } else {
        String::new()
    };
    href(
        PAGE_PATH,
        &[
            ("status", f.state.clone()),
            ("jenis", f.kind.clone()),
            ("q", f.q.clone()),
            ("hal", page),
        ],
    )
}

/// Which schedule form the server refused a moment ago (a post without
/// JavaScript), with what was typed. Read on the server from the refused
/// form's echo and handed to the browser with the page's data, so that the
/// server's page and the hydrated one show the refusal at the same form.
fn refused_schedule() -> Option<(String, String)> {
    let name = echo::<SaveSchedule>("name")?;
    Some((name, echo::<SaveSchedule>("expression").unwrap_or_default()))
}

#[component]
pub fn RemindersAdminPage() -> impl IntoView {
    let l = use_locale();
    view! {
        <Title text=td_string!(l, reminders_admin.title)/>
        <h1>{td_string!(l, reminders_admin.title)}</h1>
        <Schedules/>
        <OutboxLog/>
    }
}

#[component]
fn Schedules() -> impl IntoView {
    let l = use_locale();
    // One action per form: each form shows only its own answer.
    let save_reminders = server_action_in::<SaveSchedule>("name", "reminders".into());
    let save_digest = server_action_in::<SaveSchedule>("name", "digest".into());
    let data = Resource::new(
        || (),
        |_| {
            let refused = refused_schedule();
            async move { (get_schedules().await, refused) }
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    (Ok(page), refused) => {
                        let SchedulesPage { schedules, zone } = page;
                        view! {
                            <p class="lead">{td_string!(l, reminders_admin.lead, zone = zone.clone()).to_string()}</p>
                            <h2>{td_string!(l, reminders_admin.schedules.heading)}</h2>
                            <div class="schedules" id="jadwal">
                                {schedules.into_iter().map(|s| {
                                    let action = if s.name == "digest" { save_digest } else { save_reminders };
                                    view! { <ScheduleCard s action refused=refused.clone() zone=zone.clone()/> }
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                    (Err(e), _) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ScheduleCard(
    s: ScheduleView,
    action: ServerAction<SaveSchedule>,
    refused: Option<(String, String)>,
    zone: String,
) -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let name = s.name.clone();
    let slug = slug(&name);
    let typed = refused.filter(|(n, _)| *n == name).map(|(_, e)| e);
    let refused_here = typed.is_some();
    let value = typed.unwrap_or_else(|| s.expression.clone());
    let title = schedule_title(&name, l);
    let about = schedule_about(&name, l);
    let hidden_name = name.clone();
    let input_id = element_id("ekspresi", slug);
    let help_id = element_id("bantuan", slug);
    // The answer shows at the form that was sent: the one the server says
    // it refused (a refusal reaches both forms' actions: they post to the
    // same function), or saved (that answer reaches only its own).
    let answered = move || refused_here || action.value().with(|v| matches!(v, Some(Ok(_))));
    let saved_name = name.clone();
    let saved_here = move || {
        matches!(action.value().get(), Some(Ok(_)))
            || query.with(|q| outcome(q, "disimpan").as_deref() == Some(saved_name.as_str()))
    };
    let other_error = move || {
        answered()
            .then(|| action.value().get().and_then(Result::err))
            .flatten()
            .filter(|e| e.field() != Some("expression"))
            .map(|e| view! { <ErrorBox error=e/> })
    };
    let source = match (&s.updated_by, &s.updated_at) {
        (Some(who), Some(when)) if s.saved => view! {
            {td_string!(l, reminders_admin.schedules.saved_by, who = who.clone(), when = when.clone()).to_string()}
            <br/>
            <span class="muted">
                {td_string!(l, reminders_admin.schedules.configured, expression = s.configured.clone()).to_string()}
            </span>
        }
        .into_any(),
        _ => td_string!(l, reminders_admin.schedules.from_config).into_any(),
    };
    let runs = if s.next_runs.is_empty() {
        view! {
            <p class="empty" id=element_id("berikutnya", slug)>{td_string!(l, reminders_admin.schedules.none)}</p>
        }
        .into_any()
    } else {
        view! {
            <ol class="next-runs" id=element_id("berikutnya", slug)>
                {s.next_runs.iter().zip(s.next_runs_iso.iter()).map(|(words, iso)| view! {
                    <li><time datetime=iso.clone()>{words.clone()}</time></li>
                }).collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <section class="card schedule" id=element_id("jadwal", slug) data-schedule=name
            data-form=s.form.clone().unwrap_or_default() data-saved=s.saved.to_string()>
            <h3>{title}</h3>
            <p class="muted">{about}</p>
            {move || saved_here().then(|| view! {
                <p class="notice ok" role="status" id=element_id("disimpan", slug)>
                    {td_string!(l, reminders_admin.schedules.saved)}
                </p>
            })}
            <dl class="facts">
                <dt>{td_string!(l, reminders_admin.schedules.in_force)}</dt>
                <dd><code id=element_id("berlaku", slug)>{s.expression.clone()}</code></dd>
                <dt>{td_string!(l, reminders_admin.schedules.source)}</dt>
                <dd id=element_id("asal", slug)>{source}</dd>
                <dt>{td_string!(l, reminders_admin.schedules.understood_as)}</dt>
                <dd id=element_id("bentuk", slug)>{s.form_label.clone()}</dd>
                <dt>{td_string!(l, reminders_admin.schedules.next_runs, zone = zone).to_string()}</dt>
                <dd>{runs}</dd>
            </dl>
            {s.problem.clone().map(|problem| view! {
                <p class="notice error" role="alert">
                    {td_string!(l, reminders_admin.schedules.problem, problem = problem).to_string()}
                </p>
            })}
            <ActionForm action attr:id=element_id("form-jadwal", slug) attr:class="stack">
                <input type="hidden" name="name" value=hidden_name/>
                <label for=input_id.clone()>{td_string!(l, reminders_admin.schedules.field)}</label>
                <input id=input_id name="expression" class="cron" required maxlength="200" value=value
                    autocomplete="off" spellcheck="false" aria-describedby=help_id.clone()/>
                {move || answered().then(|| view! {
                    <FieldError action field="expression" when=|_: &SaveSchedule| true/>
                })}
                {other_error}
                <p class="muted help" id=help_id>{td_string!(l, reminders_admin.schedules.help)}</p>
                <button type="submit" id=element_id("simpan-jadwal", slug)>
                    {td_string!(l, reminders_admin.schedules.submit)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn OutboxLog() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let resend = server_action::<ResendMessage>();
    let data = Resource::new(
        move || {
            query.with(|q| {
                (
                    param(q, "status"),
                    param(q, "jenis"),
                    param(q, "q"),
                    param_page(q),
                )
            })
        },
        |(state, kind, q, page)| {
            let filter = LogFilter {
                state: state.unwrap_or_default(),
                kind: kind.unwrap_or_default(),
                q: q.unwrap_or_default(),
            };
            get_outbox_log(filter, page)
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <LogSection page resend/> }.into_any(),
                    // The schedules answer for the page (sign in, or not found).
                    Err(AppError::NotFound | AppError::Unauthenticated) => ().into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LogSection(page: OutboxPage, resend: ServerAction<ResendMessage>) -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let log = page;
    let filter = log.filter;
    let pager_filter = filter.clone();
    let resent = move || {
        resend.value().get().and_then(Result::ok).or_else(|| {
            query.with(|q| outcome(q, "dikirim_ulang").and_then(|v| v.parse::<i64>().ok()))
        })
    };
    let by_state = |s: &str| {
        let f = LogFilter {
            state: s.to_string(),
            ..filter.clone()
        };
        log_href(&f, 1)
    };
    let LogFilter { state, kind, q } = filter.clone();
    let empty = log.rows.is_empty();
    let top = view! {
        {move || resent().map(|id| view! {
            <p class="notice ok" role="status" id="dikirim-ulang" data-message-id=id.to_string()>
                {td_string!(l, reminders_admin.log.resent, id = id).to_string()}
            </p>
        })}
        {move || resend.value().get().and_then(Result::err).map(|e| view! {
            <div id="kirim-ulang-ditolak"><ErrorBox error=e/></div>
        })}
        <ul class="state-counts" id="jumlah-status" aria-label=td_string!(l, reminders_admin.log.counts_label)>
            <li>
                <a href=by_state("") data-state="" data-count=log.all.to_string()
                    aria-current=state.is_empty().then_some("page")>
                    {td_string!(l, reminders_admin.log.all)} " " <strong>{log.all}</strong>
                </a>
            </li>
            {log.counts.into_iter().map(|c| {
                let current = (c.state == state).then_some("page");
                view! {
                    <li>
                        <a href=by_state(&c.state) data-state=c.state.clone() data-count=c.n.to_string()
                            aria-current=current>
                            {c.label.clone()} " " <strong>{c.n}</strong>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    };
    view! {
        <AdminList name="log" section_id="log-pesan" title=td_string!(l, reminders_admin.log.heading)
            top=top.into_any() action=PAGE_PATH
            filters=view! {
                <FilterSelect id="log-status" name="status" label=td_string!(l, reminders_admin.log.state)
                    all=td_string!(l, reminders_admin.log.all_states)>
                    {STATES.into_iter().map(|s| view! {
                        <option value=s selected=state == s>{state_label(s, l)}</option>
                    }).collect_view()}
                </FilterSelect>
                <FilterSelect id="log-jenis" name="jenis" label=td_string!(l, reminders_admin.log.kind)
                    all=td_string!(l, reminders_admin.log.all_kinds)>
                    {ReminderKind::ALL.into_iter().map(|k| {
                        let k = k.as_str();
                        view! { <option value=k selected=kind == k>{kind_label(k, l)}</option> }
                    }).collect_view()}
                </FilterSelect>
                <SearchField id="log-cari".into() label=td_string!(l, reminders_admin.log.search) value=q
                    placeholder=td_string!(l, reminders_admin.log.search_placeholder)/>
            }.into_any()
            button=td_string!(l, reminders_admin.log.show) total=log.total
            found=td_string!(l, reminders_admin.log.found, total = log.total, page = log.page, pages = log.pages).to_string()
            table_class="table outbox-table" none=td_string!(l, reminders_admin.log.none)
            headers=headers![l, reminders_admin.log:
                (td_string!(l, reminders_admin.log.col_created, zone = log.zone).to_string()),
                col_kind, col_recipient, col_state, col_attempts, col_when, col_error, col_actions]
            empty pager=view! {
                <Pager page=log.page pages=log.pages href=move |n| log_href(&pager_filter, n) id="halaman-log"/>
            }.into_any()>
            {log.rows.into_iter().map(|m| view! { <LogLine m resend/> }).collect_view()}
        </AdminList>
    }
}

#[component]
fn LogLine(m: OutboxRow, resend: ServerAction<ResendMessage>) -> impl IntoView {
    let l = use_locale();
    let id = m.id;
    let when = match (&m.next_attempt, &m.sent) {
        (Some(next), _) => {
            td_string!(l, reminders_admin.log.next_at, when = next.clone()).to_string()
        }
        (None, Some(sent)) => {
            td_string!(l, reminders_admin.log.sent_at, when = sent.clone()).to_string()
        }
        (None, None) => String::new(),
    };
    let resend_label = td_string!(
        l,
        reminders_admin.log.resend_label,
        id = id,
        to = m.to_address.clone()
    )
    .to_string();
    view! {
        <tr class=tone_class(&m.state) data-message-id=id.to_string() data-state=m.state.clone()
            data-kind=m.kind.clone()>
            <td class="when"><time datetime=m.created_iso.clone()>{m.created.clone()}</time></td>
            <td>{m.kind_label.clone()}</td>
            <td class="recipient">
                {m.to_address.clone()}
                <div class="muted key"><code>{m.key.clone()}</code></div>
            </td>
            <td class="state"><span class="badge">{m.state_label.clone()}</span></td>
            <td class="attempts">{m.attempts}</td>
            <td class="when">{when}</td>
            <td class="error">{m.last_error.clone()}</td>
            <td>
                {m.can_resend.then(|| view! {
                    <ActionForm action=resend attr:class="resend">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <button type="submit" class="secondary kirim-ulang" aria-label=resend_label>
                            {td_string!(l, reminders_admin.log.resend)}
                        </button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
