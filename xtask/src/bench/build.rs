//! Figure 5: build time of the generated crates.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use super::{Stat, cargo, reference_spec, secs};
use crate::root;

// 5. Build times

fn timed(cmd: &mut Command) -> Result<f64, String> {
    let t = Instant::now();
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    let elapsed = t.elapsed().as_secs_f64();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = err.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("{cmd:?} failed:\n{}", tail.join("\n")));
    }
    Ok(elapsed)
}

pub(super) struct BuildResult {
    label: String,
    with_deps: Result<f64, String>,
    crate_only: Result<Stat, String>,
    note: String,
}

/// `cargo build` of a package with a fresh target dir, then `cargo clean -p` + `cargo build`
/// `runs` times (deps cached: the crate alone).
fn build_bench(
    label: &str,
    manifest: &Path,
    package: &str,
    target: &Path,
    runs: usize,
    note: String,
) -> BuildResult {
    eprintln!(
        "bench: build {label} (target dir {}; this takes minutes)",
        target.display()
    );
    let base = |sub: &str| {
        let mut c = Command::new(cargo());
        c.current_dir(root())
            .env("CARGO_TARGET_DIR", target)
            .arg(sub)
            .arg("--manifest-path")
            .arg(manifest);
        c
    };
    let _ = std::fs::remove_dir_all(target);
    // Settle the lock file before timing (no resolution or index traffic in the figure).
    let _ = base("metadata")
        .args(["--format-version", "1"])
        .stdout(Stdio::null())
        .status();
    let with_deps = timed(base("build").args(["-p", package]));
    let crate_only = with_deps.as_ref().map_err(Clone::clone).and_then(|_| {
        let mut xs = Vec::new();
        for _ in 0..runs {
            timed(base("clean").args(["-p", package]))?;
            xs.push(timed(base("build").args(["-p", package]))?);
        }
        Ok(Stat::of(&xs))
    });
    BuildResult {
        label: label.to_owned(),
        with_deps,
        crate_only,
        note,
    }
}

fn line_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .map(|s| s.lines().count())
                .sum()
        })
        .unwrap_or(0)
}

pub(super) fn builds(runs: usize) -> Vec<BuildResult> {
    let target = root().join("target");
    let mut out = vec![build_bench(
        "`generated/` (crate `openrouter`)",
        &root().join("Cargo.toml"),
        "openrouter",
        &target.join("bench-build"),
        runs,
        format!(
            "{} generated lines + {} runtime lines",
            line_count(&root().join("generated/src/generated")),
            line_count(&root().join("generated/src/runtime"))
        ),
    )];
    let reference = reference_spec();
    if !reference.is_file() {
        return out;
    }
    let crate_dir = target.join("bench-refsdk");
    let _ = std::fs::remove_dir_all(&crate_dir);
    let exe = std::env::current_exe().map_err(|e| e.to_string());
    let generated = exe.and_then(|exe| {
        let o = Command::new(exe)
            .args(["codegen", "--spec"])
            .arg(&reference)
            .arg("--out")
            .arg(&crate_dir)
            .output()
            .map_err(|e| e.to_string())?;
        if o.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&o.stderr).trim().to_owned())
        }
    });
    let label = "reference-spec crate (`generated-sdk`)".to_owned();
    match generated {
        Ok(()) => {
            // Same dependency versions as the workspace.
            let _ = std::fs::copy(root().join("Cargo.lock"), crate_dir.join("Cargo.lock"));
            let note = format!(
                "{} generated lines + the same runtime",
                line_count(&crate_dir.join("src/generated"))
            );
            out.push(build_bench(
                &label,
                &crate_dir.join("Cargo.toml"),
                "generated-sdk",
                &target.join("bench-refsdk-target"),
                runs,
                note,
            ));
        }
        Err(e) => out.push(BuildResult {
            label,
            with_deps: Err(format!("codegen failed: {e}")),
            crate_only: Err("codegen failed".to_owned()),
            note: String::new(),
        }),
    }
    out
}

pub(super) fn build_markdown(results: &[BuildResult], runs: usize) -> String {
    let mut md = format!(
        "`cargo build` (dev profile). *With deps*: fresh `CARGO_TARGET_DIR`, everything compiled (one run). \
         *Crate only*: `cargo clean -p <crate>` then `cargo build`, dependencies cached (median of {runs}).\n\n"
    );
    md.push_str("| crate | size | with deps, from clean | crate only |\n|---|---|---:|---:|\n");
    let mut errors = Vec::new();
    for r in results {
        let with = match &r.with_deps {
            Ok(s) => format!("{s:.1} s"),
            Err(e) => {
                errors.push(format!("{}: {}", r.label, e));
                "—".to_owned()
            }
        };
        let only = match &r.crate_only {
            Ok(s) => secs(s),
            Err(_) => "—".to_owned(),
        };
        let _ = writeln!(md, "| {} | {} | {with} | {only} |", r.label, r.note);
    }
    for e in errors {
        let first: String = e.lines().take(3).collect::<Vec<_>>().join(" ");
        let _ = writeln!(md, "\n- not measured: `{}`", first.replace('`', "'"));
    }
    md
}
