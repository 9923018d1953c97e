//! One item of a plan as the pages show it (an `<li>` of a
//! `<ul class="assignments">`): in a transfer's plan and in the rule trial
//! of the catalogue page.

use leptos::prelude::*;

use crate::i18n::td_string;
use crate::lang::use_locale;
use crate::model::transfers::PreviewItem;

/// The classes of a plan item: `assignment tone-open`.
fn assignment_class(tone: &str) -> String {
    format!("assignment tone-{tone}") // i18n-ok: CSS classes
}

/// The course and its badge (the assignment's state, else recognised or to
/// assign), when it is due and whether it is required, the names of the
/// rules that asked for it (when there are any), and the recognition note.
#[component]
pub fn PlanItemLine(
    item: PreviewItem,
    /// Whether the `<li>` carries the due date (ISO) as `data-due`.
    #[prop(optional)]
    data_due: bool,
) -> impl IntoView {
    let l = use_locale();
    let data_due = data_due.then(|| item.due_iso.clone());
    let tone = if item.recognised { "done" } else { "open" };
    let badge = item.status.unwrap_or_else(|| {
        if item.recognised {
            td_string!(l, transfers.plan.recognised)
        } else {
            td_string!(l, transfers.plan.to_assign)
        }
        .to_string()
    });
    let required = if item.required {
        td_string!(l, transfers.plan.required)
    } else {
        td_string!(l, transfers.plan.optional)
    };
    let reasons = item.reasons;
    view! {
        <li class=assignment_class(tone) data-course-id=item.course_id.to_string()
            data-recognised=item.recognised.to_string() data-due=data_due>
            <div class="assignment-head">
                <span class="course"><strong>{item.code}</strong> " " {item.title}</span>
                <span class="badge">{badge}</span>
            </div>
            <div class="muted">
                <time datetime=item.due_iso>{td_string!(l, transfers.plan.due, date = item.due)}</time>
                {format!(" · {required}")}
            </div>
            {(!reasons.is_empty()).then(|| view! {
                <div class="muted">{td_string!(l, transfers.plan.reasons, reasons = reasons.join("; "))}</div>
            })}
            {item.recognised.then(|| view! { <p class="next-step">{item.recognised_note}</p> })}
        </li>
    }
}
