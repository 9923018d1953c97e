//! Rules about the organisation: unit names and the unit tree.

use crate::error::AppError;

pub const UNIT_NAME_MAX: usize = 150;

/// Trims and checks a unit name; returns the name to store.
pub fn validate_unit_name(raw: &str) -> Result<String, AppError> {
    let name = super::text::tidy_spaces(raw);
    if name.is_empty() {
        return Err(AppError::invalid(
            "name",
            "Nama unit wajib diisi",
            "The unit name is required",
        ));
    }
    let len = name.chars().count();
    if len > UNIT_NAME_MAX {
        return Err(AppError::invalid(
            "name",
            format!("Nama unit terlalu panjang: {len} karakter (maksimum {UNIT_NAME_MAX})"),
            format!("The unit name is too long: {len} characters (at most {UNIT_NAME_MAX})"),
        ));
    }
    if name.chars().any(|c| c.is_control()) {
        return Err(AppError::invalid(
            "name",
            "Nama unit mengandung karakter kendali yang tidak diizinkan",
            "The unit name contains control characters",
        ));
    }
    Ok(name)
}

/// A unit as far as tree ordering needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
}

/// Orders units depth-first (parents before children, siblings by name) and
/// gives each its depth. Units whose parent is missing are treated as roots;
/// a cycle cannot hang this (each unit is visited once).
pub fn depth_first(nodes: &[TreeNode]) -> Vec<(usize, u32)> {
    use std::collections::{HashMap, HashSet};
    let ids: HashSet<i64> = nodes.iter().map(|n| n.id).collect();
    let mut children: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        let parent = n.parent_id.filter(|p| ids.contains(p) && *p != n.id);
        children.entry(parent).or_default().push(i);
    }
    for list in children.values_mut() {
        list.sort_by(|&a, &b| {
            nodes[a]
                .name
                .to_lowercase()
                .cmp(&nodes[b].name.to_lowercase())
        });
    }
    let mut out = Vec::with_capacity(nodes.len());
    let mut seen = HashSet::new();
    let mut stack: Vec<(usize, u32)> = children
        .get(&None)
        .map(|r| r.iter().rev().map(|&i| (i, 0)).collect())
        .unwrap_or_default();
    while let Some((i, depth)) = stack.pop() {
        if !seen.insert(i) {
            continue;
        }
        out.push((i, depth));
        if let Some(kids) = children.get(&Some(nodes[i].id)) {
            stack.extend(kids.iter().rev().map(|&k| (k, depth + 1)));
        }
    }
    // Anything left is part of a cycle with no root: list it flat at the end.
    for i in 0..nodes.len() {
        if !seen.contains(&i) {
            out.push((i, 0));
        }
    }
    out
}

/// How far up a walk of the unit tree goes at most: no real tree is this
/// deep, so only a cycle a hand-edited database might hold gets there.
pub const MAX_DEPTH: usize = 64;

/// The unit `start` followed by its ancestors, nearest first, as
/// `parent_of` tells each unit's parent (`None`: a root, or a unit not
/// known). A cycle, or a chain deeper than [`MAX_DEPTH`], stops the walk.
/// The one walk up the unit tree: every path from a unit to the top is this.
pub fn ancestors(start: i64, parent_of: impl Fn(i64) -> Option<i64>) -> Vec<i64> {
    let mut path = vec![start];
    let mut current = start;
    while let Some(parent) = parent_of(current) {
        if path.contains(&parent) || path.len() > MAX_DEPTH {
            break;
        }
        path.push(parent);
        current = parent;
    }
    path
}

/// The units at or below `roots`, given every unit as (id, parent).
pub fn subtree(units: &[(i64, Option<i64>)], roots: &[i64]) -> std::collections::HashSet<i64> {
    let mut out: std::collections::HashSet<i64> = roots.iter().copied().collect();
    loop {
        let before = out.len();
        for (id, parent) in units {
            if parent.is_some_and(|p| out.contains(&p)) {
                out.insert(*id);
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// A unit tree for tests of walks up it, as unit → parent: 3 > 2 > 1;
/// 4 > 5 > 4 (a cycle); 6's parent is unknown.
#[cfg(test)]
pub(crate) fn tree_with_a_cycle() -> std::collections::HashMap<i64, Option<i64>> {
    [
        (1, None),
        (2, Some(1)),
        (3, Some(2)),
        (4, Some(5)),
        (5, Some(4)),
        (6, Some(99)),
    ]
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names_are_trimmed_and_checked() {
        assert_eq!(
            validate_unit_name("  Seksi   Pemerintahan ").unwrap(),
            "Seksi Pemerintahan"
        );
        assert_eq!(validate_unit_name("   ").unwrap_err().field(), Some("name"));
        let long = "a".repeat(151);
        assert!(validate_unit_name(&long)
            .unwrap_err()
            .message("id")
            .contains("151 karakter"));
        assert!(validate_unit_name(&"a".repeat(150)).is_ok());
    }

    fn n(id: i64, parent: Option<i64>, name: &str) -> TreeNode {
        TreeNode {
            id,
            parent_id: parent,
            name: name.into(),
        }
    }

    #[test]
    fn orders_parents_before_children() {
        let nodes = vec![
            n(3, Some(1), "Seksi B"),
            n(1, None, "Kecamatan"),
            n(2, Some(1), "Seksi A"),
            n(4, Some(2), "Sub A1"),
        ];
        let order: Vec<(i64, u32)> = depth_first(&nodes)
            .into_iter()
            .map(|(i, d)| (nodes[i].id, d))
            .collect();
        assert_eq!(order, vec![(1, 0), (2, 1), (4, 2), (3, 1)]);
    }

    #[test]
    fn survives_cycles_and_orphans() {
        let nodes = vec![
            n(1, Some(2), "A"),
            n(2, Some(1), "B"),
            n(3, Some(99), "Orphan"),
        ];
        let order = depth_first(&nodes);
        assert_eq!(order.len(), 3);
    }

    #[test]
    fn a_walk_up_goes_to_the_top_and_survives_cycles() {
        use std::collections::HashMap;
        let parents = tree_with_a_cycle();
        let walk = |start| super::ancestors(start, |u| parents.get(&u).copied().flatten());
        assert_eq!(walk(3), vec![3, 2, 1]);
        assert_eq!(walk(1), vec![1]);
        assert_eq!(walk(4), vec![4, 5]);
        assert_eq!(walk(6), vec![6, 99]);
        assert_eq!(walk(42), vec![42], "an unknown unit is its own path");
        let chain: HashMap<i64, Option<i64>> = (0..200).map(|i| (i, Some(i + 1))).collect();
        let deep = super::ancestors(0, |u| chain.get(&u).copied().flatten());
        assert_eq!(
            deep.len(),
            super::MAX_DEPTH + 1,
            "an absurd depth stops the walk"
        );
    }

    #[test]
    fn a_subtree_holds_its_roots_and_everything_below() {
        // 1 > 2 > 3, 1 > 4, 5 alone
        let units = [
            (1, None),
            (2, Some(1)),
            (3, Some(2)),
            (4, Some(1)),
            (5, None),
        ];
        let mut got: Vec<i64> = super::subtree(&units, &[2]).into_iter().collect();
        got.sort();
        assert_eq!(got, vec![2, 3]);
        assert_eq!(super::subtree(&units, &[1, 5]).len(), 5);
        assert!(super::subtree(&units, &[]).is_empty());
    }
}
