//! `cargo xtask codegen --spec PATH --out DIR`: a standalone crate around the generated
//! module (its own manifest, the runtime copied in), so the generator can be proven on any
//! spec.

use crate::{codegen, root};
use openapi_gen::write::{Mode, Outcome, ensure_files};
use std::collections::BTreeMap;
use std::path::Path;

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Write (or check) the crate for `spec` at `out`.
pub fn write(spec: &Path, out: &Path, mode: Mode) -> Result<Outcome, String> {
    let mut outcome = codegen(spec, &out.join("src/generated"), mode)?;
    let runtime_src = root().join("generated/src/runtime");
    let mut entries: Vec<_> = std::fs::read_dir(&runtime_src)
        .map_err(|e| format!("{}: {e}", runtime_src.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    entries.sort();
    let mut runtime = BTreeMap::new();
    for p in entries {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        runtime.insert(name, read(&p)?);
    }
    let mut merge = |dir: &Path, files: &BTreeMap<String, String>| -> Result<(), String> {
        let r = ensure_files(dir, files, mode).map_err(|e| e.to_string())?;
        outcome.changed.extend(r.changed);
        Ok(())
    };
    merge(&out.join("src/runtime"), &runtime)?;
    let manifest = manifest(
        &read(&root().join("generated/Cargo.toml"))?,
        &read(&root().join("Cargo.toml"))?,
    );
    merge(out, &BTreeMap::from([("Cargo.toml".to_owned(), manifest)]))?;
    let lib = read(&root().join("generated/src/lib.rs"))?;
    merge(
        &out.join("src"),
        &BTreeMap::from([("lib.rs".to_owned(), lib)]),
    )?;
    Ok(outcome)
}

/// The value of `key = …` in `section` of a TOML text (single-line values only).
fn lookup<'t>(toml: &'t str, section: &str, key: &str) -> Option<&'t str> {
    let mut current = "";
    for line in toml.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            current = t.trim_matches(|c| c == '[' || c == ']');
        } else if current == section {
            match t.split_once('=') {
                Some((k, v)) if k.trim() == key => return Some(v.trim()),
                _ => {}
            }
        }
    }
    None
}

/// `features = [...]` items inside an inline table.
fn features(table: &str) -> Vec<String> {
    let Some(start) = table.find("features") else {
        return Vec::new();
    };
    let rest = &table[start..];
    let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) else {
        return Vec::new();
    };
    rest[open + 1..close]
        .split(',')
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty())
        .collect()
}

/// A dependency spec from the workspace one plus the member's extra features.
fn dependency(workspace: &str, extra: &[String]) -> String {
    if extra.is_empty() {
        return workspace.to_owned();
    }
    if workspace.starts_with('"') {
        return format!(
            "{{ version = {workspace}, features = [{}] }}",
            extra.join(", ")
        );
    }
    let mut all = features(workspace);
    for f in extra {
        if !all.contains(f) {
            all.push(f.clone());
        }
    }
    let body = workspace
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim();
    let without = match body.find("features") {
        Some(i) => {
            let end = body[i..].find(']').map_or(body.len(), |e| i + e + 1);
            format!("{}{}", &body[..i], &body[end..])
        }
        None => body.to_owned(),
    };
    let without = without.trim().trim_end_matches(',').trim();
    format!("{{ {without}, features = [{}] }}", all.join(", "))
}

/// The SDK's manifest with workspace inheritance replaced by concrete values and only the
/// package and dependency sections kept (benches and examples stay with the SDK), so the
/// crate builds on its own (its own `[workspace]` keeps it out of ours).
pub fn manifest(member: &str, workspace: &str) -> String {
    let mut out = String::new();
    let mut section = String::new();
    for line in member.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t.to_owned();
            if matches!(t, "[package]" | "[dependencies]" | "[dev-dependencies]") {
                out.push('\n');
                out.push_str(t);
                out.push('\n');
            }
            continue;
        }
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let Some((key, value)) = t.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match section.as_str() {
            "[package]" => {
                if key == "name" {
                    out.push_str("name = \"generated-sdk\"\n");
                } else if key == "description" {
                    out.push_str("description = \"SDK generated by openapi-gen (smoke test)\"\n");
                } else if let Some(k) = key.strip_suffix(".workspace") {
                    if let Some(v) = lookup(workspace, "workspace.package", k) {
                        out.push_str(&format!("{k} = {v}\n"));
                    }
                } else {
                    out.push_str(&format!("{key} = {value}\n"));
                }
            }
            "[dependencies]" | "[dev-dependencies]" => {
                let (name, inherited) = match key.strip_suffix(".workspace") {
                    Some(k) => (k, true),
                    None => (key, value.contains("workspace = true")),
                };
                if !inherited {
                    out.push_str(&format!("{key} = {value}\n"));
                } else if let Some(dep) = lookup(workspace, "workspace.dependencies", name) {
                    out.push_str(&format!("{name} = {}\n", dependency(dep, &features(value))));
                }
            }
            _ => {}
        }
    }
    out.push_str("\n[workspace]\n");
    out.trim_start().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_resolves_workspace_inheritance() {
        let ws = "[workspace.package]\nedition = \"2024\"\n\n[workspace.dependencies]\n\
                  tokio = { version = \"1\", features = [\"rt\"] }\nserde_json = \"1\"\n";
        let member = "[package]\nname = \"x\"\nedition.workspace = true\n\n[dependencies]\n\
                      serde_json.workspace = true\n\n[dev-dependencies]\n\
                      tokio = { workspace = true, features = [\"test-util\"] }\n\n\
                      [[bench]]\nname = \"b\"\nharness = false\n";
        let m = manifest(member, ws);
        assert!(
            m.contains("name = \"generated-sdk\"\nedition = \"2024\"\n"),
            "{m}"
        );
        assert!(m.contains("serde_json = \"1\"\n"), "{m}");
        assert!(
            m.contains("tokio = { version = \"1\", features = [\"rt\", \"test-util\"] }\n"),
            "{m}"
        );
        assert!(!m.contains("bench"), "{m}");
        assert!(m.ends_with("[workspace]\n"), "{m}");
    }
}
