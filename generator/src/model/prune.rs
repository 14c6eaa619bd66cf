//! Drops inline types nothing refers to any more (an `allOf` merge can replace the type a
//! member's property was first converted to). Component types always stay: they are the
//! spec's public vocabulary. Also drops the examples that cannot be tests of their type.

use super::*;
use std::collections::BTreeSet;

/// The named types `t` mentions, pushed onto `out`.
pub(super) fn named(t: &TypeRef, out: &mut Vec<String>) {
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
    let seen = closure(defs, work);
    defs.retain(|name, _| seen.contains(name));
}

/// Every named type reachable from `work` (the roots included), following fields,
/// additional properties, union members and alias targets.
pub(super) fn closure(defs: &BTreeMap<String, TypeDef>, mut work: Vec<String>) -> BTreeSet<String> {
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
            Some(TypeKind::Union { variants, .. }) => {
                variants.iter().for_each(|v| named(&v.ty, &mut work))
            }
            Some(TypeKind::Alias { target }) => named(target, &mut work),
            Some(TypeKind::Enum { .. }) | None => {}
        }
    }
    seen.retain(|n| defs.contains_key(n));
    seen
}

/// Whether every named type `t` mentions exists.
pub fn names_exist(t: &TypeRef, defs: &BTreeMap<String, TypeDef>) -> bool {
    let mut names = Vec::new();
    named(t, &mut names);
    names.iter().all(|n| defs.contains_key(n))
}

/// Inline types that got a numeric suffix (`Part2`) only because the name they wanted was
/// taken by a type that pruning has since removed: they take the plain name back.
pub fn settle_names(
    defs: &BTreeMap<String, TypeDef>,
    suffixed: &BTreeMap<String, String>,
    operations: &[Operation],
    groups: &BTreeMap<String, Group>,
) -> BTreeMap<String, String> {
    let mut taken: BTreeSet<&str> = defs.keys().map(String::as_str).collect();
    for op in operations {
        taken.extend(op.params_type.as_deref());
        taken.extend(op.pagination.as_ref().and_then(|p| p.pager.as_deref()));
    }
    taken.extend(groups.keys().map(String::as_str));
    taken.extend(super::names::RESERVED_TYPES.iter().copied());
    let mut renames = BTreeMap::new();
    for (name, want) in suffixed {
        if defs.contains_key(name) && !taken.contains(want.as_str()) {
            taken.insert(want);
            renames.insert(name.clone(), want.clone());
        }
    }
    renames
}

fn rename_in(t: &mut TypeRef, renames: &BTreeMap<String, String>) {
    match t {
        TypeRef::Named(n) => {
            if let Some(new) = renames.get(n) {
                *n = new.clone();
            }
        }
        TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Boxed(i) | TypeRef::Option(i) => {
            rename_in(i, renames)
        }
        _ => {}
    }
}

/// Apply `renames` (old → new type name) everywhere a type is named.
pub fn rename(
    renames: &BTreeMap<String, String>,
    defs: &mut BTreeMap<String, TypeDef>,
    operations: &mut [Operation],
    errors: &mut [ErrorVariant],
    examples: &mut [ExampleSite],
) {
    if renames.is_empty() {
        return;
    }
    let old = std::mem::take(defs);
    for (name, mut def) in old {
        let name = renames.get(&name).cloned().unwrap_or(name);
        def.name = name.clone();
        match &mut def.kind {
            TypeKind::Struct { fields, additional } => {
                fields
                    .iter_mut()
                    .for_each(|f| rename_in(&mut f.ty, renames));
                if let Some(a) = additional {
                    rename_in(a, renames);
                }
            }
            TypeKind::Union { variants, .. } => variants
                .iter_mut()
                .for_each(|v| rename_in(&mut v.ty, renames)),
            TypeKind::Alias { target } => rename_in(target, renames),
            TypeKind::Enum { .. } => {}
        }
        defs.insert(name, def);
    }
    for op in operations {
        op.params
            .iter_mut()
            .for_each(|p| rename_in(&mut p.ty, renames));
        if let Some(b) = &mut op.body {
            rename_in(&mut b.ty, renames);
        }
        for r in &mut op.responses {
            if let Some(t) = &mut r.ty {
                rename_in(t, renames);
            }
        }
        if let Success::Json(t) = &mut op.success {
            rename_in(t, renames);
        }
        if let Some(s) = &mut op.stream {
            rename_in(&mut s.ty, renames);
        }
        if let Some(p) = &mut op.pagination {
            rename_in(&mut p.item_ty, renames);
        }
    }
    errors
        .iter_mut()
        .for_each(|e| rename_in(&mut e.ty, renames));
    examples
        .iter_mut()
        .for_each(|e| rename_in(&mut e.ty, renames));
}

/// Drop, with a located `stray_key` warning, each example whose JSON type cannot be its
/// type's at all (an object for a string, a string for a struct): it contradicts its own
/// schema, so it cannot be a test of the generated type.
pub fn drop_misfits(examples: &mut Vec<ExampleSite>, defs: &BTreeMap<String, TypeDef>) {
    examples.retain(|e| {
        let ok = fits(&e.ty, &e.value, defs, 0);
        if !ok {
            crate::warnings::record(crate::Warning::new(
                crate::WarningKind::StrayKey,
                e.pointer.clone(),
                "the example does not have its schema's type; not used as a test",
            ));
        }
        ok
    });
}

/// Whether `value` can be a `ty` by its JSON type alone (finer checks are the round-trip
/// test's; `null` is left to it too).
fn fits(
    ty: &TypeRef,
    value: &serde_json::Value,
    defs: &BTreeMap<String, TypeDef>,
    depth: usize,
) -> bool {
    if value.is_null() || depth > 16 {
        return true;
    }
    match ty {
        TypeRef::String | TypeRef::Secret | TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date => {
            value.is_string()
        }
        TypeRef::Bool => value.is_boolean(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 | TypeRef::I128 | TypeRef::F64 => {
            value.is_number()
        }
        TypeRef::Vec(_) => value.is_array(),
        TypeRef::Map(_) => value.is_object(),
        TypeRef::Boxed(t) | TypeRef::Option(t) => fits(t, value, defs, depth + 1),
        TypeRef::Named(name) => match defs.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct { .. }) => value.is_object(),
            Some(TypeKind::Enum { .. }) => value.is_string(),
            Some(TypeKind::Alias { target }) => fits(target, value, defs, depth + 1),
            _ => true,
        },
        _ => true,
    }
}
