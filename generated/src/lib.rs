//! Typed Rust SDK for the OpenRouter management API (BYOK credentials and API keys).
//!
//! Everything under `generated` is written by `cargo xtask codegen` from
//! `spec/openrouter.yaml` and re-exported here: [`Client`] with its operation groups
//! (`client.byok()`, `client.api_keys()`), the request and response types, [`Error`] with
//! the typed [`ApiErrorBody`], and [`GlobalHeaders`] (the attribution headers). The HTTP
//! machinery (retries, timeouts, pagination, secrets) is the `openapi-gen-runtime` crate.
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

/// Generated code reaches the runtime through this path only.
use openapi_gen_runtime::__private as runtime;

#[rustfmt::skip]
pub mod generated;

pub use generated::*;

pub use openapi_gen_runtime::http;
pub use openapi_gen_runtime::{
    AttemptInfo, DecodeError, FilePart, Hook, HookError, HookRequest, KeyProvider, Response,
    RetryPolicy, Secret, TransportKind, Tristate, UnexpectedStatusError, ValidationError,
};
