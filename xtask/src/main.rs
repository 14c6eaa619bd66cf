//! `cargo xtask codegen [--check] [--spec PATH --out DIR]`: regenerate the SDK from the spec.
//!
//! Without `--out`, writes `generated/src/generated/` from `spec/openrouter.yaml`. With
//! `--out DIR`, writes a standalone crate (Cargo.toml, the runtime, the generated module)
//! for any spec, so the generator can be proven on other documents.

use openapi_gen::write::{Mode, Outcome, ensure_files};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent dir")
        .to_owned()
}

struct Args {
    check: bool,
    spec: PathBuf,
    out: Option<PathBuf>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        check: false,
        spec: root().join("spec/openrouter.yaml"),
        out: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => a.check = true,
            "--spec" => a.spec = args.next().ok_or("--spec needs a path")?.into(),
            "--out" => a.out = Some(args.next().ok_or("--out needs a directory")?.into()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(a)
}

/// Generate the SDK module for `spec` into `dir` (or compare, with `Mode::Check`).
pub fn codegen(spec: &Path, dir: &Path, mode: Mode) -> Result<Outcome, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let files =
        openapi_gen::generate(&text, &spec.display().to_string()).map_err(|e| e.to_string())?;
    ensure_files(dir, &files, mode).map_err(|e| e.to_string())
}

/// A standalone crate around the generated module, with the runtime copied in.
fn standalone(spec: &Path, out: &Path, mode: Mode) -> Result<Outcome, String> {
    let mut outcome = codegen(spec, &out.join("src/generated"), mode)?;
    let runtime_src = root().join("generated/src/runtime");
    let mut runtime = std::collections::BTreeMap::new();
    let mut entries: Vec<_> = std::fs::read_dir(&runtime_src)
        .map_err(|e| format!("{}: {e}", runtime_src.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        runtime.insert(
            name,
            std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?,
        );
    }
    let r = ensure_files(&out.join("src/runtime"), &runtime, mode).map_err(|e| e.to_string())?;
    outcome.changed.extend(r.changed);
    let manifest =
        std::fs::read_to_string(root().join("generated/Cargo.toml")).map_err(|e| e.to_string())?;
    let manifest = standalone_manifest(&manifest);
    let lib =
        std::fs::read_to_string(root().join("generated/src/lib.rs")).map_err(|e| e.to_string())?;
    let mut top = std::collections::BTreeMap::new();
    top.insert("Cargo.toml".to_owned(), manifest);
    let r = ensure_files(out, &top, mode).map_err(|e| e.to_string())?;
    outcome.changed.extend(r.changed);
    let mut src = std::collections::BTreeMap::new();
    src.insert("lib.rs".to_owned(), lib);
    let r = ensure_files(&out.join("src"), &src, mode).map_err(|e| e.to_string())?;
    outcome.changed.extend(r.changed);
    Ok(outcome)
}

/// The SDK's manifest with workspace inheritance replaced by concrete values, so the crate
/// builds on its own (its own `[workspace]` keeps it out of ours).
fn standalone_manifest(manifest: &str) -> String {
    let root_manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap_or_default();
    let mut out = String::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("name = ") {
            out.push_str("name = \"generated-sdk\"\n");
        } else if let Some((key, _)) = trimmed.split_once(".workspace = true") {
            if let Some(dep) = root_manifest
                .lines()
                .find(|l| l.starts_with(&format!("{key} = ")))
            {
                out.push_str(dep);
                out.push('\n');
            } else if key == "edition" {
                out.push_str("edition = \"2024\"\n");
            }
        } else if trimmed.starts_with('{') || trimmed.contains("{ workspace = true") {
            let key = trimmed.split_whitespace().next().unwrap_or_default();
            if let Some(dep) = root_manifest
                .lines()
                .find(|l| l.starts_with(&format!("{key} = ")))
            {
                out.push_str(dep);
                out.push('\n');
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("\n[workspace]\n");
    out
}

fn report(outcome: &Outcome, check: bool) -> ExitCode {
    if outcome.is_clean() {
        println!("generated code is up to date");
        return ExitCode::SUCCESS;
    }
    let verb = if check { "stale" } else { "updated" };
    for p in &outcome.changed {
        println!("{verb}: {}", p.display());
    }
    for p in &outcome.stale {
        println!(
            "{}: {}",
            if check {
                "should be removed"
            } else {
                "removed"
            },
            p.display()
        );
    }
    if check {
        eprintln!("generated code is out of date with the spec: run `cargo xtask codegen`");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let cmd = args.next();
    let result = match cmd.as_deref() {
        Some("codegen") => parse(args).and_then(|a| {
            let mode = if a.check { Mode::Check } else { Mode::Write };
            let outcome = match &a.out {
                Some(out) => standalone(&a.spec, out, mode)?,
                None => codegen(&a.spec, &root().join("generated/src/generated"), mode)?,
            };
            Ok(report(&outcome, a.check))
        }),
        _ => Err("usage: cargo xtask codegen [--check] [--spec PATH --out DIR]".to_owned()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails when `generated/` drifts from `spec/`.
    #[test]
    fn generated_code_is_up_to_date() {
        let outcome = codegen(
            &root().join("spec/openrouter.yaml"),
            &root().join("generated/src/generated"),
            Mode::Check,
        )
        .expect("codegen runs");
        assert!(
            outcome.is_clean(),
            "generated code is stale, run `cargo xtask codegen`: {outcome:?}"
        );
    }
}
