//! `openapi-gen`: turns an OpenAPI 3.1 document into a typed Rust SDK.
//!
//! The pipeline is four visible stages, each testable on its own:
//! [`load`] (YAML/JSON → normalised `openapiv3::OpenAPI`) → [`model`] (pure-data
//! intermediate representation, names resolved) → [`emit`] (tokens, one function per
//! construct) → [`write`] (format with `prettyplease`, write only what changed).

pub mod emit;
pub mod error;
pub mod examples;
pub mod krate;
pub mod load;
pub mod model;
pub mod write;

pub use error::{Error, Result};

use std::collections::BTreeMap;

/// Run the whole pipeline on spec text: formatted Rust files by name (relative to the
/// generated module folder).
pub fn generate(text: &str, source_name: &str) -> Result<BTreeMap<String, String>> {
    let loaded = load::load_str(text, source_name)?;
    let model = model::build(&loaded.openapi)?;
    write::render(emit::emit(&model))
}
