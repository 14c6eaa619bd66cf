//! `cargo xtask bench --scaled N [SPEC]`: a document N times the size of SPEC (default: the
//! reference spec), made by copying every schema and path under new names (`FooV2`,
//! `/v2/...`, tags `x v2`), then codegen of it three times: wall time of each run, whether
//! the output is byte-identical, and its size. For the "a 4 MB document in under 2 s" goal.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::Value;

/// How the copies of [`scaled_document`] are told apart.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Copies {
    /// Paths under `/v{i}`, tags suffixed ` v{i}`: as many groups per copy as tags.
    Tagged,
    /// No tags anywhere, every path under `/v1` and each copy's first segment suffixed
    /// (`/v1/keys`, `/v1/keys2`, …): an untagged document of many resources, the shape of a
    /// large payment API, which the generator groups by resource.
    Untagged,
}

/// The document `copies` times over (copy 1 is the original).
pub fn scaled_document(text: &str, copies: usize, how: Copies) -> Result<String, String> {
    let original: Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = original.clone();
    let source = serde_json::to_string(&original).map_err(|e| e.to_string())?;
    if how == Copies::Untagged {
        if let Some(o) = out.as_object_mut() {
            o.remove("tags");
        }
        let paths = out.get_mut("paths").and_then(Value::as_object_mut);
        let moved: Vec<(String, Value)> = paths
            .map(std::mem::take)
            .unwrap_or_default()
            .into_iter()
            .map(|(path, mut item)| {
                untag(&mut item);
                (format!("/v1{path}"), item)
            })
            .collect();
        out["paths"] = Value::Object(moved.into_iter().collect());
    }
    for i in 2..=copies {
        // Every schema reference points at the copy's schema.
        let renamed = source.replace(
            "\"#/components/schemas/",
            &format!("\"#/components/schemas/V{i}"),
        );
        let copy: Value = serde_json::from_str(&renamed).map_err(|e| e.to_string())?;
        if let (Some(into), Some(from)) = (
            out.pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut),
            copy.pointer("/components/schemas")
                .and_then(Value::as_object),
        ) {
            for (name, schema) in from {
                into.insert(format!("V{i}{name}"), schema.clone());
            }
        }
        let Some(paths) = copy.get("paths").and_then(Value::as_object) else {
            continue;
        };
        for (path, item) in paths {
            let mut item = item.clone();
            if let Some(ops) = item.as_object_mut() {
                for op in ops.values_mut().filter_map(Value::as_object_mut) {
                    if let Some(Value::String(id)) = op.get_mut("operationId") {
                        id.push_str(&format!("V{i}"));
                    }
                    if let Some(Value::Array(tags)) = op.get_mut("tags") {
                        for t in tags.iter_mut() {
                            if let Value::String(t) = t {
                                t.push_str(&format!(" v{i}"));
                            }
                        }
                    }
                }
            }
            let path = match how {
                Copies::Tagged => format!("/v{i}{path}"),
                Copies::Untagged => {
                    untag(&mut item);
                    // `/keys/{hash}` → `/v1/keys2/{hash}`: a resource of its own per copy.
                    let rest = path.trim_start_matches('/');
                    let (first, tail) = rest.split_once('/').unwrap_or((rest, ""));
                    let sep = if tail.is_empty() { "" } else { "/" };
                    format!("/v1/{first}{i}{sep}{tail}")
                }
            };
            if let Some(p) = out.get_mut("paths").and_then(Value::as_object_mut) {
                p.insert(path, item);
            }
        }
    }
    serde_json::to_string(&out).map_err(|e| e.to_string())
}

/// Removes the `tags` of every operation of a path item.
fn untag(item: &mut Value) {
    for op in item
        .as_object_mut()
        .into_iter()
        .flat_map(|m| m.values_mut())
        .filter_map(Value::as_object_mut)
    {
        op.remove("tags");
    }
}

pub fn scaled(spec: &Path, copies: usize, how: Copies) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let doc = scaled_document(&text, copies, how)?;
    let out = crate::root().join("target/bench-scaled.json");
    std::fs::write(&out, &doc).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("scaled: written to {}", out.display());
    println!(
        "scaled: {} × {copies} = {:.2} MB ({} bytes)",
        spec.display(),
        doc.len() as f64 / 1e6,
        doc.len()
    );
    let mut first: Option<std::collections::BTreeMap<String, String>> = None;
    for run in 1..=3 {
        let t = Instant::now();
        let files = openapi_gen::generate(&doc, "scaled.json").map_err(|e| e.to_string())?;
        let secs = t.elapsed().as_secs_f64();
        let lines: usize = files.values().map(|f| f.lines().count()).sum();
        let same = first.as_ref().is_none_or(|f| *f == files);
        println!(
            "scaled: run {run}: {secs:.2} s, {lines} generated lines, identical to run 1: {same}"
        );
        if !same {
            return Ok(ExitCode::FAILURE);
        }
        first.get_or_insert(files);
    }
    Ok(ExitCode::SUCCESS)
}
