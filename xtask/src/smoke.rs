//! `cargo xtask smoke [SPEC]`: generate a standalone crate for a (large, third-party) spec
//! into `target/smoke-sdk`, require `cargo clippy --all-targets -- -D warnings` to pass, then
//! run its generated `tests/examples.rs` (every spec example decoded into its generated type
//! and encoded back), which prints how many round-trip and why the others do not.

use crate::root;
use openapi_gen::write::Mode;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

pub fn main(mut args: impl Iterator<Item = String>) -> Result<ExitCode, String> {
    let spec = match args.next() {
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
    let text = std::fs::read_to_string(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
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
    if !cargo(&["test", "--test", "examples", "--", "--nocapture"])?.success() {
        eprintln!("smoke: the examples test failed");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
