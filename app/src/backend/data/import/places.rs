//! Finding units and positions by the names a file gives them, and creating
//! the missing ones when the administrator asked for that.
//!
//! A unit is found by its name, or by a path (`Kecamatan Medan Belawan /
//! Seksi Pemerintahan`, also with `>`) when several units share a name
//! (every kecamatan has a "Seksi Pemerintahan"). Names are compared without
//! case and with spaces collapsed.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::{
    backend::entities::{position, unit},
    domain::import::Issue,
    error::{AppError, Message},
};

/// Where a row points.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    Id(i64),
    /// Not in Jejak yet; created on confirmation (the name as written).
    New(String),
}

fn key(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn path_key(raw: &str) -> String {
    raw.split(['/', '>'])
        .map(key)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

#[derive(Debug, Default)]
pub struct Places {
    /// Unit name → units with it.
    units: HashMap<String, Vec<i64>>,
    /// Every tail of every unit's path ("kecamatan x/seksi y") → units.
    unit_paths: HashMap<String, Vec<i64>>,
    positions: HashMap<String, Vec<i64>>,
    pub unit_names: HashMap<i64, String>,
    pub position_names: HashMap<i64, String>,
}

impl Places {
    pub async fn load<C: ConnectionTrait>(db: &C) -> Result<Places, AppError> {
        let units = unit::Entity::find().all(db).await?;
        let parents: HashMap<i64, (Option<i64>, String)> = units
            .iter()
            .map(|u| (u.id, (u.parent_id, key(&u.name))))
            .collect();
        let mut places = Places::default();
        for u in &units {
            places.units.entry(key(&u.name)).or_default().push(u.id);
            places.unit_names.insert(u.id, u.name.clone());
            // Walk up, registering each longer tail of the path.
            let mut tail = key(&u.name);
            let up = crate::domain::org::ancestors(u.id, |id| parents.get(&id)?.0);
            for (_, name) in up.iter().skip(1).map_while(|id| parents.get(id)) {
                tail = format!("{name}/{tail}");
                places
                    .unit_paths
                    .entry(tail.clone())
                    .or_default()
                    .push(u.id);
            }
        }
        for p in position::Entity::find().all(db).await? {
            places.positions.entry(key(&p.name)).or_default().push(p.id);
            places.position_names.insert(p.id, p.name);
        }
        Ok(places)
    }

    /// The unit a cell names. Missing: an error, or (`create`) a new unit
    /// (never from a path).
    pub fn unit(&self, raw: &str, create: bool) -> Result<Place, Issue> {
        let path = raw.contains(['/', '>']);
        let found = if path {
            self.unit_paths.get(&path_key(raw))
        } else {
            self.units.get(&key(raw))
        };
        pick(found, raw, create && !path, ("unit", "Unit"), |many| {
            Message::new(
                format!("Ada {many} unit bernama \"{raw}\"; tulis jalurnya, mis. \"Kecamatan Medan Belawan / {raw}\""),
                format!("There are {many} units named \"{raw}\"; write its path, e.g. \"Kecamatan Medan Belawan / {raw}\""),
            )
        })
    }

    /// The position a cell names. Missing: an error, or (`create`) a new one.
    pub fn position(&self, raw: &str, create: bool) -> Result<Place, Issue> {
        let found = self.positions.get(&key(raw));
        pick(found, raw, create, ("position", "Jabatan"), |many| {
            Message::new(
                format!("Ada {many} jabatan bernama \"{raw}\"; samakan namanya di menu Organisasi"),
                format!("There are {many} positions named \"{raw}\"; make the names distinct under Organisation"),
            )
        })
    }

    pub fn unit_label(&self, p: &Place) -> String {
        label(&self.unit_names, p)
    }

    pub fn position_label(&self, p: &Place) -> String {
        label(&self.position_names, p)
    }
}

/// What the places with a cell's name (`found`) make of it: the one
/// place; else a new one when `create` allows, or the refusal. `what`:
/// the English noun, as in the codes (`unknown_unit`), and the Indonesian
/// one that begins the message.
fn pick(
    found: Option<&Vec<i64>>,
    raw: &str,
    create: bool,
    (what, what_id): (&str, &str),
    ambiguous: impl FnOnce(usize) -> Message,
) -> Result<Place, Issue> {
    match found.map(Vec::as_slice) {
        Some([id]) => Ok(Place::Id(*id)),
        Some(many) if many.len() > 1 => Err(Issue::error(
            &format!("ambiguous_{what}"),
            ambiguous(many.len()),
        )),
        _ if create => Ok(Place::New(
            raw.split_whitespace().collect::<Vec<_>>().join(" "),
        )),
        _ => Err(Issue::error(
            &format!("unknown_{what}"),
            Message::new(
                format!("{what_id} \"{raw}\" tidak ada di Jejak; tambahkan dulu, atau pilih \"buat unit dan jabatan yang belum ada\""),
                format!("There is no {what} \"{raw}\" in Jejak; add it first, or choose \"create missing units and positions\""),
            ),
        )),
    }
}

/// A place as named: as in Jejak (`names`), or as the file wrote it.
fn label(names: &HashMap<i64, String>, p: &Place) -> String {
    match p {
        Place::Id(id) => names.get(id).cloned().unwrap_or_default(),
        Place::New(name) => name.clone(),
    }
}

/// The ids of the units and positions created for this import.
#[derive(Debug, Default)]
pub struct Created {
    units: HashMap<String, i64>,
    positions: HashMap<String, i64>,
}

impl Created {
    /// Creates what `places` found missing (top-level units; positions as
    /// `pelaksana` without a job family, to be completed under Organisation),
    /// each audited, inside the caller's transaction.
    pub async fn make<C: ConnectionTrait>(
        txn: &C,
        actor: &str,
        units: &[String],
        positions: &[String],
    ) -> Result<Created, AppError> {
        let now = chrono::Utc::now();
        let mut created = Created::default();
        for name in units {
            let u = unit::ActiveModel {
                parent_id: Set(None),
                name: Set(name.clone()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            crate::backend::audit::created(txn, actor, "unit.import", "unit", u.id, &name).await?;
            created.units.insert(name.clone(), u.id);
        }
        for name in positions {
            let p = position::ActiveModel {
                name: Set(name.clone()),
                kind: Set("pelaksana".into()),
                job_family: Set(String::new()),
                competencies: Set("[]".into()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            crate::backend::audit::created(txn, actor, "position.import", "position", p.id, &name)
                .await?;
            created.positions.insert(name.clone(), p.id);
        }
        Ok(created)
    }

    pub fn unit_count(&self) -> usize {
        self.units.len()
    }

    pub fn position_count(&self) -> usize {
        self.positions.len()
    }

    pub fn unit_id(&self, p: &Place) -> Result<i64, AppError> {
        match p {
            Place::Id(id) => Ok(*id),
            Place::New(name) => self
                .units
                .get(name)
                .copied()
                .ok_or_else(|| AppError::Internal {
                    reference: format!("import: unit {name:?} was not created"),
                }),
        }
    }

    pub fn position_id(&self, p: &Place) -> Result<i64, AppError> {
        match p {
            Place::Id(id) => Ok(*id),
            Place::New(name) => {
                self.positions
                    .get(name)
                    .copied()
                    .ok_or_else(|| AppError::Internal {
                        reference: format!("import: position {name:?} was not created"),
                    })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_names_are_compared_loosely() {
        assert_eq!(
            path_key(" Kecamatan  Medan Belawan / Seksi PEM "),
            "kecamatan medan belawan/seksi pem"
        );
        assert_eq!(path_key("A > B"), "a/b");
        assert_eq!(key("  Seksi   Umum "), "seksi umum");
    }
}

/// The names of the new places among `places`, sorted, each once.
pub fn new_names<'a>(places: impl Iterator<Item = &'a Place>) -> Vec<String> {
    let mut names: Vec<String> = places
        .filter_map(|p| match p {
            Place::New(n) => Some(n.clone()),
            Place::Id(_) => None,
        })
        .collect();
    names.sort();
    names.dedup();
    names
}
