//! Manage a bring-your-own-key (BYOK) provider credential: list, create, rotate, delete.
//!
//! ```sh
//! OPENROUTER_API_KEY=<management key> \
//! PROVIDER_API_KEY=<raw OpenAI key> \
//!     cargo run -p openrouter --example byok
//! ```
//!
//! `OPENROUTER_BASE_URL` points the client somewhere else (e.g. a local mock server).
//! `PROVIDER_API_KEY` / `ROTATED_PROVIDER_API_KEY` default to placeholders.

use openrouter::{
    ByokKey, ByokProviderSlug, Client, CreateByokKeyRequest, Error, ListByokKeysParams,
    UpdateByokKeyRequest,
};

fn describe(key: &ByokKey) -> String {
    format!(
        "{} provider={} name={} label={} disabled={} fallback={}",
        key.id,
        key.provider,
        key.name.as_option().map_or("-", String::as_str),
        key.label,
        key.disabled,
        key.is_fallback,
    )
}

async fn run(client: &Client) -> Result<(), Error> {
    let byok = client.byok();

    // List (first page of up to 10).
    let page = byok.list(ListByokKeysParams::new().limit(10)).await?;
    println!("{} BYOK credential(s); first page:", page.total_count);
    for key in &page.data {
        println!("  {}", describe(key));
    }

    // Create. The raw key is a `Secret`: it is sent, but never printed by `{:?}`.
    let raw = std::env::var("PROVIDER_API_KEY").unwrap_or_else(|_| "sk-proj-placeholder".into());
    let request = CreateByokKeyRequest::new(ByokProviderSlug::Openai, raw)
        .name("openrouter-rust example".to_owned())
        .is_fallback(true);
    let created = byok.create(request).await?.data;
    println!("created:  {}", describe(&created));

    // Rotate the raw key in place.
    let rotated_raw = std::env::var("ROTATED_PROVIDER_API_KEY")
        .unwrap_or_else(|_| "sk-proj-rotated-placeholder".into());
    let rotated = byok
        .update(created.id, UpdateByokKeyRequest::new().key(rotated_raw))
        .await?
        .data;
    println!("rotated:  {}", describe(&rotated));

    // Delete.
    let deleted = byok.delete(created.id).await?;
    println!("deleted:  {} ({})", created.id, deleted.deleted);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    println!("using {}", client.base_url());
    if let Err(err) = run(&client).await {
        // Typed errors: the parsed body for documented statuses, the raw body otherwise.
        if let Some(body) = err.api_body() {
            eprintln!("API error {:?}: {body:?}", err.status());
        }
        return Err(err.into());
    }
    Ok(())
}
