//! Date formatting: Indonesian ("28 November 2026", "Sabtu, 28 November
//! 2026") and, for people who chose English, English ("28 November 2026",
//! "Saturday, 28 November 2026"). Day-month-year in both.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::i18n::Locale;

pub const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
pub const DAYS_ID: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];

pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The month's name in the language ("Agustus" / "August").
pub fn month_name(month0: u32, l: Locale) -> &'static str {
    match l {
        Locale::id => MONTHS_ID[month0 as usize % 12],
        Locale::en => MONTHS_EN[month0 as usize % 12],
    }
}

/// "17 Agustus 2026" / "17 August 2026".
pub fn long_date_in(d: NaiveDate, l: Locale) -> String {
    format!("{} {} {}", d.day(), month_name(d.month0(), l), d.year())
}

/// "Senin, 17 Agustus 2026" / "Monday, 17 August 2026".
pub fn long_date_with_day_in(d: NaiveDate, l: Locale) -> String {
    let i = d.weekday().num_days_from_monday() as usize;
    let day = match l {
        Locale::id => DAYS_ID[i],
        Locale::en => DAYS_EN[i],
    };
    format!("{day}, {}", long_date_in(d, l))
}

/// "17 Agustus 2026 pukul 07.05 WIB" / "17 August 2026 at 07:05 WIB".
pub fn long_date_time_in(local: NaiveDateTime, zone_abbr: &str, l: Locale) -> String {
    match l {
        Locale::id => long_date_time(local, zone_abbr),
        Locale::en => format!(
            "{} at {:02}:{:02} {}",
            long_date_in(local.date(), l),
            local.hour(),
            local.minute(),
            zone_abbr
        ),
    }
}

/// "28 November 2026".
pub fn long_date(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS_ID[d.month0() as usize],
        d.year()
    )
}

/// "Sabtu, 28 November 2026".
pub fn long_date_with_day(d: NaiveDate) -> String {
    format!(
        "{}, {}",
        DAYS_ID[d.weekday().num_days_from_monday() as usize],
        long_date(d)
    )
}

/// "28/11/2026".
pub fn short_date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// "28 November 2026 pukul 07.05 WIB": Indonesian writes times with a dot.
/// `local` is already in the zone named by `zone_abbr`.
pub fn long_date_time(local: NaiveDateTime, zone_abbr: &str) -> String {
    format!(
        "{} pukul {:02}.{:02} {}",
        long_date(local.date()),
        local.hour(),
        local.minute(),
        zone_abbr
    )
}

/// A date from its parts, for the tests: `ymd(2026, 11, 28)` (panics on a
/// day that does not exist).
#[cfg(test)]
pub(crate) fn ymd(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[cfg(test)]
mod tests {
    use super::ymd as d;
    use super::*;

    #[test]
    fn formats_dates_the_indonesian_way() {
        assert_eq!(long_date(d(2026, 11, 28)), "28 November 2026");
        assert_eq!(long_date(d(2026, 1, 1)), "1 Januari 2026");
        assert_eq!(
            long_date_with_day(d(2026, 11, 28)),
            "Sabtu, 28 November 2026"
        );
        assert_eq!(
            long_date_with_day(d(2026, 11, 30)),
            "Senin, 30 November 2026"
        );
        assert_eq!(short_date(d(2026, 3, 5)), "05/03/2026");
        let t = d(2026, 8, 17).and_hms_opt(7, 5, 0).unwrap();
        assert_eq!(long_date_time(t, "WIB"), "17 Agustus 2026 pukul 07.05 WIB");
    }

    #[test]
    fn formats_dates_in_english_when_asked() {
        assert_eq!(long_date_in(d(2026, 8, 17), Locale::en), "17 August 2026");
        assert_eq!(long_date_in(d(2026, 8, 17), Locale::id), "17 Agustus 2026");
        assert_eq!(
            long_date_with_day_in(d(2026, 11, 28), Locale::en),
            "Saturday, 28 November 2026"
        );
        let t = d(2026, 8, 17).and_hms_opt(7, 5, 0).unwrap();
        assert_eq!(
            long_date_time_in(t, "WIB", Locale::en),
            "17 August 2026 at 07:05 WIB"
        );
        assert_eq!(
            long_date_time_in(t, "WIB", Locale::id),
            "17 Agustus 2026 pukul 07.05 WIB"
        );
    }
}

/// A date from a form: ISO `yyyy-mm-dd` (what `<input type="date">` sends),
/// or `dd-mm-yyyy` / `dd/mm/yyyy` as people type them. Errors name the field.
pub fn parse_form_date(field: &str, raw: &str) -> Result<NaiveDate, crate::error::AppError> {
    let raw = raw.trim();
    let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d-%m-%Y"))
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"));
    parsed.map_err(|_| {
        if raw.is_empty() {
            crate::error::AppError::invalid(field, "Tanggal wajib diisi", "The date is required")
        } else {
            crate::error::AppError::invalid(
                field,
                format!("Tanggal tidak valid: {raw:?} (contoh: 28-11-2026)"),
                format!("Invalid date: {raw:?} (example: 2026-11-28)"),
            )
        }
    })
}

#[cfg(test)]
mod form_date_tests {
    use super::*;

    #[test]
    fn form_dates_in_the_usual_shapes_and_impossible_ones_refused() {
        let d = ymd(2026, 11, 28);
        for raw in ["2026-11-28", "28-11-2026", "28/11/2026", " 2026-11-28 "] {
            assert_eq!(parse_form_date("x", raw).unwrap(), d, "{raw}");
        }
        for raw in ["", "2026-02-30", "31/04/2026", "besok"] {
            assert_eq!(
                parse_form_date("x", raw).unwrap_err().field(),
                Some("x"),
                "{raw}"
            );
        }
    }
}
