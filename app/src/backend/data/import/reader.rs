//! Reading a CSV file as people have it: UTF-8 with or without a byte-order
//! mark, `,` `;` or tab separated (detected from the header line), quoted
//! fields with separators and line breaks inside. Every record keeps the
//! line it starts on, so findings can point at it.

use crate::{domain::import::Issue, error::Message};

/// A file that can be imported at most this large …
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// … with at most this many data rows.
pub const MAX_ROWS: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub delimiter: u8,
    pub had_bom: bool,
    pub headers: Vec<String>,
    pub rows: Vec<Record>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The line the record starts on (the header is line 1).
    pub line: u64,
    pub fields: Vec<String>,
}

/// Row-level problems found while reading (a wrong number of fields) come
/// back with the table; a file that cannot be read at all is refused.
pub fn read(bytes: &[u8]) -> Result<(Table, Vec<Issue>), Issue> {
    if bytes.len() > MAX_BYTES {
        return Err(Issue::error(
            "file_too_large",
            Message::new(
                format!(
                    "Berkas terlalu besar: {} KB, paling besar {} KB",
                    bytes.len() / 1024,
                    MAX_BYTES / 1024
                ),
                format!(
                    "The file is too large: {} KB, at most {} KB",
                    bytes.len() / 1024,
                    MAX_BYTES / 1024
                ),
            ),
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Issue::error(
            "not_utf8",
            Message::new(
                "Berkas tersimpan sebagai UTF-16; simpan ulang sebagai \"CSV UTF-8\"",
                "The file is saved as UTF-16; save it again as \"CSV UTF-8\"",
            ),
        ));
    }
    let (had_bom, body) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let text = std::str::from_utf8(body).map_err(|e| {
        let line = body[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        Issue::error(
            "not_utf8",
            Message::new(
                format!(
                    "Berkas bukan teks UTF-8 (baris {line}); simpan ulang dari spreadsheet sebagai \"CSV UTF-8\""
                ),
                format!(
                    "The file is not UTF-8 text (line {line}); save it again from the spreadsheet as \"CSV UTF-8\""
                ),
            ),
        )
        .at(line, None, None)
    })?;
    if text.trim().is_empty() {
        return Err(Issue::error(
            "empty_file",
            Message::new("Berkas kosong", "The file is empty"),
        ));
    }
    let delimiter = detect_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut issues = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter {
        text: text.as_bytes(),
        at: 0,
        line: 1,
    };
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            Issue::error(
                "unreadable",
                Message::new(
                    format!("Berkas CSV tidak dapat dibaca: {e}"),
                    format!("The CSV file cannot be read: {e}"),
                ),
            )
        })?;
        if !more {
            break;
        }
        let line = lines.line_of(record.position().map_or(0, |p| p.byte() as usize));
        // Spreadsheets leave rows of empty cells (";;;;") below the data.
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let fields: Vec<String> = record.iter().map(unguard).collect();
        let Some(h) = &headers else {
            headers = Some(fields);
            continue;
        };
        if fields.len() != h.len() {
            let unclosed = fields.iter().any(|f| f.contains('\n'));
            let (id, en) = if unclosed {
                (
                    format!(
                        "Baris ini punya {} kolom, seharusnya {}: tanda kutip (\") kemungkinan tidak ditutup",
                        fields.len(),
                        h.len()
                    ),
                    format!(
                        "This row has {} fields, expected {}: a quote (\") is probably not closed",
                        fields.len(),
                        h.len()
                    ),
                )
            } else {
                (
                    format!(
                        "Baris ini punya {} kolom, seharusnya {}",
                        fields.len(),
                        h.len()
                    ),
                    format!("This row has {} fields, expected {}", fields.len(), h.len()),
                )
            };
            issues.push(
                Issue::error(
                    if unclosed {
                        "unclosed_quote"
                    } else {
                        "field_count"
                    },
                    Message::new(id, en),
                )
                .at(line, None, None),
            );
        }
        if rows.len() == MAX_ROWS {
            return Err(Issue::error(
                "too_many_rows",
                Message::new(
                    format!("Berkas berisi lebih dari {MAX_ROWS} baris data; bagi menjadi beberapa berkas"),
                    format!("The file has more than {MAX_ROWS} data rows; split it into several files"),
                ),
            ));
        }
        rows.push(Record { line, fields });
    }
    // A quote opened and never closed swallows the rest of the file into
    // the last record, even when its field count happens to fit.
    if text.bytes().filter(|b| *b == b'"').count() % 2 == 1 {
        if let Some(last) = rows.last() {
            if !issues.iter().any(|i| i.line == last.line) {
                issues.push(
                    Issue::error(
                        "unclosed_quote",
                        Message::new(
                            "Tanda kutip (\") di baris ini tidak ditutup; sisa berkas terbaca sebagai satu nilai",
                            "A quote (\") on this line is not closed; the rest of the file was read as one value",
                        ),
                    )
                    .at(last.line, None, None),
                );
            }
        }
    }
    let Some(headers) = headers else {
        return Err(Issue::error(
            "empty_file",
            Message::new("Berkas kosong", "The file is empty"),
        ));
    };
    Ok((
        Table {
            delimiter,
            had_bom,
            headers,
            rows,
        },
        issues,
    ))
}

/// A cell trimmed, without the `'` Jejak's exports put before text that a
/// spreadsheet would run as a formula (`'=1+1`), so an exported file
/// imports as it was.
fn unguard(cell: &str) -> String {
    let cell = cell.trim();
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// The line each record starts on. The csv crate's own line count lags
/// after CRLF endings (and its byte offset then points at the `\n`), so
/// count from the record's first character, going forward from the
/// previous record (counting from the start each time was quadratic).
struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl LineCounter<'_> {
    fn line_of(&mut self, byte: usize) -> u64 {
        let mut start = byte.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.at {
            self.line += self.text[self.at..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.at = start;
        }
        self.line
    }
}

/// The separator of the header line: whichever of `;` `,` tab occurs most
/// outside quotes (`,` when none does: a one-column file).
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], 3 - *i)).unwrap_or(1);
    if counts[best] == 0 {
        return b',';
    }
    [b';', b',', b'\t'][best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_bom_and_quoted_line_breaks() {
        let file = "\u{feff}nipBaru;nama\r\n\"199001012015031001\";\"Siregar; A\nB\"\r\n;;\r\n";
        let (t, issues) = read(file.as_bytes()).unwrap();
        assert!(t.had_bom);
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.headers, vec!["nipBaru", "nama"]);
        assert_eq!(t.rows.len(), 1, "the empty ';;' row is skipped");
        assert_eq!(t.rows[0].fields[1], "Siregar; A\nB");
        assert_eq!(t.rows[0].line, 2);
        assert!(issues.is_empty());
        let (t, _) = read(b"a;b\r\n1;2\r\n\r\n3;4\r\n").unwrap();
        let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 4], "CRLF, and a blank line counted");
    }

    #[test]
    fn the_export_formula_guard_is_taken_off() {
        let (t, _) = read(b"a;b;c\n'=1+1;'abc;'-5\n").unwrap();
        assert_eq!(t.rows[0].fields, vec!["=1+1", "'abc", "-5"]);
    }

    #[test]
    fn the_delimiter_is_the_one_outside_quotes() {
        assert_eq!(detect_delimiter("a,b,c\n1;2"), b',');
        assert_eq!(detect_delimiter("\"a,b\";c;d\n"), b';');
        assert_eq!(detect_delimiter("a\tb\n"), b'\t');
        assert_eq!(detect_delimiter("nip\n1"), b',');
    }

    #[test]
    fn wrong_field_counts_are_reported_with_their_line() {
        let (t, issues) = read(b"a,b\n1,2\n3\n4,5,6\n").unwrap();
        assert_eq!(t.rows.len(), 3);
        let lines: Vec<u64> = issues.iter().map(|i| i.line).collect();
        assert_eq!(lines, vec![3, 4]);
        assert!(issues.iter().all(|i| i.code == "field_count"));
    }

    #[test]
    fn an_unclosed_quote_is_named() {
        let (_, issues) = read(b"a,b\n1,\"2\n3,4\n").unwrap();
        assert_eq!(issues[0].code, "unclosed_quote");
        assert_eq!(issues[0].line, 2);
    }

    #[test]
    fn unreadable_files_are_refused_with_a_reason() {
        assert_eq!(read(b"").unwrap_err().code, "empty_file");
        assert_eq!(read(b"  \n\n").unwrap_err().code, "empty_file");
        assert_eq!(read(b"a,b\n\xff\xfe,1\n").unwrap_err().code, "not_utf8");
        assert_eq!(read(&[0xFF, 0xFE, b'a', 0]).unwrap_err().code, "not_utf8");
        let big = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(read(&big).unwrap_err().code, "file_too_large");
        let mut many = String::from("a\n");
        for i in 0..=MAX_ROWS {
            many.push_str(&format!("{i}\n"));
        }
        assert_eq!(read(many.as_bytes()).unwrap_err().code, "too_many_rows");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any bytes at all: a table or a reasoned refusal, never a panic;
        /// records come after the header, in file order.
        #[test]
        fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            match read(&bytes) {
                Ok((t, issues)) => {
                    prop_assert!(t.rows.iter().all(|r| r.line >= 2));
                    prop_assert!(t.rows.windows(2).all(|w| w[0].line < w[1].line));
                    prop_assert!(issues.iter().all(|i| i.is_error() && i.line >= 2));
                }
                Err(issue) => prop_assert!(issue.is_error() && !issue.message.id.is_empty()),
            }
        }

        /// Whatever cells a spreadsheet writes (quoted as the csv crate
        /// does), they come back as written, with either separator.
        #[test]
        fn written_cells_come_back(
            cells in proptest::collection::vec(proptest::collection::vec("[^\u{0}]{0,12}", 3), 1..6),
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            let mut w = csv::WriterBuilder::new().delimiter(delimiter).quote_style(csv::QuoteStyle::Always).from_writer(vec![]);
            w.write_record(["a", "b", "c"]).unwrap();
            for row in &cells {
                w.write_record(row).unwrap();
            }
            let bytes = w.into_inner().unwrap();
            let (t, issues) = read(&bytes).unwrap();
            prop_assert_eq!(t.delimiter, delimiter);
            prop_assert!(issues.is_empty());
            let expected: Vec<Vec<String>> = cells
                .iter()
                .filter(|r| !r.iter().all(|c| c.trim().is_empty()))
                .map(|r| r.iter().map(|c| unguard(c)).collect())
                .collect();
            let got: Vec<Vec<String>> = t.rows.iter().map(|r| r.fields.clone()).collect();
            prop_assert_eq!(got, expected);
        }
    }
}
