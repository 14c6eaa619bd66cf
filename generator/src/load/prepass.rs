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

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::escape_token;
use crate::{Warning, WarningKind};

/// Keywords whose value is one schema.
const ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
    "contentSchema",
];
/// Keywords whose value is a list of schemas.
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];
/// Keywords whose value maps names to schemas.
const MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
];

/// One schema object met by [`visit`]: its path and the component whose resource it is in.
struct Site {
    path: Vec<String>,
    component: Option<String>,
}

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
    let decoded = super::document::percent_decode(fragment)?;
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

/// Which schema objects [`visit`] collects (most walks need only those with some key).
type Keep<'k> = &'k dyn Fn(&Map<String, Value>) -> bool;

/// The schema objects of `doc` that `keep` accepts, in document order.
fn sites(doc: &Value, keep: Keep) -> Vec<Site> {
    let mut out = Vec::new();
    visit(doc, &mut Vec::new(), None, false, keep, &mut out);
    out
}

/// Collect every schema object reachable in `value` (at `path`) that `keep` accepts.
/// `in_schema` says whether `value` is itself a schema; outside schemas, any `schema` key and
/// every entry of `components/schemas` starts one. Examples are data, never walked. The
/// path borrows the document's keys: only the sites kept are copied.
fn visit<'v>(
    value: &'v Value,
    path: &mut Vec<Cow<'v, str>>,
    component: Option<&str>,
    in_schema: bool,
    keep: Keep,
    out: &mut Vec<Site>,
) {
    match value {
        Value::Object(map) if in_schema => {
            if keep(map) {
                out.push(Site {
                    path: path.iter().map(|t| t.to_string()).collect(),
                    component: component.map(str::to_owned),
                });
            }
            for (k, v) in map {
                path.push(Cow::Borrowed(k));
                if ONE.contains(&k.as_str()) && v.is_object() {
                    visit(v, path, component, true, keep, out);
                } else if LIST.contains(&k.as_str()) {
                    visit_list(v, path, component, true, keep, out);
                } else if MAP.contains(&k.as_str()) {
                    visit_map(v, path, component, keep, out);
                }
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                if k.starts_with("x-") || matches!(k.as_str(), "example" | "examples" | "value") {
                    continue;
                }
                path.push(Cow::Borrowed(k));
                let components_schemas =
                    path.len() == 2 && path[0] == "components" && k == "schemas";
                if components_schemas {
                    if let Value::Object(schemas) = v {
                        for (name, s) in schemas {
                            path.push(Cow::Borrowed(name));
                            visit(s, path, Some(name), true, keep, out);
                            path.pop();
                        }
                    }
                } else if k == "schema" {
                    visit(v, path, None, true, keep, out);
                } else if !(path.len() == 1 && matches!(k.as_str(), "$defs" | "definitions")) {
                    visit(v, path, None, false, keep, out);
                } else {
                    visit_map(v, path, None, keep, out);
                }
                path.pop();
            }
        }
        Value::Array(_) if !in_schema => visit_list(value, path, component, false, keep, out),
        _ => {}
    }
}

/// The items of an array, each a schema or not (`in_schema`).
fn visit_list<'v>(
    v: &'v Value,
    path: &mut Vec<Cow<'v, str>>,
    component: Option<&str>,
    in_schema: bool,
    keep: Keep,
    out: &mut Vec<Site>,
) {
    if let Value::Array(items) = v {
        for (i, item) in items.iter().enumerate() {
            path.push(Cow::Owned(i.to_string()));
            visit(item, path, component, in_schema, keep, out);
            path.pop();
        }
    }
}

/// The values of a mapping, each a schema.
fn visit_map<'v>(
    v: &'v Value,
    path: &mut Vec<Cow<'v, str>>,
    component: Option<&str>,
    keep: Keep,
    out: &mut Vec<Site>,
) {
    if let Value::Object(entries) = v {
        for (name, item) in entries {
            path.push(Cow::Borrowed(name));
            visit(item, path, component, true, keep, out);
            path.pop();
        }
    }
}

fn get<'v>(doc: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(doc, |v, t| match v {
        Value::Object(m) => m.get(t),
        Value::Array(a) => a.get(t.parse::<usize>().ok()?),
        _ => None,
    })
}

pub(super) fn pointer_mut<'v>(doc: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(doc, |v, t| match v {
        Value::Object(m) => m.get_mut(t),
        Value::Array(a) => a.get_mut(t.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Paths of the schema objects in `doc` that `keep` accepts.
pub(super) fn schema_sites(doc: &Value, keep: Keep) -> Vec<Vec<String>> {
    sites(doc, keep).into_iter().map(|s| s.path).collect()
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
