//! The document walk: version and 3.1-only top-level keys, then every path item, operation,
//! parameter, request body, response, header and media type (and the same objects under
//! `components`), handing each schema to [`super::schema`]. Also checks every `$ref` for
//! resolution (errors with JSON pointers) and renames duplicate operationIds (a warning).

use serde_json::{Map, Value};

use super::audit::{self, objects};
use super::ctx::{Ctx, percent_decode};
use super::report::rules;
use super::{params, repair, schema};
use crate::error::Pointer;
use crate::{Result, WarningKind};

/// Path item `$ref`s inlined per document at most: a `$ref` inside a callback of the path
/// item it names would otherwise be inlined forever, and a chain of path items referring
/// to others several times grows exponentially.
const MAX_PATH_ITEM_INLINES: usize = 1_000;

/// Normalise the whole document in place.
pub(super) fn document(doc: &mut Value, cx: &mut Ctx) -> Result<()> {
    let root = Pointer::root();
    let Some(map) = doc.as_object_mut() else {
        return Err(root.error("the document must be a mapping (an OpenAPI object)"));
    };
    repair::version(map, &root, cx)?;
    for key in ["webhooks", "jsonSchemaDialect"] {
        audit::move_to_extension(map, key, &root, cx, rules::KEY_TO_EXTENSION)?;
    }
    audit::object_keys(map, objects::OPENAPI, &root, "OpenAPI object", cx);

    let at = root.push("info");
    let Some(info) = map.get_mut("info").and_then(Value::as_object_mut) else {
        return Err(at.error("`info` is required and must be a mapping"));
    };
    for (key, default) in [("title", "API"), ("version", "0")] {
        if !info.get(key).is_some_and(Value::is_string) {
            info.insert(key.into(), Value::String(default.into()));
            cx.warn(
                WarningKind::MissingKey,
                &at.push(key),
                format!("`info` needs a string `{key}`; `{default}` is used"),
            );
        }
    }
    audit::move_to_extension(info, "summary", &at, cx, rules::KEY_TO_EXTENSION)?;
    audit::object_keys(info, objects::INFO, &at, "info object", cx);
    if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
        let at = at.push("license");
        audit::move_to_extension(license, "identifier", &at, cx, rules::KEY_TO_EXTENSION)?;
    }

    if !map.contains_key("paths") {
        map.insert("paths".into(), Value::Object(Map::new()));
        cx.bump(rules::MISSING_ADDED);
    }
    let at = root.push("paths");
    let Some(paths) = map.get_mut("paths").and_then(Value::as_object_mut) else {
        return Err(at.error("`paths` must be a mapping"));
    };
    repair::leading_slashes(paths, &at, cx)?;
    for (path, item) in paths.iter_mut() {
        if path.starts_with("x-") {
            continue;
        }
        path_item(item, &at.push(path), cx)?;
    }

    if let Some(components) = map.get_mut("components") {
        self::components(components, &root.push("components"), cx)?;
    }
    Ok(())
}

fn components(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let Some(map) = value.as_object_mut() else {
        return Err(at.error("`components` must be a mapping"));
    };
    // 3.1-only; path items referring to them are inlined by `path_item`.
    audit::move_to_extension(map, "pathItems", at, cx, rules::KEY_TO_EXTENSION)?;
    audit::object_keys(map, objects::COMPONENTS, at, "components object", cx);
    type Walk = fn(&mut Value, &Pointer, &mut Ctx) -> Result<()>;
    let sections: [(&str, Walk); 9] = [
        ("schemas", schema::schema),
        ("responses", response),
        ("parameters", parameter),
        ("examples", ref_only),
        ("requestBodies", request_body),
        ("headers", header),
        ("securitySchemes", security_scheme),
        ("links", ref_only),
        ("callbacks", callback),
    ];
    for (section, walk) in sections {
        let at = at.push(section);
        let Some(entries) = map.get_mut(section) else {
            continue;
        };
        let Some(entries) = entries.as_object_mut() else {
            return Err(at.error(format!("`{section}` must be a mapping")));
        };
        for (name, entry) in entries.iter_mut() {
            walk(entry, &at.push(name), cx)?;
        }
    }
    Ok(())
}

/// If `value` is a `$ref` object, check it and return true. Non-schema references keep only
/// `$ref` in `openapiv3`; a sibling (3.1 allows `summary` and `description`, which override
/// the target's) is removed with a warning.
fn reference(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<bool> {
    let Some(map) = value.as_object_mut() else {
        return Err(at.error("expected a mapping"));
    };
    let Some(r) = map.get("$ref") else {
        return Ok(false);
    };
    cx.check_ref(r, at)?;
    let siblings: Vec<String> = map.keys().filter(|k| *k != "$ref").cloned().collect();
    for key in siblings {
        map.shift_remove(&key);
        cx.warn(
            WarningKind::StrayKey,
            &at.push(&key),
            format!("`{key}` next to a non-schema `$ref` is ignored (the target's is used)"),
        );
    }
    Ok(true)
}

/// Objects we only check for references (examples, links).
fn ref_only(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    reference(value, at, cx).map(|_| ())
}

fn security_scheme(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    if reference(value, at, cx)? {
        return Ok(());
    }
    match value.get("type").and_then(Value::as_str) {
        Some("apiKey" | "http" | "oauth2" | "openIdConnect") => Ok(()),
        Some(other) => {
            // `mutualTLS` (3.1) and the like: the generated client never builds credentials
            // from the document (the runtime owns auth), so the scheme is only documentation.
            cx.warn(
                WarningKind::UnsupportedKeyword,
                &at.push("type"),
                format!("security scheme type `{other}` is not supported; the scheme is ignored"),
            );
            *value =
                serde_json::json!({"type": "http", "scheme": other, "x-unsupported-type": other});
            Ok(())
        }
        None => Err(at.error("security scheme needs a `type`")),
    }
}

/// A path item; a `$ref` path item is replaced by (a copy of) its target, since
/// `components.pathItems` only exists in 3.1 and callbacks cannot hold references.
fn path_item(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    // This path item's own place and every target inlined into it.
    let mut followed: Vec<String> = vec![at.to_string()];
    while let Some(r) = value.get("$ref") {
        let target = cx.check_ref(r, at)?;
        let r = r.as_str().unwrap_or_default().to_owned();
        let decoded = percent_decode(&r).unwrap_or_default();
        if let Some(start) = followed.iter().position(|f| *f == r || *f == decoded) {
            let chain: Vec<String> = followed[start..]
                .iter()
                .chain([&r])
                .map(|f| format!("`{f}`"))
                .collect();
            return Err(at.error(format!(
                "path item `$ref`s form a cycle: {}",
                chain.join(" → ")
            )));
        }
        if cx.inlining.contains(&r) || cx.inlining.contains(&decoded) {
            return Err(at.error(format!(
                "path item `$ref` `{r}` names a path item that contains this one (a cycle)"
            )));
        }
        cx.inlined += 1;
        if cx.inlined > MAX_PATH_ITEM_INLINES {
            return Err(at.error(format!(
                "more than {MAX_PATH_ITEM_INLINES} path item `$ref`s to inline (path items \
                 that refer to others several times grow exponentially)"
            )));
        }
        let siblings: Vec<(String, Value)> = value
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k != "$ref")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        *value = target.clone();
        if let Some(map) = value.as_object_mut() {
            map.extend(siblings);
        }
        cx.bump(rules::PATH_ITEM_REF_INLINED);
        followed.push(r);
    }
    // The path item and its targets stay "being walked" while their content is, so a `$ref`
    // to one of them inside (in a callback) is reported as a cycle instead of recursing.
    let outer = cx.inlining.len();
    cx.inlining.extend(followed);
    let result = path_item_fields(value, at, cx);
    cx.inlining.truncate(outer);
    result
}

fn path_item_fields(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let Some(map) = value.as_object_mut() else {
        return Err(at.error("a path item must be a mapping"));
    };
    audit::object_keys(map, objects::PATH_ITEM, at, "path item", cx);
    if let Some(params) = map.get_mut("parameters") {
        parameters(params, &at.push("parameters"), cx)?;
    }
    for method in objects::METHODS {
        if let Some(op) = map.get_mut(*method) {
            operation(op, &at.push(method), cx)?;
        }
    }
    Ok(())
}

fn parameters(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let Some(list) = value.as_array_mut() else {
        return Err(at.error("`parameters` must be a list"));
    };
    for (i, p) in list.iter_mut().enumerate() {
        parameter(p, &at.push(i.to_string()), cx)?;
    }
    Ok(())
}

fn operation(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let Some(map) = value.as_object_mut() else {
        return Err(at.error("an operation must be a mapping"));
    };
    audit::object_keys(map, objects::OPERATION, at, "operation", cx);
    if let Some(id) = map.get("operationId") {
        let here = at.push("operationId");
        let Some(id) = id.as_str() else {
            return Err(here.error("`operationId` must be a string"));
        };
        let id = repair::unique_operation_id(map, id.to_owned(), &here, cx);
        cx.op_ids.insert(id, here.to_string());
    }
    if let Some(params) = map.get_mut("parameters") {
        parameters(params, &at.push("parameters"), cx)?;
    }
    if let Some(body) = map.get_mut("requestBody") {
        request_body(body, &at.push("requestBody"), cx)?;
    }
    if !map.contains_key("responses") {
        // Optional in 3.1, required by `openapiv3`.
        map.insert("responses".into(), Value::Object(Map::new()));
        cx.bump(rules::MISSING_ADDED);
    }
    let at_responses = at.push("responses");
    let Some(responses) = map.get_mut("responses").and_then(Value::as_object_mut) else {
        return Err(at_responses.error("`responses` must be a mapping"));
    };
    let mut bad_codes = Vec::new();
    for (code, r) in responses.iter_mut() {
        if code.starts_with("x-") {
            continue;
        }
        if code != "default" && !is_status_code(code) {
            bad_codes.push(code.clone());
            continue;
        }
        response(r, &at_responses.push(code), cx)?;
    }
    // A key that is no status code (`2OO`) matches no response: ignored, so that status
    // is handled as undocumented.
    for code in bad_codes {
        responses.shift_remove(&code);
        cx.warn(
            WarningKind::StrayKey,
            &at_responses.push(&code),
            format!(
                "response key `{code}` is not a status code, `1XX`..`5XX` or `default`; the \
                 response is ignored"
            ),
        );
    }
    if let Some(callbacks) = map.get_mut("callbacks") {
        let at = at.push("callbacks");
        let Some(callbacks) = callbacks.as_object_mut() else {
            return Err(at.error("`callbacks` must be a mapping"));
        };
        for (name, cb) in callbacks.iter_mut() {
            let at = at.push(name);
            if let Some(r) = cb.get("$ref") {
                // `openapiv3` reads no references here: use a copy of the target.
                let target = cx.check_ref(r, &at)?.clone();
                if target.get("$ref").is_some() {
                    return Err(
                        at.error("a `$ref` callback naming another `$ref` is not supported")
                    );
                }
                *cb = target;
            }
            callback(cb, &at, cx)?;
        }
    }
    Ok(())
}

fn is_status_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 3
        && b[0].is_ascii_digit()
        && ((b[1].is_ascii_digit() && b[2].is_ascii_digit())
            || (b[1].eq_ignore_ascii_case(&b'X') && b[2].eq_ignore_ascii_case(&b'X')))
}

fn callback(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    if reference(value, at, cx)? {
        return Ok(());
    }
    let Some(map) = value.as_object_mut() else {
        return Err(at.error("a callback must be a mapping"));
    };
    for (expr, item) in map.iter_mut() {
        if !expr.starts_with("x-") {
            path_item(item, &at.push(expr), cx)?;
        }
    }
    Ok(())
}

fn parameter(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    if reference(value, at, cx)? {
        return Ok(());
    }
    let map = value.as_object_mut().expect("checked by `reference`");
    match map.get("in").and_then(Value::as_str) {
        Some("query" | "header" | "path" | "cookie") => {}
        Some(other) => {
            return Err(at.push("in").error(format!(
                "parameter location `{other}` is not one of query, header, path, cookie"
            )));
        }
        None => return Err(at.error("parameter needs `in`")),
    }
    if !map.get("name").is_some_and(Value::is_string) {
        return Err(at.error("parameter needs a string `name`"));
    }
    params::content_to_schema(map);
    params::swagger2_schema(map, at, cx, "parameter");
    audit::object_keys(map, objects::PARAMETER, at, "parameter", cx);
    schema_or_content(map, at, cx, "parameter")?;
    examples(map, at, cx)
}

fn header(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    if reference(value, at, cx)? {
        return Ok(());
    }
    let map = value.as_object_mut().expect("checked by `reference`");
    params::header_explode(map, at, cx);
    params::swagger2_schema(map, at, cx, "header");
    audit::object_keys(map, objects::HEADER, at, "header", cx);
    schema_or_content(map, at, cx, "header")?;
    examples(map, at, cx)
}

fn schema_or_content(
    map: &mut Map<String, Value>,
    at: &Pointer,
    cx: &mut Ctx,
    what: &str,
) -> Result<()> {
    if map.contains_key("schema") && map.shift_remove("content").is_some() {
        cx.warn(
            WarningKind::StrayKey,
            &at.push("content"),
            format!("a {what} must not have both `schema` and `content`; `content` is ignored"),
        );
    }
    let has_content = map.contains_key("content");
    match (map.get_mut("schema"), has_content) {
        (Some(_), true) => Err(at.error(format!(
            "a {what} must not have both `schema` and `content`"
        ))),
        (None, false) => Err(at.error(format!("a {what} needs `schema` or `content`"))),
        (Some(s), false) => schema::schema(s, &at.push("schema"), cx),
        (None, true) => match map.get_mut("content") {
            Some(c) => content(c, &at.push("content"), cx),
            None => Ok(()),
        },
    }
}

/// `examples` maps of parameters, headers and media types: check references.
fn examples(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    if let Some(examples) = map.get_mut("examples") {
        let at = at.push("examples");
        let Some(examples) = examples.as_object_mut() else {
            return Err(at.error("`examples` must be a mapping of names to example objects"));
        };
        for (name, ex) in examples.iter_mut() {
            reference(ex, &at.push(name), cx)?;
        }
    }
    Ok(())
}

fn request_body(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    params::schema_ref_as_body(value, at, cx, "request body");
    repair::foreign_section_ref(value, at, cx, "request body", "requestBodies")?;
    if reference(value, at, cx)? {
        return Ok(());
    }
    let map = value.as_object_mut().expect("checked by `reference`");
    audit::object_keys(map, objects::REQUEST_BODY, at, "request body", cx);
    match map.get_mut("content") {
        Some(c) => content(c, &at.push("content"), cx),
        None => Ok(()),
    }
}

fn response(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    params::schema_ref_as_body(value, at, cx, "response");
    repair::foreign_section_ref(value, at, cx, "response", "responses")?;
    if reference(value, at, cx)? {
        return Ok(());
    }
    let map = value.as_object_mut().expect("checked by `reference`");
    audit::object_keys(map, objects::RESPONSE, at, "response", cx);
    if !map.get("description").is_some_and(Value::is_string) {
        // Only documentation; many published documents leave it out.
        map.insert("description".into(), Value::String(String::new()));
        cx.warn(
            WarningKind::MissingKey,
            &at.push("description"),
            "a response needs a string `description`; an empty one is used",
        );
    }
    if let Some(headers) = map.get_mut("headers") {
        header_map(headers, &at.push("headers"), cx)?;
    }
    if let Some(c) = map.get_mut("content") {
        content(c, &at.push("content"), cx)?;
    }
    if let Some(links) = map.get_mut("links") {
        let at = at.push("links");
        for (name, link) in links.as_object_mut().into_iter().flatten() {
            reference(link, &at.push(name), cx)?;
        }
    }
    Ok(())
}

fn header_map(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let Some(headers) = value.as_object_mut() else {
        return Err(at.error("`headers` must be a mapping"));
    };
    for (name, h) in headers.iter_mut() {
        header(h, &at.push(name), cx)?;
    }
    Ok(())
}

fn content(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let Some(content) = value.as_object_mut() else {
        return Err(at.error("`content` must be a mapping of media types"));
    };
    for (media, mt) in content.iter_mut() {
        let at = at.push(media);
        let Some(map) = mt.as_object_mut() else {
            return Err(at.error("a media type object must be a mapping"));
        };
        audit::object_keys(map, objects::MEDIA_TYPE, &at, "media type object", cx);
        if let Some(s) = map.get_mut("schema") {
            schema::schema(s, &at.push("schema"), cx)?;
        }
        examples(map, &at, cx)?;
        if let Some(encoding) = map.get_mut("encoding") {
            let at = at.push("encoding");
            let Some(encoding) = encoding.as_object_mut() else {
                return Err(at.error("`encoding` must be a mapping"));
            };
            for (prop, enc) in encoding.iter_mut() {
                let at = at.push(prop);
                let Some(enc) = enc.as_object_mut() else {
                    return Err(at.error("an encoding object must be a mapping"));
                };
                audit::object_keys(enc, objects::ENCODING, &at, "encoding object", cx);
                if let Some(headers) = enc.get_mut("headers") {
                    header_map(headers, &at.push("headers"), cx)?;
                }
            }
        }
    }
    Ok(())
}
