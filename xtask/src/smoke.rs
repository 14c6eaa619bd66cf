//! `cargo xtask smoke [SPEC]`: generate a standalone crate for a (large, third-party) spec
//! into `target/smoke-sdk`, require `cargo clippy --all-targets -- -D warnings` to pass and
//! `cargo check` to be warning-free with no features, all features and three single group
//! features, then run its generated `tests/examples.rs` (every spec example decoded into its generated type
//! and encoded back), which fails on any example that does not round-trip, except those of
//! [`INVALID_EXAMPLES`].

use crate::root;
use openapi_gen::write::Mode;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// Examples of the reference spec (`../shared/reference/openrouter-openapi.yaml`) that do
/// not match their own schema, so no faithful type round-trips them: (JSON pointer, why).
/// The generated test requires each of these to fail and every other example to round-trip.
/// A pointer absent from another document is reported and ignored.
const INVALID_EXAMPLES: &[(&str, &str)] = &[
    // `ModelsListResponse` requires `data`, `total_count` and `links`; these three
    // response examples give only `data`.
    (
        "#/paths/~1embeddings~1models/get/responses/200/content/application~1json/example",
        "ModelsListResponse requires `total_count` and `links`, the example has only `data`",
    ),
    (
        "#/paths/~1models/get/responses/200/content/application~1json/example",
        "ModelsListResponse requires `total_count` and `links`, the example has only `data`",
    ),
    (
        "#/paths/~1models~1user/get/responses/200/content/application~1json/example",
        "ModelsListResponse requires `total_count` and `links`, the example has only `data`",
    ),
    (
        "#/paths/~1generation/get/responses/200/content/application~1json/example",
        "the generation data requires `workspace_id`, the example has none",
    ),
    // `VideoModel` requires `upscale_factor` and `creativity`; its examples (and the list
    // response built from them) give neither.
    (
        "#/paths/~1videos~1models/get/responses/200/content/application~1json/example",
        "VideoModel requires `upscale_factor` and `creativity`, the example has neither",
    ),
    (
        "#/components/schemas/VideoModel/example",
        "VideoModel requires `upscale_factor` and `creativity`, the example has neither",
    ),
    (
        "#/components/schemas/VideoModelsListResponse/example",
        "VideoModel requires `upscale_factor` and `creativity`, the item has neither",
    ),
    // Not invalid JSON Schema (additional properties are allowed), but `results` is no
    // property of `OutputItemFileSearchCall` nor of the empty `allOf` member extending it:
    // a struct without `additionalProperties` keeps declared keys only, so it is dropped.
    (
        "#/components/schemas/OutputFileSearchCallItem/example",
        "`results` is not a declared property of OutputItemFileSearchCall, so it is not kept",
    ),
];

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
    // A smoke test that skips is a smoke test that passes without checking: CI decides
    // whether the spec is there before calling us.
    if !spec.is_file() {
        return Err(format!("no spec at {}", spec.display()));
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
    let body = openapi_gen::examples::render_test_expecting(
        &examples,
        &info.name.replace('-', "_"),
        INVALID_EXAMPLES,
    );
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
