//! `cargo xtask conformance`: every operation of a generated client, called against two
//! independent oracles on 127.0.0.1.
//!
//! - Requests: the generated client sends each operation's arguments (the document's examples,
//!   else values synthesised from its schemas: `conformance/synth.py`) to an echo server on
//!   openapi-core (`conformance/oracle.py`), which validates and unmarshals the request by the
//!   original document and answers with what it decoded. No validation error is allowed, and
//!   the decoded values must equal the arguments sent ([`compare`]).
//! - Responses: the same calls against Prism's dynamic mock (`prism mock -d`, several seeds):
//!   every response it makes up must decode into the generated types.
//!
//! The crates are those of `cargo xtask corpus` (`target/corpus/<package>`, one workspace and
//! target dir); each gets `examples/conformance_<lib>.rs`, the driver the generator writes
//! (`openapi_gen::emit::driver`). The oracles are installed by `.ci/install-oracles`.

mod compare;
mod procs;

use crate::root;
use openapi_gen::write::Mode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

pub const USAGE: &str =
    "usage: cargo xtask conformance [--spec FILE]... [--seeds N,N,..] [--no-prism]

  Calls every operation of the crate generated for each document against an openapi-core
  echo server (requests: no validation errors, decoded values equal to those sent) and
  Prism's dynamic mock (responses: every made-up response decodes). Default documents: every
  fixture in tests/fixtures/ok, ../shared/corpus/specs, ../shared/corpus/fragments and
  ../shared/reference/openrouter-openapi.yaml (documents the generator refuses are skipped).
  Needs the oracles: .ci/install-oracles.
  --spec FILE    only this document (repeatable)
  --seeds LIST   Prism seeds (default 1,2,3)
  --no-prism     requests only";

struct Opts {
    specs: Vec<PathBuf>,
    seeds: Vec<u64>,
    prism: bool,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Opts, String> {
    let mut o = Opts {
        specs: Vec::new(),
        seeds: vec![1, 2, 3],
        prism: true,
    };
    let mut args = args.peekable();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--spec" => o.specs.push(
                args.next()
                    .ok_or_else(|| format!("--spec needs a file\n{USAGE}"))?
                    .into(),
            ),
            "--seeds" => {
                let list = args.next().unwrap_or_default();
                o.seeds = list
                    .split(',')
                    .map(|s| s.trim().parse::<u64>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| format!("--seeds takes numbers like 1,2,3\n{USAGE}"))?;
            }
            "--no-prism" => o.prism = false,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(o)
}

/// One document's crate, ready to run.
struct Prepared {
    file: String,
    package: String,
    example: String,
    spec: PathBuf,
    work: PathBuf,
    plan: usize,
    skipped: Vec<String>,
    /// Some operation decodes a JSON body (worth asking Prism).
    decodes: bool,
}

/// One row of the report.
#[derive(Default)]
struct Row {
    file: String,
    note: String,
    operations: usize,
    called: usize,
    violations: Vec<String>,
    mismatches: Vec<String>,
    decode: Vec<String>,
    /// Decode failures on bodies that do not satisfy the document's own schema.
    contradictions: Vec<String>,
    /// Decode failures not classified yet: `{"key", "status", "raw", "text"}`.
    pending: Vec<Value>,
    gaps: Vec<String>,
    skipped: Vec<String>,
    responses: usize,
}

pub fn main(args: impl Iterator<Item = String>) -> Result<ExitCode, String> {
    let o = parse(args)?;
    let cache = root().join("target/conformance");
    let python = cache.join("venv/bin/python");
    let prism = cache.join("node/node_modules/.bin/prism");
    if !python.is_file() || (o.prism && !prism.is_file()) {
        return Err(format!(
            "the oracles are not installed in {}: run .ci/install-oracles",
            cache.display()
        ));
    }
    let docs = if o.specs.is_empty() {
        let mut d = crate::corpus::documents(&[
            root().join("tests/fixtures/ok"),
            root().join("../shared/corpus/specs"),
            root().join("../shared/corpus/fragments"),
        ])?;
        let reference = root().join("../shared/reference/openrouter-openapi.yaml");
        if reference.is_file() {
            d.push(reference);
        }
        d
    } else {
        o.specs.clone()
    };
    let corpus = root().join("target/corpus");
    let mut rows = Vec::new();
    let mut ready = Vec::new();
    for doc in &docs {
        match prepare(doc, &corpus, &cache) {
            Ok(Ok(p)) => ready.push(p),
            Ok(Err(row)) => rows.push(row),
            Err(e) => return Err(e),
        }
    }
    if !ready.is_empty() {
        join_workspace(&corpus, &ready)?;
        build(&corpus, &ready)?;
    }
    for p in &ready {
        rows.push(run(p, &corpus, &python, &prism, &o));
    }
    Ok(report(&rows))
}

/// Generate the crate and its driver; `Ok(Err(row))` when there is nothing to run.
fn prepare(doc: &Path, corpus: &Path, cache: &Path) -> Result<Result<Prepared, Row>, String> {
    let file = doc
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let package = crate::corpus::package_name(doc);
    let out = corpus.join(&package);
    let options = crate::standalone::Options {
        name: Some(package.clone()),
        vendor_runtime: false,
    };
    let generator = openapi_gen::Options::default();
    if let Err(e) = crate::standalone::write(doc, &out, Mode::Write, &options, &generator) {
        let note = format!("refused by the generator: skipped ({})", first_line(&e));
        return Ok(Err(Row {
            file,
            note,
            ..Row::default()
        }));
    }
    crate::corpus::workspace_member(&out)?;
    let text = std::fs::read_to_string(doc).map_err(|e| format!("{}: {e}", doc.display()))?;
    let (model, _) = openapi_gen::build_model(&text, &doc.display().to_string(), &generator)
        .map_err(|e| e.to_string())?;
    if model.operations.is_empty() {
        let note = "no operations".to_owned();
        return Ok(Err(Row {
            file,
            note,
            ..Row::default()
        }));
    }
    let lib = package.replace('-', "_");
    let example = format!("conformance_{lib}");
    let source =
        openapi_gen::emit::driver::driver_source(&model, &lib).map_err(|e| e.to_string())?;
    let examples = out.join("examples");
    std::fs::create_dir_all(&examples).map_err(|e| e.to_string())?;
    let path = examples.join(format!("{example}.rs"));
    if std::fs::read_to_string(&path).ok().as_deref() != Some(source.as_str()) {
        std::fs::write(&path, source).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    use openapi_gen::emit::driver::{key, skip_reason};
    use openapi_gen::model::{ParamLocation, ResponseKind, Success};
    let mut plan = Vec::new();
    let mut skipped = Vec::new();
    for op in &model.operations {
        if let Some(why) = skip_reason(&model, op) {
            skipped.push(format!("{}: {why}", key(op)));
            continue;
        }
        let params: Vec<Value> = op
            .params
            .iter()
            .map(|p| {
                let at = match p.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                    ParamLocation::Cookie => "cookie",
                };
                json!({"in": at, "wire": p.wire, "required": p.required})
            })
            .collect();
        let body = op
            .body
            .as_ref()
            .map(|b| json!({"content_type": b.content_type}));
        plan.push(json!({
            "key": key(op), "method": op.method.as_str(), "path": op.path,
            "params": params, "body": body,
        }));
    }
    let decodes = model.operations.iter().any(|op| {
        matches!(op.success, Success::Json(_) | Success::Stream)
            || op.responses.iter().any(|r| r.kind == ResponseKind::Json)
    });
    let work = cache.join("work").join(&package);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let plan_file = work.join("plan.json");
    std::fs::write(&plan_file, serde_json::to_string(&plan).unwrap_or_default())
        .map_err(|e| e.to_string())?;
    Ok(Ok(Prepared {
        file,
        package,
        example,
        spec: doc.to_owned(),
        work,
        plan: plan.len(),
        skipped,
        decodes,
    }))
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

/// Adds the crates to the corpus workspace (keeping the members `cargo xtask corpus` wrote).
fn join_workspace(corpus: &Path, ready: &[Prepared]) -> Result<(), String> {
    let manifest = corpus.join("Cargo.toml");
    let old = std::fs::read_to_string(&manifest).unwrap_or_default();
    let mut members: BTreeSet<String> = old
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_suffix("\",")?
                .strip_prefix('"')
                .map(str::to_owned)
        })
        .collect();
    members.extend(ready.iter().map(|p| p.package.clone()));
    let text = format!(
        "# @generated by cargo xtask corpus\n[workspace]\nresolver = \"3\"\nmembers = [\n{}]\n\n\
         [profile.dev.package.\"*\"]\ndebug = false\n",
        members
            .iter()
            .map(|m| format!("    \"{m}\",\n"))
            .collect::<String>()
    );
    if text != old {
        std::fs::write(&manifest, text).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Builds every driver in one cargo run (with `mock`, as `cargo xtask corpus` builds the
/// crates, so their artifacts are reused). `--keep-going`: a driver that does not compile
/// is that document's violation, not the end of the run.
fn build(corpus: &Path, ready: &[Prepared]) -> Result<(), String> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(["build", "--keep-going", "--features", "mock"])
        .current_dir(corpus)
        .env("CARGO_TARGET_DIR", corpus.join("target"));
    for p in ready {
        cmd.args(["-p", &p.package, "--example", &p.example]);
    }
    let status = cmd
        .status()
        .map_err(|e| format!("running cargo build: {e}"))?;
    if !status.success() {
        eprintln!("conformance: some drivers did not compile (see above)");
    }
    Ok(())
}

fn run(p: &Prepared, corpus: &Path, python: &Path, prism: &Path, o: &Opts) -> Row {
    let mut row = Row {
        file: p.file.clone(),
        operations: p.plan + p.skipped.len(),
        skipped: p.skipped.clone(),
        ..Row::default()
    };
    let bin = corpus.join("target/debug/examples").join(&p.example);
    if !bin.is_file() {
        row.violations.push(
            "the crate or its conformance driver does not compile (cargo output above)".into(),
        );
        return row;
    }
    let calls_file = p.work.join("calls.jsonl");
    let copy = p.work.join("prism.json");
    let script = root().join("xtask/conformance/oracle.py");
    let mut mocks = Vec::new();
    let calls: Vec<Value> = {
        let server = match procs::oracle(
            python,
            &script,
            &p.spec,
            &p.work.join("plan.json"),
            &calls_file,
            &copy,
        ) {
            Ok(s) => s,
            Err(e) => {
                row.note = format!(
                    "oracle gap: openapi-core cannot serve this document ({})",
                    first_line(&e)
                );
                return row;
            }
        };
        let calls: Vec<Value> = std::fs::read_to_string(&calls_file)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        // Prism takes seconds to start: all seeds start now, while the echo calls run.
        if o.prism && p.decodes {
            for &seed in &o.seeds {
                mocks.push((seed, procs::prism(prism, &copy, seed)));
            }
        }
        let input = driver_input(&calls);
        let limit = Duration::from_secs(60 + calls.len() as u64);
        let base = format!("http://127.0.0.1:{}", server.port);
        match procs::drive(&bin, &base, &input, limit) {
            Ok(lines) => requests(&calls, &lines, &mut row),
            Err(e) => row.violations.push(e),
        }
        calls
    };
    let input = driver_input(&calls);
    for (seed, server) in mocks {
        let server = match server.and_then(|mut s| procs::ready(&mut s).map(|()| s)) {
            Ok(s) => s,
            Err(e) => {
                row.note = format!("oracle gap: prism cannot serve this document ({e})");
                break;
            }
        };
        let base = format!("http://127.0.0.1:{}", server.port);
        let limit = Duration::from_secs(60 + calls.len() as u64);
        match procs::drive(&bin, &base, &input, limit) {
            Ok(lines) => responses(&lines, seed, &mut row),
            Err(e) => row.violations.push(format!("prism seed {seed}: {e}")),
        }
    }
    classify(p, python, &mut row);
    row
}

/// Splits the decode failures into ours (Prism's body satisfies the document) and the
/// document's own contradictions (it does not), by asking the request oracle's validator.
fn classify(p: &Prepared, python: &Path, row: &mut Row) {
    if row.pending.is_empty() {
        return;
    }
    let file = p.work.join("decode-failures.jsonl");
    let lines: String = row.pending.iter().map(|v| v.to_string() + "\n").collect();
    let verdicts = std::fs::write(&file, lines)
        .ok()
        .and_then(|()| {
            Command::new(python)
                .arg(root().join("xtask/conformance/oracle.py"))
                .arg("check")
                .arg(&p.spec)
                .arg(&file)
                .output()
                .ok()
        })
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let verdicts: Vec<Value> = verdicts
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    for (i, pending) in std::mem::take(&mut row.pending).into_iter().enumerate() {
        let text = pending["text"].as_str().unwrap_or_default().to_owned();
        match verdicts.get(i) {
            Some(v) if v["valid"] == json!(false) => row.contradictions.push(format!(
                "{text}; the body does not satisfy the document's own schema {}",
                v["error"].as_str().unwrap_or_default()
            )),
            _ => row.decode.push(text),
        }
    }
}

fn driver_input(calls: &[Value]) -> String {
    calls
        .iter()
        .map(|c| json!({"key": c["key"], "args": c["args"]}).to_string() + "\n")
        .collect()
}

/// The echo answers: validation errors, and the decoded values against those sent.
fn requests(calls: &[Value], lines: &[String], row: &mut Row) {
    let outputs: Vec<Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    for (call, out) in calls
        .iter()
        .zip(outputs.iter().chain(std::iter::repeat(&Value::Null)))
    {
        let key = call["key"].as_str().unwrap_or_default();
        let message = out["message"].as_str().unwrap_or_default();
        let echo = match out["outcome"].as_str() {
            Some("skipped") => {
                row.skipped.push(format!("{key}: {message}"));
                continue;
            }
            Some("bad_arguments") => {
                row.violations.push(format!(
                    "{key}: the document's arguments do not fit the generated types: {message}"
                ));
                continue;
            }
            Some("invalid_request") => {
                row.violations.push(format!(
                    "{key}: the client refused the document's arguments: {message}"
                ));
                continue;
            }
            _ => echo_of(out),
        };
        row.called += 1;
        let Some(echo) = echo else {
            row.violations.push(format!(
                "{key}: no answer from the oracle ({})",
                first_line(&out.to_string())
            ));
            continue;
        };
        let gaps: Vec<compare::Gap> = call["gaps"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|g| {
                let s = |k: &str| g[k].as_str().unwrap_or_default().to_owned();
                (s("in"), s("wire"), s("why"))
            })
            .collect();
        let f = compare::compare(&call["args"], &echo, &gaps);
        row.violations
            .extend(f.violations.into_iter().map(|v| format!("{key}: {v}")));
        row.mismatches
            .extend(f.mismatches.into_iter().map(|v| format!("{key}: {v}")));
        row.gaps
            .extend(f.gaps.into_iter().map(|v| format!("{key}: {v}")));
    }
}

/// The oracle's answer inside a driver outcome (the body, or the header for HEAD).
fn echo_of(out: &Value) -> Option<Value> {
    if out["status"] != json!(418) {
        return None;
    }
    if let Some(h) = out["echo"].as_str() {
        return serde_json::from_slice(&base64(h)?).ok();
    }
    serde_json::from_str(out["raw"].as_str()?).ok()
}

fn base64(s: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|c| *c != b'=') {
        acc = (acc << 6) | ALPHABET.iter().position(|a| *a == c)? as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Prism's made-up responses: every `decode` outcome is a decode failure, located.
fn responses(lines: &[String], seed: u64, row: &mut Row) {
    for out in lines
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
    {
        let key = out["key"].as_str().unwrap_or_default();
        match out["outcome"].as_str() {
            Some("ok") => row.responses += 1,
            Some("decode") => {
                row.responses += 1;
                let message = out["message"].as_str().unwrap_or_default();
                let raw = out["raw"].as_str().unwrap_or_default();
                let at = compare::line_column(message)
                    .map(|(l, c)| compare::pointer_at(raw, l, c))
                    .unwrap_or_else(|| "/".into());
                let text = format!("{key}: status {}, at {at}: {message}", out["status"]);
                // The same failure under another seed is listed once.
                if !row.pending.iter().any(|p| p["text"] == json!(text)) {
                    row.pending.push(json!({
                        "key": key, "status": out["status"], "raw": raw,
                        "text": format!("{text} (prism seed {seed})"),
                    }));
                }
            }
            Some("api") => row.responses += 1,
            _ => {}
        }
    }
}

fn report(rows: &[Row]) -> ExitCode {
    let mut table = String::from(
        "| document | operations | called | violations | value mismatches | decode failures | document contradictions | oracle gaps | responses decoded | note |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    let mut total = Row::default();
    for r in rows {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.file,
            r.operations,
            r.called,
            r.violations.len(),
            r.mismatches.len(),
            r.decode.len(),
            r.contradictions.len(),
            r.gaps.len(),
            r.responses,
            r.note
        );
        total.operations += r.operations;
        total.called += r.called;
        total.responses += r.responses;
    }
    let count = |f: fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    let (v, m, d, c, g) = (
        count(|r| r.violations.len()),
        count(|r| r.mismatches.len()),
        count(|r| r.decode.len()),
        count(|r| r.contradictions.len()),
        count(|r| r.gaps.len()),
    );
    let _ = writeln!(
        table,
        "| **total** | {} | {} | {v} | {m} | {d} | {c} | {g} | {} | |",
        total.operations, total.called, total.responses
    );
    for r in rows {
        let sections = [
            ("violation", &r.violations),
            ("value mismatch", &r.mismatches),
            ("decode failure (ours)", &r.decode),
            ("document contradiction", &r.contradictions),
            ("oracle gap", &r.gaps),
            ("not called", &r.skipped),
        ];
        for (what, list) in sections {
            for item in list {
                println!("conformance: {}: {what}: {item}", r.file);
            }
        }
    }
    print!("{table}");
    if v + m + d > 0 {
        eprintln!("conformance: FAILED: {v} violations, {m} value mismatches, {d} decode failures");
        ExitCode::FAILURE
    } else {
        println!(
            "conformance: no violations, value mismatches or decode failures ({g} oracle gaps, listed above)"
        );
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_decodes() {
        assert_eq!(super::base64("aGVsbG8=").unwrap(), b"hello");
    }
}
