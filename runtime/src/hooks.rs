//! Hooks: user code around every attempt (tracing, metrics, request signing, header
//! rewriting), and credential providers (keys fetched per request, so rotation needs no
//! new client).
//!
//! Secrets and hooks: a hook sees the real request headers, credential included (marked
//! sensitive, so their `Debug` prints `Sensitive`). When a hook fails, the call fails with
//! [`Error::Hook`](crate::Error::Hook), whose message is the hook's own text with every
//! occurrence of the configured credential replaced by `[redacted]`. When a hook panics, the
//! panic is caught and its payload dropped unread: the error says only which hook panicked.

use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::secret::Secret;

/// The request of one attempt, as a hook may change it.
#[non_exhaustive]
pub struct HookRequest<'a> {
    /// The operation's `operationId`.
    pub operation_id: &'static str,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// HTTP method.
    pub method: &'a mut Method,
    /// The full URL, query included.
    pub url: &'a mut String,
    /// Request headers, the credential's included (marked sensitive).
    pub headers: &'a mut HeaderMap,
}

/// Facts about a finished attempt.
#[non_exhaustive]
#[derive(Debug, Clone, Copy)]
pub struct AttemptInfo<'a> {
    /// The operation's `operationId`.
    pub operation_id: &'static str,
    /// HTTP method.
    pub method: &'a Method,
    /// The path template, e.g. `/keys/{hash}` (the concrete URL can carry ids).
    pub path_template: &'static str,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// Time since this attempt was sent.
    pub elapsed: Duration,
}

/// A hook's failure: its message ends up in [`Error::Hook`](crate::Error::Hook), with the
/// credential redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookError(pub String);

impl<T: fmt::Display> From<T> for HookError {
    fn from(e: T) -> Self {
        HookError(e.to_string())
    }
}

/// Code run around every attempt, in the order hooks were registered
/// ([`ClientBuilder::hook`](crate::ClientBuilder::hook)). Every method has a default that
/// does nothing.
pub trait Hook: Send + Sync + 'static {
    /// A short name for error messages and `Debug` output.
    fn name(&self) -> &str {
        "hook"
    }

    /// Before each attempt is sent; may change the method, URL and headers. An error stops
    /// the call before anything is sent.
    fn before_request(&self, request: &mut HookRequest<'_>) -> Result<(), HookError> {
        let _ = request;
        Ok(())
    }

    /// After each attempt that received a response, whatever its status.
    fn after_response(&self, attempt: &AttemptInfo<'_>, status: StatusCode, headers: &HeaderMap) {
        let _ = (attempt, status, headers);
    }

    /// After each attempt that failed without a response (connect error, timeout, reset).
    /// `error` never contains request headers.
    fn on_error(&self, attempt: &AttemptInfo<'_>, error: &(dyn std::error::Error + 'static)) {
        let _ = (attempt, error);
    }
}

/// Calls `f` on a hook, turning a panic into a message that carries nothing from it.
pub(crate) fn guarded<R>(hook: &dyn Hook, f: impl FnOnce() -> R) -> Result<R, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|_payload| {
        // The payload is dropped unread: a panic message could quote a header.
        format!("hook `{}` panicked", hook.name())
    })
}

/// `text` with every occurrence of `secret` (when non-empty) replaced by `[redacted]`.
pub(crate) fn redact(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) if !s.is_empty() => text.replace(s, "[redacted]"),
        _ => text.to_owned(),
    }
}

/// Supplies the API key for each request (for example from a secret store that rotates it).
pub trait KeyProvider: Send + Sync + 'static {
    /// The key to use now. An error fails the call with
    /// [`Error::Config`](crate::Error::Config) before anything is sent.
    fn key(&self) -> BoxFuture<'_, Result<Secret, HookError>>;
}

impl<F, Fut, K, E> KeyProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<K, E>> + Send + 'static,
    K: Into<Secret>,
    E: fmt::Display,
{
    fn key(&self) -> BoxFuture<'_, Result<Secret, HookError>> {
        let fut = self();
        Box::pin(async move { fut.await.map(Into::into).map_err(HookError::from) })
    }
}

/// Hooks as the client keeps them.
pub(crate) type Hooks = Vec<Arc<dyn Hook>>;

#[cfg(test)]
mod tests {
    use super::*;

    struct Panics;
    impl Hook for Panics {
        fn name(&self) -> &str {
            "panics"
        }
    }

    #[test]
    fn panics_are_caught_without_their_payload() {
        let e = guarded(&Panics, || panic!("Bearer sk-topsecret")).unwrap_err();
        assert_eq!(e, "hook `panics` panicked");
        assert_eq!(guarded(&Panics, || 7), Ok(7));
    }

    #[test]
    fn redaction() {
        assert_eq!(
            redact("bad key sk-1 in sk-1", Some("sk-1")),
            "bad key [redacted] in [redacted]"
        );
        assert_eq!(redact("x", Some("")), "x");
        assert_eq!(redact("x", None), "x");
    }
}
