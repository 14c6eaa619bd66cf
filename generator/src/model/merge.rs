//! Properties that several `allOf` members define. Identical (or structurally equivalent)
//! types merge, a free-form member yields to a typed one, two objects merge their properties,
//! and a union or enum that only widens another (every value of one is a value of the other)
//! takes the wider type, noted in the field's doc. Anything else is a conflict the caller
//! reports with its location.

use super::names::type_name;
use super::types::TypeBuilder;
use super::{Field, Presence, TypeDef, TypeKind, TypeRef};
use crate::error::Pointer;
use crate::{Result, Warning, WarningKind};

/// A short, stable description of a type for warnings (`string`, `list`, `Foo`).
fn describe(t: &TypeRef) -> String {
    match t {
        TypeRef::Named(n) => format!("`{n}`"),
        TypeRef::Vec(_) => "a list".into(),
        TypeRef::Map(_) => "a map".into(),
        TypeRef::Json => "any".into(),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// The settled type of a property two members define, with a doc note when it was widened.
pub struct Merged {
    pub ty: TypeRef,
    pub note: Option<String>,
}

/// How deep structural comparison follows named types (cycles end there, as "different").
const MAX_DEPTH: usize = 8;

impl Merged {
    fn keep(ty: &TypeRef) -> Option<Merged> {
        Some(Merged {
            ty: ty.clone(),
            note: None,
        })
    }
}

fn required(p: Presence) -> bool {
    matches!(p, Presence::Required | Presence::RequiredNullable)
}

fn nullable(p: Presence) -> bool {
    matches!(p, Presence::RequiredNullable | Presence::OptionalNullable)
}

/// The presence of a property from whether it is required and whether it admits null.
pub fn presence(required: bool, nullable: bool) -> Presence {
    match (required, nullable) {
        (true, false) => Presence::Required,
        (true, true) => Presence::RequiredNullable,
        (false, false) => Presence::Optional,
        (false, true) => Presence::OptionalNullable,
    }
}

impl TypeBuilder<'_> {
    /// [`merge_property`](Self::merge_property) for property `wire` at `at`; where the two
    /// types conflict, the property widens to any JSON value with a `type_widened` warning
    /// (a value valid for both members is still accepted and written back unchanged).
    pub(super) fn merge_or_widen(
        &mut self,
        earlier: &TypeRef,
        later: &TypeRef,
        hint: &str,
        at: &Pointer,
        wire: &str,
    ) -> Result<Merged> {
        if let Some(merged) = self.merge_property(earlier, later, hint)? {
            return Ok(merged);
        }
        crate::warnings::record(Warning::new(
            WarningKind::TypeWidened,
            at.as_str(),
            format!(
                "allOf members give property `{wire}` incompatible types ({} and {}); it is \
                 any JSON value",
                describe(earlier),
                describe(later)
            ),
        ));
        Ok(Merged {
            ty: TypeRef::Json,
            note: Some("allOf members disagree on this property's type; any JSON value.".into()),
        })
    }

    /// Merge `earlier` (already on the struct) with `later` (this member's); `Ok(None)` on a
    /// conflict. `hint` names a merged object type if one has to be made.
    pub(super) fn merge_property(
        &mut self,
        earlier: &TypeRef,
        later: &TypeRef,
        hint: &str,
    ) -> Result<Option<Merged>> {
        if earlier == later || *later == TypeRef::Json {
            return Ok(Merged::keep(earlier));
        }
        if *earlier == TypeRef::Json {
            return Ok(Merged::keep(later));
        }
        for t in [earlier, later] {
            if let TypeRef::Named(n) = t {
                self.ensure_converted(n)?;
            }
        }
        if self.equivalent(earlier, later, 0) {
            // Same shape twice (a member restating the base): keep the tagged form if any.
            let tagged = self.is_tagged(later) && !self.is_tagged(earlier);
            return Ok(Merged::keep(if tagged { later } else { earlier }));
        }
        let wrap = |m: Option<Merged>, f: fn(Box<TypeRef>) -> TypeRef| {
            m.map(|m| Merged {
                ty: f(Box::new(m.ty)),
                note: m.note,
            })
        };
        match (earlier, later) {
            (TypeRef::Vec(a), TypeRef::Vec(b)) => {
                let m = self.merge_property(a, b, &format!("{hint}Item"))?;
                Ok(wrap(m, TypeRef::Vec))
            }
            (TypeRef::Map(a), TypeRef::Map(b)) => {
                let m = self.merge_property(a, b, &format!("{hint}Value"))?;
                Ok(wrap(m, TypeRef::Map))
            }
            _ => match (self.struct_name(earlier), self.struct_name(later)) {
                (Some(a), Some(b)) => {
                    let Some(merged) = self.merge_structs(&a, &b, hint)? else {
                        return Ok(None);
                    };
                    // Keep the name the spec used (maybe an alias of the struct) where it won.
                    let ty = if merged == b {
                        later.clone()
                    } else if merged == a {
                        earlier.clone()
                    } else {
                        TypeRef::Named(merged)
                    };
                    Ok(Merged::keep(&ty))
                }
                _ => {
                    let wider = if self.admits(later, earlier, 0) {
                        later
                    } else if self.admits(earlier, later, 0) {
                        earlier
                    } else {
                        return Ok(None);
                    };
                    Ok(Some(Merged {
                        ty: wider.clone(),
                        note: Some(
                            "allOf members disagree on this property; the wider type is used."
                                .into(),
                        ),
                    }))
                }
            },
        }
    }

    /// Two object types for one property: the name of a struct with the properties of both
    /// (one of the two when it already is that, else a new type named from `hint`).
    fn merge_structs(&mut self, a: &str, b: &str, hint: &str) -> Result<Option<String>> {
        let (Some((mut fields, mut additional)), Some((later, later_additional))) =
            (self.struct_parts(a), self.struct_parts(b))
        else {
            return Ok(None);
        };
        for g in later {
            let Some(i) = fields.iter().position(|f| f.wire == g.wire) else {
                if fields.iter().any(|f| f.rust == g.rust) {
                    return Ok(None);
                }
                fields.push(g);
                continue;
            };
            let field_hint = format!("{hint}{}", type_name(&g.wire));
            let earlier = fields[i].ty.clone();
            let Some(m) = self.merge_property(&earlier, &g.ty, &field_hint)? else {
                return Ok(None);
            };
            let f = &mut fields[i];
            // allOf: required if either says so; null only if both allow it (or if the wider
            // of two disagreeing members does).
            let either_nullable = if m.note.is_some() {
                nullable(f.presence) || nullable(g.presence)
            } else {
                nullable(f.presence) && nullable(g.presence)
            };
            f.presence = presence(
                required(f.presence) || required(g.presence),
                either_nullable,
            );
            f.ty = m.ty;
            f.doc.extend(m.note);
        }
        additional = match (additional, later_additional) {
            (Some(x), Some(y)) => match self.merge_property(&x, &y, &format!("{hint}Value"))? {
                Some(m) => Some(m.ty),
                None => return Ok(None),
            },
            (x, y) => x.or(y),
        };
        // One of the two may already be the merge (a derived schema restating its base).
        for name in [b, a] {
            if self.same_struct(name, &fields, &additional) {
                return Ok(Some(name.to_owned()));
            }
        }
        let name = self.claim(hint);
        let Some(def) = self.def(b).cloned() else {
            return Ok(None);
        };
        self.insert_def(TypeDef {
            name: name.clone(),
            kind: TypeKind::Struct { fields, additional },
            ..def
        });
        Ok(Some(name))
    }

    fn struct_parts(&self, name: &str) -> Option<(Vec<Field>, Option<TypeRef>)> {
        match self.def_kind(name)? {
            TypeKind::Struct { fields, additional } => Some((fields.clone(), additional.clone())),
            _ => None,
        }
    }

    /// Whether struct `name` has exactly these fields (up to structural equivalence).
    fn same_struct(&self, name: &str, fields: &[Field], additional: &Option<TypeRef>) -> bool {
        let Some((own, own_additional)) = self.struct_parts(name) else {
            return false;
        };
        own.len() == fields.len()
            && fields.iter().all(|f| {
                own.iter().any(|g| {
                    g.wire == f.wire && g.presence == f.presence && self.equivalent(&g.ty, &f.ty, 0)
                })
            })
            && match (&own_additional, additional) {
                (None, None) => true,
                (Some(x), Some(y)) => self.equivalent(x, y, 0),
                _ => false,
            }
    }

    /// The struct a named type is (through aliases), if it is one.
    fn struct_name(&self, t: &TypeRef) -> Option<String> {
        let mut t = t;
        for _ in 0..MAX_DEPTH {
            let TypeRef::Named(n) = t else { return None };
            match self.def_kind(n)? {
                TypeKind::Struct { .. } => return Some(n.clone()),
                TypeKind::Alias { target } => t = target,
                _ => return None,
            }
        }
        None
    }

    fn is_tagged(&self, t: &TypeRef) -> bool {
        matches!(t, TypeRef::Named(n) if matches!(
            self.def_kind(n),
            Some(TypeKind::Union { discriminator: Some(_), .. })
        ))
    }

    /// Whether every value `narrow` admits is also admitted by `wide` (a union admits what
    /// its variants admit; an enum what a superset enum admits; a string any enum).
    fn admits(&self, wide: &TypeRef, narrow: &TypeRef, depth: usize) -> bool {
        if self.equivalent(wide, narrow, 0) {
            return true;
        }
        if depth > MAX_DEPTH {
            return false;
        }
        let d = depth + 1;
        let kind = |t: &TypeRef| match t {
            TypeRef::Named(n) => self.def_kind(n),
            _ => None,
        };
        match (wide, narrow, kind(wide), kind(narrow)) {
            (TypeRef::Vec(w), TypeRef::Vec(n), _, _) | (TypeRef::Map(w), TypeRef::Map(n), _, _) => {
                self.admits(w, n, d)
            }
            (_, _, Some(TypeKind::Alias { target }), _) => self.admits(target, narrow, d),
            (_, _, _, Some(TypeKind::Alias { target })) => self.admits(wide, target, d),
            (
                _,
                _,
                Some(TypeKind::Union {
                    variants: wv,
                    discriminator: Some(wd),
                }),
                Some(TypeKind::Union {
                    variants: nv,
                    discriminator: Some(nd),
                }),
            ) if wd == nd => {
                // Tagged unions on the same property: compare what the tags select.
                nv.iter()
                    .all(|n| n.tags.iter().all(|t| wv.iter().any(|w| w.tags.contains(t))))
            }
            (_, _, _, Some(TypeKind::Union { variants: nv, .. })) => {
                nv.iter().all(|n| self.admits(wide, &n.ty, d))
            }
            (_, _, Some(TypeKind::Union { variants: wv, .. }), _) => {
                wv.iter().any(|w| self.admits(&w.ty, narrow, d))
            }
            (
                _,
                _,
                Some(TypeKind::Enum { variants: wv, .. }),
                Some(TypeKind::Enum { variants: nv, .. }),
            ) => nv.iter().all(|n| wv.iter().any(|w| w.wire == n.wire)),
            (TypeRef::String, _, _, Some(TypeKind::Enum { .. })) => true,
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
        let kind = |t: &TypeRef| match t {
            TypeRef::Named(n) => self.def_kind(n),
            _ => None,
        };
        match (a, b, kind(a), kind(b)) {
            (TypeRef::Vec(x), TypeRef::Vec(y), _, _)
            | (TypeRef::Map(x), TypeRef::Map(y), _, _)
            | (TypeRef::Option(x), TypeRef::Option(y), _, _)
            | (TypeRef::Boxed(x), TypeRef::Boxed(y), _, _) => self.equivalent(x, y, d),
            (_, _, Some(TypeKind::Alias { target }), _) => self.equivalent(target, b, d),
            (_, _, _, Some(TypeKind::Alias { target })) => self.equivalent(a, target, d),
            (
                _,
                _,
                Some(TypeKind::Union { variants: xv, .. }),
                Some(TypeKind::Union { variants: yv, .. }),
            ) => {
                xv.len() == yv.len()
                    && xv
                        .iter()
                        .all(|v| yv.iter().any(|w| self.equivalent(&v.ty, &w.ty, d)))
            }
            (
                _,
                _,
                Some(TypeKind::Enum { variants: xv, .. }),
                Some(TypeKind::Enum { variants: yv, .. }),
            ) => xv.len() == yv.len() && xv.iter().all(|v| yv.iter().any(|w| v.wire == w.wire)),
            (
                _,
                _,
                Some(TypeKind::Struct {
                    fields: xf,
                    additional: xa,
                }),
                Some(TypeKind::Struct {
                    fields: yf,
                    additional: ya,
                }),
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
        }
    }
}
