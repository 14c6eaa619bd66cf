//! Shared fixtures for the runtime's unit tests (wiremock on 127.0.0.1).

use std::time::Duration;

use wiremock::MockServer;

use super::__private::{
    OperationMeta, PreparedRequest, RawResponse, api_error, decode_json, json_body,
    unexpected_status,
};
use super::RetryPolicy;
use super::client::{ApiClient, ApiSpec, Auth, GlobalHeader};
use super::error::ErrorBody;

/// The error-body enum a generated crate would declare.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TestBody {
    Unparsed,
}

impl ErrorBody for TestBody {
    fn unparsed() -> Self {
        TestBody::Unparsed
    }
}

pub(crate) type Error = super::Error<TestBody>;

/// What a generated crate's API description looks like.
pub(crate) static SPEC: ApiSpec = ApiSpec {
    default_base_url: "https://api.example.test/v1",
    user_agent: "example-rust/1.0.0",
    env_prefix: "EXAMPLE",
    auth: &[Auth::Bearer],
    auth_required: true,
    default_retry: None,
    global_headers: &[
        GlobalHeader {
            field: "app_title",
            name: "x-app-title",
        },
        GlobalHeader {
            field: "http_referer",
            name: "http-referer",
        },
    ],
};

/// What a generated crate's `Client` newtype looks like.
#[derive(Debug, Clone)]
pub(crate) struct Client(pub(crate) super::Client);

impl From<super::Client> for Client {
    fn from(c: super::Client) -> Self {
        Client(c)
    }
}

impl std::ops::Deref for Client {
    type Target = super::Client;
    fn deref(&self) -> &super::Client {
        &self.0
    }
}

impl ApiClient for Client {
    type ErrorBody = TestBody;
    const SPEC: &'static ApiSpec = &SPEC;
}

impl Client {
    pub(crate) fn builder() -> super::ClientBuilder<Client> {
        super::ClientBuilder::new()
    }
}

pub(crate) const KEY: &str = "sk-test-test-topsecret";

pub(crate) static GET: OperationMeta = OperationMeta::get("getThing", "/things/{id}");

pub(crate) static POST: OperationMeta = OperationMeta::post("createThing", "/things");

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
        404 => Err(api_error::<serde_json::Value, _>(raw, |_| {
            TestBody::Unparsed
        })),
        _ => Err(unexpected_status(raw)),
    }
}

/// A port on 127.0.0.1 with nothing listening.
pub(crate) fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}
