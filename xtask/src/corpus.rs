//! `cargo xtask corpus`: compile what we generate. Every fixture in `tests/fixtures/ok`, every
//! document in `../shared/corpus/specs` and every fragment in `../shared/corpus/fragments`
//! becomes a standalone crate under `target/corpus/` (package `corpus-<file stem>`, so the
//! shared target dir never replays one crate's diagnostics for another). They form one cargo
//! workspace, so dependencies build once, and must pass
//! `cargo clippy --workspace --all-targets -- -D warnings`, their doctests (the generated
//! quick start) and the examples round-trip test. Documents named with `--refuse FILE` must
//! instead be refused with a located error (a JSON pointer, or a line and column). A folder
//! with a `ROOTS` file (`../shared/corpus/specs2`) also holds documents split over files:
//! each line names a subfolder, its root file and, optionally, the reference root (relative
//! to the subfolder).

use crate::root;
use openapi_gen::write::Mode;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

pub const USAGE: &str = "usage: cargo xtask corpus [--refuse FILE]... [--no-build] [DIR_OR_FILE...]

  Generates a crate for every document (default: tests/fixtures/ok, tests/fixtures/swagger2,
  tests/fixtures/split (split documents from its ROOTS), ../shared/corpus/specs,
  ../shared/corpus/specs2 (split documents from its ROOTS), ../shared/corpus/fragments)
  into target/corpus, then runs clippy -D warnings, the doctests
  and the examples round-trip tests on all of them as one workspace.
  --refuse FILE   FILE (a file name) must be refused with a located error instead
  --no-build      generate and check refusals only";

struct Opts {
    refuse: Vec<String>,
    build: bool,
    inputs: Vec<PathBuf>,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Opts, String> {
    let mut o = Opts {
        refuse: Vec::new(),
        build: true,
        inputs: Vec::new(),
    };
    let mut args = args.peekable();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--refuse" => o.refuse.push(
                args.next()
                    .ok_or_else(|| format!("--refuse needs a file name\n{USAGE}"))?,
            ),
            "--no-build" => o.build = false,
            flag if flag.starts_with('-') => {
                return Err(format!("unknown argument `{flag}`\n{USAGE}"));
            }
            path => o.inputs.push(PathBuf::from(path)),
        }
    }
    if o.inputs.is_empty() {
        o.inputs = vec![
            root().join("tests/fixtures/ok"),
            root().join("tests/fixtures/swagger2"),
            root().join("tests/fixtures/split"),
            root().join("../shared/corpus/specs"),
            root().join("../shared/corpus/specs2"),
            root().join("../shared/corpus/fragments"),
        ];
    }
    Ok(o)
}

/// One document: its root file, the reference root of a split one, and the name its crate
/// and table row go by (the file name, or the folder of a split document).
pub(crate) struct Doc {
    pub(crate) path: PathBuf,
    pub(crate) ref_root: Option<PathBuf>,
    pub(crate) label: PathBuf,
}

impl Doc {
    /// A document in one file.
    pub(crate) fn file(path: PathBuf) -> Doc {
        Doc {
            label: path.clone(),
            path,
            ref_root: None,
        }
    }
}

pub(crate) fn documents(inputs: &[PathBuf]) -> Result<Vec<Doc>, String> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_file() {
            out.push(Doc {
                path: input.clone(),
                ref_root: None,
                label: input.clone(),
            });
            continue;
        }
        if !input.is_dir() {
            println!("corpus: skipped {} (not present)", input.display());
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(input)
            .map_err(|e| format!("{}: {e}", input.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            })
            .collect();
        files.sort();
        out.extend(files.into_iter().map(|path| Doc {
            label: path.clone(),
            path,
            ref_root: None,
        }));
        out.extend(split_roots(input)?);
    }
    Ok(out)
}

/// The split documents a folder's `ROOTS` file lists (`folder<TAB>root[<TAB>ref root]`).
fn split_roots(dir: &Path) -> Result<Vec<Doc>, String> {
    let Ok(text) = std::fs::read_to_string(dir.join("ROOTS")) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let [folder, file, rest @ ..] = fields.as_slice() else {
            return Err(format!(
                "{}: bad line `{line}`",
                dir.join("ROOTS").display()
            ));
        };
        let base = dir.join(folder);
        out.push(Doc {
            path: base.join(file),
            ref_root: rest.first().map(|r| base.join(r)),
            label: base,
        });
    }
    Ok(out)
}

/// `r11-int-bound.json` → `corpus-r11-int-bound-json` (the extension keeps a YAML and a JSON
/// twin apart).
/// The corpus workspace's manifest: one member per generated crate.
pub(crate) fn workspace_manifest<'a>(members: impl IntoIterator<Item = &'a String>) -> String {
    format!(
        "# @generated by cargo xtask corpus\n[workspace]\nresolver = \"3\"\nmembers = [\n{}]\n\n\
         [profile.dev]\ndebug = \"line-tables-only\"\n\n\
         [profile.dev.package.\"*\"]\ndebug = false\n",
        members
            .into_iter()
            .map(|m| format!("    \"{m}\",\n"))
            .collect::<String>()
    )
}

pub(crate) fn package_name(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("doc");
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').replace("--", "-");
    let slug = slug
        .strip_suffix("-yaml")
        .or_else(|| slug.strip_suffix("-yml"))
        .unwrap_or(&slug);
    format!("corpus-{slug}")
}

pub fn main(args: impl Iterator<Item = String>) -> Result<ExitCode, String> {
    let o = parse(args)?;
    let docs = documents(&o.inputs)?;
    let dir = root().join("target/corpus");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut members = Vec::new();
    let mut failures = Vec::new();
    let mut table =
        String::from("| document | result | warnings | generated lines |\n|---|---|---|---:|\n");
    let mut all_warnings = Vec::new();
    for Doc {
        path: doc,
        ref_root,
        label,
    } in &docs
    {
        let file = label
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let name = package_name(label);
        let out = dir.join(&name);
        let options = crate::standalone::Options {
            name: Some(name.clone()),
            vendor_runtime: false,
        };
        let expect_refusal = o.refuse.iter().any(|r| r == file);
        match crate::standalone::write_split(
            doc,
            ref_root.as_deref(),
            &out,
            Mode::Write,
            &options,
            &openapi_gen::Options::default(),
        ) {
            Err(e) if expect_refusal && located(&e) => {
                println!("corpus: {file}: refused as expected: {e}");
                let _ = writeln!(table, "| {file} | refused (expected) | | |");
            }
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                let _ = writeln!(table, "| {file} | refused | | |");
            }
            Ok(_) if expect_refusal => {
                failures.push(format!("{file}: generated, but should have been refused"));
            }
            Ok(written) => {
                let kinds: Vec<String> = openapi_gen::warnings::summary(&written.warnings)
                    .iter()
                    .map(|(kind, n)| format!("{kind} {n}"))
                    .collect();
                all_warnings.extend(written.warnings);
                if let Some(leak) = leaked_identity(doc, &out) {
                    failures.push(format!(
                        "{file}: the crate mentions `{leak}`, which its document does not"
                    ));
                }
                examples_test(doc, ref_root.as_deref(), &out, &name)?;
                hand_written_test(doc, &out)?;
                workspace_member(&out)?;
                let lines = count_lines(&out.join("src/generated"));
                let _ = writeln!(
                    table,
                    "| {file} | generated | {} | {lines} |",
                    kinds.join(", ")
                );
                members.push(name);
            }
        }
    }
    std::fs::write(dir.join("Cargo.toml"), workspace_manifest(&members))
        .map_err(|e| e.to_string())?;
    print!("{table}");
    let totals: Vec<String> = openapi_gen::warnings::summary(&all_warnings)
        .iter()
        .map(|(kind, n)| format!("{kind}: {n}"))
        .collect();
    println!(
        "corpus: {} warnings in all ({})",
        all_warnings.len(),
        totals.join(", ")
    );
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("corpus: FAILED {f}");
        }
        return Ok(ExitCode::FAILURE);
    }
    if !o.build {
        return Ok(ExitCode::SUCCESS);
    }
    let cargo = |args: &[&str]| -> Result<bool, String> {
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .status()
            .map_err(|e| format!("running cargo {}: {e}", args.join(" ")))?;
        Ok(status.success())
    };
    // The typed mock (`mock`) is generated code too. (Not `--all-features`: `native-tls`
    // needs OpenSSL's headers, which a fresh machine lacks.)
    if !cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--features",
        "mock",
        "--",
        "-D",
        "warnings",
    ])? {
        eprintln!("corpus: clippy failed");
        return Ok(ExitCode::FAILURE);
    }
    println!("corpus: {} crates clippy-clean", members.len());
    if !cargo(&[
        "test",
        "--workspace",
        "--features",
        "mock",
        "--",
        "--nocapture",
    ])? {
        eprintln!("corpus: tests failed (doctests or examples round-trip)");
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "corpus: {} crates: doctests and examples pass",
        members.len()
    );
    // Docs with warnings denied: spec text must not turn into broken links or doctests.
    let docs = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["doc", "--workspace", "--no-deps", "--features", "mock"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .status()
        .map_err(|e| format!("running cargo doc: {e}"))?;
    if !docs.success() {
        eprintln!("corpus: cargo doc with warnings denied failed");
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "corpus: {} crates: docs build with warnings denied",
        members.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// A refusal names its place: a JSON pointer, or (text that does not parse, bytes that are
/// not UTF-8) a line and column.
fn located(error: &str) -> bool {
    error.contains("#/") || (error.contains(" line ") && error.contains(", column "))
}

/// The examples round-trip test, when the document has examples.
fn examples_test(
    doc: &Path,
    ref_root: Option<&Path>,
    out: &Path,
    name: &str,
) -> Result<(), String> {
    let mut source = openapi_gen::load::Source::files(doc, ref_root).map_err(|e| e.to_string())?;
    let loaded = openapi_gen::load::load_source(&mut source).map_err(|e| e.to_string())?;
    let examples = openapi_gen::examples::collect(&loaded).map_err(|e| e.to_string())?;
    let tests = out.join("tests");
    let file = tests.join("examples.rs");
    if examples.is_empty() {
        let _ = std::fs::remove_file(&file);
        return Ok(());
    }
    std::fs::create_dir_all(&tests).map_err(|e| format!("{}: {e}", tests.display()))?;
    let body = openapi_gen::examples::render_strict_test(&examples, &name.replace('-', "_"));
    if std::fs::read_to_string(&file).ok().as_deref() != Some(body.as_str()) {
        std::fs::write(&file, body).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    Ok(())
}

/// A crate belongs to its own API: our own SDK's name must not appear in a crate generated
/// from a document that does not mention it.
fn leaked_identity(doc: &Path, out: &Path) -> Option<&'static str> {
    const OURS: &str = "openrouter";
    let text = std::fs::read_to_string(doc).ok()?.to_ascii_lowercase();
    if text.contains(OURS) {
        return None;
    }
    let mut stack = vec![out.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            let p = entry.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "target") {
                    stack.push(p);
                }
            } else if std::fs::read_to_string(&p)
                .is_ok_and(|t| t.to_ascii_lowercase().contains(OURS))
            {
                return Some(OURS);
            }
        }
    }
    None
}

/// `tests/corpus/<document stem>.rs`, when there is one, becomes `tests/hand_written.rs` of
/// the generated crate (for example a test of the typed mock against another API).
fn hand_written_test(doc: &Path, out: &Path) -> Result<(), String> {
    let stem = doc.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let source = root().join("tests/corpus").join(format!("{stem}.rs"));
    let target = out.join("tests/hand_written.rs");
    match std::fs::read_to_string(&source) {
        Ok(text) => {
            std::fs::create_dir_all(out.join("tests")).map_err(|e| e.to_string())?;
            if std::fs::read_to_string(&target).ok().as_deref() != Some(text.as_str()) {
                std::fs::write(&target, text).map_err(|e| format!("{}: {e}", target.display()))?;
            }
        }
        Err(_) => {
            let _ = std::fs::remove_file(&target);
        }
    }
    Ok(())
}

/// Drops the crate's own `[workspace]` table so it can join the corpus workspace.
pub(crate) fn workspace_member(out: &Path) -> Result<(), String> {
    let path = out.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = text.replace("\n[workspace]\n", "\n");
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn count_lines(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .map(|t| t.lines().count())
                .sum()
        })
        .unwrap_or(0)
}
