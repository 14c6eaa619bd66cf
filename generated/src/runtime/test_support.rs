//! Shared fixtures for the runtime's unit tests (wiremock on 127.0.0.1).

use std::time::Duration;

use reqwest::Method;
use wiremock::MockServer;

use super::{
    Client, Error, OperationMeta, PreparedRequest, RawResponse, RetryPolicy, api_error,
    decode_json, json_body, unexpected_status,
};

pub(crate) const KEY: &str = "sk-or-v1-test-topsecret";

pub(crate) static GET: OperationMeta = OperationMeta {
    operation_id: "getThing",
    method: Method::GET,
    path_template: "/things/{id}",
    idempotent: true,
    retry: None,
};

pub(crate) static POST: OperationMeta = OperationMeta {
    operation_id: "createThing",
    method: Method::POST,
    path_template: "/things",
    idempotent: false,
    retry: None,
};

/// Fast policy: 3 attempts, ≤ 5 ms sleeps.
pub(crate) fn tiny_policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_interval(Duration::from_millis(1))
        .max_interval(Duration::from_millis(5))
}

pub(crate) fn client_for(server: &MockServer) -> Client {
    client_at(&server.uri())
}

pub(crate) fn client_at(base: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(format!("{base}/api/v1/"))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

pub(crate) fn get(path: &str) -> PreparedRequest {
    PreparedRequest {
        path: path.to_owned(),
        ..PreparedRequest::default()
    }
}

pub(crate) fn post(path: &str, body: serde_json::Value) -> PreparedRequest {
    PreparedRequest {
        path: path.to_owned(),
        body: Some(json_body(&body).expect("body")),
        ..PreparedRequest::default()
    }
}

/// 2XX → JSON, 404 → documented error (wrapped as `Unparsed`: the only variant known here), anything else → unexpected status.
pub(crate) fn decode_value(raw: RawResponse) -> Result<serde_json::Value, Error> {
    match raw.status.as_u16() {
        200..=299 => decode_json(raw),
        404 => Err(api_error::<serde_json::Value>(raw, |_| {
            crate::generated::ApiErrorBody::Unparsed
        })),
        _ => Err(unexpected_status(raw)),
    }
}

/// A port on 127.0.0.1 with nothing listening.
pub(crate) fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}
