//! Parameter, header, request body and response objects `openapiv3` cannot read as written:
//! a parameter described by `content` (or Swagger 2.0 fields) instead of `schema`, `explode`
//! on a header, a body or response that is a `$ref` to a schema. Each becomes the shape it
//! reads, with a warning where meaning changes.

use serde_json::{Map, Value};

use super::document::{Ctx, resolve};
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
/// schema describes the value. Numbers and booleans are written the same as plain values or
/// as JSON text, so they keep their schema; anything else carried as JSON text becomes a
/// string (the caller passes the JSON text), with a warning.
pub(super) fn content_to_schema(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) {
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
    let resolved = follow(cx.original, &schema);
    let scalar = match resolved.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        Some(Value::Array(ts)) => {
            match ts.iter().filter(|t| *t != "null").collect::<Vec<_>>()[..] {
                [Value::String(t)] => Some(t.as_str()),
                _ => None,
            }
        }
        _ => None,
    };
    let json = media.contains("json");
    let keep = match scalar {
        Some("number" | "integer" | "boolean") => true,
        Some("string") => !json,
        _ => false,
    };
    map.shift_remove("content");
    map.insert("x-content-media-type".into(), Value::String(media.clone()));
    if keep {
        map.insert("schema".into(), schema);
        return;
    }
    map.insert("x-content-schema".into(), schema);
    map.insert("schema".into(), serde_json::json!({"type": "string"}));
    // The generated docs say what the string must hold.
    let note = format!("Serialised `{media}` text.");
    let description = match map.get("description").and_then(Value::as_str) {
        Some(d) => format!("{}\n\n{note}", d.trim_end()),
        None => note,
    };
    map.insert("description".into(), Value::String(description));
    cx.warn(
        WarningKind::TypeWidened,
        &at.push("content").push(&media),
        format!(
            "a `{media}` parameter whose schema is not a number or boolean is passed as a \
             string: the caller supplies the serialised `{media}` text"
        ),
    );
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
const SWAGGER2_SCHEMA_KEYS: &[&str] = &[
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

/// Query parameter serialisations the generated client does not write: it sends arrays
/// exploded (`tag=a&tag=b`, the `form` default) and objects as one JSON text value. Where the
/// document asks for something else, the request differs from it: say so.
pub(super) fn query_style(map: &Map<String, Value>, at: &Pointer, cx: &mut Ctx) {
    if map.get("in").and_then(Value::as_str) != Some("query") {
        return;
    }
    let Some(schema) = map.get("schema") else {
        return;
    };
    let schema = follow(cx.original, schema);
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let object = types.contains(&"object")
        || schema.get("properties").is_some()
        || schema
            .get("additionalProperties")
            .is_some_and(Value::is_object);
    let style = map.get("style").and_then(Value::as_str).unwrap_or("form");
    let exploded = map
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    if object {
        cx.warn(
            WarningKind::UnsupportedKeyword,
            &at.push("style"),
            format!(
                "an object query parameter (`style: {style}`) is sent as one JSON text value, \
                 not in that style"
            ),
        );
    } else if types.contains(&"array") && (style != "form" || !exploded) {
        cx.warn(
            WarningKind::UnsupportedKeyword,
            &at.push(if style != "form" { "style" } else { "explode" }),
            format!(
                "an array query parameter (`style: {style}`, `explode: {exploded}`) is sent \
                 exploded (`name=a&name=b`)"
            ),
        );
    }
}
