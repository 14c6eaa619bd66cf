//! The decisions emit prints, taken once every type has its final name and the validated
//! types are known: each value's validation plan, how each union decodes (try order, enum
//! members, guards, its catch-all), how each body is encoded and checked, what an event
//! stream decodes and which body flag its method sets, how positional parameters are
//! borrowed and written as text, and the integer widths of paging parameters.

use super::alias::resolve;
use super::names::{Registry, UNKNOWN};
use super::validate::plan as check_plan;
use super::*;

/// Store every plan in `defs` and `operations`; the union plans by type name.
pub fn settle(
    defs: &mut BTreeMap<String, TypeDef>,
    operations: &mut [Operation],
    validated: &BTreeSet<String>,
) -> BTreeMap<String, UnionPlan> {
    // Decided on the finished types, then stored.
    let mut checks: Vec<(String, Vec<Option<Check>>)> = Vec::new();
    let mut unions = BTreeMap::new();
    let finite = finite_types(defs);
    for (name, def) in defs.iter() {
        match &def.kind {
            TypeKind::Struct { fields, .. } => checks.push((
                name.clone(),
                fields
                    .iter()
                    .map(|f| check_plan(defs, validated, &f.ty, &f.constraints))
                    .collect(),
            )),
            TypeKind::Union {
                variants,
                discriminator,
            } => {
                let none = Constraints::default();
                checks.push((
                    name.clone(),
                    variants
                        .iter()
                        .map(|v| check_plan(defs, validated, &v.ty, &none))
                        .collect(),
                ));
                let tag = discriminator.as_ref().map(|d| d.property.as_str());
                unions.insert(name.clone(), union_plan(defs, &finite, variants, tag));
            }
            TypeKind::Enum { .. } | TypeKind::Alias { .. } => {}
        }
    }
    for op in operations {
        operation(defs, validated, op);
    }
    for (name, plans) in checks {
        match defs.get_mut(&name).map(|d| &mut d.kind) {
            Some(TypeKind::Struct { fields, .. }) => {
                for (f, c) in fields.iter_mut().zip(plans) {
                    f.check = c;
                }
            }
            Some(TypeKind::Union { variants, .. }) => {
                for (v, c) in variants.iter_mut().zip(plans) {
                    v.check = c;
                }
            }
            _ => {}
        }
    }
    unions
}

fn operation(defs: &BTreeMap<String, TypeDef>, validated: &BTreeSet<String>, op: &mut Operation) {
    for p in &mut op.params {
        let argument = p.argument_type();
        p.check = check_plan(defs, validated, &argument, &p.constraints);
        p.borrow = match resolve(defs, &argument).ty {
            TypeRef::String => Borrow::Str,
            TypeRef::Vec(inner) => Borrow::Slice((**inner).clone()),
            _ => Borrow::Ref,
        };
        let r = resolve(defs, &p.ty);
        p.text = match (p.pass, r.ty) {
            (ParamPass::Value, _) => TextForm::Plain,
            (ParamPass::Display, TypeRef::Vec(_)) => TextForm::Items,
            (ParamPass::Display, TypeRef::Map(_)) => TextForm::Json,
            (ParamPass::Display, TypeRef::Named(_)) if !r.is_enum() => TextForm::Json,
            (ParamPass::Display, _) => TextForm::Plain,
        };
    }
    if let Some(b) = &mut op.body {
        let r = resolve(defs, &b.ty);
        b.validate = matches!(r.ty, TypeRef::Named(n) if validated.contains(n));
        b.bytes = *r.ty == TypeRef::Bytes;
        b.multipart = (b.kind == BodyKind::Multipart).then(|| match r.fields() {
            Some((fields, None)) => MultipartPlan::Fields(
                fields
                    .iter()
                    .map(|f| MultipartPart {
                        rust: f.rust.clone(),
                        wire: f.wire.clone(),
                        presence: f.presence,
                        file: f.ty == TypeRef::File,
                    })
                    .collect(),
            ),
            _ => MultipartPlan::Json,
        });
    }
    let flag = op
        .body
        .as_ref()
        .filter(|b| b.required)
        .and_then(|b| resolve(defs, &b.ty).fields())
        .and_then(|(fields, _)| {
            fields
                .iter()
                .find(|f| f.wire == "stream" && f.ty == TypeRef::Bool)
        })
        .map(|f| StreamFlag {
            rust: f.rust.clone(),
            presence: f.presence,
        });
    if let Some(s) = &mut op.stream {
        s.envelope = resolve(defs, &s.ty)
            .fields()
            .is_some_and(|(fields, _)| fields.iter().any(|f| f.wire == "data"));
        s.flag = flag;
    }
    let is_i32 = |rust: &str| {
        op.params
            .iter()
            .any(|p| p.rust == rust && *resolve(defs, &p.ty).ty == TypeRef::I32)
    };
    let positional: Vec<String> = op.positional().map(|p| p.rust.clone()).collect();
    if let Some(pg) = &mut op.pagination {
        pg.offset_i32 = is_i32(&pg.offset);
        pg.limit_i32 = pg.limit.as_deref().is_some_and(is_i32);
        pg.pager_params = pg.pager.as_ref().map(|_| {
            let mut fields = Registry::default();
            for p in &positional {
                fields.claim(p);
            }
            fields.claim("params")
        });
    }
}

fn union_plan(
    defs: &BTreeMap<String, TypeDef>,
    finite: &BTreeSet<String>,
    variants: &[UnionVariant],
    tag: Option<&str>,
) -> UnionPlan {
    let mut order: Vec<(Vec<i64>, usize)> = variants
        .iter()
        .enumerate()
        .filter(|(_, v)| tag.is_none() || v.tags.is_empty())
        .map(|(i, v)| (specificity(defs, &v.ty, 0), i))
        .collect();
    order.sort();
    UnionPlan {
        try_order: order.into_iter().map(|(_, i)| i).collect(),
        enums: variants
            .iter()
            .map(|v| resolve(defs, &v.ty).is_enum())
            .collect(),
        guards: variants
            .iter()
            .map(|v| {
                tag.map(|tag| fixed_values(defs, &v.ty, tag))
                    .unwrap_or_default()
            })
            .collect(),
        unknown: tag.map(|_| UNKNOWN.to_owned()),
        placeholder: variants
            .iter()
            .position(|v| finite_ref(finite, &v.ty))
            .unwrap_or_default(),
    }
}

/// The named types whose placeholder is a finite value: a struct whose required fields all
/// are, an enum, a union with such a variant, an alias of one. (A recursion through required
/// fields alone has no finite value, in JSON either.) A least fixpoint.
fn finite_types(defs: &BTreeMap<String, TypeDef>) -> BTreeSet<String> {
    let mut finite = BTreeSet::new();
    loop {
        let before = finite.len();
        for (name, def) in defs {
            if finite.contains(name) {
                continue;
            }
            let ok = match &def.kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .filter(|f| f.presence == Presence::Required)
                    .all(|f| finite_ref(&finite, &f.ty)),
                TypeKind::Enum { .. } => true,
                TypeKind::Union { variants, .. } => {
                    variants.iter().any(|v| finite_ref(&finite, &v.ty))
                }
                TypeKind::Alias { target } => finite_ref(&finite, target),
            };
            if ok {
                finite.insert(name.clone());
            }
        }
        if finite.len() == before {
            return finite;
        }
    }
}

fn finite_ref(finite: &BTreeSet<String>, t: &TypeRef) -> bool {
    match t {
        TypeRef::Named(n) => finite.contains(n),
        TypeRef::Boxed(t) => finite_ref(finite, t),
        // Scalars; and a list, map or `Option` is empty or absent whatever it holds.
        _ => true,
    }
}

/// Sort key of a variant type: smaller is tried first.
fn specificity(defs: &BTreeMap<String, TypeDef>, t: &TypeRef, depth: usize) -> Vec<i64> {
    if depth > 8 {
        return vec![50];
    }
    let r = resolve(defs, t);
    match r.ty {
        TypeRef::Option(inner) | TypeRef::Boxed(inner) => specificity(defs, inner, depth + 1),
        TypeRef::Named(_) => match r.kind {
            Some(TypeKind::Struct { fields, additional }) => {
                let required = fields
                    .iter()
                    .filter(|f| {
                        matches!(f.presence, Presence::Required | Presence::RequiredNullable)
                    })
                    .count();
                // More required properties first; a struct that also takes extra properties
                // after the closed ones with the same count.
                vec![0, -(required as i64), i64::from(additional.is_some())]
            }
            // A union of objects (tagged ones keep unknown tags, so they accept any object).
            Some(TypeKind::Union { .. }) => vec![1],
            Some(TypeKind::Enum { .. }) => vec![8],
            Some(TypeKind::Alias { .. }) | None => vec![50],
        },
        TypeRef::Map(_) => vec![2],
        TypeRef::Vec(inner) => {
            let mut k = vec![3];
            k.extend(specificity(defs, inner, depth + 1));
            k
        }
        TypeRef::Bool => vec![4],
        TypeRef::I32 => vec![5],
        TypeRef::I64 => vec![6],
        // Wider integers accept what narrower ones refuse: tried after them.
        TypeRef::U64 => vec![6, 1],
        TypeRef::I128 => vec![6, 2],
        TypeRef::F64 => vec![7],
        TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date => vec![9],
        TypeRef::String | TypeRef::Secret | TypeRef::File => vec![10],
        TypeRef::Bytes => vec![11],
        TypeRef::Json => vec![12],
    }
}

/// Required properties of a struct member that admit one string value (a one-value enum),
/// other than the tag: they tell members that share a tag value apart.
fn fixed_values(defs: &BTreeMap<String, TypeDef>, t: &TypeRef, tag: &str) -> Vec<(String, String)> {
    let Some((fields, _)) = resolve(defs, t).fields() else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|f| f.wire != tag && f.presence == Presence::Required)
        .filter_map(|f| match resolve(defs, &f.ty).enum_variants()? {
            [one] => Some((f.wire.clone(), one.wire.clone())),
            _ => None,
        })
        .collect()
}
