//! Server-sent events (`text/event-stream`) as a [`futures::Stream`] of typed events.
//!
//! [`event_stream`] sends the request once (a stream is never retried: part of it may
//! already have been consumed), maps an error status through the operation's generated
//! decoder, then parses `data:` lines as they arrive and decodes each event into `T`. A
//! `data` payload equal to the spec's sentinel (`x-speakeasy-sse-sentinel`, e.g. `[DONE]`)
//! ends the stream. The client-wide request timeout does not apply (it would cut a long
//! stream off); the connect timeout does.

use std::collections::VecDeque;

use bytes::Bytes;
use futures::stream::BoxStream;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName};

use super::call::header_value as header;
use super::client::Client;
use super::error::{DecodeError, Error, TransportKind};
use super::exec::prepare_attempt;
use super::request::{OperationMeta, PreparedRequest};
use super::response::{Decoder, RawResponse, unexpected_status};
use super::validate::ValidationError;

/// A stream of decoded events; ends after the sentinel, at the end of the body, or after
/// the first error.
pub type EventStream<'c, T, B> = BoxStream<'c, Result<T, Error<B>>>;

/// How a generated operation's events are framed.
#[derive(Debug, Clone, Copy)]
pub struct StreamSpec {
    /// A `data` payload that ends the stream (e.g. `[DONE]`).
    pub sentinel: Option<&'static str>,
    /// `true`: the event schema is an envelope (`{event, data, id, retry}`) and the whole
    /// event decodes into `T`; `false`: only the `data` payload does.
    pub envelope: bool,
}

/// One parsed server-sent event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SseEvent {
    /// `event:` (empty when absent).
    pub event: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// `id:` if present.
    pub id: Option<String>,
    /// `retry:` if present and numeric.
    pub retry: Option<u64>,
}

/// Incremental `text/event-stream` parser (WHATWG HTML, "Interpreting an event stream").
#[derive(Debug, Default)]
pub(crate) struct SseParser {
    line: Vec<u8>,
    /// The previous chunk ended in `\r`: a following `\n` belongs to it.
    after_cr: bool,
    current: SseEvent,
    has_data: bool,
}

impl SseParser {
    /// Feeds bytes; returns the events completed by them.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut out = Vec::new();
        for &b in chunk {
            if self.after_cr {
                self.after_cr = false;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\n' | b'\r' => {
                    self.after_cr = b == b'\r';
                    let line = std::mem::take(&mut self.line);
                    self.line_done(&line, &mut out);
                }
                _ => self.line.push(b),
            }
        }
        out
    }

    /// End of the body: a last event without its blank line is still delivered.
    pub(crate) fn finish(&mut self) -> Vec<SseEvent> {
        let mut out = Vec::new();
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, &mut out);
        }
        self.line_done(b"", &mut out);
        out
    }

    fn line_done(&mut self, line: &[u8], out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            if self.has_data {
                out.push(std::mem::take(&mut self.current));
            } else {
                self.current = SseEvent::default();
            }
            self.has_data = false;
            return;
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line.as_ref(), ""),
        };
        match field {
            // A comment (`: keep-alive`).
            "" => {}
            "data" => {
                if self.has_data {
                    self.current.data.push('\n');
                }
                self.current.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.current.event = value.to_owned(),
            "id" if !value.contains('\0') => self.current.id = Some(value.to_owned()),
            "retry" => self.current.retry = value.parse().ok(),
            _ => {}
        }
    }
}

/// The JSON an event decodes from: `data` parsed as JSON when it is JSON (else a string),
/// wrapped with the other fields when the schema is an envelope.
fn event_json(ev: &SseEvent, envelope: bool) -> serde_json::Value {
    let data = serde_json::from_str(&ev.data)
        .unwrap_or_else(|_| serde_json::Value::String(ev.data.clone()));
    if !envelope {
        return data;
    }
    let mut obj = serde_json::Map::new();
    obj.insert("data".into(), data);
    if !ev.event.is_empty() {
        obj.insert("event".into(), ev.event.clone().into());
    }
    if let Some(id) = &ev.id {
        obj.insert("id".into(), id.clone().into());
    }
    if let Some(r) = ev.retry {
        obj.insert("retry".into(), r.into());
    }
    serde_json::Value::Object(obj)
}

/// Decodes one event into `T`, keeping the raw `data` on failure.
pub(crate) fn decode_event<T: serde::de::DeserializeOwned, B>(
    ev: &SseEvent,
    envelope: bool,
    status: StatusCode,
    headers: &HeaderMap,
) -> Result<T, Error<B>> {
    serde_json::from_value(event_json(ev, envelope)).map_err(|e| {
        Error::Decode(Box::new(DecodeError::new(
            status,
            headers.clone(),
            Bytes::from(ev.data.clone()),
            e,
        )))
    })
}

fn transport<B>(source: reqwest::Error, client: &Client) -> Error<B> {
    Error::Transport {
        kind: TransportKind::of(&source),
        attempts: 1,
        // The URL would carry an API key sent as a query parameter.
        source: if client.inner().key_in_query() {
            source.without_url()
        } else {
            source
        },
    }
}

/// Sends the request; an error status comes back as the operation's typed error.
async fn open<B>(
    client: &Client,
    meta: &'static OperationMeta,
    request: PreparedRequest,
    on_error: Decoder<(), B>,
) -> Result<reqwest::Response, Error<B>> {
    let inner = client.inner();
    let content_type = request.body.as_ref().map(|b| b.content_type());
    let mut h = inner.base_headers("text/event-stream", content_type, &[])?;
    for (name, value) in &request.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            Error::InvalidRequest(ValidationError::new(*name, "is not a valid header name"))
        })?;
        if name != AUTHORIZATION && name != CONTENT_TYPE {
            let value = header(name.as_str(), value)?;
            h.append(name, value);
        }
    }
    let sent = prepare_attempt(inner, meta, 1, h, &request.path, &request.query).await?;
    let mut builder = inner
        .http
        .request(sent.method.clone(), &sent.url)
        .headers(sent.headers);
    if let Some(body) = request.body {
        builder = builder.body(body.into_bytes());
    }
    let response = builder.send().await.map_err(|e| transport(e, client))?;
    let status = response.status();
    tracing::debug!(
        operation = meta.operation_id, method = %meta.method,
        path = meta.path_template, status = status.as_u16(), "event stream opened"
    );
    if status.is_success() {
        return Ok(response);
    }
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(|e| transport(e, client))?;
    let raw = RawResponse {
        status,
        headers,
        body,
    };
    Err(match on_error(raw.clone()) {
        Err(e) => e,
        Ok(()) => unexpected_status(raw),
    })
}

struct Reading {
    response: reqwest::Response,
    status: StatusCode,
    headers: HeaderMap,
    parser: SseParser,
    queue: VecDeque<SseEvent>,
    eof: bool,
}

enum State<B> {
    Start(Result<PreparedRequest, Error<B>>),
    Reading(Box<Reading>),
    Done,
}

/// Sends a prepared request and streams its events as `T`. `on_error` is the operation's
/// decoder for non-success statuses (its success arms are never used).
pub fn event_stream<'c, T, B>(
    client: &'c Client,
    meta: &'static OperationMeta,
    request: Result<PreparedRequest, Error<B>>,
    on_error: Decoder<(), B>,
    spec: StreamSpec,
) -> EventStream<'c, T, B>
where
    T: serde::de::DeserializeOwned + Send + 'c,
    B: Send + 'c,
{
    let stream = futures::stream::unfold(State::Start(request), move |state| async move {
        let mut r = match state {
            State::Done => return None,
            State::Start(request) => {
                let opened = match request {
                    Ok(request) => open(client, meta, request, on_error).await,
                    Err(e) => Err(e),
                };
                match opened {
                    Ok(response) => Box::new(Reading {
                        status: response.status(),
                        headers: response.headers().clone(),
                        response,
                        parser: SseParser::default(),
                        queue: VecDeque::new(),
                        eof: false,
                    }),
                    Err(e) => return Some((Err(e), State::Done)),
                }
            }
            State::Reading(r) => r,
        };
        loop {
            if let Some(ev) = r.queue.pop_front() {
                if spec.sentinel.is_some_and(|s| ev.data.trim() == s) {
                    return None;
                }
                let item = decode_event(&ev, spec.envelope, r.status, &r.headers);
                let next = if item.is_ok() {
                    State::Reading(r)
                } else {
                    State::Done
                };
                return Some((item, next));
            }
            if r.eof {
                return None;
            }
            match r.response.chunk().await {
                Ok(Some(chunk)) => {
                    let events = r.parser.push(&chunk);
                    r.queue.extend(events);
                }
                Ok(None) => {
                    let events = r.parser.finish();
                    r.queue.extend(events);
                    r.eof = true;
                }
                Err(e) => return Some((Err(transport(e, client)), State::Done)),
            }
        }
    });
    Box::pin(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut p = SseParser::default();
        let mut out = Vec::new();
        for c in chunks {
            out.extend(p.push(c));
        }
        out.extend(p.finish());
        out
    }

    #[test]
    fn parses_fields_comments_and_split_chunks() {
        let events = parse_all(&[
            b": UPSTREAM PROCESSING\n\n",
            b"event: delta\r\ndata: {\"a\":",
            b"1}\r",
            b"\n\r\ndata: line1\ndata: line2\nid: 7\nretry: 50\n\n",
            b"data: [DONE]",
        ]);
        assert_eq!(events.len(), 3);
        assert_eq!(events[0].event, "delta");
        assert_eq!(events[0].data, "{\"a\":1}");
        assert_eq!(events[1].data, "line1\nline2");
        assert_eq!(events[1].id.as_deref(), Some("7"));
        assert_eq!(events[1].retry, Some(50));
        assert_eq!(events[2].data, "[DONE]");
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Envelope {
        data: serde_json::Value,
        event: Option<String>,
    }

    #[test]
    fn decodes_payloads_and_envelopes() {
        let ev = SseEvent {
            event: "ping".into(),
            data: "{\"n\":1}".into(),
            ..Default::default()
        };
        let h = HeaderMap::new();
        let v: serde_json::Value = decode_event::<_, ()>(&ev, false, StatusCode::OK, &h).unwrap();
        assert_eq!(v, serde_json::json!({"n": 1}));
        let e: Envelope = decode_event::<_, ()>(&ev, true, StatusCode::OK, &h).unwrap();
        assert_eq!(e.event.as_deref(), Some("ping"));
        assert_eq!(e.data, serde_json::json!({"n": 1}));
        let text = SseEvent {
            data: "not json".into(),
            ..Default::default()
        };
        let s: String = decode_event::<_, ()>(&text, false, StatusCode::OK, &h).unwrap();
        assert_eq!(s, "not json");
        let err = decode_event::<u32, ()>(&text, false, StatusCode::OK, &h).unwrap_err();
        assert_eq!(err.raw_body(), Some(&b"not json"[..]));
    }
}
