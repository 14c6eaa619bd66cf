//! End-to-end tests of the API key operations against a local mock server: exact wire format
//! and typed decoding of the spec's examples; path encoding and attribution headers.

mod common;

use common::*;
use openrouter::{
    ApiKey, ApiKeysListParams, Client, CreateKeysRequest, CreateKeysRequestLimitReset, Error,
    GlobalHeaders, Tristate, UpdateKeysRequest, UpdateKeysRequestLimitReset,
};
use serde_json::json;
use wiremock::MockServer;

const KEYS_WORKSPACE: &str = "0df9e665-d932-5740-b2c7-b52af166bc11";
const CREATOR: &str = "user_2dHFtVWx2n56w6HkM0000000000";

/// Fields shared by the ApiKey examples of `GET /keys` and `GET /keys/{hash}`.
fn assert_production_key(key: &ApiKey) {
    assert_eq!(key.hash, KEY_HASH);
    assert_eq!(key.name, "My Production Key");
    assert_eq!(key.label, "Production API Key");
    assert!(!key.disabled);
    assert_eq!(key.limit, Some(100.0));
    assert_eq!(key.limit_remaining, Some(74.5));
    assert_eq!(key.limit_reset.as_deref(), Some("monthly"));
    assert!(!key.include_byok_in_limit);
    assert_eq!(key.usage, 25.5);
    assert_eq!(key.usage_daily, 25.5);
    assert_eq!(key.usage_weekly, 25.5);
    assert_eq!(key.usage_monthly, 25.5);
    assert_eq!(key.byok_usage, 17.38);
    assert_eq!(key.byok_usage_daily, 17.38);
    assert_eq!(key.byok_usage_weekly, 17.38);
    assert_eq!(key.byok_usage_monthly, 17.38);
    assert_eq!(key.created_at, utc("2025-08-24T10:30:00Z"));
    assert_eq!(key.updated_at, Some(utc("2025-08-24T15:45:00Z")));
    assert_eq!(key.expires_at, Tristate::Value(utc("2027-12-31T23:59:59Z")));
    assert_eq!(key.creator_user_id.as_deref(), Some(CREATOR));
    assert_eq!(key.workspace_id, KEYS_WORKSPACE);
}

#[tokio::test]
#[allow(deprecated)] // `rate_limit` / `is_provisioning_key` are deprecated in the spec.
async fn get_current_decodes_the_example() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &response_example("/key", "get", "200")).await;
    let client = client(&server);

    let result = client.api_keys().get_current().await;

    let req = single_request(&server).await;
    assert_target(&req, "GET", "/key", None);
    assert_standard_headers(&req, false);
    assert_no_attribution_headers(&req);

    let key = result.expect("get_current succeeds").data;
    assert_eq!(key.label, "sk-or-v1-au7...890");
    assert_eq!(key.limit, Some(100.0));
    assert_eq!(key.limit_remaining, Some(74.5));
    assert_eq!(key.limit_reset.as_deref(), Some("monthly"));
    assert!(!key.include_byok_in_limit);
    assert_eq!(key.usage, 25.5);
    assert_eq!(key.usage_monthly, 25.5);
    assert_eq!(key.byok_usage, 17.38);
    assert_eq!(key.byok_usage_weekly, 17.38);
    assert!(!key.is_free_tier);
    assert!(!key.is_management_key);
    assert!(!key.is_provisioning_key);
    assert_eq!(key.creator_user_id.as_deref(), Some(CREATOR));
    assert_eq!(key.expires_at, Tristate::Value(utc("2027-12-31T23:59:59Z")));
    assert_eq!(key.rate_limit.requests, 1000);
    assert_eq!(key.rate_limit.interval, "1h");
    assert_eq!(
        key.rate_limit.note,
        "This field is deprecated and safe to ignore."
    );
}

#[tokio::test]
async fn list_sends_every_query_parameter_in_spec_order() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &response_example("/keys", "get", "200")).await;
    let client = client(&server);

    let params = ApiKeysListParams::new()
        .workspace_id(KEYS_WORKSPACE)
        .offset(0)
        .include_disabled(true);
    let result = client.api_keys().list(params).await;

    let req = single_request(&server).await;
    assert_target(
        &req,
        "GET",
        "/keys",
        Some("include_disabled=true&offset=0&workspace_id=0df9e665-d932-5740-b2c7-b52af166bc11"),
    );
    assert_standard_headers(&req, false);
    assert_no_attribution_headers(&req);

    let page = result.expect("list succeeds");
    assert_eq!(page.data.len(), 1);
    assert_production_key(&page.data[0]);
}

#[tokio::test]
async fn list_without_parameters_sends_no_query_string() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &json!({"data": []})).await;
    let client = client(&server);

    let result = client.api_keys().list(ApiKeysListParams::new()).await;

    let req = single_request(&server).await;
    assert_target(&req, "GET", "/keys", None);
    assert!(result.expect("list").data.is_empty());
}

#[tokio::test]
async fn create_sends_the_spec_example_body_and_exposes_the_new_key() {
    let server = MockServer::start().await;
    respond_json(&server, 201, &response_example("/keys", "post", "201")).await;
    let client = client(&server);

    let body = CreateKeysRequest::new("My New API Key")
        .limit(50.0)
        .limit_reset(CreateKeysRequestLimitReset::Monthly)
        .include_byok_in_limit(true)
        .expires_at(utc("2027-12-31T23:59:59Z"));
    let result = client.api_keys().create(body).await;

    let req = single_request(&server).await;
    assert_target(&req, "POST", "/keys", None);
    assert_standard_headers(&req, true);
    assert_no_attribution_headers(&req);
    assert_body(&req, &request_example("/keys", "post"));

    let created = result.expect("create succeeds");
    assert_eq!(
        created.key.expose(),
        "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"
    );
    let key = created.data;
    assert_eq!(key.hash, KEY_HASH);
    assert_eq!(key.name, "My New API Key");
    assert_eq!(key.limit, Some(50.0));
    assert_eq!(key.limit_remaining, Some(50.0));
    assert_eq!(key.limit_reset.as_deref(), Some("monthly"));
    assert!(key.include_byok_in_limit);
    assert_eq!(key.usage, 0.0);
    assert_eq!(key.created_at, utc("2025-08-24T10:30:00Z"));
    assert_eq!(key.updated_at, None, "updated_at: null");
    assert_eq!(key.expires_at, Tristate::Value(utc("2027-12-31T23:59:59Z")));
    assert_eq!(key.workspace_id, KEYS_WORKSPACE);
}

#[tokio::test]
async fn create_serialises_nulls_and_the_workspace() {
    let server = MockServer::start().await;
    respond_json(&server, 201, &response_example("/keys", "post", "201")).await;
    let client = client(&server);

    let body = CreateKeysRequest::new("ci")
        .limit(Tristate::Null)
        .limit_reset(Tristate::Null)
        .expires_at(Tristate::Null)
        .creator_user_id(CREATOR.to_owned())
        .workspace_id(uuid::Uuid::parse_str(KEYS_WORKSPACE).unwrap());
    let result = client.api_keys().create(body).await;

    let req = single_request(&server).await;
    assert_body(
        &req,
        &json!({
            "name": "ci",
            "limit": null,
            "limit_reset": null,
            "expires_at": null,
            "creator_user_id": CREATOR,
            "workspace_id": KEYS_WORKSPACE
        }),
    );
    result.expect("create succeeds");
}

#[tokio::test]
async fn get_uses_the_hash_path_and_decodes_the_example() {
    let server = MockServer::start().await;
    respond_json(
        &server,
        200,
        &response_example("/keys/{hash}", "get", "200"),
    )
    .await;
    let client = client(&server);

    let result = client.api_keys().get(KEY_HASH).await;

    let req = single_request(&server).await;
    assert_target(&req, "GET", &format!("/keys/{KEY_HASH}"), None);
    assert_standard_headers(&req, false);
    assert_no_attribution_headers(&req);
    assert_production_key(&result.expect("get succeeds").data);
}

#[tokio::test]
async fn update_sends_the_spec_example_body_and_decodes_the_example() {
    let server = MockServer::start().await;
    respond_json(
        &server,
        200,
        &response_example("/keys/{hash}", "patch", "200"),
    )
    .await;
    let client = client(&server);

    let body = UpdateKeysRequest::new()
        .name("Updated API Key Name")
        .disabled(false)
        .limit(75.0)
        .limit_reset(UpdateKeysRequestLimitReset::Daily)
        .include_byok_in_limit(true);
    let result = client.api_keys().update(KEY_HASH, body).await;

    let req = single_request(&server).await;
    assert_target(&req, "PATCH", &format!("/keys/{KEY_HASH}"), None);
    assert_standard_headers(&req, true);
    assert_no_attribution_headers(&req);
    assert_body(&req, &request_example("/keys/{hash}", "patch"));

    let key = result.expect("update succeeds").data;
    assert_eq!(key.name, "Updated API Key Name");
    assert_eq!(key.limit, Some(75.0));
    assert_eq!(key.limit_remaining, Some(49.5));
    assert_eq!(key.limit_reset.as_deref(), Some("daily"));
    assert!(key.include_byok_in_limit);
    assert_eq!(key.updated_at, Some(utc("2025-08-24T16:00:00Z")));
    assert_eq!(key.expires_at, Tristate::Null, "expires_at: null");
}

#[tokio::test]
async fn update_can_clear_limit_and_reset() {
    let server = MockServer::start().await;
    respond_json(
        &server,
        200,
        &response_example("/keys/{hash}", "patch", "200"),
    )
    .await;
    let client = client(&server);

    let body = UpdateKeysRequest::new()
        .limit(Tristate::Null)
        .limit_reset(Tristate::Null);
    let result = client.api_keys().update(KEY_HASH, body).await;

    let req = single_request(&server).await;
    assert_body(&req, &json!({"limit": null, "limit_reset": null}));
    result.expect("update succeeds");
}

#[tokio::test]
async fn disable_sends_only_the_disabled_flag() {
    let server = MockServer::start().await;
    respond_json(
        &server,
        200,
        &response_example("/keys/{hash}", "patch", "200"),
    )
    .await;
    let client = client(&server);

    let result = client
        .api_keys()
        .update(KEY_HASH, UpdateKeysRequest::new().disabled(true))
        .await;

    let req = single_request(&server).await;
    assert_body(&req, &json!({"disabled": true}));
    result.expect("update succeeds");
}

#[tokio::test]
async fn delete_uses_the_hash_path_and_decodes_deleted_true() {
    let server = MockServer::start().await;
    respond_json(
        &server,
        200,
        &response_example("/keys/{hash}", "delete", "200"),
    )
    .await;
    let client = client(&server);

    let result = client.api_keys().delete(KEY_HASH).await;

    let req = single_request(&server).await;
    assert_target(&req, "DELETE", &format!("/keys/{KEY_HASH}"), None);
    assert_standard_headers(&req, false);
    assert_no_attribution_headers(&req);
    assert!(result.expect("delete succeeds").deleted);
}

#[tokio::test]
async fn hash_path_parameter_is_percent_encoded() {
    let server = MockServer::start().await;
    // One body that decodes as all three responses (`data` + `deleted`).
    let mut body = response_example("/keys/{hash}", "get", "200");
    body["deleted"] = json!(true);
    respond_json(&server, 200, &body).await;
    let client = client(&server);
    let keys = client.api_keys();

    keys.get("a/b c").await.expect("get");
    keys.update("a/b c", UpdateKeysRequest::new().disabled(true))
        .await
        .expect("update");
    assert!(keys.delete("é?#%").await.expect("delete").deleted);

    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 3);
    assert_target(&reqs[0], "GET", "/keys/a%2Fb%20c", None);
    assert_target(&reqs[1], "PATCH", "/keys/a%2Fb%20c", None);
    assert_target(&reqs[2], "DELETE", "/keys/%C3%A9%3F%23%25", None);
}

#[tokio::test]
async fn attribution_headers_are_sent_only_when_configured() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &response_example("/key", "get", "200")).await;

    // Not configured: none sent.
    client(&server).api_keys().get_current().await.expect("get");

    // Configured on the client: all three sent, verbatim.
    let configured = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}{BASE_PATH}", server.uri()))
        .http_referer("https://example.com/my-app")
        .app_title("My App")
        .app_categories("cli-agent,programming")
        .build()
        .expect("client");
    configured.api_keys().get_current().await.expect("get");

    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_no_attribution_headers(&reqs[0]);
    assert_standard_headers(&reqs[1], false);
    assert_eq!(
        header(&reqs[1], "http-referer").as_deref(),
        Some("https://example.com/my-app")
    );
    assert_eq!(
        header(&reqs[1], "x-openrouter-title").as_deref(),
        Some("My App")
    );
    assert_eq!(
        header(&reqs[1], "x-openrouter-categories").as_deref(),
        Some("cli-agent,programming")
    );
}

#[tokio::test]
async fn attribution_headers_can_be_overridden_per_call() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &response_example("/key", "get", "200")).await;
    let configured = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}{BASE_PATH}", server.uri()))
        .http_referer("https://example.com/my-app")
        .app_title("My App")
        .app_categories("cli-agent")
        .build()
        .expect("client");
    let plain = client(&server);

    // Override one header: the others keep the client's values.
    configured
        .api_keys()
        .get_current()
        .app_title("Per Call Title")
        .await
        .expect("get");
    // Override all three.
    configured
        .api_keys()
        .get_current()
        .http_referer("https://per.call/")
        .app_title("T2")
        .app_categories("programming")
        .await
        .expect("get");
    // Per call on a client without any: only that one is sent.
    plain
        .api_keys()
        .get_current()
        .app_categories("roleplay")
        .await
        .expect("get");
    // The client's values are unchanged afterwards.
    configured.api_keys().get_current().await.expect("get");

    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 4);
    let attribution = |i: usize| {
        (
            header(&reqs[i], "http-referer"),
            header(&reqs[i], "x-openrouter-title"),
            header(&reqs[i], "x-openrouter-categories"),
        )
    };
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        attribution(0),
        (
            s("https://example.com/my-app"),
            s("Per Call Title"),
            s("cli-agent")
        )
    );
    assert_eq!(
        attribution(1),
        (s("https://per.call/"), s("T2"), s("programming"))
    );
    assert_eq!(attribution(2), (None, None, s("roleplay")));
    assert_eq!(
        attribution(3),
        (s("https://example.com/my-app"), s("My App"), s("cli-agent"))
    );
}

#[tokio::test]
async fn invalid_per_call_header_value_is_rejected_before_sending() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &response_example("/key", "get", "200")).await;
    let client = client(&server);

    let err = client
        .api_keys()
        .get_current()
        .app_title("line\nbreak")
        .await
        .expect_err("a newline is not a valid header value");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(err.attempts(), 0);
    assert!(received(&server).await.is_empty());
}

/// A path parameter must stay one segment under `/keys/`: values the URL parser would treat
/// as empty or dot segments (`""`, `"."`, `".."`) must be rejected before sending, or sent
/// so that the server still sees `/keys/<non-empty segment>` — never `DELETE /keys/` or
/// `DELETE /` (the parent of the collection).
#[tokio::test]
async fn hash_path_parameter_cannot_escape_its_segment() {
    let mut body = response_example("/keys/{hash}", "get", "200");
    body["deleted"] = json!(true);
    let mut problems = Vec::new();
    for value in ["", ".", ".."] {
        for op in ["get", "update", "delete"] {
            let server = MockServer::start().await;
            respond_json(&server, 200, &body).await;
            let client = client(&server);
            let keys = client.api_keys();
            let result = match op {
                "get" => keys.get(value).no_retries().await.map(drop),
                "update" => keys
                    .update(value, UpdateKeysRequest::new().disabled(true))
                    .no_retries()
                    .await
                    .map(drop),
                _ => keys.delete(value).no_retries().await.map(drop),
            };
            let reqs = received(&server).await;
            match (&result, reqs.as_slice()) {
                (Err(Error::InvalidRequest(v)), []) if v.field() == "hash" => {}
                (_, [req]) => {
                    let path = req.url.path();
                    let rest = path.strip_prefix(&format!("{BASE_PATH}/keys/"));
                    if !rest.is_some_and(|r| !r.is_empty() && !r.contains('/')) {
                        problems.push(format!("{op}({value:?}) was sent as {} {path}", req.method));
                    }
                }
                _ => problems.push(format!(
                    "{op}({value:?}): {result:?}, {} requests",
                    reqs.len()
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
