//! `Client::from_env()`. The environment is process-global, so this target holds a single
//! test: nothing else in this process reads or writes the variables concurrently.

mod common;

use common::*;
use openrouter::{Client, Error};
use wiremock::MockServer;

const KEY_VAR: &str = "OPENROUTER_API_KEY";
const URL_VAR: &str = "OPENROUTER_BASE_URL";

#[tokio::test]
async fn from_env_reads_the_key_and_base_url() {
    let server = MockServer::start().await;
    respond_json(&server, 200, &response_example("/key", "get", "200")).await;

    // SAFETY (edition 2024 `unsafe` env API): this is the only test in this binary, and
    // no other thread of this process touches the environment while it runs.
    unsafe {
        std::env::remove_var(KEY_VAR);
        std::env::remove_var(URL_VAR);
    }
    let err = Client::from_env().expect_err("no key in the environment");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains(KEY_VAR), "{err}");

    unsafe {
        std::env::set_var(KEY_VAR, API_KEY);
        std::env::set_var(URL_VAR, format!("{}{BASE_PATH}/", server.uri()));
    }
    let client = Client::from_env().expect("client from env");
    assert_eq!(client.base_url(), format!("{}{BASE_PATH}", server.uri()));
    let current = client.api_keys().get_current().await;

    let req = single_request(&server).await;
    assert_target(&req, "GET", "/key", None);
    assert_standard_headers(&req, false);
    assert_no_attribution_headers(&req);
    assert_eq!(
        current.expect("get_current").data.label,
        "sk-or-v1-au7...890"
    );

    // Without a base URL (unset or empty) the spec's server is used.
    unsafe {
        std::env::set_var(URL_VAR, "");
    }
    let default = Client::from_env().expect("client from env");
    assert_eq!(default.base_url(), openrouter::DEFAULT_BASE_URL);
    assert_eq!(openrouter::DEFAULT_BASE_URL, "https://openrouter.ai/api/v1");

    unsafe {
        std::env::remove_var(KEY_VAR);
        std::env::remove_var(URL_VAR);
    }
}
