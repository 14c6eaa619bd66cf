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
mod known;
mod outcomes;
mod procs;

use outcomes::{Row, prism_requests, report, requests, responses};

use crate::root;
use openapi_gen::write::Mode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

pub const USAGE: &str =
    "usage: cargo xtask conformance [--spec FILE|DIR]... [--seeds N,N,..] [--no-prism]

  Calls every operation of the crate generated for each document against an openapi-core
  echo server (requests: no validation errors, decoded values equal to those sent) and
  Prism's dynamic mock (responses: every made-up response decodes). Default documents: every
  fixture in tests/fixtures/ok, tests/fixtures/swagger2, tests/fixtures/split (its ROOTS),
  ../shared/corpus/specs, ../shared/corpus/specs2 (its ROOTS), ../shared/corpus/fragments and
  ../shared/reference/openrouter-openapi.yaml (documents the generator refuses are skipped).
  A Swagger 2.0 or split document reaches openapi-core as the generator's bundled OpenAPI 3
  form; Prism reads a 2.0 original itself and validates the requests against it too.
  Needs the oracles: .ci/install-oracles.
  --spec FILE    only this document (repeatable); a folder: its documents (and its ROOTS)
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
    /// The document openapi-core reads: the original, or for a Swagger 2.0 or split
    /// document the OpenAPI 3 document the generator reads (bundled, converted).
    spec: PathBuf,
    /// A Swagger 2.0 original: Prism reads it as it is and also validates the requests.
    swagger: Option<Swagger>,
    work: PathBuf,
    plan: usize,
    skipped: Vec<String>,
    /// Some operation decodes a JSON body (worth asking Prism).
    decodes: bool,
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
            root().join("tests/fixtures/swagger2"),
            root().join("tests/fixtures/split"),
            root().join("../shared/corpus/specs"),
            root().join("../shared/corpus/specs2"),
            root().join("../shared/corpus/fragments"),
        ])?;
        let reference = root().join("../shared/reference/openrouter-openapi.yaml");
        if reference.is_file() {
            d.push(crate::corpus::Doc::file(reference));
        }
        d
    } else {
        let mut d = Vec::new();
        for spec in &o.specs {
            if spec.is_dir() {
                d.extend(crate::corpus::documents(std::slice::from_ref(spec))?);
            } else {
                d.push(crate::corpus::Doc::file(spec.clone()));
            }
        }
        d
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
    let (notes, stale) = known::apply(&mut rows);
    for n in &notes {
        println!("conformance: {n}");
    }
    let code = report(&rows);
    // Only the full run sees every document a known entry names.
    if o.specs.is_empty() && !stale.is_empty() {
        for s in &stale {
            eprintln!("conformance: known failure no longer found (remove it from known.rs): {s}");
        }
        return Ok(ExitCode::FAILURE);
    }
    Ok(code)
}

/// Generate the crate and its driver; `Ok(Err(row))` when there is nothing to run.
fn prepare(
    doc: &crate::corpus::Doc,
    corpus: &Path,
    cache: &Path,
) -> Result<Result<Prepared, Row>, String> {
    let ref_root = doc.ref_root.as_deref();
    let doc = doc.path.as_path();
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
    if let Err(e) =
        crate::standalone::write_split(doc, ref_root, &out, Mode::Write, &options, &generator)
    {
        let note = format!("refused by the generator: skipped ({})", first_line(&e));
        return Ok(Err(Row {
            file,
            note,
            ..Row::default()
        }));
    }
    crate::corpus::workspace_member(&out)?;
    let (model, _) =
        openapi_gen::build_model_path(doc, ref_root, &generator).map_err(|e| e.to_string())?;
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
    let (spec, swagger) = oracle_document(doc, ref_root, &work)?;
    let plan_file = work.join("plan.json");
    std::fs::write(&plan_file, serde_json::to_string(&plan).unwrap_or_default())
        .map_err(|e| e.to_string())?;
    Ok(Ok(Prepared {
        file,
        package,
        example,
        spec,
        swagger,
        work,
        plan: plan.len(),
        skipped,
        decodes,
    }))
}

/// The document for openapi-core, and the Swagger 2.0 original for Prism. openapi-core reads
/// OpenAPI 3 from one file: a 2.0 or split document is given as the generator's own bundled,
/// converted form (written to `work/openapi3.json`); Prism checks the conversion, since it
/// reads the 2.0 original itself.
fn oracle_document(
    doc: &Path,
    ref_root: Option<&Path>,
    work: &Path,
) -> Result<(PathBuf, Option<Swagger>), String> {
    let three = openapi_gen::load::openapi3_document(doc, ref_root).map_err(|e| e.to_string())?;
    if three.swagger.is_none() && three.files == 1 {
        return Ok((doc.to_owned(), None));
    }
    let path = work.join("openapi3.json");
    let text = serde_json::to_string_pretty(&three.doc).map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    let swagger = three.swagger.map(|original| Swagger {
        path: doc.to_owned(),
        gaps: prism_gaps(&original),
    });
    Ok((path, swagger))
}

/// A Swagger 2.0 original, for Prism.
struct Swagger {
    path: PathBuf,
    gaps: outcomes::PrismGaps,
}

/// The operations (`METHOD /path`) of a 2.0 original that Prism cannot judge.
fn prism_gaps(original: &Value) -> outcomes::PrismGaps {
    let declared = |v: &Value| v["consumes"].as_array().is_some_and(|a| !a.is_empty());
    let mut gaps = outcomes::PrismGaps::default();
    let operations = |key: &str| -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for (path, item) in original[key].as_object().into_iter().flatten() {
            // An `x-ms-paths` key may carry a fixed query (`/things/{id}?action=restart`).
            let path = path.split('?').next().unwrap_or(path);
            for (method, op) in item.as_object().into_iter().flatten() {
                if op.is_object() {
                    out.push((format!("{} {path}", method.to_uppercase()), declared(op)));
                }
            }
        }
        out
    };
    for (op, consumes) in operations("paths") {
        if !consumes && !declared(original) {
            gaps.no_consumes.insert(op);
        }
    }
    gaps.ms_paths = operations("x-ms-paths")
        .into_iter()
        .map(|(op, _)| op)
        .collect();
    gaps
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
    let text = crate::corpus::workspace_manifest(&members);
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
        // A 2.0 original is always served: Prism validates the requests against it.
        if o.prism && (p.decodes || p.swagger.is_some()) {
            let served = p
                .swagger
                .as_ref()
                .map_or(copy.as_path(), |s| s.path.as_path());
            for &seed in &o.seeds {
                mocks.push((seed, procs::prism(prism, served, seed)));
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
            Ok(lines) => {
                responses(&lines, seed, &mut row);
                if let Some(s) = &p.swagger {
                    prism_requests(&lines, seed, &s.gaps, &mut row);
                }
            }
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

/// The request oracle end to end, without a generated crate: a request in the wrong form is
/// caught, the right form passes. Skipped when the oracles are not installed.
#[cfg(test)]
mod oracle_tests {
    use super::*;
    use std::io::{Read, Write};

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /q:\n    get:\n      \
        parameters:\n        - {name: csv, in: query, style: form, explode: false, \
        schema: {type: array, items: {type: string}}}\n      responses: {'204': {description: ok}}\n";

    fn get(port: u16, target: &str) -> Value {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(s, "GET {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        serde_json::from_str(body).unwrap()
    }

    #[test]
    fn a_list_sent_exploded_is_a_mismatch_and_the_documented_form_passes() {
        let python = root().join("target/conformance/venv/bin/python");
        if !python.is_file() {
            eprintln!("skipped: the oracles are not installed (.ci/install-oracles)");
            return;
        }
        let dir = std::env::temp_dir().join(format!("conformance-oracle-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("spec.yaml");
        std::fs::write(&spec, SPEC).unwrap();
        let plan = dir.join("plan.json");
        let plan_json = r#"[{"key": "GET /q", "method": "GET", "path": "/q", "params": [{"in": "query", "wire": "csv"}], "body": null}]"#;
        std::fs::write(&plan, plan_json).unwrap();
        let calls = dir.join("calls.jsonl");
        let script = root().join("xtask/conformance/oracle.py");
        let server =
            procs::oracle(&python, &script, &spec, &plan, &calls, &dir.join("p.json")).unwrap();
        let call: Value =
            serde_json::from_str(std::fs::read_to_string(&calls).unwrap().trim()).unwrap();
        assert_eq!(call["args"]["query"]["csv"], json!(["value", "other"]));
        // Exploded: passes validation, decodes as the first item only.
        let wrong = compare::compare(
            &call["args"],
            &get(server.port, "/q?csv=value&csv=other"),
            &[],
        );
        assert!(wrong.violations.is_empty(), "{wrong:?}");
        assert_eq!(wrong.mismatches.len(), 1, "{wrong:?}");
        let right = compare::compare(&call["args"], &get(server.port, "/q?csv=value,other"), &[]);
        assert_eq!(right, compare::Findings::default());
        drop(server);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
