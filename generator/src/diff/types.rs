//! Named types: added, removed, renamed; struct fields, `new`, setters and `Default`;
//! `validate_at`; alias targets; the features a type compiles under (variants: `variants`).

use std::collections::BTreeMap;

use super::classify::{constraints, deprecation};
use super::sig;
use super::{Class, Out, Wire};
use crate::model::{Field, Members, Model, TypeDef, TypeKind};

use Class::{Additive, Breaking, Patch};

pub fn types(old: &Model, new: &Model, out: &mut Out) {
    let removed: Vec<&TypeDef> = old
        .types
        .values()
        .filter(|d| !new.types.contains_key(&d.name))
        .collect();
    let mut added: BTreeMap<&str, &TypeDef> = new
        .types
        .values()
        .filter(|d| !old.types.contains_key(&d.name))
        .map(|d| (d.name.as_str(), d))
        .collect();
    for (name, a) in &old.types {
        if let Some(b) = new.types.get(name) {
            compare(old, new, a, b, out);
        }
    }
    for r in removed {
        // A rename keeps the schema (its origin) or at least the whole shape.
        let twin = added
            .values()
            .find(|a| a.origin == r.origin)
            .or_else(|| added.values().find(|a| a.kind == r.kind))
            .map(|a| a.name.clone());
        match twin {
            Some(to) => {
                let b = added.remove(to.as_str()).expect("found above");
                out.push(
                    Breaking,
                    "type_renamed",
                    &r.name,
                    format!("now `{to}`"),
                    "code naming the old type no longer compiles (struct_missing / enum_missing)",
                );
                compare(old, new, r, b, out);
            }
            None => {
                out.push(
                    Breaking,
                    "type_removed",
                    &r.name,
                    format!("{} removed", sig::kind_name(r)),
                    "code naming it no longer compiles (struct_missing / enum_missing)",
                );
            }
        }
    }
    for a in added.values() {
        out.push(
            Additive,
            "type_added",
            &a.name,
            format!("new {}", sig::kind_name(a)),
            "a new public type; nothing existing changes",
        );
    }
}

fn compare(old: &Model, new: &Model, a: &TypeDef, b: &TypeDef, out: &mut Out) {
    let item = b.name.as_str();
    gate(old, new, a, b, out);
    if a.deprecated != b.deprecated {
        deprecation(item, b.deprecated, out);
    }
    match (&a.kind, &b.kind) {
        (
            TypeKind::Struct {
                fields: fa,
                additional: aa,
            },
            TypeKind::Struct {
                fields: fb,
                additional: ab,
            },
        ) => {
            let request = (
                old.request_types.contains(&a.name),
                new.request_types.contains(&b.name),
            );
            let checked = (
                old.validated.contains(&a.name),
                new.validated.contains(&b.name),
            );
            if checked.0 != checked.1 {
                validate_at(item, checked.1, out);
            }
            let members = (old.members.get(&a.name), new.members.get(&b.name));
            structs(item, request, members, (fa, fb), out);
            match (aa, ab) {
                (None, Some(_)) => {
                    out.push(
                        Additive,
                        "additional_properties_added",
                        item,
                        "a map of unnamed properties",
                        "a pub field on a `#[non_exhaustive]` struct",
                    );
                }
                (Some(_), None) => {
                    out.push(
                        Breaking,
                        "additional_properties_removed",
                        item,
                        "the map of unnamed properties is gone",
                        "code reading it no longer compiles (struct_pub_field_missing)",
                    );
                }
                (Some(x), Some(y)) if x != y => {
                    out.push(
                        Breaking,
                        "additional_properties_retyped",
                        item,
                        format!("`{}` → `{}`", sig::rust_type(x), sig::rust_type(y)),
                        "the map's value type changed",
                    );
                }
                _ => {}
            }
        }
        (
            TypeKind::Enum {
                variants: va,
                unknown: ua,
            },
            TypeKind::Enum {
                variants: vb,
                unknown: ub,
            },
        ) => {
            if ua != ub {
                out.push(
                    Breaking,
                    "enum_variant_renamed",
                    format!("{item}::{ua}"),
                    format!("catch-all variant now `{ub}`"),
                    "matches on the old name no longer compile (enum_variant_missing)",
                );
            }
            let request = new.request_types.contains(&b.name);
            super::variants::enums(item, request, va, vb, out);
        }
        (
            TypeKind::Union {
                variants: va,
                discriminator: da,
            },
            TypeKind::Union {
                variants: vb,
                discriminator: db,
            },
        ) if da.is_some() == db.is_some() => {
            super::variants::unions(item, db.is_some(), va, vb, out);
            if da != db {
                out.push(
                    Patch,
                    "discriminator_changed",
                    item,
                    format!(
                        "tag `{}` → `{}`",
                        da.as_ref().map_or("", |d| d.property.as_str()),
                        db.as_ref().map_or("", |d| d.property.as_str())
                    ),
                    "same variants; values are told apart by another property",
                )
                .wire(Wire::BreaksOldClients);
            }
        }
        (TypeKind::Alias { target: x }, TypeKind::Alias { target: y }) => {
            if x != y {
                out.push(
                    Breaking,
                    "alias_retyped",
                    item,
                    format!("`{}` → `{}`", sig::rust_type(x), sig::rust_type(y)),
                    "the alias names another type",
                );
            }
        }
        _ => {
            out.push(
                Breaking,
                "type_kind_changed",
                item,
                format!("{} → {}", sig::kind_name(a), sig::kind_name(b)),
                "every use of the type changes",
            );
        }
    }
}

/// `validate_at` exists only on request types that carry a constraint.
fn validate_at(item: &str, now: bool, out: &mut Out) {
    if now {
        out.push(
            Additive,
            "validate_added",
            format!("{item}::validate_at"),
            "the type now carries a constraint",
            "a new method",
        );
    } else {
        out.push(
            Breaking,
            "validate_removed",
            format!("{item}::validate_at"),
            "the type no longer carries a constraint",
            "direct callers no longer compile (inherent_method_missing)",
        );
    }
}

/// The features a type compiles under.
fn gate(old: &Model, new: &Model, a: &TypeDef, b: &TypeDef, out: &mut Out) {
    let (ga, gb) = (sig::type_gate(old, &a.name), sig::type_gate(new, &b.name));
    if ga == gb {
        return;
    }
    let wider = match (&ga, &gb) {
        (_, None) => true,
        (None, Some(_)) => false,
        // An empty list means "every group": the narrowest gate.
        (Some(x), Some(y)) if x.is_empty() => !y.is_empty() || x == y,
        (Some(_), Some(y)) if y.is_empty() => false,
        (Some(x), Some(y)) => x.iter().all(|f| y.contains(f)),
    };
    let detail = format!(
        "compiled with {} → {}",
        sig::gate_text(&ga),
        sig::gate_text(&gb)
    );
    if wider {
        out.push(
            Additive,
            "type_features_widened",
            &b.name,
            detail,
            "available in more feature combinations",
        );
    } else {
        out.push(
            Breaking,
            "type_features_narrowed",
            &b.name,
            detail,
            "builds with fewer group features lose the type (feature-gated item)",
        );
    }
}

/// `(old, new)` pairs.
type Pair<T> = (T, T);

fn structs(
    item: &str,
    request: Pair<bool>,
    members: Pair<Option<&Members>>,
    (fa, fb): Pair<&Vec<Field>>,
    out: &mut Out,
) {
    // Response types get `new` only with the `mock` feature (to build mocked answers).
    let mock = if request.1 { "" } else { " (feature `mock`)" };
    match request {
        (false, true) => {
            out.push(
                Additive,
                "builder_added",
                item,
                "`new` and setters without the `mock` feature (now sent in a request)",
                "new methods; nothing existing changes",
            );
        }
        (true, false) => {
            out.push(
                Breaking,
                "builder_removed",
                item,
                "`new` and setters only with the `mock` feature (no longer sent)",
                "callers of the setters no longer compile (inherent_method_missing)",
            );
        }
        _ => {}
    }
    new_signature(item, mock, fa, fb, out);
    let by_name = |fs: &Vec<Field>| -> BTreeMap<String, Field> {
        fs.iter().map(|f| (f.rust.clone(), f.clone())).collect()
    };
    let (ma, mb) = (by_name(fa), by_name(fb));
    for (name, f) in &ma {
        let fitem = format!("{item}.{name}");
        let Some(g) = mb.get(name) else {
            out.push(
                Breaking,
                "field_removed",
                fitem,
                format!("{} `{}` removed", sig::presence_text(f), sig::field_type(f)),
                "code reading the field (or calling its setter) no longer compiles (struct_pub_field_missing)",
            );
            continue;
        };
        field(item, request.1, f, g, out);
        if request.0 && request.1 && sig::may_be_absent(f) && sig::may_be_absent(g) {
            let old_setter = members.0.map_or(name.as_str(), |m| m.setter(name));
            let new_setter = members.1.map_or(name.as_str(), |m| m.setter(name));
            if old_setter != new_setter {
                out.push(
                    Breaking,
                    "setter_renamed",
                    format!("{item}::{old_setter}"),
                    format!("now `{new_setter}`"),
                    "callers of the old setter no longer compile (inherent_method_missing)",
                );
            }
        }
    }
    for (name, g) in &mb {
        if ma.contains_key(name) {
            continue;
        }
        let fitem = format!("{item}.{name}");
        let detail = format!("{} `{}`", sig::presence_text(g), sig::field_type(g));
        if sig::is_required(g) {
            let e = out.push(
                Breaking,
                "field_added_required",
                fitem,
                detail,
                format!("`new`{mock} takes it: old calls no longer compile"),
            );
            if request.1 {
                e.wire(Wire::BreaksOldClients);
                e.why.push_str("; old clients do not send it");
            }
        } else {
            let why = if request.1 {
                "a pub field and setter on a `#[non_exhaustive]` struct"
            } else {
                "a pub field on a `#[non_exhaustive]` struct"
            };
            out.push(Additive, "field_added", fitem, detail, why);
        }
    }
}

/// `new` takes the required fields in order (the `Builder` derive); with none, `Default`.
fn new_signature(item: &str, mock: &str, fa: &[Field], fb: &[Field], out: &mut Out) {
    let required = |fs: &[Field]| -> Vec<(String, String)> {
        fs.iter()
            .filter(|f| sig::is_required(f))
            .map(|f| (f.rust.clone(), sig::field_type(f)))
            .collect()
    };
    let (ra, rb) = (required(fa), required(fb));
    if ra == rb {
        return;
    }
    let text = |r: &[(String, String)]| {
        let inner: Vec<String> = r.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        format!("new({})", inner.join(", "))
    };
    let detail = format!("`{}` → `{}`", text(&ra), text(&rb));
    let (mut sa, mut sb) = (ra.clone(), rb.clone());
    sa.sort();
    sb.sort();
    let why = if sa == sb {
        let ta: Vec<&String> = ra.iter().map(|(_, t)| t).collect();
        let tb: Vec<&String> = rb.iter().map(|(_, t)| t).collect();
        if ta == tb {
            format!(
                "`new`{mock} takes same-typed arguments in a new order: old calls compile and fill the wrong fields"
            )
        } else {
            format!("`new`{mock} takes its arguments in a new order: old calls no longer compile")
        }
    } else if ra.len() != rb.len() {
        format!("`new`{mock} takes another number of arguments (method_parameter_count_changed)")
    } else {
        format!("`new`{mock} takes other arguments: old calls no longer compile")
    };
    let kind = if sa == sb {
        "new_arguments_reordered"
    } else {
        "new_changed"
    };
    out.push(Breaking, kind, format!("{item}::new"), detail, why);
    if ra.is_empty() != rb.is_empty() {
        if ra.is_empty() {
            out.push(
                Breaking,
                "default_removed",
                item,
                "`Default` no longer derived (a field became required)",
                "`T::default()` no longer compiles (derive_trait_impl_removed)",
            );
        } else {
            out.push(
                Additive,
                "default_added",
                item,
                "`Default` derived (nothing is required)",
                "a new trait impl",
            );
        }
    }
}

fn field(item: &str, request: bool, f: &Field, g: &Field, out: &mut Out) {
    let fitem = format!("{item}.{}", g.rust);
    let (tf, tg) = (sig::field_type(f), sig::field_type(g));
    if f.ty == g.ty && f.presence != g.presence {
        // A request may now omit/null less (old clients send what they did); a response
        // may now omit/null more (old clients reject what they did not expect).
        let narrower = if request {
            (sig::may_be_absent(f) && !sig::may_be_absent(g))
                || (sig::may_be_null(f) && !sig::may_be_null(g))
        } else {
            (!sig::may_be_absent(f) && sig::may_be_absent(g))
                || (!sig::may_be_null(f) && sig::may_be_null(g))
        };
        let why = if request {
            "the field's type (and `new` or its setter) changes"
        } else {
            "the field's type changes"
        };
        out.push(
            Breaking,
            "field_presence_changed",
            &fitem,
            format!(
                "{} `{tf}` → {} `{tg}`",
                sig::presence_text(f),
                sig::presence_text(g)
            ),
            if narrower {
                format!("{why}; old clients may send or expect what the API no longer does")
            } else {
                why.to_owned()
            },
        )
        .wire(if narrower {
            Wire::BreaksOldClients
        } else {
            Wire::Compatible
        });
    } else if tf != tg {
        let both_named = matches!(
            (&f.ty, &g.ty),
            (
                crate::model::TypeRef::Named(_),
                crate::model::TypeRef::Named(_)
            )
        );
        // Free-form JSON read anything, so old clients still read the new shape.
        let was_any = f.ty == crate::model::TypeRef::Json;
        out.push(
            Breaking,
            "field_retyped",
            &fitem,
            format!("`{tf}` → `{tg}`"),
            "code using the field as the old type no longer compiles",
        )
        .wire(if both_named {
            Wire::Unchanged
        } else if was_any {
            Wire::Compatible
        } else {
            Wire::BreaksOldClients
        });
    }
    if f.wire != g.wire {
        out.push(
            Patch,
            "wire_name_changed",
            &fitem,
            format!("JSON key `{}` → `{}`", f.wire, g.wire),
            "same Rust field; old clients use a key the API no longer reads or writes",
        )
        .wire(Wire::BreaksOldClients);
    }
    if f.deprecated != g.deprecated {
        deprecation(&fitem, g.deprecated, out);
    }
    // Constraints are checked only on what users send.
    if request {
        constraints(&fitem, &f.constraints, &g.constraints, out);
    }
}
