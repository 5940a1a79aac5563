//! Every translation key the code names exists in the table, in the right kind: a plain text
//! where it is looked up with `tr`/`t`, a counted text (with plural forms) where it is looked
//! up with `tr_n`/`t_n`. A key renamed or made countable without its call sites would show as
//! an empty text on screen; this finds it in the sources instead.

use profitbook_engine::i18n::{english_keys, tr, tr_n, Lang};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // The tables themselves name every key.
            if !path.ends_with("i18n") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The function a string literal at `at` is the argument of, if any: the identifier before
/// the nearest unclosed `(` on the way back.
fn called_with(source: &str, at: usize) -> Option<&str> {
    let before = &source[..at];
    let mut depth = 0;
    for (i, c) in before.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                let name_end = i;
                let name_start = before[..name_end]
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(0, |p| p + 1);
                return Some(&before[name_start..name_end]);
            }
            '(' => depth -= 1,
            ';' | '{' | '}' => return None,
            _ => {}
        }
    }
    None
}

#[test]
fn every_key_the_code_names_exists_as_it_is_used() {
    let plain: BTreeSet<&str> = english_keys().filter(|k| !k.contains('#')).collect();
    let counted: BTreeSet<&str> = english_keys()
        .filter_map(|k| k.split_once('#').map(|(base, _)| base))
        .collect();
    let namespaces: BTreeSet<&str> = english_keys()
        .filter_map(|k| k.split_once('.').map(|(ns, _)| ns))
        .collect();
    // Read when the test runs, not built in: clones share one target directory, and a test
    // binary built in another clone (cargo does not rebuild it for a new path) would read
    // that clone's sources, or fail when it is gone.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    let root = Path::new(&manifest_dir).join("../..");
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("crates/engine/src"), &mut files);
    rust_files(&root.join("crates/cli/src"), &mut files);
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        let mut rest = 0;
        while let Some(open) = source[rest..].find('"').map(|p| p + rest) {
            let Some(close) = source[open + 1..].find('"').map(|p| p + open + 1) else {
                break;
            };
            let literal = &source[open + 1..close];
            rest = close + 1;
            let looks_like_key = literal.split_once('.').is_some_and(|(ns, tail)| {
                namespaces.contains(ns)
                    && !tail.is_empty()
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._".contains(c))
                    && !tail.ends_with('.')
            });
            // File names such as "report.rs" share a namespace's name.
            if !looks_like_key || literal.ends_with(".rs") || literal.ends_with(".css") {
                continue;
            }
            checked += 1;
            let place = format!("{}: \"{literal}\"", file.display());
            match called_with(&source, open) {
                Some("tr" | "t") if !plain.contains(literal) => problems.push(format!(
                    "{place} is looked up as a plain text but is not one"
                )),
                Some("tr_n" | "t_n") if !counted.contains(literal) => problems.push(format!(
                    "{place} is looked up as a counted text but is not one"
                )),
                _ if !plain.contains(literal) && !counted.contains(literal) => {
                    problems.push(format!("{place} is not a key"))
                }
                _ => {}
            }
        }
    }
    assert!(
        checked > 300,
        "only {checked} keys found: is the scan still looking?"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // And each kind really comes back from its lookup.
    assert!(!tr(Lang::En, "app.title").is_empty());
    assert!(!tr_n(Lang::En, "table.shown", 3).is_empty());
}
