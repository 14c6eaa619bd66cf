//! Figures 3 and 4: the SDK's client and pagination benches (`generated/benches/*.rs`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::{bytes, cargo};
use crate::root;

// 3 + 4. SDK benches (`generated/benches/*.rs`), run through cargo

pub(super) fn sdk_bench(name: &str, quick: bool) -> Result<serde_json::Value, String> {
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
pub(super) fn client_instructions() -> Option<String> {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let exe = client_bench_exe()?;
    let ir = |op: &str, client: &str, n: usize| -> Option<f64> {
        super::callgrind(&exe, |c| c.args(["--only", op, client, &n.to_string()])).map(|i| i as f64)
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

pub(super) fn client_markdown(c: &serde_json::Value) -> String {
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

pub(super) fn paginate_markdown(p: &serde_json::Value) -> String {
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
