//! The client's files (`/pkg/jejak.css`, `.js`, `.wasm`) and their versions.
//!
//! The files keep their names from one build to the next (tests, the bench
//! and the precompressed `.br`/`.gz` beside them all use the plain names).
//! Pages link them with a version, `/pkg/jejak.wasm?v=<hash of the file>`,
//! and an address whose version is the file's current one can be cached for
//! a year (`immutable`): a new build changes the hash, so pages link a new
//! address and no browser revalidates between builds. A plain address, or
//! one naming an older version (a page rendered before a deploy), is still
//! served, with `no-cache`.
//!
//! A version is recomputed when the file's size or modification time
//! changes, so a client rebuilt while the server runs is never served under
//! its predecessor's version.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use sha2::{Digest, Sha256};

/// The files a page links, under `pkg/` of the site root.
pub const FILES: [&str; 3] = ["jejak.css", "jejak.js", "jejak.wasm"];

/// For an address whose version is the file's own: kept a year, never asked again.
pub const CACHE_VERSIONED: &str = "public, max-age=31536000, immutable";
/// For any other address: kept, but asked again (a 304 while unchanged).
pub const CACHE_UNVERSIONED: &str = "no-cache";

/// The version of `/client.js` (built into the binary: computed once).
pub fn script_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| content_version(crate::client_script().as_bytes()))
}

/// A file's version: the first 16 hex digits of its SHA-256.
fn content_version(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

struct Known {
    stamp: Stamp,
    version: String,
}

pub struct ClientAssets {
    pkg_dir: PathBuf,
    known: Mutex<[Option<Known>; 3]>,
}

impl ClientAssets {
    pub fn new(site_root: &Path) -> Self {
        Self {
            pkg_dir: site_root.join("pkg"),
            known: Mutex::new([None, None, None]),
        }
    }

    /// The address a page links for `file` (one of [`FILES`]): with the
    /// file's version, or plain when the file cannot be read.
    pub fn url(&self, file: &str) -> String {
        match self.version(file) {
            Some(v) => format!("/pkg/{file}?v={v}"),
            None => format!("/pkg/{file}"),
        }
    }

    /// The current version of `file`: the first 16 hex digits of its SHA-256.
    /// `None` for a file not in [`FILES`] or not readable.
    pub fn version(&self, file: &str) -> Option<String> {
        let index = FILES.iter().position(|f| *f == file)?;
        let path = self.pkg_dir.join(file);
        let meta = std::fs::metadata(&path).ok()?;
        let stamp = Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        };
        {
            let known = self.known.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(k) = &known[index] {
                if k.stamp == stamp {
                    return Some(k.version.clone());
                }
            }
        }
        // Hashed outside the lock; two requests may both hash a new file once.
        let bytes = std::fs::read(&path).ok()?;
        let version = content_version(&bytes);
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        known[index] = Some(Known {
            stamp,
            version: version.clone(),
        });
        Some(version)
    }

    /// The `Cache-Control` for a request of `/pkg/<file>` with the query `query`.
    pub fn cache_control(&self, file: &str, query: Option<&str>) -> &'static str {
        cache_for(query, self.version(file).as_deref())
    }
}

/// Cached for long when the address asks for the `current` version
/// (`?v=…`), revalidated otherwise.
pub fn cache_for(query: Option<&str>, current: Option<&str>) -> &'static str {
    let asked = query.and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("v=")));
    match (asked, current) {
        (Some(asked), Some(current)) if asked == current => CACHE_VERSIONED,
        _ => CACHE_UNVERSIONED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_follows_the_file_and_only_the_current_one_is_cached_for_long() {
        let dir = std::env::temp_dir().join(format!("jejak-assets-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("pkg/jejak.css"), "body{}").unwrap();
        let assets = ClientAssets::new(&dir);

        let v1 = assets.version("jejak.css").unwrap();
        assert_eq!(v1.len(), 16);
        assert_eq!(assets.url("jejak.css"), format!("/pkg/jejak.css?v={v1}"));
        assert_eq!(
            assets.cache_control("jejak.css", Some(&format!("v={v1}"))),
            CACHE_VERSIONED
        );
        assert_eq!(assets.cache_control("jejak.css", None), CACHE_UNVERSIONED);
        assert_eq!(
            assets.cache_control("jejak.css", Some("v=0000")),
            CACHE_UNVERSIONED
        );

        // A rebuild: a different size is noticed even within the same second.
        std::fs::write(dir.join("pkg/jejak.css"), "body{color:red}").unwrap();
        let v2 = assets.version("jejak.css").unwrap();
        assert_ne!(v1, v2);
        assert_eq!(
            assets.cache_control("jejak.css", Some(&format!("v={v1}"))),
            CACHE_UNVERSIONED
        );

        // Missing or unknown files: plain addresses, never cached for long.
        assert_eq!(assets.url("jejak.js"), "/pkg/jejak.js");
        assert_eq!(
            assets.cache_control("jejak.js", Some("v=x")),
            CACHE_UNVERSIONED
        );
        assert_eq!(assets.version("lain.txt"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
