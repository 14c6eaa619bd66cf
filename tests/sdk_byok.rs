//! End-to-end tests of the BYOK operations against a local mock server: exact wire format
//! (method, path, query, headers, JSON body) and typed decoding of the spec's examples.

mod common;

use common::*;
use openrouter::{
    ByokKey, ByokProviderSlug, CreateByokKeyRequest, Error, ListByokKeysParams, Tristate,
    UpdateByokKeyRequest,
};
use serde_json::json;
use wiremock::MockServer;

fn uuid(s: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(s).expect("uuid")
}

/// The BYOK credential of the spec's examples (only `name` differs between them).
fn assert_example_key(key: &ByokKey, name: &str) {
    assert_eq!(key.id, uuid(BYOK_ID));
    assert_eq!(key.provider, ByokProviderSlug::Openai);
    assert_eq!(key.workspace_id, Some(uuid(WORKSPACE_ID)));
    assert_eq!(key.name, Tristate::Value(name.to_owned()));
    assert_eq!(key.label, "sk-...AbCd");
    assert!(!key.disabled);
    assert!(!key.is_fallback);
    assert_eq!(key.allowed_models, None);
    assert_eq!(key.allowed_api_key_hashes, None);
    assert_eq!(key.allowed_user_ids, None);
    assert_eq!(key.sort_order, 0);
    assert_eq!(key.created_at, utc("2025-08-24T10:30:00Z"));
}

#[tokio::test]
async fn list_sends_every_query_parameter_in_spec_order() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &response_example("/byok", "get", "200")).await;
    let client = client(&server);

    // Set in a different order than the spec's: the wire must follow the spec.
    let params = ListByokKeysParams::new()
        .provider(ByokProviderSlug::Openai)
        .workspace_id(WORKSPACE_ID)
        .limit(2)
        .offset(0);
    let result = client.byok().list(params).await;

    let req = single_request(&server).await;
    assert_target(
        &req,
        "GET",
        "/byok",
        Some("offset=0&limit=2&workspace_id=550e8400-e29b-41d4-a716-446655440000&provider=openai"),
    );
    assert_standard_headers(&req, false);
    assert_no_attribution_headers(&req);

    let page = result.expect("list succeeds");
    assert_eq!(page.total_count, 1);
    assert_eq!(page.data.len(), 1);
    assert_example_key(&page.data[0], "Production OpenAI Key");
}

#[tokio::test]
async fn list_without_parameters_sends_no_query_string() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &response_example("/byok", "get", "200")).await;
    let client = client(&server);

    let page = client.byok().list(ListByokKeysParams::new()).await;

    let req = single_request(&server).await;
    assert_target(&req, "GET", "/byok", None);
    assert_standard_headers(&req, false);
    assert_eq!(page.expect("list").data.len(), 1);
}

#[tokio::test]
async fn list_percent_encodes_query_values() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &json!({"data": [], "total_count": 0})).await;
    let client = client(&server);

    let provider = ByokProviderSlug::from("new provider/β&x=1");
    assert!(provider.is_unknown());
    let page = client
        .byok()
        .list(ListByokKeysParams::new().provider(provider).limit(100))
        .await;

    let req = single_request(&server).await;
    assert_target(
        &req,
        "GET",
        "/byok",
        Some("limit=100&provider=new%20provider%2F%CE%B2%26x%3D1"),
    );
    let page = page.expect("list");
    assert!(page.data.is_empty());
    assert_eq!(page.total_count, 0);
}

#[tokio::test]
async fn create_sends_the_spec_example_body_and_decodes_201() {
    let server = MockServer::start().await;
    respond_json(&server, 201, &response_example("/byok", "post", "201")).await;
    let client = client(&server);

    let body = CreateByokKeyRequest::new(ByokProviderSlug::Openai, "sk-proj-abc123...")
        .name("Production OpenAI Key".to_owned());
    let result = client.byok().create(body).await;

    let req = single_request(&server).await;
    assert_target(&req, "POST", "/byok", None);
    assert_standard_headers(&req, true);
    assert_no_attribution_headers(&req);
    assert_body(&req, &request_example("/byok", "post"));
    assert_body(
        &req,
        &json!({"provider": "openai", "key": "sk-proj-abc123...", "name": "Production OpenAI Key"}),
    );

    let created = result.expect("create succeeds").data;
    assert_example_key(&created, "Production OpenAI Key");
}

#[tokio::test]
async fn create_serialises_every_optional_field() {
    let server = MockServer::start().await;
    respond_json(&server, 201, &response_example("/byok", "post", "201")).await;
    let client = client(&server);

    let body = CreateByokKeyRequest::new(ByokProviderSlug::AmazonBedrock, "raw-credential")
        .name(Tristate::Null)
        .workspace_id(uuid(WORKSPACE_ID))
        .disabled(true)
        .is_fallback(false)
        .allowed_models(vec!["openai/gpt-4o".to_owned(), "openai/o3".to_owned()])
        .allowed_api_key_hashes(vec![KEY_HASH.to_owned()])
        .allowed_user_ids(Tristate::Null);
    let result = client.byok().create(body).await;

    let req = single_request(&server).await;
    assert_target(&req, "POST", "/byok", None);
    assert_standard_headers(&req, true);
    assert_body(
        &req,
        &json!({
            "provider": "amazon-bedrock",
            "key": "raw-credential",
            "name": null,
            "workspace_id": WORKSPACE_ID,
            "disabled": true,
            "is_fallback": false,
            "allowed_models": ["openai/gpt-4o", "openai/o3"],
            "allowed_api_key_hashes": [KEY_HASH],
            "allowed_user_ids": null
        }),
    );
    result.expect("create succeeds");
}

#[tokio::test]
async fn get_uses_the_id_path_and_decodes_the_example() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &response_example("/byok/{id}", "get", "200")).await;
    let client = client(&server);

    let result = client.byok().get(BYOK_ID).await;

    let req = single_request(&server).await;
    assert_target(&req, "GET", &format!("/byok/{BYOK_ID}"), None);
    assert_standard_headers(&req, false);
    assert_no_attribution_headers(&req);
    assert_example_key(&result.expect("get succeeds").data, "Production OpenAI Key");
}

#[tokio::test]
async fn get_accepts_a_uuid_value() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &response_example("/byok/{id}", "get", "200")).await;
    let client = client(&server);

    let result = client.byok().get(uuid(BYOK_ID)).await;

    let req = single_request(&server).await;
    assert_target(&req, "GET", &format!("/byok/{BYOK_ID}"), None);
    assert_eq!(result.expect("get").data.id, uuid(BYOK_ID));
}

#[tokio::test]
async fn update_sends_the_spec_example_body_and_decodes_the_example() {
    let server = MockServer::start().await;
    respond_json(
        &server,
        200,
        &response_example("/byok/{id}", "patch", "200"),
    )
    .await;
    let client = client(&server);

    let body = UpdateByokKeyRequest::new()
        .name("Updated OpenAI Key".to_owned())
        .disabled(false);
    let result = client.byok().update(BYOK_ID, body).await;

    let req = single_request(&server).await;
    assert_target(&req, "PATCH", &format!("/byok/{BYOK_ID}"), None);
    assert_standard_headers(&req, true);
    assert_no_attribution_headers(&req);
    assert_body(&req, &request_example("/byok/{id}", "patch"));
    assert_body(
        &req,
        &json!({"name": "Updated OpenAI Key", "disabled": false}),
    );

    assert_example_key(&result.expect("update succeeds").data, "Updated OpenAI Key");
}

#[tokio::test]
async fn update_rotates_the_key_in_place() {
    let server = MockServer::start().await;
    respond_json(
        &server,
        200,
        &response_example("/byok/{id}", "patch", "200"),
    )
    .await;
    let client = client(&server);

    let body = UpdateByokKeyRequest::new()
        .key("sk-proj-rotated-value")
        .is_fallback(true)
        .allowed_models(Tristate::Null)
        .allowed_user_ids(vec!["user_1".to_owned()]);
    let result = client.byok().update(BYOK_ID, body).await;

    let req = single_request(&server).await;
    assert_target(&req, "PATCH", &format!("/byok/{BYOK_ID}"), None);
    assert_standard_headers(&req, true);
    assert_body(
        &req,
        &json!({
            "key": "sk-proj-rotated-value",
            "is_fallback": true,
            "allowed_models": null,
            "allowed_user_ids": ["user_1"]
        }),
    );
    result.expect("update succeeds");
}

#[tokio::test]
async fn delete_uses_the_id_path_and_decodes_deleted_true() {
    let server = MockServer::start().await;
    respond_json(
        &server,
        200,
        &response_example("/byok/{id}", "delete", "200"),
    )
    .await;
    let client = client(&server);

    let result = client.byok().delete(BYOK_ID).await;

    let req = single_request(&server).await;
    assert_target(&req, "DELETE", &format!("/byok/{BYOK_ID}"), None);
    assert_standard_headers(&req, false);
    assert_no_attribution_headers(&req);
    assert!(result.expect("delete succeeds").deleted);
}

/// The BYOK `id` is `format: uuid`: a value like `a/b c` is rejected before sending (the
/// percent-encoding of path segments is exercised on `/keys/{hash}` in `sdk_api_keys`).
#[tokio::test]
async fn id_path_parameter_must_be_a_uuid_and_nothing_is_sent() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &json!({})).await;
    let client = client(&server);
    let byok = client.byok();

    let errors = [
        byok.get("a/b c").await.map(drop),
        byok.update("a/b c", UpdateByokKeyRequest::new().disabled(true))
            .await
            .map(drop),
        byok.delete("not-a-uuid").await.map(drop),
    ];
    for result in errors {
        match result {
            Err(Error::InvalidRequest(v)) => {
                assert_eq!(v.field(), "id");
                assert!(v.rule().contains("UUID"), "rule: {}", v.rule());
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
    assert!(received(&server).await.is_empty(), "nothing may be sent");
}
