//! The application's test: the SDK's typed mock answers, built by name from re-exported types.

use app_mock::recent_enabled_labels;
use openrouter::chrono::{TimeZone, Utc};
use openrouter::uuid::Uuid;
use openrouter::{ByokKey, ByokProviderSlug, ListByokKeysResponse, MockServer};

fn key(label: &str, disabled: bool, day: u32) -> ByokKey {
    // A mocked answer by name: placeholders for everything, then the fields this test reads.
    ByokKey::mock()
        .with_id(Uuid::from_u128(u128::from(day)))
        .with_provider(ByokProviderSlug::Anthropic)
        .with_label(label)
        .with_disabled(disabled)
        .with_allowed_models(vec!["openai/gpt-4o".to_owned()])
        .with_created_at(Utc.with_ymd_and_hms(2026, 1, day, 0, 0, 0).unwrap())
}

#[tokio::test]
async fn filters_the_mocked_page() {
    let mock = MockServer::start().await;
    let page = ListByokKeysResponse::mock()
        .with_data(vec![key("old", false, 1), key("off", true, 20), key("new", false, 21)])
        .with_total_count(3);
    let list = mock.byok().list().respond(&page).await;
    let client = mock.client().expect("a client for the mock");

    let since = Utc.with_ymd_and_hms(2026, 1, 10, 0, 0, 0).unwrap();
    let labels = recent_enabled_labels(&client, since).await.expect("the call succeeds");

    assert_eq!(labels, ["new"]);
    let received = list.received().await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path, "/byok");
    // JSON values for free-form fields need no serde_json dependency either.
    let _: openrouter::serde_json::Value = openrouter::serde_json::json!({"ok": true});
}
