//! The frame of every page: header with what the signed-in person's roles
//! allow (and nothing else), main area, footer.

use leptos::prelude::*;

use crate::api::auth::{whoami, Me};
use crate::error::AppError;

/// The signed-in person for the whole page, loaded once per page load.
pub type MeResource = Resource<Result<Option<Me>, AppError>>;

pub fn provide_me() -> MeResource {
    let me: MeResource = Resource::new(|| (), |_| whoami());
    provide_context(me);
    me
}

/// The signed-in person, once loaded (None when signed out or still loading).
pub fn use_me() -> Option<Me> {
    use_context::<MeResource>()
        .and_then(|r| r.get())
        .and_then(Result::ok)
        .flatten()
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Effects run only in the browser, so this flips once the page is hydrated:
    // tests (and curious people) can tell SSR-only from interactive.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let me = provide_me();
    view! {
        <div class="page" data-hydrated=move || if hydrated.get() { "true" } else { "false" }>
            <header class="site-header">
                <a class="brand" href="/">"Jejak"</a>
                <span class="tagline">"Pelatihan dan adaptasi pegawai setelah mutasi"</span>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match me.await {
                            Ok(Some(me)) => view! { <Nav me/> }.into_any(),
                            _ => view! {
                                <nav class="site-nav" aria-label="Menu">
                                    <a href="/masuk">"Masuk"</a>
                                </nav>
                            }
                            .into_any(),
                        }
                    })}
                </Suspense>
            </header>
            <main id="isi">{children()}</main>
            <footer class="site-footer">
                <span>"Jejak — Pemerintah Kota Medan · Kecamatan Medan Belawan"</span>
            </footer>
        </div>
    }
}

/// Links by role: everyone has their own page and password; administrators
/// also accounts. Sign-out is a plain form post (works without JavaScript).
#[component]
fn Nav(me: Me) -> impl IntoView {
    let mine = format!("/pegawai/{}", me.employee_id);
    let roles: Vec<&str> = [
        me.admin.then_some("Admin"),
        me.manager.then_some("Manajer"),
        me.trainer.then_some("Pelatih"),
        Some("Pegawai"),
    ]
    .into_iter()
    .flatten()
    .collect();
    view! {
        <nav class="site-nav" aria-label="Menu">
            <a href="/">"Beranda"</a>
            <a href="/saya" id="nav-saya">"Penugasan saya"</a>
            <a href=mine id="nav-profil">"Profil"</a>
            {(me.manager || me.admin).then(|| view! { <a href="/manajer" id="nav-manajer">"Adaptasi"</a> })}
            {(me.trainer || me.admin).then(|| view! { <a href="/pelatih" id="nav-pelatih">"Meja pelatih"</a> })}
            {me.admin.then(|| view! { <a href="/admin/mutasi" id="nav-mutasi">"Mutasi"</a> })}
            {me.admin.then(|| view! { <a href="/admin/pelatihan" id="nav-pelatihan">"Pelatihan"</a> })}
            {me.admin.then(|| view! { <a href="/admin/aturan" id="nav-aturan">"Aturan"</a> })}
            {me.admin.then(|| view! { <a href="/admin/akun" id="nav-akun">"Akun & peran"</a> })}
            <a href="/sandi">"Kata sandi"</a>
            <span class="who" id="nama-pengguna" data-roles=roles.join(",")>
                {me.name.clone()} <span class="muted">{format!(" · {}", roles.join(", "))}</span>
            </span>
            <form method="post" action="/fn/sign_out" class="inline">
                <button type="submit" class="link" id="keluar">"Keluar"</button>
            </form>
        </nav>
    }
}
