//! Stage 1, `load`: spec text → `serde_json::Value` → [`normalize`] (OpenAPI 3.1 / JSON
//! Schema 2020-12 → the 3.0 shapes `openapiv3` models, losing nothing) →
//! `openapiv3::OpenAPI`.
//!
//! `openapiv3` silently drops every key it does not model, so [`normalize`] rewrites what it
//! can (see [`rules`]; `$defs`, recursive and deep `$ref`s in `prepass`), moves annotation-only
//! keywords into `x-<name>` extensions, and records a [`Warning`](crate::Warning) for every
//! place where meaning is widened or dropped (unenforced keywords, stray keys, repairs). It
//! refuses, with an [`Error::Spec`](crate::Error::Spec) and a JSON pointer, only what has no
//! faithful output: `$ref`s that do not resolve (or are external), cycles with no base case,
//! structural keywords with unusable values.
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
//!
//! The files, in the order a document meets them: `source.rs` (one text, or a file with the
//! files it references, joined by `bundle.rs`); `parse.rs` (text → value: `flow_depth.rs`,
//! `split.rs`, `dup_keys.rs`); `swagger2.rs` (2.0 → 3.0, with `swagger2_ops.rs` and
//! `swagger2_common.rs`); `prepass.rs` and `deep_refs.rs` (over the schema walk of
//! `schema_sites.rs`); `alias_cycles.rs`; the normalising walk of `document.rs` and
//! `schema.rs` (with `audit.rs`, `repair.rs`, `params.rs`, `distribute.rs`) over the state,
//! `$ref` resolver and limits of `ctx.rs`, counted in `report.rs`; then `typed.rs` (→
//! `openapiv3`, on the big stack of `stack.rs`; `locate.rs` places its errors). `origins.rs`
//! and `position.rs` map and place warnings. No file imports itself through others: the
//! shared pieces (`ctx.rs`, `report.rs`, `schema_sites.rs`, `swagger2_common.rs`, `stack.rs`)
//! import none of the files that use them, and no file below imports this one.

mod alias_cycles;
mod audit;
mod bundle;
mod ctx;
mod deep_refs;
mod distribute;
mod document;
#[cfg(test)]
mod document_tests;
mod dup_keys;
mod flow_depth;
mod locate;
mod origins;
mod params;
mod parse;
#[cfg(test)]
mod parse_tests;
mod position;
mod prepass;
mod repair;
mod report;
mod schema;
mod schema_sites;
mod source;
mod split;
mod stack;
mod swagger2;
mod swagger2_common;
mod swagger2_ops;
#[cfg(test)]
mod swagger2_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tolerance_tests;
mod typed;
mod utf8;

use std::path::Path;

use serde_json::Value;

use crate::{Error, Result};

/// A loaded, normalised spec.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub openapi: openapiv3::OpenAPI,
    /// How many places each normalisation rule rewrote (rule name -> count), for reports.
    pub report: NormalizeReport,
    /// Places where meaning was widened or dropped (unsorted, without line/column).
    pub warnings: Vec<crate::Warning>,
    /// For a Swagger 2.0 document: places of the converted document → places of the 2.0
    /// one (the warnings above are already mapped; later stages' warnings map through it).
    pub origins: Origins,
}

pub use bundle::SourceFile;
pub use origins::Origins;
pub use position::place_warnings;
pub use report::{NormalizeReport, rules};
pub use source::Source;
pub(crate) use stack::DESERIALIZE_STACK;
pub use stack::with_big_stack;
pub use typed::PathItems;
pub use utf8::{read_spec, text_from_bytes};

/// Load a spec from text. JSON if it starts with `{` (after whitespace), else YAML.
/// Swagger 2.0 is converted first (see `swagger2.rs`).
pub fn load_str(text: &str, source_name: &str) -> Result<LoadedSpec> {
    load_source(&mut Source::text(text, source_name)?)
}

/// [`load_str`] with the path items left untyped (see [`load_source_deferred`]).
pub fn load_str_deferred(text: &str, source_name: &str) -> Result<(LoadedSpec, PathItems)> {
    load_source_deferred(&mut Source::text(text, source_name)?)
}

/// Load the document of `source` (taken out of it; the source keeps its files, to place
/// warnings with [`Source::place`]). Errors name places in the files the user wrote.
pub fn load_source(source: &mut Source) -> Result<LoadedSpec> {
    let (mut loaded, items) = load_source_deferred(source)?;
    let typed = stack::with_big_stack(|| items.typed().collect::<Result<_>>());
    loaded.openapi.paths.paths = typed.map_err(|e| source.error(loaded.origins.error(e)))?;
    Ok(loaded)
}

/// [`load_source`] with the path items left untyped (`openapi.paths` is empty): the model
/// types them one at a time ([`crate::model::build_from_items`]), so they are never all
/// alive at once. A path item that does not read is then the model's error.
pub fn load_source_deferred(source: &mut Source) -> Result<(LoadedSpec, PathItems)> {
    let mut doc = source.take_document();
    let mut origins = Origins::default();
    // Repeated keys, found (and placed) while parsing.
    let mut warnings = source.take_parse_warnings();
    if swagger2::is_swagger(&doc) {
        let converted = swagger2::convert(&mut doc).map_err(|e| source.error(e))?;
        warnings.extend(converted.warnings);
        origins = converted.origins;
    }
    let located = |e: Error| source.error(origins.error(e));
    let (report, found) = normalize_warned(&mut doc).map_err(located)?;
    warnings.extend(origins.warnings(found));
    let (openapi, items) = typed::openapi_deferred(&mut doc).map_err(located)?;
    // What is left of the document (all but the path items) was read into `openapi`.
    crate::drop_later(schema_count(&doc), doc);
    Ok((
        LoadedSpec {
            openapi,
            report,
            warnings,
            origins,
        },
        items,
    ))
}

/// The OpenAPI 3 document the rest of the pipeline starts from (see [`openapi3_document`]).
#[derive(Debug, Clone)]
pub struct Openapi3Document {
    /// The document as JSON, before the 3.1 normalisation.
    pub doc: Value,
    /// For Swagger 2.0, the bundled 2.0 document `doc` was converted from.
    pub swagger: Option<Value>,
    /// How many files were bundled into `doc` (1: not split).
    pub files: usize,
}

/// The document at `root` with its referenced files bundled in and, for Swagger 2.0,
/// converted. Tools that read OpenAPI 3 (the conformance oracles) take this for a 2.0 or
/// split document.
pub fn openapi3_document(root: &Path, ref_root: Option<&Path>) -> Result<Openapi3Document> {
    let mut source = Source::files(root, ref_root)?;
    let files = source.source_files().len();
    let mut doc = source.take_document();
    let swagger = swagger2::is_swagger(&doc).then(|| doc.clone());
    if swagger.is_some() {
        swagger2::convert(&mut doc).map_err(|e| source.error(e))?;
    }
    Ok(Openapi3Document {
        doc,
        swagger,
        files,
    })
}

/// Load a spec file and every file it references under its folder (see [`Source::files`]);
/// the warnings are placed (file, pointer, line and column).
pub fn load_path(path: &Path) -> Result<LoadedSpec> {
    let mut source = Source::files(path, None)?;
    let mut loaded = load_source(&mut source)?;
    source.place(&mut loaded.warnings);
    Ok(loaded)
}

/// Rewrite an OpenAPI 3.1 (or 3.0) document in place into the shapes `openapiv3` reads.
/// Pure: no I/O. Errors name the offending place as a JSON pointer.
pub fn normalize(doc: &mut Value) -> Result<NormalizeReport> {
    normalize_warned(doc).map(|(report, _)| report)
}

/// [`normalize`], also returning the warnings (meaning widened or dropped).
pub fn normalize_warned(doc: &mut Value) -> Result<(NormalizeReport, Vec<crate::Warning>)> {
    // Hoisting `$defs` and settling recursive refs rewrites `$ref`s, so it runs before the
    // walk takes its copy of the document to resolve references against.
    let mut warnings = prepass::run(doc);
    alias_cycles::check(doc)?;
    let original = doc.clone();
    let mut cx = ctx::Ctx::new(&original);
    document::document(doc, &mut cx)?;
    warnings.append(&mut cx.warnings);
    let report = cx.report;
    crate::drop_later(schema_count(&original), original);
    Ok((report, warnings))
}

/// The component schemas of a document: how big it is, for [`crate::drop_later`].
fn schema_count(doc: &Value) -> usize {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map_or(0, |s| s.len())
}
