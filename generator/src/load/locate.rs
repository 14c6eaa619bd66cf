//! When `openapiv3` rejects the normalised document, find the deepest object that fails on
//! its own so the error names a precise JSON pointer (serde's messages from `openapiv3`'s
//! untagged/flattened types carry no path). Only runs on failure.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Error;
use crate::error::Pointer;

/// Deserialise `value` as `T`; the error message if it fails.
fn fails<T: DeserializeOwned>(value: &Value) -> Option<String> {
    T::deserialize(value).err().map(|e| e.to_string())
}

/// The error for a document `openapiv3` rejected with `message`.
pub(super) fn locate(doc: &Value, message: String) -> Error {
    match find(doc) {
        Some((at, msg)) => at.error(format!("not a valid OpenAPI object: {msg}")),
        None => Pointer::root().error(format!("not a valid OpenAPI document: {message}")),
    }
}

/// The error for the path item at `#/paths/<path>` that `openapiv3` rejected with `message`,
/// when the rest of the document reads (see `typed::read_path_items`).
pub(super) fn path_item_error(item: &Value, path: &str, message: String) -> Error {
    let at = Pointer::root().push("paths").push(path);
    match path_item(item, &at) {
        Some((at, msg)) => at.error(format!("not a valid OpenAPI object: {msg}")),
        None => at.error(format!("not a valid OpenAPI object: {message}")),
    }
}

fn entries<'v>(v: Option<&'v Value>, at: &Pointer) -> Vec<(Pointer, &'v Value)> {
    match v {
        Some(Value::Object(m)) => m
            .iter()
            .filter(|(k, _)| !k.starts_with("x-"))
            .map(|(k, v)| (at.push(k), v))
            .collect(),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (at.push(i.to_string()), v))
            .collect(),
        _ => Vec::new(),
    }
}

fn find(doc: &Value) -> Option<(Pointer, String)> {
    use openapiv3::*;
    let root = Pointer::root();
    if let Some(m) = fails::<Info>(doc.get("info").unwrap_or(&Value::Null)) {
        return Some((root.push("info"), m));
    }
    for (at, s) in entries(doc.get("servers"), &root.push("servers")) {
        if let Some(m) = fails::<Server>(s) {
            return Some((at, m));
        }
    }
    for (at, t) in entries(doc.get("tags"), &root.push("tags")) {
        if let Some(m) = fails::<Tag>(t) {
            return Some((at, m));
        }
    }
    for (at, item) in entries(doc.get("paths"), &root.push("paths")) {
        if let Some(found) = path_item(item, &at) {
            return Some(found);
        }
    }
    let comps = root.push("components");
    let c = doc.get("components");
    for (at, s) in entries(c.and_then(|c| c.get("schemas")), &comps.push("schemas")) {
        if let Some(found) = schema(s, &at) {
            return Some(found);
        }
    }
    for (at, p) in entries(
        c.and_then(|c| c.get("parameters")),
        &comps.push("parameters"),
    ) {
        if let Some(found) = parameter(p, &at) {
            return Some(found);
        }
    }
    for (at, r) in entries(c.and_then(|c| c.get("responses")), &comps.push("responses")) {
        if let Some(found) = response(r, &at) {
            return Some(found);
        }
    }
    for (at, r) in entries(
        c.and_then(|c| c.get("requestBodies")),
        &comps.push("requestBodies"),
    ) {
        if let Some(found) = body(r, &at) {
            return Some(found);
        }
    }
    for (at, h) in entries(c.and_then(|c| c.get("headers")), &comps.push("headers")) {
        if let Some(found) = header(h, &at) {
            return Some(found);
        }
    }
    let sections = c.and_then(|c| c.get("securitySchemes"));
    for (at, s) in entries(sections, &comps.push("securitySchemes")) {
        if let Some(m) = fails::<ReferenceOr<SecurityScheme>>(s) {
            return Some((at, m));
        }
    }
    if let Some(m) = fails::<Components>(c.unwrap_or(&Value::Null)).filter(|_| c.is_some()) {
        return Some((comps, m));
    }
    None
}

fn path_item(item: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    for (at, p) in entries(item.get("parameters"), &at.push("parameters")) {
        if let Some(found) = parameter(p, &at) {
            return Some(found);
        }
    }
    for method in super::audit::objects::METHODS {
        let Some(op) = item.get(*method) else {
            continue;
        };
        let at = at.push(method);
        for (at, p) in entries(op.get("parameters"), &at.push("parameters")) {
            if let Some(found) = parameter(p, &at) {
                return Some(found);
            }
        }
        if let Some(b) = op.get("requestBody")
            && let Some(found) = body(b, &at.push("requestBody"))
        {
            return Some(found);
        }
        for (at, r) in entries(op.get("responses"), &at.push("responses")) {
            if let Some(found) = response(r, &at) {
                return Some(found);
            }
        }
        if let Some(m) = fails::<openapiv3::Operation>(op) {
            return Some((at, m));
        }
    }
    fails::<openapiv3::ReferenceOr<openapiv3::PathItem>>(item).map(|m| (at.clone(), m))
}

fn parameter(p: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    if let Some(s) = p.get("schema")
        && let Some(found) = schema(s, &at.push("schema"))
    {
        return Some(found);
    }
    if let Some(found) = content(p.get("content"), &at.push("content")) {
        return Some(found);
    }
    fails::<openapiv3::ReferenceOr<openapiv3::Parameter>>(p).map(|m| (at.clone(), m))
}

fn header(h: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    if let Some(s) = h.get("schema")
        && let Some(found) = schema(s, &at.push("schema"))
    {
        return Some(found);
    }
    fails::<openapiv3::ReferenceOr<openapiv3::Header>>(h).map(|m| (at.clone(), m))
}

fn body(b: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    if let Some(found) = content(b.get("content"), &at.push("content")) {
        return Some(found);
    }
    fails::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(b).map(|m| (at.clone(), m))
}

fn response(r: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    for (at, h) in entries(r.get("headers"), &at.push("headers")) {
        if let Some(found) = header(h, &at) {
            return Some(found);
        }
    }
    if let Some(found) = content(r.get("content"), &at.push("content")) {
        return Some(found);
    }
    fails::<openapiv3::ReferenceOr<openapiv3::Response>>(r).map(|m| (at.clone(), m))
}

fn content(c: Option<&Value>, at: &Pointer) -> Option<(Pointer, String)> {
    for (at, mt) in entries(c, at) {
        if let Some(s) = mt.get("schema")
            && let Some(found) = schema(s, &at.push("schema"))
        {
            return Some(found);
        }
        if let Some(m) = fails::<openapiv3::MediaType>(mt) {
            return Some((at, m));
        }
    }
    None
}

/// The deepest failing schema at or below `s`.
fn schema(s: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    let message = fails::<openapiv3::ReferenceOr<openapiv3::Schema>>(s)?;
    let mut children = entries(s.get("properties"), &at.push("properties"));
    for key in ["items", "not", "additionalProperties"] {
        if let Some(c) = s.get(key).filter(|c| c.is_object()) {
            children.push((at.push(key), c));
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        children.extend(entries(s.get(key), &at.push(key)));
    }
    for (at, c) in children {
        if let Some(found) = schema(c, &at) {
            return Some(found);
        }
    }
    Some((at.clone(), message))
}
