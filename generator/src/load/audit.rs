//! Keyword audit: which keys `openapiv3` 2.2 actually deserialises, and what happens to the
//! rest. `openapiv3` silently ignores every key it does not model, so after the rewrite each
//! schema (and each OpenAPI object we walk) is checked here: annotation-only keywords move to
//! `x-<name>` extensions, keywords with validation/shape meaning are an error, and the values
//! of modelled keywords are shape-checked so a bad value gets a precise pointer instead of an
//! opaque "did not match any variant" from serde.

use serde_json::{Map, Value};

use super::document::Ctx;
use super::rules;
use crate::Result;
use crate::error::Pointer;

/// Schema keys `openapiv3::Schema` reads: `SchemaData` plus the `RawAnySchema` catch-all of
/// `SchemaKind`. (A type-specific key on the "wrong" type, e.g. `minLength` on an integer,
/// is not dropped: `openapiv3` then falls back to `SchemaKind::Any`, which keeps every key.)
pub(super) const SCHEMA_KEYS: &[&str] = &[
    // SchemaData
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "example",
    "title",
    "description",
    "discriminator",
    "default",
    // RawAnySchema
    "type",
    "pattern",
    "multipleOf",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minimum",
    "maximum",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "format",
    "minLength",
    "maxLength",
    "oneOf",
    "allOf",
    "anyOf",
    "not",
];

/// Annotation-only keywords (no validation or shape meaning): kept as `x-<name>`.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "$anchor",
    "$vocabulary",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "xml",
];

/// Keywords with meaning that `openapiv3` cannot carry: an error rather than a silent drop.
const UNSUPPORTED: &[&str] = &[
    "if",
    "then",
    "else",
    "patternProperties",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "contains",
    "minContains",
    "maxContains",
    "additionalItems",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "$defs",
    "definitions",
    "const",
    "examples",
    "prefixItems",
];

/// Audit one schema object after its own rewrite: move annotations and unknown keys into
/// extensions, reject unsupported keywords, and shape-check every modelled key's value.
pub(super) fn schema_keys(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let keys: Vec<String> = map
        .keys()
        .filter(|k| !k.starts_with("x-") && !SCHEMA_KEYS.contains(&k.as_str()))
        .cloned()
        .collect();
    for key in keys {
        if UNSUPPORTED.contains(&key.as_str()) {
            return Err(at.error(format!(
                "keyword `{key}` is not supported (it would be silently dropped)"
            )));
        }
        let rule = if ANNOTATIONS.contains(&key.as_str()) {
            rules::ANNOTATION_TO_EXTENSION
        } else {
            rules::UNKNOWN_TO_EXTENSION
        };
        move_to_extension(map, &key, at, cx, rule)?;
    }
    for (key, value) in map.iter() {
        if let Some(expected) = schema_value_problem(key, value) {
            return Err(at.push(key).error(format!("`{key}` must be {expected}")));
        }
    }
    Ok(())
}

/// `None` if `value` has a shape `openapiv3` accepts for schema keyword `key`.
fn schema_value_problem(key: &str, value: &Value) -> Option<&'static str> {
    let ok = match key {
        "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems"
        | "exclusiveMinimum" | "exclusiveMaximum" => value.is_boolean(),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
            value.is_u64()
        }
        "minimum" | "maximum" | "multipleOf" => value.is_number(),
        "pattern" | "format" | "title" | "description" => value.is_string(),
        "type" => {
            return match value.as_str() {
                Some("string" | "number" | "integer" | "boolean" | "object" | "array") => None,
                _ => Some("one of string, number, integer, boolean, object, array"),
            };
        }
        "required" => value
            .as_array()
            .is_some_and(|a| a.iter().all(Value::is_string)),
        "enum" => value.is_array(),
        "allOf" | "anyOf" | "oneOf" => value.is_array(),
        "properties" => value.is_object(),
        "items" | "not" => value.is_object(),
        "additionalProperties" => value.is_object() || value.is_boolean(),
        "externalDocs" => value.get("url").is_some_and(Value::is_string),
        "discriminator" => {
            return match value.get("propertyName") {
                Some(Value::String(_)) => match value.get("mapping") {
                    None => None,
                    Some(Value::Object(m)) if m.values().all(Value::is_string) => None,
                    Some(_) => Some("an object whose `mapping` maps names to strings"),
                },
                _ => Some("an object with a string `propertyName`"),
            };
        }
        _ => true,
    };
    if ok {
        None
    } else {
        Some(match key {
            "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems"
            | "exclusiveMinimum" | "exclusiveMaximum" => "a boolean",
            "minimum" | "maximum" | "multipleOf" => "a number",
            "pattern" | "format" | "title" | "description" => "a string",
            "required" => "a list of property names",
            "enum" | "allOf" | "anyOf" | "oneOf" => "a list",
            "properties" => "a mapping of property names to schemas",
            "items" | "not" => "a schema (tuple-form `items` is not supported)",
            "additionalProperties" => "a boolean or a schema",
            "externalDocs" => "an object with a string `url`",
            _ => "a non-negative integer",
        })
    }
}

/// Move `key` to `x-<key>` (an extension `openapiv3` keeps) and count it under `rule`.
pub(super) fn move_to_extension(
    map: &mut Map<String, Value>,
    key: &str,
    at: &Pointer,
    cx: &mut Ctx,
    rule: &'static str,
) -> Result<()> {
    let Some(value) = map.shift_remove(key) else {
        return Ok(());
    };
    let ext = format!("x-{key}");
    if map.get(&ext).is_some_and(|existing| *existing != value) {
        return Err(at.push(key).error(format!(
            "cannot keep `{key}` as extension `{ext}`: that extension already exists"
        )));
    }
    map.insert(ext, value);
    cx.bump(rule);
    Ok(())
}

/// Keys of the non-schema OpenAPI objects that `openapiv3` reads (besides `x-*`).
pub(super) mod objects {
    pub const OPENAPI: &[&str] = &[
        "openapi",
        "info",
        "servers",
        "paths",
        "components",
        "security",
        "tags",
        "externalDocs",
    ];
    pub const INFO: &[&str] = &[
        "title",
        "description",
        "termsOfService",
        "contact",
        "license",
        "version",
    ];
    pub const COMPONENTS: &[&str] = &[
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
    ];
    pub const PATH_ITEM: &[&str] = &[
        "summary",
        "description",
        "get",
        "put",
        "post",
        "delete",
        "options",
        "head",
        "patch",
        "trace",
        "servers",
        "parameters",
    ];
    pub const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    pub const OPERATION: &[&str] = &[
        "tags",
        "summary",
        "description",
        "externalDocs",
        "operationId",
        "parameters",
        "requestBody",
        "responses",
        "callbacks",
        "deprecated",
        "security",
        "servers",
    ];
    pub const PARAMETER: &[&str] = &[
        "name",
        "in",
        "description",
        "required",
        "deprecated",
        "schema",
        "content",
        "example",
        "examples",
        "explode",
        "style",
        "allowReserved",
        "allowEmptyValue",
    ];
    pub const HEADER: &[&str] = &[
        "description",
        "style",
        "required",
        "deprecated",
        "schema",
        "content",
        "example",
        "examples",
    ];
    pub const REQUEST_BODY: &[&str] = &["description", "content", "required"];
    pub const RESPONSE: &[&str] = &["description", "headers", "content", "links"];
    pub const MEDIA_TYPE: &[&str] = &["schema", "example", "examples", "encoding"];
    pub const ENCODING: &[&str] = &[
        "contentType",
        "headers",
        "style",
        "explode",
        "allowReserved",
    ];
}

/// Reject keys of a non-schema object that `openapiv3` would silently drop.
pub(super) fn object_keys(
    map: &Map<String, Value>,
    allowed: &[&str],
    at: &Pointer,
    what: &str,
) -> Result<()> {
    match map
        .keys()
        .find(|k| !k.starts_with("x-") && !allowed.contains(&k.as_str()))
    {
        Some(key) => Err(at.push(key).error(format!(
            "key `{key}` is not supported in a {what} (it would be silently dropped)"
        ))),
        None => Ok(()),
    }
}
