//! Drops inline types nothing refers to any more (an `allOf` merge can replace the type a
//! member's property was first converted to). Component types always stay: they are the
//! spec's public vocabulary.

use super::*;
use std::collections::BTreeSet;

fn named(t: &TypeRef, out: &mut Vec<String>) {
    match t {
        TypeRef::Named(n) => out.push(n.clone()),
        TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Boxed(i) | TypeRef::Option(i) => named(i, out),
        _ => {}
    }
}

/// Remove every def not reachable from a component, an operation or an error variant.
pub fn unreachable(
    defs: &mut BTreeMap<String, TypeDef>,
    components: &BTreeSet<String>,
    operations: &[Operation],
    errors: &[ErrorVariant],
) {
    let mut work: Vec<String> = components.iter().cloned().collect();
    for op in operations {
        for p in &op.params {
            named(&p.ty, &mut work);
        }
        if let Some(b) = &op.body {
            named(&b.ty, &mut work);
        }
        for r in &op.responses {
            if let Some(t) = &r.ty {
                named(t, &mut work);
            }
        }
        if let Success::Json(t) = &op.success {
            named(t, &mut work);
        }
        if let Some(s) = &op.stream {
            named(&s.ty, &mut work);
        }
        if let Some(p) = &op.pagination {
            named(&p.item_ty, &mut work);
        }
    }
    for e in errors {
        named(&e.ty, &mut work);
    }
    let mut seen = BTreeSet::new();
    while let Some(n) = work.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        match defs.get(&n).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, additional }) => {
                fields.iter().for_each(|f| named(&f.ty, &mut work));
                if let Some(a) = additional {
                    named(a, &mut work);
                }
            }
            Some(TypeKind::Union { variants, .. }) => variants.iter().for_each(|v| named(&v.ty, &mut work)),
            Some(TypeKind::Alias { target }) => named(target, &mut work),
            Some(TypeKind::Enum { .. }) | None => {}
        }
    }
    defs.retain(|name, _| seen.contains(name));
}

/// Whether every named type `t` mentions exists.
pub fn names_exist(t: &TypeRef, defs: &BTreeMap<String, TypeDef>) -> bool {
    let mut names = Vec::new();
    named(t, &mut names);
    names.iter().all(|n| defs.contains_key(n))
}
