//! Single values as spreadsheets write them: dates in three shapes with
//! `01-01-0001` meaning empty (SIASN's "no date"), JP with a decimal comma.

use chrono::NaiveDate;

use crate::error::Message;

/// `dd-mm-yyyy`, `dd/mm/yyyy` (one-digit day and month too) or ISO
/// `yyyy-mm-dd`; `Ok(None)` for an empty cell or `01-01-0001`.
pub fn date(raw: &str) -> Result<Option<NaiveDate>, Message> {
    let raw = raw.trim();
    if raw.is_empty() || matches!(raw, "01-01-0001" | "01/01/0001" | "0001-01-01") {
        return Ok(None);
    }
    let parts: Vec<&str> = raw.split(['-', '/']).collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
    let (d, m, y) = match (parts.as_slice(), numbers) {
        ([a, _, _], Some(n)) if a.len() == 4 => (n[2], n[1], n[0]),
        ([_, _, c], Some(n)) if c.len() == 4 => (n[0], n[1], n[2]),
        _ => {
            return Err(Message::new(
                "Bukan tanggal; tulis dd-mm-yyyy (mis. 28-11-2026)",
                "Not a date; write dd-mm-yyyy (e.g. 28-11-2026)",
            ))
        }
    };
    if !(1900..=2200).contains(&y) {
        return Err(Message::new(
            format!("Tahun {y} tidak masuk akal"),
            format!("The year {y} is not plausible"),
        ));
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
        .map(Some)
        .ok_or_else(|| {
            Message::new(
                format!("Tanggal tidak ada di kalender: {d} bulan {m} tahun {y}"),
                format!("No such date: day {d} of month {m}, {y}"),
            )
        })
}

/// A number of JP: `8`, `2.5` or `2,5`; 0 < JP ≤ 1000.
pub fn jp(raw: &str) -> Result<Option<f64>, Message> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let value: f64 = raw.replace(',', ".").parse().map_err(|_| {
        Message::new(
            "Jumlah JP harus angka (mis. 8 atau 2,5)",
            "JP must be a number (e.g. 8 or 2.5)",
        )
    })?;
    if !(value > 0.0 && value <= 1000.0) {
        return Err(Message::new(
            "Jumlah JP harus lebih dari 0 dan paling banyak 1000",
            "JP must be more than 0 and at most 1000",
        ));
    }
    Ok(Some(value))
}

/// A score 0–100, decimal comma or point.
pub fn score(raw: &str) -> Result<Option<f64>, Message> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.replace(',', ".").parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(Some(v)),
        _ => Err(Message::new(
            "Nilai harus angka 0–100",
            "The score must be a number from 0 to 100",
        )),
    }
}

/// Free text: spaces collapsed, control characters refused, at most `max` characters.
pub fn text(raw: &str, max: usize) -> Result<String, Message> {
    let tidy = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if tidy.chars().any(char::is_control) {
        return Err(Message::new(
            "Berisi karakter kendali yang tidak diizinkan",
            "Contains control characters, which are not allowed",
        ));
    }
    if tidy.chars().count() > max {
        return Err(Message::new(
            format!("Terlalu panjang (paling banyak {max} karakter)"),
            format!("Too long (at most {max} characters)"),
        ));
    }
    Ok(tidy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn dates_in_the_shapes_people_write() {
        for raw in ["28-11-2026", "28/11/2026", "2026-11-28", " 28-11-2026 "] {
            assert_eq!(date(raw).unwrap(), d(2026, 11, 28), "{raw}");
        }
        assert_eq!(date("1-2-2026").unwrap(), d(2026, 2, 1));
        for empty in ["", "01-01-0001", "0001-01-01"] {
            assert_eq!(date(empty).unwrap(), None, "{empty}");
        }
    }

    #[test]
    fn impossible_and_malformed_dates_say_why() {
        assert!(date("31-02-2026")
            .unwrap_err()
            .id
            .contains("tidak ada di kalender"));
        assert!(date("29-02-2025").is_err());
        assert_eq!(date("29-02-2024").unwrap(), d(2024, 2, 29));
        assert!(date("12-31-2026").is_err(), "month 31");
        assert!(date("besok").unwrap_err().id.contains("dd-mm-yyyy"));
        assert!(date("28-11-26").is_err(), "two-digit years are ambiguous");
        assert!(date("28-11-0026").unwrap_err().id.contains("Tahun"));
    }

    #[test]
    fn jp_with_a_decimal_comma() {
        assert_eq!(jp("2,5").unwrap(), Some(2.5));
        assert_eq!(jp("8").unwrap(), Some(8.0));
        assert_eq!(jp("").unwrap(), None);
        assert!(jp("0").is_err() && jp("-1").is_err() && jp("delapan").is_err());
        assert!(jp("NaN").is_err() && jp("inf").is_err());
    }
}
