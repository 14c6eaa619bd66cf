//! `cargo xtask smoke [SPEC]`: generate a standalone crate for a (large, third-party) spec
//! into `target/smoke-sdk` and require `cargo clippy --all-targets -- -D warnings` to pass.

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
        return Err(format!("unexpected argument `{extra}` (usage: cargo xtask smoke [SPEC])"));
    }
    if !spec.is_file() {
        println!("smoke: skipped, no spec at {}", spec.display());
        return Ok(ExitCode::SUCCESS);
    }
    let out = root().join("target/smoke-sdk");
    let started = std::time::Instant::now();
    crate::standalone::write(&spec, &out, Mode::Write)?;
    println!(
        "smoke: generated {} from {} in {:.2?}",
        out.display(),
        spec.display(),
        started.elapsed()
    );
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["clippy", "--all-targets", "--", "-D", "warnings"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", root().join("target/smoke-sdk-target"))
        .status()
        .map_err(|e| format!("running cargo clippy: {e}"))?;
    if status.success() {
        println!("smoke: clippy is clean");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("smoke: clippy failed on the generated crate");
        Ok(ExitCode::FAILURE)
    }
}
