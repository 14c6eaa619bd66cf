//! The normalisation rules for schemas (`schema.rs`), and the helpers the other test files
//! of `load` share.

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

/// The error normalising `doc` gives.
pub(super) fn err_of(doc: Value) -> String {
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
