//! Figure 1: codegen per stage against a bare parse, in time and in instructions.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use serde::Deserialize as _;

use super::{Stat, USAGE, ms_range};

// 1. Codegen

/// Stage times of one pipeline run (ms); `None` from the stage that failed on.
#[derive(Default)]
pub(super) struct Stages {
    load: f64,
    model: Option<f64>,
    /// Emit + format, file by file on every core (`write::render_units`), as `generate` runs.
    output: Option<f64>,
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
pub(super) fn pipeline(text: &str, name: &str) -> Stages {
    pipeline_on(text, name, openapi_gen::write::default_threads())
}

/// [`pipeline`] with emit + format on `threads` threads.
fn pipeline_on(text: &str, name: &str, threads: usize) -> Stages {
    let mut s = Stages::default();
    let mut t = Instant::now();
    let (loaded, items) = match openapi_gen::load::load_str_deferred(text, name) {
        Ok(l) => l,
        Err(e) => {
            s.load = since(&mut t);
            s.error = Some(format!("load: {e}"));
            return s;
        }
    };
    s.load = since(&mut t);
    let model = match openapi_gen::load::with_big_stack(|| {
        openapi_gen::model::build_from_items(&loaded.openapi, items)
    }) {
        Ok(m) => m,
        Err(e) => {
            s.error = Some(format!("model: {e}"));
            return s;
        }
    };
    s.model = Some(since(&mut t));
    match openapi_gen::write::render_units(openapi_gen::emit::units(&model), threads) {
        Ok(files) => {
            s.output = Some(since(&mut t));
            s.out_bytes = files.values().map(String::len).sum();
            s.out_lines = files.values().map(|f| f.lines().count()).sum();
            black_box(files);
        }
        Err(e) => s.error = Some(format!("emit + format: {e}")),
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

/// Emit and format apart, on one thread (`emit::emit`, then `write::render`), and emit +
/// format file by file (`write::render_units`) on one and on two threads. Times in ms
/// `[emit, format, 1 thread, 2 threads]`, and whether all three outputs agree. `None` if the
/// pipeline does not get that far.
fn output_variants(text: &str, name: &str) -> Option<([f64; 4], bool)> {
    use openapi_gen::{emit, write};
    let (loaded, items) = openapi_gen::load::load_str_deferred(text, name).ok()?;
    let model = openapi_gen::load::with_big_stack(|| {
        openapi_gen::model::build_from_items(&loaded.openapi, items)
    })
    .ok()?;
    let mut times = [0.0; 4];
    let mut t = Instant::now();
    let tokens = emit::emit(&model);
    times[0] = since(&mut t);
    let apart = write::render(tokens).ok()?;
    times[1] = since(&mut t);
    let one = write::render_units(emit::units(&model), 1).ok()?;
    times[2] = since(&mut t);
    let two = write::render_units(emit::units(&model), 2).ok()?;
    times[3] = since(&mut t);
    Some((times, apart == one && one == two))
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

pub(super) struct CodegenResult {
    label: String,
    bytes: usize,
    lines: usize,
    runs: usize,
    floor: Stat,
    load: Stat,
    steps: Option<[Stat; 3]>,
    model: Option<Stat>,
    output: Option<Stat>,
    /// `[emit, format, emit + format 1 thread, 2 threads]` (see [`output_variants`]).
    variants: Option<[Stat; 4]>,
    identical: bool,
    total: Option<Stat>,
    error: Option<String>,
    out_bytes: usize,
    out_lines: usize,
}

pub(super) fn codegen_bench(
    label: &str,
    path: &Path,
    runs: usize,
) -> Result<CodegenResult, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.display().to_string();
    // Warm-up (page cache, allocator, lazies).
    black_box(bare_parse(&text));
    black_box(pipeline(&text, &name));
    let (mut floor, mut load, mut model, mut output, mut total) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut steps: [Vec<f64>; 3] = [vec![], vec![], vec![]];
    let mut error = None;
    let (mut out_bytes, mut out_lines) = (0, 0);
    let mut steps_ok = true;
    let mut variants: [Vec<f64>; 4] = [vec![], vec![], vec![], vec![]];
    let mut identical = true;
    for _ in 0..runs {
        // Interleaved so drift hits every series alike.
        floor.push(bare_parse(&text));
        let s = pipeline(&text, &name);
        load.push(s.load);
        if let Some(m) = s.model {
            model.push(m);
            if let Some(o) = s.output {
                output.push(o);
                total.push(s.load + m + o);
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
        if let Some((t, same)) = output_variants(&text, &name) {
            for (acc, v) in variants.iter_mut().zip(t) {
                acc.push(v);
            }
            identical &= same;
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
        output: opt(&output),
        variants: (!variants[0].is_empty()).then(|| variants.each_ref().map(|v| Stat::of(v))),
        identical,
        total: opt(&total),
        error,
        out_bytes,
        out_lines,
    })
}

/// Issue 11: a whole codegen of the reference spec in at most this many bare parses.
const GOAL: f64 = 4.0;

pub(super) fn codegen_markdown(results: &[CodegenResult]) -> String {
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
            "  ↳ `openapiv3::OpenAPI` deserialise (whole, one thread; `load` reads `components/schemas` in two halves on two)",
            Box::new(|r| r.steps.map(|s| s[2])),
        ),
        ("model", Box::new(|r| r.model)),
        (
            "emit + format (`render_units`: file by file, all cores; what `generate` runs)",
            Box::new(|r| r.output),
        ),
        (
            "  ↳ emit alone, one thread (`emit::emit`)",
            Box::new(|r| r.variants.map(|v| v[0])),
        ),
        (
            "  ↳ format alone, one thread (`syn` + `prettyplease`, `write::render`)",
            Box::new(|r| r.variants.map(|v| v[1])),
        ),
        (
            "  ↳ variant: emit + format, 1 thread (`render_units(_, 1)`)",
            Box::new(|r| r.variants.map(|v| v[2])),
        ),
        (
            "  ↳ variant: emit + format, 2 threads (`render_units(_, 2)`)",
            Box::new(|r| r.variants.map(|v| v[3])),
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
                    "- {}: whole pipeline **{:.2}× the bare parse** (goal ≤ {GOAL}×: {}); output {} lines, {} KiB; \
                     emit + format apart, on one thread and on two give {} output.",
                    r.label,
                    x,
                    if x <= GOAL { "met" } else { "**missed**" },
                    r.out_lines,
                    r.out_bytes / 1024,
                    if r.identical {
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

/// `--once SPEC [--threads N]`: one codegen with stage times (a target for callgrind /
/// perf). `--threads` sets the emit + format threads (default: one per core).
pub(super) fn once(spec: &Path, threads: Option<&str>) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let name = spec.display().to_string();
    let threads = match threads {
        Some(n) => n.parse().ok().filter(|n| *n > 0).ok_or(USAGE)?,
        None => openapi_gen::write::default_threads(),
    };
    let s = pipeline_on(&text, &name, threads);
    println!(
        "load {:.2} ms, model {:?}, emit + format ({threads} threads) {:?}",
        s.load, s.model, s.output
    );
    if let Some(e) = s.error {
        println!("stopped: {e}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Instructions executed (callgrind's `I refs`) by `xtask bench ARGS` in a child process.
fn instructions(args: &[&std::ffi::OsStr]) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    super::callgrind(exe, |c| c.arg("bench").args(args))
}

/// Whole-pipeline / bare-parse in instructions: unlike times, not moved by other load on
/// the machine. `None` without valgrind.
pub(super) fn instruction_ratios(specs: &[(&str, PathBuf)]) -> Option<String> {
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
