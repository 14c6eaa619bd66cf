//! The operations part of the intermediate representation: methods, parameters, bodies,
//! responses, pagination, event streams and the names generated per operation.

use super::validate::Check;
use super::{Constraints, ParamPass, Presence, Serialization, TypeRef};

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
    /// The checks of the argument (of [`Param::argument_type`]) before the request is made.
    pub check: Option<Check>,
    /// How `prepare` borrows it when it is positional.
    pub borrow: Borrow,
    /// For a [`ParamPass::Display`] parameter: the text a user writes for a value of its type.
    pub text: TextForm,
}

/// How a request function borrows a positional parameter: strings as `&str` and arrays as
/// slices (clippy `ptr_arg`), anything else as `&T`.
#[derive(Debug, Clone, PartialEq)]
pub enum Borrow {
    Str,
    /// `&[item]`.
    Slice(TypeRef),
    Ref,
}

/// The text a user writes for a parameter value (the default `simple` style): itself, its
/// items joined by `,`, or its JSON text (an object, a map, a string-valued union).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextForm {
    Plain,
    Items,
    Json,
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
    /// The body's type carries `validate_at` (validated before it is encoded).
    pub validate: bool,
    /// The body's type is raw bytes (through aliases).
    pub bytes: bool,
    /// `multipart/form-data` bodies: how the parts are made.
    pub multipart: Option<MultipartPlan>,
}

/// How a `multipart/form-data` body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum MultipartPlan {
    /// A closed struct: one part per field, in field order.
    Fields(Vec<MultipartPart>),
    /// Anything else: one part per top-level property of its JSON form.
    Json,
}

/// One field of a multipart body struct.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartPart {
    pub rust: String,
    pub wire: String,
    pub presence: Presence,
    /// A file part (`runtime::FilePart`), else a value part.
    pub file: bool,
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
    /// The pager's field holding the optional parameters, claimed after the required ones.
    pub pager_params: Option<String>,
    /// The offset (and the limit) parameter is an `i32` (through aliases): widened to `i64`.
    pub offset_i32: bool,
    pub limit_i32: bool,
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
    /// document's (`None`: the API's, [`super::api::Api::auth`]; empty: none is sent).
    pub auth: Option<Vec<super::api::AuthScheme>>,
    /// Where in the spec this came from.
    pub origin: String,
}

impl Operation {
    /// The positional arguments of its methods: the required parameters, in spec order
    /// (the body and the parameters struct follow them).
    pub fn positional(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.required)
    }
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
    /// The [`super::Decoder`] of its responses, shared with the operations that answer
    /// alike (empty for an operation that only streams).
    pub decode: String,
    /// The decoder of an event stream's error statuses, when one is documented.
    pub stream_error: Option<String>,
    pub locals: Locals,
}

/// Locals and arguments of the generated functions that sit next to the parameters, claimed
/// after them so none shadows a parameter (a parameter named `query` keeps its name).
#[derive(Debug, Clone, PartialEq)]
pub struct Locals {
    pub body: String,
    pub params: String,
    /// The `PreparedRequest` a `prepare` function fills.
    pub request: String,
    /// The request path, when it is bound before use.
    pub path: String,
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
    /// The event type is an object with a `data` property (through aliases): the whole
    /// event decodes into it (the SSE envelope), not just `data`.
    pub envelope: bool,
    /// The required body's `stream` flag (a `bool` property named `stream`), which the
    /// stream method turns on.
    pub flag: Option<StreamFlag>,
}

/// The body field a stream method sets to `true`.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamFlag {
    pub rust: String,
    pub presence: Presence,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorVariant {
    pub name: String,
    pub ty: TypeRef,
    pub status: StatusMatch,
    pub doc: Vec<String>,
}
