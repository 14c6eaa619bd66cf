//! The schema objects of a document, found by a walk that knows which keywords hold
//! schemas (JSON Schema 2020-12 and OpenAPI), and paths into the document. Shared by the
//! passes before the normalising walk (`prepass.rs`, `deep_refs.rs`); a leaf that uses
//! neither.

use std::borrow::Cow;

use serde_json::{Map, Value};

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
pub(super) struct Site {
    pub path: Vec<String>,
    pub component: Option<String>,
}

/// Which schema objects [`visit`] collects (most walks need only those with some key).
pub(super) type Keep<'k> = &'k dyn Fn(&Map<String, Value>) -> bool;

/// The schema objects of `doc` that `keep` accepts, in document order.
pub(super) fn sites(doc: &Value, keep: Keep) -> Vec<Site> {
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

/// The value at `path` (keys and list indices) in `doc`.
pub(super) fn get<'v>(doc: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(doc, |v, t| match v {
        Value::Object(m) => m.get(t),
        Value::Array(a) => a.get(t.parse::<usize>().ok()?),
        _ => None,
    })
}

/// [`get`], mutable.
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
