//! Typed Rust SDK for the OpenRouter management API: **BYOK provider credentials** and
//! **API keys**.
//!
//! Start from [`Client`] ([`Client::from_env`] or [`Client::builder`], configured by
//! [`ClientBuilder`]). Its operation groups are `client.byok()` and `client.api_keys()`
//! (listed on [`Client`]), each behind the cargo feature of the same name. Every
//! call returns `Result<T, `[`Error`]`>`; documented error bodies are [`ApiErrorBody`]. With
//! the `mock` feature, [`MockServer`](crate#testing-with-mocks) is a typed fake of the API for
//! your own tests.
//!
//! ```no_run
//! use openrouter::GlobalHeaders;
//! # async fn demo() -> Result<(), openrouter::Error> {
//! let client = openrouter::Client::builder()
//!     .api_key(std::env::var("OPENROUTER_API_KEY").unwrap_or_default())
//!     .app_title("my-tool")
//!     .build()?;
//! let me = client.api_keys().get_current().await?;
//! # let _ = me;
//! # Ok(())
//! # }
//! ```
//!
//! # Configuration
//!
//! [`Client::from_env`] reads `OPENROUTER_API_KEY` (required) and `OPENROUTER_BASE_URL`
//! (optional; the default is [`DEFAULT_BASE_URL`]). [`GlobalHeaders`] sets the attribution
//! headers on the builder (every call) or on one call.
//!
//! # Cargo features
//!
//! - `byok`, `api-keys` (default): the operation groups, their types and mocks.
//! - `rustls-ring` (default), `rustls-aws-lc`, `native-tls`: the TLS backend.
//! - `mock`: `MockServer`, a typed fake of the API on 127.0.0.1.
//!
//! # Testing with mocks
//!
//! With the `mock` feature, `MockServer::start().await` serves the API on 127.0.0.1. Per
//! operation (`mock.byok().update()`) say what it answers (`respond(&value)`,
//! `respond_with(status, &body)`, `delay(..)`), call your code with `mock.client()?`, then
//! read what the operation received (`received().await`, its body decoded into the request
//! type). The types of dates, UUIDs and JSON values are re-exported ([`chrono`], [`uuid`],
//! [`serde_json`], [`bytes`]), so building mock answers needs no dependency of your own.
//! Answers are built by field name: `ByokKey::mock()` holds placeholders (empty, zero,
//! `false`, the nil UUID, the Unix epoch, an enum's first value) and every field has a
//! `with_<field>` setter: `ByokKey::mock().with_label("prod").with_disabled(true)`.
//!
//! Everything in this crate except this page is written by `cargo xtask codegen` from
//! `spec/openrouter.yaml`; the HTTP machinery (retries, timeouts, pagination, secrets) is the
//! `openapi-gen-runtime` crate.

/// Generated code reaches the runtime through this path only.
use openapi_gen_runtime::__private as runtime;

// Private: its items are re-exported below, so the docs show them at the crate root.
#[rustfmt::skip]
mod generated;

pub use generated::*;

pub use openapi_gen_runtime::http;
#[cfg(feature = "mock")]
pub use openapi_gen_runtime::mock::{Endpoint, Mocked, Received};
pub use openapi_gen_runtime::{
    AttemptInfo, DecodeError, Hook, HookError, HookRequest, KeyProvider, Response, RetryPolicy,
    Secret, TransportKind, Tristate, UnexpectedStatusError, ValidationError,
};
/// Crates whose types appear in this crate's API (dates, UUIDs, bytes, JSON values),
/// re-exported so that naming them needs no dependency of your own.
pub use {bytes, chrono, serde_json, uuid};
