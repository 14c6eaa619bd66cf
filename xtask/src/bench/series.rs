//! Figure 6: codegen cost against the size of the document. A synthetic series (1 to 40,000
//! trivial `GET` operations: time, heap and RSS per operation, which should stay flat), and
//! the whole codegen (`generate_with`, warnings placed) against a bare `serde_yaml` parse on
//! every corpus document, the reference spec and a 4 MB document with hundreds of warnings
//! built here (`warned_document`). Generated documents go to `target/bench-series/`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{Value, json};

use super::alloc::peak_heap;
use super::{Stat, bytes, ms};
use crate::root;

/// Operation counts of the series.
pub(super) const SERIES: &[usize] = &[1, 10, 100, 1_000, 10_000, 40_000];

/// A document of `ops` trivial operations, `GET /r{i}` answering 200 with no body and no
/// tags (the shape of issue 18's measurement). With no tags and a resource per path, more
/// resources than groups allow: all operations are one group, one module (the worst case
/// for a file's size).
pub(super) fn synthetic(ops: usize) -> String {
    let mut s =
        String::from("openapi: 3.0.3\ninfo:\n  title: Synthetic\n  version: 1.0.0\npaths:\n");
    for i in 0..ops {
        let _ = write!(
            s,
            "  /r{i}:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        );
    }
    s
}

pub(super) struct Point {
    ops: usize,
    bytes: usize,
    time: Stat,
    heap: usize,
    rss_kib: Option<u64>,
}

fn out_dir() -> PathBuf {
    root().join("target/bench-series")
}

/// Whole codegen as `cargo xtask codegen` runs it: warnings collected and placed.
fn codegen(text: &str) -> Result<openapi_gen::Generated, String> {
    openapi_gen::generate_with(text, "bench.yaml", &openapi_gen::Options::default())
        .map_err(|e| e.to_string())
}

fn millis(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1e3
}

/// Peak RSS (KiB) of a fresh process running one codegen of `path`.
fn child_rss(path: &Path) -> Option<u64> {
    let out = Command::new(std::env::current_exe().ok()?)
        .args(["bench", "--peak-rss"])
        .arg(path)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM-KiB ")?.trim().parse().ok())
}

/// The series up to `max` operations; `runs` timed runs per point (one for the largest).
pub(super) fn series(max: usize, runs: usize) -> Result<Vec<Point>, String> {
    std::fs::create_dir_all(out_dir()).map_err(|e| e.to_string())?;
    let mut points = Vec::new();
    for &ops in SERIES.iter().filter(|n| **n <= max) {
        let text = synthetic(ops);
        let path = out_dir().join(format!("ops{ops}.yaml"));
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        let (r, heap) = peak_heap(|| codegen(&text).map(|g| g.files.len()));
        r?;
        let n = if ops >= 10_000 { runs.min(3) } else { runs };
        let times: Vec<f64> = (0..n)
            .map(|_| millis(|| drop(black_box(codegen(&text)))))
            .collect();
        let p = Point {
            ops,
            bytes: text.len(),
            time: Stat::of(&times),
            heap,
            rss_kib: child_rss(&path),
        };
        eprintln!(
            "bench: series {ops} ops: {} heap {} rss {:?} KiB",
            ms(p.time.median),
            bytes(heap as f64),
            p.rss_kib
        );
        points.push(p);
    }
    Ok(points)
}

pub(super) fn series_markdown(points: &[Point]) -> String {
    let mut md = String::from(
        "Synthetic documents of N trivial operations (`GET /r{i}` answering 200, no tags: one group), \
         whole codegen (`generate_with`); time = median, heap = peak live bytes (counting allocator), \
         RSS = `VmHWM` of a fresh process running one codegen.\n\n\
         | operations | document | time | per operation | peak heap | per operation | peak RSS | per operation |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for p in points {
        let rss = p.rss_kib.map(|k| k as f64 * 1024.0);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.1} µs | {} | {} | {} | {} |",
            p.ops,
            bytes(p.bytes as f64),
            ms(p.time.median),
            p.time.median * 1e3 / p.ops as f64,
            bytes(p.heap as f64),
            bytes(p.heap as f64 / p.ops as f64),
            rss.map_or("n/a".to_owned(), bytes),
            rss.map_or("n/a".to_owned(), |r| bytes(r / p.ops as f64)),
        );
    }
    md
}

/// `components/schemas` and `paths` of `doc` copied `copies` times under new names, and keys
/// that each give a warning added to every copied operation and schema, until the text is
/// about `target` bytes.
pub(super) fn warned_document(reference: &str, target: usize) -> Result<String, String> {
    let doc: Value = serde_yaml::from_str(reference).map_err(|e| e.to_string())?;
    let mut out = doc.clone();
    let source = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
    let mut copy_no = 1;
    // The YAML is about 1.6 times the compact JSON.
    while serde_json::to_string(&out).map_or(0, |s| s.len()) * 8 / 5 < target {
        copy_no += 1;
        let renamed = source.replace(
            "\"#/components/schemas/",
            &format!("\"#/components/schemas/W{copy_no}"),
        );
        let copy: Value = serde_json::from_str(&renamed).map_err(|e| e.to_string())?;
        if let (Some(into), Some(from)) = (
            out.pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut),
            copy.pointer("/components/schemas")
                .and_then(Value::as_object),
        ) {
            for (name, schema) in from {
                let mut schema = schema.clone();
                if let Some(s) = schema.as_object_mut()
                    && s.len() % 3 == 0
                {
                    // Kept but not enforced: a `validation_not_enforced` warning each.
                    s.insert("minProperties".into(), json!(1));
                }
                into.insert(format!("W{copy_no}{name}"), schema);
            }
        }
        let Some(paths) = copy.get("paths").and_then(Value::as_object) else {
            break;
        };
        let mut added = Vec::new();
        for (path, item) in paths {
            let mut item = item.clone();
            for op in item
                .as_object_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
                .filter_map(Value::as_object_mut)
            {
                if let Some(Value::String(id)) = op.get_mut("operationId") {
                    id.push_str(&format!("W{copy_no}"));
                }
                // A key no response may have: a `stray_key` warning per operation.
                if let Some(Value::Object(responses)) = op.get_mut("responses")
                    && let Some(Value::Object(first)) = responses.values_mut().next()
                {
                    first.insert("type".into(), json!("object"));
                }
            }
            added.push((format!("/w{copy_no}{path}"), item));
        }
        if let Some(p) = out.get_mut("paths").and_then(Value::as_object_mut) {
            p.extend(added);
        }
    }
    // Block YAML, as the warnings' positions are looked up in YAML text.
    serde_yaml::to_string(&out).map_err(|e| e.to_string())
}

pub(super) struct Ratio {
    label: String,
    bytes: usize,
    warnings: usize,
    parse: Stat,
    codegen: Stat,
    /// The same as whole processes (the measure): `bench --peak-rss PATH
    /// --parse-only` against `bench --peak-rss PATH`, the same binary doing one or the other.
    process: Option<(Stat, Stat)>,
}

/// Wall time (ms) of a fresh xtask process running `bench --peak-rss path [--parse-only]`.
fn process_millis(path: &Path, parse_only: bool) -> Option<f64> {
    let mut cmd = Command::new(std::env::current_exe().ok()?);
    cmd.args(["bench", "--peak-rss"]).arg(path);
    if parse_only {
        cmd.arg("--parse-only");
    }
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    let t = Instant::now();
    let ok = cmd.status().ok()?.success();
    ok.then(|| t.elapsed().as_secs_f64() * 1e3)
}

/// Pairs of fresh processes per document at least: a small document's process is a few
/// milliseconds, which a scheduling hiccup moves by a tenth, so its median needs more pairs.
const PROCESS_PAIRS: usize = 21;

/// Whole codegen against a bare parse, alternating, `runs` times each in this process, then
/// as fresh processes ([`PROCESS_PAIRS`] pairs at least).
fn ratio(label: String, path: &Path, text: &str, runs: usize) -> Result<Ratio, String> {
    let warnings = codegen(text)?.warnings.len();
    let (mut parse, mut whole) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        parse.push(millis(|| {
            let v: serde_yaml::Value = serde_yaml::from_str(text).expect("valid YAML");
            black_box(v);
        }));
        whole.push(millis(|| drop(black_box(codegen(text)))));
    }
    let (mut p_parse, mut p_whole) = (Vec::new(), Vec::new());
    let pairs = runs.max(PROCESS_PAIRS);
    for _ in 0..pairs {
        p_parse.extend(process_millis(path, true));
        p_whole.extend(process_millis(path, false));
    }
    let process = (p_parse.len() == pairs && p_whole.len() == pairs)
        .then(|| (Stat::of(&p_parse), Stat::of(&p_whole)));
    Ok(Ratio {
        label,
        bytes: text.len(),
        warnings,
        parse: Stat::of(&parse),
        codegen: Stat::of(&whole),
        process,
    })
}

/// The ratio on every corpus document, the reference spec and the 4 MB warned document.
pub(super) fn ratios(runs: usize) -> Result<Vec<Ratio>, String> {
    let mut docs: Vec<(String, PathBuf, String)> = Vec::new();
    let corpus = root().join("../shared/corpus/specs");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .map_err(|e| format!("{}: {e}", corpus.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        docs.push((format!("`{name}`"), p.clone(), text));
    }
    let reference = super::reference_spec();
    if let Ok(text) = std::fs::read_to_string(&reference) {
        let warned = warned_document(&text, 4_000_000)?;
        let path = out_dir().join("warned-4mb.yaml");
        std::fs::create_dir_all(out_dir()).map_err(|e| e.to_string())?;
        std::fs::write(&path, &warned).map_err(|e| format!("{}: {e}", path.display()))?;
        docs.push(("reference spec".to_owned(), reference, text));
        docs.push((
            "reference spec copied to 4 MB, with warnings (`target/bench-series/warned-4mb.yaml`)"
                .to_owned(),
            path,
            warned,
        ));
    }
    let mut out = Vec::new();
    for (label, path, text) in docs {
        match ratio(label.clone(), &path, &text, runs) {
            Ok(r) => out.push(r),
            Err(e) => eprintln!("bench: {label}: codegen fails ({e}); no ratio"),
        }
    }
    Ok(out)
}

pub(super) fn ratios_markdown(rs: &[Ratio]) -> String {
    let mut md = format!(
        "Whole codegen (`generate_with`: load, model, warnings placed, emit + format) against a bare \
         `serde_yaml::from_str::<serde_yaml::Value>` of the same text, run alternately; medians. *In process*: \
         both in this process, one after the other. *Whole process* (the issue's measure): a fresh \
         `xtask bench --peak-rss DOC --parse-only` against a fresh `xtask bench --peak-rss DOC` (the same \
         binary, reading the file, then only parsing or generating), start-up and exit included, \
         {PROCESS_PAIRS} alternating pairs or more.\n\n\
         | document | size | warnings | bare parse | codegen | ratio in process | bare parse process | codegen process | ratio whole process |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let in_process = |x: &Ratio| x.codegen.median / x.parse.median;
    let whole = |x: &Ratio| x.process.as_ref().map(|(p, c)| c.median / p.median);
    for x in rs {
        let (pp, pc, pr) = match (&x.process, whole(x)) {
            (Some((p, c)), Some(r)) => (ms(p.median), ms(c.median), format!("{r:.2}×")),
            _ => ("n/a".to_owned(), "n/a".to_owned(), "n/a".to_owned()),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {:.2}× | {pp} | {pc} | {pr} |",
            x.label,
            bytes(x.bytes as f64),
            x.warnings,
            ms(x.parse.median),
            ms(x.codegen.median),
            in_process(x)
        );
    }
    let verdict = |r: f64| if r <= 3.0 { "met" } else { "**missed**" };
    let over = |f: &dyn Fn(&Ratio) -> Option<f64>| {
        let mut missed: Vec<String> = rs
            .iter()
            .filter_map(|x| {
                f(x).filter(|r| *r > 3.0)
                    .map(|r| format!("{} {r:.2}×", x.label))
            })
            .collect();
        if missed.is_empty() {
            missed.push("none".to_owned());
        }
        missed.join(", ")
    };
    if let Some(w) = rs
        .iter()
        .max_by(|a, b| in_process(a).total_cmp(&in_process(b)))
    {
        let _ = writeln!(
            md,
            "\n- In process, highest: {} at **{:.2}×** (goal ≤ 3×: {}). Over 3×: {}.",
            w.label,
            in_process(w),
            verdict(in_process(w)),
            over(&|x| Some(in_process(x)))
        );
    }
    if let Some(w) = rs
        .iter()
        .filter(|x| whole(x).is_some())
        .max_by(|a, b| whole(a).unwrap_or(0.0).total_cmp(&whole(b).unwrap_or(0.0)))
    {
        let r = whole(w).unwrap_or(0.0);
        let _ = writeln!(
            md,
            "- Whole process, highest: {} at **{r:.2}×** (goal ≤ 3×: {}). Over 3×: {}.",
            w.label,
            verdict(r),
            over(&whole)
        );
    }
    md
}
