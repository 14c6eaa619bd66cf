//! The intermediate representation: pure data, no tokens. Every `$ref` is resolved, every
//! inline schema that needs a Rust type has a deterministic name, and every identifier is
//! already a valid, collision-free Rust name. `emit` only has to print it.
//!
//! Names are claimed per Rust namespace, each in one [`Registry`], first come first served:
//! - types: schemas, params/pager structs and group handles (all re-exported side by side);
//! - the operations module's values: per-operation statics and functions ([`OpIdents`]);
//! - methods: per group, and `Client`'s group accessors next to the runtime's own methods;
//! - per operation: parameters, then the locals of the generated functions ([`Locals`]);
//! - per struct: fields, then setters and the additional-properties map ([`Members`]).

mod allof;
pub mod api;
mod constraints;
mod docs;
mod members;
mod merge;
mod names;
mod ops;
mod params;
mod prune;
mod reach;
mod recursion;
mod resources;
mod responses;
mod speakeasy;
#[cfg(test)]
mod tests;
mod types;
mod unions;
mod view;

pub use members::Members;
pub use names::{Registry, field_name, is_keyword, type_name, unraw};
pub use params::{ParamPass, ParamStyle, Serialization};
pub use reach::TypeModule;

use std::collections::{BTreeMap, BTreeSet};

/// The whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// `info.title`.
    pub title: String,
    /// `servers[0].url` (empty if the spec has none).
    pub base_url: String,
    /// Spec-level `x-speakeasy-retries`.
    pub retry: Option<RetryHint>,
    /// Named types by Rust name; a sorted map so output order never depends on discovery.
    pub types: BTreeMap<String, TypeDef>,
    /// Generated members (setters, the additional-properties map) of each struct by name.
    pub members: BTreeMap<String, Members>,
    /// Operations sorted by (group, method name).
    pub operations: Vec<Operation>,
    /// Operation groups (from the first tag) by Rust struct name.
    pub groups: BTreeMap<String, Group>,
    /// Variants of the generated `ApiErrorBody` enum, sorted by status then name.
    pub error_variants: Vec<ErrorVariant>,
    /// Examples in the spec and the type each should decode into, in spec-walk order.
    pub examples: Vec<ExampleSite>,
    /// Types that carry `validate_at`: a constraint on them or inside them, and reachable
    /// from a request (a body or a parameter).
    pub validated: BTreeSet<String>,
    /// Types reachable from a request: users build them, so they get `new` and setters
    /// (other types get them only with the `mock` feature, to build mocked answers).
    pub request_types: BTreeSet<String>,
    /// Cargo feature of each group, `(feature, group)`, sorted by feature.
    pub features: Vec<(String, String)>,
    /// Types that only some groups reach: the features that turn them on (sorted). A type
    /// not listed is always compiled (every group or an error body reaches it), unless it is
    /// in `unreferenced`.
    pub type_features: BTreeMap<String, Vec<String>>,
    /// Types no operation and no error body reaches (schemas the document declares but does
    /// not use): compiled only with every group feature on.
    pub unreferenced: BTreeSet<String>,
    /// The modules (files under `types/`) of the types behind features, one per set of
    /// features; the types in none are always compiled (`types.rs`).
    pub type_modules: Vec<TypeModule>,
    /// Authentication, global headers, environment variables and crate docs.
    pub api: api::ApiInfo,
}

/// An example (`example`, `examples`) from a schema, parameter or media type.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleSite {
    /// JSON pointer of the example value.
    pub pointer: String,
    /// The Rust type the example describes.
    pub ty: TypeRef,
    /// The place also admits `null` (decode into `Option<ty>`).
    pub nullable: bool,
    pub value: serde_json::Value,
}

/// One Rust type produced from a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Vec<String>,
    /// JSON pointer of the schema it came from, for docs and error messages.
    pub origin: String,
    pub deprecated: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        fields: Vec<Field>,
        /// Typed `additionalProperties` next to named ones: a flattened map.
        additional: Option<TypeRef>,
    },
    /// A string enum; always open (an `Unknown(String)` variant keeps unseen values).
    Enum {
        variants: Vec<EnumVariant>,
        /// Name of the catch-all variant (normally `Unknown`).
        unknown: String,
    },
    /// `oneOf`/`anyOf`: untagged unless a discriminator names the tag property.
    Union {
        variants: Vec<UnionVariant>,
        discriminator: Option<Discriminator>,
    },
    /// A named schema that is just another type (`type Foo = Vec<Bar>`).
    Alias { target: TypeRef },
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust: String,
    pub wire: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust: String,
    pub ty: TypeRef,
    /// Tag values that select this variant (discriminated unions only).
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    /// Wire name of the tag property.
    pub property: String,
}

/// How a field is present on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Must be present, never null: `T`.
    Required,
    /// Must be present, may be null: `Option<T>` that rejects a missing key.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, skipped when `None`.
    Optional,
    /// May be absent or null: `Tristate<T>` (absent / null / value).
    OptionalNullable,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub wire: String,
    /// The Rust field name (already escaped, e.g. `r#type`).
    pub rust: String,
    pub ty: TypeRef,
    pub presence: Presence,
    pub doc: Vec<String>,
    pub constraints: Constraints,
    pub deprecated: bool,
}

/// Client-side checks derived from the schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    /// (bound, exclusive)
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    /// A string that must parse as a UUID (only where the Rust type is a string).
    pub uuid: bool,
    /// Checks on each array item.
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    /// True when there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self == &Constraints::default()
    }
}

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    /// A sensitive string (`format: password`): `Secret`, redacted in Debug.
    Secret,
    Bool,
    I32,
    I64,
    /// An integer whose documented range needs 64 unsigned bits (`format: uint64`).
    U64,
    /// An integer whose documented range exceeds 64 bits (`format: int128`, set by the
    /// loader for bounds beyond `i64`/`u64`).
    I128,
    F64,
    Uuid,
    DateTime,
    Date,
    /// Free-form JSON.
    Json,
    /// Raw bytes (binary bodies).
    Bytes,
    /// A file part of a `multipart/form-data` body (`format: binary` there).
    File,
    Named(String),
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// Heap indirection inserted by the recursion pass.
    Boxed(Box<TypeRef>),
    /// Nullable value (inside arrays, maps or union members).
    Option(Box<TypeRef>),
}

/// Operation groups (`client.byok()`).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Struct name, e.g. `Byok`.
    pub name: String,
    /// Accessor on the client, e.g. `byok`.
    pub accessor: String,
    /// The module of its operations (`byok`), claimed against every module and crate name
    /// the generated code uses (`types`, `std`, `runtime`…), so a tag cannot shadow one.
    pub module: String,
    /// The cargo feature that turns the group on (kebab-case of the tag, e.g. `api-keys`).
    pub feature: String,
    pub doc: Vec<String>,
    /// What the group comes from.
    pub source: GroupSource,
}

/// A group's cargo feature, its operation count and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    pub feature: String,
    pub operations: usize,
    pub source: GroupSource,
}

impl Model {
    /// Every group with its operation count, sorted by feature.
    pub fn group_counts(&self) -> Vec<GroupCount> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for op in &self.operations {
            *counts.entry(op.group.as_str()).or_default() += 1;
        }
        let mut out: Vec<GroupCount> = self
            .groups
            .values()
            .map(|g| GroupCount {
                feature: g.feature.clone(),
                operations: counts.get(g.name.as_str()).copied().unwrap_or(0),
                source: g.source,
            })
            .collect();
        out.sort_by(|a, b| a.feature.cmp(&b.feature));
        out
    }
}

/// One line for `cargo xtask codegen`: the groups (cargo features) by where they come from,
/// each with its operation count, the first `shown` of each kind named.
pub fn group_summary(groups: &[GroupCount], shown: usize) -> String {
    let mut parts = Vec::new();
    for (source, what) in [
        (GroupSource::Tag, "by tag"),
        (GroupSource::Path, "by path (untagged document)"),
        (GroupSource::Default, "default"),
    ] {
        let of: Vec<&GroupCount> = groups.iter().filter(|g| g.source == source).collect();
        if of.is_empty() {
            continue;
        }
        let mut names: Vec<String> = of
            .iter()
            .take(shown)
            .map(|g| format!("{} ({})", g.feature, g.operations))
            .collect();
        if of.len() > shown {
            names.push(format!("… {} more", of.len() - shown));
        }
        parts.push(format!("{} {what}: {}", of.len(), names.join(", ")));
    }
    format!(
        "{} group(s) (cargo features): {}",
        groups.len(),
        parts.join("; ")
    )
}

/// Where an operation group comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupSource {
    /// The first tag of its operations.
    Tag,
    /// The resource of its (untagged) operations' paths, in a document without tags.
    Path,
    /// `General`: untagged operations of a tagged document, or with no resource.
    Default,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Upper-case HTTP name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
    /// Safe to repeat: everything but POST (PATCH bodies here set values, they do not append).
    pub fn idempotent(self) -> bool {
        self != Method::Post
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    /// Sent in the `Cookie` header as `name=value` (all cookies of a request in one header).
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire: String,
    pub rust: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub constraints: Constraints,
    pub doc: Vec<String>,
    /// The schema's `default`, if any (the server applies it when the parameter is absent).
    pub default: Option<serde_json::Value>,
    /// Setter on the parameters struct (optional parameters only).
    pub setter: Option<String>,
    /// How the value is written on the wire.
    pub serialization: Serialization,
    /// How a method takes the parameter when it is a positional (required) argument.
    pub pass: ParamPass,
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    /// `multipart/form-data`: sent as JSON-described parts.
    Multipart,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Raw bytes with the given content type.
    Binary,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub ty: TypeRef,
    pub kind: BodyKind,
    pub content_type: String,
    pub required: bool,
    pub doc: Vec<String>,
    /// Url-encoded forms: the `encoding` of each property that declares a style, in spec
    /// order (the rest use the default, `form` exploded).
    pub encoding: Vec<FormEncoding>,
}

/// How one property of an url-encoded form body is written.
#[derive(Debug, Clone, PartialEq)]
pub struct FormEncoding {
    /// Wire name of the property.
    pub property: String,
    pub style: FormStyle,
    pub explode: bool,
}

/// The styles OpenAPI allows for url-encoded form properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// How a response body is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    Json,
    /// No body (or none documented).
    Empty,
    /// Raw bytes (binary, audio, video, images, text).
    Bytes,
    /// `text/event-stream`.
    EventStream,
}

/// Which statuses a response entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX` → Range(4)
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusMatch,
    pub kind: ResponseKind,
    /// Body type (`None` for Empty/Bytes).
    pub ty: Option<TypeRef>,
    pub doc: Vec<String>,
    /// For error statuses: the `ApiErrorBody` variant that wraps the body.
    pub error_variant: Option<String>,
    /// A `default` response of an operation that declares no 2XX: it describes success too,
    /// so a 2xx status decodes as success and any other as this error.
    pub default_success: bool,
    /// Every documented content type, in spec order (for `Accept` on binary downloads).
    pub content_types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Rust name of the offset parameter.
    pub offset: String,
    /// Rust name of the limit parameter, if any.
    pub limit: Option<String>,
    /// Rust field path from the page to the items array (e.g. `["data"]`).
    pub items_path: Vec<String>,
    pub item_ty: TypeRef,
    /// Rust field name of a total-count property on the page, if it has one.
    pub total_count: Option<(String, Presence)>,
    /// For operations with required parameters: the struct that carries them along with the
    /// optional ones from page to page (`None`: the params struct itself is paged).
    pub pager: Option<String>,
    /// Method names of the page stream and the item stream.
    pub pages_method: String,
    pub items_method: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RetryHint {
    pub initial_interval_ms: u64,
    pub max_interval_ms: u64,
    pub exponent: f64,
    pub max_elapsed_ms: u64,
    pub status_codes: Vec<String>,
    pub retry_connection_errors: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    /// Method name on the group (`list`, `get_current`).
    pub method_name: String,
    /// Module-level items and function locals the emitter writes for this operation.
    pub idents: OpIdents,
    /// Group struct name.
    pub group: String,
    pub method: Method,
    pub path: String,
    /// `path` split into literal text and placeholders bound to path parameters.
    pub template: Vec<PathPart>,
    pub summary: Option<String>,
    pub doc: Vec<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    /// Struct holding the optional parameters (`None` when there are none).
    pub params_type: Option<String>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Type of a successful result.
    pub success: Success,
    /// A documented `text/event-stream` success response (alongside a JSON one, or alone).
    pub stream: Option<EventStream>,
    /// The method that streams, when `stream` sits next to a JSON success.
    pub stream_method: Option<String>,
    pub pagination: Option<Pagination>,
    pub retry: Option<RetryHint>,
    /// The credentials the operation accepts where its `security` differs from the
    /// document's (`None`: the API's, [`api::Api::auth`]; empty: none is sent).
    pub auth: Option<Vec<api::AuthScheme>>,
    /// Where in the spec this came from.
    pub origin: String,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// A placeholder, bound to the path parameter with this Rust name.
    Param(String),
}

/// The names of the private items generated per operation (one namespace for the whole
/// operations module, so `foo` + retry and `fooRetry` never both get `FOO_RETRY`).
#[derive(Debug, Clone, PartialEq)]
pub struct OpIdents {
    /// `static` holding the `OperationMeta`.
    pub meta: String,
    /// `static` holding the operation's own `RetrySpec`, when it has one.
    pub retry: Option<String>,
    pub prepare: String,
    pub decode: String,
    /// Decoder of error statuses for an event stream, when one is documented.
    pub stream_error: Option<String>,
    pub locals: Locals,
}

/// Locals and arguments of the generated functions that sit next to the parameters, claimed
/// after them so none shadows a parameter (a parameter named `query` keeps its name).
#[derive(Debug, Clone, PartialEq)]
pub struct Locals {
    pub body: String,
    pub params: String,
    pub query: String,
    pub headers: String,
    pub value: String,
    pub item: String,
    pub form: String,
    pub map: String,
    pub name: String,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    Unit,
    Json(TypeRef),
    Bytes,
    /// Only an event stream is documented: the method itself streams (see `Operation::stream`).
    Stream,
}

/// A `text/event-stream` success response.
#[derive(Debug, Clone, PartialEq)]
pub struct EventStream {
    /// The schema of one event. When it is an object with a `data` property (Speakeasy's
    /// convention) the whole event (`event`, `data`, `id`, `retry`) decodes into it,
    /// otherwise just the `data` payload does.
    pub ty: TypeRef,
    /// `x-speakeasy-sse-sentinel`: a `data` payload that ends the stream (e.g. `[DONE]`).
    pub sentinel: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorVariant {
    pub name: String,
    pub ty: TypeRef,
    pub status: StatusMatch,
    pub doc: Vec<String>,
}

/// Build the model from a loaded spec.
pub fn build(spec: &openapiv3::OpenAPI) -> crate::Result<Model> {
    let mut types = types::TypeBuilder::new(spec)?;
    let (mut ops, pending_pages) = ops::build(spec, &mut types)?;
    let types::Finished {
        mut defs,
        components,
        mut examples,
        suffixed,
    } = types.finish()?;
    speakeasy::resolve_pagination(&mut ops.operations, pending_pages, &defs);
    prune::unreachable(&mut defs, &components, &ops.operations, &ops.error_variants);
    // An example whose type an allOf merge replaced describes a type that no longer exists.
    examples.retain(|e| prune::names_exist(&e.ty, &defs));
    crate::examples::drop_misfits(&mut examples, &defs);
    let renames = prune::settle_names(&defs, &suffixed, &ops.operations, &ops.groups);
    prune::rename(
        &renames,
        &mut defs,
        &mut ops.operations,
        &mut ops.error_variants,
        &mut examples,
    );
    recursion::break_cycles(&mut defs);
    ops.operations
        .sort_by(|a, b| (&a.group, &a.method_name).cmp(&(&b.group, &b.method_name)));
    let mut api = api::api_info(spec);
    api::claim_mock_names(&mut api, &defs, &ops.groups);
    let reach = reach::analyse(&defs, &ops.operations, &ops.groups, &ops.error_variants);
    let type_modules = reach::modules(&defs, &reach);
    Ok(Model {
        type_modules,
        validated: reach.validated,
        request_types: reach.request_types,
        features: reach.features,
        type_features: reach.type_features,
        unreferenced: reach.unreferenced,
        title: api::one_line(&spec.info.title),
        base_url: spec
            .servers
            .first()
            .map(|s| s.url.clone())
            .unwrap_or_default(),
        retry: speakeasy::retry_hint(&spec.extensions, &crate::error::Pointer::root())?,
        members: members::claim(&defs),
        types: defs,
        operations: ops.operations,
        groups: ops.groups,
        error_variants: ops.error_variants,
        examples,
        api,
    })
}
