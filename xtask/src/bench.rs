//! `cargo xtask bench [--no-build] [--no-client] [--no-instructions] [--quick] [--runs N]
//! [--build-runs N] [--write [PATH]]`
//!
//! Every benchmark figure of the project in one run (see BENCHMARKS.md):
//! 1. codegen of `spec/openrouter.yaml` and of `../shared/reference/openrouter-openapi.yaml`
//!    (when present), per stage, against a bare `serde_yaml` parse of the same text;
//! 2. peak heap (counting allocator) and peak RSS (`VmHWM`, child process) of a full codegen;
//! 3. client overhead and 4. pagination: `cargo bench -p openrouter --bench client|paginate`;
//! 5. build time of `generated/` and of the reference-spec crate (skipped with `--no-build`).
//!
//! The `cargo xtask` alias builds xtask in debug; `bench` re-runs itself with `--release`
//! so the generator is measured optimised. `--write` replaces the marked figure sections
//! of BENCHMARKS.md (`<!-- bench:NAME -->` … `<!-- /bench:NAME -->`) and keeps the prose.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::Instant;

use serde::Deserialize as _;

use crate::root;

// ---------------------------------------------------------------------------------------
// Heap accounting: a global allocator that counts live bytes while `COUNTING` is on. The
// peak is relative to the start of a section, so blocks allocated before it and freed
// during it are accounted for correctly. Off (one relaxed load) for every other command.

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grow(by: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let by = by as isize;
        let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrink(by: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        LIVE.fetch_sub(by as isize, Ordering::Relaxed);
    }
}

// SAFETY: forwards every call to `System`; only adds bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                shrink(layout.size() - new_size);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` with heap counting on; returns its result and the peak live bytes above the
/// level at the start.
fn peak_heap<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::SeqCst);
    let out = f();
    COUNTING.store(false, Ordering::SeqCst);
    (out, PEAK.load(Ordering::Relaxed).max(0) as usize)
}

// ---------------------------------------------------------------------------------------
// Options

struct Opts {
    no_build: bool,
    quick: bool,
    runs: usize,
    build_runs: usize,
    write: Option<PathBuf>,
    skip_client: bool,
    instructions: bool,
}

pub const USAGE: &str = "usage: cargo xtask bench [--no-build] [--no-client] [--no-instructions] [--quick] [--runs N] \
                     [--build-runs N] [--write [PATH]]\n       \
                     cargo xtask bench --once SPEC [--format whole|1|2]   (one codegen; for profilers)\n       \
                     cargo xtask bench --peak-rss SPEC [--parse-only]";

fn number(v: Option<String>, flag: &str) -> Result<usize, String> {
    v.and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{flag} needs a positive number\n{USAGE}"))
}

/// Entry point of `cargo xtask bench ...`.
pub fn main(args: impl Iterator<Item = String>) -> Result<ExitCode, String> {
    let args: Vec<String> = args.collect();
    if cfg!(debug_assertions) {
        return rerun_release(&args);
    }
    match args.first().map(String::as_str) {
        Some("--once") => {
            let spec = args.get(1).ok_or(USAGE)?;
            let format = args
                .iter()
                .position(|a| a == "--format")
                .and_then(|i| args.get(i + 1));
            return once(Path::new(spec), format.map(String::as_str));
        }
        Some("--peak-rss") => {
            let spec = args.get(1).ok_or(USAGE)?;
            return peak_rss_child(Path::new(spec), args.iter().any(|a| a == "--parse-only"));
        }
        _ => {}
    }
    let mut o = Opts {
        no_build: false,
        quick: false,
        runs: 0,
        build_runs: 0,
        write: None,
        skip_client: false,
        instructions: true,
    };
    let mut it = args.into_iter().peekable();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-build" => o.no_build = true,
            "--no-client" => o.skip_client = true,
            "--no-instructions" => o.instructions = false,
            "--quick" => o.quick = true,
            "--runs" => o.runs = number(it.next(), "--runs")?,
            "--build-runs" => o.build_runs = number(it.next(), "--build-runs")?,
            "--write" => {
                let path = match it.peek() {
                    Some(p) if !p.starts_with("--") => PathBuf::from(it.next().unwrap_or_default()),
                    _ => root().join("BENCHMARKS.md"),
                };
                o.write = Some(path);
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if o.runs == 0 {
        o.runs = if o.quick { 3 } else { 11 };
    }
    if o.build_runs == 0 {
        o.build_runs = if o.quick { 1 } else { 3 };
    }
    run(&o)
}

/// Re-runs `bench` from an optimised build of xtask.
fn rerun_release(args: &[String]) -> Result<ExitCode, String> {
    eprintln!("bench: building xtask with --release (the generator is measured optimised)");
    let status = Command::new(cargo())
        .current_dir(root())
        .args([
            "run",
            "--release",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "bench",
        ])
        .args(args)
        .status()
        .map_err(|e| format!("cargo run --release: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn reference_spec() -> PathBuf {
    root().join("../shared/reference/openrouter-openapi.yaml")
}

// ---------------------------------------------------------------------------------------
// Statistics and formatting

#[derive(Debug, Clone, Copy)]
struct Stat {
    median: f64,
    min: f64,
    max: f64,
    n: usize,
}

impl Stat {
    fn of(xs: &[f64]) -> Stat {
        let mut v = xs.to_vec();
        v.sort_by(|a, b| a.total_cmp(b));
        let n = v.len();
        let median = if n == 0 {
            f64::NAN
        } else if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        };
        Stat {
            median,
            min: v.first().copied().unwrap_or(f64::NAN),
            max: v.last().copied().unwrap_or(f64::NAN),
            n,
        }
    }
}

fn ms(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0} ms")
    } else if x >= 10.0 {
        format!("{x:.1} ms")
    } else {
        format!("{x:.2} ms")
    }
}

fn ms_range(s: &Stat) -> String {
    format!(
        "{} ({}–{})",
        ms(s.median),
        ms(s.min).trim_end_matches(" ms"),
        ms(s.max)
    )
}

fn secs(s: &Stat) -> String {
    if s.n > 1 {
        format!("{:.1} s ({:.1}–{:.1} s, n={})", s.median, s.min, s.max, s.n)
    } else {
        format!("{:.1} s (n=1)", s.median)
    }
}

fn bytes(b: f64) -> String {
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / 1024.0 / 1024.0)
    } else {
        format!("{:.0} KiB", b / 1024.0)
    }
}

// ---------------------------------------------------------------------------------------
// 1. Codegen

/// Stage times of one pipeline run (ms); `None` from the stage that failed on.
#[derive(Default)]
struct Stages {
    load: f64,
    model: Option<f64>,
    emit: Option<f64>,
    format: Option<f64>,
    error: Option<String>,
    out_bytes: usize,
    out_lines: usize,
}

fn since(t: &mut Instant) -> f64 {
    let now = Instant::now();
    let d = now.duration_since(*t).as_secs_f64() * 1e3;
    *t = now;
    d
}

/// The pipeline of `openapi_gen::generate`, timed per stage.
fn pipeline(text: &str, name: &str) -> Stages {
    let mut s = Stages::default();
    let mut t = Instant::now();
    let loaded = match openapi_gen::load::load_str(text, name) {
        Ok(l) => l,
        Err(e) => {
            s.load = since(&mut t);
            s.error = Some(format!("load: {e}"));
            return s;
        }
    };
    s.load = since(&mut t);
    let model = match openapi_gen::model::build(&loaded.openapi) {
        Ok(m) => m,
        Err(e) => {
            s.error = Some(format!("model: {e}"));
            return s;
        }
    };
    s.model = Some(since(&mut t));
    let tokens = openapi_gen::emit::emit(&model);
    s.emit = Some(since(&mut t));
    match openapi_gen::write::render(tokens) {
        Ok(files) => {
            s.format = Some(since(&mut t));
            s.out_bytes = files.values().map(String::len).sum();
            s.out_lines = files.values().map(|f| f.lines().count()).sum();
            black_box(files);
        }
        Err(e) => s.error = Some(format!("format: {e}")),
    }
    black_box((loaded, model));
    s
}

/// The floor: a bare `serde_yaml` parse into its own `Value`.
fn bare_parse(text: &str) -> f64 {
    let t = Instant::now();
    let v: serde_yaml::Value = serde_yaml::from_str(text).expect("the spec is valid YAML");
    black_box(v);
    t.elapsed().as_secs_f64() * 1e3
}

/// The format stage three ways on the same tokens: `render_with(_, 1)` (chunked, one
/// thread), `render_with(_, 2)` (chunked, two threads) and `format_file` on each whole file
/// (one syntax tree per file, as before chunking). Times in ms, and whether all three agree.
/// `None` if the pipeline does not get that far.
fn format_variants(text: &str, name: &str) -> Option<([f64; 3], bool)> {
    let loaded = openapi_gen::load::load_str(text, name).ok()?;
    let model = openapi_gen::model::build(&loaded.openapi).ok()?;
    let mut times = [0.0; 3];
    let mut outputs = Vec::new();
    for (k, time) in times.iter_mut().enumerate() {
        let tokens = openapi_gen::emit::emit(&model);
        let t = Instant::now();
        let files = match k {
            0 => openapi_gen::write::render_with(tokens, 1).ok()?,
            1 => openapi_gen::write::render_with(tokens, 2).ok()?,
            _ => tokens
                .into_iter()
                .map(|(n, ts)| openapi_gen::write::format_file(&n, ts).map(|t| (n, t)))
                .collect::<Result<_, _>>()
                .ok()?,
        };
        *time = t.elapsed().as_secs_f64() * 1e3;
        outputs.push(files);
    }
    let same = outputs.windows(2).all(|w| w[0] == w[1]);
    Some((times, same))
}

/// `load` replayed step by step: YAML → `serde_json::Value` (what `load` parses into),
/// `normalize`, and the typed `openapiv3` deserialisation.
fn load_steps(text: &str) -> Option<[f64; 3]> {
    let mut t = Instant::now();
    let mut doc: serde_json::Value = serde_yaml::from_str(text).ok()?;
    let parse = since(&mut t);
    openapi_gen::load::normalize(&mut doc).ok()?;
    let normalize = since(&mut t);
    let typed = openapiv3::OpenAPI::deserialize(&doc).ok()?;
    let deser = since(&mut t);
    black_box(typed);
    Some([parse, normalize, deser])
}

struct CodegenResult {
    label: String,
    bytes: usize,
    lines: usize,
    runs: usize,
    floor: Stat,
    load: Stat,
    steps: Option<[Stat; 3]>,
    model: Option<Stat>,
    emit: Option<Stat>,
    format: Option<Stat>,
    format_variants: Option<[Stat; 3]>,
    format_identical: bool,
    total: Option<Stat>,
    error: Option<String>,
    out_bytes: usize,
    out_lines: usize,
}

fn codegen_bench(label: &str, path: &Path, runs: usize) -> Result<CodegenResult, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.display().to_string();
    // Warm-up (page cache, allocator, lazies).
    black_box(bare_parse(&text));
    black_box(pipeline(&text, &name));
    let (mut floor, mut load, mut model, mut emit, mut format, mut total) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut steps: [Vec<f64>; 3] = [vec![], vec![], vec![]];
    let mut error = None;
    let (mut out_bytes, mut out_lines) = (0, 0);
    let mut steps_ok = true;
    let mut variants: [Vec<f64>; 3] = [vec![], vec![], vec![]];
    let mut format_identical = true;
    for _ in 0..runs {
        // Interleaved so drift hits every series alike.
        floor.push(bare_parse(&text));
        let s = pipeline(&text, &name);
        load.push(s.load);
        if let (Some(m), Some(e), Some(f)) = (s.model, s.emit, s.format) {
            model.push(m);
            emit.push(e);
            format.push(f);
            total.push(s.load + m + e + f);
        } else {
            if let Some(m) = s.model {
                model.push(m);
            }
            if let Some(e) = s.emit {
                emit.push(e);
            }
        }
        error = s.error;
        out_bytes = s.out_bytes;
        out_lines = s.out_lines;
        match load_steps(&text) {
            Some(x) => {
                for (acc, v) in steps.iter_mut().zip(x) {
                    acc.push(v);
                }
            }
            None => steps_ok = false,
        }
        if let Some((t, same)) = format_variants(&text, &name) {
            for (acc, v) in variants.iter_mut().zip(t) {
                acc.push(v);
            }
            format_identical &= same;
        }
    }
    let opt = |v: &Vec<f64>| (!v.is_empty()).then(|| Stat::of(v));
    Ok(CodegenResult {
        label: label.to_owned(),
        bytes: text.len(),
        lines: text.lines().count(),
        runs,
        floor: Stat::of(&floor),
        load: Stat::of(&load),
        steps: steps_ok.then(|| {
            [
                Stat::of(&steps[0]),
                Stat::of(&steps[1]),
                Stat::of(&steps[2]),
            ]
        }),
        model: opt(&model),
        emit: opt(&emit),
        format: opt(&format),
        format_variants: (!variants[0].is_empty()).then(|| {
            [
                Stat::of(&variants[0]),
                Stat::of(&variants[1]),
                Stat::of(&variants[2]),
            ]
        }),
        format_identical,
        total: opt(&total),
        error,
        out_bytes,
        out_lines,
    })
}

fn codegen_markdown(results: &[CodegenResult]) -> String {
    let mut md = String::new();
    let ratio = |s: &Stat, r: &CodegenResult| format!("{:.2}×", s.median / r.floor.median);
    let _ = writeln!(
        md,
        "Median of {} runs after a warm-up (min–max in brackets); ratio = stage median / bare-parse median.\n",
        results.first().map_or(0, |r| r.runs)
    );
    let mut header = "| stage |".to_owned();
    let mut rule = "|---|".to_owned();
    for r in results {
        let _ = write!(
            header,
            " {} ({} KiB, {} lines) | ratio |",
            r.label,
            r.bytes / 1024,
            r.lines
        );
        rule.push_str("---:|---:|");
    }
    let _ = writeln!(md, "{header}\n{rule}");
    type Row<'a> = (&'a str, Box<dyn Fn(&CodegenResult) -> Option<Stat>>);
    let rows: Vec<Row> = vec![
        (
            "**floor**: bare `serde_yaml::from_str::<serde_yaml::Value>`",
            Box::new(|r| Some(r.floor)),
        ),
        (
            "load (YAML parse + normalise + `openapiv3`)",
            Box::new(|r| Some(r.load)),
        ),
        (
            "  ↳ YAML → `serde_json::Value`",
            Box::new(|r| r.steps.map(|s| s[0])),
        ),
        ("  ↳ normalise", Box::new(|r| r.steps.map(|s| s[1]))),
        (
            "  ↳ `openapiv3::OpenAPI` deserialise",
            Box::new(|r| r.steps.map(|s| s[2])),
        ),
        ("model", Box::new(|r| r.model)),
        ("emit", Box::new(|r| r.emit)),
        (
            "format (`syn` + `prettyplease`; `render` = all cores when ≥ 16 chunks)",
            Box::new(|r| r.format),
        ),
        (
            "  ↳ variant: chunked, 1 thread (`render_with(_, 1)`)",
            Box::new(|r| r.format_variants.map(|v| v[0])),
        ),
        (
            "  ↳ variant: chunked, 2 threads (`render_with(_, 2)`; one below 16 chunks)",
            Box::new(|r| r.format_variants.map(|v| v[1])),
        ),
        (
            "  ↳ variant: whole files (`format_file`, before chunking)",
            Box::new(|r| r.format_variants.map(|v| v[2])),
        ),
        ("**whole pipeline**", Box::new(|r| r.total)),
    ];
    for (name, get) in rows {
        let mut line = format!("| {name} |");
        for r in results {
            match get(r) {
                Some(s) => {
                    let _ = write!(line, " {} | {} |", ms_range(&s), ratio(&s, r));
                }
                None => line.push_str(" — | — |"),
            }
        }
        let _ = writeln!(md, "{line}");
    }
    md.push('\n');
    for r in results {
        match (&r.total, &r.error) {
            (Some(t), _) => {
                let x = t.median / r.floor.median;
                let _ = writeln!(
                    md,
                    "- {}: whole pipeline **{:.2}× the bare parse** (goal ≤ 3×: {}); output {} lines, {} KiB; \
                     the three formatting variants give {} output.",
                    r.label,
                    x,
                    if x <= 3.0 { "met" } else { "**missed**" },
                    r.out_lines,
                    r.out_bytes / 1024,
                    if r.format_identical {
                        "identical"
                    } else {
                        "**different**"
                    }
                );
            }
            (None, Some(e)) => {
                let _ = writeln!(
                    md,
                    "- {}: the pipeline does not complete yet, so there is no whole-pipeline figure: `{}`.",
                    r.label,
                    e.replace('`', "'")
                );
            }
            (None, None) => {}
        }
    }
    md
}

/// `--once SPEC [--format whole|1|2]`: one codegen with stage times (a target for
/// callgrind / perf). `--format` picks the formatting variant (default: `render`).
fn once(spec: &Path, format: Option<&str>) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let name = spec.display().to_string();
    if let Some(variant) = format {
        let loaded = openapi_gen::load::load_str(&text, &name).map_err(|e| e.to_string())?;
        let model = openapi_gen::model::build(&loaded.openapi).map_err(|e| e.to_string())?;
        let tokens = openapi_gen::emit::emit(&model);
        let t = Instant::now();
        let files: std::collections::BTreeMap<String, String> = match variant {
            "whole" => tokens
                .into_iter()
                .map(|(n, ts)| openapi_gen::write::format_file(&n, ts).map(|t| (n, t)))
                .collect::<Result<_, _>>(),
            n => openapi_gen::write::render_with(tokens, n.parse().map_err(|_| USAGE)?),
        }
        .map_err(|e| e.to_string())?;
        println!(
            "format ({variant}): {:.1} ms, {} files",
            t.elapsed().as_secs_f64() * 1e3,
            files.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let s = pipeline(&text, &name);
    println!(
        "load {:.2} ms, model {:?}, emit {:?}, format {:?}",
        s.load, s.model, s.emit, s.format
    );
    if let Some(e) = s.error {
        println!("stopped: {e}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Instructions executed (callgrind's `I refs`) by `xtask bench ARGS` in a child process.
fn instructions(args: &[&std::ffi::OsStr]) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe)
        .arg("bench")
        .args(args)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err.lines().find(|l| l.contains("I   refs:"))?;
    line.rsplit(':')
        .next()?
        .trim()
        .replace(',', "")
        .parse()
        .ok()
}

/// Whole-pipeline / bare-parse in instructions: unlike times, not moved by other load on
/// the machine. `None` without valgrind.
fn instruction_ratios(specs: &[(&str, PathBuf)]) -> Option<String> {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let mut md = String::from(
        "Instructions executed (valgrind `--tool=callgrind`, whole process: read the file, then one \
         bare parse / one full codegen), a figure that other load on the machine does not move:\n\n\
         | spec | bare parse | whole pipeline | ratio |\n|---|---:|---:|---:|\n",
    );
    for (label, path) in specs {
        eprintln!("bench: callgrind on {label} (a minute or two for the reference spec)");
        let parse = instructions(&[
            "--peak-rss".as_ref(),
            path.as_os_str(),
            "--parse-only".as_ref(),
        ]);
        let full = instructions(&["--once".as_ref(), path.as_os_str()]);
        if let (Some(p), Some(f)) = (parse, full) {
            let _ = writeln!(
                md,
                "| {label} | {:.0} M | {:.0} M | {:.2}× |",
                p as f64 / 1e6,
                f as f64 / 1e6,
                f as f64 / p as f64
            );
        }
    }
    Some(md)
}

// ---------------------------------------------------------------------------------------
// 2. Peak memory

struct MemResult {
    label: String,
    bytes: usize,
    parse_heap: usize,
    stage_heap: Vec<(&'static str, usize)>,
    error: Option<String>,
    rss_full_kib: Option<u64>,
    rss_parse_kib: Option<u64>,
}

/// Peak heap of a full codegen, measured after each stage (cumulative: "up to the end of").
fn memory_bench(label: &str, path: &Path) -> Result<MemResult, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.display().to_string();
    let ((), parse_heap) = peak_heap(|| {
        let v: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
        black_box(v);
    });
    let mut stage_heap = Vec::new();
    let mut error = None;
    let ((), _) = peak_heap(|| {
        let peak = || PEAK.load(Ordering::Relaxed).max(0) as usize;
        let loaded = match openapi_gen::load::load_str(&text, &name) {
            Ok(l) => l,
            Err(e) => {
                error = Some(format!("load: {e}"));
                return;
            }
        };
        stage_heap.push(("load", peak()));
        let model = match openapi_gen::model::build(&loaded.openapi) {
            Ok(m) => m,
            Err(e) => {
                error = Some(format!("model: {e}"));
                return;
            }
        };
        stage_heap.push(("model", peak()));
        let tokens = openapi_gen::emit::emit(&model);
        stage_heap.push(("emit", peak()));
        match openapi_gen::write::render(tokens) {
            Ok(files) => {
                stage_heap.push(("format", peak()));
                black_box(files);
            }
            Err(e) => error = Some(format!("format: {e}")),
        }
        black_box((loaded, model));
    });
    let rss = |parse_only: bool| -> Option<u64> {
        let exe = std::env::current_exe().ok()?;
        let mut cmd = Command::new(exe);
        cmd.args(["bench", "--peak-rss"]).arg(path);
        if parse_only {
            cmd.arg("--parse-only");
        }
        let out = cmd.stderr(Stdio::null()).output().ok()?;
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM-KiB ")?.trim().parse().ok())
    };
    Ok(MemResult {
        label: label.to_owned(),
        bytes: text.len(),
        parse_heap,
        stage_heap,
        error,
        rss_full_kib: rss(false),
        rss_parse_kib: rss(true),
    })
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// `--peak-rss SPEC [--parse-only]`: one codegen (or one bare parse) in a fresh process,
/// then its peak resident set size.
fn peak_rss_child(spec: &Path, parse_only: bool) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    if parse_only {
        let v: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
        black_box(v);
    } else {
        black_box(pipeline(&text, &spec.display().to_string()));
    }
    match vm_hwm_kib() {
        Some(k) => println!("VmHWM-KiB {k}"),
        None => println!("VmHWM unavailable (no /proc/self/status)"),
    }
    Ok(ExitCode::SUCCESS)
}

fn memory_markdown(results: &[MemResult]) -> String {
    let mut md = String::from(
        "Peak heap = most live bytes at any point (counting `#[global_allocator]`, input text excluded), \
         cumulative up to the end of each stage; peak RSS = `VmHWM` of a fresh process that runs one \
         codegen (or only the bare parse), binary and input included.\n\n",
    );
    md.push_str("| spec | bare parse heap | heap up to load | …model | …emit | …format (full codegen) | peak RSS full codegen | peak RSS bare parse |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in results {
        let mut line = format!(
            "| {} ({} KiB) | {} |",
            r.label,
            r.bytes / 1024,
            bytes(r.parse_heap as f64)
        );
        for stage in ["load", "model", "emit", "format"] {
            match r.stage_heap.iter().find(|(s, _)| *s == stage) {
                Some((_, b)) => {
                    let _ = write!(line, " {} |", bytes(*b as f64));
                }
                None => line.push_str(" — |"),
            }
        }
        let kib = |k: Option<u64>| k.map_or("n/a".to_owned(), |k| bytes(k as f64 * 1024.0));
        let _ = writeln!(
            line,
            " {} | {} |",
            kib(r.rss_full_kib),
            kib(r.rss_parse_kib)
        );
        md.push_str(&line);
    }
    for r in results {
        if let Some(e) = &r.error {
            let _ = writeln!(
                md,
                "\n- {}: codegen stops at `{}`, so the later columns are empty.",
                r.label,
                e.replace('`', "'")
            );
        }
    }
    md
}

// ---------------------------------------------------------------------------------------
// 3 + 4. SDK benches (`generated/benches/*.rs`), run through cargo

fn sdk_bench(name: &str, quick: bool) -> Result<serde_json::Value, String> {
    eprintln!("bench: cargo bench -p openrouter --bench {name}");
    let mut cmd = Command::new(cargo());
    cmd.current_dir(root()).args([
        "bench",
        "--quiet",
        "-p",
        "openrouter",
        "--bench",
        name,
        "--",
        "--json",
    ]);
    if quick {
        cmd.arg("--quick");
    }
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cargo bench: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut json = None;
    for line in stdout.lines() {
        match line.strip_prefix("BENCH-JSON ") {
            Some(j) => json = serde_json::from_str(j).ok(),
            None => println!("{line}"),
        }
    }
    if !out.status.success() {
        return Err(format!("cargo bench --bench {name} failed"));
    }
    json.ok_or_else(|| format!("--bench {name} printed no BENCH-JSON line"))
}

fn f(v: &serde_json::Value, path: &str) -> f64 {
    v.pointer(path)
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(f64::NAN)
}

/// The client bench's executable (built by `cargo bench --no-run`).
fn client_bench_exe() -> Option<PathBuf> {
    let out = Command::new(cargo())
        .current_dir(root())
        .args([
            "bench",
            "--quiet",
            "-p",
            "openrouter",
            "--bench",
            "client",
            "--no-run",
            "--message-format=json",
        ])
        .stderr(Stdio::inherit())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).lines().find_map(|l| {
        let v: serde_json::Value = serde_json::from_str(l).ok()?;
        (v.pointer("/target/name")?.as_str()? == "client")
            .then(|| v.pointer("/executable")?.as_str().map(PathBuf::from))?
    })
}

/// Instructions per request of each client (callgrind, client and server threads, user
/// space): `(Ir(n2) - Ir(n1)) / (n2 - n1)` of `client --only OP CLIENT n`, so start-up and
/// warm-up cancel out. Unlike latency on a shared machine, deterministic.
fn client_instructions() -> Option<String> {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let exe = client_bench_exe()?;
    let ir = |op: &str, client: &str, n: usize| -> Option<f64> {
        let out = Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
            .arg(&exe)
            .args(["--only", op, client, &n.to_string()])
            .stdout(Stdio::null())
            .output()
            .ok()?;
        let err = String::from_utf8_lossy(&out.stderr);
        let line = err.lines().find(|l| l.contains("I   refs:"))?;
        line.rsplit(':')
            .next()?
            .trim()
            .replace(',', "")
            .parse()
            .ok()
    };
    let mut md = String::from(
        "Instructions per request (valgrind `--tool=callgrind`, user space of client and server; \
         `(I(n₂) − I(n₁)) / (n₂ − n₁)` so start-up cancels out), which other load on the machine does not move:\n\n\
         | call | generated SDK | hand-written → generated type | hand-written → own struct | SDK / hand-written, same type |\n\
         |---|---:|---:|---:|---:|\n",
    );
    for (op, title, n1, n2) in [
        ("list", "`byok().list()` 100 items", 50, 250),
        ("get", "`byok().get(id)`", 200, 1200),
    ] {
        eprintln!("bench: callgrind on the client bench ({op})");
        let mut per = Vec::new();
        for client in ["sdk", "hand/generated-type", "hand/own-struct"] {
            let a = ir(op, client, n1)?;
            let b = ir(op, client, n2)?;
            per.push((b - a) / (n2 - n1) as f64);
        }
        let _ = writeln!(
            md,
            "| {title} | {:.1} k | {:.1} k | {:.1} k | {:.3}× |",
            per[0] / 1e3,
            per[1] / 1e3,
            per[2] / 1e3,
            per[0] / per[1]
        );
    }
    Some(md)
}

fn client_markdown(c: &serde_json::Value) -> String {
    let mut md = format!(
        "Sequential requests, one keep-alive connection per client; {} `list` and {} `get` requests per \
         client after a warm-up, the three clients taking turns of 25 requests in a shuffled order \
         (so load from elsewhere on the machine hits them alike). Figures are the **median latency** per request; \
         requests/s = 1 / median latency (sequential, one connection). Page body {} bytes \
         (100 credentials), `get` body {} bytes.\n\n",
        f(c, "/iters_list"),
        f(c, "/iters_get"),
        f(c, "/page_body_bytes"),
        f(c, "/get_body_bytes"),
    );
    md.push_str("| call | client | µs / request (median) | requests / s | vs hand-written, same type | vs hand-written, own struct |\n|---|---|---:|---:|---:|---:|\n");
    for (op, title) in [
        ("list", "`byok().list()` 100 items"),
        ("get", "`byok().get(id)`"),
    ] {
        for (name, label) in [
            ("sdk", "generated SDK"),
            ("hand/generated-type", "hand-written → generated type"),
            ("hand/own-struct", "hand-written → own struct"),
        ] {
            let key = name.replace('/', "~1");
            let us = f(c, &format!("/{op}/{key}/us"));
            let same = us / f(c, &format!("/{op}/hand~1generated-type/us"));
            let own = us / f(c, &format!("/{op}/hand~1own-struct/us"));
            let _ = writeln!(
                md,
                "| {title} | {label} | {us:.1} | {:.0} | {same:.3}× | {own:.3}× |",
                f(c, &format!("/{op}/{key}/rps"))
            );
        }
    }
    md.push('\n');
    for op in ["list", "get"] {
        let x = f(c, &format!("/{op}/sdk/us")) / f(c, &format!("/{op}/hand~1generated-type/us"));
        let _ = writeln!(
            md,
            "- `{op}`: SDK / hand-written = **{x:.3}×** (goal ≤ 1.05×: {}).",
            if x <= 1.05 { "met" } else { "**missed**" }
        );
    }
    let _ = writeln!(
        md,
        "- Decode alone (`serde_json::from_slice`, no HTTP): 100-item page {:.0} µs into the generated type, {:.0} µs into the hand-written struct; `get` body {:.2} / {:.2} µs.",
        f(c, "/decode_us/list_generated"),
        f(c, "/decode_us/list_own"),
        f(c, "/decode_us/get_generated"),
        f(c, "/decode_us/get_own"),
    );
    md
}

fn paginate_markdown(p: &serde_json::Value) -> String {
    let kib = |path: &str| bytes(f(p, path));
    let mut md = format!(
        "`byok().list_stream(ListByokKeysParams::new().limit(100))` over {} credentials, every item consumed; median of {} runs.\n\n",
        f(p, "/items"),
        f(p, "/runs")
    );
    md.push_str("| figure | value |\n|---|---:|\n");
    let time = f(p, "/time_ms");
    let rows = [
        ("requests made", format!("{}", f(p, "/requests"))),
        ("time", format!("{time:.1} ms")),
        (
            "throughput",
            format!(
                "{:.0} items/s, {:.0} requests/s",
                f(p, "/items") / time * 1e3,
                f(p, "/requests") / time * 1e3
            ),
        ),
        (
            "peak heap while streaming (median / max over runs)",
            format!(
                "{} / {}",
                kib("/stream_peak_bytes_median"),
                kib("/stream_peak_bytes_max")
            ),
        ),
        ("one page: JSON body", kib("/page_body_bytes")),
        (
            "one page: decoded, retained",
            kib("/one_page_retained_bytes"),
        ),
        (
            "one page: peak while fetching one `list()`",
            kib("/one_page_fetch_peak_bytes"),
        ),
        (
            "for scale: collecting all items into a `Vec`",
            kib("/collect_all_peak_bytes"),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(md, "| {k} | {v} |");
    }
    let bounded = p.pointer("/bounded").and_then(serde_json::Value::as_bool) == Some(true);
    let _ = writeln!(
        md,
        "\n- Bounded by one page (stream peak ≤ 2× the peak of fetching one page): **{}**.",
        if bounded { "yes" } else { "NO" }
    );
    md
}

// ---------------------------------------------------------------------------------------
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

struct BuildResult {
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

fn builds(runs: usize) -> Vec<BuildResult> {
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

fn build_markdown(results: &[BuildResult], runs: usize) -> String {
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

// ---------------------------------------------------------------------------------------
// Machine, report, BENCHMARKS.md

fn machine_markdown() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or("?".to_owned(), |k| {
            format!("{:.0} GiB", k / 1024.0 / 1024.0)
        });
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root())
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
    format!(
        "Machine: {cores} cores ({cpu}), {mem} RAM, {} {}; {rustc}; commit `{commit}` (plus uncommitted changes, if any); \
         1-minute load average {load} when the run started (other work on the machine shows up as spread between min and max).\n",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// Replaces `<!-- bench:NAME -->` … `<!-- /bench:NAME -->` in `doc` (appends the section
/// if the markers are missing).
fn replace_section(doc: &mut String, name: &str, body: &str) {
    let start = format!("<!-- bench:{name} -->");
    let end = format!("<!-- /bench:{name} -->");
    let block = format!("{start}\n{}\n{end}", body.trim_end());
    match (doc.find(&start), doc.find(&end)) {
        (Some(s), Some(e)) if e > s => doc.replace_range(s..e + end.len(), &block),
        _ => {
            doc.push_str("\n\n");
            doc.push_str(&block);
            doc.push('\n');
        }
    }
}

fn run(o: &Opts) -> Result<ExitCode, String> {
    let wall = Instant::now();
    let mut sections: Vec<(&str, String)> = vec![("machine", machine_markdown())];
    println!("{}", sections[0].1);

    let mut specs = vec![("spec/openrouter.yaml", root().join("spec/openrouter.yaml"))];
    let reference = reference_spec();
    if reference.is_file() {
        specs.push(("reference spec", reference));
    } else {
        eprintln!(
            "bench: {} not present; reference-spec figures skipped",
            reference.display()
        );
    }

    eprintln!("bench: codegen ({} runs per spec)", o.runs);
    let mut cg = Vec::new();
    for (label, path) in &specs {
        cg.push(codegen_bench(label, path, o.runs)?);
    }
    let mut md = codegen_markdown(&cg);
    if o.instructions {
        match instruction_ratios(&specs) {
            Some(table) => {
                md.push('\n');
                md.push_str(&table);
            }
            None => eprintln!("bench: valgrind not found; instruction counts skipped"),
        }
    }
    println!("## Codegen\n\n{md}");
    sections.push(("codegen", md));

    eprintln!("bench: peak memory of a full codegen");
    let mut mem = Vec::new();
    for (label, path) in &specs {
        mem.push(memory_bench(label, path)?);
    }
    let md = memory_markdown(&mem);
    println!("## Peak memory\n\n{md}");
    sections.push(("memory", md));

    let mut failed = false;
    if !o.skip_client {
        match sdk_bench("client", o.quick) {
            Ok(c) => {
                let mut md = client_markdown(&c);
                if o.instructions {
                    match client_instructions() {
                        Some(table) => {
                            md.push('\n');
                            md.push_str(&table);
                        }
                        None => eprintln!("bench: client instruction counts skipped"),
                    }
                }
                println!("## Client overhead\n\n{md}");
                sections.push(("client", md));
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
        match sdk_bench("paginate", o.quick) {
            Ok(p) => {
                let md = paginate_markdown(&p);
                println!("## Pagination\n\n{md}");
                sections.push(("paginate", md));
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }

    if !o.no_build {
        let b = builds(o.build_runs);
        let md = build_markdown(&b, o.build_runs);
        println!("## Build time\n\n{md}");
        sections.push(("build", md));
    }

    if let Some(path) = &o.write {
        let mut doc = std::fs::read_to_string(path).unwrap_or_else(|_| {
            "# Benchmarks\n\nFigures below are written by `cargo xtask bench --write`.\n".to_owned()
        });
        for (name, body) in &sections {
            replace_section(&mut doc, name, body);
        }
        std::fs::write(path, doc).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("bench: wrote {}", path.display());
    }
    eprintln!("bench: done in {:.0?}", wall.elapsed());
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
