//! Paths and operations → [`Operation`]s with resolved parameters, bodies and responses.

use super::names::{Registry, field_name, type_name};
use super::params::params_of;
use super::reach::feature_name;
use super::refs::{examples_at, resolve_component};
use super::responses::{ErrorRegistry, responses_of};
use super::speakeasy::{PaginationSpec, RawPagination, raw_pagination, retry_hint};
use super::types::{TypeBuilder, doc_lines};
use super::*;
use crate::Result;
use crate::error::Pointer;
use openapiv3::{Components, OpenAPI, ReferenceOr};
use serde_json::Value;

pub struct Ops {
    pub operations: Vec<Operation>,
    pub groups: BTreeMap<String, Group>,
    pub error_variants: Vec<ErrorVariant>,
    /// The operations module's value namespace, for the decoders claimed once operations
    /// are final (see [`super::decoders`]).
    pub items: Registry,
}

fn method_of(method: &str) -> Method {
    match method {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    }
}

/// Names handed out across operations.
struct Naming {
    groups: BTreeMap<String, Group>,
    tag_to_group: BTreeMap<String, String>,
    /// Group accessors are methods on `Client`, next to the runtime's own.
    accessors: Registry,
    /// Cargo features, one per group, next to the crate's own (`default`, TLS, `mock`).
    features: Registry,
    /// Group modules, next to the generated code's own modules and the crates it names.
    modules: Registry,
    method_names: BTreeMap<String, Registry>,
    /// The operations module's value namespace: statics and free functions.
    items: Registry,
    seen_ids: BTreeMap<String, String>,
    /// Groups of untagged operations by resource.
    resources: super::resources::Resources,
}

impl Naming {
    /// The group of an operation, created on first use: its first tag; in a document
    /// without tags, its resource (see [`super::resources`]); else `General`.
    /// Group handle structs share the type namespace with schemas: both are re-exported
    /// from the same module, so a tag named like a schema gets an `Api` suffix.
    fn group(
        &mut self,
        spec: &OpenAPI,
        op: &openapiv3::Operation,
        path: &str,
        types: &mut TypeBuilder<'_>,
    ) -> String {
        let resource = op
            .tags
            .is_empty()
            .then(|| self.resources.resource(path))
            .flatten();
        let (tag, source) = match (op.tags.first(), resource) {
            (Some(tag), _) => (tag.clone(), GroupSource::Tag),
            (None, Some(r)) => (r.to_owned(), GroupSource::Path),
            (None, None) => ("General".to_owned(), GroupSource::Default),
        };
        let group = self
            .tag_to_group
            .entry(tag.clone())
            .or_insert_with(|| {
                let want = type_name(&tag);
                if types.is_taken(&want) {
                    types.claim(&format!("{want}Api"))
                } else {
                    types.claim(&want)
                }
            })
            .clone();
        self.groups.entry(group.clone()).or_insert_with(|| Group {
            name: group.clone(),
            accessor: self.accessors.claim(&field_name(&tag)),
            module: self.modules.claim(&field_name(&tag)),
            feature: self.features.claim(&feature_name(&tag)),
            doc: match source {
                GroupSource::Path => vec![format!(
                    "Operations on the `{tag}` resource (the document has no tags: grouped by path)."
                )],
                _ => doc_lines(
                    spec.tags
                        .iter()
                        .find(|t| t.name == tag)
                        .and_then(|t| t.description.as_deref()),
                ),
            },
            source,
            types: Vec::new(),
        });
        group
    }
}

/// The operations of `paths` (the document's, borrowed, or typed one at a time from
/// `load`'s untyped items: then each is dropped once converted).
pub fn build<K, V>(
    spec: &OpenAPI,
    paths: impl IntoIterator<Item = Result<(K, V)>>,
    resources: super::resources::Resources,
    types: &mut TypeBuilder<'_>,
) -> Result<(Ops, Vec<(usize, RawPagination)>)>
where
    K: AsRef<str>,
    V: std::borrow::Borrow<ReferenceOr<openapiv3::PathItem>>,
{
    let comps = spec.components.as_ref();
    let mut operations = Vec::new();
    let mut pending_pages = Vec::new();
    let mut naming = Naming {
        groups: BTreeMap::new(),
        tag_to_group: BTreeMap::new(),
        // The client's own methods, and the typed mock server's (it has one accessor per
        // group too).
        accessors: Registry::with_reserved(&[
            "builder", "from_env", "base_url", "inner", "clone", "start", "client",
        ]),
        features: Registry::with_reserved(super::reach::RESERVED_FEATURES),
        modules: Registry::with_reserved(super::names::RESERVED_MODULES),
        method_names: BTreeMap::new(),
        items: Registry::with_reserved(&["DEFAULT_BASE_URL", "DEFAULT_RETRY", "ENV_PREFIX", "API"]),
        seen_ids: BTreeMap::new(),
        resources,
    };
    let mut errors = ErrorRegistry::new();

    let paths_ptr = Pointer::root().push("paths");
    for entry in paths {
        let (path, item) = entry?;
        let path = path.as_ref();
        let pptr = paths_ptr.push(path);
        let item = match item.borrow() {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { .. } => {
                return Err(pptr.error("path item $refs are not supported"));
            }
        };
        for (method, op) in item.iter() {
            let optr = pptr.push(method);
            let method = method_of(method);
            let operation_id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{} {}", method.as_str().to_lowercase(), path));
            if let Some(prev) = naming
                .seen_ids
                .insert(operation_id.clone(), optr.to_string())
            {
                return Err(optr.push("operationId").error(format!(
                    "duplicate operationId `{operation_id}` (also at {prev})"
                )));
            }
            let group = naming.group(spec, op, path, types);
            // A bare verb as operationId (`list`) makes poor type names (`ListParams`):
            // qualify it with the group (`ApiKeysListParams`).
            let op_type = if is_bare_verb(&operation_id) {
                format!("{group}{}", type_name(&operation_id))
            } else {
                type_name(&operation_id)
            };
            let wanted = op
                .extensions
                .get("x-speakeasy-name-override")
                .and_then(Value::as_str)
                .unwrap_or(&operation_id);
            let method_name = naming
                .method_names
                .entry(group.clone())
                .or_default()
                .claim(&field_name(wanted));

            let (params, pointers, locals) =
                params_of(item, op, &pptr, &optr, &op_type, comps, types)?;
            let template = template(path, &params, &pointers, &optr)?;
            let params_type = params
                .iter()
                .any(|p| !p.required)
                .then(|| types.claim(&format!("{op_type}Params")));
            let body = body_of(op, &optr, &op_type, comps, types)?;
            let r = responses_of(op, &optr, &op_type, comps, types, &mut errors)?;

            let idx = operations.len();
            // The summary is printed first; a description that only repeats it is not
            // printed again.
            let mut doc = doc_lines(op.description.as_deref());
            if doc == doc_lines(op.summary.as_deref()) {
                doc.clear();
            }
            let methods = naming.method_names.entry(group.clone()).or_default();
            let base = super::unraw(&method_name).to_owned();
            let mut paginated = false;
            match raw_pagination(op, &optr)? {
                PaginationSpec::None => {}
                PaginationSpec::OffsetLimit(mut raw) => {
                    if params.iter().any(|p| p.required) {
                        raw.pager = Some(types.claim(&format!("{op_type}Pager")));
                    }
                    raw.pages_method = methods.claim(&format!("{base}_pages"));
                    raw.items_method = methods.claim(&format!("{base}_stream"));
                    paginated = true;
                    pending_pages.push((idx, raw));
                }
                PaginationSpec::Unsupported(kind) => {
                    if !doc.is_empty() {
                        doc.push(String::new());
                    }
                    doc.push(format!(
                        "Note: pagination `{kind}` not supported by this generator; no page helpers are generated, request further pages yourself."
                    ));
                }
            }
            // An event stream next to a JSON success gets its own method.
            let stream_method = (r.stream.is_some() && r.success != Success::Stream).then(|| {
                let suffix = if paginated { "events" } else { "stream" };
                methods.claim(&format!("{base}_{suffix}"))
            });
            let retry = retry_hint(&op.extensions, &optr)?;
            let base = super::unraw(&field_name(&operation_id)).to_owned();
            let items = &mut naming.items;
            let idents = OpIdents {
                meta: items.claim(&base.to_uppercase()),
                retry: retry
                    .as_ref()
                    .map(|_| items.claim(&format!("{}_RETRY", base.to_uppercase()))),
                prepare: items.claim(&format!("{base}_prepare")),
                // Shared between operations: see `super::decoders::share`.
                decode: String::new(),
                stream_error: None,
                locals,
            };
            operations.push(Operation {
                operation_id: operation_id.clone(),
                method_name,
                idents,
                group,
                method,
                path: path.to_owned(),
                template,
                summary: op.summary.clone(),
                doc,
                deprecated: op.deprecated,
                params,
                params_type,
                body,
                responses: r.responses,
                success: r.success,
                stream: r.stream,
                stream_method,
                pagination: None,
                retry,
                auth: super::api::operation_auth(spec, op),
                origin: optr.to_string(),
            });
        }
    }
    Ok((
        Ops {
            operations,
            groups: naming.groups,
            error_variants: errors.finish(),
            items: naming.items,
        },
        pending_pages,
    ))
}

/// Split `path` into literals and placeholders, binding each placeholder to a declared path
/// parameter. An unbound placeholder would be sent literally (`/things/thingId`) and a path
/// parameter without a placeholder would be dropped: both are refused.
fn template(
    path: &str,
    params: &[Param],
    pointers: &[Pointer],
    optr: &Pointer,
) -> Result<Vec<PathPart>> {
    let declared: Vec<&Param> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    let names = || {
        let list: Vec<String> = declared.iter().map(|p| format!("`{}`", p.wire)).collect();
        if list.is_empty() {
            "none".to_owned()
        } else {
            list.join(", ")
        }
    };
    let mut parts = Vec::new();
    let mut bound = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(optr.error(format!("path `{path}` has an unclosed `{{`")));
        };
        if start > 0 {
            parts.push(PathPart::Literal(rest[..start].to_owned()));
        }
        let wire = &rest[start + 1..start + len];
        let Some(p) = declared.iter().find(|p| p.wire == wire) else {
            return Err(optr.error(format!(
                "path placeholder `{{{wire}}}` is not bound to a path parameter (declared path parameters: {})",
                names()
            )));
        };
        bound.push(p.wire.as_str());
        parts.push(PathPart::Param(p.rust.clone()));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    let unused = params
        .iter()
        .zip(pointers)
        .find(|(p, _)| p.location == ParamLocation::Path && !bound.contains(&p.wire.as_str()));
    if let Some((p, at)) = unused {
        return Err(at.error(format!(
            "path parameter `{}` has no `{{{}}}` placeholder in path `{path}` (declared path parameters: {})",
            p.wire,
            p.wire,
            names()
        )));
    }
    Ok(parts)
}

/// The request body: JSON when offered, else multipart, form or raw bytes.
fn body_of(
    op: &openapiv3::Operation,
    optr: &Pointer,
    op_type: &str,
    comps: Option<&Components>,
    types: &mut TypeBuilder<'_>,
) -> Result<Option<RequestBody>> {
    let Some(rb) = &op.request_body else {
        return Ok(None);
    };
    let bp = optr.push("requestBody");
    let rb = resolve_component(rb, "requestBodies", |k| comps?.request_bodies.get(k), &bp)?;
    let pick = |pred: &dyn Fn(&str) -> bool| rb.content.iter().find(|(ct, _)| pred(ct));
    let chosen = pick(&|ct| ct == "application/json" || ct.ends_with("+json"))
        .map(|c| (c, BodyKind::Json))
        .or_else(|| pick(&|ct| ct == "multipart/form-data").map(|c| (c, BodyKind::Multipart)))
        .or_else(|| {
            pick(&|ct| ct == "application/x-www-form-urlencoded").map(|c| (c, BodyKind::Form))
        })
        .or_else(|| rb.content.first().map(|c| (c, BodyKind::Binary)));
    let Some(((ct, media), mut kind)) = chosen else {
        return Ok(None);
    };
    let mp = bp.push("content").push(ct).push("schema");
    let (ty, nullable) = match (&media.schema, kind) {
        // A media type without `schema` allows any content: any JSON value for JSON, any
        // fields for an url-encoded form (encoded as a form, as the media type says), and
        // otherwise the raw bytes, sent as they are (no multipart encoding).
        (None, BodyKind::Json) => (TypeRef::Json, false),
        (None, BodyKind::Form) => (TypeRef::Map(Box::new(TypeRef::Json)), false),
        (None, _) => {
            kind = BodyKind::Binary;
            (TypeRef::Bytes, false)
        }
        (_, BodyKind::Binary) => (TypeRef::Bytes, false),
        (Some(s), BodyKind::Multipart) => {
            types.with_files(|types| types.convert(s, &mp, &format!("{op_type}Request")))?
        }
        (Some(s), _) => types.convert(s, &mp, &format!("{op_type}Request"))?,
    };
    if ty != TypeRef::Bytes {
        let at = bp.push("content").push(ct);
        for (at, value) in examples_at(media.example.as_ref(), &media.examples, &at, comps)? {
            types.record_example(at, &ty, nullable, value);
        }
    }
    let encoding = if kind == BodyKind::Form {
        media.encoding.iter().map(form_encoding).collect()
    } else {
        Vec::new()
    };
    Ok(Some(RequestBody {
        ty,
        kind,
        content_type: ct.clone(),
        required: rb.required,
        doc: doc_lines(rb.description.as_deref()),
        encoding,
        validate: false,
        bytes: false,
        multipart: None,
    }))
}

/// One property's `encoding` of an url-encoded body. `openapiv3` reads a missing `explode`
/// as `false`, but for `form` the default is `true`, and an absent key is far more common
/// than an explicit `false`: `form` is taken as exploded.
fn form_encoding((property, e): (&String, &openapiv3::Encoding)) -> FormEncoding {
    use openapiv3::QueryStyle;
    let style = match e.style {
        None | Some(QueryStyle::Form) => FormStyle::Form,
        Some(QueryStyle::SpaceDelimited) => FormStyle::SpaceDelimited,
        Some(QueryStyle::PipeDelimited) => FormStyle::PipeDelimited,
        Some(QueryStyle::DeepObject) => FormStyle::DeepObject,
    };
    FormEncoding {
        property: property.clone(),
        style,
        explode: e.explode || style == FormStyle::Form,
    }
}

/// True for operationIds that are a single generic verb (`list`, `get`, `create`, ...).
fn is_bare_verb(operation_id: &str) -> bool {
    const VERBS: &[&str] = &[
        "list", "get", "create", "update", "delete", "patch", "put", "post", "search", "send",
    ];
    VERBS.contains(&operation_id.to_ascii_lowercase().as_str())
}
