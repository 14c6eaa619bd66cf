//! `cargo xtask bench [--no-build | --only-build [--reuse-targets]] [--no-client]
//! [--no-instructions] [--quick] [--runs N] [--build-runs N] [--write [PATH]]`
//!
//! Every benchmark figure of the project in one run (see BENCHMARKS.md):
//! 1. codegen of `spec/openrouter.yaml` and of `../shared/reference/openrouter-openapi.yaml`
//!    (when present), per stage, against a bare `serde_yaml` parse of the same text;
//! 2. peak heap (counting allocator) and peak RSS (`VmHWM`, child process) of a full codegen;
//! 3. client overhead and 4. pagination: `cargo bench -p openrouter --bench client|paginate`;
//! 5. build time and rustc peak memory of `openrouter`, of the reference-spec crate (also
//!    with one operation group only) and of the Nexus crate (skipped with `--no-build`;
//!    alone with `--only-build`).
//!
//! The `cargo xtask` alias builds xtask in debug; `bench` re-runs itself with `--profile
//! generator` (release, one codegen unit, fat LTO) so the generator is measured optimised. `--write` replaces the marked figure sections
//! of BENCHMARKS.md (`<!-- bench:NAME -->` … `<!-- /bench:NAME -->`) and keeps the prose.
//!
//! Modules: `alloc` (the counting allocator), `codegen` (1), `memory` (2), `client` (3, 4),
//! `build` (5) and `crates` (the crates it builds); this one has the options, the shared
//! formatting and the report.

mod alloc;
mod build;
mod client;
mod codegen;
mod crates;
mod memory;
mod scaled;
mod series;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::root;
pub(crate) use alloc::no_huge_pages;
use build::{build_markdown, builds};
use client::{client_instructions, client_markdown, paginate_markdown, sdk_bench};
use codegen::{codegen_bench, codegen_markdown, instruction_ratios, once};
use memory::{memory_bench, memory_markdown, peak_rss_child};

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
    /// `--only-build`: figure 5 alone.
    only_build: bool,
    /// `--reuse-targets`: keep the build figures' target dirs (not from clean; for development).
    reuse_targets: bool,
}

pub const USAGE: &str = "usage: cargo xtask bench [--no-build | --only-build [--reuse-targets]] [--no-client] [--no-instructions] \
                     [--quick] [--runs N] [--build-runs N] [--write [PATH]]\n       \
                     cargo xtask bench --once SPEC [--threads N]   (one codegen; for profilers)\n       \
                     cargo xtask bench --peak-rss SPEC [--parse-only]\n       \
                     cargo xtask bench --stages SPEC   (peak heap per stage of one codegen)\n       \
                     cargo xtask bench --scaled N [SPEC] [--untagged]   (codegen of SPEC copied N times, default the reference spec; --untagged: no tags, resources under /v1)\n       \
                     cargo xtask bench --series [MAX] [--runs N] [--no-ratios]   (figure 6: synthetic series up to MAX operations, codegen / parse ratios)";

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
            let threads = args
                .iter()
                .position(|a| a == "--threads")
                .and_then(|i| args.get(i + 1));
            return once(Path::new(spec), threads.map(String::as_str));
        }
        Some("--scaled") => {
            let copies = args
                .get(1)
                .and_then(|n| n.parse().ok())
                .filter(|n| *n >= 1)
                .ok_or(USAGE)?;
            let untagged = args.iter().any(|a| a == "--untagged");
            let spec = args
                .get(2)
                .filter(|a| *a != "--untagged")
                .map_or_else(reference_spec, PathBuf::from);
            let how = if untagged {
                scaled::Copies::Untagged
            } else {
                scaled::Copies::Tagged
            };
            return scaled::scaled(&spec, copies, how);
        }
        Some("--series") => {
            let max = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(40_000);
            let runs = args
                .iter()
                .position(|a| a == "--runs")
                .and_then(|i| args.get(i + 1)?.parse().ok())
                .unwrap_or(5);
            let md = if args.iter().any(|a| a == "--no-ratios") {
                series::series_markdown(&series::series(max, runs)?)
            } else {
                scaling_markdown(max, runs)?
            };
            println!("{md}");
            return Ok(ExitCode::SUCCESS);
        }
        Some("--stages") => {
            let spec = args.get(1).ok_or(USAGE)?;
            let m = memory_bench(spec, Path::new(spec))?;
            println!("{}", memory_markdown(&[m]));
            return Ok(ExitCode::SUCCESS);
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
        only_build: false,
        reuse_targets: false,
    };
    let mut it = args.into_iter().peekable();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-build" => o.no_build = true,
            "--only-build" => o.only_build = true,
            "--reuse-targets" => o.reuse_targets = true,
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
    if o.no_build && o.only_build {
        return Err(format!(
            "--no-build and --only-build exclude each other\n{USAGE}"
        ));
    }
    if o.runs == 0 {
        o.runs = if o.quick { 3 } else { 11 };
    }
    if o.build_runs == 0 {
        o.build_runs = if o.quick { 1 } else { 3 };
    }
    run(&o)
}

/// Re-runs `bench` from an optimised build of xtask (the workspace's `generator` profile:
/// release with one codegen unit and fat LTO).
fn rerun_release(args: &[String]) -> Result<ExitCode, String> {
    eprintln!(
        "bench: building xtask with --profile generator (the generator is measured optimised)"
    );
    let status = Command::new(cargo())
        .current_dir(root())
        .args([
            "run",
            "--profile",
            "generator",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "bench",
        ])
        .args(args)
        .status()
        .map_err(|e| format!("cargo run --profile generator: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub(super) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

pub(super) fn reference_spec() -> PathBuf {
    root().join("../shared/reference/openrouter-openapi.yaml")
}

// ---------------------------------------------------------------------------------------
// Statistics and formatting

#[derive(Debug, Clone, Copy)]
pub(super) struct Stat {
    pub(super) median: f64,
    pub(super) min: f64,
    pub(super) max: f64,
    pub(super) n: usize,
}

impl Stat {
    pub(super) fn of(xs: &[f64]) -> Stat {
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

pub(super) fn ms(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0} ms")
    } else if x >= 10.0 {
        format!("{x:.1} ms")
    } else {
        format!("{x:.2} ms")
    }
}

pub(super) fn ms_range(s: &Stat) -> String {
    format!(
        "{} ({}–{})",
        ms(s.median),
        ms(s.min).trim_end_matches(" ms"),
        ms(s.max)
    )
}

pub(super) fn secs(s: &Stat) -> String {
    if s.n > 1 {
        format!("{:.1} s ({:.1}–{:.1} s, n={})", s.median, s.min, s.max, s.n)
    } else {
        format!("{:.1} s (n=1)", s.median)
    }
}

pub(super) fn bytes(b: f64) -> String {
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / 1024.0 / 1024.0)
    } else {
        format!("{:.0} KiB", b / 1024.0)
    }
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
    let (commit, load) = (commit(), load_average());
    format!(
        "Machine: {cores} cores ({cpu}), {mem} RAM, {} {}; {rustc}; commit `{commit}` (plus uncommitted changes, if any); \
         1-minute load average {load} when the run started (other work on the machine shows up as spread between min and max).\n",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn commit() -> String {
    Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root())
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

/// The build figures come from their own run: its commit and load.
fn build_run_line() -> String {
    format!(
        "Build run: commit `{}`, 1-minute load average {} when it started.\n",
        commit(),
        load_average()
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
    let machine = machine_markdown();
    println!("{machine}");
    let mut sections: Vec<(&'static str, String)> = Vec::new();
    let mut failed = false;
    // The builds first, while this process is small: a child's peak RSS (`ru_maxrss`)
    // starts at its parent's resident size, and the scaling series leaves this process at
    // hundreds of MiB, which would be counted as rustc's.
    if !o.no_build {
        let run_line = build_run_line();
        let b = builds(o.build_runs, o.reuse_targets);
        let md = build_markdown(&b, &run_line);
        println!("## Build time\n\n{md}");
        sections.push(("build", md));
    }
    if !o.only_build {
        // The machine block describes the run of figures 1–4 and 6.
        sections.push(("machine", machine));
        failed = figures_1_to_4(o, &mut sections)?;
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

/// Codegen, memory, client and pagination; `true` if an SDK bench failed.
fn figures_1_to_4(o: &Opts, sections: &mut Vec<(&'static str, String)>) -> Result<bool, String> {
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
    let mut failed = false;
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

    eprintln!("bench: scaling series and codegen / parse ratios");
    let md = scaling_markdown(series::SERIES[series::SERIES.len() - 1], o.runs.min(5))?;
    println!("## Scaling\n\n{md}");
    sections.push(("scaling", md));

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
    Ok(failed)
}

/// Figure 6: the synthetic series up to `max` operations and the codegen / parse ratios.
fn scaling_markdown(max: usize, runs: usize) -> Result<String, String> {
    let points = series::series(max, runs)?;
    let ratios = series::ratios(runs)?;
    Ok(format!(
        "{}\n{}",
        series::series_markdown(&points),
        series::ratios_markdown(&ratios)
    ))
}

/// Instructions executed (callgrind's `I refs`) by `exe` with the arguments `args` adds, in
/// a child process under valgrind; `None` when valgrind or the count is missing.
pub(super) fn callgrind(
    exe: impl AsRef<std::ffi::OsStr>,
    args: impl FnOnce(&mut Command) -> &mut Command,
) -> Option<u64> {
    let mut cmd = Command::new("valgrind");
    cmd.args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe);
    let out = args(&mut cmd)
        .stdout(std::process::Stdio::null())
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
