//! [`Call`]: a pending request, executed with retries when awaited.

use std::fmt;
use std::future::IntoFuture;
use std::time::Duration;

use futures::future::BoxFuture;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue};

use super::client::{Client, GlobalHeaderTarget};
use super::error::Error;
use super::request::{Body, OperationMeta, PreparedRequest};
use super::response::Decoder;
use super::retry::RetryPolicy;
use super::validate::ValidationError;

/// A pending API call. Await it (it implements [`IntoFuture`]) to send the request.
///
/// Validation errors detected while preparing the request surface at `.await` as
/// [`Error::InvalidRequest`] and nothing is sent.
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<'c, T, B> {
    pub(crate) client: &'c Client,
    pub(crate) meta: &'static OperationMeta,
    pub(crate) request: Result<PreparedRequest, Error<B>>,
    pub(crate) decode: Decoder<T, B>,
    pub(crate) options: CallOptions,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    /// Per-call values of the spec's global headers: (setter, header, value).
    globals: Vec<(&'static str, &'static str, String)>,
    /// Extra headers from [`Call::header`], validated when the call is sent.
    extra_headers: Vec<(String, String)>,
    pub(crate) allow_post_retries: bool,
}

impl<T, B> fmt::Debug for Call<'_, T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation_id", &self.meta.operation_id)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'c, T, B> Call<'c, T, B> {
    /// Used by generated operation methods.
    #[doc(hidden)]
    pub fn new(
        client: &'c Client,
        meta: &'static OperationMeta,
        request: Result<PreparedRequest, Error<B>>,
        decode: Decoder<T, B>,
    ) -> Self {
        Call {
            client,
            meta,
            request,
            decode,
            options: CallOptions::default(),
        }
    }

    /// Timeout for each attempt of this call (overrides the client's).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Retry policy for this call (overrides the client's and the operation's default).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry_policy = Some(policy);
        self
    }

    /// Sends exactly one attempt.
    pub fn no_retries(self) -> Self {
        self.retry_policy(RetryPolicy::none())
    }

    /// Adds a header to this call (sent on every attempt, after the operation's own
    /// headers; a second value for the same name is appended). An invalid name or value
    /// fails the call with [`Error::InvalidRequest`] before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.extra_headers.push((name.into(), value.into()));
        self
    }

    /// Lets a non-idempotent call (POST) be retried after a retryable status (5XX, 429) or a
    /// timeout, like idempotent calls are.
    ///
    /// Off by default: when a POST times out or gets a 5XX the server may already have
    /// processed it, so a blind retry can create a duplicate (for example a second API key
    /// or provider credential). Without this flag a POST is only retried when the failure
    /// happened before the request could reach the server (connection refused, DNS).
    pub fn allow_post_retries(mut self, allow: bool) -> Self {
        self.options.allow_post_retries = allow;
        self
    }

    /// Returns the status, headers and attempt count along with the value:
    /// `call.with_response().await?` is a [`Response<T>`]. Plain `.await` skips the copy of
    /// the headers this needs.
    pub fn with_response(self) -> WithResponse<'c, T, B> {
        WithResponse(self)
    }
}

/// A call that returns [`Response<T>`]; see [`Call::with_response`].
#[must_use = "a call does nothing until it is awaited"]
pub struct WithResponse<'c, T, B>(Call<'c, T, B>);

impl<T, B> fmt::Debug for WithResponse<'_, T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WithResponse").field(&self.0).finish()
    }
}

/// A successful response: the decoded value and what came with it.
#[non_exhaustive]
#[derive(Clone)]
pub struct Response<T> {
    /// The decoded body.
    pub value: T,
    /// HTTP status (a success).
    pub status: StatusCode,
    /// Response headers (rate limits, request ids...).
    pub headers: HeaderMap,
    /// Attempts made, including the successful one.
    pub attempts: u32,
}

impl<T> Response<T> {
    /// The value, dropping the metadata.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// Header names whose values are not printed by `Debug`.
const SENSITIVE_RESPONSE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "set-cookie",
    "cookie",
    "x-api-key",
];

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if v.is_sensitive() || SENSITIVE_RESPONSE_HEADERS.contains(&k.as_str())
                {
                    "[redacted]"
                } else {
                    v.to_str().unwrap_or("<non-ascii>")
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("Response")
            .field("value", &self.value)
            .field("status", &self.status)
            .field("headers", &headers)
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl<T, B> GlobalHeaderTarget for Call<'_, T, B> {
    fn global_header(mut self, field: &'static str, name: &'static str, value: String) -> Self {
        self.options.globals.push((field, name, value));
        self
    }
}

impl<'c, T: Send + 'c, B: Send + 'c> IntoFuture for Call<'c, T, B> {
    type Output = Result<T, Error<B>>;
    type IntoFuture = BoxFuture<'c, Result<T, Error<B>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.execute(false).await.map(|r| r.value) })
    }
}

impl<'c, T: Send + 'c, B: Send + 'c> IntoFuture for WithResponse<'c, T, B> {
    type Output = Result<Response<T>, Error<B>>;
    type IntoFuture = BoxFuture<'c, Result<Response<T>, Error<B>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.0.execute(true))
    }
}

pub(crate) fn header_value<B>(field: &str, value: &str) -> Result<HeaderValue, Error<B>> {
    HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidRequest(ValidationError::new(
            field,
            "must be a valid HTTP header value",
        ))
    })
}

impl CallOptions {
    pub(crate) fn headers<B>(
        &self,
        client: &Client,
        request: &PreparedRequest,
    ) -> Result<HeaderMap, Error<B>> {
        let content_type = request.body.as_ref().map(Body::content_type);
        let mut h = client
            .inner()
            .base_headers("application/json", content_type, &self.globals)?;
        let mut seen: Vec<HeaderName> = Vec::new();
        // Cookie parameters arrive one `name=value` each; they travel in one header.
        let cookies: Vec<&str> = request
            .headers
            .iter()
            .filter(|(n, _)| *n == "cookie")
            .map(|(_, v)| v.as_str())
            .collect();
        if !cookies.is_empty() {
            h.insert(COOKIE, header_value("cookie", &cookies.join("; "))?);
        }
        for (name, value) in request.headers.iter().filter(|(n, _)| *n != "cookie") {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::InvalidRequest(ValidationError::new(*name, "is not a valid header name"))
            })?;
            if header == AUTHORIZATION || header == CONTENT_TYPE {
                continue;
            }
            let value = header_value(name, value)?;
            // Spec header parameters win over defaults; repeated ones are all sent.
            if seen.contains(&header) {
                h.append(header, value);
            } else {
                h.insert(header.clone(), value);
                seen.push(header);
            }
        }
        for (name, value) in &self.extra_headers {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::InvalidRequest(ValidationError::new("header", "is not a valid header name"))
            })?;
            h.append(header, header_value(name, value)?);
        }
        Ok(h)
    }

    pub(crate) fn policy(&self, client: &Client, meta: &OperationMeta) -> RetryPolicy {
        self.retry_policy
            .clone()
            .or_else(|| client.inner().retry_policy.clone())
            .unwrap_or_else(|| {
                RetryPolicy::for_operation(meta, client.inner().spec.default_retry.as_ref())
            })
    }
}
