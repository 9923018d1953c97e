//! Indonesian date formatting ("28 November 2026", "Sabtu, 28 November 2026").

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

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
        let d = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
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
