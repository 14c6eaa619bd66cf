//! Value-level fuzzing: proptest mutations of valid seed specs, serialised back to JSON or
//! YAML text, aimed at the normalisation in `load` and at `model` and `emit` (see
//! `fuzz/mod.rs` for what every case must satisfy, its bounds and environment).

mod fuzz;

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value, json};

use fuzz::deep::{Deep, deep_text};
use fuzz::mutations::{Mutation, RefTarget, mutation};
use fuzz::seeds::{seed_index, seeds};
use fuzz::{prop_check, run};

/// One node of the document: its JSON pointer and whether it sits where a schema goes.
struct Node {
    pointer: String,
    schema: bool,
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Every node in document order (the root is `""`).
fn nodes(doc: &Value) -> Vec<Node> {
    fn walk(v: &Value, pointer: String, schema: bool, out: &mut Vec<Node>) {
        out.push(Node {
            pointer: pointer.clone(),
            schema,
        });
        match v {
            Value::Object(m) => {
                // Keys whose values are schemas, and keys whose values map names to schemas.
                let parent_key = pointer.rsplit('/').next().unwrap_or("");
                let names_to_schemas = matches!(parent_key, "properties" | "schemas")
                    || (parent_key == "additionalProperties" && !schema);
                for (k, c) in m {
                    let child_schema = names_to_schemas
                        || matches!(
                            k.as_str(),
                            "schema" | "items" | "not" | "additionalProperties"
                        );
                    walk(c, format!("{pointer}/{}", escape(k)), child_schema, out);
                }
            }
            Value::Array(a) => {
                let parent_key = pointer.rsplit('/').next().unwrap_or("");
                let members = matches!(parent_key, "allOf" | "anyOf" | "oneOf" | "prefixItems");
                for (i, c) in a.iter().enumerate() {
                    walk(c, format!("{pointer}/{i}"), members, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, String::new(), false, &mut out);
    out
}

/// Pointers of nodes matching `pred`, falling back to every node.
fn pick(doc: &Value, index: &Index, pred: impl Fn(&Node, &Value) -> bool) -> String {
    let all = nodes(doc);
    let fitting: Vec<&Node> = all
        .iter()
        .filter(|n| doc.pointer(&n.pointer).is_some_and(|v| pred(n, v)))
        .collect();
    if fitting.is_empty() {
        all[index.index(all.len())].pointer.clone()
    } else {
        fitting[index.index(fitting.len())].pointer.clone()
    }
}

fn pick_schema(doc: &Value, index: &Index) -> String {
    pick(doc, index, |n, v| n.schema && v.is_object())
}

fn pick_object(doc: &Value, index: &Index) -> String {
    pick(doc, index, |_, v| v.is_object())
}

/// Names of `components.schemas`.
fn component_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn parent(pointer: &str) -> &str {
    pointer.rsplit_once('/').map_or("", |(p, _)| p)
}

fn ref_value(doc: &Value, at: &str, target: &RefTarget) -> Value {
    match target {
        RefTarget::Node(i) => {
            let all = nodes(doc);
            Value::String(format!("#{}", all[i.index(all.len())].pointer))
        }
        RefTarget::Itself => Value::String(format!("#{at}")),
        RefTarget::Parent => Value::String(format!("#{}", parent(at))),
        RefTarget::Fixed(v) => v.clone(),
    }
}

/// Placeholder replaced by a deep chain after serialisation.
fn deep_marker(n: usize) -> String {
    format!("@@DEEP{n}@@")
}
/// Apply `m` to `doc`; deep chains are recorded in `deep` and spliced in as text later.
fn apply(doc: &mut Value, m: &Mutation, deep: &mut Vec<(Deep, usize)>) {
    match m {
        Mutation::DeleteKey(a, k) => {
            let at = pick_object(doc, a);
            if let Some(Value::Object(map)) = doc.pointer_mut(&at)
                && !map.is_empty()
            {
                let key = map.keys().nth(k.index(map.len())).cloned().unwrap();
                map.shift_remove(&key);
            }
        }
        Mutation::Replace(a, v) => {
            let all = nodes(doc);
            let at = all[a.index(all.len())].pointer.clone();
            if let Some(slot) = doc.pointer_mut(&at) {
                *slot = v.clone();
            }
        }
        Mutation::RenameKey(a, k, to) | Mutation::DuplicateKey(a, k, to) => {
            let rename = matches!(m, Mutation::RenameKey(..));
            let at = pick_object(doc, a);
            if let Some(Value::Object(map)) = doc.pointer_mut(&at)
                && !map.is_empty()
            {
                let key = map.keys().nth(k.index(map.len())).cloned().unwrap();
                let value = map[&key].clone();
                if rename {
                    map.shift_remove(&key);
                }
                map.insert(to.clone(), value);
            }
        }
        Mutation::AddRef(a, t) => {
            let at = pick_object(doc, a);
            let r = ref_value(doc, &at, t);
            if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                map.insert("$ref".into(), r);
            }
        }
        Mutation::ReplaceWithRef(a, t) => {
            let all = nodes(doc);
            let at = all[a.index(all.len())].pointer.clone();
            let r = ref_value(doc, &at, t);
            if let Some(slot) = doc.pointer_mut(&at) {
                *slot = json!({ "$ref": r });
            }
        }
        Mutation::TypeList(a, types) => {
            let at = pick_schema(doc, a);
            if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                let mut list = types.clone();
                if let Some(existing) = map.get("type") {
                    list.insert(0, existing.clone());
                }
                map.insert("type".into(), Value::Array(list));
            }
        }
        Mutation::Const(a, v) => {
            let at = pick_schema(doc, a);
            if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                map.insert("const".into(), v.clone());
            }
        }
        Mutation::Enum(a, values) => {
            let at = pick_schema(doc, a);
            if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                map.insert("enum".into(), Value::Array(values.clone()));
            }
        }
        Mutation::Wrap(a, key, extra) => {
            let at = pick_schema(doc, a);
            if let Some(slot) = doc.pointer_mut(&at) {
                let mut members = vec![slot.take()];
                members.extend(extra.clone());
                *slot = json!({ *key: members });
            }
        }
        Mutation::SelfRef(a, how) => {
            let names = component_names(doc);
            if names.is_empty() {
                return;
            }
            let name = &names[a.index(names.len())];
            let me = json!({ "$ref": format!("#/components/schemas/{}", escape(name)) });
            let at = format!("/components/schemas/{}", escape(name));
            let Some(slot) = doc.pointer_mut(&at) else {
                return;
            };
            let mut obj = match slot.take() {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            match how {
                0 => {
                    *slot = me;
                    return;
                }
                1 => {
                    obj.insert("allOf".into(), json!([me]));
                }
                2 => {
                    obj.insert("anyOf".into(), json!([me, {"type": "string"}]));
                }
                3 => {
                    obj.insert("oneOf".into(), json!([me]));
                }
                4 => {
                    obj.insert("items".into(), me);
                }
                5 => {
                    obj.insert("additionalProperties".into(), me);
                }
                6 => {
                    obj.insert("not".into(), me);
                }
                _ => {
                    let props = obj
                        .entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(props) = props {
                        props.insert("me".into(), me);
                    }
                    if let Some(Value::Array(req)) = obj.get_mut("required") {
                        req.push("me".into());
                    } else {
                        obj.insert("required".into(), json!(["me"]));
                    }
                }
            }
            *slot = Value::Object(obj);
        }
        Mutation::Cycle(a, b, how) => {
            let names = component_names(doc);
            if names.is_empty() {
                return;
            }
            let x = names[a.index(names.len())].clone();
            let y = names[b.index(names.len())].clone();
            for (from, to) in [(&x, &y), (&y, &x)] {
                let r = json!({ "$ref": format!("#/components/schemas/{}", escape(to)) });
                let at = format!("/components/schemas/{}", escape(from));
                let Some(slot) = doc.pointer_mut(&at) else {
                    continue;
                };
                *slot = match how {
                    0 => r,
                    1 => json!({ "allOf": [r] }),
                    2 => {
                        json!({ "allOf": [r, {"type": "object", "properties": {"k": {"type": "string"}}}] })
                    }
                    3 => json!({ "oneOf": [r, {"type": "integer"}] }),
                    4 => json!({ "anyOf": [r, {"type": "null"}] }),
                    _ => {
                        json!({ "type": "object", "required": ["next"], "properties": {"next": r} })
                    }
                };
            }
        }
        Mutation::EmptyString(a) => {
            let at = pick(doc, a, |_, v| v.is_string());
            if let Some(slot @ Value::String(_)) = doc.pointer_mut(&at) {
                *slot = Value::String(String::new());
            }
        }
        Mutation::DeepNest(a, shape, depth) => {
            let at = pick_schema(doc, a);
            if let Some(slot) = doc.pointer_mut(&at) {
                *slot = Value::String(deep_marker(deep.len()));
                deep.push((*shape, *depth));
            }
        }
        Mutation::OddString(a, name) => {
            let at = pick(doc, a, |_, v| v.is_string());
            if let Some(slot @ Value::String(_)) = doc.pointer_mut(&at) {
                *slot = Value::String(name.clone());
            }
        }
        Mutation::OddProperty(a, name, schema) => {
            let at = pick_schema(doc, a);
            if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                let props = map
                    .entry("properties")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(props) = props {
                    props.insert(name.clone(), schema.clone());
                }
            }
        }
        Mutation::OddComponent(name, prop) => {
            if let Some(Value::Object(doc)) = Some(&mut *doc) {
                let comps = doc
                    .entry("components")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(comps) = comps {
                    let schemas = comps
                        .entry("schemas")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(schemas) = schemas {
                        schemas.insert(
                            name.clone(),
                            json!({"type": "object", "required": [prop], "properties": {prop: {"type": "string"}}}),
                        );
                    }
                }
            }
        }
        Mutation::OddOperation(a, id, tag, param) => {
            let methods = [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ];
            let at = pick(doc, a, |n, v| {
                v.is_object()
                    && n.pointer.starts_with("/paths/")
                    && methods.contains(&n.pointer.rsplit('/').next().unwrap_or(""))
            });
            if let Some(Value::Object(op)) = doc.pointer_mut(&at) {
                op.insert("operationId".into(), id.clone().into());
                op.insert("tags".into(), json!([tag]));
                let params = op
                    .entry("parameters")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(params) = params {
                    params
                        .push(json!({"name": param, "in": "query", "schema": {"type": "string"}}));
                }
            }
        }
        Mutation::HugeEnum(a, n, kind) => {
            let at = pick_schema(doc, a);
            if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                let values: Vec<Value> = (0..*n)
                    .map(|i| match kind {
                        0 => Value::String(format!("v{i}")),
                        // Values that collide once turned into Rust names.
                        1 => Value::String(
                            ["a", "A", "a_", "_a", "a-", "a b", "A-", ""][i % 8]
                                .repeat(1 + (i / 8) % 40),
                        ),
                        2 => Value::from(i as i64 - (*n as i64 / 2)),
                        _ => [
                            json!(null),
                            json!(i),
                            json!(format!("{i}")),
                            json!(i % 2 == 0),
                        ][i % 4]
                            .clone(),
                    })
                    .collect();
                map.insert("enum".into(), Value::Array(values));
                if *kind == 0 || *kind == 1 {
                    map.insert("type".into(), "string".into());
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Format {
    Json,
    JsonPretty,
    Yaml,
}

fn serialise(doc: &Value, format: Format, deep: &[(Deep, usize)]) -> String {
    let mut text = match format {
        Format::Json => serde_json::to_string(doc).expect("JSON"),
        Format::JsonPretty => serde_json::to_string_pretty(doc).expect("JSON"),
        Format::Yaml => serde_yaml::to_string(doc).expect("YAML"),
    };
    // The marker is a JSON string or a plain YAML scalar; flow-style JSON is valid YAML in
    // both block and flow context.
    for (i, (shape, depth)) in deep.iter().enumerate() {
        let marker = deep_marker(i);
        let chain = deep_text(*shape, *depth);
        let quoted = format!("\"{marker}\"");
        text = if text.contains(&quoted) {
            text.replacen(&quoted, &chain, 1)
        } else {
            text.replacen(&marker, &chain, 1)
        };
    }
    text
}

#[derive(Debug, Clone)]
struct SpecCase {
    seed: usize,
    mutations: Vec<Mutation>,
    format: Format,
}

fn spec_case() -> impl Strategy<Value = SpecCase> {
    (
        seed_index(),
        prop::collection::vec(mutation(), 1..5),
        prop_oneof![
            Just(Format::Json),
            Just(Format::JsonPretty),
            Just(Format::Yaml)
        ],
    )
        .prop_map(|(seed, mutations, format)| SpecCase {
            seed,
            mutations,
            format,
        })
}

fn render(case: &SpecCase) -> (String, &'static str) {
    let seed = &seeds()[case.seed];
    let mut doc = seed.value.clone();
    let mut deep = Vec::new();
    for m in &case.mutations {
        apply(&mut doc, m, &mut deep);
    }
    let name = match case.format {
        Format::Json | Format::JsonPretty => "fuzz.json",
        Format::Yaml => "fuzz.yaml",
    };
    (serialise(&doc, case.format, &deep), name)
}

#[test]
fn mutated_specs() {
    seeds();
    run(spec_case(), |case| {
        let (text, name) = render(&case);
        prop_check(&text, name)
    });
}
