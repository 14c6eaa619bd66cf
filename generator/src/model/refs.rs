//! Leaf helpers of the builders: `$ref`s to non-schema components, and the examples of
//! schemas, parameters and media types with their pointers.

use crate::Result;
use crate::error::Pointer;
use openapiv3::{Components, ReferenceOr, Schema};
use serde_json::Value;

/// Resolve `#/components/<section>/<name>` for non-schema components.
pub fn resolve_component<'a, T>(
    item: &'a ReferenceOr<T>,
    section: &str,
    lookup: impl Fn(&str) -> Option<&'a ReferenceOr<T>>,
    ptr: &Pointer,
) -> Result<&'a T> {
    let mut current = item;
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(t) => return Ok(t),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{section}/");
                current = reference
                    .strip_prefix(&prefix)
                    .and_then(&lookup)
                    .ok_or_else(|| ptr.error(format!("unresolved $ref `{reference}`")))?;
            }
        }
    }
    Err(ptr.error("$ref chain too long"))
}

/// `example` and `examples` (resolving `$ref`s to `components/examples`) of a parameter or
/// media type at `at`, with the pointer of each value.
pub fn examples_at(
    example: Option<&Value>,
    examples: &indexmap::IndexMap<String, ReferenceOr<openapiv3::Example>>,
    at: &Pointer,
    comps: Option<&Components>,
) -> Result<Vec<(String, Value)>> {
    let mut out = Vec::new();
    if let Some(v) = example {
        out.push((at.push("example").to_string(), v.clone()));
    }
    for (name, e) in examples {
        let ep = at.push("examples").push(name);
        let e = resolve_component(e, "examples", |k| comps?.examples.get(k), &ep)?;
        if let Some(v) = &e.value {
            out.push((ep.push("value").to_string(), v.clone()));
        }
    }
    Ok(out)
}

/// A schema's examples with their pointers: `example` (or `x-example`, an example that is
/// `null`), then the other entries of an `examples` list (kept by the loader as `x-examples`).
pub fn schema_examples(schema: &Schema, ptr: &Pointer) -> Vec<(String, Value)> {
    let data = &schema.schema_data;
    let mut out = Vec::new();
    let first = data
        .example
        .clone()
        .or_else(|| data.extensions.get("x-example").cloned());
    let list = data.extensions.get("x-examples").and_then(Value::as_array);
    if let Some(v) = first.filter(|v| !list.is_some_and(|l| l.contains(v))) {
        out.push((ptr.push("example").to_string(), v));
    }
    for (i, v) in list.into_iter().flatten().enumerate() {
        out.push((
            ptr.push("examples").push(i.to_string()).to_string(),
            v.clone(),
        ));
    }
    out
}
