//! The validation plan: which client-side checks a value gets, decided once from its type
//! (through aliases) and its constraints. `reach` grows the set of validated types with it
//! and the model stores the plan of every field, parameter and union variant; emit only
//! prints a plan (`emit::validate`), so the two can never disagree.

use super::alias::resolve;
use super::{Constraints, TypeDef, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// The checks of one value, in the order they run; a plan is never empty (no checks is
/// `None` where a plan is stored).
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Text (`String`, or `Secret` read through `expose`): lengths, pattern, UUID form.
    Text {
        secret: bool,
        min_length: Option<usize>,
        max_length: Option<usize>,
        pattern: Option<String>,
        uuid: bool,
    },
    /// An integer; an `i32` is widened to `i64` first. Bounds are `(bound, exclusive)`.
    Integer {
        i32: bool,
        minimum: Option<(i64, bool)>,
        maximum: Option<(i64, bool)>,
    },
    /// A number. Bounds are `(bound, exclusive)`.
    Number {
        minimum: Option<(f64, bool)>,
        maximum: Option<(f64, bool)>,
    },
    /// An array: item counts, then each item's plan.
    List {
        min_items: Option<usize>,
        max_items: Option<usize>,
        items: Option<Box<Check>>,
    },
    /// A nullable value: the inner plan when there is a value.
    Present(Box<Check>),
    /// A named type that validates itself (`validate_at`, see [`super::Model::validated`]).
    Nested,
}

/// The plan of a value of type `t` with constraints `c`, given the named types that
/// validate; `None` when there is nothing to check.
pub fn plan(
    defs: &BTreeMap<String, TypeDef>,
    validated: &BTreeSet<String>,
    t: &TypeRef,
    c: &Constraints,
) -> Option<Check> {
    let t = resolve(defs, t).ty;
    match t {
        TypeRef::String | TypeRef::Secret => {
            let any =
                c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some() || c.uuid;
            any.then(|| Check::Text {
                secret: *t == TypeRef::Secret,
                min_length: c.min_length,
                max_length: c.max_length,
                pattern: c.pattern.clone(),
                uuid: c.uuid,
            })
        }
        // Wider integers are compared as i128 by the runtime (the bounds fit i64: the loader
        // removes those beyond it).
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 | TypeRef::I128 => {
            let bound = |b: Option<(f64, bool)>| b.map(|(m, ex)| (m as i64, ex));
            (c.minimum.is_some() || c.maximum.is_some()).then(|| Check::Integer {
                i32: *t == TypeRef::I32,
                minimum: bound(c.minimum),
                maximum: bound(c.maximum),
            })
        }
        TypeRef::F64 => (c.minimum.is_some() || c.maximum.is_some()).then_some(Check::Number {
            minimum: c.minimum,
            maximum: c.maximum,
        }),
        TypeRef::Vec(inner) => {
            let ic = c.items.as_deref().cloned().unwrap_or_default();
            let items = plan(defs, validated, inner, &ic).map(Box::new);
            let any = c.min_items.is_some() || c.max_items.is_some() || items.is_some();
            any.then_some(Check::List {
                min_items: c.min_items,
                max_items: c.max_items,
                items,
            })
        }
        TypeRef::Option(inner) => {
            plan(defs, validated, inner, c).map(|p| Check::Present(Box::new(p)))
        }
        TypeRef::Named(n) if validated.contains(n) => Some(Check::Nested),
        _ => None,
    }
}
