//! "Akun & peran" (administrators): accounts, their roles with scope, and
//! one-time set-password links. Every form works without JavaScript.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::api::admin::{
    list_accounts, AccountRow, AccountsPage, Choice, CreateAccount, GrantRole, IssuePasswordLink,
    RevokeRole,
};
use crate::components::errors::{ErrorBox, PageError};

#[component]
pub fn AccountsAdminPage() -> impl IntoView {
    let create = ServerAction::<CreateAccount>::new();
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let link = ServerAction::<IssuePasswordLink>::new();
    let data = Resource::new(
        move || {
            (
                create.version().get(),
                grant.version().get(),
                revoke.version().get(),
            )
        },
        |_| list_accounts(),
    );
    view! {
        <Title text="Akun & peran"/>
        <h1>"Akun & peran"</h1>
        {move || link.value().get().map(|r| match r {
            Ok(url) => view! {
                <div class="notice ok" role="status">
                    <p>"Tautan atur kata sandi (sekali pakai, berlaku terbatas). Serahkan kepada pegawai yang bersangkutan:"</p>
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
        <Transition fallback=|| view! { <p class="muted">"Memuat…"</p> }>
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
    let AccountsPage {
        accounts,
        units,
        courses,
    } = page;
    view! {
        <table class="table" id="daftar-akun">
            <thead><tr><th>"Pegawai"</th><th>"Peran"</th><th>"Tindakan"</th></tr></thead>
            <tbody>
                {accounts.into_iter().map(|a| view! {
                    <AccountLine account=a units=units.clone() courses=courses.clone() grant revoke link/>
                }).collect_view()}
            </tbody>
        </table>
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
                <div class="muted">{format!("NIP {}", account.nip)}
                    {(!account.has_password).then_some(" · belum ada kata sandi")}
                </div>
            </td>
            <td>
                <ul class="roles">
                    <li>"pegawai"</li>
                    {account.roles.into_iter().map(|r| view! {
                        <li>
                            {r.role.clone()} {r.scope.map(|s| format!(" — {s}"))}
                            <ActionForm action=revoke attr:class="inline">
                                <input type="hidden" name="role_id" value=r.id.to_string()/>
                                <button type="submit" class="link">"cabut"</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            </td>
            <td class="actions">
                <ActionForm action=grant attr:class="inline-form">
                    <input type="hidden" name="account_id" value=id_grant/>
                    <select name="role" aria-label="Peran">
                        <option value="manager">"manajer (unit)"</option>
                        <option value="trainer">"pelatih (pelatihan)"</option>
                        <option value="admin">"admin"</option>
                    </select>
                    <select name="unit_id" aria-label="Unit">
                        <option value="">"— unit —"</option>
                        {options(units)}
                    </select>
                    <select name="course_id" aria-label="Pelatihan">
                        <option value="">"— pelatihan —"</option>
                        {options(courses)}
                    </select>
                    <button type="submit" class="secondary">"Beri peran"</button>
                </ActionForm>
                <ActionForm action=link attr:class="inline">
                    <input type="hidden" name="account_id" value=id_link/>
                    <button type="submit" class="secondary">"Buat tautan kata sandi"</button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn NewAccount(create: ServerAction<CreateAccount>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Buka akun untuk pegawai"</h2>
            <ActionForm action=create attr:id="form-akun-baru" attr:class="stack">
                <label for="nip-akun">"NIP pegawai"</label>
                <input id="nip-akun" name="nip" required inputmode="numeric" placeholder="18 digit"/>
                <button type="submit">"Buka akun"</button>
            </ActionForm>
        </section>
    }
}
