//! What an import preview and its confirmation say, as plain data shared by
//! the server, the page and the command line. (Reading and checking the
//! file is in `backend::data::import`.)

use serde::{Deserialize, Serialize};

use crate::error::Message;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Employees (pegawai): created or updated by NIP.
    Employees,
    /// Transfers (mutasi) from decree lists: matched by SK number + NIP.
    Transfers,
    /// Training history (riwayat pelatihan): completion records.
    History,
}

impl ImportKind {
    pub const ALL: [ImportKind; 3] = [
        ImportKind::Employees,
        ImportKind::Transfers,
        ImportKind::History,
    ];

    /// The Indonesian slug used in addresses and on the command line.
    pub fn slug(self) -> &'static str {
        match self {
            ImportKind::Employees => "pegawai",
            ImportKind::Transfers => "mutasi",
            ImportKind::History => "riwayat",
        }
    }

    /// Indonesian or English names (`pegawai`/`employees`, `mutasi`/`transfers`,
    /// `riwayat`/`history`).
    pub fn parse(raw: &str) -> Option<ImportKind> {
        match raw.trim().to_lowercase().as_str() {
            "pegawai" | "employees" | "employee" => Some(ImportKind::Employees),
            "mutasi" | "transfers" | "transfer" => Some(ImportKind::Transfers),
            "riwayat" | "history" | "riwayat-pelatihan" | "training-history" => {
                Some(ImportKind::History)
            }
            _ => None,
        }
    }

    pub fn label(self, en: bool) -> &'static str {
        match (self, en) {
            (ImportKind::Employees, false) => "Pegawai",
            (ImportKind::Employees, true) => "Employees",
            (ImportKind::Transfers, false) => "Mutasi",
            (ImportKind::Transfers, true) => "Transfers",
            (ImportKind::History, false) => "Riwayat pelatihan",
            (ImportKind::History, true) => "Training history",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The row (or the file) cannot be imported.
    Error,
    /// Imported, but worth a look.
    Warning,
}

/// One finding: where (line of the file, column as headed in the file),
/// the value found, a stable code and the message in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// Line in the file (1 = the header); 0 for the file as a whole.
    pub line: u64,
    pub column: Option<String>,
    pub value: Option<String>,
    /// Stable, e.g. `invalid_nip`, `impossible_date`, `missing_column`.
    pub code: String,
    pub severity: Severity,
    pub message: Message,
}

impl Issue {
    pub fn error(code: &str, message: Message) -> Issue {
        Issue {
            line: 0,
            column: None,
            value: None,
            code: code.into(),
            severity: Severity::Error,
            message,
        }
    }

    pub fn warning(code: &str, message: Message) -> Issue {
        Issue {
            severity: Severity::Warning,
            ..Issue::error(code, message)
        }
    }

    pub fn at(mut self, line: u64, column: Option<&str>, value: Option<&str>) -> Issue {
        self.line = line;
        self.column = column.map(str::to_string);
        self.value = value.map(str::to_string);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `baris 12, kolom tanggalSk ("31-02-2026"): …` in the chosen language.
    pub fn describe(&self, en: bool) -> String {
        let mut out = String::new();
        if self.line > 0 {
            out.push_str(&format!(
                "{} {}",
                if en { "line" } else { "baris" },
                self.line
            ));
        } else {
            out.push_str(if en { "file" } else { "berkas" });
        }
        if let Some(c) = &self.column {
            out.push_str(&format!(", {} {c}", if en { "column" } else { "kolom" }));
        }
        if let Some(v) = &self.value {
            out.push_str(&format!(" ({v:?})"));
        }
        out.push_str(": ");
        out.push_str(if en {
            &self.message.en
        } else {
            &self.message.id
        });
        out
    }
}

/// What confirming would do with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    /// Already in Jejak exactly so (importing the same file twice).
    Unchanged,
    /// Has an error: never written.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowPreview {
    pub line: u64,
    /// What identifies the row: the NIP, `NIP · SK number`, `NIP · course · date`.
    pub key: String,
    /// A human summary (name, target unit, course).
    pub summary: String,
    pub action: RowAction,
    /// For an update: the fields that change ("nama", "email" …).
    pub changes: Vec<String>,
    pub issues: Vec<Issue>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub rows: usize,
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub warnings: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub kind: ImportKind,
    pub file_name: String,
    /// `,` `;` or tab, as detected.
    pub delimiter: char,
    pub had_bom: bool,
    /// Problems with the file as a whole; an error here means nothing can be imported.
    pub file_issues: Vec<Issue>,
    pub rows: Vec<RowPreview>,
    pub counts: Counts,
    /// Units and positions that do not exist yet and would be created
    /// (only when creating them was asked for).
    pub new_units: Vec<String>,
    pub new_positions: Vec<String>,
    /// Transfers that would be completed now (TMT reached), each with its plan.
    pub plans_to_generate: usize,
}

impl Preview {
    /// The file itself is refused (nothing can be imported).
    pub fn refused(&self) -> bool {
        self.file_issues.iter().any(Issue::is_error)
    }

    /// Every row can be imported as it is.
    pub fn clean(&self) -> bool {
        !self.refused() && self.counts.rejected == 0
    }
}

/// What a confirmed import wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rejected rows left out (only when importing the valid rows was chosen).
    pub skipped: usize,
    pub units_created: usize,
    pub positions_created: usize,
    pub plans_created: usize,
    pub assignments_created: usize,
}
