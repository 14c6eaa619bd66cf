//! Responses of one operation: per-status decoding, the typed error variants they share
//! across the spec, the success type and a documented event stream.

use super::names::Registry;
use super::refs::examples_at;
use super::types::{TypeBuilder, doc_lines};
use super::*;
use crate::Result;
use crate::error::Pointer;
use openapiv3::{Components, MediaType, ReferenceOr, StatusCode};
use serde_json::Value;

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

/// The `ApiErrorBody` variants: one per distinct (status, body type) across the spec.
pub struct ErrorRegistry {
    by_key: BTreeMap<(StatusMatch, TypeRef), String>,
    names: Registry,
    pub variants: Vec<ErrorVariant>,
}

impl ErrorRegistry {
    pub fn new() -> Self {
        ErrorRegistry {
            by_key: BTreeMap::new(),
            names: Registry::with_reserved(&["Unparsed"]),
            variants: Vec::new(),
        }
    }

    fn variant(&mut self, status: StatusMatch, ty: &TypeRef, doc: &str) -> String {
        if let Some(n) = self.by_key.get(&(status, ty.clone())) {
            return n.clone();
        }
        let base = reason(status);
        let name = if self.names.contains(&base) {
            let suffix = match ty {
                TypeRef::Named(n) => n.clone(),
                _ => "Json".to_owned(),
            };
            self.names.claim(&format!("{base}{suffix}"))
        } else {
            self.names.claim(&base)
        };
        self.variants.push(ErrorVariant {
            name: name.clone(),
            ty: ty.clone(),
            status,
            doc: doc_lines(Some(doc)),
        });
        self.by_key.insert((status, ty.clone()), name.clone());
        name
    }

    /// Variants sorted by status, then name.
    pub fn finish(mut self) -> Vec<ErrorVariant> {
        self.variants
            .sort_by(|a, b| (a.status, &a.name).cmp(&(b.status, &b.name)));
        self.variants
    }
}

pub(super) fn is_success(status: StatusMatch) -> bool {
    matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2))
}

/// Everything an operation's `responses` say.
pub struct Responses {
    pub responses: Vec<Response>,
    pub success: Success,
    pub stream: Option<EventStream>,
}

/// Convert the responses of the operation at `optr`.
pub fn responses_of(
    op: &openapiv3::Operation,
    optr: &Pointer,
    op_type: &str,
    comps: Option<&Components>,
    types: &mut TypeBuilder<'_>,
    errors: &mut ErrorRegistry,
) -> Result<Responses> {
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
    // With no 2XX declared, `default` is the only description of success too.
    let default_success = !entries.iter().any(|(s, _, _)| is_success(*s));
    let mut responses = Vec::new();
    let mut stream = None;
    for (status, key, r) in entries {
        let default_success = default_success && status == StatusMatch::Default;
        let rp = rptr.push(&key);
        let r = super::refs::resolve_component(r, "responses", |k| comps?.responses.get(k), &rp)?;
        let success = is_success(status) || default_success;
        let hint = if success {
            format!("{op_type}Response")
        } else {
            format!("{op_type}{}Response", reason(status))
        };
        let find = |pred: fn(&str) -> bool| r.content.iter().find(|(ct, _)| pred(ct));
        let json = find(|ct| ct == "application/json" || ct.ends_with("+json"));
        let sse = find(|ct| ct.starts_with("text/event-stream"));
        let schema_ptr = |ct: &str| rp.push("content").push(ct).push("schema");
        let media_ptr = |ct: &str| rp.push("content").push(ct);
        if let (true, Some((ct, m))) = (success, sse) {
            if stream.is_none() {
                let s = event_stream(m, &schema_ptr(ct), op_type, types)?;
                for (at, value) in
                    examples_at(m.example.as_ref(), &m.examples, &media_ptr(ct), comps)?
                {
                    types.record_example(at, &s.ty, false, value);
                }
                stream = Some(s);
            }
        }
        let (kind, ty) = if let Some((ct, m)) = json {
            let (ty, nullable) = match &m.schema {
                Some(s) => types.convert(s, &schema_ptr(ct), &hint)?,
                None => (TypeRef::Json, false),
            };
            for (at, value) in examples_at(m.example.as_ref(), &m.examples, &media_ptr(ct), comps)?
            {
                types.record_example(at, &ty, nullable, value);
            }
            (ResponseKind::Json, Some(ty))
        } else if sse.is_some() {
            (ResponseKind::EventStream, None)
        } else if r.content.is_empty() {
            (ResponseKind::Empty, None)
        } else {
            (ResponseKind::Bytes, None)
        };
        let error_variant = match (is_success(status), kind, &ty) {
            (false, ResponseKind::Json, Some(t)) => Some(errors.variant(status, t, &r.description)),
            _ => None,
        };
        responses.push(Response {
            status,
            kind,
            ty,
            doc: doc_lines(Some(&r.description)),
            error_variant,
            content_types: r.content.keys().cloned().collect(),
            default_success,
        });
    }
    let success = success_of(&responses, types, op_type, &rptr);
    Ok(Responses {
        responses,
        success,
        stream,
    })
}

fn event_stream(
    media: &MediaType,
    ptr: &Pointer,
    op_type: &str,
    types: &mut TypeBuilder<'_>,
) -> Result<EventStream> {
    let ty = match &media.schema {
        Some(s) => types.convert(s, ptr, &format!("{op_type}Event"))?.0,
        None => TypeRef::Json,
    };
    let sentinel = media
        .extensions
        .get("x-speakeasy-sse-sentinel")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(EventStream {
        ty,
        sentinel,
        envelope: false,
        flag: None,
    })
}

/// The success type: the single 2xx JSON body type, or an untagged union of the distinct
/// ones; else a stream, bytes or nothing.
fn success_of(
    responses: &[Response],
    types: &mut TypeBuilder<'_>,
    op_type: &str,
    ptr: &Pointer,
) -> Success {
    let ok: Vec<&Response> = responses
        .iter()
        .filter(|r| is_success(r.status) || r.default_success)
        .collect();
    let mut distinct: Vec<TypeRef> = Vec::new();
    for r in &ok {
        if let (ResponseKind::Json, Some(t)) = (r.kind, &r.ty) {
            if !distinct.contains(t) {
                distinct.push(t.clone());
            }
        }
    }
    match distinct.len() {
        0 if ok.iter().any(|r| r.kind == ResponseKind::EventStream) => Success::Stream,
        0 if ok.iter().any(|r| r.kind == ResponseKind::Bytes) => Success::Bytes,
        0 => Success::Unit,
        1 => Success::Json(distinct.remove(0)),
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
                        check: None,
                    }
                })
                .collect();
            types.insert_def(TypeDef {
                name: name.clone(),
                doc: vec!["One of the documented success bodies.".to_owned()],
                origin: ptr.to_string(),
                deprecated: false,
                kind: TypeKind::Union {
                    variants,
                    discriminator: None,
                },
            });
            Success::Json(TypeRef::Named(name))
        }
    }
}
