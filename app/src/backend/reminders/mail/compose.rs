//! Writing one email: subject, plain text, HTML and the link, in the
//! recipient's language. Pure: no database, no clock, no I/O. The words come
//! from the `mail` translation namespace (`locales/{id,en}/mail.json`), dates
//! from [`long_date_in`]; the caller passes local (Asia/Jakarta) dates and the
//! day counts it computed for "today".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::dates::long_date_in;
use crate::domain::reminders::ReminderKind;
use crate::domain::text::escape_html;
use crate::i18n::{td_string, Locale};

/// A translation as an owned `String` (with or without values).
macro_rules! t {
    ($($x:tt)*) => {
        td_string!($($x)*).to_string()
    };
}

/// A kind of the common shape ([`Body::notice`]), its words all under
/// `mail.<key>`: fills `body` and is the subject. The bracketed lists name
/// the values (local variables of the same name) of the subject, the body
/// and, where it has any, the action.
macro_rules! notice {
    ($body:ident, $l:ident, $key:ident, [$($s:ident),*], [$($b:ident),*] $(, [$($a:ident),*])?) => {{
        $body.notice(
            t!($l, mail.$key.body, $($b = &$b),*),
            t!($l, mail.$key.hint),
            t!($l, mail.$key.action $($(, $a = &$a)*)?),
        );
        t!($l, mail.$key.subject, $($s = &$s),*)
    }};
}

/// Everything the text of a message needs, filled from the database by the
/// delivery worker. Which fields a kind reads is its
/// [`Facts`](crate::domain::reminders::Facts) (see
/// [`KINDS`](crate::domain::reminders::KINDS)); every kind reads
/// `recipient_name`. Unused fields may stay at their default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailFacts {
    /// Who the message is addressed to (the employee, the supervisor or the manager).
    pub recipient_name: String,
    /// The employee a supervisor's message is about (escalation, check-in):
    /// the link goes to `/pegawai/<employee_id>`.
    pub employee_id: i64,
    /// That employee's name.
    pub employee_name: String,
    /// The course's code (may be empty).
    pub course_code: String,
    /// The course's title.
    pub course_title: String,
    /// The date the message is about: the due date (due soon, overdue,
    /// escalation, check-in), the expiry date (recertification), the day of
    /// the digest (weekly digest). A local date.
    pub date: Option<NaiveDate>,
    /// Days from today to `date`: positive before it (days left), 0 on it,
    /// negative after it (so an overdue assignment has `days = -late`).
    pub days: i64,
    /// The plan's title (new plan).
    pub plan_title: String,
    /// The plan's courses (new plan), in the order to show them.
    pub courses: Vec<CourseLine>,
    /// One row per newcomer (weekly digest).
    pub digest: Vec<DigestRow>,
    /// The secret of a set-password link (password link): the link goes to
    /// `/atur-sandi/<password_token>`. Minted by the delivery worker just
    /// before sending; never stored but hashed.
    pub password_token: String,
}

/// One course of a new plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseLine {
    pub code: String,
    pub title: String,
    pub due: Option<NaiveDate>,
}

/// One newcomer in a manager's weekly digest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestRow {
    pub employee_id: i64,
    pub name: String,
    /// The TMT (start in the new position).
    pub tmt: NaiveDate,
    /// Assignments completed (or waived) out of all assignments of the plan.
    pub done: u32,
    pub total: u32,
    /// Open assignments past their due date.
    pub overdue: u32,
    /// Check-ins due (not yet written, due date reached or near).
    pub checkins_due: u32,
}

/// A written message, ready for the transport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Composed {
    pub subject: String,
    /// The plain-text part; reads well on its own.
    pub text: String,
    /// The HTML part (a complete document, escaped).
    pub html: String,
    /// The page the message points to, absolute (under `public_url`).
    pub link: String,
}

/// The page a message of this kind points to (a path, without the host):
/// the kind's [`Link`](crate::domain::reminders::Link).
pub fn link_path(kind: ReminderKind, facts: &MailFacts) -> String {
    kind.spec()
        .link
        .path(facts.employee_id, &facts.password_token)
}

/// Writes the message of `kind` in language `lang` (its words are chosen
/// here, one arm per kind; what the kind means otherwise is in
/// [`KINDS`](crate::domain::reminders::KINDS)); links go under
/// `public_url` (e.g. `https://jejak.example.go.id`, a trailing `/` is fine).
pub fn compose(kind: ReminderKind, facts: &MailFacts, lang: Locale, public_url: &str) -> Composed {
    let l = lang;
    let link = format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        link_path(kind, facts)
    );
    let course = course_name(&facts.course_code, &facts.course_title, l);
    let date = facts.date.map(|d| long_date_in(d, l)).unwrap_or_default();
    let when = when(facts.days, l);
    let late = late(-facts.days, l);
    let employee = facts.employee_name.as_str();

    let mut body = Body::default();
    let subject = match kind {
        ReminderKind::NewPlan => {
            let plan = facts.plan_title.as_str();
            body.paragraphs.push(t!(
                l,
                mail.new_plan.intro,
                plan = plan,
                n = facts.courses.len()
            ));
            if !facts.courses.is_empty() {
                body.list_title = t!(l, mail.new_plan.list);
                body.list = facts
                    .courses
                    .iter()
                    .map(|c| {
                        let course = course_name(&c.code, &c.title, l);
                        match c.due {
                            Some(d) => t!(
                                l,
                                mail.new_plan.item,
                                course = course,
                                date = long_date_in(d, l)
                            ),
                            None => course,
                        }
                    })
                    .collect();
            }
            body.action = t!(l, mail.new_plan.action);
            t!(l, mail.new_plan.subject, plan = plan)
        }
        ReminderKind::DueSoon => notice!(body, l, due_soon, [course, when], [course, date, when]),
        ReminderKind::Overdue => notice!(body, l, overdue, [course, date], [course, date, late]),
        ReminderKind::Escalation => notice!(
            body,
            l,
            escalation,
            [employee, course],
            [employee, course, date, late],
            [employee]
        ),
        ReminderKind::CheckInDue => {
            notice!(
                body,
                l,
                checkin_due,
                [employee, when],
                [employee, date, when]
            )
        }
        ReminderKind::RecertDue => {
            notice!(body, l, recert_due, [course, date], [course, date, when])
        }
        ReminderKind::WeeklyDigest => {
            let rows = &facts.digest;
            if rows.is_empty() {
                body.paragraphs.push(t!(l, mail.digest.empty));
            } else {
                if !date.is_empty() {
                    body.paragraphs.push(t!(l, mail.digest.intro, date = &date));
                }
                let mut table = Table {
                    head: vec![
                        t!(l, mail.digest.col_employee),
                        t!(l, mail.digest.col_tmt),
                        t!(l, mail.digest.col_progress),
                        t!(l, mail.digest.col_overdue),
                        t!(l, mail.digest.col_checkins),
                    ],
                    ..Table::default()
                };
                for r in rows {
                    let percent = if r.total == 0 {
                        100
                    } else {
                        (u64::from(r.done.min(r.total)) * 100 / u64::from(r.total)) as u32
                    };
                    let progress = t!(
                        l,
                        mail.digest.progress,
                        done = r.done,
                        total = r.total,
                        percent = percent
                    );
                    let tmt = long_date_in(r.tmt, l);
                    table.lines.push(t!(
                        l,
                        mail.digest.row,
                        employee = &r.name,
                        tmt = &tmt,
                        progress = &progress,
                        overdue = r.overdue,
                        checkins = r.checkins_due
                    ));
                    table.rows.push(vec![
                        r.name.clone(),
                        tmt,
                        progress,
                        r.overdue.to_string(),
                        r.checkins_due.to_string(),
                    ]);
                }
                body.table = Some(table);
                let overdue: u32 = rows.iter().map(|r| r.overdue).sum();
                let checkins: u32 = rows.iter().map(|r| r.checkins_due).sum();
                body.after.push(t!(
                    l,
                    mail.digest.totals,
                    overdue = overdue,
                    checkins = checkins
                ));
            }
            body.action = t!(l, mail.digest.action);
            t!(l, mail.digest.subject, n = rows.len())
        }
        ReminderKind::PasswordLink => {
            body.paragraphs.push(t!(l, mail.password_link.intro));
            if !date.is_empty() {
                body.paragraphs
                    .push(t!(l, mail.password_link.valid, date = &date));
            }
            body.paragraphs.push(t!(l, mail.password_link.hint));
            body.action = t!(l, mail.password_link.action);
            t!(l, mail.password_link.subject)
        }
        ReminderKind::FailedSignIns => {
            body.paragraphs
                .push(t!(l, mail.failed_sign_ins.body, date = &date));
            body.paragraphs.push(t!(l, mail.failed_sign_ins.if_you));
            body.paragraphs.push(t!(l, mail.failed_sign_ins.if_not));
            body.action = t!(l, mail.failed_sign_ins.action);
            t!(l, mail.failed_sign_ins.subject)
        }
    };

    let greeting = t!(l, mail.greeting, name = facts.recipient_name.trim());
    let sign_off = t!(l, mail.sign_off);
    let footer = t!(l, mail.footer);
    let text = body.text(&greeting, &link, &sign_off, &footer);
    let html = body.html(
        crate::lang::code(l),
        &subject,
        &greeting,
        &link,
        &sign_off,
        &footer,
    );
    Composed {
        subject: one_line(&subject),
        text,
        html,
        link,
    }
}

/// "Dasar Keuangan (BKP-01)", or the title alone without a code.
fn course_name(code: &str, title: &str, l: Locale) -> String {
    let (code, title) = (code.trim(), title.trim());
    match (code.is_empty(), title.is_empty()) {
        (true, _) => title.to_string(),
        (false, true) => code.to_string(),
        (false, false) => t!(l, mail.course, title = title, code = code),
    }
}

/// "7 hari lagi", "besok", "hari ini", "sudah lewat 3 hari".
fn when(days: i64, l: Locale) -> String {
    match days {
        0 => t!(l, mail.when.today),
        1 => t!(l, mail.when.tomorrow),
        -1 => t!(l, mail.when.yesterday),
        n if n > 1 => t!(l, mail.when.in_days, n = n),
        n => t!(l, mail.when.days_ago, n = -n),
    }
}

/// "1 hari", "8 hari" (how late; at least one day).
fn late(days_late: i64, l: Locale) -> String {
    if days_late <= 1 {
        t!(l, mail.late.single)
    } else {
        t!(l, mail.late.many, n = days_late)
    }
}

/// Header values must be one line; names never carry line breaks into them.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The body of a message, before it is rendered as text and as HTML.
#[derive(Default)]
struct Body {
    paragraphs: Vec<String>,
    list_title: String,
    list: Vec<String>,
    table: Option<Table>,
    /// Paragraphs after the list or table.
    after: Vec<String>,
    /// The link's label.
    action: String,
}

#[derive(Default)]
struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Each row as one sentence, for the plain-text part.
    lines: Vec<String>,
}

impl Body {
    /// The common shape: what it is about, a hint what to do, the link's label.
    fn notice(&mut self, about: String, hint: String, action: String) {
        self.paragraphs.push(about);
        self.paragraphs.push(hint);
        self.action = action;
    }

    fn text(&self, greeting: &str, link: &str, sign_off: &str, footer: &str) -> String {
        let mut t = String::new();
        t.push_str(greeting);
        t.push_str("\n\n");
        for p in &self.paragraphs {
            t.push_str(p);
            t.push_str("\n\n");
        }
        if !self.list.is_empty() {
            if !self.list_title.is_empty() {
                t.push_str(&self.list_title);
                t.push('\n');
            }
            for item in &self.list {
                t.push_str("- ");
                t.push_str(item);
                t.push('\n');
            }
            t.push('\n');
        }
        if let Some(table) = &self.table {
            for line in &table.lines {
                t.push_str("- ");
                t.push_str(line);
                t.push('\n');
            }
            t.push('\n');
        }
        for p in &self.after {
            t.push_str(p);
            t.push_str("\n\n");
        }
        t.push_str(&self.action);
        t.push_str(":\n");
        t.push_str(link);
        t.push_str("\n\n");
        t.push_str(sign_off);
        t.push_str("\nJejak\n\n-- \n");
        t.push_str(footer);
        t.push('\n');
        t
    }

    fn html(
        &self,
        lang: &str,
        subject: &str,
        greeting: &str,
        link: &str,
        sign_off: &str,
        footer: &str,
    ) -> String {
        let e = escape_html;
        let mut h = String::new();
        h.push_str("<!DOCTYPE html>\n<html lang=\"");
        h.push_str(lang);
        h.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
        h.push_str(&e(subject));
        h.push_str("</title>\n</head>\n<body style=\"font-family: sans-serif; line-height: 1.5; max-width: 40em;\">\n");
        h.push_str(&format!("<p>{}</p>\n", e(greeting)));
        for p in &self.paragraphs {
            h.push_str(&format!("<p>{}</p>\n", e(p)));
        }
        if !self.list.is_empty() {
            if !self.list_title.is_empty() {
                h.push_str(&format!("<p>{}</p>\n", e(&self.list_title)));
            }
            h.push_str("<ul>\n");
            for item in &self.list {
                h.push_str(&format!("<li>{}</li>\n", e(item)));
            }
            h.push_str("</ul>\n");
        }
        if let Some(table) = &self.table {
            h.push_str("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse: collapse;\">\n<thead><tr>");
            for c in &table.head {
                h.push_str(&format!("<th scope=\"col\" align=\"left\">{}</th>", e(c)));
            }
            h.push_str("</tr></thead>\n<tbody>\n");
            for row in &table.rows {
                h.push_str("<tr>");
                for (i, c) in row.iter().enumerate() {
                    if i == 0 {
                        h.push_str(&format!("<th scope=\"row\" align=\"left\">{}</th>", e(c)));
                    } else {
                        h.push_str(&format!("<td>{}</td>", e(c)));
                    }
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</tbody>\n</table>\n");
        }
        for p in &self.after {
            h.push_str(&format!("<p>{}</p>\n", e(p)));
        }
        h.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>\n",
            e(link),
            e(&self.action)
        ));
        h.push_str(&format!("<p>{}<br>\nJejak</p>\n", e(sign_off)));
        h.push_str(&format!(
            "<hr>\n<p style=\"color: #555; font-size: smaller;\">{}</p>\n</body>\n</html>\n",
            e(footer)
        ));
        h
    }
}
