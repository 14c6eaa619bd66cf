//! Parameter, header, request body and response objects `openapiv3` cannot read as written:
//! a parameter described by `content` (or Swagger 2.0 fields) instead of `schema`, `explode`
//! on a header object, a body or response that is a `$ref` to a schema. Each becomes the shape it
//! reads, with a warning where meaning changes.

use serde_json::{Map, Value};

use super::ctx::{Ctx, resolve};
use crate::WarningKind;
use crate::error::Pointer;

/// `explode` on a header (valid OpenAPI, not modelled by `openapiv3`): headers use the
/// `simple` style, where `explode` only changes how an object is written. Removed; a warning
/// only where it said something (`explode: true` on an object).
pub(super) fn header_explode(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) {
    let Some(explode) = map.shift_remove("explode") else {
        return;
    };
    let object = map
        .get("schema")
        .map(|s| follow(cx.original, s))
        .and_then(|s| s.get("type"))
        .is_some_and(|t| t == "object");
    if explode == Value::Bool(true) && object {
        cx.warn(
            WarningKind::UnsupportedKeyword,
            &at.push("explode"),
            "`explode: true` on an object header is not supported; it is written unexploded",
        );
    }
}

/// A parameter described by `content` (one media type) instead of `schema`: the media type's
/// schema describes the value, and `x-content-media-type` tells the model to send the value
/// as that media type's text (JSON text for a JSON media type).
pub(super) fn content_to_schema(map: &mut Map<String, Value>) {
    if map.contains_key("schema") {
        return;
    }
    let Some(Value::Object(content)) = map.get("content") else {
        return;
    };
    let Some((media, mt)) = content.iter().next() else {
        return;
    };
    let media = media.clone();
    let schema = mt
        .get("schema")
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    map.shift_remove("content");
    map.insert("x-content-media-type".into(), Value::String(media));
    map.insert("schema".into(), schema);
}

/// `schema` with local `$ref`s followed (in the original document); itself if unresolved.
pub(super) fn follow<'v>(doc: &'v Value, schema: &'v Value) -> &'v Value {
    let mut current = schema;
    for _ in 0..16 {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .map(|r| resolve(doc, r))
        {
            Some(Ok(target)) => current = target,
            _ => break,
        }
    }
    current
}

/// Swagger 2.0 parameter fields that describe the value (OpenAPI 3 puts them in `schema`).
pub(super) const SWAGGER2_SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
];

/// A parameter or header with neither `schema` nor `content`: Swagger 2.0 fields (`type`,
/// `format`, `items`…) written on it move into a `schema`, with a `stray_key` warning; with
/// none, the value is read as a string (`type_widened`).
pub(super) fn swagger2_schema(
    map: &mut Map<String, Value>,
    at: &Pointer,
    cx: &mut Ctx,
    what: &str,
) {
    if map.contains_key("schema") || map.contains_key("content") {
        return;
    }
    let mut schema = Map::new();
    for key in SWAGGER2_SCHEMA_KEYS {
        if let Some(v) = map.shift_remove(*key) {
            schema.insert((*key).to_owned(), v);
        }
    }
    if schema.is_empty() {
        schema.insert("type".into(), Value::String("string".into()));
        cx.warn(
            WarningKind::TypeWidened,
            &at.push("schema"),
            format!("a {what} needs `schema` or `content`; its value is read as a string"),
        );
    } else {
        let keys: Vec<String> = schema.keys().map(|k| format!("`{k}`")).collect();
        cx.warn(
            WarningKind::StrayKey,
            &at.push(schema.keys().next().map_or("type", String::as_str)),
            format!(
                "Swagger 2.0 {what} fields ({}) belong in `schema`; read as its schema",
                keys.join(", ")
            ),
        );
    }
    map.insert("schema".into(), Value::Object(schema));
}

/// A request body or response written as a `$ref` to a *schema* (`#/components/schemas/X`,
/// a common slip): read as a JSON body of that schema, with a `stray_key` warning.
pub(super) fn schema_ref_as_body(value: &mut Value, at: &Pointer, cx: &mut Ctx, what: &str) {
    let Some(r) = value.get("$ref").and_then(Value::as_str) else {
        return;
    };
    if !r.starts_with("#/components/schemas/") {
        return;
    }
    let r = r.to_owned();
    let mut body = serde_json::json!({
        "content": {"application/json": {"schema": {"$ref": r}}}
    });
    if what == "response" {
        body["description"] = Value::String(String::new());
    } else {
        body["required"] = Value::Bool(true);
    }
    *value = body;
    cx.warn(
        WarningKind::StrayKey,
        &at.push("$ref"),
        format!("a {what} `$ref` must name a {what} object, not schema `{r}`; read as a JSON body of that schema"),
    );
}
