//! Stage 1, `load`: spec text → `serde_json::Value` → [`normalize`] (OpenAPI 3.1 / JSON
//! Schema 2020-12 → the 3.0 shapes `openapiv3` models, losing nothing) →
//! `openapiv3::OpenAPI`.
//!
//! `openapiv3` silently drops every key it does not model, so [`normalize`] rewrites what it
//! can (see [`rules`]), moves annotation-only keywords into `x-<name>` extensions, and
//! reports everything else as an [`Error::Spec`](crate::Error::Spec) with a JSON pointer.
//! It also rejects duplicate operationIds and `$ref`s that do not resolve (or are external).
//!
//! Normalised forms the model has to interpret (see `schema.rs` for details):
//! - nullable types carry `nullable: true` (from `type: [T, 'null']`, `null` in `enum`, or a
//!   removed `{type: 'null'}` member of `anyOf`/`oneOf`, which can leave a one-member
//!   `anyOf`/`oneOf` meaning "nullable T");
//! - a `$ref` with siblings is `{allOf: [{$ref}], <siblings>}`; a pure `$ref` is unchanged;
//! - the null type alone is `{nullable: true, enum: [null]}` (no `type`);
//! - several non-null types are `{anyOf: [{type: A, …}, {type: B, …}], <common keys>}`;
//! - `const: v` is `enum: [v]` (with the `type` inferred for scalars);
//! - tuple `prefixItems` are kept (normalised) in `x-prefixItems`; schema `examples` in
//!   `x-examples` (the first also as `example`); annotations such as `$comment` or
//!   `contentMediaType` as `x-$comment`, `x-contentMediaType`; `default: null` and
//!   `example: null` (which `openapiv3` would read as absent) as `x-default` / `x-example`;
//!   an annotated null member removed from `anyOf`/`oneOf` as `x-null-member`.

mod audit;
mod document;
mod locate;
mod schema;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::{Error, Result};

/// A loaded, normalised spec.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub openapi: openapiv3::OpenAPI,
    /// How many places each normalisation rule rewrote (rule name -> count), for reports.
    pub report: NormalizeReport,
}

/// Counts of rewrites per rule (names from [`rules`]); rules that never fired are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NormalizeReport {
    pub counts: BTreeMap<&'static str, usize>,
}

impl NormalizeReport {
    /// How often `rule` fired (0 if never).
    pub fn get(&self, rule: &str) -> usize {
        self.counts.get(rule).copied().unwrap_or(0)
    }
    /// Total rewrites.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }
}

impl std::fmt::Display for NormalizeReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (rule, n) in &self.counts {
            writeln!(f, "{rule}: {n}")?;
        }
        Ok(())
    }
}

/// Stable names of the normalisation rules, as used in [`NormalizeReport::counts`].
pub mod rules {
    /// `openapi: 3.1.x` → `3.0.3` (original in `info.x-original-openapi-version`).
    pub const OPENAPI_VERSION: &str = "openapi-version";
    /// 3.1-only keys (`webhooks`, `jsonSchemaDialect`, `components.pathItems`,
    /// `info.summary`, `license.identifier`) moved to `x-<key>`.
    pub const KEY_TO_EXTENSION: &str = "3.1-key-to-extension";
    /// `paths` / operation `responses` (optional in 3.1) added empty.
    pub const MISSING_ADDED: &str = "missing-required-added";
    /// A `$ref` path item replaced by a copy of its target.
    pub const PATH_ITEM_REF_INLINED: &str = "path-item-ref-inlined";
    /// Boolean schema `true` → `{}`, `false` → `{not: {}}`.
    pub const BOOLEAN_SCHEMA: &str = "boolean-schema";
    /// `$ref` with siblings → `{allOf: [{$ref}], siblings}`.
    pub const REF_SIBLINGS: &str = "ref-siblings-to-all-of";
    /// `const: v` → `enum: [v]`.
    pub const CONST_TO_ENUM: &str = "const-to-enum";
    /// `type: [T, 'null']` → `type: T, nullable: true`.
    pub const TYPE_ARRAY_NULLABLE: &str = "type-array-nullable";
    /// `type: [T]` → `type: T` (also `type: ['null']` → the null form).
    pub const TYPE_ARRAY_SINGLE: &str = "type-array-single";
    /// `type: [A, B, …]` → `anyOf` of single-typed copies.
    pub const TYPE_ARRAY_ANY_OF: &str = "type-array-any-of";
    /// The null type alone (`type: 'null'`, `enum: [null]`) → `{nullable: true, enum: [null]}`.
    pub const NULL_SCHEMA: &str = "null-schema";
    /// `null` removed from an `enum`, `nullable: true` set.
    pub const ENUM_NULL: &str = "enum-null-to-nullable";
    /// A null member removed from `anyOf`/`oneOf`, parent `nullable: true`.
    pub const NULL_MEMBER: &str = "null-member-to-nullable";
    /// Numeric `exclusiveMinimum`/`exclusiveMaximum` → bound + boolean flag.
    pub const EXCLUSIVE_BOUND: &str = "exclusive-bound-number";
    /// Schema `default: null` / `example: null` → `x-default` / `x-example` (else dropped).
    pub const NULL_ANNOTATION: &str = "null-annotation-to-extension";
    /// Schema `examples` list → `example` + `x-examples`.
    pub const EXAMPLES: &str = "examples-to-example";
    /// `prefixItems` → `x-prefixItems`.
    pub const PREFIX_ITEMS: &str = "prefix-items-to-extension";
    /// Annotation-only schema keyword (`$comment`, `contentMediaType`, …) → `x-<name>`.
    pub const ANNOTATION_TO_EXTENSION: &str = "annotation-to-extension";
    /// Unknown (non-JSON-Schema, non-`x-`) schema key → `x-<name>`.
    pub const UNKNOWN_TO_EXTENSION: &str = "unknown-keyword-to-extension";
}

/// Load a spec from text. JSON if it starts with `{` (after whitespace), else YAML.
pub fn load_str(text: &str, source_name: &str) -> Result<LoadedSpec> {
    let mut doc = parse(text, source_name)?;
    let report = normalize(&mut doc)?;
    let openapi = match openapiv3::OpenAPI::deserialize(&doc) {
        Ok(openapi) => openapi,
        Err(e) => return Err(locate::locate(&doc, e.to_string())),
    };
    Ok(LoadedSpec { openapi, report })
}

/// Load a spec file (see [`load_str`]).
pub fn load_path(path: &Path) -> Result<LoadedSpec> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    load_str(&text, &path.display().to_string())
}

/// Rewrite an OpenAPI 3.1 (or 3.0) document in place into the shapes `openapiv3` reads.
/// Pure: no I/O. Errors name the offending place as a JSON pointer.
pub fn normalize(doc: &mut Value) -> Result<NormalizeReport> {
    let original = doc.clone();
    let mut cx = document::Ctx::new(&original);
    document::document(doc, &mut cx)?;
    Ok(cx.report)
}

/// Text → JSON value, with syntax errors located by line and column.
fn parse(text: &str, source_name: &str) -> Result<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| Error::Syntax {
            source_name: source_name.to_owned(),
            format: "JSON",
            line: e.line(),
            column: e.column(),
            message: strip_location(&e.to_string(), e.line(), e.column()),
        });
    }
    let yaml_error = |e: serde_yaml::Error| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        Error::Syntax {
            source_name: source_name.to_owned(),
            format: "YAML",
            line,
            column,
            message: strip_location(&e.to_string(), line, column),
        }
    };
    if text.contains("<<") {
        // Merge keys (`<<: *anchor`) are only applied on a `serde_yaml::Value`.
        let mut value: serde_yaml::Value = serde_yaml::from_str(text).map_err(yaml_error)?;
        value.apply_merge().map_err(yaml_error)?;
        serde_json::to_value(value).map_err(|e| {
            crate::error::Pointer::root().error(format!("YAML value has no JSON form: {e}"))
        })
    } else {
        serde_yaml::from_str(text).map_err(yaml_error)
    }
}

/// Drop the ` at line N column M` both serde_json and serde_yaml put in their messages (the
/// error already carries line and column).
fn strip_location(message: &str, line: usize, column: usize) -> String {
    message.replacen(&format!(" at line {line} column {column}"), "", 1)
}
