//! `cargo xtask smoke [SPEC]`: generate a standalone crate for a (large, third-party) spec
//! into `target/smoke-sdk`, require `cargo clippy --all-targets -- -D warnings` to pass and
//! `cargo check` to be warning-free with no features, all features and three single group
//! features, then run its generated `tests/examples.rs` (every spec example decoded into its generated type
//! and encoded back), which prints how many round-trip and why the others do not.

use crate::root;
use openapi_gen::write::Mode;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// Run cargo in the generated crate, capturing its diagnostics (stderr).
fn cargo_output(dir: &std::path::Path, args: &[&str]) -> Result<(bool, String), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/refsdk"))
        .output()
        .map_err(|e| format!("running cargo {}: {e}", args.join(" ")))?;
    Ok((
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

pub fn main(mut args: impl Iterator<Item = String>) -> Result<ExitCode, String> {
    let spec = match args.next() {
        Some(flag) if flag.starts_with('-') => {
            return Err(format!("unknown argument `{flag}`\n{}", crate::SMOKE_USAGE));
        }
        Some(p) => PathBuf::from(p),
        None => root().join("../shared/reference/openrouter-openapi.yaml"),
    };
    if let Some(extra) = args.next() {
        return Err(format!(
            "unexpected argument `{extra}`\n{}",
            crate::SMOKE_USAGE
        ));
    }
    if !spec.is_file() {
        println!("smoke: skipped, no spec at {}", spec.display());
        return Ok(ExitCode::SUCCESS);
    }
    let out = root().join("target/smoke-sdk");
    let started = std::time::Instant::now();
    let info = crate::standalone::write(
        &spec,
        &out,
        Mode::Write,
        &crate::standalone::Options::default(),
        &openapi_gen::Options::default(),
    )?
    .info;
    let text = openapi_gen::load::read_spec(&spec).map_err(|e| e.to_string())?;
    let loaded = openapi_gen::load::load_str(&text, &spec.display().to_string())
        .map_err(|e| e.to_string())?;
    let examples = openapi_gen::examples::collect(&loaded).map_err(|e| e.to_string())?;
    let tests = out.join("tests");
    std::fs::create_dir_all(&tests).map_err(|e| format!("{}: {e}", tests.display()))?;
    let file = tests.join("examples.rs");
    let body = openapi_gen::examples::render_test(&examples, &info.name.replace('-', "_"));
    if std::fs::read_to_string(&file).ok().as_deref() != Some(body.as_str()) {
        std::fs::write(&file, body).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    println!(
        "smoke: generated {} from {} in {:.2?}",
        out.display(),
        spec.display(),
        started.elapsed()
    );
    let cargo = |args: &[&str]| {
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(args)
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", root().join("target/refsdk"))
            .status()
            .map_err(|e| format!("running cargo {}: {e}", args.join(" ")))
    };
    if !cargo(&["clippy", "--all-targets", "--", "-D", "warnings"])?.success() {
        eprintln!("smoke: clippy failed on the generated crate");
        return Ok(ExitCode::FAILURE);
    }
    println!("smoke: clippy is clean");
    // Each group feature must stand on its own: no features, every feature, and three single
    // groups (the first, middle and last) check warning-free.
    let groups: Vec<&str> = info.features.iter().map(|(f, _)| f.as_str()).collect();
    // "Every feature" is every group plus `mock` with the default TLS: `native-tls` needs
    // OpenSSL's headers and `rustls-aws-lc` a C build, neither of which a fresh machine has.
    let every = ["rustls-ring", "mock"]
        .into_iter()
        .chain(groups.iter().copied())
        .collect::<Vec<_>>()
        .join(",");
    let mut sets: Vec<String> = vec![String::new(), every.clone()];
    if !groups.is_empty() {
        let mut picks = vec![0, groups.len() / 2, groups.len() - 1];
        picks.dedup();
        sets.extend(picks.into_iter().map(|i| groups[i].to_owned()));
    }
    for set in &sets {
        let mut args = vec!["check", "--lib", "--message-format", "short"];
        args.push("--no-default-features");
        if !set.is_empty() {
            args.extend(["--features", set.as_str()]);
        }
        let shown = if set.is_empty() {
            "no features"
        } else if *set == every {
            "every group and mock"
        } else {
            set
        };
        let (ok, output) = cargo_output(&out, &args)?;
        if !ok || output.lines().any(|l| l.contains("warning:")) {
            eprintln!("{output}");
            eprintln!("smoke: `cargo check` with {shown} failed or warned");
            return Ok(ExitCode::FAILURE);
        }
        println!("smoke: checks warning-free with {shown}");
    }
    if !cargo(&["test", "--test", "examples", "--", "--nocapture"])?.success() {
        eprintln!("smoke: the examples test failed");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
