//! Bodies both ways, end to end: forward-compatible decoding (unknown enum values and
//! fields, nullable fields present as null or absent) and PATCH tri-state request bodies
//! (absent / null / value). A required nullable field that is missing is a decode error:
//! `sdk_errors.rs`.

mod common;

use common::*;
use openrouter::{ByokProviderSlug, Tristate, UpdateByokKeyRequest};
use serde_json::{Value, json};
use wiremock::MockServer;

// ---------------------------------------------------------------------------------------
// Forward-compatible decoding
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_enum_values_and_unknown_fields_are_accepted() {
    let server = MockServer::start().await;
    let mut body = response_example("/byok/{id}", "get", "200");
    body["data"]["provider"] = json!("brand-new-provider");
    body["data"]["brand_new_field"] = json!({"nested": [1, 2, 3]});
    body["top_level_extra"] = json!("ignored");
    respond_json(&server, 200, &body).await;
    let client = client(&server);

    let key = client.byok().get(BYOK_ID).await.expect("decodes").data;

    assert_eq!(
        key.provider,
        ByokProviderSlug::Unknown("brand-new-provider".to_owned())
    );
    assert!(key.provider.is_unknown());
    assert_eq!(key.provider.as_str(), "brand-new-provider");
    assert_eq!(key.provider.to_string(), "brand-new-provider");
    assert_eq!(key.label, "sk-...AbCd");

    // Re-serialising keeps the unknown value verbatim (the extra fields are dropped).
    let back = serde_json::to_value(&key).unwrap();
    assert_eq!(back["provider"], json!("brand-new-provider"));
    assert!(back.get("brand_new_field").is_none());
    let again: openrouter::ByokKey = serde_json::from_value(back).unwrap();
    assert_eq!(again, key);

    // Known values still map to their variants, both ways.
    assert_eq!(
        ByokProviderSlug::from("amazon-bedrock"),
        ByokProviderSlug::AmazonBedrock
    );
    assert_eq!(
        serde_json::to_value(ByokProviderSlug::ZAi).unwrap(),
        json!("z-ai")
    );
    single_request(&server).await;
}

#[tokio::test]
async fn required_nullable_fields_present_as_null_are_none() {
    let server = MockServer::start().await;
    let mut body = response_example("/byok/{id}", "get", "200");
    body["data"]["workspace_id"] = Value::Null;
    body["data"]["name"] = Value::Null;
    respond_json(&server, 200, &body).await;
    let client = client(&server);

    let key = client.byok().get(BYOK_ID).await.expect("decodes").data;

    assert_eq!(key.workspace_id, None);
    assert_eq!(key.allowed_models, None);
    assert_eq!(key.allowed_api_key_hashes, None);
    assert_eq!(key.allowed_user_ids, None);
    assert_eq!(key.name, Tristate::Null, "optional + null is Null");
}

#[tokio::test]
async fn optional_nullable_field_absent_is_absent() {
    let server = MockServer::start().await;
    let mut body = response_example("/byok/{id}", "get", "200");
    body["data"].as_object_mut().unwrap().remove("name");
    body["data"]["allowed_models"] = json!(["openai/gpt-4o"]);
    respond_json(&server, 200, &body).await;
    let client = client(&server);

    let key = client.byok().get(BYOK_ID).await.expect("decodes").data;

    assert_eq!(key.name, Tristate::Absent);
    assert_eq!(key.allowed_models, Some(vec!["openai/gpt-4o".to_owned()]));
}

// ---------------------------------------------------------------------------------------
// PATCH bodies: absent / null / value
// ---------------------------------------------------------------------------------------

async fn patch_body_on_the_wire(update: UpdateByokKeyRequest) -> Value {
    let server = MockServer::start().await;
    respond_json(
        &server,
        200,
        &response_example("/byok/{id}", "patch", "200"),
    )
    .await;
    let client = client(&server);
    client.byok().update(BYOK_ID, update).await.expect("update");
    let req = single_request(&server).await;
    assert_target(&req, "PATCH", &format!("/byok/{BYOK_ID}"), None);
    assert_standard_headers(&req, true);
    body_json(&req)
}

#[tokio::test]
async fn patch_allowed_api_key_hashes_absent_is_not_in_the_body() {
    let body = patch_body_on_the_wire(UpdateByokKeyRequest::new()).await;
    assert_eq!(body, json!({}));

    let body = patch_body_on_the_wire(UpdateByokKeyRequest::new().disabled(true)).await;
    assert_eq!(body, json!({"disabled": true}));
    assert!(body.get("allowed_api_key_hashes").is_none());
}

#[tokio::test]
async fn patch_allowed_api_key_hashes_null_clears_the_restriction() {
    let body =
        patch_body_on_the_wire(UpdateByokKeyRequest::new().allowed_api_key_hashes(Tristate::Null))
            .await;
    assert_eq!(body, json!({"allowed_api_key_hashes": null}));
}

#[tokio::test]
async fn patch_allowed_api_key_hashes_value_is_an_array() {
    let other = "0".repeat(64);
    let body = patch_body_on_the_wire(
        UpdateByokKeyRequest::new()
            .allowed_api_key_hashes(vec![KEY_HASH.to_owned(), other.clone()]),
    )
    .await;
    assert_eq!(body, json!({"allowed_api_key_hashes": [KEY_HASH, other]}));
}
