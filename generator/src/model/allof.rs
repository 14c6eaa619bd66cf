//! `allOf` → one struct: members that say nothing are dropped, nested `allOf`s are
//! flattened, and properties several members define are merged (see `merge.rs`).

use super::names::Registry;
use super::types::{Slot, TypeBuilder};
use super::view::{Kind, View};
use super::{Field, TypeKind, TypeRef};
use crate::error::Pointer;
use crate::{Result, Warning, WarningKind};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

impl TypeBuilder<'_> {
    /// `allOf`: members that say nothing (`{}`, `{type: object}`) are dropped; one member
    /// left and nothing else is that member (with this schema's nullability); several members
    /// (nested `allOf`s flattened) merge their properties into one struct.
    pub(super) fn convert_all_of(
        &mut self,
        schema: &Schema,
        v: &View<'_>,
        ptr: &Pointer,
        slot: Slot<'_>,
    ) -> Result<(TypeRef, bool)> {
        let (ty, nullable) = self.convert_all_of_inner(schema, v, ptr, slot)?;
        // A member that only annotates (`{description, example}`) describes the whole value.
        for (i, member) in v.all_of.iter().enumerate() {
            if let ReferenceOr::Item(m) = member {
                if trivial(member) {
                    let mp = ptr.push("allOf").push(i.to_string());
                    for (at, value) in super::refs::schema_examples(m, &mp) {
                        self.record_example(at, &ty, nullable, value);
                    }
                }
            }
        }
        Ok((ty, nullable))
    }

    fn convert_all_of_inner(
        &mut self,
        schema: &Schema,
        v: &View<'_>,
        ptr: &Pointer,
        slot: Slot<'_>,
    ) -> Result<(TypeRef, bool)> {
        let hint = Self::slot_hint(slot);
        let meaningful: Vec<usize> = (0..v.all_of.len())
            .filter(|&i| !trivial(&v.all_of[i]))
            .collect();
        if meaningful.len() <= 1 && v.properties.is_empty() {
            let (t, n) = match meaningful.first() {
                Some(&i) => {
                    self.convert(&v.all_of[i], &ptr.push("allOf").push(i.to_string()), hint)?
                }
                None => (TypeRef::Json, false),
            };
            let nullable = n || schema.schema_data.nullable;
            if let Slot::Fixed(name) = slot {
                self.insert(name.to_owned(), schema, ptr, TypeKind::Alias { target: t });
                return Ok((TypeRef::Named(name.to_owned()), nullable));
            }
            return Ok((t, nullable));
        }
        if let Some(at) = self.inner_union(v.all_of, "allOf", ptr, &mut 1_000, 0)? {
            // The loader distributes such unions over the other members; one it could not
            // see (reached through a reference that became a union) widens instead.
            crate::warnings::record(Warning::new(
                WarningKind::TypeWidened,
                at.as_str(),
                "a oneOf/anyOf inside allOf, next to other members, could not be merged; \
                 the value is any JSON",
            ));
            if let Slot::Fixed(name) = slot {
                let kind = TypeKind::Alias {
                    target: TypeRef::Json,
                };
                self.insert(name.to_owned(), schema, ptr, kind);
                return Ok((TypeRef::Named(name.to_owned()), schema.schema_data.nullable));
            }
            return Ok((TypeRef::Json, schema.schema_data.nullable));
        }
        let name = self.claim_slot(slot, ptr);
        let mut acc = Acc {
            fields: Vec::new(),
            rust_names: Registry::default(),
            additional: None,
        };
        self.flatten(v.all_of, "allOf", ptr, &name, &mut acc, 0)?;
        self.collect_fields(v, ptr, &name, &mut acc.fields, &mut acc.rust_names)?;
        let kind = TypeKind::Struct {
            fields: acc.fields,
            additional: acc.additional,
        };
        self.insert(name.clone(), schema, ptr, kind);
        Ok((TypeRef::Named(name), schema.schema_data.nullable))
    }

    /// Collect the properties of `members` (and of their own `allOf`s) into `acc`.
    fn flatten(
        &mut self,
        members: &[ReferenceOr<Schema>],
        key: &str,
        ptr: &Pointer,
        name: &str,
        acc: &mut Acc,
        depth: usize,
    ) -> Result<()> {
        if depth > 32 {
            return Err(ptr.error("allOf nested more than 32 levels deep (a cycle?)"));
        }
        for (i, member) in members.iter().enumerate() {
            let (m, comp) = self.resolve(member, &ptr.push(key).push(i.to_string()))?;
            // Errors inside a referenced member point at that component.
            let mp = match comp {
                Some(k) => Pointer::root().push("components").push("schemas").push(k),
                None => ptr.push(key).push(i.to_string()),
            };
            let mv = View::of(m);
            for (inner_key, inner) in [("oneOf", mv.one_of), ("anyOf", mv.any_of)] {
                match inner.len() {
                    0 => {}
                    // `anyOf: [T]` (a nullable T after loading) is T.
                    1 if mv.properties.is_empty() => {
                        self.flatten(inner, inner_key, &mp, name, acc, depth + 1)?
                    }
                    _ => {
                        return Err(mp.push(inner_key).error(
                            "a oneOf/anyOf inside allOf, next to other members, cannot be merged into one struct",
                        ));
                    }
                }
            }
            self.flatten(mv.all_of, "allOf", &mp, name, acc, depth + 1)?;
            self.collect_fields(&mv, &mp, name, &mut acc.fields, &mut acc.rust_names)?;
            if let Some(AdditionalProperties::Schema(s)) = mv.additional {
                let (t, _) =
                    self.convert(s, &mp.push("additionalProperties"), &format!("{name}Value"))?;
                acc.additional = Some(t);
            }
        }
        Ok(())
    }
}

impl TypeBuilder<'_> {
    /// Where a member (or a member of a nested `allOf`) is a union of several alternatives.
    /// `budget` bounds the members looked at (references can make the walk branch forever).
    fn inner_union(
        &self,
        members: &[ReferenceOr<Schema>],
        key: &str,
        ptr: &Pointer,
        budget: &mut usize,
        depth: usize,
    ) -> Result<Option<Pointer>> {
        if depth > 32 {
            return Ok(None); // `flatten` reports the depth
        }
        for (i, member) in members.iter().enumerate() {
            if *budget == 0 {
                return Ok(None);
            }
            *budget -= 1;
            let mp = ptr.push(key).push(i.to_string());
            let (m, _) = self.resolve(member, &mp)?;
            let mv = View::of(m);
            for (inner_key, inner) in [("oneOf", mv.one_of), ("anyOf", mv.any_of)] {
                if inner.len() > 1 || (inner.len() == 1 && !mv.properties.is_empty()) {
                    return Ok(Some(mp.push(inner_key)));
                }
                if let Some(found) = self.inner_union(inner, inner_key, &mp, budget, depth + 1)? {
                    return Ok(Some(found));
                }
            }
            if let Some(found) = self.inner_union(mv.all_of, "allOf", &mp, budget, depth + 1)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }
}

/// Fields gathered from the members of one `allOf`.
struct Acc {
    fields: Vec<Field>,
    rust_names: Registry,
    additional: Option<TypeRef>,
}

/// An inline member that constrains nothing a Rust type could show (`{}`, `{type: object}`,
/// `{properties: {}}`).
fn trivial(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(s) = member else {
        return false;
    };
    let v = View::of(s);
    matches!(v.kind, Kind::Object | Kind::Untyped)
        && v.properties.is_empty()
        && v.enumeration.is_empty()
        && v.all_of.is_empty()
        && v.one_of.is_empty()
        && v.any_of.is_empty()
        && v.items.is_none()
        && matches!(v.additional, None | Some(AdditionalProperties::Any(true)))
}
