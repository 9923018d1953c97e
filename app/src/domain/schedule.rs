//! Schedule expressions (issue 6): what an administrator may type for "when
//! do reminders and digests run", understood by the `cron` crate.
//!
//! Two forms are accepted, and the parsed [`CronSchedule`] says which one was
//! understood (the admin page and the log show it):
//!
//! - **crontab, 5 fields**: `minute hour day-of-month month day-of-week`, as
//!   in `crontab(5)`: day of week 0–7 with 0 and 7 = Sunday, 1 = Monday, or
//!   names (`MON-FRI`). Run at second 0.
//! - **with seconds, 6 or 7 fields**: `second minute hour day-of-month month
//!   day-of-week [year]`, the `cron` crate's own syntax, where day of week
//!   counts 1–7 from **Sunday** (as in Quartz). Names avoid the doubt.
//! - The shorthands `@daily`, `@weekly`, `@monthly`, `@yearly`, `@hourly`.
//!
//! The `cron` crate numbers weekdays from Sunday = 1, so a crontab line is
//! translated before it is handed over: its day-of-week field is expanded to
//! day names (`1-5` → `MON,TUE,WED,THU,FRI`). Without that, the default
//! digest `0 7 * * 1` would run on Sundays.
//!
//! Refused, with the field and the reason: any other number of fields, a
//! value out of range, and, in a crontab line, both day-of-month and
//! day-of-week restricted (crontab runs when *either* matches, the `cron`
//! crate only when *both* do; rather than run at a surprising time, Jejak
//! asks for one of the two).
//!
//! Pure: no clock. Times are computed in the zone the caller passes
//! (configuration `timezone`, Asia/Jakarta by default). Server-only because
//! the browser never parses schedules.

use std::str::FromStr;

use chrono::{DateTime, TimeZone};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Which syntax an expression was understood in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CronForm {
    /// 5 fields, crontab: minute hour day month weekday (0/7 = Sunday).
    Crontab,
    /// 6 fields: second minute hour day month weekday (1 = Sunday).
    Seconds,
    /// 7 fields: the same with a year.
    SecondsYear,
    /// `@daily`, `@weekly`, …
    Shorthand,
}

impl CronForm {
    pub fn as_str(self) -> &'static str {
        match self {
            CronForm::Crontab => "crontab",
            CronForm::Seconds => "seconds",
            CronForm::SecondsYear => "seconds_year",
            CronForm::Shorthand => "shorthand",
        }
    }
}

/// A schedule expression that parsed, with what it was understood as.
#[derive(Debug, Clone)]
pub struct CronSchedule {
    /// The expression as typed (trimmed, inner spaces collapsed).
    pub expression: String,
    pub form: CronForm,
    /// What was handed to the `cron` crate (a crontab line is translated).
    pub cron_expression: String,
    schedule: cron::Schedule,
}

impl CronSchedule {
    /// The next `n` run times strictly after `after`, in `after`'s zone.
    pub fn next_runs<Z: TimeZone>(&self, after: &DateTime<Z>, n: usize) -> Vec<DateTime<Z>> {
        self.schedule.after(after).take(n).collect()
    }

    /// The first run time strictly after `after`; `None` if the schedule
    /// never fires again (a 7-field expression with a past year).
    pub fn next_after<Z: TimeZone>(&self, after: &DateTime<Z>) -> Option<DateTime<Z>> {
        self.schedule.after(after).next()
    }
}

/// One field: its Indonesian and English names and the allowed values.
struct FieldInfo {
    id: &'static str,
    en: &'static str,
    range: &'static str,
}

const fn field(id: &'static str, en: &'static str, range: &'static str) -> FieldInfo {
    FieldInfo { id, en, range }
}

const SECOND: FieldInfo = field("detik", "second", "0–59");
const MINUTE: FieldInfo = field("menit", "minute", "0–59");
const HOUR: FieldInfo = field("jam", "hour", "0–23");
const DAY: FieldInfo = field("tanggal", "day of month", "1–31");
const MONTH: FieldInfo = field("bulan", "month", "1–12, JAN–DEC");
const WEEKDAY_CRONTAB: FieldInfo = field(
    "hari",
    "day of week",
    "0–7 (0 dan 7 = Minggu / Sunday), SUN–SAT",
);
const WEEKDAY_SECONDS: FieldInfo =
    field("hari", "day of week", "1–7 (1 = Minggu / Sunday), SUN–SAT");
const YEAR: FieldInfo = field("tahun", "year", "1970–2099");

fn refuse(id: String, en: String) -> AppError {
    AppError::invalid("expression", id, en)
}

/// Parses a schedule expression (see the module documentation for what is
/// accepted). The error names the field and the reason, in both languages.
pub fn parse_schedule(raw: &str) -> Result<CronSchedule, AppError> {
    let fields: Vec<&str> = raw.split_whitespace().collect();
    let expression = fields.join(" ");
    if fields.is_empty() {
        return Err(refuse(
            "Jadwal wajib diisi, mis. \"0 7 * * *\" (setiap hari pukul 07.00)".into(),
            "A schedule is required, e.g. \"0 7 * * *\" (every day at 07:00)".into(),
        ));
    }
    if fields.len() == 1 && fields[0].starts_with('@') {
        let schedule = cron::Schedule::from_str(fields[0]).map_err(|_| {
            refuse(
                format!(
                    "Singkatan jadwal tidak dikenal: {:?} (yang dikenal: @hourly, @daily, @weekly, @monthly, @yearly)",
                    fields[0]
                ),
                format!(
                    "Unknown schedule shorthand: {:?} (known: @hourly, @daily, @weekly, @monthly, @yearly)",
                    fields[0]
                ),
            )
        })?;
        return Ok(CronSchedule {
            cron_expression: expression.clone(),
            expression,
            form: CronForm::Shorthand,
            schedule,
        });
    }
    let (form, cron_fields, infos): (CronForm, Vec<String>, Vec<&FieldInfo>) = match fields.len()
    {
        5 => {
            let (dom, dow) = (fields[2], fields[4]);
            if is_any(dom) == Some(false) && is_any(dow) == Some(false) {
                return Err(refuse(
                    format!(
                        "Isi tanggal ({dom}) atau hari ({dow}), jangan keduanya: crontab menjalankan jadwal bila salah satu cocok, penjadwal Jejak hanya bila keduanya cocok. Ganti salah satunya dengan *"
                    ),
                    format!(
                        "Restrict the day of month ({dom}) or the day of week ({dow}), not both: crontab runs when either matches, Jejak's scheduler only when both do. Replace one of them with *"
                    ),
                ));
            }
            let dow = crontab_weekdays(dow)?;
            (
                CronForm::Crontab,
                vec![
                    "0".to_string(),
                    fields[0].into(),
                    fields[1].into(),
                    fields[2].into(),
                    fields[3].into(),
                    dow,
                ],
                vec![&MINUTE, &HOUR, &DAY, &MONTH, &WEEKDAY_CRONTAB],
            )
        }
        6 | 7 => (
            if fields.len() == 6 {
                CronForm::Seconds
            } else {
                CronForm::SecondsYear
            },
            fields.iter().map(|f| f.to_string()).collect(),
            [
                &SECOND,
                &MINUTE,
                &HOUR,
                &DAY,
                &MONTH,
                &WEEKDAY_SECONDS,
                &YEAR,
            ][..fields.len()]
                .to_vec(),
        ),
        n => {
            return Err(refuse(
                format!(
                    "Jadwal harus 5 kolom (menit jam tanggal bulan hari, mis. \"0 7 * * *\") atau 6/7 kolom dengan detik (detik menit jam tanggal bulan hari [tahun], mis. \"0 0 7 * * *\"); yang diisi {n} kolom"
                ),
                format!(
                    "A schedule has 5 fields (minute hour day month weekday, e.g. \"0 7 * * *\") or 6/7 fields with seconds (second minute hour day month weekday [year], e.g. \"0 0 7 * * *\"); this one has {n}"
                ),
            ))
        }
    };
    let cron_expression = cron_fields.join(" ");
    match cron::Schedule::from_str(&cron_expression) {
        Ok(schedule) => Ok(CronSchedule {
            expression,
            form,
            cron_expression,
            schedule,
        }),
        Err(_) => {
            // Find the first field that fails on its own, to name it.
            let offset = usize::from(form == CronForm::Crontab);
            for (i, info) in infos.iter().enumerate() {
                let typed = fields[i];
                let mut probe: Vec<String> = ["0", "0", "0", "*", "*", "*"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                let pos = i + offset;
                if pos < 6 {
                    probe[pos] = cron_fields[pos].clone();
                } else {
                    probe.push(cron_fields[pos].clone());
                }
                // The crate's own message is English, spans several lines
                // and misstates some ranges; the field and its range say it.
                if cron::Schedule::from_str(&probe.join(" ")).is_err() {
                    return Err(refuse(
                        format!(
                            "Kolom ke-{} ({}) tidak sah: {:?}; yang boleh: {}",
                            i + 1,
                            info.id,
                            typed,
                            info.range
                        ),
                        format!(
                            "Field {} ({}) is not valid: {:?}; allowed: {}",
                            i + 1,
                            info.en,
                            typed,
                            info.range
                        ),
                    ));
                }
            }
            Err(refuse(
                format!("Jadwal tidak sah: {expression:?}; periksa kombinasi kolomnya"),
                format!("Not a valid schedule: {expression:?}; check how its fields combine"),
            ))
        }
    }
}

/// `Some(true)` for a field that matches everything (`*` or `?`), `Some(false)` otherwise.
fn is_any(field: &str) -> Option<bool> {
    Some(matches!(field, "*" | "?"))
}

const DAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// A crontab day-of-week field as day names for the `cron` crate: items
/// separated by commas, each `*`, a day, or a range, optionally `/step`;
/// days 0–7 (0 and 7 = Sunday) or names.
fn crontab_weekdays(field: &str) -> Result<String, AppError> {
    if matches!(field, "*" | "?") {
        return Ok(field.to_string());
    }
    let bad = |why_id: &str, why_en: &str| {
        refuse(
            format!(
                "Kolom ke-5 ({}) tidak sah: {:?}; yang boleh: {} ({why_id})",
                WEEKDAY_CRONTAB.id, field, WEEKDAY_CRONTAB.range
            ),
            format!(
                "Field 5 ({}) is not valid: {:?}; allowed: {} ({why_en})",
                WEEKDAY_CRONTAB.en, field, WEEKDAY_CRONTAB.range
            ),
        )
    };
    let day = |s: &str| -> Option<u32> {
        if let Ok(n) = s.parse::<u32>() {
            return (n <= 7).then_some(n);
        }
        DAY_NAMES
            .iter()
            .position(|d| d.eq_ignore_ascii_case(s))
            .map(|p| p as u32)
    };
    let mut days = [false; 7];
    for item in field.split(',') {
        let (base, step) = match item.split_once('/') {
            Some((b, s)) => match s.parse::<u32>() {
                Ok(s) if (1..=7).contains(&s) => (b, s),
                _ => return Err(bad("langkah harus 1–7", "the step must be 1–7")),
            },
            None => (item, 1),
        };
        let (from, to) = if base == "*" {
            (0, 6)
        } else if let Some((a, b)) = base.split_once('-') {
            match (day(a), day(b)) {
                (Some(a), Some(b)) if a <= b => (a, b),
                (Some(_), Some(_)) => {
                    return Err(bad(
                        "rentang harus dari hari awal ke hari akhir",
                        "a range goes from the first day to the last",
                    ))
                }
                _ => return Err(bad("hari tidak dikenal", "unknown day")),
            }
        } else {
            match day(base) {
                // `5/2` in crontab means "from 5 to the end, every 2".
                Some(a) => (a, if step > 1 { 6 } else { a }),
                None => return Err(bad("hari tidak dikenal", "unknown day")),
            }
        };
        let mut d = from;
        while d <= to {
            days[(d % 7) as usize] = true;
            d += step;
        }
    }
    Ok(DAY_NAMES
        .iter()
        .zip(days)
        .filter(|(_, on)| *on)
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike, Weekday};
    use chrono_tz::Asia::Jakarta;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<chrono_tz::Tz> {
        Jakarta.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    /// The refusal of an invalid expression, in Indonesian and English.
    fn refusal(raw: &str) -> (String, String) {
        match parse_schedule(raw).unwrap_err() {
            AppError::Invalid { message, field } => {
                assert_eq!(field.as_deref(), Some("expression"));
                (message.id, message.en)
            }
            other => panic!("not Invalid: {other:?}"),
        }
    }

    #[test]
    fn the_default_daily_schedule_runs_at_seven_every_day_in_jakarta() {
        let s = parse_schedule("0 7 * * *").unwrap();
        assert_eq!(s.form, CronForm::Crontab);
        let runs = s.next_runs(&at(2026, 11, 29, 8, 0), 5);
        let got: Vec<(u32, u32, u32)> = runs
            .iter()
            .map(|r| (r.day(), r.hour(), r.minute()))
            .collect();
        assert_eq!(
            got,
            [(30, 7, 0), (1, 7, 0), (2, 7, 0), (3, 7, 0), (4, 7, 0)]
        );
        // 07:00 WIB is 00:00 UTC.
        assert_eq!(runs[0].naive_utc().hour(), 0);
    }

    #[test]
    fn crontab_monday_is_monday_not_sunday() {
        let s = parse_schedule("0 7 * * 1").unwrap();
        assert_eq!(s.cron_expression, "0 0 7 * * MON");
        for r in s.next_runs(&at(2026, 11, 29, 8, 0), 5) {
            assert_eq!(r.weekday(), Weekday::Mon, "{r}");
            assert_eq!((r.hour(), r.minute()), (7, 0));
        }
        // 0 and 7 are both Sunday; ranges, lists, steps and names.
        assert_eq!(crontab_weekdays("0").unwrap(), "SUN");
        assert_eq!(crontab_weekdays("7").unwrap(), "SUN");
        assert_eq!(crontab_weekdays("1-5").unwrap(), "MON,TUE,WED,THU,FRI");
        assert_eq!(crontab_weekdays("5-7").unwrap(), "SUN,FRI,SAT");
        assert_eq!(crontab_weekdays("*/2").unwrap(), "SUN,TUE,THU,SAT");
        assert_eq!(crontab_weekdays("mon,wed").unwrap(), "MON,WED");
        assert_eq!(crontab_weekdays("1/3").unwrap(), "MON,THU");
    }

    #[test]
    fn six_and_seven_fields_are_understood_with_seconds() {
        let s = parse_schedule("30 0 7 * * MON-FRI").unwrap();
        assert_eq!(s.form, CronForm::Seconds);
        let r = s.next_after(&at(2026, 11, 28, 12, 0)).unwrap(); // a Saturday
        assert_eq!(
            (r.weekday(), r.hour(), r.minute(), r.second()),
            (Weekday::Mon, 7, 0, 30)
        );
        let s = parse_schedule("0 0 7 1 1 * 2027").unwrap();
        assert_eq!(s.form, CronForm::SecondsYear);
        assert_eq!(s.next_runs(&at(2026, 11, 29, 0, 0), 5).len(), 1);
        let s = parse_schedule("  @daily ").unwrap();
        assert_eq!(
            (s.form, s.expression.as_str()),
            (CronForm::Shorthand, "@daily")
        );
    }

    #[test]
    fn wrong_field_counts_are_refused_with_the_count() {
        for (raw, n) in [("0 7 * *", 4), ("1 2 3 4 5 6 7 8", 8), ("7", 1)] {
            let (id, en) = refusal(raw);
            assert!(id.contains(&format!("yang diisi {n} kolom")), "{id}");
            assert!(en.contains(&format!("this one has {n}")), "{en}");
        }
        for (raw, said) in [("   ", "wajib diisi"), ("@sometimes", "@sometimes")] {
            let (id, _) = refusal(raw);
            assert!(id.contains(said), "{id}");
        }
    }

    #[test]
    fn a_bad_field_is_named_with_its_range() {
        let (id, en) = refusal("0 25 * * *");
        assert!(
            id.starts_with("Kolom ke-2 (jam) tidak sah: \"25\"; yang boleh: 0–23"),
            "{id}"
        );
        assert!(
            en.starts_with("Field 2 (hour) is not valid: \"25\""),
            "{en}"
        );
        for (raw, start) in [
            ("61 7 * * *", "Kolom ke-1 (menit)"),
            ("0 7 * 13 *", "Kolom ke-4 (bulan)"),
            ("0 7 * * 8", "Kolom ke-5 (hari)"),
            ("0 0 7 * * 9", "Kolom ke-6 (hari)"),
            ("x 0 7 * * *", "Kolom ke-1 (detik)"),
        ] {
            let (id, _) = refusal(raw);
            assert!(id.starts_with(start), "{raw}: {id}");
        }
        let (id, _) = refusal("0 7 * * 5-1");
        assert!(id.contains("rentang"), "{id}");
    }

    #[test]
    fn crontab_with_both_day_fields_is_refused_rather_than_misread() {
        let (id, en) = refusal("0 7 1 * 1");
        assert!(id.contains("jangan keduanya"), "{id}");
        assert!(en.contains("not both"), "{en}");
        // One of them restricted is fine.
        parse_schedule("0 7 1 * *").unwrap();
        parse_schedule("0 7 * * 1").unwrap();
    }
}
