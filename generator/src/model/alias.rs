//! Aliases: the one place that looks through `type Foo = Bar` (and the boxes the recursion
//! pass inserts) to the type a reference stands for. Every decision that depends on what a
//! type really is (validation, union order, streams, multipart, borrowing) is taken in the
//! model through [`unalias`]; emit never looks through aliases itself.

use super::{TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// Follow aliases (and boxes) to the type `t` stands for (at most 32 links: an alias cycle
/// stops on one of its names).
pub fn unalias<'d>(defs: &'d BTreeMap<String, TypeDef>, t: &'d TypeRef) -> &'d TypeRef {
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
