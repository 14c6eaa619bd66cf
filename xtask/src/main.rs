//! `cargo xtask <command>`: codegen, smoke, corpus, bench, normalize-report. `--help` after
//! any command prints its usage.
//!
//! `codegen` without `--out` writes `generated/src/generated/` from `spec/openrouter.yaml`.
//! With `--out DIR` it writes a standalone crate for any document, so the generator can be
//! proven on other APIs.

mod bench;
mod corpus;
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

const CODEGEN_USAGE: &str = "usage: cargo xtask codegen [--check] [--strict] [--report FILE] [--spec PATH] [--out DIR [--name NAME] [--vendor-runtime]]

  (no flags)        regenerate generated/src/generated/ from spec/openrouter.yaml
  --check           write nothing; fail and name the stale files if anything would change
  --strict          treat every warning (meaning widened or dropped) as an error
  --report FILE     write the warnings as a JSON list to FILE
  --spec PATH       the OpenAPI document (YAML or JSON, 3.0 or 3.1)
  --out DIR         write a standalone crate for the document into DIR
  --name NAME       package name of the standalone crate (default: from info.title)
  --vendor-runtime  copy the runtime crate into DIR (default: a path dependency on this workspace's)";

const SMOKE_USAGE: &str = "usage: cargo xtask smoke [SPEC]

  Generates a standalone crate for SPEC (default: ../shared/reference/openrouter-openapi.yaml)
  into target/smoke-sdk, runs clippy -D warnings on it and its examples round-trip test.";

const NORMALIZE_USAGE: &str = "usage: cargo xtask normalize-report [SPEC...]

  How many places each 3.1 -> 3.0 normalisation rule rewrote, per document (default: ours).";

const USAGE: &str = "usage: cargo xtask <command> [--help]

commands:
  codegen           regenerate the SDK, or write a standalone crate for any document
  smoke [SPEC]      generate the reference spec's crate, clippy it, round-trip its examples
  corpus            generate, clippy and test a crate for every fixture and corpus document
  bench             benchmarks (BENCHMARKS.md)
  normalize-report  3.1 -> 3.0 normalisation counts";

struct Args {
    check: bool,
    spec: PathBuf,
    out: Option<PathBuf>,
    crate_options: standalone::Options,
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
        crate_options: standalone::Options::default(),
        strict: false,
        report: None,
    };
    let usage = |msg: String| format!("{msg}\n{CODEGEN_USAGE}");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => a.check = true,
            "--spec" => {
                a.spec = args
                    .next()
                    .ok_or_else(|| usage("--spec needs a path".into()))?
                    .into()
            }
            "--out" => {
                a.out = Some(
                    args.next()
                        .ok_or_else(|| usage("--out needs a directory".into()))?
                        .into(),
                )
            }
            "--name" => {
                a.crate_options.name = Some(
                    args.next()
                        .ok_or_else(|| usage("--name needs a value".into()))?,
                )
            }
            "--vendor-runtime" => a.crate_options.vendor_runtime = true,
            "--strict" => a.strict = true,
            "--report" => {
                a.report = Some(
                    args.next()
                        .ok_or_else(|| usage("--report needs a file".into()))?
                        .into(),
                )
            }
            other => return Err(usage(format!("unknown argument `{other}`"))),
        }
    }
    if a.out.is_none() && (a.crate_options.name.is_some() || a.crate_options.vendor_runtime) {
        return Err(usage("--name and --vendor-runtime need --out".into()));
    }
    Ok(a)
}

/// Generate the SDK module for `spec` into `dir` (or compare, with `Mode::Check`).
pub fn codegen(spec: &Path, dir: &Path, mode: Mode) -> Result<Outcome, String> {
    codegen_with(spec, dir, mode, &openapi_gen::Options::default()).map(|(o, _)| o)
}

/// What a codegen found besides the files: its warnings and its operation groups.
type Found = (
    Vec<openapi_gen::Warning>,
    Vec<openapi_gen::model::GroupCount>,
);

/// [`codegen`] with options; also returns the warnings and the groups.
pub fn codegen_with(
    spec: &Path,
    dir: &Path,
    mode: Mode,
    options: &openapi_gen::Options,
) -> Result<(Outcome, Found), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let generated = openapi_gen::generate_with(&text, &spec.display().to_string(), options)
        .map_err(|e| e.to_string())?;
    let outcome = ensure_files(dir, &generated.files, mode).map_err(|e| e.to_string())?;
    Ok((outcome, (generated.warnings, generated.groups)))
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
    let mut specs: Vec<PathBuf> = Vec::new();
    for a in args {
        if a.starts_with('-') {
            return Err(format!("unknown argument `{a}`\n{NORMALIZE_USAGE}"));
        }
        specs.push(PathBuf::from(a));
    }
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
    let mut args = std::env::args().skip(1).peekable();
    let cmd = args.next();
    let help = args.peek().is_some_and(|a| a == "--help" || a == "-h");
    let result = match cmd.as_deref() {
        Some("codegen") if help => Ok(usage_ok(CODEGEN_USAGE)),
        Some("smoke") if help => Ok(usage_ok(SMOKE_USAGE)),
        Some("normalize-report") if help => Ok(usage_ok(NORMALIZE_USAGE)),
        Some("bench") if help => Ok(usage_ok(bench::USAGE)),
        Some("corpus") if help => Ok(usage_ok(corpus::USAGE)),
        Some("corpus") => corpus::main(args),
        Some("bench") => bench::main(args),
        Some("smoke") => smoke::main(args),
        Some("normalize-report") => normalize_report(args),
        Some("codegen") => parse(args).and_then(|a| {
            let mode = if a.check { Mode::Check } else { Mode::Write };
            let options = openapi_gen::Options { strict: a.strict };
            let (outcome, (found, groups)) = match &a.out {
                Some(out) => {
                    let w = standalone::write(&a.spec, out, mode, &a.crate_options, &options)?;
                    (w.outcome, (w.warnings, w.groups))
                }
                None => codegen_with(
                    &a.spec,
                    &root().join("generated/src/generated"),
                    mode,
                    &options,
                )?,
            };
            warnings(&found, a.report.as_deref())?;
            println!("{}", openapi_gen::model::group_summary(&groups, 12));
            Ok(report(&outcome, a.check))
        }),
        Some("--help" | "-h" | "help") => Ok(usage_ok(USAGE)),
        Some(other) => Err(format!("unknown command `{other}`\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage_ok(text: &str) -> ExitCode {
    println!("{text}");
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crate generated from another vendor's document belongs to that API.
    #[test]
    fn standalone_crate_is_named_after_its_api() {
        let spec = root().join("../shared/corpus/specs/progenitor-nexus.json");
        if !spec.is_file() {
            return;
        }
        let out = std::env::temp_dir().join(format!("xtask-nexus-{}", std::process::id()));
        let options = standalone::Options {
            name: Some("nexus-client".into()),
            vendor_runtime: true,
        };
        let info = standalone::write(
            &spec,
            &out,
            Mode::Write,
            &options,
            &openapi_gen::Options::default(),
        )
        .expect("generates")
        .info;
        assert_eq!(info.name, "nexus-client");
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("name = \"nexus-client\""), "{manifest}");
        assert!(manifest.contains(
            "openapi-gen-runtime = { path = \"openapi-gen-runtime\", default-features = false }"
        ));
        let module = std::fs::read_to_string(out.join("src/generated/mod.rs")).unwrap();
        assert!(module.contains("pub const ENV_PREFIX: &str = \"OXIDE_REGION\";"));
        let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
        assert!(lib.contains("nexus_client::Client::from_env()"), "{lib}");
        for dir in ["src", "src/generated", "openapi-gen-runtime/src"] {
            for entry in std::fs::read_dir(out.join(dir)).unwrap().flatten() {
                if entry.path().is_file() {
                    let text = std::fs::read_to_string(entry.path()).unwrap();
                    assert!(
                        !text.to_ascii_lowercase().contains("openrouter"),
                        "{}",
                        entry.path().display()
                    );
                }
            }
        }
        // The vendored runtime and its derive are members cargo can load: one workspace
        // root, `optional` kept on the dependencies the runtime's features name.
        assert!(out.join("runtime-derive/src/lib.rs").is_file());
        let metadata = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
            .args([
                "metadata",
                "--no-deps",
                "--offline",
                "--format-version",
                "1",
                "--manifest-path",
            ])
            .arg(out.join("Cargo.toml"))
            .output()
            .expect("cargo metadata runs");
        let stdout = String::from_utf8_lossy(&metadata.stdout);
        assert!(
            metadata.status.success(),
            "{}",
            String::from_utf8_lossy(&metadata.stderr)
        );
        for member in [
            "nexus-client",
            "openapi-gen-runtime",
            "openapi-gen-runtime-derive",
        ] {
            assert!(
                stdout.contains(&format!("\"name\":\"{member}\"")),
                "{member}: {stdout}"
            );
        }
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn codegen_flags_are_checked() {
        assert!(parse(["--bogus".to_owned()].into_iter()).is_err());
        let e = parse(["--name".to_owned(), "x".to_owned()].into_iter())
            .err()
            .unwrap();
        assert!(e.contains("need --out") && e.contains("usage:"), "{e}");
    }

    /// `generated/Cargo.toml` declares exactly the group features the spec's model has, and
    /// enables them all by default.
    #[test]
    fn group_features_match_the_spec() {
        let text = std::fs::read_to_string(root().join("spec/openrouter.yaml")).unwrap();
        let (model, _) =
            openapi_gen::build_model(&text, "openrouter.yaml", &openapi_gen::Options::default())
                .expect("the spec builds");
        let want: Vec<String> = model.features.iter().map(|(f, _)| f.clone()).collect();
        let manifest = std::fs::read_to_string(root().join("generated/Cargo.toml")).unwrap();
        let mut have = standalone::member_group_features(&manifest);
        have.sort();
        assert_eq!(
            have, want,
            "generated/Cargo.toml `[features]` must declare `<group> = []` for each group"
        );
        let default = manifest
            .lines()
            .find(|l| l.trim_start().starts_with("default"))
            .expect("a default feature list");
        for f in &want {
            assert!(
                default.contains(&format!("\"{f}\"")),
                "default lacks `{f}`: {default}"
            );
        }
    }

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
