//! The one pager under every long list: previous, numbered pages around the
//! current one (with gaps), next. Plain links, so it works without JavaScript
//! and a page can be bookmarked.

use leptos::prelude::*;

use crate::i18n::td_string;
use crate::lang::use_locale;

/// Page numbers to show: the first, the last, and two either side of the
/// current one; `None` is a gap ("…").
pub fn page_numbers(page: u64, pages: u64) -> Vec<Option<u64>> {
    let mut out = Vec::new();
    let mut last = 0;
    for n in 1..=pages {
        if n == 1 || n == pages || n.abs_diff(page) <= 2 {
            if last != 0 && n > last + 1 {
                out.push(None);
            }
            out.push(Some(n));
            last = n;
        }
    }
    out
}

/// `href(n)` is the address of page `n`; `id` names the pager for tests.
#[component]
pub fn Pager(
    page: u64,
    pages: u64,
    href: impl Fn(u64) -> String + 'static,
    #[prop(optional)] id: &'static str,
) -> impl IntoView {
    let l = use_locale();
    let pages = pages.max(1);
    view! {
        <nav class="pager no-print" aria-label=td_string!(l, common.pager.label) id=(!id.is_empty()).then_some(id)>
            {(page > 1).then(|| view! { <a href=href(page - 1) rel="prev">{td_string!(l, common.pager.previous)}</a> })}
            {page_numbers(page, pages).into_iter().map(|n| match n {
                Some(n) if n == page => view! { <span aria-current="page"><strong>{n}</strong></span> }.into_any(),
                Some(n) => view! { <a href=href(n)>{n}</a> }.into_any(),
                None => view! { <span class="muted">"…"</span> }.into_any(),
            }).collect_view()}
            {(page < pages).then(|| view! { <a href=href(page + 1) rel="next">{td_string!(l, common.pager.next)}</a> })}
            <span class="muted">{td_string!(l, common.pager.page_of, page = page, pages = pages)}</span>
        </nav>
    }
}

/// The pager of a keyset-paged list (newest first): links to the newest
/// page, the newer one and the older one, each present when it leads
/// somewhere. No page numbers: knowing them would mean counting every row
/// before the page.
#[component]
pub fn KeysetPager(
    newest: Option<String>,
    newer: Option<String>,
    older: Option<String>,
    #[prop(optional)] id: &'static str,
) -> impl IntoView {
    let l = use_locale();
    view! {
        <nav class="pager no-print" aria-label=td_string!(l, common.pager.label) id=(!id.is_empty()).then_some(id)>
            {newest.map(|h| view! { <a href=h rel="first">{td_string!(l, common.pager.newest)}</a> })}
            {newer.map(|h| view! { <a href=h rel="prev">{td_string!(l, common.pager.newer)}</a> })}
            {older.map(|h| view! { <a href=h rel="next">{td_string!(l, common.pager.older)}</a> })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::page_numbers;
    use crate::domain::links::href;

    #[test]
    fn addresses_leave_out_empty_values_and_encode_the_rest() {
        assert_eq!(href("/admin/akun", &[("q", String::new())]), "/admin/akun");
        assert_eq!(
            href(
                "/admin/akun",
                &[("q", "Siti A&B".into()), ("hal", "2".into())]
            ),
            "/admin/akun?q=Siti%20A%26B&hal=2"
        );
    }

    #[test]
    fn shows_the_ends_and_the_neighbourhood_with_gaps() {
        assert_eq!(page_numbers(1, 1), vec![Some(1)]);
        assert_eq!(page_numbers(1, 4), vec![Some(1), Some(2), Some(3), Some(4)]);
        assert_eq!(
            page_numbers(10, 20),
            vec![
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        assert_eq!(
            page_numbers(2, 9),
            vec![Some(1), Some(2), Some(3), Some(4), None, Some(9)]
        );
    }
}
