//! Golongan (rank) of a PNS: I/a … IV/e, ordered, with the pangkat name.

use serde::{Deserialize, Serialize};

/// Golongan as an ordered number: I/a = 1 … IV/e = 17 (group IV has five ranks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Golongan(u8);

const NAMES: [(&str, &str); 17] = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
];

impl Golongan {
    /// Parses "III/a", "iii/A", "III a", "3a" or "III-a".
    pub fn parse(raw: &str) -> Option<Golongan> {
        let s: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, '/' | ' ' | '-' | '.'))
            .collect();
        let s = s.to_ascii_lowercase();
        let (group, letter) = s.split_at(s.len().checked_sub(1)?);
        let group = match group {
            "i" | "1" => 0,
            "ii" | "2" => 4,
            "iii" | "3" => 8,
            "iv" | "4" => 12,
            _ => return None,
        };
        let max = if group == 12 { 5 } else { 4 };
        let idx = (letter.chars().next()? as u8).checked_sub(b'a')?;
        (idx < max).then(|| Golongan(group + idx + 1))
    }

    pub fn code(self) -> &'static str {
        NAMES[(self.0 - 1) as usize].0
    }

    pub fn pangkat(self) -> &'static str {
        NAMES[(self.0 - 1) as usize].1
    }

    pub fn all() -> impl Iterator<Item = Golongan> {
        (1..=17).map(Golongan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_people_write() {
        assert_eq!(Golongan::parse("III/a").unwrap().code(), "III/a");
        assert_eq!(Golongan::parse(" iii/A ").unwrap().code(), "III/a");
        assert_eq!(Golongan::parse("3b").unwrap().code(), "III/b");
        assert_eq!(Golongan::parse("IV-e").unwrap().pangkat(), "Pembina Utama");
        assert_eq!(Golongan::parse("I/d").unwrap().pangkat(), "Juru Tingkat I");
        for bad in ["", "III/e", "V/a", "II/", "IV/f", "a"] {
            assert_eq!(Golongan::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn ranks_are_ordered_and_round_trip() {
        let all: Vec<_> = Golongan::all().collect();
        assert_eq!(all.len(), 17);
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        for g in all {
            assert_eq!(Golongan::parse(g.code()), Some(g));
        }
        assert!(Golongan::parse("II/d").unwrap() < Golongan::parse("III/a").unwrap());
    }
}
