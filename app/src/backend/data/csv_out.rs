//! The one CSV writer of every export (the manager's report and the
//! `/ekspor/…` downloads): the separator and byte-order mark, dates and
//! numbers written the same way everywhere, and the guard against
//! spreadsheet formulas.
//!
//! Cells are typed: text from the data is guarded ([`spreadsheet_safe`]),
//! numbers and dates we write ourselves are not, so a negative number stays
//! a number.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::{error::AppError, i18n::Locale};

/// How dates are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dates {
    /// "28/11/2026": read as a date by spreadsheets in the Indonesian locale.
    Indonesian,
    /// "2026-11-28": read as a date in every locale (for English).
    Iso,
    /// "28-11-2026": SIASN's own format.
    Siasn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    /// `;` with a byte-order mark (spreadsheets in the Indonesian locale
    /// open that directly); otherwise `,` without.
    pub semicolon: bool,
    /// Decimals as "2,5": the Indonesian locale's mark, which is why it
    /// separates with `;`.
    pub decimal_comma: bool,
    pub dates: Dates,
}

impl Format {
    /// For people: dates follow the language; the `;` variant also writes
    /// decimal commas.
    pub fn for_people(semicolon: bool, l: Locale) -> Self {
        Format {
            semicolon,
            decimal_comma: semicolon,
            dates: match l {
                Locale::id => Dates::Indonesian,
                Locale::en => Dates::Iso,
            },
        }
    }

    /// For SIASN: `dd-mm-yyyy` and "2.5" whatever the separator, so the
    /// file can be read back by a program.
    pub fn siasn(semicolon: bool) -> Self {
        Format {
            semicolon,
            decimal_comma: false,
            dates: Dates::Siasn,
        }
    }
}

/// The `pemisah` query parameter: `titikkoma` asks for `;` with a BOM.
pub fn semicolon_requested(pemisah: &str) -> bool {
    pemisah.trim() == "titikkoma"
}

/// A cell that a spreadsheet would run as a formula is made plain text.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The column names of an export, each the translation of a key under one
/// namespace: `headers!(l, exports.overdue: [nip, name])` is
/// `[td_string!(l, exports.overdue.nip), td_string!(l, exports.overdue.name)]`.
macro_rules! headers {
    ($l:ident, $area:ident . $part:ident : [$($key:ident),* $(,)?]) => {
        [$($crate::i18n::td_string!($l, $area.$part.$key)),*]
    };
}
pub(crate) use headers;

/// One cell of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    /// Text from the data (names, codes, notes): guarded against formulas.
    Text(&'a str),
    /// Text Jejak composed itself (a date in words): written as it is.
    Ours(&'a str),
    Int(i64),
    /// A number, at most two decimals: "2", "2.5" (or "2,5").
    Num(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Empty,
}

/// A number with at most two decimals and no trailing zeros; empty when
/// it is not a number.
pub fn number(x: f64, decimal_comma: bool) -> String {
    if !x.is_finite() {
        return String::new();
    }
    // `+ 0.0` turns -0 into 0.
    let rounded = (x * 100.0).round() / 100.0 + 0.0;
    let s = format!("{rounded}");
    if decimal_comma {
        s.replace('.', ",")
    } else {
        s
    }
}

pub fn date(d: NaiveDate, style: Dates) -> String {
    match style {
        Dates::Indonesian => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Dates::Iso => d.format("%Y-%m-%d").to_string(),
        Dates::Siasn => format!("{:02}-{:02}-{}", d.day(), d.month(), d.year()),
    }
}

fn date_time(t: NaiveDateTime, style: Dates) -> String {
    format!(
        "{} {:02}:{:02}:{:02}",
        date(t.date(), style),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal {
        reference: format!("csv: {e}"),
    }
}

fn writer(format: Format, into: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(if format.semicolon { b';' } else { b',' })
        .from_writer(into)
}

/// Rows in, CSV bytes out; [`CsvOut::take`] hands over what is written so
/// far, so a long export can be sent batch by batch.
pub struct CsvOut {
    w: csv::Writer<Vec<u8>>,
    format: Format,
}

impl CsvOut {
    pub fn new(format: Format) -> Self {
        let mut out = Vec::new();
        if format.semicolon {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        CsvOut {
            w: writer(format, out),
            format,
        }
    }

    /// The column names (ours, never guarded).
    pub fn header(&mut self, names: &[&str]) -> Result<(), AppError> {
        self.w.write_record(names).map_err(internal)
    }

    pub fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), AppError> {
        let f = self.format;
        self.w
            .write_record(cells.iter().map(|c| {
                let text: Cow<'_, str> = match c {
                    Cell::Text(s) => spreadsheet_safe(s),
                    Cell::Ours(s) => Cow::Borrowed(s),
                    Cell::Int(n) => Cow::Owned(n.to_string()),
                    Cell::Num(x) => Cow::Owned(number(*x, f.decimal_comma)),
                    Cell::Date(d) => Cow::Owned(date(*d, f.dates)),
                    Cell::DateTime(t) => Cow::Owned(date_time(*t, f.dates)),
                    Cell::Empty => Cow::Borrowed(""),
                };
                match text {
                    Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
                    Cow::Owned(s) => Cow::Owned(s.into_bytes()),
                }
            }))
            .map_err(internal)
    }

    /// Everything written since the last call (the BOM and header included
    /// the first time).
    pub fn take(&mut self) -> Result<Vec<u8>, AppError> {
        // The writer keeps no state that matters between rows: a fresh one
        // continues where this one stopped.
        let full = std::mem::replace(&mut self.w, writer(self.format, Vec::new()));
        full.into_inner().map_err(internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(bytes: &[u8], semicolon: bool) -> Vec<Vec<String>> {
        let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        csv::ReaderBuilder::new()
            .delimiter(if semicolon { b';' } else { b',' })
            .has_headers(false)
            .from_reader(body)
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn formulas_become_text_and_our_numbers_stay_numbers() {
        for formula in ["=HYPERLINK(\"x\")", "+62", "-1+1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(spreadsheet_safe(formula), format!("'{formula}"));
        }
        for plain in ["Siti Rahmah", ""] {
            assert_eq!(spreadsheet_safe(plain), plain);
        }
        let mut out = CsvOut::new(Format::for_people(false, Locale::id));
        out.row(&[
            Cell::Int(-3),
            Cell::Num(-2.5),
            Cell::Text("-3"),
            Cell::Ours("-"),
        ])
        .unwrap();
        assert_eq!(out.take().unwrap(), b"-3,-2.5,'-3,-\n");
    }

    #[test]
    fn separator_bom_dates_and_decimals_follow_the_format() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        let t = d.and_hms_opt(7, 5, 9).unwrap();
        let cells = [
            Cell::Date(d),
            Cell::Num(2.5),
            Cell::Num(20.0),
            Cell::DateTime(t),
            Cell::Empty,
        ];
        let write = |f: Format| {
            let mut out = CsvOut::new(f);
            out.header(&["a", "b", "c", "d", "e"]).unwrap();
            out.row(&cells).unwrap();
            String::from_utf8(out.take().unwrap()).unwrap()
        };
        assert_eq!(
            write(Format::for_people(false, Locale::id)),
            "a,b,c,d,e\n05/03/2026,2.5,20,05/03/2026 07:05:09,\n"
        );
        assert_eq!(
            write(Format::for_people(true, Locale::id)),
            "\u{feff}a;b;c;d;e\n05/03/2026;2,5;20;05/03/2026 07:05:09;\n"
        );
        assert_eq!(
            write(Format::for_people(false, Locale::en)),
            "a,b,c,d,e\n2026-03-05,2.5,20,2026-03-05 07:05:09,\n"
        );
        assert_eq!(
            write(Format::siasn(true)),
            "\u{feff}a;b;c;d;e\n05-03-2026;2.5;20;05-03-2026 07:05:09;\n"
        );
        assert_eq!(number(0.1 + 0.2, false), "0.3");
        assert_eq!(number(-0.001, false), "0");
        assert_eq!(number(f64::NAN, false), "");
        assert!(semicolon_requested("titikkoma"));
        assert!(!semicolon_requested(""));
    }

    #[test]
    fn taking_hands_over_each_batch_once() {
        let mut out = CsvOut::new(Format::for_people(true, Locale::id));
        out.header(&["x"]).unwrap();
        let first = out.take().unwrap();
        out.row(&[Cell::Int(1)]).unwrap();
        let second = out.take().unwrap();
        assert_eq!(first, "\u{feff}x\n".as_bytes());
        assert_eq!(second, b"1\n");
        assert!(out.take().unwrap().is_empty());
    }

    proptest! {
        /// Any text comes back from a CSV reader exactly as it went in,
        /// except for the guard's prefix on what would start a formula.
        #[test]
        fn any_text_round_trips_except_for_the_guard(
            s in any::<String>(),
            other in "\\PC*",
            semicolon in any::<bool>(),
        ) {
            let mut out = CsvOut::new(Format::for_people(semicolon, Locale::id));
            out.header(&["a", "b", "c"]).unwrap();
            out.row(&[Cell::Text(&s), Cell::Int(7), Cell::Text(&other)]).unwrap();
            let rows = read(&out.take().unwrap(), semicolon);
            let guarded = |t: &str| {
                if matches!(t.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) {
                    format!("'{t}")
                } else {
                    t.to_string()
                }
            };
            prop_assert_eq!(rows.len(), 2);
            prop_assert_eq!(&rows[1][0], &guarded(&s));
            prop_assert_eq!(&rows[1][1], "7");
            prop_assert_eq!(&rows[1][2], &guarded(&other));
        }
    }
}
