//! NIP (Nomor Induk Pegawai) validation, as laid out in DOMAIN.md.
//!
//! A PNS NIP has 18 digits: birth date `YYYYMMDD`, first appointment (TMT
//! CPNS) `YYYYMM`, gender `1`/`2`, serial `001`..`999`. There is no checksum.
//! The PPPK number is also 18 digits but its layout is not verified, so only
//! the digits and the birth date are checked for PPPK.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, Message};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AsnKind {
    Pns,
    Pppk,
}

/// A validated NIP: 18 ASCII digits, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Nip(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NipError {
    Empty,
    NotDigits { bad: char },
    WrongLength { got: usize },
    BirthDate { value: String },
    AppointmentMonth { value: String },
    AppointmentBeforeBirth,
    AppointmentInFuture,
    Gender { value: char },
    Serial,
}

impl NipError {
    pub fn message(&self) -> Message {
        use NipError::*;
        match self {
            Empty => Message::new("NIP wajib diisi", "NIP is required"),
            NotDigits { bad } => Message::new(
                format!("NIP hanya boleh berisi angka (ditemukan \"{bad}\")"),
                format!("NIP may contain digits only (found \"{bad}\")"),
            ),
            WrongLength { got } => Message::new(
                format!("NIP harus 18 digit (diterima {got} digit)"),
                format!("NIP must have 18 digits (got {got})"),
            ),
            BirthDate { value } => Message::new(
                format!("Digit 1–8 NIP harus tanggal lahir yang valid (YYYYMMDD), bukan {value}"),
                format!("Digits 1–8 of the NIP must be a valid birth date (YYYYMMDD), not {value}"),
            ),
            AppointmentMonth { value } => Message::new(
                format!("Digit 9–14 NIP harus TMT CPNS yang valid (YYYYMM), bukan {value}"),
                format!("Digits 9–14 of the NIP must be a valid appointment month (YYYYMM), not {value}"),
            ),
            AppointmentBeforeBirth => Message::new(
                "TMT CPNS pada NIP (digit 9–14) tidak boleh sebelum tanggal lahir",
                "The appointment month in the NIP (digits 9–14) cannot precede the birth date",
            ),
            AppointmentInFuture => Message::new(
                "TMT CPNS pada NIP (digit 9–14) tidak boleh di masa depan",
                "The appointment month in the NIP (digits 9–14) cannot be in the future",
            ),
            Gender { value } => Message::new(
                format!("Digit ke-15 NIP (jenis kelamin) harus 1 atau 2, bukan {value}"),
                format!("Digit 15 of the NIP (gender) must be 1 or 2, not {value}"),
            ),
            Serial => Message::new(
                "Nomor urut NIP (digit 16–18) tidak boleh 000",
                "The NIP serial (digits 16–18) cannot be 000",
            ),
        }
    }

    pub fn into_app_error(self, field: &str) -> AppError {
        AppError::Invalid {
            field: Some(field.to_string()),
            message: self.message(),
        }
    }
}

impl Nip {
    /// Validates `input` (spaces allowed, as in `19860926 201505 1 001`).
    /// `today` is the current date in the office's time zone.
    pub fn parse(input: &str, kind: AsnKind, today: NaiveDate) -> Result<Nip, NipError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err(NipError::Empty);
        }
        if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(NipError::NotDigits { bad });
        }
        if digits.len() != 18 {
            return Err(NipError::WrongLength { got: digits.len() });
        }
        let birth = NaiveDate::parse_from_str(&digits[0..8], "%Y%m%d")
            .ok()
            .filter(|d| d.year() >= 1900 && *d <= today)
            .ok_or_else(|| NipError::BirthDate {
                value: digits[0..8].to_string(),
            })?;
        if kind == AsnKind::Pns {
            let year: i32 = digits[8..12].parse().unwrap_or(0);
            let month: u32 = digits[12..14].parse().unwrap_or(0);
            let appointed = NaiveDate::from_ymd_opt(year, month, 1)
                .filter(|_| year >= 1900)
                .ok_or_else(|| NipError::AppointmentMonth {
                    value: digits[8..14].to_string(),
                })?;
            let birth_month =
                NaiveDate::from_ymd_opt(birth.year(), birth.month(), 1).unwrap_or(birth);
            if appointed <= birth_month {
                return Err(NipError::AppointmentBeforeBirth);
            }
            let this_month =
                NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
            if appointed > this_month {
                return Err(NipError::AppointmentInFuture);
            }
            let gender = digits.as_bytes()[14] as char;
            if gender != '1' && gender != '2' {
                return Err(NipError::Gender { value: gender });
            }
        }
        if &digits[15..18] == "000" {
            return Err(NipError::Serial);
        }
        Ok(Nip(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The customary display form `19860926 201505 1 001`.
    pub fn display_grouped(&self) -> String {
        let s = &self.0;
        format!("{} {} {} {}", &s[0..8], &s[8..14], &s[14..15], &s[15..18])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn pns(s: &str) -> Result<Nip, NipError> {
        Nip::parse(s, AsnKind::Pns, today())
    }

    #[test]
    fn accepts_a_valid_nip_with_or_without_spaces() {
        assert_eq!(
            pns("198609262015051001").unwrap().as_str(),
            "198609262015051001"
        );
        let n = pns(" 19860926 201505 1 001 ").unwrap();
        assert_eq!(n.as_str(), "198609262015051001");
        assert_eq!(n.display_grouped(), "19860926 201505 1 001");
    }

    #[test]
    fn names_the_exact_problem() {
        assert_eq!(pns(""), Err(NipError::Empty));
        assert_eq!(
            pns("19860926201505100"),
            Err(NipError::WrongLength { got: 17 })
        );
        assert_eq!(
            pns("19860926-201505-1-001"),
            Err(NipError::NotDigits { bad: '-' })
        );
        assert!(matches!(
            pns("198602302015051001"),
            Err(NipError::BirthDate { .. })
        ));
        assert!(matches!(
            pns("198609262015131001"),
            Err(NipError::AppointmentMonth { .. })
        ));
        assert_eq!(
            pns("198609261985051001"),
            Err(NipError::AppointmentBeforeBirth)
        );
        assert_eq!(
            pns("198609262027011001"),
            Err(NipError::AppointmentInFuture)
        );
        assert_eq!(
            pns("198609262015053001"),
            Err(NipError::Gender { value: '3' })
        );
        assert_eq!(pns("198609262015051000"), Err(NipError::Serial));
    }

    #[test]
    fn appointment_this_month_is_allowed_but_not_next_month() {
        assert!(pns("199001012026112001").is_ok());
        assert_eq!(
            pns("199001012026122001"),
            Err(NipError::AppointmentInFuture)
        );
    }

    #[test]
    fn pppk_numbers_skip_the_pns_month_rule() {
        // Digits 9-14 are not a YYYYMM month here; PPPK layout is not verified.
        assert!(Nip::parse("199001012022211001", AsnKind::Pppk, today()).is_ok());
        assert!(pns("199001012022211001").is_err());
        assert!(matches!(
            Nip::parse("199013012022211001", AsnKind::Pppk, today()),
            Err(NipError::BirthDate { .. })
        ));
    }

    #[test]
    fn messages_are_bilingual_and_precise() {
        let m = NipError::WrongLength { got: 17 }.message();
        assert_eq!(m.id, "NIP harus 18 digit (diterima 17 digit)");
        assert_eq!(m.en, "NIP must have 18 digits (got 17)");
    }

    proptest! {
        #[test]
        fn every_valid_parts_combination_is_accepted(
            birth_days in 0i64..20_000,
            gap_months in 216u32..480,
            gender in 1u8..=2,
            serial in 1u16..=999,
        ) {
            let birth = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Days::new(birth_days as u64);
            let appointed = birth.checked_add_months(chrono::Months::new(gap_months)).unwrap();
            prop_assume!(appointed <= today());
            let s = format!("{}{}{}{:03}", birth.format("%Y%m%d"), appointed.format("%Y%m"), gender, serial);
            let nip = pns(&s).unwrap();
            prop_assert_eq!(nip.as_str(), s.as_str());
        }

        #[test]
        fn never_panics_on_arbitrary_input(s in "\\PC{0,30}") {
            let _ = pns(&s);
            let _ = Nip::parse(&s, AsnKind::Pppk, today());
        }
    }
}
