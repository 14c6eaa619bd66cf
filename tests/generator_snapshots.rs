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
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("utf-8 name");
    // Bytes, not text: a fixture that is not UTF-8 must be refused, located.
    let bytes = std::fs::read(path).expect("fixture readable");
    let text = openapi_gen::load::text_from_bytes(bytes, name)?;
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

// No snapshot of the SDK itself: the committed `generated/` is its own snapshot, guarded by
// the drift check (`generated_code_is_up_to_date`), and a spec change is reviewed through
// its `generated/` diff and the API change report (README, "Reviewing a spec change").

#[test]
fn generation_is_deterministic() {
    let spec = root().join("spec/openrouter.yaml");
    let a = generate(&spec).expect("generates");
    let b = generate(&spec).expect("generates");
    assert!(a == b, "two runs differ");
}

/// `(kind, pointer)` of every warning generating `tests/fixtures/ok/<stem>.yaml` gives.
fn warnings_of(stem: &str) -> Vec<(String, String)> {
    let path = root()
        .join("tests/fixtures/ok")
        .join(format!("{stem}.yaml"));
    let text = std::fs::read_to_string(&path).expect("fixture readable");
    let generated = openapi_gen::generate_with(&text, stem, &openapi_gen::Options::default())
        .unwrap_or_else(|e| panic!("{stem}: {e}"));
    generated
        .warnings
        .iter()
        .map(|w| (w.kind.name().to_owned(), w.pointer.clone()))
        .collect()
}

/// The tolerated constructs (`tol_*` fixtures) generate and say where meaning was widened
/// or dropped: kind and pointer of each warning, in pointer order, for every `tol_` fixture
/// (snapshot `warnings__tolerated_constructs`; a new fixture shows up there for review).
#[test]
fn tolerated_constructs_warn() {
    let stems: Vec<String> = fixtures("ok")
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_owned))
        .filter(|s| s.starts_with("tol_"))
        .collect();
    assert!(!stems.is_empty(), "tol_ fixtures missing");
    let mut listing = String::new();
    for stem in &stems {
        let warnings = warnings_of(stem);
        if warnings.is_empty() {
            listing.push_str(&format!("{stem}: no warnings\n"));
            continue;
        }
        listing.push_str(&format!("{stem}:\n"));
        for (kind, pointer) in warnings {
            listing.push_str(&format!("  {kind} {pointer}\n"));
        }
    }
    settings().bind(|| insta::assert_snapshot!("warnings__tolerated_constructs", listing));
}

/// `strict` turns the first warning into a located error; a clean spec is unaffected.
#[test]
fn strict_mode_refuses_on_warnings() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/ok/tol_stray_keys.yaml"))
        .expect("fixture readable");
    let strict = openapi_gen::Options { strict: true };
    let err = openapi_gen::generate_with(&text, "tol_stray_keys.yaml", &strict)
        .expect_err("strict refuses")
        .to_string();
    settings().bind(|| insta::assert_snapshot!("strict__tol_stray_keys", err));
    let clean = std::fs::read_to_string(root().join("tests/fixtures/ok/recursive.yaml"))
        .expect("fixture readable");
    let ok = openapi_gen::generate_with(&clean, "recursive.yaml", &strict).expect("generates");
    assert!(ok.warnings.is_empty());
}

/// The warning text and JSON forms tooling reads.
#[test]
fn warning_display_and_json() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/ok/tol_stray_keys.yaml"))
        .expect("fixture readable");
    let g = openapi_gen::generate_with(&text, "tol_stray_keys.yaml", &Default::default())
        .expect("generates");
    let shown: Vec<String> = g.warnings.iter().map(ToString::to_string).collect();
    let json = openapi_gen::warnings::to_json(&g.warnings);
    settings().bind(|| {
        insta::assert_snapshot!("warnings__tol_stray_keys", shown.join("\n"));
        insta::assert_snapshot!("warnings_json__tol_stray_keys", json);
    });
}

/// A repeated mapping key is placed at its second occurrence (its pointer alone leads to the
/// first), and `--strict` refuses it.
#[test]
fn duplicate_keys_are_placed_at_the_repeat() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/ok/tol_fragments.yaml"))
        .expect("fixture readable");
    let generated = openapi_gen::generate_with(&text, "t", &openapi_gen::Options::default())
        .expect("generates");
    let w = generated
        .warnings
        .iter()
        .find(|w| w.pointer == "#/paths/~1nodes")
        .expect("a warning for the repeated key");
    assert_eq!((w.line, w.column), (Some(20), Some(3)), "{w}");
    let strict = openapi_gen::generate_with(&text, "t", &openapi_gen::Options { strict: true });
    assert!(strict.is_err());
}
