//! "Akun & peran" (administrators): accounts (searched by name or NIP, 50 a
//! page), their roles with scope, one-time set-password links (emailed to
//! the person; shown here only when they have no email address), and
//! deactivating an account with a reason, or reactivating it. Inactive
//! accounts are marked "Nonaktif" with the reason and the day. Every form
//! works without JavaScript.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::{
    list_accounts, CreateAccount, DeactivateAccount, GrantRole, IssuePasswordLink,
    ReactivateAccount, RevokeRole,
};
use crate::components::admin_list::{headers, FormCard, ListHref, ListTable, Loaded};
use crate::components::errors::ErrorBox;
use crate::components::form_echo::{echo, server_action};
use crate::components::pager::Pager;
use crate::domain::dates::long_date_in;
use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;
use crate::model::accounts::{AccountRow, AccountsPage, Choice, DeactivationReason};

const PATH: &str = "/admin/akun";

/// A stored role code in words.
fn role_name(l: Locale, role: &str) -> String {
    match role {
        "admin" => td_string!(l, common.roles.admin).to_string(),
        "manager" => td_string!(l, common.roles.manager).to_string(),
        "trainer" => td_string!(l, common.roles.trainer).to_string(),
        other => other.to_string(),
    }
}

/// Why an account was deactivated, in words (a stored reason).
fn reason_text(l: Locale, stored: &str) -> String {
    match DeactivationReason::from_stored(stored) {
        DeactivationReason::Retired => td_string!(l, accounts.reason_retired).to_string(),
        DeactivationReason::Left => td_string!(l, accounts.reason_left).to_string(),
        DeactivationReason::MovedOut => td_string!(l, accounts.reason_moved_out).to_string(),
        DeactivationReason::Other(t) => t,
    }
}

/// The actions of an account's row: its roles, its password link, its state.
#[derive(Clone, Copy)]
struct RowActions {
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
    link: ServerAction<IssuePasswordLink>,
    deactivate: ServerAction<DeactivateAccount>,
    reactivate: ServerAction<ReactivateAccount>,
}

#[component]
pub fn AccountsAdminPage() -> impl IntoView {
    let create = server_action::<CreateAccount>();
    let row = RowActions {
        grant: server_action::<GrantRole>(),
        revoke: server_action::<RevokeRole>(),
        link: server_action::<IssuePasswordLink>(),
        deactivate: server_action::<DeactivateAccount>(),
        reactivate: server_action::<ReactivateAccount>(),
    };
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.get();
            (
                q.get("q").unwrap_or_default(),
                q.get("hal")
                    .and_then(|p| p.parse::<u64>().ok())
                    .unwrap_or(1),
            )
        },
        |(q, page)| list_accounts(Some(q), Some(page)),
    );
    let l = use_locale();
    view! {
        <Title text=td_string!(l, accounts.title)/>
        <h1>{td_string!(l, accounts.title)}</h1>
        {move || row.link.value().get().map(|r| match r {
            Ok(issued) => match (issued.emailed_to, issued.link) {
                (Some(to), _) => view! {
                    <p class="notice ok" role="status" id="tautan-terkirim">
                        {td_string!(l, accounts.link_emailed, email = to).to_string()}
                    </p>
                }.into_any(),
                (None, url) => view! {
                    <div class="notice ok" role="status">
                        <p>{td_string!(l, accounts.link_ready)}</p>
                        <p><code id="tautan-sandi">{url.unwrap_or_default()}</code></p>
                    </div>
                }.into_any(),
            },
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
        {move || [
            create.value().get(),
            row.grant.value().get().map(|r| r.map(|_| 0)),
            row.revoke.value().get().map(|r| r.map(|_| 0)),
            row.deactivate.value().get().map(|r| r.map(|_| 0)),
            row.reactivate.value().get().map(|r| r.map(|_| 0)),
        ]
            .into_iter()
            .flatten()
            .filter_map(Result::err)
            .map(|e| view! { <ErrorBox error=e/> })
            .collect_view()}
        <Loaded data show=move |page: AccountsPage| view! { <Accounts page row/> <NewAccount create/> }/>
    }
}

#[component]
fn Accounts(page: AccountsPage, row: RowActions) -> impl IntoView {
    let l = use_locale();
    let AccountsPage {
        accounts,
        units,
        courses,
        total,
        page,
        pages,
        q,
    } = page;
    let addr = ListHref::new(PATH).with("q", Some(&q));
    view! {
        <form method="get" action=PATH class="filter" role="search">
            <label for="cari-akun">{td_string!(l, accounts.search)}</label>
            <input id="cari-akun" name="q" type="search" value=q
                placeholder=td_string!(l, accounts.search_placeholder)/>
            <button type="submit" class="secondary">{td_string!(l, common.actions.search)}</button>
            <span class="muted" id="jumlah-akun">{td_string!(l, accounts.found, n = total).to_string()}</span>
        </form>
        <ListTable id="daftar-akun".into() class="table accounts-table" wrap=true
            none=td_string!(l, accounts.none) empty=accounts.is_empty()
            headers=headers![l, accounts: col_employee, col_roles, col_actions]>
            {accounts.into_iter().map(|a| view! {
                <AccountLine account=a units=units.clone() courses=courses.clone() row/>
            }).collect_view()}
        </ListTable>
        <Pager page pages id="halaman-akun" href=move |n| addr.page(n)/>
    }
}

#[component]
fn AccountLine(
    account: AccountRow,
    units: Vec<Choice>,
    courses: Vec<Choice>,
    row: RowActions,
) -> impl IntoView {
    let l = use_locale();
    let id = account.account_id.to_string();
    let (id_grant, id_link, id_state) = (id.clone(), id.clone(), id.clone());
    let active = account.active;
    let has_email = account.has_email;
    let inactive_note = (!active).then(|| {
        let date = account
            .deactivated_on
            .map(|d| long_date_in(d, l))
            .unwrap_or_default();
        let reason = account
            .deactivated_reason
            .as_deref()
            .map(|r| reason_text(l, r))
            .unwrap_or_default();
        view! {
            <div class="inactive">
                <span class="badge">{td_string!(l, accounts.inactive)}</span>
                " "
                <span class="muted">{td_string!(l, accounts.inactive_since, date = date, reason = reason).to_string()}</span>
            </div>
        }
    });
    let options = |list: Vec<Choice>| {
        list.into_iter()
            .map(|c| view! { <option value=c.id.to_string()>{c.label}</option> })
            .collect_view()
    };
    view! {
        <tr data-account-id=id data-active=active.to_string() class=(!active).then_some("tone-closed")>
            <td>
                <a href=format!("/pegawai/{}", account.employee_id)>{account.name.clone()}</a>
                <div class="muted">{td_string!(l, accounts.nip, nip = account.nip.clone()).to_string()}
                    {(!account.has_password).then(|| td_string!(l, accounts.no_password))}
                </div>
                {inactive_note}
            </td>
            <td>
                <ul class="roles">
                    <li>{td_string!(l, accounts.role_employee)}</li>
                    {account.roles.into_iter().map(|r| view! {
                        <li data-role=r.role.clone()>
                            {role_name(l, &r.role)} {r.scope.map(|s| format!(" — {s}"))}
                            <ActionForm action=row.revoke attr:class="inline">
                                <input type="hidden" name="role_id" value=r.id.to_string()/>
                                <button type="submit" class="link">{td_string!(l, accounts.revoke)}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            </td>
            <td class="actions">
                <ActionForm action=row.grant attr:class="inline-form">
                    <input type="hidden" name="account_id" value=id_grant/>
                    <select name="role" aria-label=td_string!(l, accounts.role)>
                        <option value="manager">{td_string!(l, accounts.role_manager)}</option>
                        <option value="trainer">{td_string!(l, accounts.role_trainer)}</option>
                        <option value="admin">{td_string!(l, accounts.role_admin)}</option>
                    </select>
                    <select name="unit_id" aria-label=td_string!(l, accounts.unit)>
                        <option value="">{td_string!(l, accounts.pick_unit)}</option>
                        {options(units)}
                    </select>
                    <select name="course_id" aria-label=td_string!(l, accounts.course)>
                        <option value="">{td_string!(l, accounts.pick_course)}</option>
                        {options(courses)}
                    </select>
                    <button type="submit" class="secondary">{td_string!(l, accounts.grant)}</button>
                </ActionForm>
                {if active {
                    view! {
                        <ActionForm action=row.link attr:class="inline">
                            <input type="hidden" name="account_id" value=id_link/>
                            <button type="submit" class="secondary">
                                {if has_email {
                                    td_string!(l, accounts.make_link_email)
                                } else {
                                    td_string!(l, accounts.make_link)
                                }}
                            </button>
                        </ActionForm>
                        <ActionForm action=row.deactivate attr:class="inline-form form-nonaktif">
                            <input type="hidden" name="account_id" value=id_state/>
                            <select name="reason" required aria-label=td_string!(l, accounts.reason)>
                                <option value="">{td_string!(l, accounts.reason_pick)}</option>
                                <option value="retired">{td_string!(l, accounts.reason_retired)}</option>
                                <option value="left">{td_string!(l, accounts.reason_left)}</option>
                                <option value="moved_out">{td_string!(l, accounts.reason_moved_out)}</option>
                                <option value="other">{td_string!(l, accounts.reason_other)}</option>
                            </select>
                            <input name="reason_other" maxlength="200"
                                aria-label=td_string!(l, accounts.reason_other_text)
                                placeholder=td_string!(l, accounts.reason_other_text)/>
                            <button type="submit" class="secondary">{td_string!(l, accounts.deactivate)}</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! {
                        <ActionForm action=row.reactivate attr:class="inline form-aktifkan">
                            <input type="hidden" name="account_id" value=id_state/>
                            <button type="submit" class="secondary">{td_string!(l, accounts.reactivate)}</button>
                        </ActionForm>
                    }.into_any()
                }}
            </td>
        </tr>
    }
}

#[component]
fn NewAccount(create: ServerAction<CreateAccount>) -> impl IntoView {
    let l = use_locale();
    view! {
        <FormCard action=create title=td_string!(l, accounts.open_title).to_string() form_id="form-akun-baru"
            submit=td_string!(l, accounts.open_submit)>
            <label for="nip-akun">{td_string!(l, accounts.open_nip)}</label>
            <input id="nip-akun" name="nip" required inputmode="numeric" value={echo::<CreateAccount>("nip")} placeholder=td_string!(l, accounts.open_nip_placeholder)/>
        </FormCard>
    }
}
