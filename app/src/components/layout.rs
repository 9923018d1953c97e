//! The frame of every page: header, main area, footer.

use leptos::prelude::*;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Effects run only in the browser, so this flips once the page is hydrated:
    // tests (and curious people) can tell SSR-only from interactive.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <div class="page" data-hydrated=move || if hydrated.get() { "true" } else { "false" }>
            <header class="site-header">
                <a class="brand" href="/">"Jejak"</a>
                <span class="tagline">"Pelatihan dan adaptasi pegawai setelah mutasi"</span>
            </header>
            <main id="isi">{children()}</main>
            <footer class="site-footer">
                <span>"Jejak — Pemerintah Kota Medan · Kecamatan Medan Belawan"</span>
            </footer>
        </div>
    }
}
