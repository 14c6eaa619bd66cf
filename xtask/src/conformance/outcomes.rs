//! The outcomes of the driver's calls, and the report: findings per document and the table.

use super::{compare, first_line};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::process::ExitCode;

/// One row of the report.
#[derive(Default)]
pub struct Row {
    pub file: String,
    pub note: String,
    pub operations: usize,
    pub called: usize,
    pub violations: Vec<String>,
    pub mismatches: Vec<String>,
    pub decode: Vec<String>,
    /// Decode failures on bodies that do not satisfy the document's own schema.
    pub contradictions: Vec<String>,
    /// Decode failures not classified yet: `{"key", "status", "raw", "text"}`.
    pub pending: Vec<Value>,
    pub gaps: Vec<String>,
    pub skipped: Vec<String>,
    pub responses: usize,
}

/// The echo answers: validation errors, and the decoded values against those sent.
pub fn requests(calls: &[Value], lines: &[String], row: &mut Row) {
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
pub fn responses(lines: &[String], seed: u64, row: &mut Row) {
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

/// Prism's verdict on the requests, for a Swagger 2.0 original it reads itself: an invalid
/// request is answered with Prism's own 422 (its `validation` list) or with the document's
/// 4xx and an `sl-violations` header. Each error is a violation, listed once over the seeds,
/// except where Prism cannot judge ([`PrismGaps`]): those are oracle gaps.
pub fn prism_requests(lines: &[String], seed: u64, gaps: &PrismGaps, row: &mut Row) {
    for out in lines
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
    {
        let key = out["key"].as_str().unwrap_or_default();
        let mut found: Vec<Value> = out["violations"]
            .as_str()
            .and_then(|h| serde_json::from_str::<Vec<Value>>(h).ok())
            .unwrap_or_default();
        let raw: Value = out["raw"]
            .as_str()
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or_default();
        if raw["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("https://stoplight.io/prism/errors#"))
        {
            match raw["validation"].as_array() {
                Some(list) => found.extend(list.iter().cloned()),
                None => found.push(json!({
                    "severity": "Error",
                    "message": format!("{}: {}", raw["title"], raw["detail"]),
                })),
            }
        }
        for v in found.iter().filter(|v| v["severity"] == json!("Error")) {
            let at = v["location"]
                .as_array()
                .map(|l| {
                    l.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .unwrap_or_default();
            let message = v["message"].as_str().unwrap_or_default();
            let gap = if gaps.ms_paths.contains(key) {
                Some("Prism does not read `x-ms-paths`, where the operation is")
            } else if gaps.no_consumes.contains(key)
                && message.starts_with("No supported content types")
            {
                Some(
                    "Prism accepts no body where the Swagger 2.0 original names no `consumes` \
                     (the client sends JSON, as 2.0 tools do)",
                )
            } else {
                None
            };
            if let Some(why) = gap {
                let gap = format!("{key}: {why}");
                if !row.gaps.contains(&gap) {
                    row.gaps.push(gap);
                }
                continue;
            }
            let text = format!(
                "{key}: Prism (reading the Swagger 2.0 original) refuses the request: {at}: {message}"
            );
            if !row.violations.iter().any(|x| x.starts_with(&text)) {
                row.violations.push(format!("{text} (prism seed {seed})"));
            }
        }
    }
}

/// Operations (`METHOD /path`) of a Swagger 2.0 original that Prism cannot judge.
#[derive(Default)]
pub struct PrismGaps {
    /// A body, but no `consumes` anywhere: Prism accepts no body at all.
    pub no_consumes: std::collections::BTreeSet<String>,
    /// Under `x-ms-paths`, which Prism does not read.
    pub ms_paths: std::collections::BTreeSet<String>,
}

pub fn report(rows: &[Row]) -> ExitCode {
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
            "conformance: no violations, value mismatches or decode failures \
             ({c} document contradictions, {g} oracle gaps, listed above)"
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
