//! "Adaptasi pegawai baru": the manager's dashboard. Newcomers of the last
//! `newcomer_days` days in one's units with progress, overdue work, days
//! since the TMT and the next check-in; sortable, searchable and paged on
//! the server; three charts drawn as SVG on the server (readable without
//! JavaScript); a print button (the print stylesheet keeps the report) and
//! the same figures as CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::admin_list::Loaded;
use crate::components::pager::Pager;
use crate::i18n::td_string;
use crate::lang::use_locale;
use crate::{
    api::adaptation::get_dashboard,
    model::adaptation::{Bucket, Dashboard, UnitBar, WeekPoint},
};

#[component]
pub fn ManagerPage() -> impl IntoView {
    let query = use_query_map();
    let l = use_locale();
    let data = Resource::new(
        move || {
            let q = query.get();
            (
                q.get("q"),
                q.get("urut"),
                q.get("hal").and_then(|v| v.parse::<u64>().ok()),
            )
        },
        |(q, sort, page)| get_dashboard(q, sort, page),
    );
    view! {
        <Title text=td_string!(l, manager.title)/>
        <h1>{td_string!(l, manager.title)}</h1>
        <Loaded data show=move |d: Dashboard| view! { <DashboardView d/> }/>
    }
}

fn link(q: &str, sort: &str, page: u64) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!("/manajer?q={}&urut={}&hal={page}", enc(q), enc(sort))
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let l = use_locale();
    let csv = format!(
        "/manajer/laporan.csv?q={}&urut={}",
        d.q.replace(' ', "+"),
        d.sort
    );
    // A query parameter, not text.
    let csv_semicolon = format!("{csv}&pemisah=titikkoma"); // i18n-ok
    let header = {
        let (q, sort) = (d.q.clone(), d.sort.clone());
        move |key: &'static str, label: &'static str| {
            let active = sort == key;
            view! {
                <th aria-sort=sort_state(active)>
                    <a href=link(&q, key, 1) class=sorted_class(active)>{label}</a>
                </th>
            }
        }
    };
    let empty = d.rows.is_empty();
    let page_link = {
        let (q, sort) = (d.q.clone(), d.sort.clone());
        move |n: u64| link(&q, &sort, n)
    };
    view! {
        <p class="lead">{td_string!(l, manager.lead, days = d.days, total = d.total)}</p>
        <form method="get" action="/manajer" class="filter no-print" role="search">
            <label for="cari-pegawai">{td_string!(l, manager.search_label)}</label>
            <input id="cari-pegawai" name="q" type="search" value=d.q/>
            <input type="hidden" name="urut" value=d.sort/>
            <button type="submit" class="secondary">{td_string!(l, common.actions.search)}</button>
        </form>
        <div class="actions no-print">
            <a href=csv id="unduh-csv" download>{td_string!(l, manager.csv)}</a>
            <a href=csv_semicolon id="unduh-csv-titikkoma" download>{td_string!(l, manager.csv_excel)}</a>
            <PrintButton label=td_string!(l, manager.print).to_string()/>
            <span class="muted">{td_string!(l, manager.print_hint)}</span>
        </div>
        <section class="charts">
            <UnitChart bars=d.by_unit/>
            <WeekChart points=d.overdue_by_week/>
            <BucketChart buckets=d.time_to_complete/>
        </section>
        {if empty {
            view! { <p class="empty">{td_string!(l, manager.empty)}</p> }.into_any()
        } else {
            view! {
                <table class="table" id="pegawai-baru">
                    <thead><tr>
                        {header("nama", td_string!(l, manager.col.employee))}
                        <th>{td_string!(l, manager.col.unit_position)}</th>
                        {header("tmt", td_string!(l, manager.col.tmt))}
                        {header("kemajuan", td_string!(l, manager.col.progress))}
                        {header("terlambat", td_string!(l, manager.col.overdue))}
                        <th>{td_string!(l, manager.col.next_checkin)}</th>
                    </tr></thead>
                    <tbody>
                        {d.rows.into_iter().map(|r| view! {
                            <tr data-employee-id=r.employee_id.to_string()>
                                <td><a href=format!("/pegawai/{}", r.employee_id)>{r.name.clone()}</a><div class="muted">{r.nip.clone()}</div></td>
                                <td>{r.unit.clone()}<div class="muted">{r.position.clone()}</div></td>
                                <td>{r.tmt.clone()}<div class="muted">{td_string!(l, manager.day_n, n = r.days_since_tmt)}</div></td>
                                <td>
                                    <progress max=r.total.max(1).to_string() value=r.done.to_string()
                                        aria-label=td_string!(l, manager.done_of, done = r.done, total = r.total)></progress>
                                    <div class="muted">{td_string!(l, manager.done_of, done = r.done, total = r.total)}</div>
                                </td>
                                <td class=overdue_class(r.overdue)>{r.overdue}</td>
                                <td>{if r.next_checkin.is_empty() { "—".to_string() } else { r.next_checkin.clone() }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <Pager page=d.page pages=d.pages href=page_link/>
    }
}

/// A chart in its card: the caption over an SVG 360 wide and `height` high,
/// `label` saying what it shows to those who cannot see it.
#[component]
fn ChartCard(
    caption: &'static str,
    label: &'static str,
    height: usize,
    children: Children,
) -> impl IntoView {
    view! {
        <figure class="card chart-card">
            <figcaption>{caption}</figcaption>
            <svg class="chart" viewBox=format!("0 0 360 {height}") role="img" aria-label=label>
                {children()}
            </svg>
        </figure>
    }
}

/// Completion by unit: one horizontal bar per unit.
#[component]
fn UnitChart(bars: Vec<UnitBar>) -> impl IntoView {
    let l = use_locale();
    let height = 24 * bars.len().max(1) + 8;
    view! {
        <ChartCard caption=td_string!(l, manager.chart.by_unit) label=td_string!(l, manager.chart.by_unit)
            height>
            {bars.into_iter().enumerate().map(|(i, b)| {
                let share = if b.total == 0 { 0.0 } else { b.done as f64 / b.total as f64 };
                let y = 4 + 24 * i;
                view! {
                    <g>
                        <text x="0" y=(y + 14).to_string() class="axis">{truncate(&b.unit, 26)}</text>
                        <rect x="150" y=y.to_string() width="170" height="16" class="bar-track"></rect>
                        <rect x="150" y=y.to_string() width=format!("{:.1}", 170.0 * share) height="16" class="bar-fill">
                            <title>{td_string!(l, manager.chart.unit_tip, unit = b.unit.clone(), done = b.done, total = b.total)}</title>
                        </rect>
                        <text x="324" y=(y + 13).to_string() class="axis">{format!("{:.0}%", share * 100.0)}</text>
                    </g>
                }
            }).collect_view()}
        </ChartCard>
    }
}

/// Overdue assignments at the end of each of the last twelve weeks.
#[component]
fn WeekChart(points: Vec<WeekPoint>) -> impl IntoView {
    let l = use_locale();
    let max = points.iter().map(|p| p.overdue).max().unwrap_or(0).max(1) as f64;
    let coords: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                20.0 + i as f64 * 29.0,
                110.0 - 90.0 * p.overdue as f64 / max,
            )
        })
        .collect();
    let line = coords
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <ChartCard caption=td_string!(l, manager.chart.weekly) label=td_string!(l, manager.chart.weekly_label)
            height=140>
            <polyline points=line class="line"></polyline>
            {points.iter().zip(coords.iter()).enumerate().map(|(i, (p, (x, y)))| view! {
                <g>
                    <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="3" class="dot">
                        <title>{format!("{}: {}", p.label, p.overdue)}</title>
                    </circle>
                    {(i % 2 == 1).then(|| view! {
                        <text x=format!("{x:.1}") y="132" text-anchor="middle" class="axis">{p.label.clone()}</text>
                    })}
                </g>
            }).collect_view()}
        </ChartCard>
    }
}

/// How long finished plans took, from the TMT to the last completion.
#[component]
fn BucketChart(buckets: Vec<Bucket>) -> impl IntoView {
    let l = use_locale();
    let max = buckets.iter().map(|b| b.plans).max().unwrap_or(0).max(1) as f64;
    view! {
        <ChartCard caption=td_string!(l, manager.chart.duration) label=td_string!(l, manager.chart.duration_label)
            height=140>
            {buckets.into_iter().enumerate().map(|(i, b)| {
                let h = 90.0 * b.plans as f64 / max;
                let x = 20.0 + i as f64 * 68.0;
                view! {
                    <g>
                        <rect x=format!("{x:.1}") y=format!("{:.1}", 110.0 - h) width="48" height=format!("{h:.1}") class="bar-month">
                            <title>{td_string!(l, manager.chart.plans_tip, label = b.label.clone(), n = b.plans)}</title>
                        </rect>
                        <text x=format!("{:.1}", x + 24.0) y=format!("{:.1}", 104.0 - h) text-anchor="middle" class="axis">{b.plans}</text>
                        <text x=format!("{:.1}", x + 24.0) y="128" text-anchor="middle" class="axis">{b.label}</text>
                    </g>
                }
            }).collect_view()}
        </ChartCard>
    }
}

fn sort_state(active: bool) -> &'static str {
    if active {
        "descending"
    } else {
        "none"
    }
}

fn sorted_class(active: bool) -> &'static str {
    if active {
        "sorted"
    } else {
        ""
    }
}

fn overdue_class(n: u32) -> &'static str {
    if n > 0 {
        "overdue-count"
    } else {
        ""
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// "Cetak": the browser's print dialogue (an island: the page's only
/// script). Without JavaScript the button does nothing, and the hint beside
/// it says to print from the browser's menu.
#[island]
fn PrintButton(label: String) -> impl IntoView {
    view! {
        <button type="button" class="secondary" id="cetak" on:click=move |_| {
            #[cfg(feature = "hydrate")]
            let _ = window().print();
        }>{label}</button>
    }
}
