//! Schema `$ref`s to places other than a component's root (`#/components/schemas/Pet/
//! properties/owner`, `#/paths/~1pets/get/…/schema`): the model names types after
//! components, so each such target is copied into `components/schemas` under a
//! deterministic name and the references are retargeted. A copy is the same schema, so
//! nothing is widened and no warning is needed.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::schema_sites::{pointer_mut, schema_sites};
use crate::error::escape_token;

/// Tokens that name a place in the document, not a schema; left out of copied names.
const PLACES: &[&str] = &[
    "components",
    "schemas",
    "properties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "additionalProperties",
    "paths",
    "content",
    "schema",
    "responses",
    "requestBody",
    "parameters",
    "get",
    "put",
    "post",
    "delete",
    "patch",
    "head",
    "options",
    "trace",
    "$defs",
    "definitions",
];

/// Rounds at most: a copy can hold deep references of its own, copied in the next round.
const MAX_ROUNDS: usize = 8;

/// Copy every deep schema `$ref` target into `components/schemas` and retarget the refs.
pub(super) fn copy_deep_targets(doc: &mut Value) {
    // Decoded target pointer → its component key.
    let mut copies: BTreeMap<String, String> = BTreeMap::new();
    for _ in 0..MAX_ROUNDS {
        let mut found = false;
        let deep = |m: &Map<String, Value>| matches!(m.get("$ref"), Some(Value::String(r)) if deep_target(r).is_some());
        for site in schema_sites(doc, &deep) {
            let Some(Value::Object(map)) = pointer_mut(doc, &site) else {
                continue;
            };
            let Some(Value::String(r)) = map.get("$ref") else {
                continue;
            };
            let Some(target) = deep_target(r) else {
                continue;
            };
            let key = match copies.get(&target) {
                Some(k) => k.clone(),
                None => {
                    let Some(value) = doc.pointer(&target).cloned() else {
                        continue; // unresolved: the walk reports it
                    };
                    let key = insert(doc, &name_for(&target), value);
                    copies.insert(target.clone(), key.clone());
                    key
                }
            };
            if let Some(Value::Object(map)) = pointer_mut(doc, &site) {
                let new = format!("#/components/schemas/{}", escape_token(&key));
                map.insert("$ref".into(), Value::String(new));
                found = true;
            }
        }
        if !found {
            break;
        }
    }
}

/// The decoded JSON pointer of a local ref that is not `#/components/schemas/<name>`.
fn deep_target(r: &str) -> Option<String> {
    // The common case, a component's root, without decoding.
    if r.strip_prefix("#/components/schemas/")
        .is_some_and(|rest| !rest.contains(['/', '%']))
    {
        return None;
    }
    let decoded = super::ctx::percent_decode(r.strip_prefix('#')?)?;
    if !decoded.starts_with('/') {
        return None;
    }
    match decoded.strip_prefix("/components/schemas/") {
        Some(rest) if !rest.contains('/') => None,
        _ => Some(decoded),
    }
}

/// `Pet_owner` for `/components/schemas/Pet/properties/owner`.
fn name_for(pointer: &str) -> String {
    let parts: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .filter(|t| !PLACES.contains(&t.as_str()) && !t.is_empty())
        .map(|t| {
            t.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect::<String>()
                .trim_matches('_')
                .to_owned()
        })
        .filter(|t| !t.is_empty())
        .collect();
    if parts.is_empty() {
        "Schema".to_owned()
    } else {
        parts.join("_")
    }
}

/// Insert `value` under `want` (or `want_2`, …) in `components/schemas`; the key used.
fn insert(doc: &mut Value, want: &str, value: Value) -> String {
    let Some(root) = doc.as_object_mut() else {
        return want.to_owned();
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(components) = components.as_object_mut() else {
        return want.to_owned();
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(schemas) = schemas.as_object_mut() else {
        return want.to_owned();
    };
    let mut key = want.to_owned();
    let mut n = 2;
    while schemas.contains_key(&key) {
        key = format!("{want}_{n}");
        n += 1;
    }
    schemas.insert(key.clone(), value);
    key
}
