//! Figure 2: peak heap (counting allocator) and peak RSS (`VmHWM` of a child) of a codegen.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use super::alloc::{peak_heap, peak_now};
use super::bytes;

// 2. Peak memory

pub(super) struct MemResult {
    label: String,
    bytes: usize,
    parse_heap: usize,
    stage_heap: Vec<(&'static str, usize)>,
    error: Option<String>,
    rss_full_kib: Option<u64>,
    rss_parse_kib: Option<u64>,
}

/// Peak heap of a full codegen, measured after each stage (cumulative: "up to the end of").
pub(super) fn memory_bench(label: &str, path: &Path) -> Result<MemResult, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.display().to_string();
    let ((), parse_heap) = peak_heap(|| {
        let v: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
        black_box(v);
    });
    let mut stage_heap = Vec::new();
    let mut error = None;
    let ((), _) = peak_heap(|| {
        let peak = peak_now;
        let (loaded, items) = match openapi_gen::load::load_str_deferred(&text, &name) {
            Ok(l) => l,
            Err(e) => {
                error = Some(format!("load: {e}"));
                return;
            }
        };
        stage_heap.push(("load", peak()));
        let model = match openapi_gen::load::with_big_stack(|| {
            openapi_gen::model::build_from_items(&loaded.openapi, items)
        }) {
            Ok(m) => m,
            Err(e) => {
                error = Some(format!("model: {e}"));
                return;
            }
        };
        stage_heap.push(("model", peak()));
        let units = openapi_gen::emit::units(&model);
        match openapi_gen::write::render_units(units, openapi_gen::write::default_threads()) {
            Ok(files) => {
                stage_heap.push(("output", peak()));
                black_box(files);
            }
            Err(e) => error = Some(format!("emit + format: {e}")),
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

pub(super) fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// `--peak-rss SPEC [--parse-only]`: one codegen (or one bare parse) in a fresh process,
/// then its peak resident set size.
pub(super) fn peak_rss_child(spec: &Path, parse_only: bool) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    if parse_only {
        let v: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
        black_box(v);
    } else {
        // What `cargo xtask codegen` runs: the typed document is freed before emit.
        let options = openapi_gen::Options::default();
        black_box(openapi_gen::generate_with(&text, &spec.display().to_string(), &options).ok());
    }
    match vm_hwm_kib() {
        Some(k) => println!("VmHWM-KiB {k}"),
        None => println!("VmHWM unavailable (no /proc/self/status)"),
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn memory_markdown(results: &[MemResult]) -> String {
    let mut md = String::from(
        "Peak heap = most live bytes at any point (counting `#[global_allocator]`, input text excluded), \
         cumulative up to the end of each stage; peak RSS = `VmHWM` of a fresh process that runs one \
         codegen (or only the bare parse), binary and input included.\n\n",
    );
    md.push_str("| spec | bare parse heap | heap up to load | …model | …emit + format (full codegen) | peak RSS full codegen | peak RSS bare parse |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for r in results {
        let mut line = format!(
            "| {} ({} KiB) | {} |",
            r.label,
            r.bytes / 1024,
            bytes(r.parse_heap as f64)
        );
        for stage in ["load", "model", "output"] {
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
