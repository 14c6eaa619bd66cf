//! Typed Rust SDK for the OpenRouter management API (BYOK credentials and API keys).
//!
//! The crate has two halves:
//!
//! * [`runtime`] — the hand-written HTTP runtime: [`Client`] / [`ClientBuilder`], the typed
//!   [`Error`], retries ([`RetryPolicy`]), timeouts, pagination and secret handling.
//! * `generated` — types, request builders and operation groups generated from the OpenAPI
//!   description, re-exported at the crate root.
//!
//! ```no_run
//! # async fn demo() -> Result<(), openrouter::Error> {
//! let client = openrouter::Client::builder()
//!     .api_key(std::env::var("OPENROUTER_API_KEY").unwrap_or_default())
//!     .app_title("my-tool")
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```

pub mod runtime;

#[rustfmt::skip]
pub mod generated;

pub use generated::*;

pub use runtime::{
    ApiError, Call, Client, ClientBuilder, Error, RetryPolicy, Secret, Tristate, ValidationError,
};
