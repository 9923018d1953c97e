//! Employees: created, or updated by NIP (name, kind, rank, email,
//! supervisor). A different unit or position is reported but not changed:
//! people move through transfers, which bring their training plans.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel, Set};

use super::{
    fields,
    places::{new_names, Place, Places},
    Cells, Input, Sorted, Target,
};
use crate::{
    backend::{
        entities::{audit_entry, employee},
        {bulk::insert_all, people::organisation::plausible_email},
    },
    domain::{
        grade::Golongan,
        import::{Applied, RowAction, RowPreview},
        nip::{AsnKind, Nip},
    },
    error::{AppError, Message},
};

struct Row {
    nip: String,
    name: String,
    asn_kind: &'static str,
    golongan: Option<String>,
    unit: Place,
    position: Option<Place>,
    email: Option<String>,
    supervisor_nip: Option<String>,
    existing: Option<employee::Model>,
    action: RowAction,
}

pub(super) struct Checked {
    pub previews: Vec<RowPreview>,
    /// The rows to write (created or updated), valid ones only.
    rows: Vec<Row>,
}

impl Checked {
    pub fn new_units(&self) -> Vec<String> {
        new_names(
            self.rows
                .iter()
                .filter(|r| r.existing.is_none())
                .map(|r| &r.unit),
        )
    }

    pub fn new_positions(&self) -> Vec<String> {
        new_names(
            self.rows
                .iter()
                .filter(|r| r.existing.is_none())
                .filter_map(|r| r.position.as_ref()),
        )
    }
}

pub(super) async fn check<C: ConnectionTrait>(
    db: &C,
    input: &Input<'_>,
    places: &Places,
) -> Result<Checked, AppError> {
    let mut wanted: Vec<String> = Vec::new();
    for cells in input.records() {
        wanted.push(super::nip_digits(cells.get("nipBaru")));
        wanted.push(super::nip_digits(cells.get("nipAtasan")));
    }
    wanted.retain(|n| !n.is_empty());
    wanted.sort();
    wanted.dedup();
    let known = super::employees_by_nip(db, &wanted).await?;
    let known_ids: HashMap<i64, &str> = known.values().map(|e| (e.id, e.nip.as_str())).collect();
    let in_file: HashMap<String, u64> = input
        .records()
        .map(|c| (super::nip_digits(c.get("nipBaru")), c.line))
        .collect();

    let mut seen: HashMap<String, u64> = HashMap::new();
    let Sorted { previews, rows } = input.check_each(|mut c| {
        let row = check_row(&mut c, input, places, &known, &in_file, &mut seen);
        let (key, summary) = match &row {
            Some(r) => (
                r.nip.clone(),
                format!("{} · {}", r.name, places.unit_label(&r.unit)),
            ),
            None => (
                super::nip_digits(c.get("nipBaru")),
                c.get("nama").to_string(),
            ),
        };
        let Some(mut row) = row else {
            return (c.preview(key, summary, RowAction::Rejected, vec![]), None);
        };
        let changes = match &row.existing {
            None => vec![],
            Some(e) => changes_of(&mut c, e, &row, places, &known_ids),
        };
        row.action = match (&row.existing, changes.is_empty()) {
            (None, _) => RowAction::Create,
            (Some(_), true) => RowAction::Unchanged,
            (Some(_), false) => RowAction::Update,
        };
        (c.preview(key, summary, row.action, changes), Some(row))
    });
    Ok(Checked { previews, rows })
}

fn check_row(
    c: &mut Cells<'_>,
    input: &Input<'_>,
    places: &Places,
    known: &HashMap<String, employee::Model>,
    in_file: &HashMap<String, u64>,
    seen: &mut HashMap<String, u64>,
) -> Option<Row> {
    // Without a kind in the file, an employee Jejak knows keeps theirs.
    let known_kind = known.get(&super::nip_digits(c.get("nipBaru"))).map(|e| {
        if e.asn_kind == "pppk" {
            AsnKind::Pppk
        } else {
            AsnKind::Pns
        }
    });
    let kind = match c.get("jenisPegawai").to_lowercase().as_str() {
        "" => known_kind.unwrap_or(AsnKind::Pns),
        "pns" => AsnKind::Pns,
        "pppk" => AsnKind::Pppk,
        _ => {
            c.fail(
                "jenisPegawai",
                "invalid_value",
                Message::new(
                    "Jenis pegawai harus PNS atau PPPK",
                    "The kind must be PNS or PPPK",
                ),
            );
            AsnKind::Pns
        }
    };
    let nip = match Nip::parse(c.get("nipBaru"), kind, input.today) {
        Ok(n) => Some(n.as_str().to_string()),
        Err(e) => {
            c.fail("nipBaru", "invalid_nip", e.message());
            None
        }
    };
    if let Some(n) = &nip {
        if let Some(first) = seen.insert(n.clone(), c.line) {
            c.fail(
                "nipBaru",
                "duplicate_row",
                Message::new(
                    format!("NIP ini sudah ada di baris {first}"),
                    format!("This NIP is already on line {first}"),
                ),
            );
        }
    }
    let existing = nip.as_ref().and_then(|n| known.get(n)).cloned();
    let name = match fields::text(c.get("nama"), 200) {
        Ok(n) if n.is_empty() => {
            c.required("nama");
            None
        }
        Ok(n) => Some(n),
        Err(m) => {
            c.fail("nama", "invalid_value", m);
            None
        }
    };
    let golongan = match c.get("golongan") {
        "" if kind == AsnKind::Pns && existing.is_none() => {
            c.fail(
                "golongan",
                "missing_value",
                Message::new(
                    "Golongan wajib diisi untuk PNS (mis. III/a)",
                    "The rank (golongan) is required for a PNS (e.g. III/a)",
                ),
            );
            None
        }
        "" => None,
        raw => match Golongan::parse(raw) {
            Some(g) => Some(g.code().to_string()),
            None => {
                c.fail(
                    "golongan",
                    "invalid_value",
                    Message::new(
                        "Golongan tidak dikenal (I/a sampai IV/e)",
                        "Unknown rank (I/a to IV/e)",
                    ),
                );
                None
            }
        },
    };
    let create = input.options.create_missing;
    let unit = super::unit_cell(c, places, create);
    let position = match c.get("jabatanNama") {
        "" => None,
        raw => match places.position(raw, create) {
            Ok(p) => Some(p),
            Err(issue) => {
                c.add("jabatanNama", issue);
                None
            }
        },
    };
    let email = match c.get("email") {
        "" => None,
        raw if plausible_email(raw) && raw.len() <= 200 => Some(raw.to_lowercase()),
        _ => {
            c.fail(
                "email",
                "invalid_email",
                Message::new("Alamat email tidak sah", "Not a valid email address"),
            );
            None
        }
    };
    let supervisor_nip = match super::nip_digits(c.get("nipAtasan")) {
        s if s.is_empty() => None,
        s if Some(&s) == nip.as_ref() => {
            c.fail(
                "nipAtasan",
                "invalid_value",
                Message::new(
                    "Pegawai tidak bisa menjadi atasannya sendiri",
                    "An employee cannot supervise themselves",
                ),
            );
            None
        }
        s if known.contains_key(&s) || in_file.contains_key(&s) => Some(s),
        _ => {
            c.fail(
                "nipAtasan",
                "unknown_employee",
                Message::new(
                    "Atasan dengan NIP ini tidak ada di Jejak maupun di berkas",
                    "No supervisor with this NIP in Jejak or in the file",
                ),
            );
            None
        }
    };
    if c.has_errors() {
        return None;
    }
    Some(Row {
        nip: nip?,
        name: name?,
        asn_kind: match kind {
            AsnKind::Pns => "pns",
            AsnKind::Pppk => "pppk",
        },
        golongan,
        unit: unit?,
        position,
        email,
        supervisor_nip,
        existing,
        action: RowAction::Rejected,
    })
}

/// The fields an update would change; a different unit or position is a warning.
fn changes_of(
    c: &mut Cells<'_>,
    e: &employee::Model,
    row: &Row,
    places: &Places,
    known_ids: &HashMap<i64, &str>,
) -> Vec<String> {
    let mut changes = Vec::new();
    if e.name != row.name {
        changes.push("nama".to_string());
    }
    if e.asn_kind != row.asn_kind {
        changes.push("jenisPegawai".into());
    }
    if row.golongan.is_some() && e.golongan != row.golongan {
        changes.push("golongan".into());
    }
    if row.email.is_some() && e.email != row.email {
        changes.push("email".into());
    }
    if let Some(s) = &row.supervisor_nip {
        let current = e.supervisor_id.and_then(|id| known_ids.get(&id).copied());
        if current != Some(s.as_str()) {
            changes.push("nipAtasan".into());
        }
    }
    let moved = row.unit != Place::Id(e.unit_id)
        || row
            .position
            .as_ref()
            .is_some_and(|p| e.position_id.map(Place::Id).as_ref() != Some(p));
    if moved {
        c.warn(
            "unorNama",
            "place_differs",
            Message::new(
                format!(
                    "Di Jejak pegawai ini di {}; unit dan jabatan tidak diubah oleh impor pegawai (gunakan impor mutasi, yang juga membuat rencana pelatihan)",
                    places.unit_label(&Place::Id(e.unit_id))
                ),
                format!(
                    "In Jejak this employee is in {}; an employee import does not change unit or position (import the transfer, which also creates the training plan)",
                    places.unit_label(&Place::Id(e.unit_id))
                ),
            ),
        );
    }
    changes
}

impl Checked {
    pub async fn write<C: ConnectionTrait>(self, to: Target<'_, C>) -> Result<Applied, AppError> {
        let Target { txn, actor, .. } = to;
        let (created, mut applied) =
            super::create_places(txn, actor, &self.new_units(), &self.new_positions()).await?;
        let now = chrono::Utc::now();
        let mut new_rows = Vec::new();
        for r in self.rows.iter().filter(|r| r.existing.is_none()) {
            new_rows.push(employee::ActiveModel {
                nip: Set(r.nip.clone()),
                asn_kind: Set(r.asn_kind.into()),
                name: Set(r.name.clone()),
                email: Set(r.email.clone()),
                unit_id: Set(created.unit_id(&r.unit)?),
                created_at: Set(now),
                golongan: Set(r.golongan.clone()),
                language: Set("id".into()),
                position_id: Set(match &r.position {
                    Some(p) => Some(created.position_id(p)?),
                    None => None,
                }),
                supervisor_id: Set(None),
                ..Default::default()
            });
        }
        applied.created = new_rows.len();
        insert_all(txn, new_rows).await?;
        // Everyone the file names, with ids, for supervisors and the audit.
        let mut nips: Vec<String> = self.rows.iter().map(|r| r.nip.clone()).collect();
        nips.extend(self.rows.iter().filter_map(|r| r.supervisor_nip.clone()));
        nips.sort();
        nips.dedup();
        let now_known = super::employees_by_nip(txn, &nips).await?;
        let mut audits = Vec::new();
        for r in &self.rows {
            let Some(current) = now_known.get(&r.nip) else {
                return Err(AppError::Internal {
                    reference: format!("import: employee {} not found after insert", r.nip),
                });
            };
            let supervisor_id = r
                .supervisor_nip
                .as_ref()
                .and_then(|s| now_known.get(s))
                .map(|e| e.id);
            let mut am = current.clone().into_active_model();
            if current.name != r.name {
                am.name = Set(r.name.clone());
            }
            if current.asn_kind != r.asn_kind {
                am.asn_kind = Set(r.asn_kind.into());
            }
            if r.golongan.is_some() && current.golongan != r.golongan {
                am.golongan = Set(r.golongan.clone());
            }
            if r.email.is_some() && current.email != r.email {
                am.email = Set(r.email.clone());
            }
            if supervisor_id.is_some() && current.supervisor_id != supervisor_id {
                am.supervisor_id = Set(supervisor_id);
            }
            // New rows were inserted complete; most need no second write.
            let after = if am.is_changed() {
                am.update(txn).await?
            } else {
                current.clone()
            };
            if r.existing.is_some() {
                applied.updated += 1;
            }
            let before = r.existing.as_ref();
            audits.push(super::audit_line(
                actor, "employee", after.id, before, &after, now,
            ));
        }
        insert_all::<audit_entry::ActiveModel, _>(txn, audits).await?;
        Ok(applied)
    }
}
