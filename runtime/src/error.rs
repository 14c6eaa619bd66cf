//! The crate-wide [`Error`] type.
//!
//! No variant ever carries request headers, so the API key cannot leak through an error
//! message. Response bodies are kept raw (for inspection through `raw_body`), but `Debug`
//! prints only their length, and `Display` shows a short excerpt of *error* bodies only: a
//! success body can carry a secret (`POST /keys` returns the new key once).

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::validate::ValidationError;

/// Longest body excerpt (in characters) shown in an error message.
const EXCERPT_CHARS: usize = 200;

/// Everything that can go wrong with a call.
///
/// `B` is the generated crate's enum of documented error bodies: a generated crate's `Error`
/// is `Error<ApiErrorBody>`.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error<B> {
    /// The request failed client-side validation; nothing was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(#[from] ValidationError),
    /// The request could not be sent or the response could not be read.
    #[error("transport error ({kind}) after {attempts} attempt(s): {source}")]
    Transport {
        /// Connect, timeout or other.
        kind: TransportKind,
        /// Attempts made, including the failing one.
        attempts: u32,
        /// The underlying HTTP client error (may mention the URL, never headers).
        #[source]
        source: reqwest::Error,
    },
    /// A documented error status; the body is parsed when it matches the spec.
    #[error("{0}")]
    Api(Box<ApiError<B>>),
    /// A status the spec does not document for this operation.
    #[error("{0}")]
    UnexpectedStatus(Box<UnexpectedStatusError>),
    /// A success status whose body does not match the documented schema.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// Builder or environment problem, or a failing credential provider (never contains
    /// a configured secret).
    #[error("configuration error: {0}")]
    Config(String),
    /// A hook failed or panicked. The message has the credential redacted; a panic's
    /// payload is never read.
    #[error("{0}")]
    Hook(String),
}

/// Implemented by a generated crate's enum of documented error bodies.
pub trait ErrorBody: fmt::Debug + Send + Sync + 'static {
    /// The value used when a documented error status came with a body that did not parse.
    fn unparsed() -> Self;
}

/// Classification of a transport failure.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// The connection could not be established (refused, DNS, TLS handshake...).
    Connect,
    /// A client-wide or per-call timeout elapsed.
    Timeout,
    /// Anything else (connection reset, malformed response, body read error...).
    Other,
}

impl TransportKind {
    pub(crate) fn of(error: &reqwest::Error) -> Self {
        if error.is_timeout() {
            TransportKind::Timeout
        } else if error.is_connect() {
            TransportKind::Connect
        } else {
            TransportKind::Other
        }
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connect",
            TransportKind::Timeout => "timeout",
            TransportKind::Other => "other",
        })
    }
}

/// A documented error response.
#[non_exhaustive]
#[derive(Clone)]
pub struct ApiError<B> {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub raw_body: Bytes,
    /// The parsed body, or the enum's `Unparsed` variant when it did not match the schema.
    pub body: B,
    /// Attempts made.
    pub attempts: u32,
}

/// A response whose status the spec does not document (e.g. a 503 HTML page from a proxy).
#[non_exhaustive]
#[derive(Clone)]
pub struct UnexpectedStatusError {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub raw_body: Bytes,
    /// Attempts made.
    pub attempts: u32,
}

/// A success response whose body could not be decoded.
#[non_exhaustive]
pub struct DecodeError {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub raw_body: Bytes,
    /// What serde_json reported.
    pub source: serde_json::Error,
    /// Attempts made.
    pub attempts: u32,
}

/// `raw_body` as its length only: bodies may hold secrets and are available through the field.
struct BodyLen<'a>(&'a [u8]);

impl fmt::Debug for BodyLen<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

impl<B: fmt::Debug> fmt::Debug for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("raw_body", &BodyLen(&self.raw_body))
            .field("body", &self.body)
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl fmt::Debug for UnexpectedStatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedStatusError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("raw_body", &BodyLen(&self.raw_body))
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("raw_body", &BodyLen(&self.raw_body))
            .field("source", &self.source)
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl<B> ApiError<B> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, raw_body: Bytes, body: B) -> Self {
        ApiError {
            status,
            headers,
            raw_body,
            body,
            attempts: 1,
        }
    }
}

impl UnexpectedStatusError {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, raw_body: Bytes) -> Self {
        UnexpectedStatusError {
            status,
            headers,
            raw_body,
            attempts: 1,
        }
    }
}

impl DecodeError {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        raw_body: Bytes,
        source: serde_json::Error,
    ) -> Self {
        DecodeError {
            status,
            headers,
            raw_body,
            source,
            attempts: 1,
        }
    }
}

impl<B> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error: HTTP {}", self.status)?;
        write_tail(f, self.attempts, &self.raw_body)
    }
}

impl<B: fmt::Debug> std::error::Error for ApiError<B> {}

impl fmt::Display for UnexpectedStatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected status: HTTP {}", self.status)?;
        write_tail(f, self.attempts, &self.raw_body)
    }
}

impl std::error::Error for UnexpectedStatusError {}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the HTTP {} response body ({} bytes): {}",
            self.status,
            self.raw_body.len(),
            self.source
        )?;
        // No excerpt: a success body may carry a secret (see the module docs).
        write_tail(f, self.attempts, &[])
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn write_tail(f: &mut fmt::Formatter<'_>, attempts: u32, body: &[u8]) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (after {attempts} attempts)")?;
    }
    let excerpt = body_excerpt(body);
    if !excerpt.is_empty() {
        write!(f, ": {excerpt}")?;
    }
    Ok(())
}

/// A single-line, lossy UTF-8 excerpt of at most [`EXCERPT_CHARS`] characters.
pub(crate) fn body_excerpt(body: &[u8]) -> String {
    // 4 bytes per char at most: no need to decode more than that.
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    let mut count = 0;
    let mut last_space = true;
    let mut truncated = head.len() < body.len();
    for c in text.trim().chars() {
        let c = if c.is_whitespace() || c.is_control() {
            ' '
        } else {
            c
        };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        if count == EXCERPT_CHARS - 1 {
            truncated = true;
            break;
        }
        out.push(c);
        count += 1;
    }
    if truncated {
        out.truncate(out.trim_end().len());
        out.push('…');
    }
    out
}

impl<B> Error<B> {
    /// HTTP status of the response, when one was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// Response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(e) => Some(&e.headers),
            Error::UnexpectedStatus(e) => Some(&e.headers),
            Error::Decode(e) => Some(&e.headers),
            _ => None,
        }
    }

    /// The raw response body, when a response was received.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Error::Api(e) => Some(&e.raw_body),
            Error::UnexpectedStatus(e) => Some(&e.raw_body),
            Error::Decode(e) => Some(&e.raw_body),
            _ => None,
        }
    }

    /// How many HTTP attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::InvalidRequest(_) | Error::Config(_) | Error::Hook(_) => 0,
            Error::Transport { attempts, .. } => *attempts,
            Error::Api(e) => e.attempts,
            Error::UnexpectedStatus(e) => e.attempts,
            Error::Decode(e) => e.attempts,
        }
    }

    /// A client-wide or per-call timeout elapsed.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        )
    }

    /// The connection could not be established.
    pub fn is_connect(&self) -> bool {
        matches!(
            self,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        )
    }

    /// The parsed documented error body, for [`Error::Api`].
    pub fn api_body(&self) -> Option<&B> {
        match self {
            Error::Api(e) => Some(&e.body),
            _ => None,
        }
    }

    pub(crate) fn set_attempts(&mut self, n: u32) {
        match self {
            Error::Transport { attempts, .. } => *attempts = n,
            Error::Api(e) => e.attempts = n,
            Error::UnexpectedStatus(e) => e.attempts = n,
            Error::Decode(e) => e.attempts = n,
            Error::InvalidRequest(_) | Error::Config(_) | Error::Hook(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_short_single_line_and_lossy() {
        assert_eq!(body_excerpt(b""), "");
        assert_eq!(body_excerpt(b"  {\"a\":\n  1}\n"), "{\"a\": 1}");
        let long = "x".repeat(1000);
        let e = body_excerpt(long.as_bytes());
        assert_eq!(e.chars().count(), 200);
        assert!(e.ends_with('…'));
        let bad = [0xff, 0xfe, b'h', b'i'];
        assert_eq!(body_excerpt(&bad), "\u{fffd}\u{fffd}hi");
        let multibyte = "é".repeat(500);
        assert!(body_excerpt(multibyte.as_bytes()).chars().count() <= 200);
    }

    #[test]
    fn accessors_for_local_errors() {
        let e = Error::<()>::from(ValidationError::new("limit", "must be >= 1"));
        assert_eq!(e.attempts(), 0);
        assert!(e.status().is_none() && e.headers().is_none() && e.raw_body().is_none());
        assert!(!e.is_timeout() && !e.is_connect());
    }
}
