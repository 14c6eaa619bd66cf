//! Swagger 2.0 → OpenAPI 3.0 for path items, operations, parameters and responses (see
//! `swagger2.rs`). `at` is always the place in the 2.0 document, `out_at` the place in the
//! 3.0 one; where they differ, the pair goes into the origins.

use serde_json::{Map, Value, json};

use super::swagger2_common::{Cx, media_list, schema};
use crate::WarningKind;
use crate::error::Pointer;

pub(super) const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

pub(super) fn path_item(
    item: &Value,
    at: &Pointer,
    out_at: &Pointer,
    consumes: &Option<Vec<String>>,
    produces: &Option<Vec<String>>,
    cx: &mut Cx,
) -> Value {
    let Some(map) = item.as_object() else {
        return item.clone();
    };
    // Path-level bodies and form fields apply to every operation: they join each one's body.
    let shared: Vec<(Pointer, Value)> = list(map.get("parameters"))
        .iter()
        .enumerate()
        .map(|(i, p)| (at.push("parameters").push(i.to_string()), p.clone()))
        .collect();
    let mut out = Map::new();
    for (key, value) in map {
        let (at, out_at) = (at.push(key), out_at.push(key));
        match key.as_str() {
            // Not a list: kept for the normalisation to refuse with its place.
            "parameters" if !value.is_array() => {
                out.insert(key.clone(), value.clone());
            }
            "parameters" => {
                let kept = parameters(&shared, &out_at, cx).0;
                if !kept.is_empty() {
                    out.insert(key.clone(), Value::Array(kept));
                }
            }
            m if METHODS.contains(&m) => {
                let op = operation(value, &at, &out_at, &shared, consumes, produces, cx);
                out.insert(key.clone(), op);
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

fn list(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The parameter a `$ref` names (`#/parameters/X`), with its place; else itself.
fn resolved<'v>(p: &'v Value, at: &Pointer, cx: &Cx<'v>) -> (Pointer, &'v Value) {
    if let Some(r) = p.get("$ref").and_then(Value::as_str)
        && let Some(name) = r.strip_prefix("#/parameters/")
        && let Some(target) = cx
            .original
            .get("parameters")
            .and_then(|ps| ps.get(name.replace("~1", "/").replace("~0", "~")))
    {
        return (Pointer(format!("#/parameters/{name}")), target);
    }
    (at.clone(), p)
}

/// Converted non-body parameters (with their origins recorded under `out_at`), and the body
/// and form ones, resolved, for the request body.
#[allow(clippy::type_complexity)]
fn parameters(
    params: &[(Pointer, Value)],
    out_at: &Pointer,
    cx: &mut Cx,
) -> (Vec<Value>, Vec<(Pointer, Value)>) {
    let mut kept = Vec::new();
    let mut body = Vec::new();
    for (at, p) in params {
        let (target_at, target) = {
            let (a, t) = resolved(p, at, cx);
            (a, t.clone())
        };
        match target.get("in").and_then(Value::as_str) {
            Some("body" | "formData") => body.push((target_at, target)),
            _ => {
                let here = out_at.push(kept.len().to_string());
                let converted = if p.get("$ref").is_some() {
                    p.clone()
                } else {
                    parameter(p, at, Some(&here), cx)
                };
                cx.origins.add(here.as_str(), at.as_str());
                kept.push(converted);
            }
        }
    }
    (kept, body)
}

/// One non-body parameter: value keys → `schema`, `collectionFormat` → `style`/`explode`.
pub(super) fn parameter(p: &Value, at: &Pointer, out_at: Option<&Pointer>, cx: &mut Cx) -> Value {
    let Some(map) = p.as_object() else {
        return p.clone();
    };
    if map.contains_key("$ref") {
        return p.clone();
    }
    let mut out = Map::new();
    let mut value = Map::new();
    let location = map.get("in").and_then(Value::as_str).unwrap_or("");
    for (key, v) in map {
        // The keys that describe the value live in `schema` in 3.0; `x-nullable` too.
        if key == "x-nullable" || super::params::SWAGGER2_SCHEMA_KEYS.contains(&key.as_str()) {
            value.insert(key.clone(), v.clone());
        } else if key != "collectionFormat" {
            out.insert(key.clone(), v.clone());
        }
    }
    let format = map.get("collectionFormat").and_then(Value::as_str);
    let is_array = value.get("type").and_then(Value::as_str) == Some("array");
    let mut value = Value::Object(value);
    value_schema(&mut value, at, cx);
    if is_array {
        let (style, explode) = collection(format, location, at, cx);
        if let Some(style) = style {
            out.insert("style".into(), json!(style));
        }
        if let Some(explode) = explode {
            out.insert("explode".into(), json!(explode));
        }
        if let Some(f @ ("tsv" | "ssv" | "pipes")) = format
            && style.is_none()
        {
            out.insert("x-collectionFormat".into(), json!(f));
        }
    }
    out.insert("schema".into(), value);
    if let Some(out_at) = out_at {
        // The schema's keys sat on the parameter; its style on `collectionFormat`.
        cx.origins.add(out_at.push("schema").as_str(), at.as_str());
        let style_at = if map.contains_key("collectionFormat") {
            at.push("collectionFormat")
        } else {
            at.clone()
        };
        for key in ["style", "explode"] {
            if out.contains_key(key) {
                cx.origins.add(out_at.push(key).as_str(), style_at.as_str());
            }
        }
    }
    Value::Object(out)
}

/// The schema of a non-body value (its fields sit on the parameter at `param_at`). `items`
/// with their own `collectionFormat` (nested arrays) have no 3.0 form for the inner separator.
fn value_schema(v: &mut Value, param_at: &Pointer, cx: &mut Cx) {
    let mut at = param_at.push("items");
    let mut cur = v.get_mut("items");
    while let Some(Value::Object(items)) = cur {
        if let Some(f) = items.shift_remove("collectionFormat") {
            let f = f.as_str().map_or_else(|| f.to_string(), str::to_owned);
            cx.warn(
                WarningKind::UnsupportedKeyword,
                &at.push("collectionFormat"),
                format!(
                    "a nested array's `collectionFormat: {f}` has no OpenAPI 3 form; the inner \
                     values are written in the outer array's style"
                ),
            );
        }
        at = at.push("items");
        cur = items.get_mut("items");
    }
    schema(v, param_at, cx);
}

/// `collectionFormat` (default `csv`) of an array in `location` → 3.0 `style`/`explode`
/// (`None` where the 3.0 default for the location already says it).
fn collection(
    format: Option<&str>,
    location: &str,
    at: &Pointer,
    cx: &mut Cx,
) -> (Option<&'static str>, Option<bool>) {
    let format = format.unwrap_or("csv");
    let query = location == "query";
    let form = location == "formData";
    match format {
        "csv" if query || form => (Some("form"), Some(false)),
        "csv" => (None, None),
        "multi" if query || form => (Some("form"), Some(true)),
        "ssv" if query => (Some("spaceDelimited"), Some(false)),
        "pipes" if query => (Some("pipeDelimited"), Some(false)),
        other => {
            let why = match other {
                "tsv" => "`collectionFormat: tsv` has no OpenAPI 3 style".to_owned(),
                "multi" | "ssv" | "pipes" => {
                    format!("`collectionFormat: {other}` has no OpenAPI 3 style in `{location}`")
                }
                _ => format!("unknown `collectionFormat: {other}`"),
            };
            cx.warn(
                WarningKind::UnsupportedKeyword,
                &at.push("collectionFormat"),
                format!(
                    "{why}: kept as `x-collectionFormat`; the values are written in the \
                     OpenAPI 3 default style of `{location}`"
                ),
            );
            (None, None)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn operation(
    op: &Value,
    at: &Pointer,
    out_at: &Pointer,
    shared: &[(Pointer, Value)],
    consumes: &Option<Vec<String>>,
    produces: &Option<Vec<String>>,
    cx: &mut Cx,
) -> Value {
    let Some(map) = op.as_object() else {
        return op.clone();
    };
    let consumes = media_list(map.get("consumes")).or_else(|| consumes.clone());
    let produces = media_list(map.get("produces")).or_else(|| produces.clone());
    let own: Vec<(Pointer, Value)> = list(map.get("parameters"))
        .iter()
        .enumerate()
        .map(|(i, p)| (at.push("parameters").push(i.to_string()), p.clone()))
        .collect();
    let (kept, mut body) = parameters(&own, &out_at.push("parameters"), cx);
    // Path-level bodies and form fields not overridden by the operation's own.
    let (_, shared_body) = {
        let mut scratch = Cx {
            original: cx.original,
            warnings: Vec::new(),
            origins: Default::default(),
        };
        parameters(shared, &Pointer::root(), &mut scratch)
    };
    for (pat, p) in shared_body {
        let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
        if !body.iter().any(|(_, b)| key(b) == key(&p)) {
            body.push((pat, p));
        }
    }
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "consumes" | "produces" => {}
            "parameters" | "responses" if !value.is_array() && !value.is_object() => {
                out.insert(key.clone(), value.clone());
            }
            "parameters" => {
                if !kept.is_empty() {
                    out.insert(key.clone(), Value::Array(kept.clone()));
                }
            }
            "responses" => {
                let mut rs = Map::new();
                for (code, r) in value.as_object().into_iter().flatten() {
                    let r = response(
                        r,
                        &at.push(key).push(code),
                        &out_at.push(key).push(code),
                        &produces,
                        cx,
                    );
                    rs.insert(code.clone(), r);
                }
                out.insert(key.clone(), Value::Object(rs));
            }
            "schemes" => {
                let servers: Vec<Value> = list(Some(value))
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(|s| server_with_scheme(cx.original, s))
                    .collect();
                if !servers.is_empty() {
                    out.insert("servers".into(), Value::Array(servers));
                    cx.origins
                        .add(out_at.push("servers").as_str(), at.push(key).as_str());
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(rb) = request_body(&body, &consumes, &out_at.push("requestBody"), cx) {
        out.insert("requestBody".into(), rb);
    }
    Value::Object(out)
}

/// The document's server URL with another scheme (an operation's own `schemes`).
fn server_with_scheme(doc: &Value, scheme: &str) -> Option<Value> {
    let host = doc.get("host")?.as_str()?;
    let base = doc.get("basePath").and_then(Value::as_str).unwrap_or("");
    Some(json!({"url": format!("{scheme}://{host}{}", base.trim_end_matches('/'))}))
}

/// `in: body` → a body of that schema per `consumes` type (default JSON); `in: formData`
/// → an object schema of the fields, form-encoded, or multipart when a field is a file or
/// `consumes` says so.
fn request_body(
    params: &[(Pointer, Value)],
    consumes: &Option<Vec<String>>,
    out_at: &Pointer,
    cx: &mut Cx,
) -> Option<Value> {
    let body = params
        .iter()
        .find(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"));
    let fields: Vec<&(Pointer, Value)> = params
        .iter()
        .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("formData"))
        .collect();
    let mut out = Map::new();
    if let Some((at, p)) = body {
        let bodies = params
            .iter()
            .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"));
        for (other, _) in bodies.skip(1) {
            cx.warn(
                WarningKind::StrayKey,
                other,
                "an operation has one `in: body` parameter; this second one is ignored",
            );
        }
        for (other, _) in &fields {
            cx.warn(
                WarningKind::StrayKey,
                other,
                "an operation with an `in: body` parameter cannot also have form fields; \
                 this one is ignored",
            );
        }
        let types = consumes
            .clone()
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| vec!["application/json".to_owned()]);
        let mut s = p.get("schema").cloned().unwrap_or_else(|| json!({}));
        schema(&mut s, &at.push("schema"), cx);
        let examples = p.get("x-examples").and_then(Value::as_object);
        let mut content = Map::new();
        for t in &types {
            let mut media = Map::new();
            media.insert("schema".into(), s.clone());
            if let Some(ex) = examples.and_then(|e| e.get(t)) {
                media.insert("example".into(), ex.clone());
            }
            let media_at = out_at.push("content").push(t);
            cx.origins
                .add(media_at.push("schema").as_str(), at.push("schema").as_str());
            content.insert(t.clone(), Value::Object(media));
        }
        copy(p, &mut out, &["description", "required"]);
        out.insert("content".into(), Value::Object(content));
        if let Some(name) = p.get("name") {
            out.insert("x-codegen-request-body-name".into(), name.clone());
        }
        cx.origins.add(out_at.as_str(), at.as_str());
        return Some(Value::Object(out));
    }
    if fields.is_empty() {
        return None;
    }
    let has_file = fields
        .iter()
        .any(|(_, p)| p.get("type").and_then(Value::as_str) == Some("file"));
    let mut types: Vec<String> = consumes
        .iter()
        .flatten()
        .filter(|t| {
            let t = t.split(';').next().unwrap_or("").trim();
            t == FORM || t == MULTIPART
        })
        .cloned()
        .collect();
    if types.is_empty() {
        types.push(if has_file { MULTIPART } else { FORM }.to_owned());
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    for (at, p) in &fields {
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        let mut converted = parameter(p, at, None, cx);
        let mut s = converted
            .get_mut("schema")
            .map(Value::take)
            .unwrap_or_default();
        if let (Some(d), Value::Object(m)) = (p.get("description"), &mut s) {
            m.insert("description".into(), d.clone());
        }
        if p.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(json!(name));
        }
        if p.get("allowEmptyValue").and_then(Value::as_bool) == Some(true) {
            cx.warn(
                WarningKind::UnsupportedKeyword,
                &at.push("allowEmptyValue"),
                "OpenAPI 3 has no `allowEmptyValue` for a form field; an empty value is sent \
                 only if the field's schema allows one",
            );
        }
        if let Some(style) = converted.get("style") {
            let explode = converted.get("explode").cloned().unwrap_or(json!(false));
            encoding.insert(name.to_owned(), json!({"style": style, "explode": explode}));
        }
        properties.insert(name.to_owned(), s);
        for t in &types {
            let prop_at = out_at
                .push("content")
                .push(t)
                .push("schema")
                .push("properties")
                .push(name);
            cx.origins.add(prop_at.as_str(), at.as_str());
        }
    }
    let mut s = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        s["required"] = Value::Array(required.clone());
    }
    let mut content = Map::new();
    for t in &types {
        let mut media = json!({"schema": s});
        if !encoding.is_empty() {
            media["encoding"] = Value::Object(encoding.clone());
        }
        content.insert(t.clone(), media);
    }
    out.insert("content".into(), Value::Object(content));
    if !required.is_empty() {
        out.insert("required".into(), json!(true));
    }
    if let Some((at, _)) = fields.first() {
        cx.origins.add(out_at.as_str(), at.as_str());
    }
    Some(Value::Object(out))
}

fn copy(from: &Value, to: &mut Map<String, Value>, keys: &[&str]) {
    for k in keys {
        if let Some(v) = from.get(*k) {
            to.insert((*k).to_owned(), v.clone());
        }
    }
}

/// A response: `schema` → `content` per `produces` type (default JSON), `examples` per mime
/// type → that type's `example`, headers' value keys → their `schema`.
pub(super) fn response(
    r: &Value,
    at: &Pointer,
    out_at: &Pointer,
    produces: &Option<Vec<String>>,
    cx: &mut Cx,
) -> Value {
    let Some(map) = r.as_object() else {
        return r.clone();
    };
    if map.contains_key("$ref") {
        return r.clone();
    }
    let mut out = Map::new();
    let mut content = Map::new();
    let schema_value = map.get("schema").map(|s| {
        let mut s = s.clone();
        schema(&mut s, &at.push("schema"), cx);
        s
    });
    if let Some(s) = &schema_value {
        let types = produces
            .clone()
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| vec!["application/json".to_owned()]);
        for t in types {
            let media_at = out_at.push("content").push(&t).push("schema");
            cx.origins
                .add(media_at.as_str(), at.push("schema").as_str());
            content.insert(t, json!({"schema": s}));
        }
    }
    if let Some(Value::Object(examples)) = map.get("examples") {
        for (t, example) in examples {
            let entry = content
                .entry(t.clone())
                .or_insert_with(|| match &schema_value {
                    Some(s) => json!({"schema": s}),
                    None => json!({}),
                });
            entry["example"] = example.clone();
            cx.origins.add(
                out_at.push("content").push(t).push("example").as_str(),
                at.push("examples").push(t).as_str(),
            );
        }
    }
    for (key, value) in map {
        match key.as_str() {
            "schema" | "examples" => {}
            "headers" => {
                let mut hs = Map::new();
                for (name, h) in value.as_object().into_iter().flatten() {
                    let h_at = at.push(key).push(name);
                    let h_out = out_at.push(key).push(name);
                    let mut converted = parameter(h, &h_at, Some(&h_out), cx);
                    if let Value::Object(m) = &mut converted {
                        // `in: header` is implied for a response header.
                        m.shift_remove("style");
                    }
                    cx.origins.add(h_out.as_str(), h_at.as_str());
                    hs.insert(name.clone(), converted);
                }
                out.insert(key.clone(), Value::Object(hs));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if !content.is_empty() {
        out.insert("content".into(), Value::Object(content));
    }
    Value::Object(out)
}
