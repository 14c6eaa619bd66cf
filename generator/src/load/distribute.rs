//! A `oneOf`/`anyOf` inside an `allOf`, next to other members (or to the schema's own
//! properties): `allOf: [U, X…]` with `U = oneOf: [A, B]` means "one of `A and X…`, `B and
//! X…`", so it is rewritten to `oneOf: [{allOf: [X…, A]}, {allOf: [X…, B]}]`. Each
//! alternative is then an ordinary struct merge, and the union serialises every field it
//! holds: the output is faithful, where one struct could not be. Runs on a schema before
//! its children are normalised (the copies are normalised where they land).

use serde_json::{Map, Value, json};

use super::ctx::{Ctx, resolve};
use crate::WarningKind;
use crate::error::Pointer;

/// Keys that describe the whole value and stay on the rewritten schema.
const KEEP: &[&str] = &[
    "description",
    "title",
    "nullable",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "example",
    "examples",
    "default",
    "$id",
    "$schema",
    "$comment",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
];

/// Alternatives a distribution may create at most (unions multiply); past it the schema
/// widens to any JSON value with a warning.
const MAX_ALTERNATIVES: usize = 64;

/// A union member of an `allOf`: its index, `oneOf`/`anyOf`, the alternatives, and the
/// member's other keys.
type Union = (usize, &'static str, Vec<Value>, Map<String, Value>);

/// Rewrite `map` (a schema with `allOf`) if one member is a union; see the module docs.
/// Returns the `$ref` of the union it distributed, if that union was one: its copies are
/// walked next, and must not distribute it again (see [`Ctx::distributing`]).
pub(super) fn distribute(
    map: &mut Map<String, Value>,
    at: &Pointer,
    cx: &mut Ctx,
) -> Option<String> {
    let Some(Value::Array(members)) = map.get("allOf") else {
        return None;
    };
    let unions: Vec<Union> = members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let m = follow(cx.original, m)?;
            ["oneOf", "anyOf"].into_iter().find_map(|key| {
                let list = m.get(key)?.as_array()?;
                let alternatives = list.iter().filter(|a| !is_null(a)).count();
                (alternatives >= 2).then(|| {
                    let mut rest = m.as_object().cloned().unwrap_or_default();
                    rest.shift_remove(key);
                    (i, key, list.clone(), rest)
                })
            })
        })
        .collect();
    let (index, key, alternatives, mut rest) = unions.first().cloned()?;
    // A union that contains itself (`Node = oneOf: [{properties: {parent: {allOf: [Node,
    // …]}}}, …]`) would be copied into its own copies without end: it stays a `$ref`
    // (the model boxes the recursion) and the members beside it are not distributed.
    if let Some(r) = members[index].get("$ref").and_then(Value::as_str)
        && (cx.distributing.iter().any(|d| d == r)
            || alternatives.iter().any(|a| refers_to(a, r, 0)))
    {
        cx.warn(
            WarningKind::ValidationNotEnforced,
            &at.push("allOf"),
            format!(
                "the other allOf members are not applied to each alternative of the union \
                 `{r}`, which contains itself; read as `{r}`"
            ),
        );
        return None;
    }
    let own: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| *k != "allOf" && !KEEP.contains(&k.as_str()) && !k.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let others_meaningful = members
        .iter()
        .enumerate()
        .any(|(i, m)| i != index && !trivial(m));
    if !others_meaningful && trivial(&Value::Object(own.clone())) {
        // `allOf: [U, {description}]` is just U (annotated); the model reads it as such
        // and keeps U's discriminator.
        return None;
    }
    let product: usize = unions
        .iter()
        .map(|(_, _, list, _)| list.len())
        .fold(1, usize::saturating_mul);
    if product > MAX_ALTERNATIVES {
        map.retain(|k, _| KEEP.contains(&k.as_str()) || k.starts_with("x-"));
        cx.warn(
            WarningKind::TypeWidened,
            &at.push("allOf"),
            format!(
                "unions inside this allOf combine into {product} alternatives (more than \
                 {MAX_ALTERNATIVES}); the value is any JSON"
            ),
        );
        return None;
    }
    let others: Vec<Value> = members
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, m)| m.clone())
        .collect();
    if let Some(d) = rest.shift_remove("discriminator") {
        let name = d.get("propertyName").and_then(Value::as_str).unwrap_or("?");
        cx.warn(
            WarningKind::DiscriminatorDropped,
            &at.push("allOf").push(index.to_string()),
            format!(
                "the discriminator `{name}` of a union merged with other allOf members is not \
                 kept: alternatives are matched by shape"
            ),
        );
    }
    let rest_meaningful = rest.keys().any(|k| !KEEP.contains(&k.as_str()));
    let list: Vec<Value> = alternatives
        .into_iter()
        .map(|alt| {
            if is_null(&alt) {
                return alt;
            }
            let mut parts = others.clone();
            if !own.is_empty() {
                parts.push(Value::Object(own.clone()));
            }
            if rest_meaningful {
                parts.push(Value::Object(rest.clone()));
            }
            parts.push(alt);
            json!({ "allOf": parts })
        })
        .collect();
    let union_ref = members[index]
        .get("$ref")
        .and_then(Value::as_str)
        .map(str::to_owned);
    map.retain(|k, _| KEEP.contains(&k.as_str()) || k.starts_with("x-"));
    map.insert(key.to_owned(), Value::Array(list));
    union_ref
}

/// A member that constrains nothing a type could show: only annotations, `type: object`,
/// `additionalProperties: true`, empty `properties`/`required`.
fn trivial(v: &Value) -> bool {
    let Some(map) = v.as_object() else {
        return false;
    };
    map.iter().all(|(k, v)| {
        KEEP.contains(&k.as_str())
            || k.starts_with("x-")
            || match k.as_str() {
                "type" => v == "object",
                "additionalProperties" => *v == Value::Bool(true),
                "properties" => v.as_object().is_some_and(Map::is_empty),
                "required" => v.as_array().is_some_and(Vec::is_empty),
                _ => false,
            }
    })
}

/// `{type: 'null'}` (or `type: ['null']`, `enum: [null]`, `const: null`): folded into
/// `nullable` later, so it stays a bare alternative.
fn is_null(v: &Value) -> bool {
    match v.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().all(|t| t == "null"),
        _ => {
            v.get("const").is_some_and(Value::is_null)
                || v.get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.iter().all(Value::is_null) && !e.is_empty())
        }
    }
}

/// The schema `m` is, following local `$ref`s in the original document.
fn follow<'v>(doc: &'v Value, m: &'v Value) -> Option<&'v Value> {
    let mut current = m;
    for _ in 0..16 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(r) => current = resolve(doc, r).ok()?,
            None => return current.as_object().map(|_| current),
        }
    }
    None
}

/// True if `v` holds a `$ref` to `target` (inline, not through other references).
fn refers_to(v: &Value, target: &str, depth: usize) -> bool {
    // Bounded: the document's nesting is (serde's recursion limits), and so is this walk.
    if depth > 256 {
        return false;
    }
    match v {
        Value::Object(map) => map.iter().any(|(k, v)| {
            (k == "$ref" && v.as_str() == Some(target)) || refers_to(v, target, depth + 1)
        }),
        Value::Array(items) => items.iter().any(|v| refers_to(v, target, depth + 1)),
        _ => false,
    }
}
