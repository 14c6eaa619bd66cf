//! The hand-written runtime of every crate `openapi-gen` generates.
//!
//! It knows no API. A generated crate describes its own with a `static` `ApiSpec` (base
//! URL, credentials, user agent, global headers, default retries), implements `ApiClient`
//! on its `Client` newtype and `ErrorBody` on its enum of documented error bodies, and
//! builds requests and reads responses with the other items of the hidden `__private`
//! module. The runtime never names a generated item: it is generic over those two traits.
//!
//! # The boundary, and what checks it
//!
//! - This crate's modules are private; the root re-exports what users touch (below).
//!   `__private` re-exports, item by item and without globs, what generated code may name:
//!   the contract types above, the request and response plumbing (`OperationMeta`,
//!   `PreparedRequest`, parameter styles, decoders, pagination, event streams), the
//!   `validate`, `unions` and `de` helpers and the derives. A path it does not re-export
//!   does not resolve, so generated code cannot reach anything else, and the
//!   `unreachable_pub` lint flags any `pub` item that neither the root nor `__private`
//!   re-exports.
//! - A generated crate binds `use openapi_gen_runtime::__private as runtime;` and writes
//!   `runtime::X`; only its root re-exports and doc links name `openapi_gen_runtime::X`
//!   directly (user-facing items). The derives of `openapi-gen-runtime-derive` and the
//!   `open_enum!` macro write `::openapi_gen_runtime::__private::..` paths too.
//! - Every path the generator may write is listed in `generator/src/runtime_paths.rs`. An
//!   integration test (`tests/runtime_paths.rs`) compiles each listed path against this
//!   crate, and fails on any runtime path in generated code (the SDK in this repository, the
//!   fixtures' output) that the list lacks.
//!
//! `__private` has no stability promise and is hidden from the docs; nothing but
//! convention keeps a user's crate from naming it.
//!
//! # The public API
//!
//! What users of a generated crate see of it, mostly through the generated crate's
//! re-exports and aliases: [`Client`] (through the generated newtype), [`ClientBuilder`],
//! [`Call`], [`WithResponse`] and [`Response`]; [`Error`] and its parts ([`ApiError`],
//! [`UnexpectedStatusError`], [`DecodeError`], [`TransportKind`], [`ValidationError`]);
//! [`RetryPolicy`] and the pure [`decide`] behind it ([`RetryInput`], [`AttemptOutcome`],
//! [`RetryDecision`]); [`Hook`]s ([`HookRequest`], [`AttemptInfo`], [`HookError`]) and
//! [`KeyProvider`]s; [`Secret`], [`Tristate`], [`FilePart`] and [`EventStream`]; the
//! [`http`] types they use; and, with the `mock` feature, the typed mock server's parts
//! in `mock`.

#![warn(missing_docs, unreachable_pub)]

// So the `Deserialize` derive's `::openapi_gen_runtime::` paths resolve in this crate's tests.
extern crate self as openapi_gen_runtime;

mod call;
#[cfg(test)]
mod call_tests;
mod client;
mod de;
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
mod placeholder;
mod request;
mod response;
mod retry;
mod secret;
mod sse;
#[cfg(test)]
mod stream_tests;
mod tls;
mod tristate;
mod unions;
mod validate;

#[cfg(test)]
mod test_support;

pub use call::{Call, Response, WithResponse};
pub use client::{Client, ClientBuilder};
pub use decide::{AttemptOutcome, RetryDecision, RetryInput, decide};
pub use error::{ApiError, DecodeError, Error, TransportKind, UnexpectedStatusError};
pub use hooks::{AttemptInfo, Hook, HookError, HookRequest, KeyProvider};
pub use multipart::FilePart;
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use sse::EventStream;
pub use tristate::Tristate;
pub use validate::ValidationError;

/// The HTTP types that appear in the public API (hooks, errors, responses).
pub mod http {
    pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
    pub use reqwest::{Method, StatusCode};
}

/// What generated code (and the derives of `openapi-gen-runtime-derive`) may name: every
/// item, one by one. Not part of the public API: no stability promise, hidden from the
/// docs. The generator lists every path it writes in `generator/src/runtime_paths.rs`, and
/// a test compiles each of them against this module.
#[doc(hidden)]
pub mod __private {
    // The contract a generated crate fulfils: its API's description, its client and its
    // error bodies.
    pub use crate::client::{ApiClient, ApiSpec, Auth, GlobalHeader, GlobalHeaderTarget};
    pub use crate::error::ErrorBody;
    pub use crate::retry::RetrySpec;

    // Public types the generated crate wraps or names (aliases fix their generics).
    pub use crate::{
        ApiError, Call, Client, ClientBuilder, Error, EventStream, FilePart, Secret, Tristate,
        ValidationError,
    };

    // Requests: parameters, bodies, operation metadata.
    pub use crate::form::{FormStyle, form_body};
    pub use crate::multipart::MultipartForm;
    pub use crate::params::{QueryPairs, Style, path_param};
    pub use crate::request::{OperationMeta, PreparedRequest, bytes_body, json_body};

    // Responses: decoders, pagination, event streams.
    pub use crate::paginate::{OffsetPaginated, items, pages};
    pub use crate::response::{
        RawResponse, api_error, decode_empty, decode_json, unexpected_status,
    };
    pub use crate::sse::{StreamSpec, event_stream};

    // Types: derives, open enums, unions, validation.
    pub use crate::__open_enum as open_enum;
    pub use crate::open_enums::deserialize_str as open_enum_str;
    pub use crate::placeholder::Placeholder;
    pub use crate::{
        __tagged_union as tagged_union, __union_placeholder as union_placeholder,
        __untagged_union as untagged_union,
    };
    pub use openapi_gen_runtime_derive::{Builder, Deserialize, Placeholder};
    pub use serde;

    /// The generic struct visitor behind `#[derive(Deserialize)]`.
    pub mod de {
        pub use crate::de::{StructFields, deserialize_struct, put, set};
    }

    /// Deserialisation of `oneOf`/`anyOf` unions.
    pub mod unions {
        pub use crate::unions::{attempt, known, tagged, text, untagged, variant};
    }

    /// The checks of `validate()` (the document's `minLength`, `pattern`, `maximum`, ...).
    pub mod validate {
        pub use crate::validate::{
            max_items, max_length, maximum_f64, maximum_i64, min_items, min_length, minimum_f64,
            minimum_i64, pattern, uuid,
        };
    }

    /// The server the generated `MockServer` wraps.
    #[cfg(feature = "mock")]
    pub mod mock {
        pub use crate::mock::{Endpoint, MockServer};
    }
}
