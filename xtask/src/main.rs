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
    /// `--strict`: any warning is an error.
    strict: bool,
    /// `--report FILE`: the warnings as a JSON list.
    report: Option<PathBuf>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        check: false,
        spec: root().join("spec/openrouter.yaml"),
        out: None,
        strict: false,
        report: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => a.check = true,
            "--spec" => a.spec = args.next().ok_or("--spec needs a path")?.into(),
            "--out" => a.out = Some(args.next().ok_or("--out needs a directory")?.into()),
            "--strict" => a.strict = true,
            "--report" => a.report = Some(args.next().ok_or("--report needs a file")?.into()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(a)
}

/// Generate the SDK module for `spec` into `dir` (or compare, with `Mode::Check`).
pub fn codegen(spec: &Path, dir: &Path, mode: Mode) -> Result<Outcome, String> {
    codegen_with(spec, dir, mode, &openapi_gen::Options::default()).map(|(o, _)| o)
}

/// [`codegen`] with options; also returns the warnings.
pub fn codegen_with(
    spec: &Path,
    dir: &Path,
    mode: Mode,
    options: &openapi_gen::Options,
) -> Result<(Outcome, Vec<openapi_gen::Warning>), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let generated = openapi_gen::generate_with(&text, &spec.display().to_string(), options)
        .map_err(|e| e.to_string())?;
    let outcome = ensure_files(dir, &generated.files, mode).map_err(|e| e.to_string())?;
    Ok((outcome, generated.warnings))
}

/// Print warnings to stderr with a count per kind; write them as JSON to `report` if given.
fn warnings(list: &[openapi_gen::Warning], report: Option<&Path>) -> Result<(), String> {
    for w in list {
        eprintln!("{w}");
    }
    if !list.is_empty() {
        let counts: Vec<String> = openapi_gen::warnings::summary(list)
            .iter()
            .map(|(kind, n)| format!("{kind}: {n}"))
            .collect();
        eprintln!("{} warning(s) ({})", list.len(), counts.join(", "));
    }
    if let Some(path) = report {
        std::fs::write(path, openapi_gen::warnings::to_json(list) + "\n")
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
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
            let options = openapi_gen::Options { strict: a.strict };
            let generated = match &a.out {
                Some(out) => out.join("src/generated"),
                None => root().join("generated/src/generated"),
            };
            // Generated first with the options (strictness, warnings); the standalone crate
            // around it is then written as before (the module is already up to date).
            let (mut outcome, found) = codegen_with(&a.spec, &generated, mode, &options)?;
            if let Some(out) = &a.out {
                let rest = standalone::write(&a.spec, out, mode)?;
                outcome.changed.extend(rest.changed);
                outcome.stale.extend(rest.stale);
                outcome.changed.sort();
                outcome.changed.dedup();
                outcome.stale.sort();
                outcome.stale.dedup();
            }
            warnings(&found, a.report.as_deref())?;
            Ok(report(&outcome, a.check))
        }),
        _ => Err(
            "usage: cargo xtask codegen [--check] [--strict] [--report FILE] [--spec PATH --out DIR] | smoke [SPEC] | bench | normalize-report [SPEC...]"
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
