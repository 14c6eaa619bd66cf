//! Snapshot tests of the generator: fixture specs in `tests/fixtures/ok` (each 3.1 construct,
//! keyword-named properties, colliding inline names, recursion), the real SDK spec, and a
//! corpus of broken specs whose error messages are part of the contract.
//!
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test` then
//! `git diff tests/snapshots`).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn generate(path: &Path) -> Result<String, openapi_gen::Error> {
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("utf-8 name");
    let files = openapi_gen::generate(&text, name)?;
    // One document, files in name order, so a snapshot shows the whole output.
    Ok(files
        .iter()
        .map(|(name, text)| format!("==> {name} <==\n{text}"))
        .collect::<Vec<_>>()
        .join("\n"))
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(root().join("tests/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn fixtures_generate() {
    let fixtures = fixtures("ok");
    assert!(fixtures.len() >= 4, "fixtures missing");
    for path in fixtures {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("stem")
            .to_owned();
        let out = generate(&path).unwrap_or_else(|e| panic!("{stem}: {e}"));
        settings().bind(|| insta::assert_snapshot!(format!("ok__{stem}"), out));
    }
}

#[test]
fn broken_specs_give_located_errors() {
    let fixtures = fixtures("broken");
    assert!(fixtures.len() >= 5, "fixtures missing");
    for path in fixtures {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("stem")
            .to_owned();
        let err = match generate(&path) {
            Ok(_) => panic!("{stem}: expected an error"),
            Err(e) => e.to_string(),
        };
        settings().bind(|| insta::assert_snapshot!(format!("broken__{stem}"), err));
    }
}

#[test]
fn sdk_spec_snapshot() {
    let out =
        generate(&root().join("spec/openrouter.yaml")).expect("spec/openrouter.yaml generates");
    settings().bind(|| insta::assert_snapshot!("sdk__openrouter", out));
}

#[test]
fn generation_is_deterministic() {
    let spec = root().join("spec/openrouter.yaml");
    let a = generate(&spec).expect("generates");
    let b = generate(&spec).expect("generates");
    assert!(a == b, "two runs differ");
}
