//! Client-side checks derived from a schema (lengths, patterns, bounds, item counts), kept
//! only where the Rust type can carry them; and the examples a schema carries.

use super::types::TypeBuilder;
use super::view::View;
use super::*;
use crate::Result;
use crate::error::Pointer;
use openapiv3::Schema;
use serde_json::Value;

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

/// Client-side checks for a value of type `ty` described by `v`.
pub(super) fn constraints_of(
    v: &View<'_>,
    ty: &TypeRef,
    b: &TypeBuilder<'_>,
    ptr: &Pointer,
) -> Result<Constraints> {
    let mut c = Constraints {
        min_length: v.min_length,
        max_length: v.max_length,
        pattern: v.pattern.map(str::to_owned),
        min_items: v.min_items,
        max_items: v.max_items,
        minimum: v.minimum,
        maximum: v.maximum,
        uuid: false,
        items: None,
    };
    if let (TypeRef::Vec(inner), Some(items)) = (ty, v.items) {
        let item_schema = b.resolve_boxed(items, ptr)?;
        let ic = constraints_of(&View::of(item_schema), inner, b, &ptr.push("items"))?;
        if !ic.is_empty() {
            c.items = Some(Box::new(ic));
        }
    }
    // Length and pattern only make sense where the Rust value is text.
    if !matches!(ty, TypeRef::String | TypeRef::Secret) {
        c.min_length = None;
        c.max_length = None;
        c.pattern = None;
    }
    if !matches!(
        ty,
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 | TypeRef::I128 | TypeRef::F64
    ) {
        c.minimum = None;
        c.maximum = None;
    }
    if !matches!(ty, TypeRef::Vec(_)) {
        c.min_items = None;
        c.max_items = None;
    }
    Ok(c)
}

/// Constraints for a parameter schema (strings formatted as uuid are checked as such).
pub fn param_constraints(
    schema: &Schema,
    ty: &TypeRef,
    b: &TypeBuilder<'_>,
    ptr: &Pointer,
) -> Result<Constraints> {
    let v = View::of(schema);
    let mut c = constraints_of(&v, ty, b, ptr)?;
    c.uuid = *ty == TypeRef::String && v.format.as_deref() == Some("uuid");
    Ok(c)
}
