//! "Token API" (`/admin/token`, administrators): personal access tokens for
//! the JSON API. The list (prefix, scopes, owner, dates, state), a form to
//! create one (name, scopes, optional last day) and a button to revoke.
//!
//! Works without JavaScript: the forms post and the server sends the browser
//! back here; a new secret comes along once in a short-lived cookie (see
//! `api::api_tokens`). With JavaScript the secret appears in place.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::api::api_tokens::{get_api_tokens, CreateApiToken, RevokeApiToken};
use crate::components::admin_list::{headers, ListTable, Loaded};
use crate::components::errors::{ErrorBox, FieldError};
use crate::components::form_echo::{echo, server_action};
use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;
use crate::model::api_tokens::{scope_label, NewToken, TokenRow, TokensPage, SCOPES};

fn state_label(state: &str, l: Locale) -> &'static str {
    match state {
        "revoked" => td_string!(l, api_tokens.state.revoked),
        "expired" => td_string!(l, api_tokens.state.expired),
        _ => td_string!(l, api_tokens.state.active),
    }
}

fn tone_class(state: &str) -> &'static str {
    match state {
        "active" => "tone-done",
        _ => "tone-closed",
    }
}

#[component]
pub fn TokensAdminPage() -> impl IntoView {
    let l = use_locale();
    let create = server_action::<CreateApiToken>();
    let revoke = server_action::<RevokeApiToken>();
    let data = Resource::new(|| (), |_| get_api_tokens());
    view! {
        <Title text=td_string!(l, api_tokens.title)/>
        <h1>{td_string!(l, api_tokens.title)}</h1>
        <p class="lead">{td_string!(l, api_tokens.lead)}</p>
        {move || match create.value().get() {
            Some(Ok(t)) => view! { <Fresh token=t/> }.into_any(),
            Some(Err(e)) if e.field().is_none() => view! { <ErrorBox error=e/> }.into_any(),
            _ => ().into_any(),
        }}
        {move || revoke.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
        <Loaded data show=move |page: TokensPage| view! { <Tokens page create revoke/> }/>
    }
}

/// A secret just created, shown this once.
#[component]
fn Fresh(token: NewToken) -> impl IntoView {
    let l = use_locale();
    view! {
        <div class="notice ok" role="status" id="token-baru" data-token-id=token.id.to_string()>
            <p>{td_string!(l, api_tokens.new.created, name = token.name.clone()).to_string()}</p>
            <p><code id="rahasia-token">{token.secret}</code></p>
            <p class="muted">{td_string!(l, api_tokens.new.usage)}</p>
        </div>
    }
}

#[component]
fn Tokens(
    page: TokensPage,
    create: ServerAction<CreateApiToken>,
    revoke: ServerAction<RevokeApiToken>,
) -> impl IntoView {
    let l = use_locale();
    let TokensPage { tokens, today } = page;
    view! {
        <h2>{td_string!(l, api_tokens.list.heading)}</h2>
        <ListTable id="daftar-token".into() class="table" wrap=true
            none=td_string!(l, api_tokens.list.none) empty=tokens.is_empty()
            headers=headers![l, api_tokens.list: col_name, col_prefix, col_scopes, col_owner,
                col_created, col_expires, col_last_used, col_state, col_actions]>
            {tokens.into_iter().map(|t| view! { <TokenLine t revoke/> }).collect_view()}
        </ListTable>
        <NewTokenForm create today/>
    }
}

#[component]
fn TokenLine(t: TokenRow, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    let l = use_locale();
    let active = t.state == "active";
    let id = t.id.to_string();
    let hidden_id = id.clone();
    let badge = format!("badge {}", tone_class(&t.state)); // i18n-ok: CSS classes
    view! {
        <tr data-token-id=id data-state=t.state.clone()>
            <td>{t.name.clone()}</td>
            <td><code class="token-prefix">{format!("{}…", t.prefix)}</code></td>
            <td>
                <ul class="roles">
                    {t.scopes.iter().map(|s| view! {
                        <li title=scope_label(s, l).unwrap_or_default()><code>{s.clone()}</code></li>
                    }).collect_view()}
                </ul>
            </td>
            <td>{t.owner.clone()}</td>
            <td>{t.created.clone()}</td>
            <td>{t.expires.clone().unwrap_or_else(|| td_string!(l, api_tokens.list.never_expires).to_string())}</td>
            <td>{t.last_used.clone().unwrap_or_else(|| td_string!(l, api_tokens.list.never_used).to_string())}</td>
            <td>
                <span class=badge>{state_label(&t.state, l)}</span>
                {t.revoked.clone().map(|day| view! {
                    <div class="muted">{td_string!(l, api_tokens.list.revoked_on, day = day).to_string()}</div>
                })}
            </td>
            <td class="actions">
                {active.then(|| view! {
                    <ActionForm action=revoke attr:class="inline">
                        <input type="hidden" name="id" value=hidden_id/>
                        <button type="submit" class="secondary">{td_string!(l, api_tokens.list.revoke)}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}

#[component]
fn NewTokenForm(create: ServerAction<CreateApiToken>, today: String) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card">
            <h2>{td_string!(l, api_tokens.new.heading)}</h2>
            <ActionForm action=create attr:id="form-token-baru" attr:class="stack">
                <label for="nama-token">{td_string!(l, api_tokens.new.name)}</label>
                <input id="nama-token" name="name" required maxlength="100" autocomplete="off"
                    value={echo::<CreateApiToken>("name")}/>
                <FieldError action=create field="name" when=|_| true/>
                <fieldset>
                    <legend>{td_string!(l, api_tokens.new.scopes)}</legend>
                    {SCOPES.iter().enumerate().map(|(i, s)| {
                        let box_id = format!("cakupan-{}", s.replace(':', "-")); // i18n-ok: an element id
                        let label_for = box_id.clone();
                        view! {
                            <label for=label_for class="check">
                                <input type="checkbox" id=box_id name=format!("scopes[{i}]") value=*s/> // i18n-ok
                                " " <code>{*s}</code> " — " {scope_label(s, l).unwrap_or_default()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <FieldError action=create field="scopes" when=|_| true/>
                <label for="berlaku-token">{td_string!(l, api_tokens.new.expires_on)}</label>
                <input id="berlaku-token" name="expires_on" type="date" min=today
                    value={echo::<CreateApiToken>("expires_on")}/>
                <FieldError action=create field="expires_on" when=|_| true/>
                <button type="submit" id="buat-token">{td_string!(l, api_tokens.new.submit)}</button>
            </ActionForm>
        </section>
    }
}
