//! `allOf` members that define the same property: identical (or structurally equivalent)
//! types merge, a free-form member yields to a typed one, and a union or enum that only
//! widens another (every variant of one is a variant of the other) takes the wider type,
//! noted in the field's doc. Anything else is a conflict the caller reports with its location.

use super::names::Registry;
use super::types::{Slot, TypeBuilder};
use super::view::{Kind, View};
use super::{Field, TypeKind, TypeRef};
use crate::error::Pointer;
use crate::Result;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

/// The settled type of a property two members define, with a doc note when it was widened.
pub struct Merged {
    pub ty: TypeRef,
    pub note: Option<String>,
}

/// How deep structural comparison follows named types (cycles end there, as "different").
const MAX_DEPTH: usize = 8;

impl TypeBuilder<'_> {
    /// Merge `earlier` (already on the struct) with `later` (this member's); `None` on conflict.
    pub(super) fn merge_property(&mut self, earlier: &TypeRef, later: &TypeRef) -> Option<Merged> {
        let keep = |ty: &TypeRef| {
            Some(Merged {
                ty: ty.clone(),
                note: None,
            })
        };
        if earlier == later || *later == TypeRef::Json {
            return keep(earlier);
        }
        if *earlier == TypeRef::Json {
            return keep(later);
        }
        if self.equivalent(earlier, later, 0) {
            // Same shape twice (a member restating the base): keep the tagged form if any.
            let pick = if self.is_tagged(later) && !self.is_tagged(earlier) {
                later
            } else {
                earlier
            };
            self.forget_loser(pick, earlier, later);
            return keep(pick);
        }
        let widened = |ty: TypeRef, what: &str| {
            Some(Merged {
                ty,
                note: Some(format!(
                    "allOf members disagree on this property; the wider {what} is used."
                )),
            })
        };
        match (earlier, later) {
            (TypeRef::Vec(a), TypeRef::Vec(b)) => {
                let m = self.merge_property(a, b)?;
                Some(Merged {
                    ty: TypeRef::Vec(Box::new(m.ty)),
                    note: m.note,
                })
            }
            (TypeRef::Map(a), TypeRef::Map(b)) => {
                let m = self.merge_property(a, b)?;
                Some(Merged {
                    ty: TypeRef::Map(Box::new(m.ty)),
                    note: m.note,
                })
            }
            (TypeRef::Named(_), TypeRef::Named(_)) => {
                let wider = if self.admits_all(later, earlier) {
                    later
                } else if self.admits_all(earlier, later) {
                    earlier
                } else {
                    return None;
                };
                self.forget_loser(wider, earlier, later);
                widened(wider.clone(), "type")
            }
            (TypeRef::Named(n), TypeRef::String) | (TypeRef::String, TypeRef::Named(n))
                if matches!(self.def_kind(n), Some(TypeKind::Enum { .. })) =>
            {
                let n = n.clone();
                self.forget_inline(&n);
                widened(TypeRef::String, "type (any string)")
            }
            _ => None,
        }
    }

    fn forget_loser(&mut self, winner: &TypeRef, a: &TypeRef, b: &TypeRef) {
        let loser = if winner == a { b } else { a };
        if let TypeRef::Named(n) = loser {
            let n = n.clone();
            self.forget_inline(&n);
        }
    }

    fn is_tagged(&self, t: &TypeRef) -> bool {
        matches!(t, TypeRef::Named(n) if matches!(
            self.def_kind(n),
            Some(TypeKind::Union { discriminator: Some(_), .. })
        ))
    }

    /// Whether every value of the union or enum `narrow` is also one of `wide`.
    fn admits_all(&self, wide: &TypeRef, narrow: &TypeRef) -> bool {
        let (TypeRef::Named(w), TypeRef::Named(n)) = (wide, narrow) else {
            return false;
        };
        match (self.def_kind(w), self.def_kind(n)) {
            (Some(TypeKind::Union { variants: wv, .. }), Some(TypeKind::Union { variants: nv, .. })) => {
                nv.iter().all(|n| wv.iter().any(|w| self.equivalent(&w.ty, &n.ty, 0)))
            }
            (Some(TypeKind::Enum { variants: wv, .. }), Some(TypeKind::Enum { variants: nv, .. })) => {
                nv.iter().all(|n| wv.iter().any(|w| w.wire == n.wire))
            }
            _ => false,
        }
    }

    /// Structural equality: the same JSON values decode into both types.
    pub(super) fn equivalent(&self, a: &TypeRef, b: &TypeRef, depth: usize) -> bool {
        if a == b {
            return true;
        }
        if depth > MAX_DEPTH {
            return false;
        }
        let d = depth + 1;
        match (a, b) {
            (TypeRef::Vec(x), TypeRef::Vec(y))
            | (TypeRef::Map(x), TypeRef::Map(y))
            | (TypeRef::Option(x), TypeRef::Option(y))
            | (TypeRef::Boxed(x), TypeRef::Boxed(y)) => self.equivalent(x, y, d),
            (TypeRef::Named(x), other) | (other, TypeRef::Named(x))
                if matches!(self.def_kind(x), Some(TypeKind::Alias { .. })) =>
            {
                let Some(TypeKind::Alias { target }) = self.def_kind(x) else {
                    return false;
                };
                self.equivalent(target, other, d)
            }
            (TypeRef::Named(x), TypeRef::Named(y)) => match (self.def_kind(x), self.def_kind(y)) {
                (Some(TypeKind::Union { variants: xv, .. }), Some(TypeKind::Union { variants: yv, .. })) => {
                    xv.len() == yv.len()
                        && xv.iter().all(|v| yv.iter().any(|w| self.equivalent(&v.ty, &w.ty, d)))
                }
                (Some(TypeKind::Enum { variants: xv, .. }), Some(TypeKind::Enum { variants: yv, .. })) => {
                    xv.len() == yv.len() && xv.iter().zip(yv).all(|(v, w)| v.wire == w.wire)
                }
                (
                    Some(TypeKind::Struct { fields: xf, additional: xa }),
                    Some(TypeKind::Struct { fields: yf, additional: ya }),
                ) => {
                    xf.len() == yf.len()
                        && xf.iter().all(|f| {
                            yf.iter().any(|g| {
                                f.wire == g.wire
                                    && f.presence == g.presence
                                    && self.equivalent(&f.ty, &g.ty, d)
                            })
                        })
                        && match (xa, ya) {
                            (None, None) => true,
                            (Some(p), Some(q)) => self.equivalent(p, q, d),
                            _ => false,
                        }
                }
                _ => false,
            },
            _ => false,
        }
    }
}

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
        let hint = Self::slot_hint(slot);
        let meaningful: Vec<usize> = (0..v.all_of.len())
            .filter(|&i| !trivial(&v.all_of[i]))
            .collect();
        if meaningful.len() <= 1 && v.properties.is_empty() {
            let (t, n) = match meaningful.first() {
                Some(&i) => self.convert(&v.all_of[i], &ptr.push("allOf").push(i.to_string()), hint)?,
                None => (TypeRef::Json, false),
            };
            let nullable = n || schema.schema_data.nullable;
            if let Slot::Fixed(name) = slot {
                self.insert(name.to_owned(), schema, ptr, TypeKind::Alias { target: t });
                return Ok((TypeRef::Named(name.to_owned()), nullable));
            }
            return Ok((t, nullable));
        }
        let name = self.claim_slot(slot);
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
                    1 if mv.properties.is_empty() => self.flatten(inner, inner_key, &mp, name, acc, depth + 1)?,
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
                let (t, _) = self.convert(s, &mp.push("additionalProperties"), &format!("{name}Value"))?;
                acc.additional = Some(t);
            }
        }
        Ok(())
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
