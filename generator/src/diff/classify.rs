//! Operations, their arguments and parameters, groups and features.

use std::collections::{BTreeMap, BTreeSet};

use super::sig::{self, Arg};
use super::{Class, Out, Wire};
use crate::model::{Model, Operation, Param, ParamLocation};

use Class::{Additive, Breaking, Patch};

pub fn groups_and_features(old: &Model, new: &Model, out: &mut Out) {
    for (name, g) in &old.groups {
        match new.groups.get(name) {
            None => {
                out.push(
                    Breaking,
                    "group_removed",
                    format!("client.{}()", g.accessor),
                    format!("group `{name}` removed"),
                    "the accessor and every method on it are gone (inherent_method_missing)",
                );
            }
            Some(n) if n.accessor != g.accessor => {
                out.push(
                    Breaking,
                    "group_renamed",
                    format!("client.{}()", g.accessor),
                    format!("`client.{}()` → `client.{}()`", g.accessor, n.accessor),
                    "callers of the old accessor no longer compile (inherent_method_missing)",
                );
            }
            Some(_) => {}
        }
    }
    for (name, g) in &new.groups {
        if !old.groups.contains_key(name) {
            out.push(
                Additive,
                "group_added",
                format!("client.{}()", g.accessor),
                format!("group `{name}` (feature `{}`)", g.feature),
                "a new accessor and group type; nothing existing changes",
            );
        }
    }
    let old_f: BTreeSet<&String> = old.features.iter().map(|(f, _)| f).collect();
    let new_f: BTreeSet<&String> = new.features.iter().map(|(f, _)| f).collect();
    for f in old_f.difference(&new_f) {
        out.push(
            Breaking,
            "feature_removed",
            format!("feature `{f}`"),
            "cargo feature removed",
            "a dependent that names the feature no longer resolves (feature_missing)",
        );
    }
    for f in new_f.difference(&old_f) {
        out.push(
            Additive,
            "feature_added",
            format!("feature `{f}`"),
            "cargo feature added (on by default)",
            "a new feature is opt-in for builds without default features",
        );
    }
}

fn op_item(model: &Model, op: &Operation) -> String {
    let accessor = model
        .groups
        .get(&op.group)
        .map_or(op.group.as_str(), |g| g.accessor.as_str());
    format!("client.{accessor}().{}", op.method_name)
}

fn endpoint(op: &Operation) -> String {
    format!("{} {}", op.method.as_str(), op.path)
}

pub fn operations(old: &Model, new: &Model, out: &mut Out) {
    let key = |o: &Operation| (o.group.clone(), o.method_name.clone());
    let old_ops: BTreeMap<_, &Operation> = old.operations.iter().map(|o| (key(o), o)).collect();
    let new_ops: BTreeMap<_, &Operation> = new.operations.iter().map(|o| (key(o), o)).collect();
    // The same endpoint under another Rust name is a rename, not a removal and an addition.
    let added_at: BTreeMap<String, &Operation> = new_ops
        .iter()
        .filter(|(k, _)| !old_ops.contains_key(*k))
        .map(|(_, o)| (endpoint(o), *o))
        .collect();
    let mut renamed_to = BTreeSet::new();
    for (k, o) in &old_ops {
        let Some(n) = new_ops.get(k) else {
            match added_at.get(&endpoint(o)) {
                Some(n) => {
                    renamed_to.insert(key(n));
                    out.push(
                        Breaking,
                        "operation_renamed",
                        op_item(old, o),
                        format!("now `{}`", op_item(new, n)),
                        "callers of the old method no longer compile (inherent_method_missing)",
                    );
                    operation(new, o, n, out);
                }
                None => {
                    out.push(
                        Breaking,
                        "operation_removed",
                        op_item(old, o),
                        format!("`{}` removed", endpoint(o)),
                        "callers no longer compile (inherent_method_missing)",
                    );
                }
            }
            continue;
        };
        operation(new, o, n, out);
    }
    for (k, n) in &new_ops {
        if !old_ops.contains_key(k) && !renamed_to.contains(k) {
            out.push(
                Additive,
                "operation_added",
                op_item(new, n),
                format!(
                    "`{}`: `{}{}`",
                    endpoint(n),
                    n.method_name,
                    sig::signature(&sig::arguments(n))
                ),
                "a new method; nothing existing changes",
            );
        }
    }
}

fn operation(new: &Model, o: &Operation, n: &Operation, out: &mut Out) {
    let item = op_item(new, n);
    if endpoint(o) != endpoint(n) {
        out.push(
            Patch,
            "operation_endpoint_changed",
            &item,
            format!("`{}` → `{}`", endpoint(o), endpoint(n)),
            "same signature; old clients call an endpoint the API may no longer serve",
        )
        .wire(Wire::BreaksOldClients);
    }
    if o.auth != n.auth {
        let text = |a: &Option<Vec<crate::model::api::AuthScheme>>| match a {
            None => "the API's".to_owned(),
            Some(list) => format!("{list:?}"),
        };
        out.push(
            Patch,
            "operation_auth_changed",
            &item,
            format!("credentials {} → {}", text(&o.auth), text(&n.auth)),
            "same signature; old clients send the credential where the API may no longer read it",
        )
        .wire(Wire::BreaksOldClients);
    }
    arguments(&item, &sig::arguments(o), &sig::arguments(n), out);
    let (rt_o, rt_n) = (sig::success_type(o), sig::success_type(n));
    if rt_o != rt_n {
        out.push(
            Breaking,
            "return_type_changed",
            &item,
            format!("`{rt_o}` → `{rt_n}`"),
            "code using the result as the old type no longer compiles",
        );
    }
    let (xo, xn) = (sig::extra_methods(o), sig::extra_methods(n));
    let accessor = item.rsplit_once('.').map_or("", |(a, _)| a);
    for m in xo.iter().filter(|m| !xn.contains(m)) {
        out.push(
            Breaking,
            "method_removed",
            format!("{accessor}.{m}"),
            "stream/page method removed",
            "callers no longer compile (inherent_method_missing)",
        );
    }
    for m in xn.iter().filter(|m| !xo.contains(m)) {
        out.push(
            Additive,
            "method_added",
            format!("{accessor}.{m}"),
            "stream/page method added",
            "a new method; nothing existing changes",
        );
    }
    if o.deprecated != n.deprecated {
        deprecation(&item, n.deprecated, out);
    }
    params(&item, o, n, out);
    body(&item, o, n, out);
    if o.retry != n.retry {
        out.push(
            Patch,
            "retry_policy_changed",
            &item,
            format!(
                "{} → {}",
                super::api::retry_text(&o.retry),
                super::api::retry_text(&n.retry)
            ),
            "no signature changes; the default retries of this call do",
        )
        .wire(Wire::Compatible);
    }
    let statuses = sig::statuses;
    if statuses(o) != statuses(n) {
        out.push(
            Patch,
            "responses_changed",
            &item,
            format!(
                "documented statuses [{}] → [{}]",
                statuses(o).join(", "),
                statuses(n).join(", ")
            ),
            "a status decodes differently (typed `Api` error vs `UnexpectedStatus`)",
        )
        .wire(Wire::Compatible);
    }
}

pub(super) fn deprecation(item: &str, now: bool, out: &mut Out) {
    if now {
        out.push(
            Additive,
            "deprecated",
            item,
            "marked `#[deprecated]`",
            "deprecation is a minor change: callers still compile, with a warning",
        );
    } else {
        out.push(
            Patch,
            "undeprecated",
            item,
            "`#[deprecated]` removed",
            "nothing stops compiling",
        );
    }
}

fn arguments(item: &str, o: &[Arg], n: &[Arg], out: &mut Out) {
    if o == n {
        return;
    }
    let detail = format!("`{}` → `{}`", sig::signature(o), sig::signature(n));
    let mut so = o.to_vec();
    let mut sn = n.to_vec();
    so.sort();
    sn.sort();
    if so == sn {
        // Same arguments, new order: positional arguments of one type swap silently.
        let types_o: Vec<&String> = o.iter().map(|(_, t)| t).collect();
        let types_n: Vec<&String> = n.iter().map(|(_, t)| t).collect();
        let why = if types_o == types_n {
            "same types in a new order: old calls still compile and pass values to the wrong parameters"
        } else {
            "arguments in a new order: old calls no longer compile"
        };
        out.push(Breaking, "arguments_reordered", item, detail, why);
        return;
    }
    let why = if o.len() != n.len() {
        "the argument count changed: old calls no longer compile (method_parameter_count_changed)"
    } else {
        "an argument changed type or meaning: old calls no longer compile or pass the wrong value"
    };
    out.push(Breaking, "arguments_changed", item, detail, why);
}

/// Every parameter, required or not, by Rust name: the wire-level facts no signature shows,
/// and the optional ones' setters on the parameters struct.
fn params(item: &str, o: &Operation, n: &Operation, out: &mut Out) {
    let by_name = |op: &Operation| -> BTreeMap<String, Param> {
        op.params
            .iter()
            .map(|p| (p.rust.clone(), p.clone()))
            .collect()
    };
    let (po, pn) = (by_name(o), by_name(n));
    let holder = n.params_type.as_deref().unwrap_or("params");
    for (name, p) in &po {
        let Some(q) = pn.get(name) else {
            if !p.required {
                out.push(
                    Breaking,
                    "param_removed",
                    format!("{holder}.{name}"),
                    format!(
                        "optional {} parameter `{}` removed",
                        sig::location(p),
                        p.wire
                    ),
                    "its field and setter are gone (struct_pub_field_missing)",
                );
            }
            continue;
        };
        let pitem = format!("{item}: parameter `{name}`");
        if p.required && q.required && p.ty != q.ty && q.location == ParamLocation::Path {
            // Path ids take anything `Display`: no signature shows the new type.
            out.push(
                Patch,
                "path_param_retyped",
                format!("{item}: parameter `{name}`"),
                format!("`{}` → `{}`", sig::rust_type(&p.ty), sig::rust_type(&q.ty)),
                "the argument is `impl Display` either way; the API expects another format",
            )
            .wire(Wire::Compatible);
        }
        if !p.required && !q.required && p.ty != q.ty {
            out.push(
                Breaking,
                "param_retyped",
                format!("{holder}.{name}"),
                format!(
                    "`Option<{}>` → `Option<{}>`",
                    sig::rust_type(&p.ty),
                    sig::rust_type(&q.ty)
                ),
                "the field and setter take another type",
            );
        }
        if !p.required && q.required {
            out.push(
                Breaking,
                "param_now_required",
                &pitem,
                "optional → required (a positional argument)",
                "the setter is gone and the method takes a new argument; old clients omitting it are rejected",
            )
            .wire(Wire::BreaksOldClients);
        } else if p.required && !q.required {
            out.push(
                Breaking,
                "param_now_optional",
                &pitem,
                "required → optional (a setter on the parameters struct)",
                "the method loses an argument; old clients, which always send it, still work",
            )
            .wire(Wire::Compatible);
        }
        if p.wire != q.wire || p.location != q.location {
            out.push(
                Patch,
                "param_wire_changed",
                &pitem,
                format!(
                    "{} `{}` → {} `{}`",
                    sig::location(p),
                    p.wire,
                    sig::location(q),
                    q.wire
                ),
                "same Rust name; old clients send it where the API no longer reads it",
            )
            .wire(Wire::BreaksOldClients);
        }
        if !p.required && !q.required && p.setter != q.setter {
            out.push(
                Breaking,
                "setter_renamed",
                format!("{holder}.{name}"),
                format!(
                    "setter `{}` → `{}`",
                    p.setter.as_deref().unwrap_or(name),
                    q.setter.as_deref().unwrap_or(name)
                ),
                "callers of the old setter no longer compile (inherent_method_missing)",
            );
        }
        if p.serialization != q.serialization {
            out.push(
                Patch,
                "param_style_changed",
                &pitem,
                format!("{:?} → {:?}", p.serialization, q.serialization),
                "the same value is written in another form (style, explode, allowReserved or \
                 media type); no signature changes",
            )
            .wire(Wire::BreaksOldClients);
        }
        let (d_o, d_n) = (sig::default_text(p), sig::default_text(q));
        if d_o != d_n {
            out.push(
                Patch,
                "default_changed",
                &pitem,
                format!(
                    "server default {} → {}",
                    d_o.as_deref().unwrap_or("none"),
                    d_n.as_deref().unwrap_or("none")
                ),
                "no signature changes; calls that omit it get another behaviour",
            )
            .wire(Wire::Compatible);
        }
        constraints(&pitem, &p.constraints, &q.constraints, out);
    }
    for (name, q) in &pn {
        if po.contains_key(name) || q.required {
            // A new required parameter shows as a new argument.
            if !po.contains_key(name) {
                out.push(
                    Breaking,
                    "param_added_required",
                    format!("{item}: parameter `{name}`"),
                    format!("required {} parameter `{}`", sig::location(q), q.wire),
                    "a new positional argument; old clients do not send it and are rejected",
                )
                .wire(Wire::BreaksOldClients);
            }
            continue;
        }
        out.push(
            Additive,
            "param_added",
            format!("{holder}.{name}"),
            format!("optional {} parameter `{}`", sig::location(q), q.wire),
            "a new field and setter on a `#[non_exhaustive]` struct with `Default`",
        );
    }
}

pub(super) fn constraints(
    item: &str,
    a: &crate::model::Constraints,
    b: &crate::model::Constraints,
    out: &mut Out,
) {
    for bound in sig::constraint_changes(a, b) {
        let detail = format!(
            "{} {} → {}",
            bound.name,
            bound.old.as_deref().unwrap_or("none"),
            bound.new.as_deref().unwrap_or("none")
        );
        if bound.tightened {
            out.push(
                Patch,
                "constraint_tightened",
                item,
                detail,
                "no signature changes; `validate` rejects more, and old clients may send values the API now rejects",
            )
            .wire(Wire::BreaksOldClients);
        } else {
            out.push(
                Patch,
                "constraint_loosened",
                item,
                detail,
                "no signature changes; old clients reject before sending some values the API now accepts",
            )
            .wire(Wire::Compatible);
        }
    }
}

fn body(item: &str, o: &Operation, n: &Operation, out: &mut Out) {
    let (Some(a), Some(b)) = (&o.body, &n.body) else {
        // Added or removed bodies show as changed arguments.
        return;
    };
    if a.content_type != b.content_type {
        out.push(
            Patch,
            "body_encoding_changed",
            item,
            format!("`{}` → `{}`", a.content_type, b.content_type),
            "same signature; old clients send an encoding the API may not read",
        )
        .wire(Wire::BreaksOldClients);
    }
    if !a.required && b.required {
        out.push(
            Breaking,
            "body_now_required",
            item,
            "optional → required body",
            "the argument is no longer an `Option`; old clients that send none are rejected",
        )
        .wire(Wire::BreaksOldClients);
    }
}
