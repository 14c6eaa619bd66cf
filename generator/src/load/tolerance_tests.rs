//! Documents the loader now generates instead of refusing: warnings, hoisting, rewrites.

use serde_json::{Value, json};

use super::tests::{doc_with, norm_schema, schema_err};
use super::*;

/// `(kind, pointer)` of the warnings normalising `doc` gives, sorted.
fn warnings_of(doc: Value) -> Vec<(&'static str, String)> {
    let mut doc = doc;
    let (_, mut warnings) = normalize_warned(&mut doc).unwrap_or_else(|e| panic!("{e}"));
    crate::warnings::settle(&mut warnings);
    warnings
        .into_iter()
        .map(|w| (w.kind.name(), w.pointer))
        .collect()
}

#[test]
fn duplicate_operation_id_is_renamed() {
    let mut doc = doc_with(json!({}));
    doc["paths"] = json!({
        "/a": {"get": {"operationId": "foo", "responses": {}}},
        "/byok": {"get": {"operationId": "foo", "responses": {}}},
        "/c": {"get": {"operationId": "foo", "responses": {}}}
    });
    let mut normalised = doc.clone();
    normalize(&mut normalised).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(normalised["paths"]["/byok"]["get"]["operationId"], "foo_2");
    assert_eq!(normalised["paths"]["/c"]["get"]["operationId"], "foo_3");
    assert_eq!(
        warnings_of(doc),
        [
            (
                "duplicate_operation_id",
                "#/paths/~1byok/get/operationId".to_owned()
            ),
            (
                "duplicate_operation_id",
                "#/paths/~1c/get/operationId".to_owned()
            ),
        ]
    );
}

#[test]
fn unsupported_keywords_warn() {
    let (s, _) =
        norm_schema(json!({"type": "object", "properties": {"bar": {"type": "string", "if": {}}}}));
    assert_eq!(
        s["properties"]["bar"]["x-if"],
        json!({}),
        "kept as an extension"
    );
    assert_eq!(
        warnings_of(doc_with(
            json!({"S": {"type": "object", "properties": {"bar": {"type": "string", "if": {}}}}})
        )),
        [(
            "validation_not_enforced",
            "#/components/schemas/S/properties/bar/if".to_owned()
        )]
    );
    assert_eq!(
        warnings_of(doc_with(
            json!({"S": {"type": "object", "patternProperties": {"^x": {"type": "string"}}}})
        )),
        [(
            "unsupported_keyword",
            "#/components/schemas/S/patternProperties".to_owned()
        )]
    );
    // A bad validation value is dropped with a warning; a bad structural one is refused.
    assert_eq!(
        warnings_of(doc_with(json!({"S": {"type": "string", "minLength": -1}}))),
        [(
            "validation_not_enforced",
            "#/components/schemas/S/minLength".to_owned()
        )]
    );
    assert_eq!(
        schema_err(json!({"type": "object", "properties": 5})),
        "#/components/schemas/S/properties: `properties` must be a mapping of property names to schemas"
    );
    // Draft-04 tuple `items` read as `prefixItems` (whose items are any JSON, warned).
    let (s, _) = norm_schema(json!({"type": "array", "items": [{"type": "string"}]}));
    assert_eq!(s["x-prefixItems"], json!([{"type": "string"}]));
    assert_eq!(
        warnings_of(doc_with(
            json!({"S": {"type": "array", "items": [{"type": "string"}]}})
        )),
        [(
            "type_widened",
            "#/components/schemas/S/prefixItems".to_owned()
        )]
    );
    let mut doc = doc_with(json!({}));
    doc["paths"] = json!({"/a": {"get": {"responses": {}, "parameters": [
        {"name": "q", "in": "query", "schema": {"type": "string"}, "allowEmptyValues": true}
    ]}}});
    assert_eq!(
        warnings_of(doc),
        [(
            "stray_key",
            "#/paths/~1a/get/parameters/0/allowEmptyValues".to_owned()
        )]
    );
}

#[test]
fn defs_are_hoisted_and_refs_follow() {
    let mut doc = doc_with(json!({
        "R": {"type": "object",
              "properties": {"g": {"$ref": "#/components/schemas/R/$defs/G"}, "h": {"$ref": "#/$defs/G"}},
              "$defs": {"G": {"type": "string"}}},
        "R_G": {"type": "integer"}
    }));
    normalize(&mut doc).unwrap_or_else(|e| panic!("{e}"));
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["R_G_2"],
        json!({"type": "string"}),
        "collision suffixed"
    );
    assert_eq!(
        schemas["R"]["properties"]["g"]["$ref"],
        "#/components/schemas/R_G_2"
    );
    assert_eq!(
        schemas["R"]["properties"]["h"]["$ref"],
        "#/components/schemas/R_G_2"
    );
    assert!(schemas["R"].get("$defs").is_none());
}

#[test]
fn recursive_refs_point_at_their_component() {
    let mut doc = doc_with(json!({
        "F": {"$recursiveAnchor": true, "type": "object",
              "properties": {"f": {"type": "array", "items": {"$recursiveRef": "#"}}}},
        "T": {"$dynamicAnchor": "n", "type": "object",
              "properties": {"c": {"$dynamicRef": "#n"}, "d": {"$dynamicRef": "#other"}}}
    }));
    let (_, warnings) = normalize_warned(&mut doc).unwrap_or_else(|e| panic!("{e}"));
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["F"]["properties"]["f"]["items"]["$ref"],
        "#/components/schemas/F"
    );
    assert_eq!(
        schemas["T"]["properties"]["c"]["$ref"],
        "#/components/schemas/T"
    );
    assert_eq!(
        schemas["T"]["properties"]["d"],
        json!({}),
        "no anchor: any JSON"
    );
    let kinds: Vec<_> = warnings
        .iter()
        .map(|w| (w.kind.name(), w.pointer.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [(
            "type_widened",
            "#/components/schemas/T/properties/d/$dynamicRef"
        )]
    );
}

#[test]
fn union_inside_all_of_is_distributed() {
    let (s, _) = norm_schema(json!({"allOf": [
        {"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "null"}, {"$ref": "#/components/schemas/A"}]},
        {"type": "object", "properties": {"id": {"type": "string"}}}
    ], "description": "d"}));
    assert_eq!(s["description"], "d");
    assert_eq!(
        s["nullable"], true,
        "the null alternative folds into nullable"
    );
    let alternatives = s["oneOf"].as_array().expect("a oneOf");
    assert_eq!(alternatives.len(), 2);
    assert_eq!(
        alternatives[1]["allOf"][1]["$ref"],
        "#/components/schemas/A"
    );
    assert_eq!(
        alternatives[0]["allOf"][0]["properties"]["id"]["type"],
        "string"
    );
}

#[test]
fn big_integers_in_yaml_read_like_json() {
    let yaml = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S: {type: integer, minimum: -99999999999999999999}\n";
    let loaded = load_str(yaml, "t.yaml").unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<_> = loaded.warnings.iter().map(|w| w.kind.name()).collect();
    assert_eq!(kinds, ["type_widened"]);
}

/// A bound beyond `i64` widens the Rust integer (`u64` when the range is non-negative and
/// fits, else `i128`), unless the format fixes the width: then it is clamped.
#[test]
fn integer_bounds_beyond_i64_widen_the_type() {
    let schema = |s: &str| {
        let yaml = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    S: {s}\n"
        );
        let loaded = load_str(&yaml, "t.yaml").unwrap_or_else(|e| panic!("{e}"));
        let kinds: Vec<_> = loaded.warnings.iter().map(|w| w.kind.name()).collect();
        let s = &loaded.openapi.components.unwrap().schemas["S"];
        (serde_json::to_value(s).unwrap(), kinds)
    };
    let (s, kinds) = schema("{type: integer, minimum: 0, maximum: 18446744073709551615}");
    assert_eq!(
        (
            s["format"].as_str(),
            s["minimum"].as_i64(),
            s.get("maximum")
        ),
        (Some("uint64"), Some(0), None)
    );
    assert_eq!(kinds, ["type_widened"]);
    let (s, kinds) = schema("{type: integer, minimum: -99999999999999999999, maximum: 10}");
    assert_eq!(
        (
            s["format"].as_str(),
            s.get("minimum"),
            s["maximum"].as_i64()
        ),
        (Some("int128"), None, Some(10))
    );
    assert_eq!(kinds, ["type_widened"]);
    let (s, kinds) = schema("{type: integer, format: int64, maximum: 18446744073709551615}");
    assert_eq!(
        (s["format"].as_str(), s["maximum"].as_i64()),
        (Some("int64"), Some(i64::MAX))
    );
    assert_eq!(kinds, ["bound_clamped"]);
}

#[test]
fn alias_only_cycles_are_refused_and_named_ones_kept() {
    let refused = |schemas: Value| {
        let mut doc = doc_with(schemas);
        normalize(&mut doc).unwrap_err().to_string()
    };
    let e = refused(json!({"T": {"type": "array", "items": {"$ref": "#/components/schemas/T"}}}));
    assert!(
        e.starts_with("#/components/schemas/T/items: schema `T` contains itself"),
        "{e}"
    );
    let e = refused(
        json!({"M": {"type": "object", "additionalProperties": {"anyOf": [
        {"$ref": "#/components/schemas/M"}, {"type": "null"}]}}}),
    );
    assert!(e.contains("schema `M` contains itself"), "{e}");
    // Through a struct or a union of several alternatives: a named type, fine.
    let mut ok = doc_with(json!({
        "Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}},
        "Json": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/components/schemas/Json"}}]}
    }));
    normalize(&mut ok).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn annotated_union_in_all_of_is_left_alone() {
    // `allOf: [U, {description}]` is U annotated: not distributed (U keeps its discriminator).
    let mut doc = doc_with(json!({
        "U": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
              "discriminator": {"propertyName": "t"}},
        "A": {"type": "object", "properties": {"t": {"type": "string"}}},
        "B": {"type": "object", "properties": {"t": {"type": "string"}}},
        "S": {"type": "object", "properties": {"data": {"allOf": [
            {"$ref": "#/components/schemas/U"}, {"description": "d"}]}}}
    }));
    let (_, warnings) = normalize_warned(&mut doc).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    let data = &doc["components"]["schemas"]["S"]["properties"]["data"];
    assert_eq!(data["allOf"][0]["$ref"], "#/components/schemas/U");
}

#[test]
fn invalid_utf8_is_refused_with_its_place() {
    let bytes =
        b"openapi: 3.0.3\ninfo: {title: \xC3\xA9, version: '1'}\nx-bad: \"ab\xFF\"\n".to_vec();
    let e = text_from_bytes(bytes, "doc.yaml").unwrap_err().to_string();
    assert_eq!(
        e,
        "doc.yaml: invalid UTF-8 at line 3, column 11: byte 0xFF at byte offset 57 is not \
         valid UTF-8 (save the document as UTF-8)"
    );
    assert_eq!(text_from_bytes(b"a: 1".to_vec(), "x").unwrap(), "a: 1");
}

#[test]
fn recursive_union_beside_a_constraint_is_distributed_at_most_once() {
    let doc = doc_with(json!({
        "Node": {"oneOf": [
            {"type": "object", "properties": {
                "parent": {"allOf": [{"$ref": "#/components/schemas/Node"}], "required": ["x"]}
            }},
            {"type": "string"}
        ]}
    }));
    assert_eq!(
        warnings_of(doc),
        [(
            "validation_not_enforced",
            "#/components/schemas/Node/oneOf/0/properties/parent/allOf".to_owned()
        )]
    );
}

#[test]
fn depth_errors_name_a_place_the_document_has() {
    let doc = json!({"a": {"b": {"c": 1}}});
    let at = crate::error::Pointer("#/a/b/oneOf/0/allOf/1".into());
    let (real, copied) = schema::existing_prefix(&doc, &at);
    assert_eq!((real.as_str(), copied), ("#/a/b", true));
    let at = crate::error::Pointer("#/a/b/c".into());
    assert_eq!(schema::existing_prefix(&doc, &at).0.as_str(), "#/a/b/c");
}
