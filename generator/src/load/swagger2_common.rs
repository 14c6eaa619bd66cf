//! What the two halves of the Swagger 2.0 converter share — the document-level part
//! (`swagger2.rs`) and the operations (`swagger2_ops.rs`): the conversion state [`Cx`], media
//! type lists and the schema rewrite. It uses neither half.

use serde_json::{Value, json};

use super::origins::Origins;
use crate::error::Pointer;
use crate::{Warning, WarningKind};

/// State of one conversion.
pub(super) struct Cx<'a> {
    /// The 2.0 document, to resolve `#/parameters/…` references against.
    pub original: &'a Value,
    pub warnings: Vec<Warning>,
    pub origins: Origins,
}

impl Cx<'_> {
    pub fn warn(&mut self, kind: WarningKind, at: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning::new(kind, at.as_str(), message));
    }
}

/// A `consumes`/`produces` list (non-strings ignored).
pub(super) fn media_list(v: Option<&Value>) -> Option<Vec<String>> {
    v.and_then(Value::as_array).map(|list| {
        list.iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
}

/// Swagger 2.0 schema forms → 3.0, recursively: `x-nullable` → `nullable`, `type: file` →
/// binary string, a `discriminator` property name → `{propertyName}`.
pub(super) fn schema(v: &mut Value, at: &Pointer, cx: &mut Cx) {
    let Value::Object(map) = v else {
        return;
    };
    if map.contains_key("$ref") {
        // Siblings of a 2.0 `$ref` are ignored by 2.0 itself; 3.0 reads them the same way.
        return;
    }
    if let Some(n) = map.shift_remove("x-nullable") {
        match n {
            Value::Bool(true) => {
                map.insert("nullable".into(), Value::Bool(true));
            }
            Value::Bool(false) => {}
            other => {
                cx.warn(
                    WarningKind::StrayKey,
                    &at.push("x-nullable"),
                    format!("`x-nullable` must be a boolean, not {other}; ignored"),
                );
            }
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), json!("string"));
        map.insert("format".into(), json!("binary"));
    }
    if let Some(Value::String(property)) = map.get("discriminator") {
        let d = json!({ "propertyName": property });
        map.insert("discriminator".into(), d);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(key) {
            match child {
                Value::Array(list) => {
                    for (i, c) in list.iter_mut().enumerate() {
                        schema(c, &at.push(key).push(i.to_string()), cx);
                    }
                }
                c => schema(c, &at.push(key), cx),
            }
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(list)) = map.get_mut(key) {
            for (i, c) in list.iter_mut().enumerate() {
                schema(c, &at.push(key).push(i.to_string()), cx);
            }
        }
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (name, c) in props.iter_mut() {
            schema(c, &at.push("properties").push(name), cx);
        }
    }
}
