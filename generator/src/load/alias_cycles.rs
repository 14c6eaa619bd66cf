//! A schema that contains itself only through arrays, maps or single references
//! (`T: {type: array, items: {$ref: T}}`) would be a Rust type alias of itself
//! (`type T = Vec<T>`), which Rust rejects and the later stages cannot name. Such a cycle is
//! refused here with its place, instead of failing (or recursing without end) downstream.
//! A struct (`properties`), or a union of several alternatives, on the way makes a named
//! type and ends the search: those recursions are fine.

use serde_json::Value;

use crate::Result;
use crate::error::Pointer;

/// Refuse the first alias-only cycle among the component schemas.
pub(super) fn check(doc: &Value) -> Result<()> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    for (key, schema) in schemas {
        let at = Pointer::root().push("components").push("schemas").push(key);
        let mut seen = vec![key.clone()];
        if let Some(place) = find(doc, schema, &at, key, &mut seen, 0) {
            return Err(place.error(format!(
                "schema `{key}` contains itself only through arrays, maps or references, \
                 with no object or union in between: it has no Rust type (a cycle with no \
                 named type)"
            )));
        }
    }
    Ok(())
}

/// Where `schema` (at `at`) leads back to component `target` without passing a named type.
fn find(
    doc: &Value,
    schema: &Value,
    at: &Pointer,
    target: &str,
    seen: &mut Vec<String>,
    depth: usize,
) -> Option<Pointer> {
    let map = schema.as_object()?;
    if depth > 64 || map.contains_key("properties") {
        return None;
    }
    if let Some(r) = map.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/components/schemas/")?;
        if name == target {
            return Some(at.clone());
        }
        if seen.iter().any(|s| s == name) || name.contains('/') {
            return None;
        }
        seen.push(name.to_owned());
        let next = doc.pointer("/components/schemas")?.get(name)?;
        return find(doc, next, at, target, seen, depth + 1);
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = map.get(key).filter(|c| c.is_object()) {
            if let Some(found) = find(doc, child, &at.push(key), target, seen, depth + 1) {
                return Some(found);
            }
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        let Some(list) = map.get(key).and_then(Value::as_array) else {
            continue;
        };
        let members: Vec<(usize, &Value)> = list
            .iter()
            .enumerate()
            .filter(|(_, m)| m.get("type").and_then(Value::as_str) != Some("null"))
            .collect();
        // Several members: a merged struct or a union enum, which is a named type.
        if let [(i, member)] = members[..] {
            let here = at.push(key).push(i.to_string());
            if let Some(found) = find(doc, member, &here, target, seen, depth + 1) {
                return Some(found);
            }
        }
    }
    None
}
