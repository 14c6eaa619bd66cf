//! Keyword audit: which keys `openapiv3` 2.2 actually deserialises, and what happens to the
//! rest. `openapiv3` silently ignores every key it does not model, so after the rewrite each
//! schema (and each OpenAPI object we walk) is checked here: annotation-only keywords move to
//! `x-<name>` extensions, keywords the client cannot enforce are kept as extensions with a
//! warning, and the values of modelled keywords are shape-checked: a bad validation value is
//! dropped with a warning, a bad structural one is an error with a precise pointer (instead
//! of an opaque "did not match any variant" from serde).

use serde_json::{Map, Value};

use super::ctx::Ctx;
use super::report::rules;
use crate::error::Pointer;
use crate::{Result, WarningKind};

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
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$id",
    "$comment",
    "$anchor",
    "$vocabulary",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "xml",
];

/// Keywords `openapiv3` cannot carry whose loss only widens what the client accepts: kept
/// as `x-<name>` extensions, with a warning of this kind. (`$defs` and the recursive refs
/// are settled before the walk by `prepass`; one left here had a shape it could not use.)
const WIDENED: &[(&str, WarningKind)] = &[
    ("if", WarningKind::ValidationNotEnforced),
    ("then", WarningKind::ValidationNotEnforced),
    ("else", WarningKind::ValidationNotEnforced),
    ("propertyNames", WarningKind::ValidationNotEnforced),
    ("unevaluatedProperties", WarningKind::ValidationNotEnforced),
    ("unevaluatedItems", WarningKind::ValidationNotEnforced),
    ("dependentRequired", WarningKind::ValidationNotEnforced),
    ("dependentSchemas", WarningKind::ValidationNotEnforced),
    ("dependencies", WarningKind::ValidationNotEnforced),
    ("contains", WarningKind::ValidationNotEnforced),
    ("minContains", WarningKind::ValidationNotEnforced),
    ("maxContains", WarningKind::ValidationNotEnforced),
    ("patternProperties", WarningKind::UnsupportedKeyword),
    ("additionalItems", WarningKind::UnsupportedKeyword),
    ("$dynamicRef", WarningKind::UnsupportedKeyword),
    ("$recursiveRef", WarningKind::UnsupportedKeyword),
    ("$defs", WarningKind::UnsupportedKeyword),
    ("definitions", WarningKind::UnsupportedKeyword),
];

/// Modelled keywords the generated client does not check (it checks lengths, patterns,
/// item counts and bounds): kept in the document, with a warning.
const NOT_ENFORCED: &[&str] = &[
    "uniqueItems",
    "multipleOf",
    "minProperties",
    "maxProperties",
];

/// Keywords rewritten before the audit (`const`, `examples`, `prefixItems`): one still here
/// had a shape the rewrite could not use, and dropping it would change the type.
const UNSUPPORTED: &[&str] = &["const", "examples", "prefixItems"];

/// Audit one schema object after its own rewrite: move annotations and unknown keys into
/// extensions, keep keywords we cannot enforce as extensions with a warning, and
/// shape-check every modelled key's value.
pub(super) fn schema_keys(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    stray_required(map, at, cx);
    let keys: Vec<String> = map
        .keys()
        .filter(|k| !k.starts_with("x-") && !SCHEMA_KEYS.contains(&k.as_str()))
        .cloned()
        .collect();
    for key in keys {
        if UNSUPPORTED.contains(&key.as_str()) {
            return Err(at.push(&key).error(format!(
                "keyword `{key}` has a form that is not supported (it would be silently dropped)"
            )));
        }
        if let Some((_, kind)) = WIDENED.iter().find(|(k, _)| *k == key) {
            let what = match kind {
                WarningKind::ValidationNotEnforced => "is not enforced by the generated client",
                _ => "has no Rust representation; it is ignored (kept as an extension)",
            };
            cx.warn(*kind, &at.push(&key), format!("keyword `{key}` {what}"));
        }
        let rule = if ANNOTATIONS.contains(&key.as_str()) {
            rules::ANNOTATION_TO_EXTENSION
        } else {
            rules::UNKNOWN_TO_EXTENSION
        };
        move_to_extension(map, &key, at, cx, rule)?;
    }
    for key in NOT_ENFORCED {
        let meaningful = match map.get(*key) {
            Some(Value::Bool(b)) => *b,
            Some(_) => true,
            None => false,
        };
        if meaningful {
            cx.warn(
                WarningKind::ValidationNotEnforced,
                &at.push(key),
                format!("keyword `{key}` is not enforced by the generated client"),
            );
        }
    }
    // `{not: {}}` is the boolean schema `false`; any other `not` only narrows.
    if map
        .get("not")
        .is_some_and(|n| n.as_object().is_none_or(|m| !m.is_empty()))
    {
        cx.warn(
            WarningKind::ValidationNotEnforced,
            &at.push("not"),
            "keyword `not` is not enforced by the generated client",
        );
    }
    clamp_integer_bounds(map, at, cx);
    let bad: Vec<(String, &'static str)> = map
        .iter()
        .filter_map(|(k, v)| schema_value_problem(k, v).map(|e| (k.clone(), e)))
        .collect();
    for (key, expected) in bad {
        // Subschema keywords give the type its shape: without them there is no faithful type.
        if STRUCTURAL.contains(&key.as_str()) {
            return Err(at.push(&key).error(format!("`{key}` must be {expected}")));
        }
        let kind = match key.as_str() {
            "type" => WarningKind::TypeWidened,
            "discriminator" => WarningKind::DiscriminatorDropped,
            "title" | "description" | "externalDocs" | "deprecated" => WarningKind::StrayKey,
            _ => WarningKind::ValidationNotEnforced,
        };
        let value = map.shift_remove(&key).unwrap_or_default();
        let value = serde_json::to_string(&value).unwrap_or_default();
        let value: String = value.chars().take(60).collect();
        cx.warn(
            kind,
            &at.push(&key),
            format!("`{key}` must be {expected}, not {value}; ignored"),
        );
    }
    Ok(())
}

/// Keywords whose value gives a schema its shape; a bad value is refused, not dropped.
const STRUCTURAL: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "properties",
    "items",
    "not",
    "additionalProperties",
];

/// `required: true` inside a schema (a habit from parameter objects, and OpenAPI 2.0): not a
/// list of property names, so it says nothing about this schema. Ignored with a warning.
fn stray_required(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) {
    if map.get("required").is_some_and(Value::is_boolean) {
        let value = map.shift_remove("required").unwrap_or_default();
        cx.warn(
            WarningKind::StrayKey,
            &at.push("required"),
            format!(
                "`required: {value}` in a schema is not JSON Schema (`required` lists property \
                 names); ignored"
            ),
        );
    }
}

/// Integer bounds beyond the 64-bit range. Without a `format` that fixes the width, the value
/// gets a Rust integer that holds the range (`format: uint64` → `u64` for a minimum of at
/// least 0 and a maximum up to 2^64 - 1, else `format: int128` → `i128`) and the bounds that
/// do not fit `i64` leave the schema (`openapiv3` holds `i64` bounds; `u64` enforces its own,
/// an `i128` one is not checked client-side: warned). With `int32`/`int64` the document
/// contradicts itself: the bound is clamped to the 64-bit range, warned.
fn clamp_integer_bounds(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) {
    if map.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    // Past i64 either way: a u64 above i64::MAX, or a float at or beyond ±2^63.
    let beyond = |key: &str| match map.get(key) {
        Some(v) if v.as_u64().is_some_and(|u| u > i64::MAX as u64) => Some(i64::MAX),
        Some(v) if v.is_f64() => match v.as_f64() {
            Some(f) if f >= 9_223_372_036_854_775_807.0 => Some(i64::MAX),
            Some(f) if f <= -9_223_372_036_854_775_808.0 => Some(i64::MIN),
            _ => None,
        },
        _ => None,
    };
    let (low, high) = (beyond("minimum"), beyond("maximum"));
    if low.is_none() && high.is_none() {
        return;
    }
    let fixed = matches!(
        map.get("format").and_then(Value::as_str),
        Some("int32" | "int64")
    );
    // A bound past the wrong end (a minimum above i64::MAX…) describes no usable range.
    if !fixed && low != Some(i64::MAX) && high != Some(i64::MIN) {
        let min_ok = map
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| m >= 0.0);
        let max_ok = map.get("maximum").is_none_or(|v| v.as_u64().is_some());
        let (format, rust) = if min_ok && max_ok {
            ("uint64", "u64")
        } else {
            ("int128", "i128")
        };
        map.insert("format".into(), Value::from(format));
        for (key, past) in [("minimum", low), ("maximum", high)] {
            let Some(_) = past else { continue };
            let Some(v) = map.remove(key) else { continue };
            let message = if rust == "u64" {
                format!(
                    "integer bound {v} is beyond the 64-bit signed range: typed `u64`, which holds it"
                )
            } else {
                format!(
                    "integer bound {v} is beyond the 64-bit range: typed `i128`; this bound is not \
                     checked client-side"
                )
            };
            cx.warn(WarningKind::TypeWidened, &at.push(key), message);
        }
        return;
    }
    for (key, clamped) in [("minimum", low), ("maximum", high)] {
        let Some(clamped) = clamped else { continue };
        let f = map.get(key).cloned().unwrap_or_default();
        map.insert(key.to_owned(), Value::from(clamped));
        cx.warn(
            WarningKind::BoundClamped,
            &at.push(key),
            format!("integer bound {f} is beyond the 64-bit range; clamped to {clamped}"),
        );
    }
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
        // The document's own extension wins; this key (not read by the model) is dropped.
        cx.warn(
            WarningKind::StrayKey,
            &at.push(key),
            format!("`{key}` cannot be kept as extension `{ext}` (it exists already); ignored"),
        );
        return Ok(());
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

/// Keys of a non-schema object that `openapiv3` does not read (and that are not `x-`
/// extensions): invalid there (`type` in a response, `explode` in a header…), so they are
/// removed with a `stray_key` warning rather than dropped without a word.
pub(super) fn object_keys(
    map: &mut Map<String, Value>,
    allowed: &[&str],
    at: &Pointer,
    what: &str,
    cx: &mut Ctx,
) {
    let stray: Vec<String> = map
        .keys()
        .filter(|k| !k.starts_with("x-") && !allowed.contains(&k.as_str()))
        .cloned()
        .collect();
    for key in stray {
        map.shift_remove(&key);
        cx.warn(
            WarningKind::StrayKey,
            &at.push(&key),
            format!("key `{key}` is not valid in a {what}; ignored"),
        );
    }
}
