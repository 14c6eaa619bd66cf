//! [`Call`]: a pending request, executed with retries when awaited.

use std::fmt;
use std::future::IntoFuture;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures::future::BoxFuture;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

use super::client::{Client, GlobalHeaderTarget};
use super::error::{Error, TransportKind};
use super::request::{Body, OperationMeta, PreparedRequest, build_url};
use super::response::{Decoder, RawResponse};
use super::retry::{RetryPolicy, random_up_to, retry_after};
use super::validate::ValidationError;

/// A pending API call. Await it (it implements [`IntoFuture`]) to send the request.
///
/// Validation errors detected while preparing the request surface at `.await` as
/// [`Error::InvalidRequest`] and nothing is sent.
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<'c, T, B> {
    client: &'c Client,
    meta: &'static OperationMeta,
    request: Result<PreparedRequest, Error<B>>,
    decode: Decoder<T, B>,
    options: CallOptions,
}

#[derive(Debug, Clone, Default)]
struct CallOptions {
    timeout: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    /// Per-call values of the spec's global headers: (setter, header, value).
    globals: Vec<(&'static str, &'static str, String)>,
    /// Extra headers from [`Call::header`], validated when the call is sent.
    extra_headers: Vec<(String, String)>,
    allow_post_retries: bool,
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

    /// The operation this call belongs to.
    pub fn meta(&self) -> &'static OperationMeta {
        self.meta
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
        Box::pin(self.execute())
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
    fn headers<B>(
        &self,
        client: &Client,
        request: &PreparedRequest,
    ) -> Result<HeaderMap, Error<B>> {
        let content_type = request.body.as_ref().map(Body::content_type);
        let mut h = client
            .inner()
            .base_headers("application/json", content_type, &self.globals)?;
        let mut seen: Vec<HeaderName> = Vec::new();
        for (name, value) in &request.headers {
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

    fn policy(&self, client: &Client, meta: &OperationMeta) -> RetryPolicy {
        self.retry_policy
            .clone()
            .or_else(|| client.inner().retry_policy.clone())
            .unwrap_or_else(|| {
                RetryPolicy::for_operation(meta, client.inner().spec.default_retry.as_ref())
            })
    }
}

impl<T, B> Call<'_, T, B> {
    async fn execute(self) -> Result<T, Error<B>> {
        let Call {
            client,
            meta,
            request,
            decode,
            options,
        } = self;
        let request = request?;
        let inner = client.inner();
        let url = build_url(
            &inner.base_url,
            &request.path,
            &request.query,
            inner.auth_query(),
        );
        let headers = options.headers(client, &request)?;
        let body: Option<Bytes> = request.body.map(Body::into_bytes);
        let policy = options.policy(client, meta);
        let timeout = options.timeout.or(inner.timeout);
        let may_resend = meta.idempotent || options.allow_post_retries;
        let start = tokio::time::Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let mut builder = inner
                .http
                .request(meta.method.clone(), &url)
                .headers(headers.clone());
            if let Some(b) = &body {
                builder = builder.body(b.clone());
            }
            if let Some(t) = timeout {
                builder = builder.timeout(t);
            }
            let outcome = send(builder).await;
            let elapsed = start.elapsed();
            let elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
            match outcome {
                Ok(raw) => {
                    let status = raw.status;
                    tracing::debug!(
                        operation = meta.operation_id, method = %meta.method,
                        path = meta.path_template, status = status.as_u16(), attempt, elapsed_ms,
                        "response received"
                    );
                    if !status.is_success() && may_resend && policy.retries_status(status) {
                        let hint = if status == StatusCode::TOO_MANY_REQUESTS
                            || status == StatusCode::SERVICE_UNAVAILABLE
                        {
                            retry_after(&raw.headers, SystemTime::now())
                        } else {
                            None
                        };
                        if let Some(delay) = policy.next_delay(attempt, hint, elapsed, random_up_to)
                        {
                            tracing::info!(
                                operation = meta.operation_id, method = %meta.method,
                                path = meta.path_template, status = status.as_u16(), attempt,
                                elapsed_ms, delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                                "retrying after status"
                            );
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                    }
                    return decode(raw).map_err(|mut e| {
                        e.set_attempts(attempt);
                        e
                    });
                }
                Err(source) => {
                    let kind = TransportKind::of(&source);
                    tracing::debug!(
                        operation = meta.operation_id, method = %meta.method,
                        path = meta.path_template, %kind, attempt, elapsed_ms,
                        "transport error"
                    );
                    // A connect failure never reached the server: safe to resend even a POST.
                    let retryable = policy.retry_connection_errors
                        && !source.is_builder()
                        && (source.is_connect() || may_resend);
                    let delay = if retryable {
                        policy.next_delay(attempt, None, elapsed, random_up_to)
                    } else {
                        None
                    };
                    if let Some(delay) = delay {
                        tracing::info!(
                            operation = meta.operation_id, method = %meta.method,
                            path = meta.path_template, %kind, attempt, elapsed_ms,
                            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                            "retrying after transport error"
                        );
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    return Err(Error::Transport {
                        kind,
                        attempts: attempt,
                        // The URL would carry an API key sent as a query parameter.
                        source: match inner.auth_query() {
                            Some(_) => source.without_url(),
                            None => source,
                        },
                    });
                }
            }
        }
    }
}

/// Sends one attempt and reads the whole body.
async fn send(builder: reqwest::RequestBuilder) -> Result<RawResponse, reqwest::Error> {
    let mut response = builder.send().await?;
    let status = response.status();
    // Taken, not cloned: the body read below does not need them.
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await?;
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}
