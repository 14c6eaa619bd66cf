//! `allOf` members that define the same property: identical types merge, a free-form member
//! yields to a typed one, and a union or enum that only widens another (every variant of one
//! is a variant of the other) takes the wider type, noted in the field's doc. Anything else is
//! a conflict the caller reports with its location.

use super::types::TypeBuilder;
use super::{TypeKind, TypeRef};
use std::collections::BTreeSet;

/// The settled type of a property two members define, with a doc note when it was widened.
pub struct Merged {
    pub ty: TypeRef,
    pub note: Option<String>,
}

impl TypeBuilder<'_> {
    /// Merge `earlier` (already on the struct) with `later` (this member's); `None` on conflict.
    pub(super) fn merge_property(&mut self, earlier: &TypeRef, later: &TypeRef) -> Option<Merged> {
        let keep = |ty: &TypeRef| Some(Merged { ty: ty.clone(), note: None });
        if earlier == later || *later == TypeRef::Json {
            return keep(earlier);
        }
        if *earlier == TypeRef::Json {
            return keep(later);
        }
        match (earlier, later) {
            (TypeRef::Vec(a), TypeRef::Vec(b)) => {
                let m = self.merge_property(a, b)?;
                Some(Merged { ty: TypeRef::Vec(Box::new(m.ty)), note: m.note })
            }
            (TypeRef::Map(a), TypeRef::Map(b)) => {
                let m = self.merge_property(a, b)?;
                Some(Merged { ty: TypeRef::Map(Box::new(m.ty)), note: m.note })
            }
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                let (wa, wb) = (self.members(a)?, self.members(b)?);
                let wider = if wa.is_subset(&wb) {
                    later
                } else if wb.is_subset(&wa) {
                    earlier
                } else {
                    return None;
                };
                let loser = if wider == later { a } else { b };
                self.forget_inline(loser);
                Some(Merged {
                    ty: wider.clone(),
                    note: Some("allOf members give this property different variants; the wider type is used.".into()),
                })
            }
            (TypeRef::Named(n), TypeRef::String) | (TypeRef::String, TypeRef::Named(n))
                if matches!(self.def_kind(n), Some(TypeKind::Enum { .. })) =>
            {
                self.forget_inline(n);
                Some(Merged {
                    ty: TypeRef::String,
                    note: Some("allOf members disagree on this property's values; any string is accepted.".into()),
                })
            }
            _ => None,
        }
    }

    /// What a named union or enum admits: its variant types or wire values.
    fn members(&self, name: &str) -> Option<BTreeSet<String>> {
        match self.def_kind(name)? {
            TypeKind::Union { variants, discriminator: None } => {
                Some(variants.iter().map(|v| format!("{:?}", v.ty)).collect())
            }
            TypeKind::Enum { variants, .. } => Some(variants.iter().map(|v| v.wire.clone()).collect()),
            _ => None,
        }
    }
}
