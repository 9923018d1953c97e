//! The pieces the administrators' list pages are built from: reading the
//! address (`?q=…&hal=…&ubah=…`) and the outcome a plain form post left in
//! it, links that keep a list's search and filters ([`ListHref`]), the
//! searchable, paged list itself ([`AdminList`]: filter form, "found N"
//! line, table or "none", pager), the table alone ([`ListTable`]), the card
//! around an add or edit form ([`FormCard`]), a filter form's choice
//! ([`FilterSelect`]), a table's headers ([`TableHead`]), a labelled field with its
//! refusal ([`FormField`]), a form's refusal that names no field
//! ([`FormError`]) and a page's data once loaded ([`Loaded`]).
//!
//! May use: the other `crate::components`, `crate::domain`, `crate::error`,
//! `crate::i18n` and `crate::lang` (nothing of any one concern).

use leptos::server_fn::{
    client::Client,
    codec::{Json, PostUrl},
    request::ClientReq,
    Http, ServerFn,
};
use leptos::{attr::custom::custom_attribute, form::ActionForm, oco::Oco, prelude::*};
use leptos_router::params::ParamsMap;
use serde::de::DeserializeOwned;

use crate::components::errors::{ErrorBox, FieldError, PageError};
use crate::domain::links::href;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang::use_locale;

/// Declares `$name` as another name for the bounds that follow: a trait
/// with them as supertraits, held by every type that meets them.
macro_rules! trait_alias {
    ($(#[$doc:meta])* $name:ident = $($bounds:tt)+) => {
        $(#[$doc])*
        pub trait $name: $($bounds)+ {}
        impl<A> $name for A where A: $($bounds)+ {}
    };
}

trait_alias! {
    /// A server function a form of these pages posts to (what `ActionForm`
    /// asks of it, and this crate's error).
    FormFn = DeserializeOwned
        + ServerFn<
            Error = AppError,
            Protocol = Http<PostUrl, Json>,
            Output: Clone + Send + Sync + 'static,
            Client: Client<
                AppError,
                Request: ClientReq<AppError, FormData: From<leptos::web_sys::FormData>>,
            >,
        > + Clone
        + Send
        + Sync
        + 'static
}

// ---------------------------------------------------------------- the address

/// A query parameter, trimmed; empty is none.
pub fn param(query: &ParamsMap, key: &str) -> Option<String> {
    query
        .get(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A query parameter holding a record id (`ubah=12`); anything else is none.
pub fn param_id(query: &ParamsMap, key: &str) -> Option<i64> {
    param(query, key).and_then(|v| v.parse::<i64>().ok())
}

/// The page asked for (`hal`), 1 at the least.
pub fn param_page(query: &ParamsMap) -> Option<u64> {
    param(query, "hal")
        .and_then(|v| v.parse::<u64>().ok())
        .map(|p| p.max(1))
}

/// What the server reported in the address after a form posted without
/// JavaScript (`baru`, `disimpan` …); nothing when the address also carries
/// a refusal (a later form on the same page was refused).
pub fn outcome(query: &ParamsMap, key: &str) -> Option<String> {
    if query.get("__err").is_some() {
        return None;
    }
    param(query, key)
}

/// A list's address: its path and the parameters it keeps (search,
/// filters), in order; empty values are left out. Pages and the row being
/// edited go last, as `hal` (left out for the first page) and `ubah`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListHref {
    pub path: &'static str,
    pub keep: Vec<(&'static str, String)>,
}

impl ListHref {
    pub fn new(path: &'static str) -> Self {
        ListHref {
            path,
            keep: Vec::new(),
        }
    }

    /// Keeps `key=value` (none or empty: left out).
    pub fn with(mut self, key: &'static str, value: Option<impl ToString>) -> Self {
        self.keep
            .push((key, value.map(|v| v.to_string()).unwrap_or_default()));
        self
    }

    /// The list at page `page`.
    pub fn page(&self, page: u64) -> String {
        self.edit(page, None)
    }

    /// The list at page `page` with the form editing `edit`, if any.
    pub fn edit(&self, page: u64, edit: Option<i64>) -> String {
        let mut params = self.keep.clone();
        params.push(("hal", page_value(page)));
        params.push(("ubah", edit.map(|id| id.to_string()).unwrap_or_default()));
        href(self.path, &params)
    }
}

/// The `hal` value of page `page`: empty for the first.
pub fn page_value(page: u64) -> String {
    if page > 1 {
        page.to_string()
    } else {
        String::new()
    }
}

// ---------------------------------------------------------------- actions

/// A refusal that belongs to no field (a conflict, a record gone), shown at
/// the form it answers.
#[component]
pub fn FormError<A: FormFn>(action: ServerAction<A>) -> impl IntoView {
    move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.field().is_none())
            .map(|e| view! { <ErrorBox error=e/> })
    }
}

// ---------------------------------------------------------------- lists

/// `prefix-name`: an element id.
fn element_id(prefix: &str, name: &str) -> String {
    format!("{prefix}-{name}")
}

/// What `data` holds once loaded, shown by `show`, or the page's error
/// (see [`PageError`]); "loading" meanwhile.
#[component]
pub fn Loaded<T, V>(
    data: Resource<Result<T, AppError>>,
    show: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let l = use_locale();
    view! {
        <Transition fallback=move || view! { <p class="muted">{td_string!(l, common.loading)}</p> }>
            {move || {
                let show = show.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(v) => show(v).into_any(),
                        Err(e) => view! { <PageError error=e/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// A list's rows as a table under its column headers, or, without rows,
/// the line that says so; both carry the list's `id`.
#[component]
pub fn ListTable(
    id: String,
    /// The table's classes ("table org-table").
    class: &'static str,
    /// What the empty list says.
    none: &'static str,
    headers: Vec<Oco<'static, str>>,
    /// No rows: `none` instead of the table.
    empty: bool,
    /// The table inside `<div class="table-wrap">` (it may scroll sideways).
    #[prop(optional)]
    wrap: bool,
    /// The rows (`<tr>`s).
    children: Children,
) -> impl IntoView {
    if empty {
        return view! { <p class="empty" id=id>{none}</p> }.into_any();
    }
    let table = view! {
        <table class=class id=id>
            <TableHead headers/>
            <tbody>{children()}</tbody>
        </table>
    };
    if wrap {
        view! { <div class="table-wrap">{table}</div> }.into_any()
    } else {
        table.into_any()
    }
}

/// The column headers of a table ([`ListTable`], [`TableHead`]) from the
/// translation keys under one prefix: `headers![l, catalogue.courses: code,
/// jp, (td_string!(l, catalogue.status))]` is the headers `code` and `jp`
/// under `catalogue.courses`, then a header given whole (in parentheses).
macro_rules! headers {
    ($l:ident, $($prefix:ident).+ : $($column:tt),+ $(,)?) => {
        $crate::components::admin_list::headers!(@all $l, [$($prefix).+], $($column),+)
    };
    (@all $l:ident, $prefix:tt, $($column:tt),+) => {
        vec![$($crate::components::admin_list::headers!(@one $l, $prefix, $column)),+]
    };
    (@one $l:ident, $prefix:tt, ($whole:expr)) => {
        ::leptos::oco::Oco::<'static, str>::from($whole)
    };
    (@one $l:ident, [$($prefix:tt)+], $key:ident) => {
        ::leptos::oco::Oco::<'static, str>::from($crate::i18n::td_string!($l, $($prefix)+ . $key))
    };
}
pub(crate) use headers;

/// A table's column headers (`<thead>`).
#[component]
pub fn TableHead(headers: Vec<Oco<'static, str>>) -> impl IntoView {
    view! {
        <thead>
            <tr>{headers.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr>
        </thead>
    }
}

/// A labelled choice, as of a filter form: the label, the `<select>` and in
/// it, first, the option that narrows nothing (`all`, when given), then the
/// choices (`children`).
#[component]
pub fn FilterSelect(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] all: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <select id=id name=name>
            {all.map(|all| view! { <option value="">{all}</option> })}
            {children()}
        </select>
    }
}

/// The search field of a filter form (`name="q"`).
#[component]
pub fn SearchField(
    id: String,
    label: &'static str,
    value: String,
    placeholder: &'static str,
) -> impl IntoView {
    view! {
        <label for=id.clone()>{label}</label>
        <input id=id name="q" type="search" value=value placeholder=placeholder/>
    }
}

/// A searchable, paged list in its card: the heading, the filter form
/// (`saring-{name}`), the number found (`jumlah-{name}`), the table or the
/// line saying there is nothing (`daftar-{name}`) and the pager.
#[component]
pub fn AdminList(
    /// The list's part of its element ids ("unit" → "saring-unit" …).
    name: &'static str,
    /// The card's id; `name` by default.
    #[prop(optional)]
    section_id: Option<&'static str>,
    title: &'static str,
    /// What stands between the heading and the filter form.
    #[prop(optional)]
    top: Option<AnyView>,
    /// Where the filter form goes (the page's path).
    action: &'static str,
    /// Hidden fields of the filter form, first.
    #[prop(optional)]
    hidden: Vec<(&'static str, &'static str)>,
    /// The filter form's fields (a [`SearchField`], selects).
    filters: AnyView,
    /// The filter form's button.
    button: &'static str,
    /// Rows matching, and the line that says so.
    total: u64,
    found: String,
    /// The table: see [`ListTable`].
    table_class: &'static str,
    none: &'static str,
    headers: Vec<Oco<'static, str>>,
    empty: bool,
    /// The pager under the list.
    pager: AnyView,
    /// The rows (`<tr>`s).
    children: Children,
) -> impl IntoView {
    view! {
        <section class="card" id=section_id.unwrap_or(name)>
            <h2>{title}</h2>
            {top}
            <form method="get" action=action class="filter" role="search" id=element_id("saring", name)>
                {hidden.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
                {filters}
                <button type="submit" class="secondary">{button}</button>
            </form>
            <p class="muted" id=element_id("jumlah", name) data-total=total.to_string()>{found}</p>
            <ListTable id=element_id("daftar", name) class=table_class none headers empty>
                {children()}
            </ListTable>
            {pager}
        </section>
    }
}

// ---------------------------------------------------------------- forms

/// An add or edit form in its card: the heading, the form (`form_id`,
/// class "stack") with, when editing, the record's id as a hidden `id`
/// field, the fields, the refusal that names no field (when `refusal`)
/// and the button; under it, a link that closes the form (when editing).
#[component]
pub fn FormCard<A: FormFn>(
    action: ServerAction<A>,
    /// The card's id, if any.
    #[prop(optional, into)]
    id: Option<String>,
    /// A `data-*` attribute of the card (the record edited).
    #[prop(optional)]
    data: Option<(&'static str, String)>,
    title: String,
    #[prop(into)] form_id: String,
    /// The record edited: sent along as `id`.
    #[prop(optional)]
    edit: Option<i64>,
    /// Show the refusal that names no field inside the form.
    #[prop(optional)]
    refusal: bool,
    submit: &'static str,
    /// The button's id, if any.
    #[prop(optional)]
    submit_id: Option<&'static str>,
    /// The link under the form that closes it: its address, id and text.
    #[prop(optional)]
    close: Option<(String, String, &'static str)>,
    /// The fields.
    children: Children,
) -> impl IntoView {
    let (data_key, data_value) = data.unwrap_or(("data-form", String::new()));
    let data_value = (!data_value.is_empty()).then_some(data_value);
    view! {
        <section class="card" id=id>
            <h2>{title}</h2>
            <ActionForm action=action attr:id=form_id attr:class="stack">
                {edit.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
                {children()}
                {refusal.then(|| view! { <FormError action/> })}
                <button type="submit" id=submit_id>{submit}</button>
            </ActionForm>
            {close.map(|(href, id, text)| view! { <p><a href=href id=id>{text}</a></p> })}
        </section>
    }
    .add_any_attr(custom_attribute(data_key, data_value))
}

/// A form field: its label, the field (`children`) and the refusal that
/// names it (`field`, the name the server gives it).
#[component]
pub fn FormField<A: FormFn>(
    action: ServerAction<A>,
    /// The field's id (the label's `for`).
    id: String,
    label: &'static str,
    field: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        {children()}
        <FieldError action field when=|_: &A| true/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_addresses_keep_the_filters_then_the_page_and_the_edited_row() {
        let a = ListHref::new("/admin/organisasi")
            .with("bagian", Some("pegawai"))
            .with("q", Some("Siti Rahmah"))
            .with("jenis", None::<String>)
            .with("unit", Some(4));
        assert_eq!(
            a.page(1),
            "/admin/organisasi?bagian=pegawai&q=Siti%20Rahmah&unit=4"
        );
        assert_eq!(
            a.edit(3, Some(9)),
            "/admin/organisasi?bagian=pegawai&q=Siti%20Rahmah&unit=4&hal=3&ubah=9"
        );
        assert_eq!(ListHref::new("/admin/akun").page(1), "/admin/akun");
    }
}
