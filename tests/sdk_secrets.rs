//! Secrets (the client's API key, raw provider keys sent to `/byok`, freshly created API
//! keys) never show up in `Debug` / `Display` output of clients, requests, responses or any
//! error kind, while the real values still go over the wire.

mod common;

use std::fmt::{Debug, Display};

use common::*;
use openrouter::{
    ByokProviderSlug, Client, CreateByokKeyRequest, CreateKeysRequest, CreateKeysResponse, Error,
    GlobalHeaders, Secret, Tristate, UpdateByokKeyRequest,
};
use serde_json::json;
use wiremock::MockServer;

const CLIENT_KEY: &str = "sk-or-v1-SECRETSECRET0123456789abcdef0123456789abcdef";
const RAW_KEY: &str = "sk-proj-TOPSECRET0123456789abcdef";
const ROTATED_KEY: &str = "sk-proj-TOPSECRET-rotated-9876543210";
const NEW_KEY: &str = "sk-or-v1-NEWKEYSECRET0123456789abcdef0123456789abcdef";
/// Substrings that must never be printed.
const MARKERS: [&str; 3] = ["SECRETSECRET", "TOPSECRET", "NEWKEYSECRET"];

fn assert_no_secret(what: &str, text: &str) {
    for marker in MARKERS {
        assert!(
            !text.contains(marker),
            "{what} leaks a secret ({marker}):\n{text}"
        );
    }
}

fn check_debug(what: &str, value: &impl Debug) {
    assert_no_secret(&format!("{what} {{:?}}"), &format!("{value:?}"));
    assert_no_secret(&format!("{what} {{:#?}}"), &format!("{value:#?}"));
}

fn check_display(what: &str, value: &impl Display) {
    assert_no_secret(&format!("{what} {{}}"), &format!("{value}"));
    assert_no_secret(&format!("{what} {{:#}}"), &format!("{value:#}"));
}

/// Debug, pretty Debug, Display, and every `source()` in the chain.
fn check_error(what: &str, err: &Error) {
    check_debug(what, err);
    check_display(what, err);
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        check_display(&format!("{what} source"), &s.to_string());
        assert_no_secret(&format!("{what} source {{:?}}"), &format!("{s:?}"));
        source = s.source();
    }
}

fn secret_client(base_url: &str) -> Client {
    Client::builder()
        .api_key(CLIENT_KEY)
        .base_url(base_url)
        .app_title("secrets-test")
        .build()
        .expect("client")
}

fn create_body() -> CreateByokKeyRequest {
    CreateByokKeyRequest::new(ByokProviderSlug::Openai, RAW_KEY).name("prod".to_owned())
}

fn new_key_json() -> serde_json::Value {
    let mut body = response_example("/keys", "post", "201");
    body["key"] = json!(NEW_KEY);
    body
}

#[test]
fn secret_values_are_redacted() {
    let s = Secret::new(RAW_KEY);
    check_debug("Secret", &s);
    check_display("Secret", &s);
    check_debug("Option<Secret>", &Some(s.clone()));
    assert_eq!(s.expose(), RAW_KEY);
}

#[test]
fn client_and_builder_are_redacted() {
    let builder = Client::builder()
        .api_key(CLIENT_KEY)
        .base_url("http://127.0.0.1:9/api/v1");
    check_debug("ClientBuilder", &builder);
    let client = builder.build().expect("client");
    check_debug("Client", &client);
    check_debug("Byok", &client.byok());
    check_debug("ApiKeys", &client.api_keys());
}

#[test]
fn request_bodies_and_calls_are_redacted() {
    let create = create_body()
        .allowed_api_key_hashes(vec![KEY_HASH.to_owned()])
        .allowed_models(Tristate::Null);
    check_debug("CreateByokKeyRequest", &create);
    let update = UpdateByokKeyRequest::new()
        .key(ROTATED_KEY)
        .name("n".to_owned());
    check_debug("UpdateByokKeyRequest", &update);
    // The bodies still serialise the real value.
    assert_eq!(
        serde_json::to_value(&create).unwrap()["key"],
        json!(RAW_KEY)
    );
    assert_eq!(
        serde_json::to_value(&update).unwrap()["key"],
        json!(ROTATED_KEY)
    );

    let client = secret_client("http://127.0.0.1:9/api/v1");
    let call = client.byok().create(create).app_title("t");
    check_debug("Call (create)", &call);
    let call = client.byok().update(BYOK_ID, update);
    check_debug("Call (update)", &call);
}

#[test]
fn decoded_create_keys_response_is_redacted() {
    let response: CreateKeysResponse = serde_json::from_value(new_key_json()).expect("decodes");
    assert_eq!(response.key.expose(), NEW_KEY);
    check_debug("CreateKeysResponse", &response);
    // Re-serialising gives the value back (it is the caller's to store).
    assert_eq!(
        serde_json::to_value(&response).unwrap()["key"],
        json!(NEW_KEY)
    );
}

#[tokio::test]
async fn create_keys_over_the_wire_is_redacted_but_usable() {
    let server = MockServer::start().await;
    respond_json(&server, 201, &new_key_json()).await;
    let client = secret_client(&format!("{}{BASE_PATH}", server.uri()));

    let created = client
        .api_keys()
        .create(CreateKeysRequest::new("fresh"))
        .await
        .expect("create");

    assert_eq!(created.key.expose(), NEW_KEY);
    check_debug("CreateKeysResponse (wire)", &created);
    let req = single_request(&server).await;
    assert_eq!(
        header(&req, "authorization").as_deref(),
        Some(format!("Bearer {CLIENT_KEY}").as_str())
    );
}

#[tokio::test]
async fn the_wire_carries_the_real_secrets() {
    let server = MockServer::start().await;
    respond_json(
        &server,
        200,
        &response_example("/byok/{id}", "patch", "200"),
    )
    .await;
    let client = secret_client(&format!("{}{BASE_PATH}", server.uri()));

    // POST answered with 200 (undocumented) is an error, but the request is what matters.
    let _ = client.byok().create(create_body()).await;
    client
        .byok()
        .update(BYOK_ID, UpdateByokKeyRequest::new().key(ROTATED_KEY))
        .await
        .expect("update");

    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 2);
    for req in &reqs {
        assert_eq!(
            header(req, "authorization").as_deref(),
            Some(format!("Bearer {CLIENT_KEY}").as_str()),
            "the real key is sent"
        );
    }
    assert_eq!(body_json(&reqs[0])["key"], json!(RAW_KEY));
    assert_eq!(body_json(&reqs[1]), json!({"key": ROTATED_KEY}));
}

#[tokio::test]
async fn validation_errors_are_redacted() {
    let client = secret_client("http://127.0.0.1:9/api/v1");

    // A raw key pasted where a hash belongs: the pattern error must not echo it.
    let err = client
        .byok()
        .create(create_body().allowed_api_key_hashes(vec![RAW_KEY.to_owned()]))
        .await
        .expect_err("pattern");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    check_error("validation (pattern)", &err);

    let err = client
        .byok()
        .update(
            BYOK_ID,
            UpdateByokKeyRequest::new()
                .key(ROTATED_KEY)
                .name(RAW_KEY.repeat(20)),
        )
        .await
        .expect_err("maxLength");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    check_error("validation (maxLength)", &err);

    // A secret passed as a path parameter that must be a UUID.
    let err = client.byok().get(RAW_KEY).await.expect_err("uuid");
    check_error("validation (uuid)", &err);
}

#[tokio::test]
async fn config_errors_are_redacted() {
    let err = Client::builder()
        .api_key(format!("{CLIENT_KEY}\n"))
        .build()
        .expect_err("newline in key");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    check_error("config", &err);
}

#[tokio::test]
async fn transport_errors_are_redacted() {
    let port = closed_port();
    let client = secret_client(&format!("http://127.0.0.1:{port}{BASE_PATH}"));

    let err = client
        .byok()
        .create(create_body())
        .no_retries()
        .await
        .expect_err("connection refused");

    assert!(err.is_connect(), "{err:?}");
    assert_eq!(err.attempts(), 1);
    check_error("transport", &err);
}

#[tokio::test]
async fn api_errors_are_redacted() {
    let server = MockServer::start().await;
    respond_json(&server, 401, &response_example("/byok", "post", "401")).await;
    let client = secret_client(&format!("{}{BASE_PATH}", server.uri()));

    let err = client.byok().create(create_body()).await.expect_err("401");

    assert!(matches!(err, Error::Api(_)), "{err:?}");
    check_error("api error", &err);
    single_request(&server).await;
}

#[tokio::test]
async fn unexpected_status_errors_are_redacted() {
    let server = MockServer::start().await;
    respond_raw(&server, 418, "text/plain", b"I'm a teapot").await;
    let client = secret_client(&format!("{}{BASE_PATH}", server.uri()));

    let err = client
        .byok()
        .update(BYOK_ID, UpdateByokKeyRequest::new().key(ROTATED_KEY))
        .no_retries()
        .await
        .expect_err("418");

    assert!(matches!(err, Error::UnexpectedStatus(_)), "{err:?}");
    check_error("unexpected status", &err);
    single_request(&server).await;
}

#[tokio::test]
async fn decode_errors_are_redacted() {
    let server = MockServer::start().await;
    respond_raw(
        &server,
        201,
        "application/json",
        b"{\"data\": {\"id\": \"1111",
    )
    .await;
    let client = secret_client(&format!("{}{BASE_PATH}", server.uri()));

    let err = client
        .byok()
        .create(create_body())
        .await
        .expect_err("truncated");

    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    check_error("decode error", &err);
    single_request(&server).await;
}

/// `POST /keys` returns the new plaintext key (`format: password`). If that 201 body fails to
/// decode (here: the server sends `created_at` in a format the SDK does not accept), the
/// error must not print the key in `Display` (body excerpt) or `Debug` (raw body).
#[tokio::test]
async fn decode_error_of_a_create_keys_response_does_not_leak_the_new_key() {
    let server = MockServer::start().await;
    let mut body = new_key_json();
    body["data"]["created_at"] = json!(1724495400);
    respond_json(&server, 201, &body).await;
    let client = secret_client(&format!("{}{BASE_PATH}", server.uri()));

    let err = client
        .api_keys()
        .create(CreateKeysRequest::new("fresh"))
        .await
        .expect_err("created_at is not a date-time string");

    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    // The raw body stays available on purpose for callers who need it.
    assert!(
        String::from_utf8_lossy(err.raw_body().unwrap()).contains(NEW_KEY),
        "raw_body() keeps the body"
    );
    check_error("decode error of createKeys", &err);
}
