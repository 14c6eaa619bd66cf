//! `cargo xtask <command>`: codegen, smoke, corpus, conformance, bench, normalize-report. `--help` after
//! any command prints its usage.
//!
//! `codegen` without `--out` writes `generated/src/generated/` from `spec/openrouter.yaml`.
//! With `--out DIR` it writes a standalone crate for any document, so the generator can be
//! proven on other APIs.

mod apidiff;
mod bench;
mod cli;
mod conformance;
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

const CODEGEN_USAGE: &str = "usage: cargo xtask codegen [--check] [--strict] [--report FILE] [--spec PATH [--ref-root DIR]] [--out DIR [--name NAME] [--vendor-runtime]]
                     [--base REF | --base-spec FILE] [--api-diff FILE] [--api-diff-json FILE]

  (no flags)        regenerate generated/src/generated/ from spec/openrouter.yaml, and print
                    the API changes against the committed spec (HEAD) when the code changed
  --check           write nothing; fail and name the stale files if anything would change,
                    or if the API change is breaking and generated/Cargo.toml's version was
                    not bumped for it (skipped, with a note, where git is unavailable)
  --strict          treat every warning (meaning widened or dropped) as an error
  --report FILE     write the warnings as a JSON list to FILE
  --spec PATH       the OpenAPI document (YAML or JSON; 3.0, 3.1 or Swagger 2.0), or the root
                    file of a document split over files (every referenced file is read)
  --ref-root DIR    the folder every file of a split document must lie under (default: the
                    root file's folder)
  --out DIR         write a standalone crate for the document into DIR
  --name NAME       package name of the standalone crate (default: from info.title)
  --vendor-runtime  copy the runtime crate into DIR (default: a path dependency on this workspace's)
  --base REF        compare the API with the spec at this git revision (default: HEAD)
  --base-spec FILE  compare the API with another document
  --api-diff FILE   write the API change report as Markdown
  --api-diff-json FILE  write it as JSON";

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
  conformance       call every operation against openapi-core (requests) and Prism (responses)
  bench             benchmarks (BENCHMARKS.md)
  normalize-report  3.1 -> 3.0 normalisation counts
  api-diff          the API changes of a spec change, each with its semver class";

/// Every flag `codegen` takes (for "did you mean").
const CODEGEN_FLAGS: &[&str] = &[
    "--check",
    "--strict",
    "--report",
    "--spec",
    "--out",
    "--name",
    "--vendor-runtime",
    "--base",
    "--base-spec",
    "--api-diff",
    "--api-diff-json",
    "--ref-root",
];

/// Every command (for "did you mean").
const COMMANDS: &[&str] = &[
    "codegen",
    "smoke",
    "corpus",
    "bench",
    "normalize-report",
    "api-diff",
];

struct Args {
    check: bool,
    spec: PathBuf,
    out: Option<PathBuf>,
    crate_options: standalone::Options,
    /// `--strict`: any warning is an error.
    strict: bool,
    /// `--report FILE`: the warnings as a JSON list.
    report: Option<PathBuf>,
    /// `--base`, `--base-spec`, `--api-diff`, `--api-diff-json`: the API change report.
    api_diff: apidiff::Options,
    /// `--ref-root DIR`: files of a split document may lie anywhere under DIR.
    ref_root: Option<PathBuf>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        check: false,
        spec: root().join("spec/openrouter.yaml"),
        out: None,
        crate_options: standalone::Options::default(),
        strict: false,
        report: None,
        api_diff: apidiff::Options::default(),
        ref_root: None,
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
            "--ref-root" => {
                a.ref_root = Some(
                    args.next()
                        .ok_or_else(|| usage("--ref-root needs a directory".into()))?
                        .into(),
                )
            }
            "--strict" => a.strict = true,
            "--report" => {
                a.report = Some(
                    args.next()
                        .ok_or_else(|| usage("--report needs a file".into()))?
                        .into(),
                )
            }
            other => {
                if !a.api_diff.parse_arg(other, &mut args).map_err(usage)? {
                    return Err(usage(cli::unknown("argument", other, CODEGEN_FLAGS)));
                }
            }
        }
    }
    if a.out.is_none() && (a.crate_options.name.is_some() || a.crate_options.vendor_runtime) {
        return Err(usage("--name and --vendor-runtime need --out".into()));
    }
    // Without `--out` the target is the OpenRouter SDK's generated/: another document there
    // would replace the SDK and delete its files.
    let ours = root().join("spec/openrouter.yaml");
    let same = |p: &Path| std::fs::canonicalize(p).ok() == std::fs::canonicalize(&ours).ok();
    if a.out.is_none() && !same(&a.spec) {
        return Err(usage(format!(
            "`--spec {}` needs `--out DIR`: without it codegen writes generated/, the OpenRouter \
             SDK, which comes from spec/openrouter.yaml only",
            a.spec.display()
        )));
    }
    Ok(a)
}

/// Generate the SDK module for `spec` into `dir` (or compare, with `Mode::Check`).
pub fn codegen(spec: &Path, dir: &Path, mode: Mode) -> Result<Outcome, String> {
    codegen_with(spec, None, dir, mode, &openapi_gen::Options::default()).map(|(o, _)| o)
}

/// What a codegen found besides the files: its warnings and its operation groups.
type Found = (
    Vec<openapi_gen::Warning>,
    Vec<openapi_gen::model::GroupCount>,
);

/// [`codegen`] with options; also returns the warnings and the groups.
pub fn codegen_with(
    spec: &Path,
    ref_root: Option<&Path>,
    dir: &Path,
    mode: Mode,
    options: &openapi_gen::Options,
) -> Result<(Outcome, Found), String> {
    let generated =
        openapi_gen::generate_path(spec, ref_root, options).map_err(|e| e.to_string())?;
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

/// `cargo xtask codegen` for the SDK of the workspace at `sdk_root` (its `generated/`), or a
/// standalone crate with `--out`. `Ok(false)`: `--check` found stale files or an unbumped
/// breaking change.
fn codegen_command(a: &Args, sdk_root: &Path) -> Result<bool, String> {
    let mode = if a.check { Mode::Check } else { Mode::Write };
    let options = openapi_gen::Options { strict: a.strict };
    let (outcome, (found, groups)) = match &a.out {
        Some(out) => {
            let w = standalone::write_split(
                &a.spec,
                a.ref_root.as_deref(),
                out,
                mode,
                &a.crate_options,
                &options,
            )?;
            (w.outcome, (w.warnings, w.groups))
        }
        None => codegen_with(
            &a.spec,
            a.ref_root.as_deref(),
            &sdk_root.join("generated/src/generated"),
            mode,
            &options,
        )?,
    };
    warnings(&found, a.report.as_deref())?;
    println!("{}", openapi_gen::model::group_summary(&groups, 12));
    let fresh = report(&outcome, a.check) == ExitCode::SUCCESS;
    // The workspace SDK takes its version from its manifest; a standalone crate from
    // `info.version`.
    let manifest = sdk_root.join("generated/Cargo.toml");
    let manifest = a.out.is_none().then_some(manifest.as_path());
    let semver_ok =
        apidiff::after_codegen(&a.spec, manifest, &a.api_diff, !outcome.is_clean(), a.check)?;
    Ok(fresh && semver_ok)
}

fn report(outcome: &Outcome, check: bool) -> ExitCode {
    if outcome.is_clean() {
        println!("generated code is up to date");
        return ExitCode::SUCCESS;
    }
    for p in &outcome.changed {
        let verb = match (check, outcome.created.contains(p)) {
            (true, true) => "missing",
            (true, false) => "stale",
            (false, true) => "created",
            (false, false) => "updated",
        };
        println!("{verb}: {}", p.display());
    }
    if outcome.unchanged > 0 {
        println!("unchanged: {} file(s)", outcome.unchanged);
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
    bench::no_huge_pages();
    let mut args = std::env::args().skip(1).peekable();
    let cmd = args.next();
    let help = args.peek().is_some_and(|a| a == "--help" || a == "-h");
    let result = match cmd.as_deref() {
        Some("codegen") if help => Ok(usage_ok(CODEGEN_USAGE)),
        Some("smoke") if help => Ok(usage_ok(SMOKE_USAGE)),
        Some("normalize-report") if help => Ok(usage_ok(NORMALIZE_USAGE)),
        Some("bench") if help => Ok(usage_ok(bench::USAGE)),
        Some("corpus") if help => Ok(usage_ok(corpus::USAGE)),
        Some("api-diff") if help => Ok(usage_ok(apidiff::USAGE)),
        Some("api-diff") => apidiff::main(args),
        Some("corpus") => corpus::main(args),
        Some("conformance") if help => Ok(usage_ok(conformance::USAGE)),
        Some("conformance") => conformance::main(args),
        Some("bench") => bench::main(args),
        Some("smoke") => smoke::main(args),
        Some("normalize-report") => normalize_report(args),
        Some("codegen") => parse(args)
            .and_then(|a| codegen_command(&a, &root()))
            .map(|ok| {
                if ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }),
        Some("--help" | "-h" | "help") => Ok(usage_ok(USAGE)),
        Some(other) => Err(format!(
            "{}\n{USAGE}",
            cli::unknown("command", other, COMMANDS)
        )),
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
    /// Needs the shared corpus beside the repository: ignored by default, run by CI with
    /// `--include-ignored`, where a missing document fails.
    #[test]
    #[ignore = "needs ../shared/corpus/specs/progenitor-nexus.json (CI: --include-ignored)"]
    fn standalone_crate_is_named_after_its_api() {
        let spec = root().join("../shared/corpus/specs/progenitor-nexus.json");
        assert!(spec.is_file(), "{}: not found", spec.display());
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
        assert!(out.join("openapi-gen-runtime-derive/src/lib.rs").is_file());
        assert!(out.join("README.md").is_file());
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
        let e = parse(["--chek".to_owned()].into_iter()).err().unwrap();
        assert!(e.contains("did you mean `--check`?"), "{e}");
        // Another document without --out must not replace the SDK.
        let other = root().join("tests/fixtures/ok/cookies.yaml");
        let e = parse(["--spec".to_owned(), other.display().to_string()].into_iter())
            .err()
            .unwrap();
        assert!(e.contains("needs `--out DIR`"), "{e}");
        let ours = root().join("spec/openrouter.yaml");
        assert!(parse(["--spec".to_owned(), ours.display().to_string()].into_iter()).is_ok());
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

    /// `codegen --check` on a copy of the workspace's spec and manifest (in a fresh git
    /// repository): a breaking spec change fails it, even with `generated/` regenerated,
    /// until the crate's version is bumped.
    #[test]
    fn codegen_check_fails_on_unbumped_breaking_change() {
        let dir = std::env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for f in ["spec/openrouter.yaml", "generated/Cargo.toml"] {
            std::fs::create_dir_all(dir.join(f).parent().unwrap()).unwrap();
            std::fs::copy(root().join(f), dir.join(f)).unwrap();
        }
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .arg("-C")
                .arg(&dir)
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
                .args(args)
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if !(git(&["init", "-q"]) && git(&["add", "."]) && git(&["commit", "-qm", "base"])) {
            return; // no git here: the gate is skipped by design
        }
        let spec = dir.join("spec/openrouter.yaml");
        let run = |check: bool| {
            let mut a = parse(std::iter::empty()).unwrap();
            a.spec = spec.clone();
            a.check = check;
            codegen_command(&a, &dir).expect("codegen runs")
        };
        assert!(run(false), "writes generated/");
        assert!(run(true), "unchanged spec: clean");
        // An optional property of a request body becomes required: a new `new` argument.
        let text = std::fs::read_to_string(&spec).unwrap();
        let edited = text.replacen(
            "required: [name]",
            "required: [name, include_byok_in_limit]",
            1,
        );
        assert_ne!(
            text, edited,
            "the spec has a request body requiring only `name`"
        );
        std::fs::write(&spec, edited).unwrap();
        assert!(run(false), "regenerates");
        assert!(!run(true), "breaking change, version 0.1.0 kept");
        let manifest = dir.join("generated/Cargo.toml");
        let m = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(
            &manifest,
            m.replacen("version = \"0.1.0\"", "version = \"0.2.0\"", 1),
        )
        .unwrap();
        assert!(run(true), "bumped to 0.2.0");
        let _ = std::fs::remove_dir_all(&dir);
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
        let list = |files: &[PathBuf]| -> String {
            files
                .iter()
                .map(|p| format!("\n  {}", p.display()))
                .collect()
        };
        assert!(
            outcome.is_clean(),
            "generated/ is out of step with spec/openrouter.yaml: run `cargo xtask codegen` and \
             commit the result.\nFiles that would change:{}\nFiles that would be removed:{}",
            list(&outcome.changed),
            list(&outcome.stale)
        );
    }
}
