//! The attempt loop behind [`Call`]: credential, hooks, send, decide, sleep. Whether to
//! retry is [`decide`]'s answer alone.

use std::time::SystemTime;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::call::{Call, Response};
use super::client::{ClientInner, Resolved};
use super::decide::{AttemptOutcome, RetryDecision, RetryInput, decide};
use super::error::{Error, TransportKind};
use super::hooks::{AttemptInfo, HookRequest, guarded, redact};
use super::request::{Body, OperationMeta, build_url};
use super::response::RawResponse;
use super::retry::{random_up_to, retry_after};

/// The request of one attempt after the credential and the hooks had their say.
pub(crate) struct Attempt {
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) headers: HeaderMap,
}

/// Attaches the credential for this attempt and runs every `before_request` hook.
pub(crate) async fn prepare_attempt<B>(
    inner: &ClientInner,
    meta: &'static OperationMeta,
    attempt: u32,
    mut headers: HeaderMap,
    path: &str,
    query: &[(std::borrow::Cow<'static, str>, String)],
) -> Result<Attempt, Error<B>> {
    let credential = inner.credential::<B>(meta.auth).await?;
    let mut auth_query = None;
    match &credential {
        Some(Resolved::Header(name, value, _)) => {
            headers.insert(name.clone(), value.clone());
        }
        Some(Resolved::Query(name, key)) => auth_query = Some((*name, key.expose())),
        None => {}
    }
    let mut url = build_url(&inner.base_url, path, query, auth_query);
    let mut method = meta.method.clone();
    let secret = credential.as_ref().map(|c| c.secret().expose());
    for hook in &inner.hooks {
        let mut request = HookRequest {
            operation_id: meta.operation_id,
            attempt,
            method: &mut method,
            url: &mut url,
            headers: &mut headers,
        };
        match guarded(hook.as_ref(), || hook.before_request(&mut request)) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let message = format!("hook `{}` failed: {}", hook.name(), e.0);
                return Err(Error::Hook(redact(&message, secret)));
            }
            Err(panicked) => return Err(Error::Hook(panicked)),
        }
    }
    Ok(Attempt {
        method,
        url,
        headers,
    })
}

/// Runs every `after_response` hook; a panic fails the call.
pub(crate) fn after_response<B>(
    inner: &ClientInner,
    info: &AttemptInfo<'_>,
    status: StatusCode,
    headers: &HeaderMap,
) -> Result<(), Error<B>> {
    for hook in &inner.hooks {
        guarded(hook.as_ref(), || hook.after_response(info, status, headers))
            .map_err(Error::Hook)?;
    }
    Ok(())
}

impl<T, B> Call<'_, T, B> {
    /// Sends the call, retrying as [`decide`] says. With `keep_headers` the successful
    /// response's headers are copied for [`Response`]; otherwise they are dropped.
    pub(crate) async fn execute(self, keep_headers: bool) -> Result<Response<T>, Error<B>> {
        let Call {
            client,
            meta,
            request,
            decode,
            options,
        } = self;
        let request = request?;
        let inner = client.inner();
        let headers = options.headers(client, &request)?;
        let body: Option<Bytes> = request.body.map(Body::into_bytes);
        let policy = options.policy(client, meta);
        let timeout = options.timeout.or(inner.timeout);
        let idempotent = meta.idempotent || options.allow_post_retries;
        let start = tokio::time::Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let sent = prepare_attempt(
                inner,
                meta,
                attempt,
                headers.clone(),
                &request.path,
                &request.query,
            )
            .await?;
            let mut builder = inner
                .http
                .request(sent.method.clone(), &sent.url)
                .headers(sent.headers);
            if let Some(b) = &body {
                builder = builder.body(b.clone());
            }
            if let Some(t) = timeout {
                builder = builder.timeout(t);
            }
            let sent_at = tokio::time::Instant::now();
            let outcome = send(builder).await;
            let info = AttemptInfo {
                operation_id: meta.operation_id,
                method: &sent.method,
                path_template: meta.path_template,
                attempt,
                elapsed: sent_at.elapsed(),
            };
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
                    after_response(inner, &info, status, &raw.headers)?;
                    let hinted = status == StatusCode::TOO_MANY_REQUESTS
                        || status == StatusCode::SERVICE_UNAVAILABLE;
                    let input = RetryInput {
                        policy: &policy,
                        idempotent,
                        attempt,
                        elapsed,
                        outcome: AttemptOutcome::Response {
                            status,
                            retry_after: hinted
                                .then(|| retry_after(&raw.headers, SystemTime::now()))
                                .flatten(),
                        },
                    };
                    match decide(input, random_up_to) {
                        RetryDecision::Stop => {
                            let kept = keep_headers.then(|| raw.headers.clone());
                            return match decode(raw) {
                                Ok(value) => Ok(Response {
                                    value,
                                    status,
                                    headers: kept.unwrap_or_default(),
                                    attempts: attempt,
                                }),
                                Err(mut e) => {
                                    e.set_attempts(attempt);
                                    Err(e)
                                }
                            };
                        }
                        RetryDecision::RetryNow => {}
                        RetryDecision::RetryAfter(delay) => {
                            tracing::info!(
                                operation = meta.operation_id, method = %meta.method,
                                path = meta.path_template, status = status.as_u16(), attempt,
                                elapsed_ms, delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                                "retrying after status"
                            );
                            tokio::time::sleep(delay).await;
                        }
                    }
                }
                Err(source) => {
                    let kind = TransportKind::of(&source);
                    // The URL would carry an API key sent as a query parameter.
                    let source = if inner.key_in_query() {
                        source.without_url()
                    } else {
                        source
                    };
                    tracing::debug!(
                        operation = meta.operation_id, method = %meta.method,
                        path = meta.path_template, %kind, attempt, elapsed_ms,
                        "transport error"
                    );
                    for hook in &inner.hooks {
                        guarded(hook.as_ref(), || hook.on_error(&info, &source))
                            .map_err(Error::Hook)?;
                    }
                    let outcome = if source.is_builder() {
                        AttemptOutcome::Unsendable
                    } else {
                        AttemptOutcome::Transport {
                            reached_server: !source.is_connect(),
                        }
                    };
                    let input = RetryInput {
                        policy: &policy,
                        idempotent,
                        attempt,
                        elapsed,
                        outcome,
                    };
                    match decide(input, random_up_to) {
                        RetryDecision::Stop => {
                            return Err(Error::Transport {
                                kind,
                                attempts: attempt,
                                source,
                            });
                        }
                        RetryDecision::RetryNow => {}
                        RetryDecision::RetryAfter(delay) => {
                            tracing::info!(
                                operation = meta.operation_id, method = %meta.method,
                                path = meta.path_template, %kind, attempt, elapsed_ms,
                                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                                "retrying after transport error"
                            );
                            tokio::time::sleep(delay).await;
                        }
                    }
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
