//! Before the normalising walk: JSON Schema constructs that move or name schemas.
//!
//! - `$defs` (and draft-07 `definitions`), in a component schema, nested deeper, or at the
//!   document root: every entry is hoisted into `components/schemas` under a deterministic
//!   name (`<Component>_<Def>`, or `<Def>` at the root, suffixed `_2`, `_3`… on collision), and
//!   every `$ref` into it (`#/components/schemas/X/$defs/Y/…`) is rewritten to the new place.
//!   A `#/$defs/Y` (or `#/definitions/Y`) the document root does not hold is read the way
//!   such schemas are written: relative to the component that contains the reference.
//! - `$recursiveRef: "#"` points at the schema resource that contains it: the component (a
//!   hoisted `$defs` entry belongs to the component it came from). `$dynamicRef: "#name"` at
//!   the schema of that component (or of one of its hoisted entries) that declares
//!   `$dynamicAnchor: name`. Where no such schema exists (outside `components/schemas`, or no
//!   anchor), the reference widens to any JSON value, with a warning.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::schema_sites::{Site, get, pointer_mut, sites};
use crate::error::escape_token;
use crate::{Warning, WarningKind};

/// Rewrite `doc` in place; returns the warnings.
pub(super) fn run(doc: &mut Value) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if !doc.is_object() {
        return warnings;
    }
    let owners = hoist(doc);
    // Component key → the `$dynamicAnchor` its root declares.
    let anchors: BTreeMap<String, String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), v.get("$dynamicAnchor")?.as_str()?.to_owned())))
        .collect();
    let scope = Scope {
        owners: &owners,
        anchors: &anchors,
    };
    let dynamic =
        |m: &Map<String, Value>| m.contains_key("$recursiveRef") || m.contains_key("$dynamicRef");
    for site in sites(doc, &dynamic) {
        let Some(Value::Object(map)) = pointer_mut(doc, &site.path) else {
            continue;
        };
        let resource = site
            .component
            .as_ref()
            .map(|c| owners.get(c).cloned().unwrap_or_else(|| c.clone()));
        rewrite_refs(map, &site, resource.as_deref(), &scope, &mut warnings);
    }
    super::deep_refs::copy_deep_targets(doc);
    warnings
}

/// Hoist every `$defs` entry; returns hoisted key → component (resource) it came from, and
/// leaves a map of old pointer → new key in `components/schemas` via the `$ref` rewrite.
fn hoist(doc: &mut Value) -> BTreeMap<String, String> {
    let has_defs =
        |m: &Map<String, Value>| m.contains_key("$defs") || m.contains_key("definitions");
    // (path of the `$defs` map + entry name, owner component)
    let mut found: Vec<(Vec<String>, Option<String>)> = Vec::new();
    for site in &sites(doc, &has_defs) {
        let Some(Value::Object(map)) = get(doc, &site.path) else {
            continue;
        };
        for key in ["$defs", "definitions"] {
            if let Some(Value::Object(defs)) = map.get(key) {
                for name in defs.keys() {
                    let mut p = site.path.clone();
                    p.extend([key.to_owned(), name.clone()]);
                    found.push((p, site.component.clone()));
                }
            }
        }
    }
    // The document root's own `$defs` / `definitions` (Swagger habit).
    for key in ["$defs", "definitions"] {
        if let Some(Value::Object(defs)) = doc.get(key) {
            for name in defs.keys() {
                found.push((vec![key.to_owned(), name.clone()], None));
            }
        }
    }
    if found.is_empty() {
        return BTreeMap::new();
    }
    let mut taken: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut moves: Vec<(Vec<String>, String)> = Vec::new();
    let mut owners = BTreeMap::new();
    for (path, owner) in &found {
        let def = path.last().expect("entry name");
        let want = match owner {
            Some(o) => format!("{o}_{def}"),
            None => def.clone(),
        };
        let mut key = want.clone();
        let mut n = 2;
        while taken.contains(&key) {
            key = format!("{want}_{n}");
            n += 1;
        }
        taken.push(key.clone());
        // A hoisted entry belongs to the resource of the component it was written in.
        if let Some(o) = owner {
            let root = owners.get(o).cloned().unwrap_or_else(|| o.clone());
            owners.insert(key.clone(), root);
        }
        moves.push((path.clone(), key));
    }
    // Take the values out deepest first (an entry's own `$defs` leave it before it moves).
    let mut order: Vec<usize> = (0..moves.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(moves[i].0.len()));
    let mut values: Vec<Option<Value>> = vec![None; moves.len()];
    for i in order {
        let (path, _) = &moves[i];
        let (parent, name) = path.split_at(path.len() - 1);
        if let Some(Value::Object(defs)) = pointer_mut(doc, parent) {
            values[i] = defs.shift_remove(&name[0]);
        }
    }
    // Empty `$defs` maps left behind say nothing; remove them.
    for (path, _) in &moves {
        let (holder, key) = path.split_at(path.len() - 2);
        if let Some(Value::Object(m)) = pointer_mut(doc, holder) {
            if m.get(&key[0])
                .is_some_and(|d| d.as_object().is_some_and(Map::is_empty))
            {
                m.shift_remove(&key[0]);
            }
        }
    }
    let Some(root) = doc.as_object_mut() else {
        return owners;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(c) = components.as_object_mut() {
        let schemas = c
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(s) = schemas.as_object_mut() {
            for ((_, key), value) in moves.iter().zip(values) {
                if let Some(v) = value {
                    s.insert(key.clone(), v);
                }
            }
        }
    }
    // Every `$ref` into a moved entry now points at its new place.
    let table: Vec<(String, String)> = moves
        .iter()
        .map(|(path, key)| {
            (
                to_pointer(path),
                format!("/components/schemas/{}", escape_token(key)),
            )
        })
        .collect();
    for site in sites(doc, &|m| m.contains_key("$ref")) {
        let Some(Value::Object(map)) = pointer_mut(doc, &site.path) else {
            continue;
        };
        let Some(Value::String(r)) = map.get("$ref") else {
            continue;
        };
        if let Some(new) = retarget(r, &table, site.component.as_deref(), &owners) {
            map.insert("$ref".into(), Value::String(new));
        }
    }
    owners
}

/// The new text of `$ref` `r` if it points into a hoisted entry.
fn retarget(
    r: &str,
    table: &[(String, String)],
    component: Option<&str>,
    owners: &BTreeMap<String, String>,
) -> Option<String> {
    let fragment = r.strip_prefix('#')?;
    let decoded = super::ctx::percent_decode(fragment)?;
    let rewrite = |ptr: &str| {
        table.iter().find_map(|(old, new)| {
            let rest = ptr.strip_prefix(old.as_str())?;
            (rest.is_empty() || rest.starts_with('/')).then(|| format!("#{new}{rest}"))
        })
    };
    if let Some(new) = rewrite(&decoded) {
        return Some(new);
    }
    // `#/$defs/Y` the root does not hold: relative to the containing component's resource.
    if decoded.starts_with("/$defs/") || decoded.starts_with("/definitions/") {
        let c = component?;
        let resource = owners.get(c).map_or(c, String::as_str);
        let within = format!("/components/schemas/{}{decoded}", escape_token(resource));
        return rewrite(&within);
    }
    None
}

/// Settle `$recursiveRef` / `$dynamicRef` in one schema object.
fn rewrite_refs(
    map: &mut Map<String, Value>,
    site: &Site,
    resource: Option<&str>,
    scope: &Scope,
    warnings: &mut Vec<Warning>,
) {
    for key in ["$recursiveRef", "$dynamicRef"] {
        let Some(value) = map.get(key).cloned() else {
            continue;
        };
        let at = format!("{}/{}", to_pointer_hash(&site.path), escape_token(key));
        let target = match value.as_str() {
            Some(r) if r.starts_with("#/") => Some(r.to_owned()),
            Some("#") if key == "$recursiveRef" => {
                resource.map(|c| format!("#/components/schemas/{}", escape_token(c)))
            }
            Some(r) if key == "$dynamicRef" => r
                .strip_prefix('#')
                .and_then(|anchor| anchor_target(anchor, resource, scope))
                .map(|c| format!("#/components/schemas/{}", escape_token(&c))),
            _ => None,
        };
        map.shift_remove(key);
        match target {
            Some(t) if !map.contains_key("$ref") => {
                map.insert("$ref".into(), Value::String(t));
            }
            _ => warnings.push(Warning::new(
                WarningKind::TypeWidened,
                at,
                format!(
                    "`{key}` {value} does not resolve to a schema of this document (no enclosing \
                     component schema declares its anchor); the value is any JSON"
                ),
            )),
        }
    }
}

/// What dynamic references resolve against.
struct Scope<'a> {
    /// Hoisted `$defs` entry → the component (schema resource) it came from.
    owners: &'a BTreeMap<String, String>,
    /// Component key → the `$dynamicAnchor` its root declares.
    anchors: &'a BTreeMap<String, String>,
}

/// The component (or hoisted entry) of `resource` whose root declares `$dynamicAnchor`.
fn anchor_target(anchor: &str, resource: Option<&str>, scope: &Scope) -> Option<String> {
    let (resource, owners, anchors) = (resource?, scope.owners, scope.anchors);
    // The resource itself first, then its hoisted entries in name order.
    std::iter::once(resource.to_owned())
        .chain(
            owners
                .iter()
                .filter(|(_, o)| o.as_str() == resource)
                .map(|(k, _)| k.clone()),
        )
        .find(|k| anchors.get(k).is_some_and(|a| a == anchor))
}

/// `/a/b~1c` (RFC 6901, no `#`).
fn to_pointer(path: &[String]) -> String {
    path.iter()
        .map(|t| format!("/{}", escape_token(t)))
        .collect()
}

fn to_pointer_hash(path: &[String]) -> String {
    format!("#{}", to_pointer(path))
}
