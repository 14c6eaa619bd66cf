//! Helpers shared by the SDK end-to-end tests (each test target includes this module).
#![allow(dead_code)]

use std::sync::OnceLock;

use openrouter::Client;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The management key every test client sends.
pub const API_KEY: &str = "sk-or-v1-test-management-key";
/// Base path the tests mount the API under, to check that the base URL's path is kept.
pub const BASE_PATH: &str = "/api/v1";

/// A BYOK id (the spec's example).
pub const BYOK_ID: &str = "11111111-2222-3333-4444-555555555555";
/// A workspace id (the spec's BYOK example).
pub const WORKSPACE_ID: &str = "550e8400-e29b-41d4-a716-446655440000";
/// An API key hash (the spec's example).
pub const KEY_HASH: &str = "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943";

/// The spec, parsed once.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openrouter.yaml");
        let text = std::fs::read_to_string(path).expect("read spec/openrouter.yaml");
        serde_yaml::from_str(&text).expect("parse spec/openrouter.yaml")
    })
}

fn operation(path: &str, method: &str) -> &'static Value {
    let op = &spec()["paths"][path][method];
    assert!(op.is_object(), "no operation {method} {path} in the spec");
    op
}

/// The `application/json` example of a response in the spec.
pub fn response_example(path: &str, method: &str, status: &str) -> Value {
    let ex =
        &operation(path, method)["responses"][status]["content"]["application/json"]["example"];
    assert!(!ex.is_null(), "no example for {method} {path} -> {status}");
    ex.clone()
}

/// The `application/json` example of a request body in the spec.
pub fn request_example(path: &str, method: &str) -> Value {
    let ex = &operation(path, method)["requestBody"]["content"]["application/json"]["example"];
    assert!(!ex.is_null(), "no request example for {method} {path}");
    ex.clone()
}

/// A client pointed at `server` (under [`BASE_PATH`]) with no attribution headers.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}{BASE_PATH}", server.uri()))
        .build()
        .expect("client")
}

/// Answers every request with `status` and the JSON `body`.
pub async fn respond_json(server: &MockServer, status: u16, body: &Value) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

/// Answers every request with `status`, raw `body` and a content type.
pub async fn respond_raw(server: &MockServer, status: u16, content_type: &str, body: &[u8]) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_vec(), content_type))
        .mount(server)
        .await;
}

/// Every request the server received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is enabled")
}

/// The one request the server received (fails if there were zero or several).
pub async fn single_request(server: &MockServer) -> Request {
    let mut all = received(server).await;
    assert_eq!(
        all.len(),
        1,
        "expected exactly one request, got {}: {:?}",
        all.len(),
        all.iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect::<Vec<_>>()
    );
    all.pop().unwrap()
}

/// Every value of header `name`, as strings.
pub fn header_values(req: &Request, name: &str) -> Vec<String> {
    req.headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("ASCII header").to_owned())
        .collect()
}

/// The single value of header `name`, if present (fails if repeated).
pub fn header(req: &Request, name: &str) -> Option<String> {
    let mut values = header_values(req, name);
    assert!(values.len() <= 1, "header {name} repeated: {values:?}");
    values.pop()
}

/// Method, path (as sent, still percent-encoded) and raw query string.
pub fn assert_target(req: &Request, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(req.method.as_str(), method, "method");
    assert_eq!(req.url.path(), format!("{BASE_PATH}{path}"), "path");
    assert_eq!(req.url.query(), query, "query string");
}

/// Auth, accept, user agent and content type (present exactly when there is a body).
pub fn assert_standard_headers(req: &Request, has_body: bool) {
    assert_eq!(
        header(req, "authorization").as_deref(),
        Some(format!("Bearer {API_KEY}").as_str()),
        "authorization"
    );
    assert_eq!(
        header(req, "accept").as_deref(),
        Some("application/json"),
        "accept"
    );
    let ua = header(req, "user-agent").expect("user-agent is sent");
    assert!(ua.starts_with("openrouter-rust/"), "user-agent: {ua}");
    assert!(ua.len() > "openrouter-rust/".len(), "user-agent: {ua}");
    if has_body {
        assert_eq!(
            header(req, "content-type").as_deref(),
            Some("application/json"),
            "content-type"
        );
    } else {
        assert_eq!(
            header(req, "content-type"),
            None,
            "content-type without body"
        );
        assert!(req.body.is_empty(), "unexpected body: {:?}", body_text(req));
    }
}

/// No `HTTP-Referer`, `X-OpenRouter-Title` or `X-OpenRouter-Categories`.
pub fn assert_no_attribution_headers(req: &Request) {
    for name in [
        "http-referer",
        "x-openrouter-title",
        "x-openrouter-categories",
    ] {
        assert_eq!(header(req, name), None, "{name} must not be sent");
    }
}

pub fn body_text(req: &Request) -> String {
    String::from_utf8_lossy(&req.body).into_owned()
}

/// The request body parsed as JSON.
pub fn body_json(req: &Request) -> Value {
    serde_json::from_slice(&req.body)
        .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", body_text(req)))
}

/// Numbers compared by value (`50` == `50.0`); everything else structurally.
pub fn normalize(v: &Value) -> Value {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => v.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), normalize(v))).collect())
        }
        _ => v.clone(),
    }
}

/// The exact JSON body (object keys in any order, numbers by value).
pub fn assert_body(req: &Request, expected: &Value) {
    assert_eq!(
        normalize(&body_json(req)),
        normalize(expected),
        "request body"
    );
}

/// `2025-08-24T10:30:00Z` and friends.
pub fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s)
        .expect("RFC 3339")
        .with_timezone(&chrono::Utc)
}

/// A port on 127.0.0.1 nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}
