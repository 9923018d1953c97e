//! The frame of every page: header with what the signed-in person's roles
//! allow (and nothing else), main area, footer.

use leptos::prelude::*;

use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;
use crate::model::auth::Me;

/// The signed-in person, read on the server from the request (the page is
/// rendered there only; outside an island nothing of it runs in the
/// browser, where this is always None).
pub fn use_me() -> Option<Me> {
    #[cfg(feature = "ssr")]
    {
        crate::backend::access::principal().as_ref().map(Me::from)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let l = use_locale();
    let nav = match use_me() {
        Some(me) => view! { <Nav me/> }.into_any(),
        None => view! {
            <nav class="site-nav" aria-label=td_string!(l, common.nav.label)>
                <a href="/masuk">{td_string!(l, common.nav.sign_in)}</a>
                <LanguageSwitch/>
            </nav>
        }
        .into_any(),
    };
    // `data-hydrated` turns "true" once the client has started (see
    // `client.js`): tests (and curious people) can tell SSR-only from interactive.
    view! {
        <div class="page" data-hydrated="false">
            <header class="site-header">
                <a class="brand" href="/">"Jejak"</a> // i18n-ok: the name
                <span class="tagline">{td_string!(l, common.brand_tagline)}</span>
                {nav}
            </header>
            <main id="isi">{children()}</main>
            <footer class="site-footer">
                <span>{td_string!(l, common.footer)}</span>
            </footer>
        </div>
    }
}

/// One button that offers the other language. A plain form post, with or
/// without JavaScript: the server remembers the choice and sends the browser
/// back to the same page, now rendered in that language.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let l = use_locale();
    let other = match l {
        Locale::id => Locale::en,
        Locale::en => Locale::id,
    };
    view! {
        <form method="post" action="/fn/set_language" class="inline lang-switch">
            <input type="hidden" name="lang" value=crate::lang::code(other)/>
            <button type="submit" class="link" id="ganti-bahasa" lang=crate::lang::code(other)
                aria-label=td_string!(l, common.language.switch_label)>
                {td_string!(l, common.language.switch_to)}
            </button>
        </form>
    }
}

/// Links by role: everyone has their own page and password; administrators
/// also accounts. Sign-out is a plain form post (works without JavaScript).
#[component]
fn Nav(me: Me) -> impl IntoView {
    let l = use_locale();
    let mine = format!("/pegawai/{}", me.employee_id);
    // Machine-readable role names for tests and styling; the words are translated.
    let codes: Vec<&str> = [
        me.admin.then_some("Admin"),
        me.manager.then_some("Manajer"),
        me.trainer.then_some("Pelatih"),
        Some("Pegawai"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let roles: Vec<&str> = [
        me.admin.then(|| td_string!(l, common.roles.admin)),
        me.manager.then(|| td_string!(l, common.roles.manager)),
        me.trainer.then(|| td_string!(l, common.roles.trainer)),
        Some(td_string!(l, common.roles.employee)),
    ]
    .into_iter()
    .flatten()
    .collect();
    view! {
        <nav class="site-nav" aria-label=td_string!(l, common.nav.label)>
            <a href="/">{td_string!(l, common.nav.home)}</a>
            <a href="/saya" id="nav-saya">{td_string!(l, common.nav.mine)}</a>
            <a href=mine id="nav-profil">{td_string!(l, common.nav.profile)}</a>
            {(me.manager || me.admin).then(|| view! { <a href="/manajer" id="nav-manajer">{td_string!(l, common.nav.adaptation)}</a> })}
            {(me.trainer || me.admin).then(|| view! { <a href="/pelatih" id="nav-pelatih">{td_string!(l, common.nav.trainer_desk)}</a> })}
            {(me.manager || me.admin).then(|| view! { <a href="/ekspor" id="nav-ekspor">{td_string!(l, common.nav.exports)}</a> })}
            {me.admin.then(|| view! { <a href="/admin/mutasi" id="nav-mutasi">{td_string!(l, common.nav.transfers)}</a> })}
            {me.admin.then(|| view! { <a href="/admin/pelatihan" id="nav-pelatihan">{td_string!(l, common.nav.courses)}</a> })}
            {me.admin.then(|| view! { <a href="/admin/aturan" id="nav-aturan">{td_string!(l, common.nav.rules)}</a> })}
            {me.admin.then(|| view! { <a href="/admin/organisasi" id="nav-organisasi">{td_string!(l, common.nav.organisation)}</a> })}
            {me.admin.then(|| view! { <a href="/admin/impor" id="nav-impor">{td_string!(l, common.nav.import)}</a> })}
            {me.admin.then(|| view! { <a href="/admin/akun" id="nav-akun">{td_string!(l, common.nav.accounts)}</a> })}
            {me.admin.then(|| view! { <a href="/admin/pengingat" id="nav-pengingat">{td_string!(l, common.nav.reminders)}</a> })}
            {me.admin.then(|| view! { <a href="/admin/token" id="nav-token">{td_string!(l, common.nav.api_tokens)}</a> })}
            <a href="/sandi">{td_string!(l, common.nav.password)}</a>
            <span class="who" id="nama-pengguna" data-roles=codes.join(",")>
                {me.name.clone()} <span class="muted">{format!(" · {}", roles.join(", "))}</span>
            </span>
            <form method="post" action="/fn/sign_out" class="inline">
                <button type="submit" class="link" id="keluar">{td_string!(l, common.nav.sign_out)}</button>
            </form>
            <LanguageSwitch/>
        </nav>
    }
}
