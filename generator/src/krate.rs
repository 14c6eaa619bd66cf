//! A standalone crate around the generated module: `src/lib.rs` (crate docs from `info`, a
//! quick start that calls a real operation) and the facts its manifest needs.

use std::collections::BTreeMap;

use crate::model::Model;
use crate::model::api::one_line;
use crate::{Options, Result, Warning, build_model, emit, write};

/// Manifest facts derived from the document.
#[derive(Debug, Clone, PartialEq)]
pub struct CrateInfo {
    /// The package name (`--name`, else from the title: `Oxide Region API` → `oxide-region`).
    pub name: String,
    /// `info.version` when it is a semantic version, else `0.1.0`.
    pub version: String,
    /// One line: `info.summary`, else the first sentence of the description, else the title.
    pub description: String,
    /// One cargo feature per operation group, `(feature, group)` sorted by feature: the
    /// manifest declares each and enables all of them by default.
    pub features: Vec<(String, String)>,
}

/// Everything a standalone crate needs from one document.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    pub info: CrateInfo,
    /// Files of `src/generated/`.
    pub module: BTreeMap<String, String>,
    /// `src/lib.rs`.
    pub lib_rs: String,
    /// `README.md`: the crate docs as Markdown, and how the crate was generated.
    pub readme: String,
    /// Where meaning was widened or dropped (see [`crate::warnings`]).
    pub warnings: Vec<Warning>,
    /// The operation groups (cargo features), sorted by feature.
    pub groups: Vec<crate::model::GroupCount>,
}

/// Run the pipeline and add the crate root, for package `name` (default from the title).
pub fn generate_crate(
    text: &str,
    source_name: &str,
    name: Option<&str>,
    options: &Options,
) -> Result<GeneratedCrate> {
    let (model, warnings) = build_model(text, source_name, options)?;
    crate_of(model, warnings, name, source_name)
}

/// [`generate_crate`] for a document in files (see [`crate::generate_path`]).
pub fn generate_crate_path(
    root: &std::path::Path,
    ref_root: Option<&std::path::Path>,
    name: Option<&str>,
    options: &Options,
) -> Result<GeneratedCrate> {
    let (model, warnings) = crate::build_model_path(root, ref_root, options)?;
    crate_of(model, warnings, name, &root.display().to_string())
}

fn crate_of(
    model: Model,
    warnings: Vec<Warning>,
    name: Option<&str>,
    source_name: &str,
) -> Result<GeneratedCrate> {
    let info = crate_info(&model, name);
    let lib_name = info.name.replace('-', "_");
    let module = write::render_units(emit::units(&model), write::default_threads())?;
    let lib = write::render(BTreeMap::from([(
        "lib.rs".to_owned(),
        emit::client::crate_root(&model, &lib_name),
    )]))?;
    let lib_rs = lib.into_values().next().unwrap_or_default();
    let source = std::path::Path::new(source_name).file_name().map_or_else(
        || source_name.to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let readme = crate::readme::readme(
        &info.name,
        &emit::client::crate_doc_lines(&model, &lib_name),
        &source,
    );
    Ok(GeneratedCrate {
        info,
        module,
        lib_rs,
        readme,
        warnings,
        groups: model.group_counts(),
    })
}

fn crate_info(model: &Model, name: Option<&str>) -> CrateInfo {
    let name = name
        .map(str::to_owned)
        .unwrap_or_else(|| package_name(&model.api.env_prefix));
    let v = &model.api.version;
    let semver = v.split('.').count() == 3
        && v.split(['.', '-', '+'])
            .take(3)
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let version = if semver {
        v.clone()
    } else {
        "0.1.0".to_owned()
    };
    let description = model
        .api
        .summary
        .as_deref()
        .map(one_line)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("Typed Rust client for the {}", one_line(&model.title)));
    CrateInfo {
        name,
        version,
        description: bounded(&description, MAX_DESCRIPTION),
        features: model.features.clone(),
    }
}

/// crates.io's limit on a package name; longer ones also make cargo's fingerprint folder
/// names exceed what file systems allow.
const MAX_NAME: usize = 64;
/// A description is one line for listings, not the document's prose.
const MAX_DESCRIPTION: usize = 200;

/// Package names a generated crate cannot take: its own dependencies and the standard
/// crates (its doctests and examples `use` the package by name, which would be ambiguous),
/// plus names cargo refuses or that are no valid crate name as a library.
const RESERVED_PACKAGES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "proc-macro",
    "test",
    "openapi-gen-runtime",
    "openapi-gen-runtime-derive",
    "futures",
    "serde",
    "serde-json",
    "chrono",
    "uuid",
    "bytes",
    "tokio",
    "http",
    "reqwest",
    "wiremock",
];

/// A valid package name from the environment prefix (ASCII letters, digits and `_` only):
/// lower-case, `-`-separated, at most [`MAX_NAME`] bytes, never a keyword or a crate the
/// generated code itself names.
fn package_name(env_prefix: &str) -> String {
    let mut name: String = env_prefix
        .to_ascii_lowercase()
        .replace('_', "-")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(MAX_NAME)
        .collect();
    while name.ends_with('-') {
        name.pop();
    }
    if name.is_empty() || name.starts_with(|c: char| !c.is_ascii_alphabetic()) {
        name.insert_str(0, "api-");
    }
    let lib = name.replace('-', "_");
    if RESERVED_PACKAGES.contains(&name.as_str()) || crate::model::is_keyword(&lib) {
        name.push_str("-client");
    }
    name
}

/// At most `max` characters, cut at a word break where there is one, with `…` when cut.
fn bounded(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_are_valid_for_any_title() {
        let name = |title: &str| package_name(&crate::model::api::env_prefix(title));
        assert_eq!(name("Oxide Region API"), "oxide-region");
        assert_eq!(name("a\0b"), "a-b");
        assert_eq!(name(&"t".repeat(300)).len(), MAX_NAME);
        assert_eq!(name(&"abc ".repeat(100)).len(), 63, "no trailing `-`");
        assert_eq!(name("std"), "std-client");
        assert_eq!(name("Serde JSON"), "serde-json-client");
        assert_eq!(name("fn"), "fn-client");
        assert_eq!(name("3D"), "api3d");
        assert_eq!(name("\u{e9}t\u{e9}"), "t");
        assert_eq!(name(""), "api");
    }

    #[test]
    fn descriptions_are_one_bounded_line() {
        assert_eq!(one_line("a\0b\r\n\t \"c\""), "a b \"c\"");
        let long = bounded(&"word ".repeat(100), MAX_DESCRIPTION);
        assert!(long.chars().count() <= MAX_DESCRIPTION, "{long}");
        assert!(long.ends_with("word…"), "{long}");
        let t = bounded(&"t".repeat(300), MAX_DESCRIPTION);
        assert_eq!(t.chars().count(), MAX_DESCRIPTION);
        assert_eq!(bounded("short", MAX_DESCRIPTION), "short");
    }
}
