//! Repairs of document-level slips with one neutral reading (each with a warning): the
//! OpenAPI version, paths without a leading `/`, duplicate operationIds.

use serde_json::{Map, Value};

use super::document::Ctx;
use super::rules;
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
