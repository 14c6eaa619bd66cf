use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::{Value, json};

use super::*;

/// A minimal 3.1 document around `schemas` (a JSON object of named schemas).
pub(super) fn doc_with(schemas: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas}
    })
}

/// Normalise one schema named `S` (next to a plain `A` for refs); returns it and the report.
pub(super) fn norm_schema(schema: Value) -> (Value, NormalizeReport) {
    let mut doc = doc_with(json!({"A": {"type": "string"}, "S": schema}));
    let report = normalize(&mut doc).unwrap_or_else(|e| panic!("{e}"));
    (doc["components"]["schemas"]["S"].clone(), report)
}

/// Normalise and deserialise schema `S` into `openapiv3`.
fn loaded_schema(schema: Value) -> Schema {
    let mut doc = doc_with(json!({"A": {"type": "string"}, "S": schema}));
    normalize(&mut doc).unwrap_or_else(|e| panic!("{e}"));
    let api: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
    match &api.components.unwrap().schemas["S"] {
        ReferenceOr::Item(s) => s.clone(),
        ReferenceOr::Reference { .. } => panic!("expected an inline schema"),
    }
}

fn err_of(doc: Value) -> String {
    let mut doc = doc;
    normalize(&mut doc).unwrap_err().to_string()
}

pub(super) fn schema_err(schema: Value) -> String {
    err_of(doc_with(json!({"A": {"type": "string"}, "S": schema})))
}

#[test]
fn type_array_with_null_becomes_nullable() {
    let (s, report) = norm_schema(json!({"type": ["string", "null"], "maxLength": 3}));
    assert_eq!(
        s,
        json!({"type": "string", "nullable": true, "maxLength": 3})
    );
    assert_eq!(report.get(rules::TYPE_ARRAY_NULLABLE), 1);
    let s = loaded_schema(json!({"type": ["string", "null"], "maxLength": 3}));
    assert!(s.schema_data.nullable);
    assert!(
        matches!(s.schema_kind, SchemaKind::Type(Type::String(ref t)) if t.max_length == Some(3))
    );
}

#[test]
fn single_type_array_unwraps() {
    let (s, report) = norm_schema(json!({"type": ["integer"]}));
    assert_eq!(s, json!({"type": "integer"}));
    assert_eq!(report.get(rules::TYPE_ARRAY_SINGLE), 1);
}

#[test]
fn several_types_become_any_of() {
    let (s, report) = norm_schema(json!({
        "type": ["string", "integer", "null"],
        "description": "d",
        "minLength": 1,
        "minimum": 0,
        "items": {"type": "string"},
        "enum": ["a", 1, null]
    }));
    assert_eq!(
        s,
        json!({
            "description": "d",
            "nullable": true,
            "anyOf": [
                {"type": "string", "minLength": 1, "enum": ["a"]},
                {"type": "integer", "minimum": 0, "enum": [1]}
            ]
        })
    );
    assert_eq!(report.get(rules::TYPE_ARRAY_ANY_OF), 1);
    let s = loaded_schema(json!({"type": ["string", "boolean"], "format": "date"}));
    let SchemaKind::AnyOf { any_of } = &s.schema_kind else {
        panic!("{s:?}")
    };
    assert_eq!(any_of.len(), 2);
}

#[test]
fn null_type_alone_becomes_null_form() {
    let (s, report) = norm_schema(json!({"type": "null", "description": "nothing"}));
    assert_eq!(
        s,
        json!({"description": "nothing", "nullable": true, "enum": [null]})
    );
    assert_eq!(report.get(rules::NULL_SCHEMA), 1);
    let s = loaded_schema(json!({"type": "null"}));
    assert!(s.schema_data.nullable);
    assert!(matches!(&s.schema_kind, SchemaKind::Any(a) if a.enumeration == vec![Value::Null]));
}

#[test]
fn null_members_of_any_of_and_one_of_are_removed() {
    let (s, report) = norm_schema(json!({
        "anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}],
        "description": "maybe A"
    }));
    assert_eq!(
        s,
        json!({"anyOf": [{"$ref": "#/components/schemas/A"}], "description": "maybe A", "nullable": true})
    );
    assert_eq!(report.get(rules::NULL_MEMBER), 1);
    let (s, _) = norm_schema(
        json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null", "description": "none"}]}),
    );
    assert_eq!(
        s,
        json!({
            "oneOf": [{"type": "string"}, {"type": "integer"}],
            "nullable": true,
            "x-null-member": {"description": "none", "nullable": true, "enum": [null]}
        })
    );
    let s = loaded_schema(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}));
    assert!(s.schema_data.nullable);
    assert!(matches!(&s.schema_kind, SchemaKind::AnyOf { any_of } if any_of.len() == 1));
}

#[test]
fn const_becomes_single_enum() {
    assert_eq!(
        norm_schema(json!({"const": "x"})).0,
        json!({"type": "string", "enum": ["x"]})
    );
    assert_eq!(
        norm_schema(json!({"const": 3})).0,
        json!({"type": "integer", "enum": [3]})
    );
    assert_eq!(
        norm_schema(json!({"const": 1.5})).0,
        json!({"type": "number", "enum": [1.5]})
    );
    let (s, report) = norm_schema(json!({"type": "boolean", "const": true}));
    assert_eq!(s, json!({"type": "boolean", "enum": [true]}));
    assert_eq!(report.get(rules::CONST_TO_ENUM), 1);
    let s = loaded_schema(json!({"const": true}));
    assert!(
        matches!(&s.schema_kind, SchemaKind::Type(Type::Boolean(b)) if b.enumeration == vec![Some(true)])
    );
}

#[test]
fn null_in_enum_becomes_nullable() {
    let (s, report) = norm_schema(json!({"type": ["string", "null"], "enum": ["a", "b", null]}));
    assert_eq!(
        s,
        json!({"type": "string", "nullable": true, "enum": ["a", "b"]})
    );
    assert_eq!(report.get(rules::ENUM_NULL), 1);
    let s = loaded_schema(json!({"type": "integer", "enum": [1, null]}));
    assert!(s.schema_data.nullable);
    assert!(
        matches!(&s.schema_kind, SchemaKind::Type(Type::Integer(i)) if i.enumeration == vec![Some(1)])
    );
}

#[test]
fn ref_with_siblings_is_wrapped_in_all_of() {
    let (s, report) = norm_schema(json!({
        "$ref": "#/components/schemas/A", "description": "d", "nullable": true, "readOnly": true
    }));
    assert_eq!(
        s,
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "description": "d", "nullable": true, "readOnly": true})
    );
    assert_eq!(report.get(rules::REF_SIBLINGS), 1);
    let (s, report) = norm_schema(json!({"$ref": "#/components/schemas/A"}));
    assert_eq!(s, json!({"$ref": "#/components/schemas/A"}));
    assert_eq!(report.total(), 1); // only the version
    let s = loaded_schema(json!({"$ref": "#/components/schemas/A", "default": "x"}));
    assert_eq!(s.schema_data.default, Some(json!("x")));
    assert!(matches!(&s.schema_kind, SchemaKind::AllOf { all_of } if all_of.len() == 1));
}

#[test]
fn numeric_exclusive_bounds() {
    let (s, report) = norm_schema(json!({
        "type": "number", "exclusiveMinimum": 0, "maximum": 10, "exclusiveMaximum": 5
    }));
    assert_eq!(
        s,
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 5, "exclusiveMaximum": true})
    );
    assert_eq!(report.get(rules::EXCLUSIVE_BOUND), 2);
    // An inclusive minimum above the exclusive one is stricter and wins.
    let (s, _) = norm_schema(json!({"type": "integer", "minimum": 5, "exclusiveMinimum": 1}));
    assert_eq!(s, json!({"type": "integer", "minimum": 5}));
    // 3.0 boolean form is left alone.
    let (s, _) = norm_schema(json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true}));
    assert_eq!(
        s,
        json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true})
    );
    let s = loaded_schema(json!({"type": "integer", "exclusiveMinimum": 0}));
    assert!(
        matches!(&s.schema_kind, SchemaKind::Type(Type::Integer(i)) if i.minimum == Some(0) && i.exclusive_minimum)
    );
}

#[test]
fn schema_examples_become_example_and_extension() {
    let (s, report) = norm_schema(json!({"type": "string", "examples": ["a", "b"]}));
    assert_eq!(
        s,
        json!({"type": "string", "example": "a", "x-examples": ["a", "b"]})
    );
    assert_eq!(report.get(rules::EXAMPLES), 1);
    let s = loaded_schema(json!({"type": "string", "examples": ["a", "b"]}));
    assert_eq!(s.schema_data.example, Some(json!("a")));
    assert_eq!(s.schema_data.extensions["x-examples"], json!(["a", "b"]));
}

#[test]
fn annotations_null_defaults_booleans_and_tuples_are_kept() {
    let (s, report) = norm_schema(json!({
        "type": "object",
        "$comment": "c",
        "properties": {
            "png": {"type": "string", "contentMediaType": "image/png", "default": null},
            "any": true,
            "never": false,
            "pair": {"type": "array", "prefixItems": [{"type": ["string", "null"]}, {"const": 1}]}
        }
    }));
    assert_eq!(
        s,
        json!({
            "type": "object",
            "x-$comment": "c",
            "properties": {
                "png": {"type": "string", "x-contentMediaType": "image/png", "x-default": null},
                "any": {},
                "never": {"not": {}},
                "pair": {"type": "array", "x-prefixItems": [
                    {"type": "string", "nullable": true},
                    {"type": "integer", "enum": [1]}
                ]}
            }
        })
    );
    assert_eq!(report.get(rules::ANNOTATION_TO_EXTENSION), 2);
    assert_eq!(report.get(rules::NULL_ANNOTATION), 1);
    assert_eq!(report.get(rules::BOOLEAN_SCHEMA), 2);
    assert_eq!(report.get(rules::PREFIX_ITEMS), 1);
}

#[test]
fn version_and_3_1_only_keys() {
    let mut doc = json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {"title": "t", "version": "1", "summary": "s",
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "webhooks": {"ping": {}}
    });
    let report = normalize(&mut doc).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["info"]["x-original-openapi-version"], "3.1.0");
    assert_eq!(doc["info"]["x-summary"], "s");
    assert_eq!(doc["info"]["license"]["x-identifier"], "MIT");
    assert_eq!(doc["x-webhooks"], json!({"ping": {}}));
    assert!(doc.get("webhooks").is_none() && doc.get("jsonSchemaDialect").is_none());
    assert_eq!(doc["paths"], json!({}));
    assert_eq!(report.get(rules::OPENAPI_VERSION), 1);
    assert_eq!(report.get(rules::KEY_TO_EXTENSION), 4);
    let api: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
    assert_eq!(api.openapi, "3.0.3");
}

const OPS_YAML: &str = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /byok:
    $ref: '#/components/pathItems/Byok'
  /keys:
    get:
      operationId: listKeys
      parameters:
        - {name: limit, in: query, schema: {type: [integer, 'null'], exclusiveMinimum: 0}}
      responses:
        '200':
          description: ok
          headers:
            X-Count: {schema: {type: integer}}
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Key'
                description: the key
components:
  schemas:
    Key: {type: object, properties: {id: {type: string}}}
  pathItems:
    Byok:
      get:
        operationId: listByok
";

#[test]
fn loads_operations_parameters_and_path_item_refs() {
    let loaded = load_str(OPS_YAML, "ops.yaml").unwrap_or_else(|e| panic!("{e}"));
    let report = &loaded.report;
    assert_eq!(report.get(rules::PATH_ITEM_REF_INLINED), 1);
    assert_eq!(report.get(rules::MISSING_ADDED), 1); // /byok get had no responses
    assert_eq!(report.get(rules::REF_SIBLINGS), 1);
    let paths = &loaded.openapi.paths.paths;
    let ReferenceOr::Item(byok) = &paths["/byok"] else {
        panic!("not inlined")
    };
    assert_eq!(
        byok.get.as_ref().unwrap().operation_id.as_deref(),
        Some("listByok")
    );
    let ReferenceOr::Item(keys) = &paths["/keys"] else {
        panic!()
    };
    let get = keys.get.as_ref().unwrap();
    let ReferenceOr::Item(openapiv3::Parameter::Query { parameter_data, .. }) = &get.parameters[0]
    else {
        panic!()
    };
    let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) = &parameter_data.format
    else {
        panic!()
    };
    assert!(s.schema_data.nullable);
    assert!(
        matches!(&s.schema_kind, SchemaKind::Type(Type::Integer(i)) if i.minimum == Some(0) && i.exclusive_minimum)
    );
    // Same document as JSON gives the same result.
    let value: Value = serde_yaml::from_str(OPS_YAML).unwrap();
    let from_json = load_str(&serde_json::to_string_pretty(&value).unwrap(), "ops.json").unwrap();
    assert_eq!(from_json.openapi, loaded.openapi);
}

#[test]
fn yaml_merge_keys_are_applied() {
    let yaml = "\
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Base: &base {type: object, properties: {id: {type: string}}}
    Child:
      <<: *base
      description: child
";
    let loaded = load_str(yaml, "m.yaml").unwrap_or_else(|e| panic!("{e}"));
    let ReferenceOr::Item(child) = &loaded.openapi.components.unwrap().schemas["Child"] else {
        panic!()
    };
    assert!(
        matches!(&child.schema_kind, SchemaKind::Type(Type::Object(o)) if o.properties.contains_key("id"))
    );
}

#[test]
fn syntax_errors_have_line_and_column() {
    let err = load_str("openapi: 3.1.0\ninfo: [unclosed\n", "bad.yaml").unwrap_err();
    assert!(
        matches!(
            err,
            Error::Syntax {
                format: "YAML",
                line: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "bad.yaml: invalid YAML at line 3, column 1: did not find expected ',' or ']', \
         while parsing a flow sequence at line 2 column 7"
    );
    let err = load_str("{\"openapi\": \"3.1.0\",\n  \"info\": }", "bad.json").unwrap_err();
    assert_eq!(
        err.to_string(),
        "bad.json: invalid JSON at line 2, column 11: expected value"
    );
}

#[test]
fn unresolved_and_external_refs() {
    let mut doc = doc_with(json!({}));
    doc["paths"] = json!({"/byok": {"get": {"responses": {"200": {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Nope"}}}
    }}}}});
    assert_eq!(
        err_of(doc),
        "#/paths/~1byok/get/responses/200/content/application~1json/schema: \
         unresolved $ref `#/components/schemas/Nope`"
    );
    assert_eq!(
        schema_err(json!({"type": "object", "properties": {"b": {"$ref": "other.yaml#/Foo"}}})),
        "#/components/schemas/S/properties/b: external $ref `other.yaml#/Foo` is not supported \
         (only refs within the document, `#/...`)"
    );
    let mut doc = doc_with(json!({}));
    doc["components"]["parameters"] = json!({"P": {"$ref": "#/components/parameters/Q"}});
    assert_eq!(
        err_of(doc),
        "#/components/parameters/P: unresolved $ref `#/components/parameters/Q`"
    );
}

#[test]
fn openapiv3_rejections_are_located() {
    let err = load_str(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{description: d}]\npaths: {}\n",
        "x.yaml",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "#/servers/0: not a valid OpenAPI object: missing field `url`"
    );
}

/// Needs the reference spec beside the repository: ignored by default so `cargo test` works
/// without it, and run by CI with `--include-ignored`, where a missing file fails.
#[test]
#[ignore = "needs ../shared/reference/openrouter-openapi.yaml (CI: --include-ignored)"]
fn load_reference_spec() {
    // `<workspace>/../shared/reference/…`; `OPENAPI_GEN_REFERENCE_SPEC` overrides.
    let path = std::env::var_os("OPENAPI_GEN_REFERENCE_SPEC").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/reference/openrouter-openapi.yaml")
        },
        Into::into,
    );
    assert!(path.is_file(), "{}: not found", path.display());
    let start = std::time::Instant::now();
    let loaded = load_path(&path).unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "loaded reference in {:?}\n{}",
        start.elapsed(),
        loaded.report
    );
    assert!(
        loaded
            .openapi
            .components
            .is_some_and(|c| c.schemas.len() > 700)
    );
}

/// `depth` schemas nested through `items`.
fn nested_items(depth: usize) -> Value {
    let mut s = json!({"type": "string"});
    for _ in 1..depth {
        s = json!({"type": "array", "items": s});
    }
    s
}

#[test]
fn schema_nesting_is_limited() {
    let (s, _) = norm_schema(nested_items(document::MAX_SCHEMA_DEPTH));
    assert_eq!(s["type"], "array");
    let err = schema_err(nested_items(document::MAX_SCHEMA_DEPTH + 1));
    let pointer = format!(
        "#/components/schemas/S{}",
        "/items".repeat(document::MAX_SCHEMA_DEPTH)
    );
    assert_eq!(
        err,
        format!(
            "{pointer}: schemas are nested more than 32 levels deep here (move inner schemas \
             to `components/schemas` and refer to them with `$ref`)"
        )
    );
    // Any mix of nesting keywords counts, and the limit holds below an operation too.
    let mut mixed = json!({"type": "string"});
    for i in 0..=document::MAX_SCHEMA_DEPTH {
        mixed = match i % 4 {
            0 => json!({"type": "object", "properties": {"p": mixed}}),
            1 => json!({"allOf": [mixed]}),
            2 => json!({"type": "object", "additionalProperties": mixed}),
            _ => json!({"anyOf": [{"type": "null"}, mixed]}),
        };
    }
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": mixed}}
        }}}}}
    });
    let err = normalize(&mut doc).unwrap_err().to_string();
    assert!(
        err.starts_with("#/paths/~1a/get/responses/200/content/application~1json/schema/")
            && err.contains("nested more than 32 levels"),
        "{err}"
    );
}

#[test]
fn path_item_ref_cycles_are_errors() {
    let doc = |paths: Value| json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths});
    let op_with_callback = |target: &str| {
        json!({"get": {
            "responses": {"204": {"description": "ok"}},
            "callbacks": {"c": {"{$url}": {"$ref": target}}}
        }})
    };
    // A path item whose callback refers back to it.
    assert_eq!(
        err_of(doc(json!({"/a": op_with_callback("#/paths/~1a")}))),
        "#/paths/~1a/get/callbacks/c/{$url}: path item `$ref` `#/paths/~1a` names a path item \
         that contains this one (a cycle)"
    );
    // Through a second path item.
    let err = err_of(doc(json!({
        "/b": {"$ref": "#/paths/~1a"},
        "/a": op_with_callback("#/paths/~1b"),
    })));
    assert!(err.contains("(a cycle)"), "{err}");
    // A plain `$ref` chain that loops.
    let err = err_of(doc(json!({
        "/a": {"$ref": "#/paths/~1b"},
        "/b": {"$ref": "#/paths/~1a"},
    })));
    assert_eq!(
        err,
        "#/paths/~1a: path item `$ref`s form a cycle: `#/paths/~1a` → `#/paths/~1b` → \
         `#/paths/~1a`"
    );
    // Two paths sharing one target is fine.
    let mut ok = doc(json!({
        "/a": {"$ref": "#/paths/~1c"},
        "/b": {"$ref": "#/paths/~1c"},
        "/c": {"get": {"responses": {"204": {"description": "ok"}}}},
    }));
    normalize(&mut ok).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn path_item_ref_expansion_is_bounded() {
    // p0 → p1 twice → p2 twice …: 2^30 inlinings if unbounded.
    let mut items = serde_json::Map::new();
    for i in 0..30 {
        let next = json!({"$ref": format!("#/x-items/p{}", i + 1)});
        items.insert(
            format!("p{i}"),
            json!({"get": {
                "responses": {"204": {"description": "ok"}},
                "callbacks": {"c": {"{$a}": next, "{$b}": next}}
            }}),
        );
    }
    items.insert(
        "p30".into(),
        json!({"get": {"responses": {"204": {"description": "ok"}}}}),
    );
    let err = err_of(json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "x-items": items,
        "paths": {"/a": {"$ref": "#/x-items/p0"}}
    }));
    assert!(err.contains("more than 1000 path item `$ref`s"), "{err}");
}

#[test]
fn deep_yaml_flow_nesting_is_rejected_before_parsing() {
    let deep = format!("openapi: 3.1.0\nx-deep:\n  {}\n", "[".repeat(100_000));
    let started = std::time::Instant::now();
    let err = load_str(&deep, "deep.yaml").unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(
        err.to_string(),
        "deep.yaml: invalid YAML at line 3, column 163: flow collections (`[`, `{`) are nested \
         more than 160 levels deep"
    );
    // Brackets in scalars, comments and block scalars are not nesting.
    let text = r#"
a: see [1 [2 [3 [4
b: '[[[[ it''s [['
c: "[[[[\"[[["
# [[[[[
d: |
  [[[[[
  {{{{
e:
  - >-
      [[[[
  - x[[[[
f: &anchor [[[1]]]
g: !tag {a: {b: [c]}}
h: key:[[[[
"#;
    assert_eq!(flow_too_deep(text, 3), None);
    assert_eq!(flow_too_deep("f: &anchor [[[[1]]]]", 3), Some((1, 15)));
    assert_eq!(flow_too_deep("- - {a: [{b: [1]}]}", 3), Some((1, 14)));
    assert_eq!(flow_too_deep("a: |\n  [[[[\nb: [[[[", 3), Some((3, 7)));
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/openrouter.yaml"
    ))
    .unwrap();
    assert_eq!(flow_too_deep(&spec, 4), None);
}

#[test]
fn yaml_errors_without_a_place_still_get_one() {
    let err = load_str("openapi: 3.1.0\n---\nopenapi: 3.0.0\n", "two.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "two.yaml: invalid YAML at line 2, column 1: deserializing from YAML containing more \
         than one document is not supported"
    );
    let err = load_str(
        "openapi: 3.1.0\nx-a: &a {type: string}\ncomponents:\n  schemas:\n    C:\n      <<: 5\n",
        "merge.yaml",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "#/components/schemas/C/<<: a merge key `<<` needs a mapping or a list of mappings, \
         not a scalar"
    );
    let err = load_str("x-a: &a {a: 1}\nx-b:\n  <<: [*a, [1]]\n", "merge.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "#/x-b/<<: a merge key `<<` needs a mapping or a list of mappings, not a list holding \
         a list"
    );
    let mut bomb = String::from("x-0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "x-{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let err = load_str(&bomb, "bomb.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "bomb.yaml: invalid YAML at line 2, column 11: repetition limit exceeded"
    );
}
