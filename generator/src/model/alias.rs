//! Aliases: the one place that looks through `type Foo = Bar` (and the boxes the recursion
//! pass inserts) to what a type reference stands for. Every decision that depends on what a
//! type really is (validation, union order, streams, multipart, borrowing, paging) is taken
//! in the model through [`resolve`]; emit never looks through aliases itself.

use super::{EnumVariant, Field, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// What a type reference stands for.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'d> {
    /// The type through aliases and boxes.
    pub ty: &'d TypeRef,
    /// The definition of the named type it is, if it names one.
    pub kind: Option<&'d TypeKind>,
}

impl<'d> Resolved<'d> {
    /// A struct's fields and its additional-properties type.
    pub fn fields(self) -> Option<(&'d [Field], Option<&'d TypeRef>)> {
        match self.kind? {
            TypeKind::Struct { fields, additional } => Some((fields, additional.as_ref())),
            _ => None,
        }
    }

    /// An enum's variants.
    pub fn enum_variants(self) -> Option<&'d [EnumVariant]> {
        match self.kind? {
            TypeKind::Enum { variants, .. } => Some(variants),
            _ => None,
        }
    }

    pub fn is_enum(self) -> bool {
        self.enum_variants().is_some()
    }
}

/// What `t` stands for in `defs`.
pub fn resolve<'d>(defs: &'d BTreeMap<String, TypeDef>, t: &'d TypeRef) -> Resolved<'d> {
    let ty = unalias(defs, t);
    let kind = match ty {
        TypeRef::Named(n) => defs.get(n).map(|d| &d.kind),
        _ => None,
    };
    Resolved { ty, kind }
}

/// Follow aliases (and boxes) to the type `t` stands for (at most 32 links: an alias cycle
/// stops on one of its names).
fn unalias<'d>(defs: &'d BTreeMap<String, TypeDef>, t: &'d TypeRef) -> &'d TypeRef {
    let mut t = t;
    for _ in 0..32 {
        match t {
            TypeRef::Named(n) => match defs.get(n).map(|d| &d.kind) {
                Some(TypeKind::Alias { target }) => t = target,
                _ => return t,
            },
            TypeRef::Boxed(inner) => t = inner,
            _ => return t,
        }
    }
    t
}
