//! A standalone crate around the generated module: `src/lib.rs` (crate docs from `info`, a
//! quick start that calls a real operation) and the facts its manifest needs.

use std::collections::BTreeMap;

use crate::model::Model;
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
    let info = crate_info(&model, name);
    let lib_name = info.name.replace('-', "_");
    let module = write::render_units(emit::units(&model), write::default_threads())?;
    let lib = write::render(BTreeMap::from([(
        "lib.rs".to_owned(),
        emit::client::crate_root(&model, &lib_name),
    )]))?;
    let lib_rs = lib.into_values().next().unwrap_or_default();
    Ok(GeneratedCrate {
        info,
        module,
        lib_rs,
        warnings,
        groups: model.group_counts(),
    })
}

fn crate_info(model: &Model, name: Option<&str>) -> CrateInfo {
    let name = name
        .map(str::to_owned)
        .unwrap_or_else(|| model.api.env_prefix.to_ascii_lowercase().replace('_', "-"));
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
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("Typed Rust client for the {}", model.title));
    CrateInfo {
        name,
        version,
        description,
        features: model.features.clone(),
    }
}
