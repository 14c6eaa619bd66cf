//! What the normalising walk (`document.rs`, `schema.rs` and the rewrites they call) shares:
//! its state ([`Ctx`]: the original document, the report, the warnings), the `$ref`
//! resolver ([`resolve`], [`percent_decode`]) and the schema nesting limit
//! ([`MAX_SCHEMA_DEPTH`]). A leaf: it uses no other file of `load` but the report.

use std::collections::HashMap;

use serde_json::Value;

use super::report::NormalizeReport;
use crate::error::Pointer;
use crate::{Result, Warning, WarningKind};

/// State shared by the whole walk.
pub(super) struct Ctx<'a> {
    /// The document as it was before any rewrite: `$ref`s are resolved against it.
    pub original: &'a Value,
    pub report: NormalizeReport,
    /// operationId → pointer of its first use.
    pub op_ids: HashMap<String, String>,
    /// How many schemas enclose the one being walked (see [`MAX_SCHEMA_DEPTH`]).
    pub schema_depth: usize,
    /// Path item `$ref`s being inlined by the enclosing walk (to catch cycles).
    pub inlining: Vec<String>,
    /// Path item `$ref`s inlined so far (bounded by `document::MAX_PATH_ITEM_INLINES`).
    pub inlined: usize,
    /// `$ref`s of the unions whose distributed copies are being walked (see
    /// `distribute`): such a union met again inside them is not distributed again.
    pub distributing: Vec<String>,
    /// Meaning widened or dropped so far.
    pub warnings: Vec<Warning>,
}

/// Deepest schema nesting accepted (`properties`, `items`, `allOf`… each add a level).
/// The model, emit and format stages recurse once or more per level; the limit keeps them
/// far from the end of an ordinary 2 MiB thread stack even in a debug build (checked by
/// `tests/generator_fuzz_edges.rs` and `tests/generator_fuzz_specs.rs`). Real specs stay well below it. (`openapiv3`'s deserialiser,
/// which needs far more stack per level, runs on its own big stack: see `stack.rs`.)
pub(super) const MAX_SCHEMA_DEPTH: usize = 32;

impl<'a> Ctx<'a> {
    pub fn new(original: &'a Value) -> Self {
        Ctx {
            original,
            report: NormalizeReport::default(),
            op_ids: HashMap::new(),
            schema_depth: 0,
            inlining: Vec::new(),
            inlined: 0,
            distributing: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Record a warning at `at`.
    pub fn warn(&mut self, kind: WarningKind, at: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning::new(kind, at.as_str(), message));
    }

    /// Count one rewrite under `rule`.
    pub fn bump(&mut self, rule: &'static str) {
        *self.report.counts.entry(rule).or_default() += 1;
    }

    /// Check the `$ref` value of the object at `at`; returns its target in the original.
    pub fn check_ref(&self, value: &Value, at: &Pointer) -> Result<&'a Value> {
        let Some(r) = value.as_str() else {
            return Err(at.push("$ref").error("`$ref` must be a string"));
        };
        resolve(self.original, r).map_err(|reason| at.error(reason))
    }
}

/// Resolve a document-local `$ref` (`#/a/b~1c`, percent-encoding allowed) in `doc`.
pub(super) fn resolve<'v>(doc: &'v Value, r: &str) -> Result<&'v Value, String> {
    let Some(fragment) = r.strip_prefix('#') else {
        return Err(format!(
            "external $ref `{r}` is not supported (only refs within the document, `#/...`)"
        ));
    };
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return Err(format!(
            "$ref `{r}` names an anchor, which is not supported (use a JSON pointer `#/...`)"
        ));
    }
    let decoded = percent_decode(fragment)
        .ok_or_else(|| format!("$ref `{r}` has invalid percent-encoding"))?;
    doc.pointer(&decoded)
        .ok_or_else(|| format!("unresolved $ref `{r}`"))
}

pub(super) fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
