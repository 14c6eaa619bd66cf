//! `oneOf`/`anyOf` → a union type. Members are named from their component, title, or what
//! they are (a single-value `type`-like property names an object member); a union of string
//! members (enums and plain strings) is one open enum instead; discriminator tags come from
//! the mapping, else the member's constant tag property, else its component name.

use super::names::{Registry, UNKNOWN, type_name};
use super::types::{Slot, TypeBuilder};
use super::view::{Kind, View};
use super::*;
use crate::Result;
use crate::error::Pointer;
use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

/// The single value of a property's `enum` (a `const`), if it has exactly one.
fn const_of<'s>(schema: &'s Schema, property: &str, b: &TypeBuilder<'s>) -> Option<String> {
    const_through_all_of(schema, property, b, 0)
}

/// [`const_of`], also in the schema's `allOf` members (a `$ref` with sibling keys such as
/// `title` is read as `allOf: [$ref]`, and a member may extend a base that holds the tag).
fn const_through_all_of<'s>(
    schema: &'s Schema,
    property: &str,
    b: &TypeBuilder<'s>,
    depth: usize,
) -> Option<String> {
    let v = View::of(schema);
    if let Some((_, prop)) = v.properties.iter().find(|(k, _)| k.as_str() == property) {
        let resolved = b.resolve_boxed(prop, &Pointer::root()).ok()?;
        return match View::of(resolved).enumeration.as_slice() {
            [Value::String(s)] => Some(s.clone()),
            _ => None,
        };
    }
    // Bounded: `allOf` may refer back to the schema itself.
    if depth >= 8 {
        return None;
    }
    v.all_of.iter().find_map(|m| {
        let (s, _) = b.resolve(m, &Pointer::root()).ok()?;
        const_through_all_of(s, property, b, depth + 1)
    })
}

/// The component a union member stands for: its own `$ref`, or the one `$ref` it wraps
/// (`{$ref: X, title: …}` is read as `allOf: [{$ref: X}]` with the title beside it).
fn member_component(schema: &Schema, comp: Option<String>) -> Option<String> {
    if comp.is_some() {
        return comp;
    }
    let v = View::of(schema);
    match (v.all_of, v.properties.is_empty()) {
        ([ReferenceOr::Reference { reference }], true) => reference
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned),
        _ => None,
    }
}

/// A variant name for an inline union member, from what kind of value it is.
fn variant_kind_name(schema: &Schema, index: usize, b: &TypeBuilder<'_>) -> String {
    let v = View::of(schema);
    match v.kind {
        Kind::String => match v.enumeration.as_slice() {
            [Value::String(s)] => type_name(s),
            _ => "String".into(),
        },
        Kind::Integer => "Integer".into(),
        Kind::Number => "Number".into(),
        Kind::Boolean => "Boolean".into(),
        Kind::Array => "Array".into(),
        Kind::Object => ["type", "kind", "object"]
            .iter()
            .find_map(|p| const_of(schema, p, b))
            .map(|c| type_name(&c))
            .unwrap_or_else(|| format!("Object{}", index + 1)),
        // `allOf: [{$ref: Base}, …]`: named after the base.
        Kind::Untyped => v
            .all_of
            .iter()
            .find_map(|m| match m {
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/schemas/")
                    .filter(|k| b.has_component(k))
                    .map(|k| b.component_name(k)),
                ReferenceOr::Item(_) => None,
            })
            .unwrap_or_else(|| format!("Variant{}", index + 1)),
    }
}

impl TypeBuilder<'_> {
    pub(super) fn convert_union(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        key: &str,
        ptr: &Pointer,
        slot: Slot<'_>,
    ) -> Result<(TypeRef, bool)> {
        if let Some(values) = self.string_values(members, ptr)? {
            let name = self.claim_slot(slot, ptr);
            let mut vr = Registry::with_reserved(&[UNKNOWN]);
            let variants = values
                .into_iter()
                .map(|w| EnumVariant {
                    rust: vr.claim(&type_name(&w)),
                    wire: w,
                })
                .collect();
            let kind = TypeKind::Enum {
                variants,
                unknown: UNKNOWN.into(),
            };
            self.insert(name.clone(), schema, ptr, kind);
            return Ok((TypeRef::Named(name), schema.schema_data.nullable));
        }
        let name = self.claim_slot(slot, ptr);
        let mut vr = Registry::with_reserved(&[UNKNOWN]);
        let mut variants = Vec::new();
        let mut nullable = schema.schema_data.nullable;
        let disc = schema.schema_data.discriminator.as_ref();
        for (i, m) in members.iter().enumerate() {
            let mp = ptr.push(key).push(i.to_string());
            let (resolved, comp) = self.resolve(m, &mp)?;
            let title = resolved.schema_data.title.as_deref().map(type_name);
            let rust_hint = match (&comp, &title) {
                (Some(k), _) => self.component_name(k),
                (None, Some(t)) => t.clone(),
                (None, None) => variant_kind_name(resolved, i, self),
            };
            let (ty, n) = self.convert(m, &mp, &format!("{name}{rust_hint}"))?;
            nullable |= n;
            let mut tags = Vec::new();
            if let Some(d) = disc {
                let comp = member_component(resolved, comp);
                if let Some(k) = &comp {
                    let target = format!("#/components/schemas/{k}");
                    tags.extend(
                        d.mapping
                            .iter()
                            .filter(|(_, r)| **r == target)
                            .map(|(t, _)| t.clone()),
                    );
                }
                if tags.is_empty() {
                    tags.extend(const_of(resolved, &d.property_name, self).or(comp));
                }
            }
            variants.push(UnionVariant {
                rust: vr.claim(&rust_hint),
                ty,
                tags,
                check: None,
            });
        }
        let discriminator = disc.map(|d| Discriminator {
            property: d.property_name.clone(),
        });
        let kind = TypeKind::Union {
            variants,
            discriminator,
        };
        self.insert(name.clone(), schema, ptr, kind);
        Ok((TypeRef::Named(name), nullable))
    }

    /// The values of a union whose members are all plain strings (no format) with at least
    /// one `enum` among them, in order: such a union is one open enum (unknown strings are
    /// kept anyway). `None` for any other union.
    fn string_values(
        &self,
        members: &[ReferenceOr<Schema>],
        ptr: &Pointer,
    ) -> Result<Option<Vec<String>>> {
        let mut values: Vec<String> = Vec::new();
        let mut any_enum = false;
        for m in members {
            let (s, _) = self.resolve(m, ptr)?;
            let v = View::of(s);
            if v.kind != Kind::String || v.format.is_some() || !v.all_of.is_empty() {
                return Ok(None);
            }
            for e in &v.enumeration {
                let Value::String(w) = e else {
                    return Ok(None);
                };
                any_enum = true;
                if !values.contains(w) {
                    values.push(w.clone());
                }
            }
        }
        Ok(any_enum.then_some(values))
    }
}
