//! `openapi-gen`: turns an OpenAPI 3.1 document into a typed Rust SDK.
//!
//! The pipeline is four visible stages, each testable on its own:
//! [`load`] (YAML/JSON → normalised `openapiv3::OpenAPI`) → [`model`] (pure-data
//! intermediate representation, names resolved) → [`emit`] (tokens, one function per
//! construct) → [`write`] (format with `prettyplease`, write only what changed).

pub mod diff;
pub mod emit;
pub mod error;
pub mod examples;
pub mod krate;
pub mod load;
pub mod model;
pub mod readme;
pub mod runtime_paths;
pub mod warnings;
pub mod write;

pub use error::{Error, Result};
pub use warnings::{Warning, WarningKind};

use std::collections::BTreeMap;

/// Drops `value` on a thread of its own when it holds more than a few hundred schemas or
/// operations (`items`): freeing a large document or model takes milliseconds that the
/// caller need not wait for (at the end of a run, the process may exit before the thread is
/// done, which frees the memory all the same). A small one is dropped here: starting a
/// thread would cost more.
pub(crate) fn drop_later<T: Send + 'static>(items: usize, value: T) {
    if items < 256 {
        return;
    }
    // If the thread cannot start, the closure, and the value with it, is dropped here.
    let _ = std::thread::Builder::new()
        .name("openapi-gen-drop".into())
        .spawn(move || drop(value));
}

/// Run the whole pipeline on spec text: formatted Rust files by name (relative to the
/// generated module folder).
/// Warnings are dropped here; use [`generate_with`] to see them.
pub fn generate(text: &str, source_name: &str) -> Result<BTreeMap<String, String>> {
    generate_with(text, source_name, &Options::default()).map(|g| g.files)
}

/// How to run the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Turn the first warning (in pointer order) into a located error.
    pub strict: bool,
}

/// What [`generate_with`] produced: the files and every place meaning was widened or dropped.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: BTreeMap<String, String>,
    /// Sorted by pointer (see [`warnings::settle`]).
    pub warnings: Vec<Warning>,
    /// The operation groups (cargo features), sorted by feature.
    pub groups: Vec<model::GroupCount>,
}

/// Run the whole pipeline, collecting warnings (see [`warnings`] for the policy).
pub fn generate_with(text: &str, source_name: &str, options: &Options) -> Result<Generated> {
    let (model, warnings) = build_model(text, source_name, options)?;
    rendered(model, warnings)
}

/// [`generate_with`] for a document in files: `root` and every file it references under
/// `ref_root` (default: `root`'s folder). Warnings name the file they are about.
pub fn generate_path(
    root: &std::path::Path,
    ref_root: Option<&std::path::Path>,
    options: &Options,
) -> Result<Generated> {
    let (model, warnings) = build_model_path(root, ref_root, options)?;
    rendered(model, warnings)
}

/// Emit and format the model's files; the model is freed off this thread.
fn rendered(model: model::Model, warnings: Vec<Warning>) -> Result<Generated> {
    let files = write::render_units(emit::units(&model), write::default_threads());
    let groups = model.group_counts();
    drop_later(model.types.len() + model.operations.len(), model);
    Ok(Generated {
        files: files?,
        warnings,
        groups,
    })
}

/// `load` and `model`, with the warnings of both settled and placed (and, with
/// `options.strict`, the first one turned into an error).
pub fn build_model(
    text: &str,
    source_name: &str,
    options: &Options,
) -> Result<(model::Model, Vec<Warning>)> {
    build_model_from(load::Source::text(text, source_name)?, options)
}

/// [`build_model`] for a document in files (see [`generate_path`]).
pub fn build_model_path(
    root: &std::path::Path,
    ref_root: Option<&std::path::Path>,
    options: &Options,
) -> Result<(model::Model, Vec<Warning>)> {
    build_model_from(load::Source::files(root, ref_root)?, options)
}

fn build_model_from(
    mut source: load::Source,
    options: &Options,
) -> Result<(model::Model, Vec<Warning>)> {
    let (mut loaded, items) = load::load_source_deferred(&mut source)?;
    // The load's warnings are placed (one scan of the text) on another core while the
    // model is built on this one; the model's own, usually none, after it.
    let mut warnings = std::mem::take(&mut loaded.warnings);
    let mut placed = warnings.is_empty();
    let (model, model_warnings) = std::thread::scope(|scope| {
        let placing = (!placed)
            .then(|| {
                let (source, warnings) = (&source, &mut warnings);
                std::thread::Builder::new()
                    .name("openapi-gen-place".into())
                    .spawn_scoped(scope, move || source.place(warnings))
                    .ok()
            })
            .flatten();
        // On a big stack: the model types the path items as it reaches them.
        let openapi = &loaded.openapi;
        let built = load::with_big_stack(move || {
            warnings::collect(move || model::build_from_items(openapi, items))
        });
        if let Some(h) = placing {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            placed = true;
        }
        built
    });
    if !placed {
        // The thread could not start.
        source.place(&mut warnings);
    }
    let model = model.map_err(|e| source.error(loaded.origins.error(e)))?;
    let mut later = loaded.origins.warnings(model_warnings);
    source.place(&mut later);
    warnings.extend(later);
    let schemas = loaded
        .openapi
        .components
        .as_ref()
        .map_or(0, |c| c.schemas.len());
    drop_later(schemas, loaded);
    warnings::settle(&mut warnings);
    if options.strict {
        if let Some(first) = warnings.into_iter().next() {
            return Err(first.into_error());
        }
        warnings = Vec::new();
    }
    Ok((model, warnings))
}
