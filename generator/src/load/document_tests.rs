//! The document walk (`document.rs`): versions and 3.1-only keys, operations, `$ref`
//! resolution, path item `$ref`s, the schema nesting limit, and the reference spec.

use std::path::Path;

use openapiv3::{ReferenceOr, SchemaKind, Type};
use serde_json::{Value, json};

use super::tests::{doc_with, err_of, norm_schema, schema_err};
use super::*;

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
    let (s, _) = norm_schema(nested_items(ctx::MAX_SCHEMA_DEPTH));
    assert_eq!(s["type"], "array");
    let err = schema_err(nested_items(ctx::MAX_SCHEMA_DEPTH + 1));
    let pointer = format!(
        "#/components/schemas/S{}",
        "/items".repeat(ctx::MAX_SCHEMA_DEPTH)
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
    for i in 0..=ctx::MAX_SCHEMA_DEPTH {
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
