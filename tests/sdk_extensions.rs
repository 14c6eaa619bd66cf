//! The extension points through the generated `openrouter` API, on the wire (127.0.0.1):
//! response metadata, hooks, key providers, per-call headers; none of them leaks a secret.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use common::*;
use openrouter::{AttemptInfo, Client, Error, Hook, HookError, HookRequest, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answer_current_key(server: &MockServer, extra_header: (&str, &str)) {
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(extra_header.0, extra_header.1)
                .set_body_json(response_example("/key", "get", "200")),
        )
        .mount(server)
        .await;
}

#[tokio::test]
async fn with_response_exposes_status_headers_and_attempts() {
    let server = MockServer::start().await;
    answer_current_key(&server, ("x-ratelimit-remaining", "99")).await;
    let r = client(&server)
        .api_keys()
        .get_current()
        .with_response()
        .await
        .expect("current key");
    assert_eq!(r.status.as_u16(), 200);
    assert_eq!(r.headers["x-ratelimit-remaining"], "99");
    assert_eq!(r.attempts, 1);
    assert!(!format!("{r:?}").contains(API_KEY));
}

struct Log(Arc<Mutex<Vec<String>>>);

impl Hook for Log {
    fn name(&self) -> &str {
        "log"
    }
    fn before_request(&self, r: &mut HookRequest<'_>) -> Result<(), HookError> {
        self.0
            .lock()
            .unwrap()
            .push(format!("before {} {}", r.operation_id, r.method));
        r.headers.insert("x-hooked", "yes".parse()?);
        Ok(())
    }
    fn after_response(
        &self,
        a: &AttemptInfo<'_>,
        status: openrouter::http::StatusCode,
        _: &openrouter::http::HeaderMap,
    ) {
        self.0
            .lock()
            .unwrap()
            .push(format!("after {} {}", a.path_template, status.as_u16()));
    }
}

#[tokio::test]
async fn hooks_see_every_attempt_and_change_the_request() {
    let server = MockServer::start().await;
    answer_current_key(&server, ("x-a", "b")).await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}{BASE_PATH}", server.uri()))
        .hook(Log(log.clone()))
        .build()
        .unwrap();
    client.api_keys().get_current().await.expect("ok");
    assert_eq!(
        *log.lock().unwrap(),
        ["before getCurrentKey GET", "after /key 200"]
    );
    let req = single_request(&server).await;
    assert_eq!(header(&req, "x-hooked").as_deref(), Some("yes"));
}

#[tokio::test]
async fn key_provider_and_per_call_headers() {
    let server = MockServer::start().await;
    answer_current_key(&server, ("x-a", "b")).await;
    let n = Arc::new(AtomicU32::new(0));
    let counter = n.clone();
    let client = Client::builder()
        .base_url(format!("{}{BASE_PATH}", server.uri()))
        .api_key_provider(move || {
            let k = counter.fetch_add(1, Ordering::SeqCst);
            async move { Ok::<_, std::io::Error>(format!("sk-rotated-{k}")) }
        })
        .build()
        .unwrap();
    for _ in 0..2 {
        client
            .api_keys()
            .get_current()
            .header("x-request-tag", "nightly")
            .await
            .expect("ok");
    }
    let reqs = server.received_requests().await.unwrap();
    let auth: Vec<_> = reqs.iter().map(|r| header(r, "authorization")).collect();
    assert_eq!(
        auth,
        [
            Some("Bearer sk-rotated-0".to_owned()),
            Some("Bearer sk-rotated-1".to_owned())
        ]
    );
    assert!(
        reqs.iter()
            .all(|r| header(r, "x-request-tag").as_deref() == Some("nightly"))
    );

    let err = client
        .api_keys()
        .get_current()
        .header("bad header", "x")
        .no_retries()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(!format!("{client:?}").contains("rotated"));
    let _ = RetryPolicy::none();
}
