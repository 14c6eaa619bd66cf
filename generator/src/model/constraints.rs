//! Client-side checks derived from a schema (lengths, patterns, bounds, item counts), kept
//! only where the Rust type can carry them.

use super::types::TypeBuilder;
use super::view::View;
use super::*;
use crate::Result;
use crate::error::Pointer;
use openapiv3::Schema;

impl TypeBuilder<'_> {
    /// Client-side checks for a value of type `ty` described by `v`.
    pub(super) fn constraints_of(
        &self,
        v: &View<'_>,
        ty: &TypeRef,
        ptr: &Pointer,
    ) -> Result<Constraints> {
        constraints_of(v, ty, self, ptr)
    }
}

/// Client-side checks for a value of type `ty` described by `v`.
fn constraints_of(
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
