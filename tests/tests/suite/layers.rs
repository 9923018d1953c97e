//! The house's floors (issue 18): a module of `app/src` may use its own
//! floor and those below it, never one above. Lowest first:
//!
//! 0. `error`, `lang`, `cookie` (and the generated `i18n`): the error type,
//!    the language, the cookies;
//! 1. `domain`: pure rules;
//! 2. `model`: the shared data types pages receive and send;
//! 3. `backend`: services over the database (server only);
//! 4. `api`: the server functions, thin;
//! 5. `components`, `pages` and the crate root (`lib.rs`): the user interface.
//!
//! And one path for the JSON API: `server/src/api` reaches the database
//! through the services, never through the entities.
//!
//! The check reads the sources as text: every `crate::…` path (also inside
//! grouped `use crate::{…}` lines) and every `super::…` that leaves its
//! folder, comments left out.

use std::path::{Path, PathBuf};

fn floor_of_top(top: &str) -> Option<u8> {
    Some(match top {
        "error" | "lang" | "cookie" | "i18n" => 0,
        "domain" => 1,
        "model" => 2,
        "backend" => 3,
        "api" => 4,
        "components" | "pages" => 5,
        _ => return None,
    })
}

/// The module path of a file below `app/src`: `backend/people/mod.rs` →
/// ["backend", "people"]; `lib.rs` → [].
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// The floor a file stands on: that of its top folder (the crate root and
/// files such as `lib.rs` stand on the top floor).
fn floor_of_file(module: &[String]) -> u8 {
    module.first().and_then(|t| floor_of_top(t)).unwrap_or(5)
}

/// Source text without `//` comments and string contents (so that paths
/// written in docs or messages do not count).
fn code_only(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    for line in src.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if !in_str && c == '/' && chars.peek() == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' {
                in_str = !in_str;
                out.push(c);
            } else if !in_str {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// Top-level items of a brace group starting after `{` at `start`; returns
/// the items and the index after the closing brace.
fn group_items(s: &str, start: usize) -> (Vec<String>, usize) {
    let bytes = s.as_bytes();
    let (mut depth, mut i, mut cur, mut items) = (1, start, String::new(), Vec::new());
    while i < bytes.len() && depth > 0 {
        let c = bytes[i] as char;
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 || (c == ',' && depth == 1) {
            if !cur.trim().is_empty() {
                items.push(cur.trim().to_string());
            }
            cur.clear();
        } else {
            cur.push(c);
        }
        i += 1;
    }
    (items, i)
}

fn ident_at(s: &str, at: usize) -> String {
    s[at..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Every top-level module a file names through `crate::` or through
/// `super::` chains that leave its folder, with the line it is on.
fn imports(src: &str, module: &[String]) -> Vec<(String, usize)> {
    let code = code_only(src);
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    let push_item = |item: &str, at: usize, found: &mut Vec<(String, usize)>| {
        let first = item.split("::").next().unwrap_or("").trim();
        let first = first.split_whitespace().next().unwrap_or("");
        if !first.is_empty() && first != "self" {
            found.push((first.to_string(), line_of(at)));
        }
    };
    let mut i = 0;
    while let Some(off) = code[i..].find("crate::") {
        let at = i + off;
        let before = code[..at].chars().last().unwrap_or(' ');
        let after = at + "crate::".len();
        i = after;
        if before.is_alphanumeric() || before == '_' || before == ':' {
            continue; // `$crate::`, `app::crate…` and the like
        }
        if code[after..].starts_with('{') {
            let (items, end) = group_items(&code, after + 1);
            for it in items {
                push_item(&it, at, &mut found);
            }
            i = end;
        } else {
            push_item(&ident_at(&code, after), at, &mut found);
        }
    }
    // `super::super::x` from a file: resolved against its module path.
    let mut i = 0;
    while let Some(off) = code[i..].find("super::") {
        let at = i + off;
        let before = code[..at].chars().last().unwrap_or(' ');
        i = at + 1;
        if before.is_alphanumeric() || before == '_' || before == ':' {
            continue;
        }
        let mut ups = 0;
        let mut j = at;
        while code[j..].starts_with("super::") {
            ups += 1;
            j += "super::".len();
        }
        i = j;
        // Inside `#[cfg(test)] mod tests` one `super` is the file itself;
        // counting it as leaving the file can only report more, so the
        // check stays strict. A path that stays inside the file's top
        // folder is on the same floor and needs no look.
        if ups < module.len() {
            continue;
        }
        if code[j..].starts_with('{') {
            let (items, end) = group_items(&code, j + 1);
            for it in items {
                push_item(&it, at, &mut found);
            }
            i = end;
        } else {
            push_item(&ident_at(&code, j), at, &mut found);
        }
    }
    found
}

/// Every import in `dir` (a tree of Rust sources) that climbs to a floor
/// above its file's, as "file:line uses crate::top (floor a > b)".
fn climbing_imports(root: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    for file in rust_files(root) {
        let rel = file.strip_prefix(root).unwrap();
        let module = module_path(rel);
        let own = floor_of_file(&module);
        let src = std::fs::read_to_string(&file).unwrap();
        for (top, line) in imports(&src, &module) {
            if let Some(floor) = floor_of_top(&top) {
                if floor > own {
                    bad.push(format!(
                        "{}:{line} uses crate::{top} (floor {floor}) from floor {own}",
                        rel.display()
                    ));
                }
            }
        }
    }
    bad
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn no_module_of_app_imports_from_a_floor_above_it() {
    let root = workspace().join("app/src");
    assert!(
        rust_files(&root).len() > 100,
        "the sources of app/src were not found"
    );
    let bad = climbing_imports(&root);
    assert!(bad.is_empty(), "imports that climb:\n{}", bad.join("\n"));
}

#[test]
fn the_json_api_reaches_the_database_through_the_services() {
    let root = workspace().join("server/src/api");
    let files = rust_files(&root);
    assert!(files.len() >= 3, "server/src/api not found");
    let mut bad = Vec::new();
    for f in files {
        let code = code_only(&std::fs::read_to_string(&f).unwrap());
        for (n, line) in code.lines().enumerate() {
            if line.contains("entities") || line.contains("sea_orm::") && line.contains("Entity") {
                bad.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "server/src/api uses entities:\n{}",
        bad.join("\n")
    );
}

/// The check itself: it finds a climbing import in every form it takes,
/// and leaves lawful ones alone.
#[test]
fn the_check_sees_imports_that_climb() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("lib.rs", "use crate::backend::x; use crate::api::y;\n");
    write(
        "domain/a.rs",
        "use crate::error::AppError;\nuse crate::model::Row;\n",
    );
    write(
        "backend/people/b.rs",
        "use crate::{domain::x, api::accounts::Row};\n// use crate::pages::x;\nconst S: &str = \"crate::pages::y\";\n",
    );
    write("backend/c.rs", "fn f() { let _ = crate::api::thing(); }\n");
    write(
        "model/d.rs",
        "use super::super::backend::x;\nuse super::e::Row;\n",
    );
    write(
        "api/e.rs",
        "use crate::{backend::{state::AppState}, model::e::Row};\n",
    );
    let mut bad = climbing_imports(dir.path());
    bad.sort();
    assert_eq!(
        bad,
        vec![
            "backend/c.rs:1 uses crate::api (floor 4) from floor 3".to_string(),
            "backend/people/b.rs:1 uses crate::api (floor 4) from floor 3".to_string(),
            "domain/a.rs:2 uses crate::model (floor 2) from floor 1".to_string(),
            "model/d.rs:1 uses crate::backend (floor 3) from floor 2".to_string(),
        ]
    );
}
