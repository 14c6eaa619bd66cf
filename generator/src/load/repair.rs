//! Repairs of document-level slips with one neutral reading (each with a warning): the
//! OpenAPI version, paths without a leading `/`, duplicate operationIds, a response or
//! request body that is a `$ref` into another section.

use serde_json::{Map, Value};

use super::ctx::Ctx;
use super::report::rules;
use crate::error::Pointer;
use crate::{Result, WarningKind};

/// A path without its leading `/` (`pets/{id}`) gets one, with a warning; refused only if
/// that makes it collide with another path.
pub(super) fn leading_slashes(
    paths: &mut Map<String, Value>,
    at: &Pointer,
    cx: &mut Ctx,
) -> Result<()> {
    if paths
        .keys()
        .all(|p| p.starts_with('/') || p.starts_with("x-"))
    {
        return Ok(());
    }
    let entries = std::mem::take(paths);
    for (path, item) in entries {
        if path.starts_with('/') || path.starts_with("x-") {
            paths.insert(path, item);
            continue;
        }
        let fixed = format!("/{path}");
        if paths.contains_key(&fixed) {
            return Err(at
                .push(&path)
                .error(format!("path `{path}` must start with `/`")));
        }
        cx.warn(
            WarningKind::MissingKey,
            &at.push(&path),
            format!("path `{path}` must start with `/`; read as `{fixed}`"),
        );
        paths.insert(fixed, item);
    }
    Ok(())
}

/// `openapi: 3.1.x` → `3.0.3` (the original kept in `info.x-original-openapi-version`).
pub(super) fn version(map: &mut Map<String, Value>, root: &Pointer, cx: &mut Ctx) -> Result<()> {
    let at = root.push("openapi");
    if map.contains_key("swagger") {
        return Err(root
            .push("swagger")
            .error("Swagger 2.0 documents are not supported (convert to OpenAPI 3 first)"));
    }
    let version = match map.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        Some(_) => return Err(at.error("`openapi` must be a version string")),
        None => return Err(root.error("missing required key `openapi`")),
    };
    let v32 = version.starts_with("3.2.") || version == "3.2";
    if v32 {
        // 3.2 extends 3.1; what it adds (the `query` method, `itemSchema`…) is met as
        // unknown keys, each ignored with its own warning.
        cx.warn(
            WarningKind::UnsupportedKeyword,
            &at,
            format!("OpenAPI {version} is read as 3.1; keys only 3.2 defines are ignored"),
        );
    }
    if version.starts_with("3.1.") || version == "3.1" || v32 {
        map.insert("openapi".into(), Value::String("3.0.3".into()));
        if let Some(info) = map.get_mut("info").and_then(Value::as_object_mut) {
            info.insert("x-original-openapi-version".into(), Value::String(version));
        }
        cx.bump(rules::OPENAPI_VERSION);
        Ok(())
    } else if version.starts_with("3.0.") || version == "3.0" {
        Ok(())
    } else {
        Err(at.error(format!(
            "unsupported OpenAPI version `{version}` (expected 3.0.x or 3.1.x)"
        )))
    }
}

/// `id` itself, or (for an operationId an earlier operation took) `id_2`, `id_3`…, written
/// back into `map` with a warning: renamed in document order, so output is stable.
pub(super) fn unique_operation_id(
    map: &mut Map<String, Value>,
    mut id: String,
    here: &Pointer,
    cx: &mut Ctx,
) -> String {
    if let Some(first) = cx.op_ids.get(&id).cloned() {
        // Renamed in document order, so the first keeps its name and output is stable.
        let mut n = 2;
        while cx.op_ids.contains_key(&format!("{id}_{n}")) {
            n += 1;
        }
        let renamed = format!("{id}_{n}");
        cx.warn(
            WarningKind::DuplicateOperationId,
            here,
            format!("duplicate operationId `{id}` (also at {first}); renamed `{renamed}`"),
        );
        map.insert("operationId".into(), Value::String(renamed.clone()));
        id = renamed;
    }
    id
}

/// A response (or request body) that is a `$ref` outside its own section
/// (`#/components/responses/`), most often into the other one of the same shape
/// (`#/components/requestBodies/X`: `content` and `description`): read as a copy of the
/// target, with a warning that says where the reference points and what was expected.
/// Keys the target's kind has and this one lacks (`required` of a request body; `headers`
/// and `links` of a response) are dropped. A `$ref` into `schemas` is read elsewhere
/// (as a JSON body of that schema).
pub(super) fn foreign_section_ref(
    value: &mut Value,
    at: &Pointer,
    cx: &mut Ctx,
    what: &str,
    section: &str,
) -> Result<()> {
    let Some(r) = value.get("$ref").and_then(Value::as_str) else {
        return Ok(());
    };
    let own = format!("#/components/{section}/");
    if r.starts_with(&own) || r.starts_with("#/components/schemas/") {
        return Ok(());
    }
    let r = r.to_owned();
    let target = cx.check_ref(&Value::String(r.clone()), at)?;
    let Some(map) = target.as_object().filter(|m| !m.contains_key("$ref")) else {
        return Err(at.push("$ref").error(format!(
            "a {what} `$ref` must point into `{own}`; `{r}` points to something else that is \
             not a {what} object"
        )));
    };
    let keep: &[&str] = if section == "responses" {
        &["description", "content", "headers", "links"]
    } else {
        &["description", "content", "required"]
    };
    let mut copy: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| keep.contains(&k.as_str()) || k.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    // A `description` beside the `$ref` overrides the target's (3.1).
    if let Some(d) = value.get("description") {
        copy.insert("description".into(), d.clone());
    }
    let place = match r
        .strip_prefix("#/components/")
        .and_then(|s| s.split_once('/'))
    {
        Some((other, _)) => format!("into `#/components/{other}/`"),
        None => "outside `#/components/`".to_owned(),
    };
    cx.warn(
        WarningKind::StrayKey,
        &at.push("$ref"),
        format!(
            "a {what} `$ref` must point into `{own}`, but `{r}` points {place}; read as a \
             {what} with the target's `content`"
        ),
    );
    *value = Value::Object(copy);
    Ok(())
}
