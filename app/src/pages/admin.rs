//! "Akun & peran" (administrators): accounts (searched by name or NIP, 50 a
//! page), their roles with scope, and one-time set-password links. Every
//! form works without JavaScript.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::admin::{
    list_accounts, AccountRow, AccountsPage, Choice, CreateAccount, GrantRole, IssuePasswordLink,
    RevokeRole,
};
use crate::components::errors::{ErrorBox, PageError};
use crate::components::form_echo::echo;
use crate::components::pager::{href, Pager};
use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;

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

#[component]
pub fn AccountsAdminPage() -> impl IntoView {
    let create = ServerAction::<CreateAccount>::new();
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let link = ServerAction::<IssuePasswordLink>::new();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.get();
            (
                q.get("q").unwrap_or_default(),
                q.get("hal")
                    .and_then(|p| p.parse::<u64>().ok())
                    .unwrap_or(1),
                create.version().get(),
                grant.version().get(),
                revoke.version().get(),
            )
        },
        |(q, page, ..)| list_accounts(Some(q), Some(page)),
    );
    let l = use_locale();
    view! {
        <Title text=td_string!(l, accounts.title)/>
        <h1>{td_string!(l, accounts.title)}</h1>
        {move || link.value().get().map(|r| match r {
            Ok(url) => view! {
                <div class="notice ok" role="status">
                    <p>{td_string!(l, accounts.link_ready)}</p>
                    <p><code id="tautan-sandi">{url}</code></p>
                </div>
            }.into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })}
        {move || [create.value().get(), grant.value().get().map(|r| r.map(|_| 0)), revoke.value().get().map(|r| r.map(|_| 0))]
            .into_iter()
            .flatten()
            .filter_map(Result::err)
            .map(|e| view! { <ErrorBox error=e/> })
            .collect_view()}
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <Accounts page grant revoke link/> <NewAccount create/> }.into_any(),
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Accounts(
    page: AccountsPage,
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
    link: ServerAction<IssuePasswordLink>,
) -> impl IntoView {
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
    let pager_q = q.clone();
    view! {
        <form method="get" action=PATH class="filter" role="search">
            <label for="cari-akun">{td_string!(l, accounts.search)}</label>
            <input id="cari-akun" name="q" type="search" value=q
                placeholder=td_string!(l, accounts.search_placeholder)/>
            <button type="submit" class="secondary">{td_string!(l, common.actions.search)}</button>
            <span class="muted" id="jumlah-akun">{td_string!(l, accounts.found, n = total).to_string()}</span>
        </form>
        {if accounts.is_empty() {
            view! { <p class="empty" id="daftar-akun">{td_string!(l, accounts.none)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                <table class="table" id="daftar-akun">
                    <thead><tr>
                        <th>{td_string!(l, accounts.col_employee)}</th>
                        <th>{td_string!(l, accounts.col_roles)}</th>
                        <th>{td_string!(l, accounts.col_actions)}</th>
                    </tr></thead>
                    <tbody>
                        {accounts.into_iter().map(|a| view! {
                            <AccountLine account=a units=units.clone() courses=courses.clone() grant revoke link/>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.into_any()
        }}
        <Pager page pages id="halaman-akun"
            href=move |n| href(PATH, &[("q", pager_q.clone()), ("hal", if n > 1 { n.to_string() } else { String::new() })])/>
    }
}

#[component]
fn AccountLine(
    account: AccountRow,
    units: Vec<Choice>,
    courses: Vec<Choice>,
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
    link: ServerAction<IssuePasswordLink>,
) -> impl IntoView {
    let l = use_locale();
    let id = account.account_id.to_string();
    let (id_grant, id_link) = (id.clone(), id.clone());
    let options = |list: Vec<Choice>| {
        list.into_iter()
            .map(|c| view! { <option value=c.id.to_string()>{c.label}</option> })
            .collect_view()
    };
    view! {
        <tr data-account-id=id>
            <td>
                <a href=format!("/pegawai/{}", account.employee_id)>{account.name.clone()}</a>
                <div class="muted">{td_string!(l, accounts.nip, nip = account.nip.clone()).to_string()}
                    {(!account.has_password).then(|| td_string!(l, accounts.no_password))}
                </div>
            </td>
            <td>
                <ul class="roles">
                    <li>{td_string!(l, accounts.role_employee)}</li>
                    {account.roles.into_iter().map(|r| view! {
                        <li data-role=r.role.clone()>
                            {role_name(l, &r.role)} {r.scope.map(|s| format!(" — {s}"))}
                            <ActionForm action=revoke attr:class="inline">
                                <input type="hidden" name="role_id" value=r.id.to_string()/>
                                <button type="submit" class="link">{td_string!(l, accounts.revoke)}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            </td>
            <td class="actions">
                <ActionForm action=grant attr:class="inline-form">
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
                <ActionForm action=link attr:class="inline">
                    <input type="hidden" name="account_id" value=id_link/>
                    <button type="submit" class="secondary">{td_string!(l, accounts.make_link)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn NewAccount(create: ServerAction<CreateAccount>) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card">
            <h2>{td_string!(l, accounts.open_title)}</h2>
            <ActionForm action=create attr:id="form-akun-baru" attr:class="stack">
                <label for="nip-akun">{td_string!(l, accounts.open_nip)}</label>
                <input id="nip-akun" name="nip" required inputmode="numeric" value={echo::<CreateAccount>("nip")} placeholder=td_string!(l, accounts.open_nip_placeholder)/>
                <button type="submit">{td_string!(l, accounts.open_submit)}</button>
            </ActionForm>
        </section>
    }
}
