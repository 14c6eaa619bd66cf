//! The typed mock (`openrouter::MockServer`, feature `mock`) as a user's test would use it:
//! code under test calls the SDK, the mock answers typed values, errors or delays, and the
//! test checks what each operation received, decoded into the request types.

mod common;

use std::time::Duration;

use common::*;
use openrouter::{
    ApiErrorBody, Client, Error, GlobalHeaders, ListByokKeysParams, ListByokKeysResponse,
    MockServer, NotFoundResponse, RetryPolicy, Tristate, UpdateByokKeyRequest,
    UpdateByokKeyResponse,
};

/// The "application code" under test: rotates a credential and clears its name.
async fn rotate(client: &Client, id: &str, new_key: &str) -> Result<String, Error> {
    let body = UpdateByokKeyRequest::new()
        .key(new_key)
        .name(Tristate::Null);
    let updated = client.byok().update(id, body).app_title("rotator").await?;
    Ok(updated.data.label)
}

fn typed<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("the spec example decodes")
}

#[tokio::test]
async fn typed_answers_and_typed_received_requests() {
    let mock = MockServer::start().await;
    let answer: UpdateByokKeyResponse = typed(response_example("/byok/{id}", "patch", "200"));
    let update = mock.byok().update().respond(&answer).await;
    let client = mock.client().expect("client");

    let label = rotate(&client, BYOK_ID, "sk-proj-rotated-topsecret")
        .await
        .expect("update succeeds");
    assert_eq!(label, answer.data.label);

    let received = update.received().await;
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.path, format!("/byok/{BYOK_ID}"));
    assert_eq!(r.header("x-openrouter-title"), Some("rotator"));
    let body = r.body.as_ref().expect("a typed body");
    assert_eq!(
        body.key.as_ref().map(|k| k.expose()),
        Some("sk-proj-rotated-topsecret")
    );
    assert_eq!(body.name, Tristate::Null);
    // The mock, its handles and what it recorded never print the key or the raw secret.
    let shown = format!("{mock:?} {received:?}");
    assert!(
        !shown.contains("topsecret") && !shown.contains("mock-api-key"),
        "{shown}"
    );
}

#[tokio::test]
async fn typed_query_parameters_errors_and_delays() {
    let mock = MockServer::start().await;
    let page: ListByokKeysResponse = typed(response_example("/byok", "get", "200"));
    let list = mock.byok().list().respond(&page).await;
    let missing = NotFoundResponse::new(openrouter::NotFoundResponseErrorData::new(
        404,
        "No such key",
    ));
    mock.byok().get().times(1).respond_with(404, &missing).await;
    mock.byok()
        .delete()
        .delay(Duration::from_secs(5))
        .respond_status(200)
        .await;
    let client = mock.client().expect("client");

    let got = client
        .byok()
        .list(ListByokKeysParams::new().limit(5).offset(10))
        .await
        .expect("list");
    assert_eq!(got, page);
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Query {
        offset: i64,
        limit: i64,
    }
    let query: Query = list.received().await[0].query_as().expect("typed query");
    assert_eq!(
        query,
        Query {
            offset: 10,
            limit: 5
        }
    );

    let err = client.byok().get(BYOK_ID).await.unwrap_err();
    match err.api_body() {
        Some(ApiErrorBody::NotFound(body)) => assert_eq!(body, &missing),
        other => panic!("expected a typed 404, got {other:?} from {err}"),
    }

    let err = client
        .byok()
        .delete(BYOK_ID)
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
}
