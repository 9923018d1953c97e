//! The columns each kind of file may have, under Jejak's own names (the
//! downloadable template) and the names SIASN exports use. Headers are
//! compared without case, spaces, `_` or `-` (`nipBaru` = `NIP Baru` =
//! `nip_baru`).

use std::collections::HashMap;

use crate::{
    domain::import::{ImportKind, Issue},
    error::Message,
};

/// A column Jejak reads. `name` is the template's header (SIASN style).
#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    /// Other accepted headers, already normalised.
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// What goes in it, for the template page.
    pub about_id: &'static str,
    pub about_en: &'static str,
}

const fn col(
    name: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    about_id: &'static str,
    about_en: &'static str,
) -> Column {
    Column {
        name,
        aliases,
        required,
        about_id,
        about_en,
    }
}

const NIP: Column = col(
    "nipBaru",
    &["nip", "nip18", "nippegawai"],
    true,
    "NIP 18 angka (spasi boleh)",
    "18-digit NIP (spaces allowed)",
);

/// The name beside a NIP in transfer and history files: only compared with
/// the employee's name, never written.
const NAME_CHECKED: Column = col(
    "nama",
    &["name", "namapegawai"],
    false,
    "Nama (hanya diperiksa)",
    "Name (only checked)",
);

pub const EMPLOYEES: &[Column] = &[
    NIP,
    col(
        "nama",
        &["name", "namalengkap", "namapegawai"],
        true,
        "Nama lengkap dengan gelar",
        "Full name with titles",
    ),
    col(
        "jenisPegawai",
        &["jenisasn", "asn", "asnkind", "jenis"],
        false,
        "PNS atau PPPK (kosong = PNS)",
        "PNS or PPPK (empty = PNS)",
    ),
    col(
        "golongan",
        &[
            "golruang",
            "golruangakhir",
            "golongannama",
            "golonganruang",
            "rank",
        ],
        false,
        "Golongan, mis. III/a (wajib untuk PNS)",
        "Rank, e.g. III/a (required for PNS)",
    ),
    col(
        "unorNama",
        &["unor", "unit", "unitkerja", "unitkerjanama"],
        true,
        "Unit kerja (nama, atau jalur \"Induk / Unit\" bila namanya tidak unik)",
        "Work unit (name, or the path \"Parent / Unit\" when the name is not unique)",
    ),
    col(
        "jabatanNama",
        &["jabatan", "position", "namajabatan"],
        false,
        "Jabatan",
        "Position",
    ),
    col(
        "email",
        &["emailgov", "surel", "alamatemail"],
        false,
        "Alamat email",
        "Email address",
    ),
    col(
        "nipAtasan",
        &["atasan", "supervisornip", "nipatasanlangsung"],
        false,
        "NIP atasan langsung",
        "The direct supervisor's NIP",
    ),
];

pub const TRANSFERS: &[Column] = &[
    NIP,
    NAME_CHECKED,
    col(
        "nomorSk",
        &[
            "nosk",
            "skno",
            "sknumber",
            "nomorsurat",
            "nomorsurat keputusan",
        ],
        true,
        "Nomor SK mutasi",
        "Decree (SK) number",
    ),
    col(
        "tanggalSk",
        &["tglsk", "skdate", "tanggalsurat"],
        true,
        "Tanggal SK (dd-mm-yyyy)",
        "Decree date (dd-mm-yyyy)",
    ),
    col(
        "tmtJabatan",
        &["tmt", "tmtmutasi", "tmtpindah", "effectivedate"],
        true,
        "TMT, tanggal mulai berlaku (dd-mm-yyyy)",
        "Effective date, TMT (dd-mm-yyyy)",
    ),
    col(
        "unorNama",
        &["unor", "unit", "unittujuan", "unorbaru", "unitkerja"],
        true,
        "Unit tujuan",
        "Target unit",
    ),
    col(
        "jabatanNama",
        &["jabatan", "jabatanbaru", "jabatantujuan", "position"],
        true,
        "Jabatan tujuan",
        "Target position",
    ),
    col(
        "jenisMutasi",
        &["jenis", "transfertype", "jenispindah"],
        false,
        "dalam_instansi (bawaan), antar_instansi atau pusat_daerah",
        "within_agency (default), between_agencies or central_regional",
    ),
    col(
        "catatan",
        &["keterangan", "notes", "note"],
        false,
        "Catatan",
        "Notes",
    ),
];

pub const HISTORY: &[Column] = &[
    NIP,
    NAME_CHECKED,
    col(
        "kodeKursus",
        &["kode", "kodepelatihan", "kodediklat", "coursecode"],
        false,
        "Kode pelatihan di Jejak (atau isi namaKursus)",
        "The course code in Jejak (or fill namaKursus)",
    ),
    col(
        "namaKursus",
        &["namapelatihan", "namadiklat", "course", "kursus", "diklat"],
        false,
        "Nama pelatihan persis seperti di katalog",
        "The course title exactly as in the catalogue",
    ),
    col(
        "tanggalKursus",
        &["tanggal", "tanggalselesai", "tglkursus", "completedon"],
        true,
        "Tanggal selesai (dd-mm-yyyy)",
        "Completion date (dd-mm-yyyy)",
    ),
    col(
        "tahunKursus",
        &["tahun", "year"],
        false,
        "Tahun (hanya diperiksa)",
        "Year (only checked)",
    ),
    col(
        "jumlahJam",
        &["jp", "jumlahjp", "jampelajaran", "hours"],
        false,
        "Jumlah JP (kosong = JP pelatihan)",
        "JP (empty = the course's JP)",
    ),
    col(
        "institusiPenyelenggara",
        &["penyelenggara", "institusi", "organiser", "organizer"],
        false,
        "Penyelenggara",
        "Organiser",
    ),
    col(
        "nomorSertipikat",
        &[
            "nomorsertifikat",
            "nosertifikat",
            "nosertipikat",
            "certificateno",
        ],
        false,
        "Nomor sertifikat",
        "Certificate number",
    ),
    col(
        "nilai",
        &["score", "skor"],
        false,
        "Nilai 0–100",
        "Score 0–100",
    ),
];

pub fn columns(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Employees => EMPLOYEES,
        ImportKind::Transfers => TRANSFERS,
        ImportKind::History => HISTORY,
    }
}

/// A header without case, spaces, `_`, `-` or `.`.
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where each known column is in the file.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    index: HashMap<&'static str, usize>,
    /// The header as written in the file, for messages.
    pub written: HashMap<&'static str, String>,
}

impl ColumnMap {
    /// The trimmed value of `name` in `fields` ("" when the column is absent).
    pub fn get<'a>(&self, fields: &'a [String], name: &str) -> &'a str {
        self.index
            .get(name)
            .and_then(|i| fields.get(*i))
            .map_or("", |s| s.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The header as the file writes it (for messages), else the template's.
    pub fn header<'a>(&'a self, name: &'a str) -> &'a str {
        self.written.get(name).map_or(name, |s| s.as_str())
    }
}

/// Matches the file's headers to the kind's columns. Missing required
/// columns and a column given twice refuse the file; unknown columns are
/// ignored with a warning (SIASN exports carry many Jejak does not need).
pub fn map_headers(kind: ImportKind, headers: &[String]) -> (ColumnMap, Vec<Issue>) {
    let spec = columns(kind);
    let mut map = ColumnMap::default();
    let mut issues = Vec::new();
    let mut unknown = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let n = normalise(h);
        if n.is_empty() {
            continue;
        }
        let found = spec
            .iter()
            .find(|c| normalise(c.name) == n || c.aliases.iter().any(|a| normalise(a) == n));
        match found {
            Some(c) if map.index.contains_key(c.name) => issues.push(
                Issue::error(
                    "duplicate_column",
                    Message::new(
                        format!(
                            "Kolom {} muncul dua kali (\"{}\" dan \"{h}\")",
                            c.name,
                            map.header(c.name)
                        ),
                        format!(
                            "Column {} appears twice (\"{}\" and \"{h}\")",
                            c.name,
                            map.header(c.name)
                        ),
                    ),
                )
                .at(1, Some(h), None),
            ),
            Some(c) => {
                map.index.insert(c.name, i);
                map.written.insert(c.name, h.clone());
            }
            None => unknown.push(h.clone()),
        }
    }
    let missing: Vec<&str> = spec
        .iter()
        .filter(|c| c.required && !map.index.contains_key(c.name))
        .map(|c| c.name)
        .collect();
    if !missing.is_empty() {
        let list = missing.join(", ");
        issues.push(
            Issue::error(
                "missing_column",
                Message::new(
                    format!("Kolom wajib tidak ada: {list}. Unduh templat dari halaman impor untuk melihat kolom yang dikenali."),
                    format!("Required columns are missing: {list}. Download the template from the import page to see the columns Jejak reads."),
                ),
            )
            .at(1, None, None),
        );
    }
    if kind == ImportKind::History && !map.has("kodeKursus") && !map.has("namaKursus") {
        issues.push(
            Issue::error(
                "missing_column",
                Message::new(
                    "Perlu kolom kodeKursus atau namaKursus untuk mengenali pelatihannya",
                    "A kodeKursus or namaKursus column is needed to identify the course",
                ),
            )
            .at(1, None, None),
        );
    }
    if !unknown.is_empty() {
        let list = unknown.join(", ");
        issues.push(
            Issue::warning(
                "unknown_column",
                Message::new(
                    format!("Kolom tidak dikenal, diabaikan: {list}"),
                    format!("Unknown columns, ignored: {list}"),
                ),
            )
            .at(1, None, None),
        );
    }
    (map, issues)
}

/// The template: Jejak's headers for `kind` and one example row, with `;`
/// and a byte-order mark so it opens in a spreadsheet in Indonesian locale.
pub fn template(kind: ImportKind) -> Vec<u8> {
    let example: &[&str] = match kind {
        ImportKind::Employees => &[
            "199001012015031001",
            "Rina Siregar, S.Kom.",
            "PNS",
            "III/a",
            "Kecamatan Medan Belawan",
            "Pranata Komputer Ahli Pertama",
            "rina.siregar@medan.example",
            "",
        ],
        ImportKind::Transfers => &[
            "199001012015031001",
            "Rina Siregar, S.Kom.",
            "800/123/BKPSDM/2026",
            "02-11-2026",
            "01-12-2026",
            "Kecamatan Medan Belawan",
            "Pranata Komputer Ahli Pertama",
            "dalam_instansi",
            "",
        ],
        ImportKind::History => &[
            "199001012015031001",
            "Rina Siregar, S.Kom.",
            "BERAKHLAK-01",
            "",
            "15-03-2026",
            "2026",
            "8",
            "BPSDM Provinsi Sumatera Utara",
            "SERT/2026/001",
            "",
        ],
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    let headers: Vec<&str> = columns(kind).iter().map(|c| c.name).collect();
    // Writing to a Vec cannot fail.
    let _ = w.write_record(&headers);
    let _ = w.write_record(example);
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn siasn_and_template_headers_are_both_understood() {
        let (m, issues) = map_headers(
            ImportKind::Transfers,
            &h(&[
                "NIP Baru",
                "nomor_sk",
                "tanggalSk",
                "TMT",
                "unorNama",
                "jabatanNama",
                "pnsId",
            ]),
        );
        assert!(m.has("nipBaru") && m.has("tmtJabatan"));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].code, "unknown_column");
        assert!(!issues[0].is_error());
    }

    #[test]
    fn missing_and_doubled_columns_refuse_the_file() {
        let (_, issues) = map_headers(ImportKind::Employees, &h(&["nip", "nipBaru", "nama"]));
        let codes: Vec<&str> = issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, vec!["duplicate_column", "missing_column"]);
        assert!(issues[1].message.id.contains("unorNama"));
    }

    #[test]
    fn every_template_reads_back_with_all_its_columns() {
        for kind in ImportKind::ALL {
            let (t, issues) = super::super::reader::read(&template(kind)).unwrap();
            assert!(issues.is_empty());
            assert!(t.had_bom);
            let (m, issues) = map_headers(kind, &t.headers);
            assert!(issues.is_empty(), "{kind:?}: {issues:?}");
            assert!(columns(kind).iter().all(|c| m.has(c.name)));
        }
    }
}
