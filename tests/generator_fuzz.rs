//! The generator fuzz tests' committed failing inputs, replayed, and the stage-by-stage
//! reproducer of one input (see `fuzz/mod.rs`; the fuzzing itself is in
//! `generator_fuzz_text.rs`, `generator_fuzz_specs.rs` and `generator_fuzz_edges.rs`).

mod fuzz;

use std::path::PathBuf;
use std::time::Instant;

use fuzz::{CASE_STACK, REGRESSIONS, check, last_case_path, root};

/// Every input a fuzz run ever failed on (committed in [`REGRESSIONS`]) must now pass: it
/// generates, or fails with a located error. The folder must exist, so a checkout that
/// lost it fails here instead of passing without checking.
#[test]
fn regressions() {
    let dir = root().join(REGRESSIONS);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no regression case", dir.display());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| {
            // Lossy: a saved text mutation may hold invalid UTF-8 replaced by U+FFFD.
            let text = String::from_utf8_lossy(
                &std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            )
            .into_owned();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            check(&text, &name)
                .err()
                .map(|why| format!("{}: {why}", path.display()))
        })
        .collect();
    eprintln!("generator_fuzz: {} regression cases", files.len());
    assert!(
        failures.is_empty(),
        "{} regression cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Reproduce one input by hand: `GENERATOR_FUZZ_FILE=path cargo test -p integration-tests
/// --test generator_fuzz -- --ignored reproduce --nocapture` runs each stage on a 2 MiB stack
/// and says where it stops (default: the last case a fuzz run saved).
#[test]
#[ignore = "by hand: replays one saved input (GENERATOR_FUZZ_FILE)"]
fn reproduce() {
    let path = std::env::var_os("GENERATOR_FUZZ_FILE").map_or_else(last_case_path, PathBuf::from);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    std::thread::Builder::new()
        .stack_size(CASE_STACK)
        .spawn(move || {
            let stage = |what: &str, started: Instant| {
                eprintln!("{what}: done in {:?}", started.elapsed());
            };
            let t = Instant::now();
            let loaded = match openapi_gen::load::load_str(&text, &name) {
                Ok(l) => l,
                Err(e) => return eprintln!("load: {e}"),
            };
            stage("load", t);
            let t = Instant::now();
            let model = match openapi_gen::model::build(&loaded.openapi) {
                Ok(m) => m,
                Err(e) => return eprintln!("model: {e}"),
            };
            stage("model", t);
            let t = Instant::now();
            let tokens = openapi_gen::emit::emit(&model);
            stage("emit", t);
            let t = Instant::now();
            match openapi_gen::write::render(tokens) {
                Ok(files) => eprintln!("write: {} files", files.len()),
                Err(e) => eprintln!("write: {e}"),
            }
            stage("write", t);
        })
        .expect("spawn")
        .join()
        .expect("no panic");
}
