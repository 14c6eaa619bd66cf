//! The table of runtime paths (`generator/src/runtime_paths.rs`) against both sides:
//!
//! - this file includes the check the build script writes from the table, which compiles
//!   only if every listed path resolves in `openapi-gen-runtime` (with `mock`);
//! - [`generated_code_writes_only_listed_paths`] finds every runtime path in generated code
//!   and fails on any the table does not list.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use openapi_gen::runtime_paths::{RUNTIME_PATHS, is_listed, paths_in};

include!(concat!(env!("OUT_DIR"), "/runtime_paths_check.rs"));

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// Every `.rs` file under `dir` (none if it does not exist), skipping `target` folders.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The documents in `dir` (YAML and JSON), sorted; none if it does not exist.
fn documents(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    files.sort();
    files
}

/// Source texts of generated code, by where they come from.
fn generated_sources() -> BTreeMap<String, String> {
    let root = root();
    let mut sources = BTreeMap::new();
    // The SDK, as committed (its hand-written `lib.rs` included), and whatever
    // `cargo xtask corpus` last wrote.
    let mut files = Vec::new();
    rust_files(&root.join("generated/src"), &mut files);
    rust_files(&root.join("target/corpus"), &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable source");
        sources.insert(f.display().to_string(), text);
    }
    // The crates of the fixtures and the shared corpus, generated now. A document the
    // generator refuses has no code to check (`cargo xtask corpus` tests refusals).
    let dirs = [
        root.join("tests/fixtures/ok"),
        root.join("tests/fixtures/swagger2"),
        root.join("../shared/corpus/specs"),
        root.join("../shared/corpus/fragments"),
    ];
    for doc in dirs.iter().flat_map(|d| documents(d)) {
        let name = doc
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name");
        let bytes = std::fs::read(&doc).expect("document readable");
        let Ok(text) = openapi_gen::load::text_from_bytes(bytes, name) else {
            continue;
        };
        let Ok(krate) =
            openapi_gen::krate::generate_crate(&text, name, None, &openapi_gen::Options::default())
        else {
            continue;
        };
        sources.insert(format!("{} lib.rs", doc.display()), krate.lib_rs);
        for (file, text) in krate.module {
            sources.insert(format!("{} {file}", doc.display()), text);
        }
    }
    sources
}

#[test]
fn generated_code_writes_only_listed_paths() {
    let sources = generated_sources();
    assert!(
        sources.len() > 20,
        "too few generated sources: {}",
        sources.len()
    );
    let mut unlisted: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut seen = 0;
    for (source, text) in &sources {
        for path in paths_in(text) {
            seen += 1;
            if !is_listed(&path) {
                unlisted.entry(path).or_default().push(source);
            }
        }
    }
    assert!(seen > 50, "too few runtime paths found: {seen}");
    assert!(
        unlisted.is_empty(),
        "runtime paths in generated code that generator/src/runtime_paths.rs does not list \
         (add them to RUNTIME_PATHS, and to the runtime's `__private` if they are new):\n{}",
        unlisted
            .iter()
            .map(|(p, s)| format!(
                "  {p}  (in {}{})",
                s[0],
                if s.len() > 1 { ", .." } else { "" }
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_table_is_checked() {
    // The check module above has one line per entry.
    let check = openapi_gen::runtime_paths::check_source();
    for entry in RUNTIME_PATHS {
        let path = entry.split_once(" as ").map_or(*entry, |(p, _)| p);
        assert_eq!(
            check.matches(&format!("{} as _;", full(path))).count()
                + check.matches(&format!("= {};", full(path))).count(),
            1,
            "`{entry}` is not checked exactly once"
        );
    }
}

fn full(path: &str) -> String {
    match path.strip_prefix("runtime::") {
        Some(rest) => format!("openapi_gen_runtime::__private::{rest}"),
        None => path.to_owned(),
    }
}
