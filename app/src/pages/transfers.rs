//! "Mutasi" (administrators): every transfer, searched, filtered and paged
//! on the server through the address (`?q=…&status=…&unit=…&hal=…`), so
//! it works without JavaScript; recording a draft; approving; cancelling
//! with a reason; and, with `?pratinjau=<id>`, the plan a transfer would get
//! (or got) with the button that completes it. Every form works without
//! JavaScript: it posts and the server sends the browser back here.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::transfers::{
    get_transfers, preview_transfer, ApproveTransfer, CancelTransfer, CompleteTransfer,
    CreateTransfer, UpdateTransfer,
};
use crate::components::admin_list::{
    headers, param, param_id, AdminList, FilterSelect, FormField, FormFn, SearchField,
};
use crate::components::errors::{Answer, ErrorBox, FieldError, Notice, PageError};
use crate::components::form_echo::{echo, echo_in, server_action};
use crate::components::pager::KeysetPager;
use crate::components::plan_item::PlanItemLine;
use crate::components::unit_picker::UnitPicker;
use crate::domain::links::href;
use crate::i18n::td_string;
use crate::lang::use_locale;
use crate::model::accounts::Choice;
use crate::model::transfers::{
    state_label, transfer_type_label, CompletedTransfer, PlanPreview, TransferRow, TransfersPage,
    STATES, TRANSFER_TYPES,
};

/// The list's address parameters, to build links that keep them.
#[derive(Clone, Debug, Default, PartialEq)]
struct ListQuery {
    q: String,
    state: Option<String>,
    /// The unit filter as the address had it (a path, a name or an id).
    unit: Option<String>,
    /// The page's key: the transfers older than this id (`None`: the newest).
    older_than: Option<i64>,
}

/// The `tone-*` class of a row or a badge.
fn tone_class(tone: &str) -> String {
    format!("tone-{tone}") // i18n-ok: a CSS class
}

impl ListQuery {
    /// This list at the page keyed by `older`/`newer` (ids), with a preview open.
    fn href(&self, older: Option<i64>, newer: Option<i64>, preview: Option<i64>) -> String {
        let id = |v: Option<i64>| v.map(|id| id.to_string()).unwrap_or_default();
        href(
            "/admin/mutasi",
            &[
                ("q", self.q.clone()),
                ("status", self.state.clone().unwrap_or_default()),
                ("unit", self.unit.clone().unwrap_or_default()),
                ("lama", id(older)),
                // A page is keyed one way: older, else newer.
                ("baru", id(newer.filter(|_| older.is_none()))),
                ("pratinjau", id(preview)),
            ],
        )
    }
}

#[component]
pub fn TransfersAdminPage() -> impl IntoView {
    let create = server_action::<CreateTransfer>();
    let approve = server_action::<ApproveTransfer>();
    let cancel = server_action::<CancelTransfer>();
    let complete = server_action::<CompleteTransfer>();
    let update = server_action::<UpdateTransfer>();
    let query = use_query_map();
    let l = use_locale();
    let data = Resource::new(
        move || {
            let q = query.get();
            (
                param(&q, "q"),
                param(&q, "status"),
                param(&q, "unit"),
                param_id(&q, "lama"),
                param_id(&q, "baru"),
            )
        },
        |(q, state, unit, older, newer)| get_transfers(q, state, None, unit, older, newer),
    );
    let preview = Resource::new(
        move || {
            query.with(|q| {
                q.get("pratinjau")
                    .and_then(|v| v.trim().parse::<i64>().ok())
            })
        },
        |id| async move {
            match id {
                Some(id) => Some(preview_transfer(id).await),
                None => None,
            }
        },
    );
    view! {
        <Title text=td_string!(l, transfers.title)/>
        <h1>{td_string!(l, transfers.title)}</h1>
        <Answer action=create ok=move |id: i64| view! {
            <Notice id="mutasi-dibuat" attr:data-transfer-id=id.to_string()>{td_string!(l, transfers.created)}</Notice>
        }/>
        <Answer action=update ok=move |()| view! { <Notice id="mutasi-diubah">{td_string!(l, transfers.updated)}</Notice> }/>
        <Answer action=approve every_refusal=true
            ok=move |()| view! { <Notice id="mutasi-disetujui">{td_string!(l, transfers.approved)}</Notice> }/>
        <Answer action=cancel ok=move |()| view! { <Notice id="mutasi-dibatalkan">{td_string!(l, transfers.cancelled)}</Notice> }/>
        <Answer action=complete every_refusal=true ok=move |c: CompletedTransfer| view! {
            <Notice id="mutasi-selesai">
                {if c.newly_completed {
                    td_string!(l, transfers.completed, items = c.items, recognised = c.recognised).to_string()
                } else {
                    td_string!(l, transfers.completed_before).to_string()
                }}
            </Notice>
        }/>
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let list = data.await;
                let shown = preview.await;
                match list {
                    Ok(page) => {
                        let (positions, today) = (page.positions.clone(), page.today.clone());
                        view! {
                            {shown.map(|p| {
                                let draft = p.as_ref().ok().map(|p| p.transfer.clone()).filter(|t| t.state == "draft");
                                view! {
                                    <Preview result=p complete/>
                                    {draft.map(|t| view! {
                                        <EditDraftForm transfer=t update positions=positions.clone()/>
                                    })}
                                }
                            })}
                            <TransferList page approve cancel/>
                            <NewTransferForm create positions today/>
                        }.into_any()
                    }
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TransferList(
    page: TransfersPage,
    approve: ServerAction<ApproveTransfer>,
    cancel: ServerAction<CancelTransfer>,
) -> impl IntoView {
    let TransfersPage {
        rows,
        total,
        total_capped,
        newer_than,
        older_than,
        q,
        state,
        unit_id,
        unit_text,
        unit_error,
        ..
    } = page;
    let lq = ListQuery {
        q: q.clone(),
        state: state.clone(),
        // The resolved unit's id keeps links short; a unit that did not
        // resolve keeps what was typed.
        unit: unit_id
            .map(|id| id.to_string())
            .or_else(|| (!unit_text.is_empty()).then(|| unit_text.clone())),
        // This very page again (for links that keep it): older than its first row.
        older_than: newer_than.and(rows.first().map(|r| r.id + 1)),
    };
    let empty = rows.is_empty();
    let l = use_locale();
    let newest = newer_than.map(|_| lq.href(None, None, None));
    let newer = newer_than.map(|id| lq.href(None, Some(id), None));
    let older = older_than.map(|id| lq.href(Some(id), None, None));
    let found = if total_capped {
        td_string!(l, transfers.list.found_more, total = total).to_string()
    } else {
        td_string!(l, transfers.list.found, total = total).to_string()
    };
    view! {
        <AdminList name="mutasi" title=td_string!(l, transfers.list.heading) action="/admin/mutasi"
            filters=view! {
                <SearchField id="cari-mutasi".into() label=td_string!(l, common.actions.search) value=q
                    placeholder=td_string!(l, transfers.list.search_placeholder)/>
                <FilterSelect id="status-mutasi" name="status" label=td_string!(l, transfers.list.state)
                    all=td_string!(l, transfers.list.all_states)>
                    {STATES.into_iter().map(|v| view! {
                        <option value=v selected=state.as_deref() == Some(v)>{state_label(v, l)}</option>
                    }).collect_view()}
                </FilterSelect>
                <label for="unit-mutasi">{td_string!(l, transfers.list.to_unit)}</label>
                <UnitPicker id="unit-mutasi" name="unit" value=unit_text no_hint=true
                    placeholder=td_string!(l, transfers.list.all_units)/>
                {unit_error.map(|e| view! { <p class="field-error" role="alert" id="unit-mutasi-salah">{e}</p> })}
            }.into_any()
            button=td_string!(l, transfers.list.show) total found
            table_class="table" none=td_string!(l, transfers.list.none)
            headers=headers![l, transfers.list: employee, from_to, sk, tmt, state, actions]
            empty pager=view! { <KeysetPager newest newer older id="halaman-mutasi"/> }.into_any()>
            {rows.into_iter().map(|row| view! {
                <TransferLine row query=lq.clone() approve cancel/>
            }).collect_view()}
        </AdminList>
    }
}

#[component]
fn TransferLine(
    row: TransferRow,
    query: ListQuery,
    approve: ServerAction<ApproveTransfer>,
    cancel: ServerAction<CancelTransfer>,
) -> impl IntoView {
    let id = row.id;
    let reason_id = format!("alasan-batal-{id}"); // i18n-ok: an element id

    // Without JavaScript a refused cancellation comes back open, with what was typed.
    let refused_here = echo_in::<CancelTransfer>("id", "id", &id.to_string()).is_some();
    let reason = echo_in::<CancelTransfer>("reason", "id", &id.to_string());
    let state = row.state.clone();
    let open = state == "draft" || state == "approved";
    let can_cancel = state != "cancelled";
    let has_plan = open || state == "completed";
    let l = use_locale();
    let preview_label = if state == "completed" {
        td_string!(l, transfers.line.view_plan)
    } else {
        td_string!(l, transfers.line.preview)
    };
    view! {
        <tr class=tone_class(&row.tone) data-transfer-id=id.to_string() data-state=state.clone()>
            <td>
                <a href=format!("/pegawai/{}", row.employee_id)>{row.name.clone()}</a>
                <div class="muted">{td_string!(l, transfers.line.nip, nip = row.nip.clone())}</div>
            </td>
            <td>
                <div>{format!("{} — {}", row.from_position, row.from_unit)}</div>
                <div title=row.to_unit_path.clone()>{format!("→ {} — {}", row.to_position, row.to_unit)}</div>
                <div class="muted">{row.transfer_type.clone()}</div>
            </td>
            <td>
                <div class="sk">{row.sk_number.clone()}</div>
                <div class="muted">{row.sk_date.clone()}</div>
            </td>
            <td>{row.tmt.clone()}</td>
            <td>
                <span class="badge">{row.state_label.clone()}</span>
                {row.cancel_reason.clone().map(|r| view! { <div class="muted">{td_string!(l, transfers.line.reason, reason = r)}</div> })}
            </td>
            <td class="actions">
                {has_plan.then(|| view! {
                    <a href=query.href(query.older_than, None, Some(id)) class="pratinjau">{preview_label}</a>
                })}
                {(state == "draft").then(|| view! {
                    <ActionForm action=approve attr:class="inline">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <button type="submit" class="secondary setujui">{td_string!(l, transfers.line.approve)}</button>
                    </ActionForm>
                })}
                {can_cancel.then(|| view! {
                    <details class="report" open=refused_here>
                        <summary>{td_string!(l, transfers.line.cancel)}</summary>
                        <ActionForm action=cancel attr:class="stack">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <label for=reason_id.clone()>{td_string!(l, transfers.line.cancel_reason)}</label>
                            <input id=reason_id.clone() name="reason" required maxlength="1000" value=reason/>
                            <button type="submit" class="secondary batalkan">
                                {td_string!(l, transfers.line.cancel_submit)}
                            </button>
                        </ActionForm>
                    </details>
                })}
                {refused_here.then(|| view! {
                    <FieldError action=cancel field="reason" when=move |i: &CancelTransfer| i.id == id/>
                })}
            </td>
        </tr>
    }
}

#[component]
fn Preview(
    result: Result<PlanPreview, crate::error::AppError>,
    complete: ServerAction<CompleteTransfer>,
) -> impl IntoView {
    let l = use_locale();
    let close = view! { <p><a href="/admin/mutasi" id="tutup-pratinjau">{td_string!(l, transfers.preview.close)}</a></p> };
    let p = match result {
        Ok(p) => p,
        Err(e) => {
            return view! {
                <section class="card" id="pratinjau-rencana">
                    <h2>{td_string!(l, transfers.preview.heading)}</h2>
                    <ErrorBox error=e/>
                    {close}
                </section>
            }
            .into_any()
        }
    };
    let PlanPreview {
        transfer: t,
        stored,
        can_complete,
        items,
    } = p;
    let id = t.id;
    let heading = if stored {
        td_string!(l, transfers.preview.stored_heading)
    } else {
        td_string!(l, transfers.preview.heading)
    };
    let empty = items.is_empty();
    view! {
        <section class="card" id="pratinjau-rencana" data-transfer-id=id.to_string() data-stored=stored.to_string()>
            <h2>{heading}</h2>
            <p>
                <strong>{t.name.clone()}</strong> " " <span class="muted">{td_string!(l, transfers.line.nip, nip = t.nip.clone())}</span>
            </p>
            <p id="pratinjau-tujuan">
                {td_string!(
                    l,
                    transfers.preview.target,
                    position = t.to_position.clone(),
                    unit = t.to_unit.clone(),
                    tmt = t.tmt.clone(),
                    sk = t.sk_number.clone()
                )}
                " " <span class=tone_class(&t.tone)><span class="badge">{t.state_label.clone()}</span></span>
            </p>
            {if stored {
                view! {
                    <p class="notice ok" id="rencana-tersimpan">
                        {td_string!(l, transfers.preview.stored)}
                    </p>
                }.into_any()
            } else if t.state == "draft" || t.state == "approved" {
                view! {
                    <p class="muted">
                        {td_string!(l, transfers.preview.not_saved)}
                    </p>
                }.into_any()
            } else {
                view! { <p class="muted">{td_string!(l, transfers.preview.cancelled)}</p> }.into_any()
            }}
            {if empty {
                view! { <p class="empty">{td_string!(l, transfers.preview.no_items)}</p> }.into_any()
            } else {
                view! {
                    <ul class="assignments" id="rencana-item">
                        {items.into_iter().map(|i| view! { <PlanItemLine item=i/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_complete.then(|| view! {
                <ActionForm action=complete attr:id="form-selesaikan" attr:class="inline">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" id="selesaikan-mutasi">{td_string!(l, transfers.preview.complete)}</button>
                </ActionForm>
                <p class="muted">
                    {td_string!(l, transfers.preview.complete_note)}
                </p>
            })}
            {close}
        </section>
    }
    .into_any()
}

/// The options of a form's position choice, `selected` (an id as sent) chosen.
fn position_options(positions: Vec<Choice>, selected: Option<String>) -> impl IntoView {
    positions
        .into_iter()
        .map(|p| {
            let id = p.id.to_string();
            let chosen = selected.as_deref() == Some(id.as_str());
            view! { <option value=id selected=chosen>{p.label}</option> }
        })
        .collect_view()
}

/// The options of a form's transfer type choice, `selected` (stored) chosen.
fn type_options(selected: Option<String>) -> impl IntoView {
    let l = use_locale();
    TRANSFER_TYPES
        .into_iter()
        .map(|v| {
            let chosen = selected.as_deref() == Some(v);
            view! { <option value=v selected=chosen>{transfer_type_label(v, l)}</option> }
        })
        .collect_view()
}

/// What the fields of a draft's form hold (`None`: left empty).
struct DraftValues {
    unit: String,
    position: Option<String>,
    sk_number: Option<String>,
    sk_date: String,
    tmt: Option<String>,
    kind: Option<String>,
    notes: Option<String>,
}

/// The fields of a draft, but the person: for recording one (`new`: a
/// position still to choose, hints and the longer labels) or editing one.
/// Their ids start with `prefix`.
#[component]
fn DraftFields<A: FormFn>(
    action: ServerAction<A>,
    prefix: &'static str,
    new: bool,
    positions: Vec<Choice>,
    values: DraftValues,
) -> impl IntoView {
    let l = use_locale();
    let id = move |name: &str| format!("{prefix}-{name}"); // i18n-ok: an element id
    let DraftValues {
        unit,
        position,
        sk_number,
        sk_date,
        tmt,
        kind,
        notes,
    } = values;
    let (tmt_label, notes_label) = if new {
        (
            td_string!(l, transfers.form.tmt_long),
            td_string!(l, transfers.form.notes_optional),
        )
    } else {
        (
            td_string!(l, transfers.form.tmt),
            td_string!(l, transfers.form.notes),
        )
    };
    view! {
        <FormField action id=id("unit") label=td_string!(l, transfers.form.to_unit) field="to_unit">
            <UnitPicker id=id("unit") name="to_unit" value=unit required=true/>
        </FormField>
        <FieldError action field="to_unit_id" when=|_: &A| true/>
        <FormField action id=id("jabatan") label=td_string!(l, transfers.form.to_position) field="to_position_id">
            <select id=id("jabatan") name="to_position_id" required>
                {new.then(|| view! { <option value="">{td_string!(l, transfers.form.choose_position)}</option> })}
                {position_options(positions, position)}
            </select>
        </FormField>
        <FormField action id=id("sk") label=td_string!(l, transfers.form.sk_number) field="sk_number">
            <input id=id("sk") name="sk_number" required maxlength="100" value=sk_number
                placeholder=new.then(|| td_string!(l, transfers.form.sk_placeholder))/>
        </FormField>
        <FormField action id=id("tanggal-sk") label=td_string!(l, transfers.form.sk_date) field="sk_date">
            <input id=id("tanggal-sk") name="sk_date" type="date" required value=sk_date/>
        </FormField>
        <FormField action id=id("tmt") label=tmt_label field="tmt">
            <input id=id("tmt") name="tmt" type="date" required value=tmt/>
        </FormField>
        <FormField action id=id("jenis") label=td_string!(l, transfers.form.transfer_type) field="transfer_type">
            <select id=id("jenis") name="transfer_type">
                {type_options(kind)}
            </select>
        </FormField>
        <FormField action id=id("catatan") label=notes_label field="notes">
            <textarea id=id("catatan") name="notes" rows="2" maxlength="2000">{notes}</textarea>
        </FormField>
    }
}

#[component]
fn NewTransferForm(
    create: ServerAction<CreateTransfer>,
    positions: Vec<Choice>,
    today: String,
) -> impl IntoView {
    let l = use_locale();
    // Without JavaScript a refused form comes back with what was typed.
    let typed = |name: &str| echo::<CreateTransfer>(name);
    let values = DraftValues {
        unit: typed("to_unit").unwrap_or_default(),
        position: typed("to_position_id"),
        sk_number: typed("sk_number"),
        sk_date: typed("sk_date").unwrap_or(today),
        tmt: typed("tmt"),
        kind: typed("transfer_type"),
        notes: typed("notes"),
    };
    view! {
        <section class="card" id="mutasi-baru">
            <h2>{td_string!(l, transfers.form.new_heading)}</h2>
            <p class="muted">{td_string!(l, transfers.form.new_note)}</p>
            <ActionForm action=create attr:id="form-mutasi-baru" attr:class="stack">
                <FormField action=create id="mutasi-nip".into() label=td_string!(l, transfers.form.nip) field="nip">
                    <input id="mutasi-nip" name="nip" required inputmode="numeric" value={typed("nip")}
                        placeholder=td_string!(l, transfers.form.nip_placeholder)/>
                </FormField>
                <DraftFields action=create prefix="mutasi" new=true positions values/>
                <button type="submit">{td_string!(l, transfers.form.save_draft)}</button>
            </ActionForm>
        </section>
    }
}

/// Editing a draft: everything but the person (for another person, record a new draft).
#[component]
fn EditDraftForm(
    transfer: TransferRow,
    update: ServerAction<UpdateTransfer>,
    positions: Vec<Choice>,
) -> impl IntoView {
    let t = transfer;
    let l = use_locale();
    // Without JavaScript a refused form comes back with what was typed (if
    // it was this draft's); else the stored values.
    let typed = |name: &str, stored: String| {
        Some(echo_in::<UpdateTransfer>(name, "id", &t.id.to_string()).unwrap_or(stored))
    };
    let values = DraftValues {
        unit: typed("to_unit", t.to_unit_path.clone()).unwrap_or_default(),
        position: typed("to_position_id", t.to_position_id.to_string()),
        sk_number: typed("sk_number", t.sk_number.clone()),
        sk_date: typed("sk_date", t.sk_date_iso.clone()).unwrap_or_default(),
        tmt: typed("tmt", t.tmt_iso.clone()),
        kind: typed("transfer_type", t.transfer_type_stored.clone()),
        notes: typed("notes", t.notes.clone()),
    };
    view! {
        <section class="card" id="ubah-draf">
            <h2>{td_string!(l, transfers.form.edit_heading, name = t.name.clone(), nip = t.nip.clone())}</h2>
            <ActionForm action=update attr:id="form-ubah-draf" attr:class="stack">
                <input type="hidden" name="id" value=t.id.to_string()/>
                <DraftFields action=update prefix="ubah" new=false positions values/>
                <button type="submit">{td_string!(l, transfers.form.save_changes)}</button>
            </ActionForm>
        </section>
    }
}
