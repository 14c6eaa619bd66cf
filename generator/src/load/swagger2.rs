//! Swagger 2.0 → OpenAPI 3.0, as a rewrite of the parsed value before the normalisation, so
//! the rest of the pipeline reads one shape. Everything with a 3.0 form moves there
//! (`definitions` → `components/schemas` with every `$ref` retargeted, `in: body` /
//! `in: formData` → `requestBody`, `consumes`/`produces` → media types, `collectionFormat` →
//! `style`/`explode`, `securityDefinitions`, `x-nullable`, response `schema`/`examples`,
//! `x-ms-paths`). What has none gets a [`Warning`] located in the 2.0 document, and every
//! moved place is recorded in [`Origins`] so later warnings point into the 2.0 text too.
//! Operations live in `swagger2_ops.rs`; what both parts use in `swagger2_common.rs`.

use serde_json::{Map, Value, json};

use super::origins::Origins;
use super::swagger2_common::{Cx, media_list, schema};
use super::swagger2_ops as ops;
use crate::error::{Pointer, escape_token};
use crate::{Result, Warning, WarningKind};

/// What [`convert`] found besides the converted document.
#[derive(Debug, Default)]
pub(super) struct Converted {
    /// Located in the 2.0 document.
    pub warnings: Vec<Warning>,
    /// Places of the 3.0 document → places of the 2.0 document.
    pub origins: Origins,
}

/// Whether `doc` is a Swagger document (a top-level `swagger` key and no `openapi`).
pub(super) fn is_swagger(doc: &Value) -> bool {
    doc.get("swagger").is_some() && doc.get("openapi").is_none()
}

/// Rewrite a Swagger 2.0 document in place into OpenAPI 3.0.3.
pub(super) fn convert(doc: &mut Value) -> Result<Converted> {
    let root = Pointer::root();
    match doc.get("swagger") {
        Some(Value::String(v)) if v == "2.0" => {}
        Some(other) => {
            return Err(root.push("swagger").error(format!(
                "`swagger: {other}`: only Swagger 2.0 (`swagger: \"2.0\"`) and OpenAPI 3 are read"
            )));
        }
        None => return Err(root.error("not a Swagger document")),
    }
    let Value::Object(old) = doc.take() else {
        return Err(root.error("the document must be a mapping"));
    };
    let original = Value::Object(old);
    let mut cx = Cx {
        original: &original,
        warnings: Vec::new(),
        origins: Origins::default(),
    };
    let old = original.as_object().expect("a mapping");
    let consumes = media_list(old.get("consumes"));
    let produces = media_list(old.get("produces"));
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    for (key, value) in old {
        match key.as_str() {
            "swagger"
            | "host"
            | "basePath"
            | "schemes"
            | "consumes"
            | "produces"
            | "paths"
            | "definitions"
            | "parameters"
            | "responses"
            | "securityDefinitions"
            | "x-ms-paths" => {}
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(servers) = servers(old, &root, &mut cx) {
        out.insert("servers".into(), servers);
    }
    let mut paths = Map::new();
    for key in ["paths", "x-ms-paths"] {
        let Some(Value::Object(items)) = old.get(key) else {
            continue;
        };
        for (path, item) in items {
            let at = root.push(key).push(path);
            let out_at = Pointer::root().push("paths").push(path);
            if key == "x-ms-paths"
                && ms_path(path, item, &at, &mut paths, &consumes, &produces, &mut cx)
            {
                continue;
            }
            if paths.contains_key(path) {
                cx.warn(
                    WarningKind::StrayKey,
                    &at,
                    format!("path `{path}` is already in `paths`; this one is ignored"),
                );
                continue;
            }
            cx.origins.add(out_at.as_str(), at.as_str());
            let item = ops::path_item(item, &at, &out_at, &consumes, &produces, &mut cx);
            paths.insert(path.clone(), item);
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    let mut components = Map::new();
    if let Some(Value::Object(defs)) = old.get("definitions") {
        let mut schemas = Map::new();
        for (name, s) in defs {
            let mut s = s.clone();
            schema(&mut s, &root.push("definitions").push(name), &mut cx);
            schemas.insert(name.clone(), s);
        }
        ms_discriminator_values(&mut schemas);
        components.insert("schemas".into(), Value::Object(schemas));
        cx.origins.add("#/components/schemas", "#/definitions");
    }
    if let Some(Value::Object(responses)) = old.get("responses") {
        let mut out_responses = Map::new();
        for (name, r) in responses {
            let at = root.push("responses").push(name);
            let out_at = Pointer::root()
                .push("components")
                .push("responses")
                .push(name);
            let r = ops::response(r, &at, &out_at, &produces, &mut cx);
            out_responses.insert(name.clone(), r);
        }
        components.insert("responses".into(), Value::Object(out_responses));
        cx.origins.add("#/components/responses", "#/responses");
    }
    if let Some(Value::Object(params)) = old.get("parameters") {
        let mut out_params = Map::new();
        for (name, p) in params {
            let at = root.push("parameters").push(name);
            // Bodies and form fields become parts of each operation's `requestBody` there.
            if matches!(
                p.get("in").and_then(Value::as_str),
                Some("body" | "formData")
            ) {
                continue;
            }
            let out_at = Pointer::root()
                .push("components")
                .push("parameters")
                .push(name);
            out_params.insert(name.clone(), ops::parameter(p, &at, Some(&out_at), &mut cx));
        }
        if !out_params.is_empty() {
            components.insert("parameters".into(), Value::Object(out_params));
        }
        cx.origins.add("#/components/parameters", "#/parameters");
    }
    if let Some(Value::Object(defs)) = old.get("securityDefinitions") {
        let mut schemes = Map::new();
        for (name, d) in defs {
            let at = root.push("securityDefinitions").push(name);
            schemes.insert(name.clone(), security_scheme(d, &at, &mut cx));
        }
        components.insert("securitySchemes".into(), Value::Object(schemes));
        cx.origins
            .add("#/components/securitySchemes", "#/securityDefinitions");
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    let mut out = Value::Object(out);
    retarget_refs(&mut out);
    *doc = out;
    Ok(Converted {
        warnings: cx.warnings,
        origins: cx.origins,
    })
}

/// An `x-ms-paths` key with a query (`/things/{id}?action=restart`): OpenAPI 3 paths carry
/// none, so each operation goes under the path alone with the query's pairs as required
/// parameters of one value each. Returns false (the caller keeps the key as it is, with a
/// warning there) when there is no query, or its path already has one of its methods.
#[allow(clippy::too_many_arguments)]
fn ms_path(
    key: &str,
    item: &Value,
    at: &Pointer,
    paths: &mut Map<String, Value>,
    consumes: &Option<Vec<String>>,
    produces: &Option<Vec<String>>,
    cx: &mut Cx,
) -> bool {
    let Some((path, query)) = key.split_once('?') else {
        return false;
    };
    let Some(map) = item.as_object() else {
        return false;
    };
    let methods: Vec<&String> = map
        .keys()
        .filter(|k| ops::METHODS.contains(&k.as_str()))
        .collect();
    let existing = paths.get(path).and_then(Value::as_object);
    if methods
        .iter()
        .any(|m| existing.is_some_and(|e| e.contains_key(m.as_str())))
    {
        cx.warn(
            WarningKind::UnsupportedKeyword,
            at,
            format!(
                "`x-ms-paths` key `{key}`: OpenAPI 3 paths carry no query, and `{path}` already \
                 has this method; kept under the key with its query"
            ),
        );
        return false;
    }
    // Path-level parameters go down to each operation: the path item may be shared.
    let shared = map
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut moved = Map::new();
    for m in &methods {
        let mut op = map[m.as_str()].clone();
        if let Value::Object(o) = &mut op {
            let mut params = shared.clone();
            if let Some(Value::Array(own)) = o.get("parameters") {
                params.extend(own.iter().cloned());
            }
            if !params.is_empty() {
                o.insert("parameters".into(), Value::Array(params));
            }
        }
        moved.insert((*m).clone(), op);
    }
    let out_at = Pointer::root().push("paths").push(path);
    let converted = ops::path_item(&Value::Object(moved), at, &out_at, consumes, produces, cx);
    let Value::Object(converted) = converted else {
        return false;
    };
    let constants: Vec<Value> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let mut p = json!({"name": name, "in": "query", "required": true,
                               "schema": {"type": "string", "enum": [value]}});
            if value.is_empty() {
                p["allowEmptyValue"] = Value::Bool(true);
            }
            p
        })
        .collect();
    let target = paths
        .entry(path.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(target) = target else {
        return false;
    };
    for (method, mut op) in converted {
        let op_at = out_at.push(&method);
        cx.origins.add(op_at.as_str(), at.push(&method).as_str());
        if let Value::Object(o) = &mut op {
            let params = o
                .entry("parameters")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = params {
                for c in &constants {
                    cx.origins.add(
                        op_at
                            .push("parameters")
                            .push(list.len().to_string())
                            .as_str(),
                        at.as_str(),
                    );
                    list.push(c.clone());
                }
            }
        }
        target.insert(method, op);
    }
    true
}

/// `host`, `basePath` and `schemes` → one server per scheme (in the document's order).
/// Azure's `x-ms-parameterized-host` (a host template with parameters) → server variables.
fn servers(old: &Map<String, Value>, root: &Pointer, cx: &mut Cx) -> Option<Value> {
    let base = old.get("basePath").and_then(Value::as_str).unwrap_or("");
    let base = base.trim_end_matches('/');
    if let Some(template) = old.get("x-ms-parameterized-host") {
        return parameterized_host(template, base, &root.push("x-ms-parameterized-host"), cx);
    }
    let host = old.get("host").and_then(Value::as_str);
    let at = if old.contains_key("host") {
        root.push("host")
    } else {
        root.push("basePath")
    };
    cx.origins.add("#/servers", at.as_str());
    let Some(host) = host else {
        // No host: the API is served from the host the document came from.
        return (!base.is_empty()).then(|| json!([{"url": base}]));
    };
    let schemes: Vec<&str> = old
        .get("schemes")
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let schemes = if schemes.is_empty() {
        cx.warn(
            WarningKind::MissingKey,
            &at,
            "no `schemes`: Swagger 2.0 then means the scheme the document was fetched with; \
             read as `https`",
        );
        vec!["https"]
    } else {
        schemes
    };
    let list: Vec<Value> = schemes
        .iter()
        .map(|s| json!({"url": format!("{s}://{host}{base}")}))
        .collect();
    Some(Value::Array(list))
}

/// `x-ms-parameterized-host: {hostTemplate, useSchemePrefix, parameters}` → one server whose
/// URL is the template (after `https://` unless `useSchemePrefix: false`) and whose
/// variables are the parameters (a parameter with neither `default` nor `enum` gets an empty
/// default, which 3.0 requires, with a warning).
fn parameterized_host(template: &Value, base: &str, at: &Pointer, cx: &mut Cx) -> Option<Value> {
    cx.origins.add("#/servers", at.as_str());
    let host = template.get("hostTemplate").and_then(Value::as_str)?;
    let scheme = match template.get("useSchemePrefix") {
        Some(Value::Bool(false)) => "",
        _ => "https://",
    };
    let mut variables = Map::new();
    let params = template.get("parameters").and_then(Value::as_array);
    for (i, p) in params.into_iter().flatten().enumerate() {
        let p_at = at.push("parameters").push(i.to_string());
        let p = match p.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.strip_prefix("#/parameters/").unwrap_or(r);
                let name = name.replace("~1", "/").replace("~0", "~");
                match cx.original.get("parameters").and_then(|ps| ps.get(&name)) {
                    Some(target) => target,
                    None => continue,
                }
            }
            None => p,
        };
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        let mut var = Map::new();
        let default = p
            .get("default")
            .or_else(|| p.get("enum").and_then(|e| e.get(0)))
            .map(|d| match d {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        if default.is_none() {
            cx.warn(
                WarningKind::MissingKey,
                &p_at,
                format!(
                    "host parameter `{name}` has no `default`, which an OpenAPI 3 server \
                     variable needs; its default is empty"
                ),
            );
        }
        var.insert("default".into(), json!(default.unwrap_or_default()));
        if let Some(Value::Array(values)) = p.get("enum") {
            var.insert("enum".into(), Value::Array(values.clone()));
        }
        if let Some(d) = p.get("description") {
            var.insert("description".into(), d.clone());
        }
        variables.insert(name.to_owned(), Value::Object(var));
    }
    let mut server = json!({"url": format!("{scheme}{host}{base}")});
    if !variables.is_empty() {
        server["variables"] = Value::Object(variables);
    }
    Some(json!([server]))
}

/// A 2.0 security definition → a 3.0 security scheme.
fn security_scheme(d: &Value, at: &Pointer, cx: &mut Cx) -> Value {
    let Some(map) = d.as_object() else {
        return d.clone();
    };
    let mut out = Map::new();
    let mut rest = map.clone();
    let kind = rest.shift_remove("type");
    match kind.as_ref().and_then(Value::as_str) {
        Some("basic") => {
            out.insert("type".into(), json!("http"));
            out.insert("scheme".into(), json!("basic"));
        }
        Some("apiKey") => {
            out.insert("type".into(), json!("apiKey"));
        }
        Some("oauth2") => {
            out.insert("type".into(), json!("oauth2"));
            let flow = rest.shift_remove("flow");
            let scopes = rest.shift_remove("scopes").unwrap_or_else(|| json!({}));
            let auth = rest.shift_remove("authorizationUrl");
            let token = rest.shift_remove("tokenUrl");
            let (name, keys): (&str, &[(&str, &Option<Value>)]) =
                match flow.as_ref().and_then(Value::as_str) {
                    Some("implicit") => ("implicit", &[("authorizationUrl", &auth)]),
                    Some("password") => ("password", &[("tokenUrl", &token)]),
                    Some("application") => ("clientCredentials", &[("tokenUrl", &token)]),
                    Some("accessCode") => (
                        "authorizationCode",
                        &[("authorizationUrl", &auth), ("tokenUrl", &token)],
                    ),
                    other => {
                        cx.warn(
                            WarningKind::UnsupportedKeyword,
                            &at.push("flow"),
                            format!("unknown oauth2 `flow` {other:?}; the scheme has no flows"),
                        );
                        ("", &[])
                    }
                };
            if !name.is_empty() {
                let mut f = Map::new();
                for (key, value) in keys {
                    f.insert(
                        (*key).to_owned(),
                        (*value).clone().unwrap_or_else(|| json!("")),
                    );
                }
                f.insert("scopes".into(), scopes);
                out.insert("flows".into(), json!({ name: f }));
            }
        }
        _ => {
            if let Some(k) = kind {
                out.insert("type".into(), k);
            }
        }
    }
    out.extend(rest);
    Value::Object(out)
}

/// `x-ms-discriminator-value: V` (Azure) on a schema deriving (`allOf`) from a base with a
/// `discriminator`: the tag value is V, not the schema's name, so the base gets an explicit
/// `mapping`, which then lists every direct subtype (a mapping replaces the implicit one).
fn ms_discriminator_values(schemas: &mut Map<String, Value>) {
    // base → (tag value, subtype), in document order.
    let mut children: Vec<(String, String, String)> = Vec::new();
    for (name, s) in schemas.iter() {
        let value = s.get("x-ms-discriminator-value").and_then(Value::as_str);
        for member in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(base) = member
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/definitions/"))
            {
                let tag = value.unwrap_or(name).to_owned();
                children.push((base.to_owned(), tag, name.clone()));
            }
        }
    }
    let renamed: std::collections::BTreeSet<&String> = children
        .iter()
        .filter(|(_, tag, name)| tag != name)
        .map(|(base, _, _)| base)
        .collect();
    for base in renamed {
        let Some(Value::Object(d)) = schemas
            .get_mut(base.as_str())
            .and_then(|b| b.get_mut("discriminator"))
        else {
            continue;
        };
        let Value::Object(mapping) = d.entry("mapping").or_insert_with(|| json!({})) else {
            continue;
        };
        for (_, tag, name) in children.iter().filter(|(b, _, _)| b == base) {
            let target = format!("#/components/schemas/{}", escape_token(name));
            mapping.entry(tag.clone()).or_insert(Value::String(target));
        }
    }
}

/// Every `$ref` into a 2.0 section now points into its 3.0 place.
fn retarget_refs(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                for (from, to) in [
                    ("#/definitions/", "#/components/schemas/"),
                    ("#/parameters/", "#/components/parameters/"),
                    ("#/responses/", "#/components/responses/"),
                ] {
                    if let Some(rest) = r.strip_prefix(from) {
                        *r = format!("{to}{rest}");
                        break;
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                // Example values are data, not references.
                if key != "example" && key != "examples" {
                    retarget_refs(child);
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(retarget_refs),
        _ => {}
    }
}
