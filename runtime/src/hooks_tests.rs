//! Hooks, key providers and response metadata, on the wire (wiremock on 127.0.0.1).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use wiremock::matchers::{any, header, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::test_support::{
    Client, Error, GET, KEY, POST, closed_port, decode_value, get, post, tiny_policy,
};
use super::{AttemptInfo, Call, Hook, HookError, HookRequest};

/// Records every call into a shared log.
struct Recorder {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
}

impl Hook for Recorder {
    fn name(&self) -> &str {
        self.name
    }
    fn before_request(&self, r: &mut HookRequest<'_>) -> Result<(), HookError> {
        let seen_key = r
            .headers
            .get("authorization")
            .is_some_and(|v| v.is_sensitive());
        self.log.lock().unwrap().push(format!(
            "{} before {} #{} sensitive={seen_key}",
            self.name, r.operation_id, r.attempt
        ));
        r.headers
            .append("x-trace", HeaderValue::from_static(self.name));
        if self.name == "first" {
            r.url.push_str("&signed=1");
        }
        Ok(())
    }
    fn after_response(&self, a: &AttemptInfo<'_>, status: StatusCode, h: &HeaderMap) {
        let rl = h.get("x-ratelimit-remaining").is_some();
        self.log.lock().unwrap().push(format!(
            "{} after #{} {} ratelimit={rl}",
            self.name,
            a.attempt,
            status.as_u16()
        ));
    }
    fn on_error(&self, a: &AttemptInfo<'_>, e: &(dyn std::error::Error + 'static)) {
        let text = e.to_string();
        self.log.lock().unwrap().push(format!(
            "{} error #{} key-in-message={}",
            self.name,
            a.attempt,
            text.contains(KEY)
        ));
    }
}

fn recorded(log: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    log.lock().unwrap().clone()
}

fn client_with(
    server_uri: &str,
    build: impl FnOnce(super::ClientBuilder<Client>) -> super::ClientBuilder<Client>,
) -> Client {
    build(
        Client::builder()
            .base_url(format!("{server_uri}/api/v1"))
            .retry_policy(tiny_policy()),
    )
    .build()
    .expect("client")
}

#[tokio::test]
async fn hooks_run_in_order_once_per_attempt_and_can_rewrite_the_request() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-remaining", "41")
                .set_body_string("{}"),
        )
        .mount(&server)
        .await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let client = client_with(&server.uri(), |b| {
        b.api_key(KEY)
            .hook(Recorder {
                name: "first",
                log: log.clone(),
            })
            .hook(Recorder {
                name: "second",
                log: log.clone(),
            })
    });
    let mut request = get("/things/1");
    request.query.push(("a".into(), "b".into()));
    Call::new(&client, &GET, Ok(request), decode_value)
        .await
        .unwrap();
    assert_eq!(
        recorded(&log),
        [
            "first before getThing #1 sensitive=true",
            "second before getThing #1 sensitive=true",
            "first after #1 503 ratelimit=false",
            "second after #1 503 ratelimit=false",
            "first before getThing #2 sensitive=true",
            "second before getThing #2 sensitive=true",
            "first after #2 200 ratelimit=true",
            "second after #2 200 ratelimit=true",
        ]
    );
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    let trace: Vec<_> = reqs[1].headers.get_all("x-trace").iter().collect();
    assert_eq!(trace, ["first", "second"]);
    assert_eq!(reqs[1].url.query(), Some("a=b&signed=1"));
}

#[tokio::test]
async fn on_error_sees_transport_failures_without_secrets() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let client = client_with(&format!("http://127.0.0.1:{}", closed_port()), |b| {
        b.api_key(KEY).hook(Recorder {
            name: "only",
            log: log.clone(),
        })
    });
    let e = Call::new(&client, &GET, Ok(get("/x")), decode_value)
        .await
        .unwrap_err();
    assert!(e.is_connect(), "{e}");
    let log = recorded(&log);
    assert_eq!(
        log.iter().filter(|l| l.contains("error #")).count(),
        3,
        "{log:?}"
    );
    assert!(
        log.iter().all(|l| !l.contains("key-in-message=true")),
        "{log:?}"
    );
}

struct Fails;
impl Hook for Fails {
    fn name(&self) -> &str {
        "signer"
    }
    fn before_request(&self, r: &mut HookRequest<'_>) -> Result<(), HookError> {
        let auth = r.headers["authorization"].to_str().unwrap_or_default();
        Err(HookError(format!("cannot sign a request with `{auth}`")))
    }
}

struct Panics;
impl Hook for Panics {
    fn after_response(&self, _: &AttemptInfo<'_>, _: StatusCode, _: &HeaderMap) {
        panic!("boom with Bearer {KEY}");
    }
}

#[tokio::test]
async fn failing_and_panicking_hooks_fail_the_call_without_leaking_the_key() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = client_with(&server.uri(), |b| b.api_key(KEY).hook(Fails));
    let e = Call::new(
        &client,
        &POST,
        Ok(post("/things", serde_json::json!({}))),
        decode_value,
    )
    .await
    .unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(matches!(e, Error::Hook(_)), "{text}");
    assert!(
        text.contains("signer") && text.contains("[redacted]"),
        "{text}"
    );
    assert!(!text.contains(KEY), "{text}");
    assert!(server.received_requests().await.unwrap().is_empty());

    let client = client_with(&server.uri(), |b| b.api_key(KEY).hook(Panics));
    let e = Call::new(&client, &GET, Ok(get("/x")), decode_value)
        .await
        .unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(
        matches!(e, Error::Hook(_)) && text.contains("panicked"),
        "{text}"
    );
    assert!(!text.contains(KEY), "{text}");
}

#[tokio::test]
async fn key_provider_is_asked_per_attempt() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer rotated-1"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"n":1}"#))
        .mount(&server)
        .await;
    Mock::given(header("authorization", "Bearer rotated-2"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"n":2}"#))
        .mount(&server)
        .await;
    let n = Arc::new(AtomicU32::new(0));
    let counter = n.clone();
    let client = client_with(&server.uri(), move |b| {
        b.api_key_provider(move || {
            let k = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                if k > 2 {
                    Err(format!("store locked (last key rotated-{})", k - 1))
                } else {
                    Ok(format!("rotated-{k}"))
                }
            }
        })
    });
    for want in [1, 2] {
        let v = Call::new(&client, &GET, Ok(get("/x")), decode_value)
            .await
            .unwrap();
        assert_eq!(v["n"], want);
    }
    let e = Call::new(&client, &GET, Ok(get("/x")), decode_value)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(!format!("{client:?}").contains("rotated"));
}

#[tokio::test]
async fn with_response_returns_status_headers_and_attempts() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-request-id", "req-7")
                .insert_header("set-cookie", "session=topsecret")
                .set_body_string(r#"{"ok":true}"#),
        )
        .mount(&server)
        .await;
    let client = client_with(&server.uri(), |b| b.api_key(KEY));
    let mut request = get("/x");
    request.query.push(("page".into(), "2".into()));
    let r = Call::new(&client, &GET, Ok(request), decode_value)
        .with_response()
        .await
        .unwrap();
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.headers["x-request-id"], "req-7");
    assert_eq!(r.attempts, 2);
    assert_eq!(r.value["ok"], true);
    let shown = format!("{r:?}");
    assert!(
        shown.contains("req-7") && !shown.contains("topsecret"),
        "{shown}"
    );
    assert_eq!(r.into_value()["ok"], true);
}
