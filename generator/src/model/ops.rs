//! Paths and operations → [`Operation`]s with resolved parameters, bodies and responses.

use super::names::{Registry, field_name, type_name};
use super::types::{TypeBuilder, doc_lines, param_constraints};
use super::*;
use crate::Result;
use crate::error::Pointer;
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};
use serde_json::Value;
use std::collections::BTreeSet;

pub struct Ops {
    pub operations: Vec<Operation>,
    pub groups: BTreeMap<String, Group>,
    pub error_variants: Vec<ErrorVariant>,
}

/// Resolve `#/components/<section>/<name>` for non-schema components.
fn resolve_component<'a, T>(
    item: &'a ReferenceOr<T>,
    section: &str,
    lookup: impl Fn(&str) -> Option<&'a ReferenceOr<T>>,
    ptr: &Pointer,
) -> Result<&'a T> {
    let mut current = item;
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(t) => return Ok(t),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{section}/");
                current = reference
                    .strip_prefix(&prefix)
                    .and_then(&lookup)
                    .ok_or_else(|| ptr.error(format!("unresolved $ref `{reference}`")))?;
            }
        }
    }
    Err(ptr.error("$ref chain too long"))
}

/// Reason phrase used to name error variants.
fn reason(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => match c {
            400 => "BadRequest".into(),
            401 => "Unauthorized".into(),
            402 => "PaymentRequired".into(),
            403 => "Forbidden".into(),
            404 => "NotFound".into(),
            405 => "MethodNotAllowed".into(),
            408 => "RequestTimeout".into(),
            409 => "Conflict".into(),
            410 => "Gone".into(),
            413 => "PayloadTooLarge".into(),
            415 => "UnsupportedMediaType".into(),
            422 => "UnprocessableEntity".into(),
            429 => "TooManyRequests".into(),
            500 => "InternalServerError".into(),
            501 => "NotImplemented".into(),
            502 => "BadGateway".into(),
            503 => "ServiceUnavailable".into(),
            504 => "GatewayTimeout".into(),
            c => format!("Status{c}"),
        },
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "DefaultError".into(),
    }
}

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

fn raw_pagination(op: &openapiv3::Operation, ptr: &Pointer) -> Result<PaginationSpec> {
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
        offset,
        limit,
        results: path,
    }))
}

pub fn build(
    spec: &OpenAPI,
    types: &mut TypeBuilder<'_>,
) -> Result<(Ops, Vec<(usize, RawPagination)>)> {
    let comps = spec.components.as_ref();
    let mut operations = Vec::new();
    let mut pending_pages = Vec::new();
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut group_names = Registry::with_reserved(&["Client"]);
    let mut tag_to_group: BTreeMap<String, String> = BTreeMap::new();
    let mut method_names: BTreeMap<String, Registry> = BTreeMap::new();
    let mut fn_names = Registry::default();
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut errors: BTreeMap<(StatusMatch, TypeRef), String> = BTreeMap::new();
    let mut error_names = Registry::with_reserved(&["Unparsed"]);
    let mut error_variants = Vec::new();

    let paths_ptr = Pointer::root().push("paths");
    for (path, item) in spec.paths.iter() {
        let pptr = paths_ptr.push(path);
        let item = match item {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { .. } => {
                return Err(pptr.error("path item $refs are not supported"));
            }
        };
        for (method, op) in item.iter() {
            let optr = pptr.push(method);
            let method = match method {
                "get" => Method::Get,
                "put" => Method::Put,
                "post" => Method::Post,
                "delete" => Method::Delete,
                "options" => Method::Options,
                "head" => Method::Head,
                "patch" => Method::Patch,
                _ => Method::Trace,
            };
            let operation_id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{} {}", method.as_str().to_lowercase(), path));
            if let Some(prev) = seen_ids.insert(operation_id.clone(), optr.to_string()) {
                return Err(optr.push("operationId").error(format!(
                    "duplicate operationId `{operation_id}` (also at {prev})"
                )));
            }
            let op_type = type_name(&operation_id);

            // Group from the first tag.
            let tag = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| "General".to_owned());
            let group = tag_to_group
                .entry(tag.clone())
                .or_insert_with(|| group_names.claim(&type_name(&tag)))
                .clone();
            groups.entry(group.clone()).or_insert_with(|| Group {
                name: group.clone(),
                accessor: field_name(&tag),
                doc: doc_lines(
                    spec.tags
                        .iter()
                        .find(|t| t.name == tag)
                        .and_then(|t| t.description.as_deref()),
                ),
            });
            let wanted = op
                .extensions
                .get("x-speakeasy-name-override")
                .and_then(Value::as_str)
                .unwrap_or(&operation_id);
            let registry = method_names.entry(group.clone()).or_default();
            let method_name = registry.claim(&field_name(wanted));

            // Parameters: path-item level first, operation level overrides by (name, in).
            let mut raw: Vec<(Pointer, &openapiv3::Parameter)> = Vec::new();
            for (i, p) in item.parameters.iter().enumerate() {
                let pp = pptr.push("parameters").push(i.to_string());
                raw.push((
                    pp.clone(),
                    resolve_component(p, "parameters", |k| comps?.parameters.get(k), &pp)?,
                ));
            }
            for (i, p) in op.parameters.iter().enumerate() {
                let pp = optr.push("parameters").push(i.to_string());
                let param = resolve_component(p, "parameters", |k| comps?.parameters.get(k), &pp)?;
                let data = param.parameter_data_ref();
                raw.retain(|(_, q)| {
                    let d = q.parameter_data_ref();
                    !(d.name == data.name
                        && std::mem::discriminant(*q) == std::mem::discriminant(param))
                });
                raw.push((pp, param));
            }
            let mut param_names = Registry::with_reserved(&["body", "params", "self_"]);
            let mut params = Vec::new();
            for (pp, param) in raw {
                let data = param.parameter_data_ref();
                let location = match param {
                    Parameter::Path { .. } => ParamLocation::Path,
                    Parameter::Query { .. } => ParamLocation::Query,
                    Parameter::Header { .. } => ParamLocation::Header,
                    Parameter::Cookie { .. } => {
                        return Err(pp.error("cookie parameters are not supported"));
                    }
                };
                // The runtime owns these headers (auth, content negotiation).
                if location == ParamLocation::Header
                    && ["authorization", "accept", "content-type"]
                        .contains(&data.name.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                let schema = match &data.format {
                    ParameterSchemaOrContent::Schema(s) => s,
                    ParameterSchemaOrContent::Content(_) => {
                        return Err(pp.error("parameters described by `content` are not supported"));
                    }
                };
                let sp = pp.push("schema");
                let (mut ty, _) =
                    types.convert(schema, &sp, &format!("{op_type}{}", type_name(&data.name)))?;
                let (resolved, _) = types.resolve(schema, &sp)?;
                let mut constraints = param_constraints(resolved, &ty, types, &sp)?;
                if ty == TypeRef::Uuid {
                    // Accept any string-like id; check the format before sending.
                    ty = TypeRef::String;
                    constraints.uuid = true;
                }
                params.push(Param {
                    wire: data.name.clone(),
                    rust: param_names.claim(&field_name(&data.name)),
                    location,
                    required: data.required || location == ParamLocation::Path,
                    ty,
                    constraints,
                    doc: doc_lines(
                        data.description
                            .as_deref()
                            .or(resolved.schema_data.description.as_deref()),
                    ),
                    default: resolved.schema_data.default.clone(),
                });
            }
            let params_type = params
                .iter()
                .any(|p| !p.required)
                .then(|| types.claim(&format!("{op_type}Params")));

            // Request body.
            let body = match &op.request_body {
                None => None,
                Some(rb) => {
                    let bp = optr.push("requestBody");
                    let rb = resolve_component(
                        rb,
                        "requestBodies",
                        |k| comps?.request_bodies.get(k),
                        &bp,
                    )?;
                    let pick =
                        |pred: &dyn Fn(&str) -> bool| rb.content.iter().find(|(ct, _)| pred(ct));
                    let chosen = pick(&|ct| ct == "application/json" || ct.ends_with("+json"))
                        .map(|c| (c, BodyKind::Json))
                        .or_else(|| {
                            pick(&|ct| ct == "multipart/form-data")
                                .map(|c| (c, BodyKind::Multipart))
                        })
                        .or_else(|| {
                            pick(&|ct| ct == "application/x-www-form-urlencoded")
                                .map(|c| (c, BodyKind::Form))
                        })
                        .or_else(|| rb.content.first().map(|c| (c, BodyKind::Binary)));
                    match chosen {
                        None => None,
                        Some(((ct, media), kind)) => {
                            let mp = bp.push("content").push(ct).push("schema");
                            let ty = match (&media.schema, kind) {
                                (_, BodyKind::Binary) | (None, _) => TypeRef::Bytes,
                                (Some(s), _) => {
                                    types.convert(s, &mp, &format!("{op_type}Request"))?.0
                                }
                            };
                            Some(RequestBody {
                                ty,
                                kind,
                                content_type: ct.clone(),
                                required: rb.required,
                                doc: doc_lines(rb.description.as_deref()),
                            })
                        }
                    }
                }
            };

            // Responses.
            let mut responses = Vec::new();
            let rptr = optr.push("responses");
            let mut entries: Vec<(StatusMatch, String, &ReferenceOr<openapiv3::Response>)> = op
                .responses
                .responses
                .iter()
                .map(|(code, r)| match code {
                    StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string(), r),
                    StatusCode::Range(c) => (StatusMatch::Range(*c), format!("{c}XX"), r),
                })
                .collect();
            if let Some(d) = &op.responses.default {
                entries.push((StatusMatch::Default, "default".into(), d));
            }
            for (status, key, r) in entries {
                let rp = rptr.push(&key);
                let r = resolve_component(r, "responses", |k| comps?.responses.get(k), &rp)?;
                let success =
                    matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2));
                let hint = if success {
                    format!("{op_type}Response")
                } else {
                    format!("{op_type}{}Response", reason(status))
                };
                let json = r
                    .content
                    .iter()
                    .find(|(ct, _)| *ct == "application/json" || ct.ends_with("+json"));
                let sse = r
                    .content
                    .iter()
                    .find(|(ct, _)| ct.starts_with("text/event-stream"));
                let (kind, ty) = if let Some((ct, m)) = json {
                    match &m.schema {
                        Some(s) => (
                            ResponseKind::Json,
                            Some(
                                types
                                    .convert(s, &rp.push("content").push(ct).push("schema"), &hint)?
                                    .0,
                            ),
                        ),
                        None => (ResponseKind::Json, Some(TypeRef::Json)),
                    }
                } else if let Some((ct, m)) = sse {
                    let ty = match &m.schema {
                        Some(s) => {
                            types
                                .convert(
                                    s,
                                    &rp.push("content").push(ct).push("schema"),
                                    &format!("{op_type}Event"),
                                )?
                                .0
                        }
                        None => TypeRef::Json,
                    };
                    (ResponseKind::EventStream, Some(ty))
                } else if r.content.is_empty() {
                    (ResponseKind::Empty, None)
                } else {
                    (ResponseKind::Bytes, None)
                };
                let mut error_variant = None;
                if !success {
                    if let (ResponseKind::Json, Some(t)) = (kind, &ty) {
                        let name = errors.entry((status, t.clone())).or_insert_with(|| {
                            let base = reason(status);
                            let name = if error_names.contains(&base) {
                                let suffix = match t {
                                    TypeRef::Named(n) => n.clone(),
                                    _ => "Json".to_owned(),
                                };
                                error_names.claim(&format!("{base}{suffix}"))
                            } else {
                                error_names.claim(&base)
                            };
                            error_variants.push(ErrorVariant {
                                name: name.clone(),
                                ty: t.clone(),
                                status,
                                doc: doc_lines(Some(&r.description)),
                            });
                            name
                        });
                        error_variant = Some(name.clone());
                    }
                }
                responses.push(Response {
                    status,
                    kind,
                    ty,
                    doc: doc_lines(Some(&r.description)),
                    error_variant,
                });
            }
            let success = success_of(&responses, types, &op_type, &rptr)?;

            let idx = operations.len();
            let mut doc = doc_lines(op.description.as_deref());
            if doc.is_empty() {
                doc = doc_lines(op.summary.as_deref());
            }
            match raw_pagination(op, &optr)? {
                PaginationSpec::None => {}
                PaginationSpec::OffsetLimit(raw) => pending_pages.push((idx, raw)),
                PaginationSpec::Unsupported(kind) => {
                    if !doc.is_empty() {
                        doc.push(String::new());
                    }
                    doc.push(format!(
                        "Note: pagination `{kind}` not supported by this generator; no page helpers are generated, request further pages yourself."
                    ));
                }
            }
            operations.push(Operation {
                operation_id: operation_id.clone(),
                method_name,
                fn_base: fn_names.claim(super::unraw(&field_name(&operation_id))),
                group,
                method,
                path: path.clone(),
                summary: op.summary.clone(),
                doc,
                deprecated: op.deprecated,
                params,
                params_type,
                body,
                responses,
                success,
                pagination: None,
                retry: retry_hint(&op.extensions, &optr)?,
                origin: optr.to_string(),
            });
        }
    }
    error_variants.sort_by(|a, b| (a.status, &a.name).cmp(&(b.status, &b.name)));
    Ok((
        Ops {
            operations,
            groups,
            error_variants,
        },
        pending_pages,
    ))
}

/// The success type: the single 2xx body type, or an untagged union of the distinct ones.
fn success_of(
    responses: &[Response],
    types: &mut TypeBuilder<'_>,
    op_type: &str,
    ptr: &Pointer,
) -> Result<Success> {
    let ok: Vec<&Response> = responses
        .iter()
        .filter(|r| {
            matches!(
                r.status,
                StatusMatch::Code(200..=299) | StatusMatch::Range(2)
            )
        })
        .collect();
    if let Some(r) = ok.iter().find(|r| r.kind == ResponseKind::EventStream) {
        return Ok(Success::EventStream(r.ty.clone().unwrap_or(TypeRef::Json)));
    }
    let mut distinct: Vec<TypeRef> = Vec::new();
    for r in &ok {
        if let (ResponseKind::Json, Some(t)) = (r.kind, &r.ty) {
            if !distinct.contains(t) {
                distinct.push(t.clone());
            }
        }
    }
    match distinct.len() {
        0 if ok.iter().any(|r| r.kind == ResponseKind::Bytes) => Ok(Success::Bytes),
        0 => Ok(Success::Unit),
        1 => Ok(Success::Json(distinct.remove(0))),
        _ => {
            let name = types.claim(&format!("{op_type}Success"));
            let mut vr = Registry::default();
            let variants = distinct
                .into_iter()
                .enumerate()
                .map(|(i, ty)| {
                    let rust = match &ty {
                        TypeRef::Named(n) => vr.claim(n),
                        _ => vr.claim(&format!("Variant{}", i + 1)),
                    };
                    UnionVariant {
                        rust,
                        ty,
                        tags: Vec::new(),
                    }
                })
                .collect();
            types.insert_def(TypeDef {
                name: name.clone(),
                doc: vec![" One of the documented success bodies.".trim().to_owned()],
                origin: ptr.to_string(),
                deprecated: false,
                kind: TypeKind::Union {
                    variants,
                    discriminator: None,
                },
            });
            Ok(Success::Json(TypeRef::Named(name)))
        }
    }
}

/// Resolve `x-speakeasy-pagination` against the finished types.
pub fn resolve_pagination(
    ops: &mut [Operation],
    pending: Vec<(usize, RawPagination)>,
    defs: &BTreeMap<String, TypeDef>,
) -> Result<()> {
    for (idx, raw) in pending {
        let op = &mut ops[idx];
        let ptr = Pointer(op.origin.clone()).push("x-speakeasy-pagination");
        let find = |wire: &str| {
            op.params
                .iter()
                .find(|p| p.wire == wire && !p.required)
                .map(|p| p.rust.clone())
        };
        let offset = find(&raw.offset).ok_or_else(|| {
            ptr.error(format!(
                "offset input `{}` is not an optional parameter",
                raw.offset
            ))
        })?;
        let limit = match &raw.limit {
            Some(l) => Some(find(l).ok_or_else(|| {
                ptr.error(format!("limit input `{l}` is not an optional parameter"))
            })?),
            None => None,
        };
        if op.params.iter().any(|p| p.required) {
            return Err(
                ptr.error("paginated operations with required parameters are not supported")
            );
        }
        let Success::Json(page) = &op.success else {
            return Err(ptr.error("paginated operation has no JSON success body"));
        };
        let mut current = page.clone();
        let mut items_path = Vec::new();
        let mut total_count = None;
        for (depth, wire) in raw.results.iter().enumerate() {
            let fields = struct_fields(&current, defs)
                .ok_or_else(|| ptr.error("results path does not walk through objects"))?;
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
                ptr.error(format!(
                    "results path names `{wire}`, which the page type does not have"
                ))
            })?;
            if f.presence != Presence::Required {
                return Err(ptr.error(format!(
                    "results field `{wire}` must be required and non-null"
                )));
            }
            items_path.push(f.rust.clone());
            current = f.ty.clone();
        }
        let item_ty = match unalias(&current, defs) {
            TypeRef::Vec(inner) => *inner,
            _ => return Err(ptr.error("results path does not end at an array")),
        };
        op.pagination = Some(Pagination {
            offset,
            limit,
            items_path,
            item_ty,
            total_count,
        });
    }
    Ok(())
}

fn unalias(t: &TypeRef, defs: &BTreeMap<String, TypeDef>) -> TypeRef {
    let mut seen = BTreeSet::new();
    let mut t = t.clone();
    while let TypeRef::Named(n) = &t {
        match defs.get(n) {
            Some(TypeDef {
                kind: TypeKind::Alias { target },
                ..
            }) if seen.insert(n.clone()) => t = target.clone(),
            _ => break,
        }
    }
    t
}

fn struct_fields<'d>(t: &TypeRef, defs: &'d BTreeMap<String, TypeDef>) -> Option<&'d [Field]> {
    match unalias(t, defs) {
        TypeRef::Named(n) => match &defs.get(&n)?.kind {
            TypeKind::Struct { fields, .. } => Some(fields),
            _ => None,
        },
        _ => None,
    }
}
