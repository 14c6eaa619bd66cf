//! `cargo xtask codegen [--check] [--spec PATH --out DIR]`: regenerate the SDK from the spec.
//!
//! Without `--out`, writes `generated/src/generated/` from `spec/openrouter.yaml`. With
//! `--out DIR`, writes a standalone crate (Cargo.toml, the runtime, the generated module)
//! for any spec, so the generator can be proven on other documents.

mod bench;
mod smoke;
mod standalone;

use openapi_gen::write::{Mode, Outcome, ensure_files};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
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

/// How many places each 3.1 → 3.0 normalisation rule rewrote, per spec (default: ours).
fn normalize_report(args: impl Iterator<Item = String>) -> Result<ExitCode, String> {
    let mut specs: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if specs.is_empty() {
        specs.push(root().join("spec/openrouter.yaml"));
    }
    for spec in specs {
        let loaded = openapi_gen::load::load_path(&spec).map_err(|e| e.to_string())?;
        println!("{} ({} rewrites)", spec.display(), loaded.report.total());
        for (rule, count) in &loaded.report.counts {
            println!("  {rule}: {count}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let cmd = args.next();
    let result = match cmd.as_deref() {
        Some("bench") => bench::main(args),
        Some("smoke") => smoke::main(args),
        Some("normalize-report") => normalize_report(args),
        Some("codegen") => parse(args).and_then(|a| {
            let mode = if a.check { Mode::Check } else { Mode::Write };
            let outcome = match &a.out {
                Some(out) => standalone::write(&a.spec, out, mode)?,
                None => codegen(&a.spec, &root().join("generated/src/generated"), mode)?,
            };
            Ok(report(&outcome, a.check))
        }),
        _ => Err(
            "usage: cargo xtask codegen [--check] [--spec PATH --out DIR] | smoke [SPEC] | bench | normalize-report [SPEC...]"
                .to_owned(),
        ),
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
