//! Retries, Retry-After, timeouts and pagination through the generated API, against a real
//! HTTP server on 127.0.0.1. Policies are shrunk to milliseconds so the suite stays fast;
//! every server is dropped at the end of its test.

use futures::StreamExt;
use openrouter::{
    ApiErrorBody, ByokProviderSlug, Client, CreateByokKeyRequest, ListByokKeysParams, RetryPolicy,
};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ID: &str = "11111111-2222-3333-4444-555555555555";

fn client(base: &str) -> Client {
    Client::builder()
        .api_key("sk-or-v1-test")
        .base_url(base)
        .build()
        .expect("client builds")
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(4)
        .initial_interval(Duration::from_millis(20))
        .max_interval(Duration::from_millis(80))
        .exponent(2.0)
        .max_elapsed(Duration::from_secs(5))
}

fn credential(n: usize) -> Value {
    json!({
        "id": format!("00000000-0000-0000-0000-{n:012}"),
        "provider": "openai",
        "label": format!("sk-...{n:04}"),
        "name": null,
        "disabled": false,
        "is_fallback": false,
        "sort_order": n,
        "created_at": "2025-08-24T10:30:00Z",
        "workspace_id": "550e8400-e29b-41d4-a716-446655440000",
        "allowed_api_key_hashes": null,
        "allowed_models": null,
        "allowed_user_ids": null
    })
}

fn error_body(code: u16) -> Value {
    json!({"error": {"code": code, "message": "boom"}})
}

/// Answers from a script of responses (the last one repeats) and records arrival times.
#[derive(Clone)]
struct Script {
    responses: Arc<Vec<ResponseTemplate>>,
    seen: Arc<Mutex<Vec<Instant>>>,
}

impl Script {
    fn new(responses: Vec<ResponseTemplate>) -> Self {
        Script {
            responses: Arc::new(responses),
            seen: Arc::default(),
        }
    }
    fn times(&self) -> Vec<Instant> {
        self.seen.lock().expect("lock").clone()
    }
}

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut seen = self.seen.lock().expect("lock");
        seen.push(Instant::now());
        let i = (seen.len() - 1).min(self.responses.len() - 1);
        self.responses[i].clone()
    }
}

#[tokio::test]
async fn get_retries_500_twice_then_succeeds_within_backoff_bounds() {
    let server = MockServer::start().await;
    let script = Script::new(vec![
        ResponseTemplate::new(500).set_body_json(error_body(500)),
        ResponseTemplate::new(500).set_body_json(error_body(500)),
        ResponseTemplate::new(200).set_body_json(json!({"data": credential(1)})),
    ]);
    Mock::given(method("GET"))
        .and(path(format!("/byok/{ID}")))
        .respond_with(script.clone())
        .mount(&server)
        .await;

    let got = client(&server.uri())
        .byok()
        .get(ID)
        .retry_policy(fast_policy())
        .await
        .expect("third attempt succeeds");
    assert_eq!(got.data.label, "sk-...0001");
    let times = script.times();
    assert_eq!(times.len(), 3, "exactly three attempts");
    // Full jitter: attempt n waits at most min(max_interval, initial * exponent^(n-1)).
    let caps = [Duration::from_millis(20), Duration::from_millis(40)];
    for (gap, cap) in times.windows(2).map(|w| w[1] - w[0]).zip(caps) {
        assert!(
            gap <= cap + Duration::from_millis(150),
            "gap {gap:?} exceeds cap {cap:?} (+ slack)"
        );
    }
}

#[tokio::test]
async fn retry_after_one_second_is_honoured_on_429() {
    let server = MockServer::start().await;
    let script = Script::new(vec![
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "1")
            .set_body_json(error_body(429)),
        ResponseTemplate::new(200).set_body_json(json!({"data": [], "total_count": 0})),
    ]);
    Mock::given(method("GET"))
        .and(path("/keys"))
        .respond_with(script.clone())
        .mount(&server)
        .await;

    let policy = fast_policy().max_interval(Duration::from_secs(2));
    client(&server.uri())
        .api_keys()
        .list(Default::default())
        .retry_policy(policy)
        .await
        .expect("succeeds after waiting");
    let times = script.times();
    assert_eq!(times.len(), 2);
    let gap = times[1] - times[0];
    assert!(gap >= Duration::from_millis(950), "waited only {gap:?}");
    assert!(
        gap < Duration::from_millis(1900),
        "waited too long: {gap:?}"
    );
}

#[tokio::test]
async fn post_after_500_is_attempted_exactly_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/byok"))
        .respond_with(ResponseTemplate::new(500).set_body_json(error_body(500)))
        .expect(1)
        .mount(&server)
        .await;
    let body = CreateByokKeyRequest::new(ByokProviderSlug::Openai, "sk-proj-secret");
    let err = client(&server.uri())
        .byok()
        .create(body)
        .retry_policy(fast_policy())
        .await
        .expect_err("500");
    assert_eq!(err.attempts(), 1);
    assert!(
        matches!(err.api_body(), Some(ApiErrorBody::InternalServerError(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn post_is_retried_when_the_connection_is_refused() {
    // Bind then drop a listener: the port is closed, so every attempt is refused before
    // anything reaches a server, which is the one failure a POST may safely retry.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let body = CreateByokKeyRequest::new(ByokProviderSlug::Openai, "sk-proj-secret");
    let err = client(&format!("http://127.0.0.1:{port}"))
        .byok()
        .create(body)
        .retry_policy(fast_policy().max_attempts(3))
        .await
        .expect_err("nothing listens");
    assert!(err.is_connect(), "{err:?}");
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn max_attempts_returns_the_typed_500() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/byok/{ID}")))
        .respond_with(ResponseTemplate::new(500).set_body_json(error_body(500)))
        .expect(4)
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .byok()
        .delete(ID)
        .retry_policy(fast_policy())
        .await
        .expect_err("always 500");
    assert_eq!(err.attempts(), 4);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    match err.api_body() {
        Some(ApiErrorBody::InternalServerError(body)) => assert_eq!(body.error.message, "boom"),
        other => panic!("expected the typed 500 body, got {other:?}"),
    }
}

#[tokio::test]
async fn per_call_timeout_fires_as_a_typed_transport_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/key"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client(&server.uri())
        .api_keys()
        .get_current()
        .timeout(Duration::from_millis(100))
        .no_retries()
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// Serves `total` credentials by offset/limit and records the offsets asked for.
struct Pages {
    total: usize,
    fail_at_offset: Option<usize>,
    offsets: Arc<Mutex<Vec<usize>>>,
}

impl Respond for Pages {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let q = |k: &str| {
            req.url
                .query_pairs()
                .find(|(n, _)| n == k)
                .and_then(|(_, v)| v.parse::<usize>().ok())
        };
        let offset = q("offset").unwrap_or(0);
        let limit = q("limit").unwrap_or(50);
        self.offsets.lock().expect("lock").push(offset);
        if self.fail_at_offset == Some(offset) {
            return ResponseTemplate::new(500).set_body_json(error_body(500));
        }
        let data: Vec<Value> = (offset..self.total.min(offset + limit))
            .map(credential)
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"data": data, "total_count": self.total}))
    }
}

async fn paged(
    total: usize,
    fail_at_offset: Option<usize>,
) -> (MockServer, Arc<Mutex<Vec<usize>>>) {
    let server = MockServer::start().await;
    let offsets = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("GET"))
        .and(path("/byok"))
        .respond_with(Pages {
            total,
            fail_at_offset,
            offsets: offsets.clone(),
        })
        .mount(&server)
        .await;
    (server, offsets)
}

#[tokio::test]
async fn stream_walks_offsets_0_2_4_and_yields_all_five() {
    let (server, offsets) = paged(5, None).await;
    let c = client(&server.uri());
    let items: Vec<_> = c
        .byok()
        .list_stream(ListByokKeysParams::new().limit(2))
        .collect()
        .await;
    let items: Vec<_> = items
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("no errors");
    assert_eq!(items.len(), 5);
    assert_eq!(
        items.iter().map(|k| k.sort_order).collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4]
    );
    assert_eq!(*offsets.lock().expect("lock"), vec![0, 2, 4]);
}

#[tokio::test]
async fn error_on_page_two_comes_after_page_one_items() {
    let (server, offsets) = paged(5, Some(2)).await;
    let c = Client::builder()
        .api_key("sk-or-v1-test")
        .base_url(server.uri())
        .retry_policy(fast_policy())
        .build()
        .expect("client builds");
    let out: Vec<_> = c
        .byok()
        .list_stream(ListByokKeysParams::new().limit(2))
        .map(|r| {
            r.map(|k| k.sort_order)
                .map_err(|e| e.status().map(|s| s.as_u16()))
        })
        .collect()
        .await;
    // The 500 on page 2 is retried (GET is idempotent) until the policy gives up; the stream
    // then yields the error once and ends.
    assert_eq!(&out[..2], &[Ok(0), Ok(1)]);
    assert_eq!(out.len(), 3, "{out:?}");
    assert_eq!(out[2], Err(Some(500)));
    let offsets = offsets.lock().expect("lock").clone();
    assert_eq!(
        offsets,
        vec![0, 2, 2, 2, 2],
        "page 1 once, page 2 for each of 4 attempts"
    );
}

#[tokio::test]
async fn empty_first_page_yields_nothing() {
    let (server, offsets) = paged(0, None).await;
    let c = client(&server.uri());
    let items: Vec<_> = c
        .byok()
        .list_stream(ListByokKeysParams::new().limit(2))
        .collect()
        .await;
    assert!(items.is_empty());
    assert_eq!(*offsets.lock().expect("lock"), vec![0]);
}

#[tokio::test]
async fn pages_stream_yields_whole_pages() {
    let (server, _) = paged(5, None).await;
    let c = client(&server.uri());
    let sizes: Vec<usize> = c
        .byok()
        .list_pages(ListByokKeysParams::new().limit(2))
        .map(|p| p.expect("page").data.len())
        .collect()
        .await;
    assert_eq!(sizes, vec![2, 2, 1]);
}
