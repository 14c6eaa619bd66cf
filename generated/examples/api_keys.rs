//! Manage OpenRouter API keys: create, list, disable, delete.
//!
//! ```sh
//! OPENROUTER_API_KEY=<management key> cargo run -p openrouter --example api_keys
//! ```
//!
//! `OPENROUTER_BASE_URL` points the client somewhere else (e.g. a local mock server).

use openrouter::{
    ApiKey, ApiKeysListParams, Client, CreateKeysRequest, CreateKeysRequestLimitReset, Error,
    UpdateKeysRequest,
};

fn describe(key: &ApiKey) -> String {
    let limit = key
        .limit
        .map_or_else(|| "none".to_owned(), |l| format!("${l:.2}"));
    format!(
        "{} name={:?} disabled={} limit={limit} usage=${:.2} created={}",
        key.hash, key.name, key.disabled, key.usage, key.created_at,
    )
}

async fn run(client: &Client) -> Result<(), Error> {
    let keys = client.api_keys();

    // Create. The plaintext key is returned once, as a `Secret` (redacted in `{:?}`).
    let request = CreateKeysRequest::new("openrouter-rust example")
        .limit(5.0)
        .limit_reset(CreateKeysRequestLimitReset::Monthly);
    let created = keys.create(request).await?;
    println!("created:  {}", describe(&created.data));
    println!(
        "          key {:?} ({} characters; store it now, it is not shown again)",
        created.key,
        created.key.expose().len()
    );
    let hash = created.data.hash.clone();

    // List (including disabled keys).
    let page = keys
        .list(ApiKeysListParams::new().include_disabled(true))
        .await?;
    println!("{} key(s):", page.data.len());
    for key in &page.data {
        println!("  {}", describe(key));
    }

    // Disable.
    let disabled = keys
        .update(&hash, UpdateKeysRequest::new().disabled(true))
        .await?
        .data;
    println!("disabled: {}", describe(&disabled));

    // Delete.
    let deleted = keys.delete(&hash).await?;
    println!("deleted:  {hash} ({})", deleted.deleted);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    println!("using {}", client.base_url());
    if let Err(err) = run(&client).await {
        if let Some(body) = err.api_body() {
            eprintln!("API error {:?}: {body:?}", err.status());
        }
        return Err(err.into());
    }
    Ok(())
}
