//! Client-side validation end to end: invalid parameters and bodies are refused before
//! anything is sent.

mod common;

use common::*;
use openrouter::{
    ApiKeysListParams, ByokProviderSlug, CreateByokKeyRequest, CreateKeysRequest, Error,
    ListByokKeysParams, UpdateByokKeyRequest,
};
use serde_json::json;
use wiremock::MockServer;

// ---------------------------------------------------------------------------------------
// Client-side validation: nothing is sent
// ---------------------------------------------------------------------------------------

fn expect_invalid<T: std::fmt::Debug>(
    what: &str,
    result: Result<T, Error>,
    field: &str,
    rule: &str,
) {
    match result {
        Err(Error::InvalidRequest(v)) => {
            assert_eq!(v.field(), field, "{what}: field");
            assert!(
                v.rule().contains(rule),
                "{what}: rule {:?} should mention {rule:?}",
                v.rule()
            );
            let msg = Error::InvalidRequest(v.clone()).to_string();
            assert!(
                msg.contains(field),
                "{what}: message names the field: {msg}"
            );
        }
        other => panic!("{what}: expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_query_and_path_parameters_send_nothing() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &json!({})).await;
    let client = client(&server);
    let byok = client.byok();
    let keys = client.api_keys();

    let limit0 = byok.list(ListByokKeysParams::new().limit(0)).await;
    expect_invalid("limit 0", limit0, "limit", ">= 1");
    let limit101 = byok.list(ListByokKeysParams::new().limit(101)).await;
    expect_invalid("limit 101", limit101, "limit", "<= 100");
    let offset = byok.list(ListByokKeysParams::new().offset(-1)).await;
    expect_invalid("byok offset -1", offset, "offset", ">= 0");
    let ws = byok
        .list(ListByokKeysParams::new().workspace_id("default"))
        .await;
    expect_invalid("byok workspace_id", ws, "workspace_id", "UUID");
    let offset = keys.list(ApiKeysListParams::new().offset(-1)).await;
    expect_invalid("keys offset -1", offset, "offset", ">= 0");
    let ws = keys
        .list(ApiKeysListParams::new().workspace_id("ws_1"))
        .await;
    expect_invalid("keys workspace_id", ws, "workspace_id", "UUID");
    let id = byok.get("11111111-2222-3333-4444-55555555555").await;
    expect_invalid("short uuid", id, "id", "UUID");
    let id = byok.delete("a/b c").await;
    expect_invalid("delete bad id", id, "id", "UUID");

    // Boundaries are accepted.
    byok.list(ListByokKeysParams::new().limit(1).offset(0))
        .await
        .expect_err("the canned `{}` is not a page, but the request is sent");
    assert_eq!(
        received(&server).await.len(),
        1,
        "only the valid request was sent"
    );
}

#[tokio::test]
async fn invalid_bodies_send_nothing() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &json!({})).await;
    let client = client(&server);
    let byok = client.byok();
    let keys = client.api_keys();
    let new = || CreateByokKeyRequest::new(ByokProviderSlug::Openai, "sk-proj-x");
    let hashes = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();

    let r = keys.create(CreateKeysRequest::new("")).await;
    expect_invalid("empty key name", r, "body.name", "at least 1");
    let r = keys
        .create(CreateKeysRequest::new("ok").creator_user_id(String::new()))
        .await;
    expect_invalid("empty creator", r, "body.creator_user_id", "at least 1");
    let r = byok
        .create(CreateByokKeyRequest::new(ByokProviderSlug::Openai, ""))
        .await;
    expect_invalid("empty raw key", r, "body.key", "at least 1");
    let r = byok.create(new().name("x".repeat(256))).await;
    expect_invalid("long name", r, "body.name", "at most 255");
    let models: Vec<String> = (0..101).map(|i| format!("m/{i}")).collect();
    let r = byok.create(new().allowed_models(models.clone())).await;
    expect_invalid("101 models", r, "body.allowed_models", "at most 100");
    let r = byok
        .update(BYOK_ID, UpdateByokKeyRequest::new().allowed_models(models))
        .await;
    expect_invalid(
        "101 models (update)",
        r,
        "body.allowed_models",
        "at most 100",
    );
    let many: Vec<String> = (0..101).map(|_| KEY_HASH.to_owned()).collect();
    let r = byok.create(new().allowed_api_key_hashes(many)).await;
    expect_invalid(
        "101 hashes",
        r,
        "body.allowed_api_key_hashes",
        "at most 100",
    );
    let r = byok.create(new().allowed_api_key_hashes(Vec::new())).await;
    expect_invalid("0 hashes", r, "body.allowed_api_key_hashes", "at least 1");
    let r = byok
        .create(new().allowed_api_key_hashes(hashes(&[KEY_HASH, "not-a-hash"])))
        .await;
    expect_invalid("bad hash", r, "body.allowed_api_key_hashes[1]", "pattern");
    let upper = KEY_HASH.to_uppercase();
    let r = byok
        .update(
            BYOK_ID,
            UpdateByokKeyRequest::new().allowed_api_key_hashes(hashes(&[&upper])),
        )
        .await;
    expect_invalid(
        "uppercase hash",
        r,
        "body.allowed_api_key_hashes[0]",
        "pattern",
    );
    let r = byok
        .update(
            BYOK_ID,
            UpdateByokKeyRequest::new().allowed_api_key_hashes(hashes(&[&KEY_HASH[1..]])),
        )
        .await;
    expect_invalid(
        "63 hex chars",
        r,
        "body.allowed_api_key_hashes[0]",
        "pattern",
    );
    let r = byok
        .update(BYOK_ID, UpdateByokKeyRequest::new().key(""))
        .await;
    expect_invalid("empty rotated key", r, "body.key", "at least 1");

    assert!(received(&server).await.is_empty(), "nothing may be sent");
}
