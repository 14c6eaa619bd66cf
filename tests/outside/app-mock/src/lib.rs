//! The "application": code that calls the SDK.

use openrouter::{Client, Error};

/// Labels of the enabled BYOK credentials created after `since`.
pub async fn recent_enabled_labels(
    client: &Client,
    since: openrouter::chrono::DateTime<openrouter::chrono::Utc>,
) -> Result<Vec<String>, Error> {
    let page = client.byok().list(Default::default()).await?;
    Ok(page
        .data
        .into_iter()
        .filter(|k| !k.disabled && k.created_at > since)
        .map(|k| k.label)
        .collect())
}
