//! Choosing a unit among tens of thousands: a text field instead of a
//! `<select>` (a province's 10,000 options made the transfer page 1.75 MB).
//! Without JavaScript it is a plain field the server reads as a unit's name
//! or the end of its path ("Kecamatan Medan Belawan / Seksi Umum"),
//! refusing an unknown or ambiguous one with candidates. With JavaScript,
//! typing offers up to 20 matching units with their full paths (a
//! `<datalist>`, so the browser's own keyboard handling and accessibility).

//!
//! An island: the only part of the transfer pages that runs in the browser.

use leptos::prelude::*;

use crate::api::transfers::TransferUnits;
use crate::i18n::{td_string, Locale};
use crate::lang::use_locale;

/// Typed characters before the picker asks the server.
const MIN_CHARS: usize = 2;

/// The unit field, in the page's language.
#[component]
pub fn UnitPicker(
    /// The input's id; the suggestions are `{id}-daftar`, the hint `{id}-petunjuk`.
    #[prop(into)]
    id: String,
    /// The form field the text is sent as.
    name: &'static str,
    /// The text shown at first (a unit's path, or what was typed before).
    value: String,
    #[prop(optional)] required: bool,
    /// The field's placeholder; a worked example by default.
    #[prop(optional)]
    placeholder: Option<&'static str>,
    /// Leave out the line of help under the field (a compact filter bar).
    #[prop(optional)]
    no_hint: bool,
) -> impl IntoView {
    let lang = use_locale();
    view! {
        <UnitField id name=name.to_string() value required placeholder=placeholder.map(str::to_string) no_hint lang/>
    }
}

#[island]
fn UnitField(
    id: String,
    name: String,
    value: String,
    required: bool,
    placeholder: Option<String>,
    no_hint: bool,
    lang: Locale,
) -> impl IntoView {
    let l = lang;
    let list_id = format!("{id}-daftar"); // i18n-ok: an element id
    let hint_id = format!("{id}-petunjuk"); // i18n-ok: an element id
    let search = ServerAction::<TransferUnits>::new();
    let on_input = move |ev| {
        let q = event_target_value(&ev);
        if q.trim().chars().count() >= MIN_CHARS {
            search.dispatch(TransferUnits { q });
        }
    };
    let options = move || {
        search
            .value()
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|u| view! { <option value=u.label/> })
            .collect_view()
    };
    view! {
        <input id=id name=name type="text" value=value list=list_id.clone()
            autocomplete="off" required=required aria-describedby=(!no_hint).then(|| hint_id.clone())
            placeholder=placeholder.unwrap_or_else(|| td_string!(l, common.unit_picker.placeholder).to_string())
            on:input=on_input/>
        <datalist id=list_id>{options}</datalist>
        {(!no_hint).then(|| view! {
            <small class="muted" id=hint_id>{td_string!(l, common.unit_picker.hint)}</small>
        })}
    }
}
