//! Speakeasy extensions: `x-speakeasy-retries` (retry hints) and `x-speakeasy-pagination`
//! (offset/limit page helpers; other pagination types are documented as unsupported).

use super::*;
use crate::Result;
use crate::error::Pointer;
use serde_json::Value;

/// `x-speakeasy-retries` from an extensions map.
pub fn retry_hint(
    ext: &indexmap::IndexMap<String, Value>,
    ptr: &Pointer,
) -> Result<Option<RetryHint>> {
    let Some(r) = ext.get("x-speakeasy-retries") else {
        return Ok(None);
    };
    let p = ptr.push("x-speakeasy-retries");
    let b = r.get("backoff").cloned().unwrap_or(Value::Null);
    let num = |v: &Value, k: &str, d: f64| -> Result<f64> {
        match v.get(k) {
            None => Ok(d),
            Some(x) => x
                .as_f64()
                .ok_or_else(|| p.push("backoff").push(k).error("expected a number")),
        }
    };
    let status_codes = match r.get("statusCodes") {
        None => vec!["5XX".to_owned()],
        Some(Value::Array(a)) => a
            .iter()
            .map(|c| match c {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(p.push("statusCodes").error("expected status code strings")),
            })
            .collect::<Result<_>>()?,
        Some(_) => return Err(p.push("statusCodes").error("expected an array")),
    };
    Ok(Some(RetryHint {
        initial_interval_ms: num(&b, "initialInterval", 500.0)? as u64,
        max_interval_ms: num(&b, "maxInterval", 60_000.0)? as u64,
        exponent: num(&b, "exponent", 1.5)?,
        max_elapsed_ms: num(&b, "maxElapsedTime", 3_600_000.0)? as u64,
        status_codes,
        retry_connection_errors: r
            .get("retryConnectionErrors")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }))
}

/// Pagination inputs/outputs from `x-speakeasy-pagination`, resolved later against the types.
pub struct RawPagination {
    /// Name claimed for the struct bundling required and optional parameters, for
    /// operations with required parameters.
    pub pager: Option<String>,
    /// Names claimed for the page and item stream methods.
    pub pages_method: String,
    pub items_method: String,
    pub offset: String,
    pub limit: Option<String>,
    pub results: Vec<String>,
}

/// What `x-speakeasy-pagination` asks for.
pub enum PaginationSpec {
    None,
    OffsetLimit(RawPagination),
    /// A pagination type this generator has no helpers for (`cursor`, `page`, …): the
    /// operation is generated without them and its doc says so.
    Unsupported(String),
}

pub fn raw_pagination(op: &openapiv3::Operation, ptr: &Pointer) -> Result<PaginationSpec> {
    let Some(p) = op.extensions.get("x-speakeasy-pagination") else {
        return Ok(PaginationSpec::None);
    };
    let pp = ptr.push("x-speakeasy-pagination");
    let kind = p.get("type").and_then(Value::as_str).unwrap_or("");
    if kind != "offsetLimit" {
        return Ok(PaginationSpec::Unsupported(kind.to_owned()));
    }
    let mut offset = None;
    let mut limit = None;
    for input in p
        .get("inputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = input.get("name").and_then(Value::as_str).map(str::to_owned);
        match input.get("type").and_then(Value::as_str) {
            Some("offset") => offset = name,
            Some("limit") => limit = name,
            Some(other @ ("page" | "cursor")) => {
                return Ok(PaginationSpec::Unsupported(other.to_owned()));
            }
            _ => {}
        }
    }
    let offset = offset.ok_or_else(|| {
        pp.push("inputs")
            .error("offsetLimit pagination needs an `offset` input")
    })?;
    let results = p
        .pointer("/outputs/results")
        .and_then(Value::as_str)
        .ok_or_else(|| pp.push("outputs").error("missing `results` JSONPath"))?;
    let path: Vec<String> = results
        .strip_prefix("$.")
        .ok_or_else(|| {
            pp.push("outputs")
                .push("results")
                .error("expected a `$.field` path")
        })?
        .split('.')
        .map(str::to_owned)
        .collect();
    Ok(PaginationSpec::OffsetLimit(RawPagination {
        pager: None,
        pages_method: String::new(),
        items_method: String::new(),
        offset,
        limit,
        results: path,
    }))
}

/// Resolve `x-speakeasy-pagination` against the finished types. A configuration the
/// helpers cannot serve is not fatal: the operation is generated without page helpers and
/// its doc says why.
pub fn resolve_pagination(
    ops: &mut [Operation],
    pending: Vec<(usize, RawPagination)>,
    defs: &BTreeMap<String, TypeDef>,
) {
    for (idx, raw) in pending {
        let op = &mut ops[idx];
        match pagination(op, &raw, defs) {
            Ok(p) => op.pagination = Some(p),
            Err(reason) => {
                if !op.doc.is_empty() {
                    op.doc.push(String::new());
                }
                op.doc.push(format!(
                    "Note: `x-speakeasy-pagination` not supported here ({reason}); no page helpers are generated."
                ));
            }
        }
    }
}

fn pagination(
    op: &Operation,
    raw: &RawPagination,
    defs: &BTreeMap<String, TypeDef>,
) -> Result<Pagination, String> {
    let find = |wire: &str| {
        op.params
            .iter()
            .find(|p| p.wire == wire && !p.required)
            .map(|p| p.rust.clone())
    };
    let offset = find(&raw.offset)
        .ok_or_else(|| format!("offset input `{}` is not an optional parameter", raw.offset))?;
    let limit = match &raw.limit {
        Some(l) => {
            Some(find(l).ok_or_else(|| format!("limit input `{l}` is not an optional parameter"))?)
        }
        None => None,
    };
    if op.body.is_some() {
        return Err("the operation has a request body".into());
    }
    let Success::Json(page) = &op.success else {
        return Err("the operation has no JSON success body".into());
    };
    let mut current = page.clone();
    let mut items_path = Vec::new();
    let mut total_count = None;
    for (depth, wire) in raw.results.iter().enumerate() {
        let fields = struct_fields(&current, defs)
            .ok_or("the results path does not walk through objects")?;
        if depth == 0 {
            total_count = fields
                .iter()
                .find(|f| {
                    ["total_count", "totalCount", "total"].contains(&f.wire.as_str())
                        && matches!(f.ty, TypeRef::I64 | TypeRef::I32)
                })
                .map(|f| (f.rust.clone(), f.presence));
        }
        let f = fields.iter().find(|f| &f.wire == wire).ok_or_else(|| {
            format!("the results path names `{wire}`, which the page type does not have")
        })?;
        if f.presence != Presence::Required {
            return Err(format!(
                "results field `{wire}` is not required and non-null"
            ));
        }
        items_path.push(f.rust.clone());
        current = f.ty.clone();
    }
    let item_ty = match super::alias::resolve(defs, &current).ty {
        TypeRef::Vec(inner) => (**inner).clone(),
        _ => return Err("the results path does not end at an array".into()),
    };
    Ok(Pagination {
        offset,
        limit,
        items_path,
        item_ty,
        total_count,
        pager: raw.pager.clone(),
        pages_method: raw.pages_method.clone(),
        items_method: raw.items_method.clone(),
        pager_params: None,
        offset_i32: false,
        limit_i32: false,
    })
}

fn struct_fields<'d>(t: &'d TypeRef, defs: &'d BTreeMap<String, TypeDef>) -> Option<&'d [Field]> {
    super::alias::resolve(defs, t)
        .fields()
        .map(|(fields, _)| fields)
}
