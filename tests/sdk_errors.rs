//! Error paths end to end: documented error statuses, undocumented statuses and
//! undecodable bodies (forward-compatible decoding and PATCH bodies are in `sdk_bodies.rs`,
//! client-side validation in `sdk_validation.rs`).
//!
//! Calls that get a 5XX or 429 use `.no_retries()` so the retry policy never slows these
//! tests down (or hides a mapping bug behind retries).

mod common;

use common::*;
use openrouter::{
    ApiErrorBody, ApiKeysListParams, ByokProviderSlug, Client, CreateByokKeyRequest,
    CreateKeysRequest, Error, ListByokKeysParams, Tristate, UpdateByokKeyRequest,
    UpdateKeysRequest,
};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const REQUEST_ID: &str = "req-0123456789";

/// Answers everything with `status`, the exact bytes of `body` and an `x-request-id`.
async fn respond_with_id(server: &MockServer, status: u16, body: &[u8], content_type: &str) {
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("x-request-id", REQUEST_ID)
                .set_body_raw(body.to_vec(), content_type),
        )
        .mount(server)
        .await;
}

/// Status, headers, raw body and attempts of a response-carrying error.
fn assert_response_kept(err: &Error, status: u16, raw: &[u8]) {
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
    let headers = err.headers().expect("headers are kept");
    assert_eq!(
        headers.get("x-request-id").and_then(|v| v.to_str().ok()),
        Some(REQUEST_ID)
    );
    assert_eq!(err.raw_body(), Some(raw), "raw body is kept verbatim");
    assert_eq!(err.attempts(), 1);
    assert!(
        err.to_string().contains(&status.to_string()),
        "Display names the status: {err}"
    );
}

/// `(status the variant stands for, error.code, error.message)` of a parsed error body.
fn typed_error(body: &ApiErrorBody) -> Option<(u16, i64, String)> {
    Some(match body {
        ApiErrorBody::BadRequest(b) => (400, b.error.code, b.error.message.clone()),
        ApiErrorBody::Unauthorized(b) => (401, b.error.code, b.error.message.clone()),
        ApiErrorBody::Forbidden(b) => (403, b.error.code, b.error.message.clone()),
        ApiErrorBody::NotFound(b) => (404, b.error.code, b.error.message.clone()),
        ApiErrorBody::TooManyRequests(b) => (429, b.error.code, b.error.message.clone()),
        ApiErrorBody::InternalServerError(b) => (500, b.error.code, b.error.message.clone()),
        _ => return None,
    })
}

fn raw_json(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

// ---------------------------------------------------------------------------------------
// Documented error statuses
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn status_400_is_a_typed_bad_request() {
    let server = MockServer::start().await;
    let raw = raw_json(&json!({
        "error": {"code": 400, "message": "Invalid request parameters", "metadata": {"param": "limit"}},
        "user_id": null
    }));
    respond_with_id(&server, 400, &raw, "application/json").await;
    let client = client(&server);

    let err = client
        .byok()
        .list(ListByokKeysParams::new().limit(5))
        .await
        .expect_err("400");

    assert_response_kept(&err, 400, &raw);
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 400);
    match &api.body {
        ApiErrorBody::BadRequest(b) => {
            assert_eq!(b.error.code, 400);
            assert_eq!(b.error.message, "Invalid request parameters");
            assert_eq!(b.error.metadata, Tristate::Value(json!({"param": "limit"})));
            assert_eq!(b.user_id, Tristate::Null);
            assert_eq!(b.openrouter_metadata, Tristate::Absent);
        }
        other => panic!("expected BadRequest, got {other:?}"),
    }
    assert_eq!(single_request(&server).await.url.query(), Some("limit=5"));
}

#[tokio::test]
async fn status_401_is_a_typed_unauthorized() {
    let server = MockServer::start().await;
    let raw = raw_json(&response_example("/byok/{id}", "get", "401"));
    respond_with_id(&server, 401, &raw, "application/json").await;
    let client = client(&server);

    let err = client.byok().get(BYOK_ID).await.expect_err("401");

    assert_response_kept(&err, 401, &raw);
    match err.api_body() {
        Some(ApiErrorBody::Unauthorized(b)) => {
            assert_eq!(b.error.code, 401);
            assert_eq!(b.error.message, "Missing Authentication header");
            assert_eq!(b.error.metadata, Tristate::Absent);
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    single_request(&server).await;
}

#[tokio::test]
async fn status_403_is_a_typed_forbidden() {
    let server = MockServer::start().await;
    let raw = raw_json(&response_example("/keys", "post", "403"));
    respond_with_id(&server, 403, &raw, "application/json").await;
    let client = client(&server);

    let err = client
        .api_keys()
        .create(CreateKeysRequest::new("k"))
        .await
        .expect_err("403");

    assert_response_kept(&err, 403, &raw);
    match err.api_body() {
        Some(ApiErrorBody::Forbidden(b)) => {
            assert_eq!(b.error.code, 403);
            assert_eq!(
                b.error.message,
                "Only management keys can perform this operation"
            );
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
    single_request(&server).await;
}

#[tokio::test]
async fn status_404_is_a_typed_not_found() {
    let server = MockServer::start().await;
    let raw = raw_json(&json!({
        "error": {"code": 404, "message": "Resource not found"},
        "openrouter_metadata": {"region": "iad"},
        "user_id": "user_1"
    }));
    respond_with_id(&server, 404, &raw, "application/json").await;
    let client = client(&server);

    let err = client.api_keys().delete(KEY_HASH).await.expect_err("404");

    assert_response_kept(&err, 404, &raw);
    match err.api_body() {
        Some(ApiErrorBody::NotFound(b)) => {
            assert_eq!(b.error.code, 404);
            assert_eq!(b.error.message, "Resource not found");
            assert_eq!(
                b.openrouter_metadata,
                Tristate::Value(json!({"region": "iad"}))
            );
            assert_eq!(b.user_id, Tristate::Value("user_1".to_owned()));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    single_request(&server).await;
}

#[tokio::test]
async fn status_429_is_a_typed_too_many_requests() {
    let server = MockServer::start().await;
    let raw = raw_json(&response_example("/keys/{hash}", "get", "429"));
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-request-id", REQUEST_ID)
                .insert_header("retry-after", "7")
                .set_body_raw(raw.clone(), "application/json"),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client
        .api_keys()
        .get(KEY_HASH)
        .no_retries()
        .await
        .expect_err("429");

    assert_response_kept(&err, 429, &raw);
    assert_eq!(
        err.headers()
            .unwrap()
            .get("retry-after")
            .unwrap()
            .to_str()
            .unwrap(),
        "7"
    );
    match err.api_body() {
        Some(ApiErrorBody::TooManyRequests(b)) => {
            assert_eq!(b.error.code, 429);
            assert_eq!(b.error.message, "Rate limit exceeded");
        }
        other => panic!("expected TooManyRequests, got {other:?}"),
    }
    single_request(&server).await;
}

#[tokio::test]
async fn status_500_is_a_typed_internal_server_error() {
    let server = MockServer::start().await;
    let raw = raw_json(&response_example("/key", "get", "500"));
    respond_with_id(&server, 500, &raw, "application/json").await;
    let client = client(&server);

    let err = client
        .api_keys()
        .get_current()
        .no_retries()
        .await
        .expect_err("500");

    assert_response_kept(&err, 500, &raw);
    match err.api_body() {
        Some(ApiErrorBody::InternalServerError(b)) => {
            assert_eq!(b.error.code, 500);
            assert_eq!(b.error.message, "Internal Server Error");
        }
        other => panic!("expected InternalServerError, got {other:?}"),
    }
    single_request(&server).await;
}

#[tokio::test]
async fn documented_status_with_an_unexpected_body_is_unparsed_but_kept() {
    let server = MockServer::start().await;
    let raw = b"<html><body>401 Authorization Required</body></html>".to_vec();
    respond_with_id(&server, 401, &raw, "text/html").await;
    let client = client(&server);

    let err = client.byok().delete(BYOK_ID).await.expect_err("401");

    assert_response_kept(&err, 401, &raw);
    assert!(
        matches!(err.api_body(), Some(ApiErrorBody::Unparsed)),
        "{err:?}"
    );
    single_request(&server).await;
}

/// Every operation's documented error statuses (read from the spec) map to the matching
/// `ApiErrorBody` variant with the spec's example parsed; the other common error statuses
/// are `UnexpectedStatus`.
#[tokio::test]
async fn every_operation_maps_each_error_status_as_documented() {
    let mut operations = Vec::new();
    for (path, item) in spec()["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap().to_owned();
            operations.push((id, path.clone(), method.clone(), op["responses"].clone()));
        }
    }
    assert_eq!(operations.len(), 11, "the spec has 11 operations");

    // One server and one client, reset between cases (keeps the 66 cases fast).
    let server = MockServer::start().await;
    let client = client(&server);
    let mut failures = Vec::new();
    for (id, path, method, responses) in &operations {
        for status in [400u16, 401, 403, 404, 429, 500] {
            let documented = responses.get(status.to_string()).is_some();
            let body = if documented {
                response_example(path, method, &status.to_string())
            } else {
                json!({"error": {"code": status, "message": "not documented here"}})
            };
            let raw = raw_json(&body);
            server.reset().await;
            respond_with_id(&server, status, &raw, "application/json").await;

            let err = match invoke(&client, id).await {
                Ok(()) => {
                    failures.push(format!("{id} {status}: succeeded"));
                    continue;
                }
                Err(e) => e,
            };
            let sent = received(&server).await.len();
            if sent != 1 {
                failures.push(format!("{id} {status}: {sent} requests"));
            }
            if err.status().map(|s| s.as_u16()) != Some(status) || err.raw_body() != Some(&raw[..])
            {
                failures.push(format!("{id} {status}: status/raw body not kept: {err:?}"));
            }
            let ok = match (&err, documented) {
                (Error::Api(api), true) => {
                    typed_error(&api.body)
                        == Some((
                            status,
                            body["error"]["code"].as_i64().unwrap(),
                            body["error"]["message"].as_str().unwrap().to_owned(),
                        ))
                }
                (Error::UnexpectedStatus(_), false) => true,
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "{id} {status} (documented: {documented}): got {err:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Calls operation `id` with valid arguments and without retries.
async fn invoke(client: &Client, id: &str) -> Result<(), Error> {
    let byok = client.byok();
    let keys = client.api_keys();
    let body = || CreateByokKeyRequest::new(ByokProviderSlug::Openai, "sk-proj-x");
    match id {
        "listBYOKKeys" => byok
            .list(ListByokKeysParams::new())
            .no_retries()
            .await
            .map(drop),
        "createBYOKKey" => byok.create(body()).no_retries().await.map(drop),
        "getBYOKKey" => byok.get(BYOK_ID).no_retries().await.map(drop),
        "updateBYOKKey" => byok
            .update(BYOK_ID, UpdateByokKeyRequest::new().disabled(true))
            .no_retries()
            .await
            .map(drop),
        "deleteBYOKKey" => byok.delete(BYOK_ID).no_retries().await.map(drop),
        "getCurrentKey" => keys.get_current().no_retries().await.map(drop),
        "list" => keys
            .list(ApiKeysListParams::new())
            .no_retries()
            .await
            .map(drop),
        "createKeys" => keys
            .create(CreateKeysRequest::new("k"))
            .no_retries()
            .await
            .map(drop),
        "getKey" => keys.get(KEY_HASH).no_retries().await.map(drop),
        "updateKeys" => keys
            .update(KEY_HASH, UpdateKeysRequest::new().disabled(true))
            .no_retries()
            .await
            .map(drop),
        "deleteKeys" => keys.delete(KEY_HASH).no_retries().await.map(drop),
        other => panic!("operation {other} is not covered by this test"),
    }
}

// ---------------------------------------------------------------------------------------
// Undocumented statuses and undecodable success bodies
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn undocumented_503_html_is_an_unexpected_status_with_everything_kept() {
    let server = MockServer::start().await;
    let raw = b"<html>\n<head><title>503 Service Temporarily Unavailable</title></head>\n<body>nginx</body>\n</html>\n".to_vec();
    respond_with_id(&server, 503, &raw, "text/html").await;
    let client = client(&server);

    let err = client
        .byok()
        .get(BYOK_ID)
        .no_retries()
        .await
        .expect_err("503");

    assert_response_kept(&err, 503, &raw);
    let Error::UnexpectedStatus(e) = &err else {
        panic!("expected UnexpectedStatus, got {err:?}")
    };
    assert_eq!(e.status.as_u16(), 503);
    assert_eq!(
        e.headers.get("content-type").unwrap().to_str().unwrap(),
        "text/html"
    );
    assert!(err.api_body().is_none());
    assert!(
        err.to_string().contains("Service Temporarily Unavailable"),
        "Display shows a body excerpt: {err}"
    );
    single_request(&server).await;
}

#[tokio::test]
async fn truncated_json_on_200_is_a_decode_error_with_raw_body_and_serde_error() {
    let server = MockServer::start().await;
    let full = raw_json(&response_example("/byok/{id}", "get", "200"));
    let raw = full[..full.len() / 2].to_vec();
    respond_with_id(&server, 200, &raw, "application/json").await;
    let client = client(&server);

    let err = client.byok().get(BYOK_ID).await.expect_err("decode error");

    assert_response_kept(&err, 200, &raw);
    let Error::Decode(d) = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert!(d.source.is_eof(), "serde error kept: {}", d.source);
    assert!(
        std::error::Error::source(&**d).is_some(),
        "the serde error is the source"
    );
    single_request(&server).await;
}

#[tokio::test]
async fn required_nullable_field_missing_is_a_decode_error() {
    let server = MockServer::start().await;
    let mut body = response_example("/byok/{id}", "get", "200");
    body["data"]
        .as_object_mut()
        .unwrap()
        .remove("allowed_models");
    let raw = raw_json(&body);
    respond_with_id(&server, 200, &raw, "application/json").await;
    let client = client(&server);

    let err = client.byok().get(BYOK_ID).await.expect_err("missing field");

    assert_response_kept(&err, 200, &raw);
    let Error::Decode(d) = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert!(
        d.source.to_string().contains("allowed_models"),
        "names the field: {}",
        d.source
    );
}
