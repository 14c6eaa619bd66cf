//! `cargo xtask codegen --spec PATH --out DIR`: a standalone crate for any document: its own
//! manifest (named after the API, or `--name`), a generated `lib.rs` with crate docs from
//! `info`, the generated module, and a dependency on the runtime crate (a path into this
//! workspace, or a vendored copy with `--vendor-runtime`).

use crate::root;
use openapi_gen::krate::{CrateInfo, generate_crate_path};
use openapi_gen::write::{Mode, Outcome, ensure_files};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Folder of the vendored runtime inside a standalone crate.
const VENDORED: &str = "openapi-gen-runtime";
/// Folder of the vendored derive, named after its package like the runtime's folder
/// (`runtime/Cargo.toml`'s `../runtime-derive` path is rewritten to it).
const VENDORED_DERIVE: &str = "openapi-gen-runtime-derive";

/// What `--out` writes besides the generated module.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Package name (default: from the document's title).
    pub name: Option<String>,
    /// Copy the runtime into the crate instead of depending on this workspace's.
    pub vendor_runtime: bool,
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// What [`write`] did: the files that changed, the crate facts and the generator's warnings.
pub struct Written {
    pub outcome: Outcome,
    pub info: CrateInfo,
    pub warnings: Vec<openapi_gen::Warning>,
    /// The operation groups (cargo features).
    pub groups: Vec<openapi_gen::model::GroupCount>,
}

/// Write (or check) the crate for `spec` at `out`.
pub fn write(
    spec: &Path,
    out: &Path,
    mode: Mode,
    options: &Options,
    generator: &openapi_gen::Options,
) -> Result<Written, String> {
    write_split(spec, None, out, mode, options, generator)
}

/// [`write`] for a spec whose files may lie anywhere under `ref_root` (default: the root
/// file's folder).
pub fn write_split(
    spec: &Path,
    ref_root: Option<&Path>,
    out: &Path,
    mode: Mode,
    options: &Options,
    generator: &openapi_gen::Options,
) -> Result<Written, String> {
    if let Some(name) = &options.name
        && (name.is_empty()
            || name.starts_with(|c: char| c.is_ascii_digit() || c == '-')
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        return Err(format!(
            "--name `{name}`: a package name is ASCII letters, digits, `-` and `_`, not starting with a digit or `-`"
        ));
    }
    let krate = generate_crate_path(spec, ref_root, options.name.as_deref(), generator)
        .map_err(|e| e.to_string())?;
    let mut outcome =
        ensure_files(&out.join("src/generated"), &krate.module, mode).map_err(|e| e.to_string())?;
    let mut merge = |dir: &Path, files: &BTreeMap<String, String>| -> Result<(), String> {
        let r = ensure_files(dir, files, mode).map_err(|e| e.to_string())?;
        outcome.changed.extend(r.changed);
        outcome.created.extend(r.created);
        outcome.unchanged += r.unchanged;
        Ok(())
    };
    merge(
        &out.join("src"),
        &BTreeMap::from([("lib.rs".to_owned(), krate.lib_rs.clone())]),
    )?;
    merge(
        out,
        &BTreeMap::from([("README.md".to_owned(), krate.readme.clone())]),
    )?;
    let workspace = read(&root().join("Cargo.toml"))?;
    let runtime_path = if options.vendor_runtime {
        // The runtime and its derive, each in the folder the runtime's manifest expects.
        for (from, to) in [("runtime", VENDORED), ("runtime-derive", VENDORED_DERIVE)] {
            let dir = root().join(from);
            let mut files = BTreeMap::new();
            for entry in
                std::fs::read_dir(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?
            {
                let p = entry.map_err(|e| e.to_string())?.path();
                if p.extension().is_some_and(|e| e == "rs")
                    && let Some(n) = p.file_name().and_then(|n| n.to_str())
                {
                    files.insert(n.to_owned(), read(&p)?);
                }
            }
            merge(&out.join(to).join("src"), &files)?;
            let vendored = manifest(&read(&dir.join("Cargo.toml"))?, &workspace, None, "").replace(
                "path = \"../runtime-derive\"",
                &format!("path = \"../{VENDORED_DERIVE}\""),
            );
            merge(
                &out.join(to),
                &BTreeMap::from([("Cargo.toml".to_owned(), vendored)]),
            )?;
        }
        VENDORED.to_owned()
    } else {
        std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
        relative(out, &root().join("runtime"))?
    };
    let crate_manifest = manifest(
        &read(&root().join("generated/Cargo.toml"))?,
        &workspace,
        Some(&krate.info),
        &runtime_path,
    );
    merge(
        out,
        &BTreeMap::from([("Cargo.toml".to_owned(), crate_manifest)]),
    )?;
    Ok(Written {
        outcome,
        info: krate.info,
        warnings: krate.warnings,
        groups: krate.groups,
    })
}

/// The features of the member (`[features]` keys) that are groups: declared `= []`.
pub fn member_group_features(member: &str) -> Vec<String> {
    let mut section = "";
    let mut out = Vec::new();
    for line in member.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t;
        } else if section == "[features]"
            && let Some((k, v)) = t.split_once('=')
            && v.trim() == "[]"
        {
            out.push(k.trim().to_owned());
        }
    }
    out
}

/// `default = [...]` (the member's non-group defaults, then every group) and one
/// `group = []` line per group feature of the document.
fn group_features(member: &str, info: &CrateInfo) -> String {
    let groups = member_group_features(member);
    let mut default: Vec<String> = lookup(member, "features", "default")
        .map(|d| features(&format!("features = {d}")))
        .unwrap_or_default()
        .into_iter()
        .filter(|f| !groups.contains(&f.trim_matches('"').to_owned()))
        .collect();
    default.extend(info.features.iter().map(|(f, _)| format!("\"{f}\"")));
    let mut out = format!("default = [{}]\n", default.join(", "));
    for (f, _) in &info.features {
        out.push_str(&format!("{f} = []\n"));
    }
    out
}

/// `to` relative to `from` (both made absolute), with `/` separators for the manifest.
fn relative(from: &Path, to: &Path) -> Result<String, String> {
    let abs = |p: &Path| std::fs::canonicalize(p).map_err(|e| format!("{}: {e}", p.display()));
    let (from, to) = (abs(from)?, abs(to)?);
    let (f, t): (Vec<Component>, Vec<Component>) =
        (from.components().collect(), to.components().collect());
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..f.len() {
        rel.push("..");
    }
    for c in &t[common..] {
        rel.push(c);
    }
    Ok(rel.to_string_lossy().replace('\\', "/"))
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

/// `s` as a TOML basic string: quotes, backslashes and every control character escaped
/// (TOML forbids them raw, DEL included), whatever text the document put in `info`.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The SDK's manifest with workspace inheritance replaced by concrete values and only the
/// package and dependency sections kept (benches and examples stay with the SDK), so the
/// crate builds on its own (its own `[workspace]` keeps it out of ours).
///
/// With `info`, the package name, version, description and group features come from the
/// document (the member's own group features, declared `= []`, are dropped; its TLS and
/// `mock` features stay, and `default` turns on its defaults plus every group) and the
/// runtime dependency points at `runtime_path`.
pub fn manifest(
    member: &str,
    workspace: &str,
    info: Option<&CrateInfo>,
    runtime_path: &str,
) -> String {
    let quoted = toml_string;
    let mut out = String::new();
    let mut section = String::new();
    for line in member.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t.to_owned();
            if matches!(
                t,
                "[package]" | "[lib]" | "[dependencies]" | "[dev-dependencies]" | "[features]"
            ) {
                out.push('\n');
                out.push_str(t);
                out.push('\n');
            }
            if let (Some(info), "[features]") = (info, t) {
                out.push_str(&group_features(member, info));
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
                let from_info = info.map(|i| match key {
                    "name" => Some(&i.name),
                    "version" => Some(&i.version),
                    "description" => Some(&i.description),
                    _ => None,
                });
                if let Some(Some(v)) = from_info {
                    out.push_str(&format!("{key} = {}\n", quoted(v)));
                } else if let Some(k) = key.strip_suffix(".workspace") {
                    if let Some(v) = lookup(workspace, "workspace.package", k) {
                        out.push_str(&format!("{k} = {v}\n"));
                    }
                } else {
                    out.push_str(&format!("{key} = {value}\n"));
                }
            }
            "[lib]" => out.push_str(&format!("{key} = {value}\n")),
            // With `info`, `default` and the group features come from the document.
            "[features]" if info.is_some() && (key == "default" || value == "[]") => {}
            "[features]" => out.push_str(&format!("{key} = {value}\n")),
            "[dependencies]" | "[dev-dependencies]" => {
                let (name, inherited) = match key.strip_suffix(".workspace") {
                    Some(k) => (k, true),
                    None => (key, value.contains("workspace = true")),
                };
                if info.is_some() && section == "[dev-dependencies]" && name != "tokio" {
                    // The SDK's own benches and tests stay with the SDK.
                } else if key == "openapi-gen-runtime" {
                    let no_defaults = if value.contains("default-features = false") {
                        ", default-features = false"
                    } else {
                        ""
                    };
                    out.push_str(&format!(
                        "{key} = {{ path = {}{no_defaults} }}\n",
                        quoted(runtime_path)
                    ));
                } else if !inherited {
                    out.push_str(&format!("{key} = {value}\n"));
                } else if let Some(dep) = lookup(workspace, "workspace.dependencies", name) {
                    let mut dep = dependency(dep, &features(value));
                    // `optional` is the member's, not the workspace's: keep it (a feature
                    // may name the dependency with `dep:`).
                    if value.contains("optional = true") {
                        dep = match dep.strip_suffix('}') {
                            Some(table) => format!("{}, optional = true }}", table.trim_end()),
                            None => format!("{{ version = {dep}, optional = true }}"),
                        };
                    }
                    out.push_str(&format!("{name} = {dep}\n"));
                }
            }
            _ => {}
        }
    }
    // The crate is its own workspace; vendored crates inside it are its members.
    if info.is_some() {
        out.push_str("\n[workspace]\n");
    }
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
                      serde_json.workspace = true\n\n[features]\n\
                      default = [\"tls\", \"byok\"]\nbyok = []\ntls = [\"x/tls\"]\n\n\
                      [dev-dependencies]\n\
                      tokio = { workspace = true, features = [\"test-util\"] }\n\n\
                      [[bench]]\nname = \"b\"\nharness = false\n";
        let info = CrateInfo {
            name: "nexus-client".into(),
            version: "0.1.0".into(),
            description: "A \"quoted\" API".into(),
            features: vec![("pets".into(), "Pets".into())],
        };
        let m = manifest(member, ws, Some(&info), "../runtime");
        assert!(
            m.contains("name = \"nexus-client\"\nedition = \"2024\"\n"),
            "{m}"
        );
        assert!(m.contains("serde_json = \"1\"\n"), "{m}");
        assert!(
            m.contains("tokio = { version = \"1\", features = [\"rt\", \"test-util\"] }\n"),
            "{m}"
        );
        assert!(!m.contains("bench"), "{m}");
        assert!(
            m.contains("[features]\ndefault = [\"tls\", \"pets\"]\npets = []\ntls = [\"x/tls\"]\n"),
            "{m}"
        );
        assert!(m.ends_with("[workspace]\n"), "{m}");
    }

    #[test]
    fn toml_strings_escape_any_text() {
        assert_eq!(toml_string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(toml_string("a\0b\u{7f}\r"), r#""a\u0000b\u007F\u000D""#);
        assert_eq!(toml_string("é\n\t"), r#""é\n\t""#);
    }
}
