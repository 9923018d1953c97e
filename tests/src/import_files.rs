//! Large import files, generated the same way for the tests and the
//! benchmark: `n` new employees with valid NIPs (born 1999, appointed
//! January 2023, serials 001–999 over consecutive birth days, so they never
//! meet the demo organisation's NIPs) spread over the given units, and a
//! decree list moving each of them once to another unit and position, in
//! force since the start of 2026 (so each transfer is completed with its plan).

use chrono::{Days, NaiveDate};

/// Units and positions of the demo organisation that the files below can
/// be spread over (`jejak seed --demo` has them).
pub const DEMO_UNITS: [&str; 4] = [
    "Seksi Pemerintahan",
    "Bidang Aplikasi Informatika",
    "Bidang Akuntansi",
    "Kelurahan Belawan I",
];
pub const DEMO_POSITIONS: [&str; 3] = [
    "Pengadministrasi Umum",
    "Pranata Komputer Ahli Pertama",
    "Analis Keuangan",
];

/// `n` new employees and a decree list moving each of them once, over the
/// demo organisation: `(employees, transfers)`.
pub fn over_the_demo(n: usize) -> (Vec<u8>, Vec<u8>) {
    let units: Vec<String> = DEMO_UNITS.map(String::from).to_vec();
    let positions: Vec<String> = DEMO_POSITIONS.map(String::from).to_vec();
    (
        employees(n, &units, &positions),
        transfers(n, &units, &positions),
    )
}

/// The `i`-th generated NIP.
pub fn nip(i: usize) -> String {
    let birth = NaiveDate::from_ymd_opt(1999, 1, 1).expect("date") + Days::new((i / 999) as u64);
    format!("{}2023011{:03}", birth.format("%Y%m%d"), i % 999 + 1)
}

/// Employees, `;`-separated with a BOM (as a spreadsheet in Indonesian
/// locale saves), SIASN column names.
pub fn employees(n: usize, units: &[String], positions: &[String]) -> Vec<u8> {
    let mut out = String::from("\u{feff}nipBaru;nama;golRuangAkhir;unorNama;jabatanNama;email\r\n");
    for i in 0..n {
        out.push_str(&format!(
            "{};Pegawai Uji {i}, S.Kom.;III/a;{};{};pegawai{i}@uji.example\r\n",
            nip(i),
            units[i % units.len()],
            positions[i % positions.len()],
        ));
    }
    out.into_bytes()
}

/// One decree per generated employee, to the next unit and position along.
pub fn transfers(n: usize, units: &[String], positions: &[String]) -> Vec<u8> {
    let mut out =
        String::from("nipBaru;nomorSk;tanggalSk;tmtJabatan;unorNama;jabatanNama;jenisMutasi\r\n");
    let start = NaiveDate::from_ymd_opt(2026, 1, 2).expect("date");
    for i in 0..n {
        let tmt = start + Days::new((i % 200) as u64);
        out.push_str(&format!(
            "{};821.2/{i}/BKPSDM/2026;{};{};{};{};dalam_instansi\r\n",
            nip(i),
            (tmt - Days::new(14)).format("%d-%m-%Y"),
            tmt.format("%d-%m-%Y"),
            units[(i + 1) % units.len()],
            positions[(i + 1) % positions.len()],
        ));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_nips_are_valid_and_distinct() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let mut seen = std::collections::HashSet::new();
        for i in 0..20_000 {
            let n = super::nip(i);
            app::domain::nip::Nip::parse(&n, app::domain::nip::AsnKind::Pns, today)
                .unwrap_or_else(|e| panic!("{n}: {e:?}"));
            assert!(seen.insert(n));
        }
    }
}
