//! Hand-written runtime shared by every generated SDK crate.
//!
//! `CONTRACT.md` in this directory lists the items the generated code relies on; everything
//! here is spec-agnostic apart from the constants read from `crate::generated`.

mod call;
#[cfg(test)]
mod call_tests;
mod client;
mod error;
mod form;
mod multipart;
mod paginate;
mod request;
mod response;
mod retry;
mod secret;
mod sse;
#[cfg(test)]
mod stream_tests;
mod tristate;
pub mod validate;

#[cfg(test)]
mod test_support;

pub use call::Call;
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, DecodeError, Error, TransportKind, UnexpectedStatusError};
pub use form::{FormStyle, form_body, form_text};
pub use multipart::{FilePart, MultipartForm};
pub use paginate::{OffsetPaginated, items, pages};
pub use request::{
    Body, OperationMeta, PreparedRequest, bytes_body, encode_path_segment, json_body,
};
pub use response::{Decoder, RawResponse, api_error, decode_empty, decode_json, unexpected_status};
pub use retry::{RetryPolicy, RetrySpec};
pub use secret::Secret;
pub use sse::{EventStream, SseEvent, SseParser, StreamSpec, decode_event, event_stream};
pub use tristate::{Tristate, serde_helpers};
pub use validate::{Validate, ValidationError};
