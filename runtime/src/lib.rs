//! The hand-written runtime of every crate `openapi-gen` generates.
//!
//! It knows no API: a generated crate describes its own with an [`ApiSpec`] (base URL,
//! credentials, user agent, global headers, default retries), implements [`ApiClient`] on
//! its `Client` newtype and [`ErrorBody`] on its enum of documented error bodies, and builds
//! requests from the items in [`__private`]. The compiler enforces that contract: generated
//! code reaches the runtime only through `__private`, and the runtime never names a
//! generated item.
//!
//! What users of a generated crate see of it: [`Client`] (through the generated newtype),
//! [`ClientBuilder`], [`Call`] and [`Response`], [`Error`] and its parts, [`RetryPolicy`] (and
//! the pure [`decide`] behind it), [`Hook`]s and [`KeyProvider`]s, [`Secret`], [`Tristate`],
//! [`FilePart`] and [`EventStream`].

// So the `Deserialize` derive's `::openapi_gen_runtime::` paths resolve in this crate's tests.
extern crate self as openapi_gen_runtime;

mod call;
#[cfg(test)]
mod call_tests;
mod client;
#[doc(hidden)]
pub mod de;
mod decide;
mod error;
mod exec;
mod form;
mod hooks;
#[cfg(test)]
mod hooks_tests;
#[cfg(feature = "mock")]
pub mod mock;
mod multipart;
mod open_enums;
mod paginate;
mod params;
mod request;
mod response;
mod retry;
mod secret;
mod sse;
#[cfg(test)]
mod stream_tests;
mod tls;
mod tristate;
#[doc(hidden)]
pub mod unions;
#[doc(hidden)]
pub mod validate;

#[cfg(test)]
mod test_support;

pub use call::{Call, Response, WithResponse};
pub use client::{ApiClient, ApiSpec, Auth, Client, ClientBuilder, GlobalHeader};
pub use decide::{AttemptOutcome, RetryDecision, RetryInput, decide};
pub use error::{ApiError, DecodeError, Error, ErrorBody, TransportKind, UnexpectedStatusError};
pub use hooks::{AttemptInfo, Hook, HookError, HookRequest, KeyProvider};
pub use multipart::FilePart;
pub use retry::{RetryPolicy, RetrySpec};
pub use secret::Secret;
pub use sse::{EventStream, SseEvent};
pub use tristate::Tristate;
pub use validate::ValidationError;

/// The HTTP types that appear in the public API (hooks, errors, responses).
pub mod http {
    pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
    pub use reqwest::{Method, StatusCode};
}

/// What generated code calls. Not part of the public API: no stability promise, hidden
/// from the docs.
#[doc(hidden)]
pub mod __private {
    pub use crate::__open_enum as open_enum;
    pub use crate::client::GlobalHeaderTarget;
    pub use crate::form::{FormStyle, form_body, form_text};
    pub use crate::multipart::MultipartForm;
    pub use crate::open_enums::deserialize_str as open_enum_str;
    pub use crate::paginate::{OffsetPaginated, items, pages};
    pub use crate::params::{
        QueryPairs, Style, cookie_param, header_param, path_param, query_param,
    };
    pub use crate::request::{Body, OperationMeta, PreparedRequest, bytes_body, json_body};
    pub use crate::response::{
        Decoder, RawResponse, api_error, decode_empty, decode_json, unexpected_status,
    };
    pub use crate::sse::{SseParser, StreamSpec, decode_event, event_stream};
    pub use crate::*;
    pub use openapi_gen_runtime_derive::{Builder, Deserialize};
    pub use reqwest::Method;
    pub use serde;
}
