//! HTTP-level tests of `Call` against wiremock on 127.0.0.1.

use std::time::{Duration, Instant};

use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::__private::{GlobalHeaderTarget, PreparedRequest};
use super::test_support::{
    Client, Error, GET, KEY, POST, client_at, client_for, closed_port, decode_value, get, post,
    tiny_policy,
};
use super::{Call, RetryPolicy, Secret, TransportKind, ValidationError};

fn header<'a>(req: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).map(|v| v.to_str().unwrap())
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn sends_standard_headers_and_no_content_type_without_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/things/1"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"ok":true}"#))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let v = Call::new(&client, &GET, Ok(get("/things/1")), decode_value)
        .await
        .unwrap();
    assert_eq!(v["ok"], true);
    let reqs = requests(&server).await;
    let r = &reqs[0];
    assert_eq!(
        header(r, "authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(header(r, "accept"), Some("application/json"));
    assert_eq!(
        header(r, "user-agent"),
        Some(super::test_support::SPEC.user_agent)
    );
    for absent in ["content-type", "http-referer", "x-app-title"] {
        assert_eq!(header(r, absent), None, "{absent}");
    }
}

#[tokio::test]
async fn body_attribution_headers_and_per_call_override() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .global_header(
            "http_referer",
            "http-referer",
            "https://client.example".into(),
        )
        .global_header("app_title", "x-app-title", "client title".into())
        .user_agent("custom-ua/1")
        .build()
        .unwrap();
    let body = serde_json::json!({"name": "x"});
    Call::new(
        &client,
        &POST,
        Ok(post("/things", body.clone())),
        decode_value,
    )
    .await
    .unwrap();
    Call::new(
        &client,
        &POST,
        Ok(post("/things", body.clone())),
        decode_value,
    )
    .global_header(
        "http_referer",
        "http-referer",
        "https://call.example".into(),
    )
    .global_header("app_title", "x-app-title", "call title".into())
    .header("x-extra", "1")
    .header("x-extra", "2")
    .await
    .unwrap();
    let reqs = requests(&server).await;
    let (a, b) = (&reqs[0], &reqs[1]);
    assert_eq!(header(a, "content-type"), Some("application/json"));
    assert_eq!(a.body_json::<serde_json::Value>().unwrap(), body);
    assert_eq!(header(a, "user-agent"), Some("custom-ua/1"));
    assert_eq!(header(a, "http-referer"), Some("https://client.example"));
    assert_eq!(header(a, "x-app-title"), Some("client title"));
    assert!(header(a, "x-extra").is_none());
    assert_eq!(header(b, "http-referer"), Some("https://call.example"));
    assert_eq!(header(b, "x-app-title"), Some("call title"));
    let extra: Vec<_> = b.headers.get_all("x-extra").iter().collect();
    assert_eq!(extra, ["1", "2"]);
}

#[tokio::test]
async fn query_is_percent_encoded_in_order_and_spec_headers_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let request = PreparedRequest {
        path: "/things/a%2Fb".into(),
        query: {
            let mut q = Vec::new();
            crate::params::query_param(&mut q, "q", crate::params::Style::form(true), "a b&c")
                .unwrap();
            q.push(("limit".into(), "2".into()));
            crate::params::query_param(&mut q, "q", crate::params::Style::form(true), "é").unwrap();
            q
        },
        headers: vec![("X-Trace", "t1".into())],
        body: None,
    };
    Call::new(&client, &GET, Ok(request), decode_value)
        .await
        .unwrap();
    let r = &requests(&server).await[0];
    assert_eq!(r.url.path(), "/api/v1/things/a%2Fb");
    assert_eq!(r.url.query(), Some("q=a%20b%26c&limit=2&q=%C3%A9"));
    assert_eq!(header(r, "x-trace"), Some("t1"));
}

#[tokio::test]
async fn validation_error_sends_nothing() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let err = ValidationError::new("body.name", "must be at least 1 characters long (got 0)");
    let e = Call::new(&client, &POST, Err(err.into()), decode_value)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidRequest(ref v) if v.field() == "body.name"),
        "{e}"
    );
    assert_eq!(e.attempts(), 0);
    // Invalid per-call header value: also nothing sent.
    let e = Call::new(&client, &GET, Ok(get("/x")), decode_value)
        .global_header("app_title", "x-app-title", "a\nb".into())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e}");
    for (name, value) in [("bad name", "v"), ("x-ok", "bad\nvalue-topsecret")] {
        let e = Call::new(&client, &GET, Ok(get("/x")), decode_value)
            .header(name, value)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)), "{e}");
        assert!(!e.to_string().contains("topsecret"), "{e}");
    }
    assert!(requests(&server).await.is_empty());
}

async fn mount_sequence(server: &MockServer, statuses: &[u16]) {
    for s in statuses {
        Mock::given(any())
            .respond_with(ResponseTemplate::new(*s).set_body_string(r#"{"status":"x"}"#))
            .up_to_n_times(1)
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn retries_500_500_then_succeeds() {
    let server = MockServer::start().await;
    mount_sequence(&server, &[500, 500, 200]).await;
    let client = client_for(&server);
    let v = Call::new(&client, &GET, Ok(get("/x")), decode_value)
        .retry_policy(tiny_policy())
        .await
        .unwrap();
    assert_eq!(v["status"], "x");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn last_error_reports_attempts() {
    let server = MockServer::start().await;
    mount_sequence(&server, &[500, 502, 503, 200]).await;
    let client = client_for(&server);
    let e = Call::new(&client, &GET, Ok(get("/x")), decode_value)
        .retry_policy(tiny_policy())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::UnexpectedStatus(_)), "{e}");
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(e.attempts(), 3);
    assert!(e.to_string().contains("after 3 attempts"), "{e}");
    // Non-retryable documented error: one attempt.
    let server = MockServer::start().await;
    mount_sequence(&server, &[404]).await;
    let client = client_for(&server);
    let e = Call::new(&client, &GET, Ok(get("/x")), decode_value)
        .retry_policy(tiny_policy())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Api(_)) && e.attempts() == 1, "{e}");
}

#[tokio::test]
async fn post_after_500_is_attempted_once_unless_opted_in() {
    let server = MockServer::start().await;
    mount_sequence(&server, &[500, 500, 200]).await;
    let client = client_for(&server);
    let body = serde_json::json!({});
    let e = Call::new(
        &client,
        &POST,
        Ok(post("/things", body.clone())),
        decode_value,
    )
    .retry_policy(tiny_policy())
    .await
    .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(e.attempts(), 1);
    assert_eq!(requests(&server).await.len(), 1);
    // Opted in: the remaining 500 then the 200.
    Call::new(&client, &POST, Ok(post("/things", body)), decode_value)
        .retry_policy(tiny_policy())
        .allow_post_retries(true)
        .await
        .unwrap();
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn connection_refused_post_is_retried() {
    let client = client_at(&format!("http://127.0.0.1:{}", closed_port()));
    let e = Call::new(
        &client,
        &POST,
        Ok(post("/things", serde_json::json!({}))),
        decode_value,
    )
    .retry_policy(tiny_policy())
    .await
    .unwrap_err();
    assert!(e.is_connect(), "{e:?}");
    assert!(matches!(
        e,
        Error::Transport {
            kind: TransportKind::Connect,
            ..
        }
    ));
    assert_eq!(e.attempts(), 3);
    assert!(e.status().is_none() && e.raw_body().is_none());
}

#[tokio::test]
async fn per_call_timeout_fires() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("{}")
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let started = Instant::now();
    let e = Call::new(&client, &GET, Ok(get("/slow")), decode_value)
        .timeout(Duration::from_millis(200))
        .no_retries()
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
    assert_eq!(e.attempts(), 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn client_timeout_is_retried_for_get_but_not_post() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("{}")
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(100))
        .retry_policy(tiny_policy())
        .build()
        .unwrap();
    let e = Call::new(&client, &GET, Ok(get("/slow")), decode_value)
        .await
        .unwrap_err();
    assert!(e.is_timeout() && e.attempts() == 3, "{e:?}");
    let e = Call::new(
        &client,
        &POST,
        Ok(post("/slow", serde_json::json!({}))),
        decode_value,
    )
    .await
    .unwrap_err();
    assert!(e.is_timeout() && e.attempts() == 1, "{e:?}");
}

#[tokio::test]
async fn retry_after_on_429_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_sequence(&server, &[200]).await;
    let client = client_for(&server);
    let started = Instant::now();
    // Backoff alone would sleep ≤ 5 ms; the header asks for 1 s (max_interval raised to allow it).
    Call::new(&client, &GET, Ok(get("/x")), decode_value)
        .retry_policy(
            tiny_policy()
                .max_interval(Duration::from_secs(5))
                .initial_interval(Duration::ZERO),
        )
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn decode_error_keeps_status_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>not json</html>"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let e = Call::new(&client, &GET, Ok(get("/x")), decode_value)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Decode(_)), "{e}");
    assert_eq!(e.raw_body(), Some(&b"<html>not json</html>"[..]));
    assert!(e.headers().and_then(|h| h.get("content-type")).is_some());
}

/// Every variant's Display and Debug, plus Secret and Client: the key never shows.
#[tokio::test]
async fn redaction_everywhere() {
    let secret = Secret::new(KEY);
    assert_eq!(format!("{secret} {secret:?}"), "[redacted] [redacted]");
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/api"))
        .respond_with(ResponseTemplate::new(404).set_body_string(r#"{"error":{"code":404}}"#))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/unexpected"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>down</html>"))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/decode"))
        .respond_with(ResponseTemplate::new(200).set_body_string("nope"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let refused = client_at(&format!("http://127.0.0.1:{}", closed_port()));
    let run = |c: &Client, p: &str| {
        let c = c.clone();
        let p = p.to_owned();
        async move {
            Call::new(&c, &GET, Ok(get(&p)), decode_value)
                .no_retries()
                .await
                .unwrap_err()
        }
    };
    let errors = vec![
        Error::from(ValidationError::new(
            "body.key",
            "must be at most 3 characters long",
        )),
        run(&refused, "/transport").await,
        run(&client, "/api").await,
        run(&client, "/unexpected").await,
        run(&client, "/decode").await,
        Client::builder()
            .api_key(format!("{KEY}\n"))
            .build()
            .unwrap_err(),
    ];
    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::InvalidRequest(_) => "invalid",
            Error::Transport { .. } => "transport",
            Error::Api(_) => "api",
            Error::UnexpectedStatus(_) => "unexpected",
            Error::Decode(_) => "decode",
            Error::Config(_) => "config",
            Error::Hook(_) => "hook",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "invalid",
            "transport",
            "api",
            "unexpected",
            "decode",
            "config"
        ]
    );
    for e in &errors {
        for text in [
            e.to_string(),
            format!("{e:?}"),
            format!("{:?}", std::error::Error::source(e)),
        ] {
            assert!(!text.contains("topsecret"), "{text}");
            assert!(!text.to_ascii_lowercase().contains("bearer"), "{text}");
        }
    }
    assert!(errors[2].to_string().contains("404"), "{}", errors[2]);
    assert!(
        errors[3].to_string().contains("<html>down</html>"),
        "{}",
        errors[3]
    );
    let debug = format!("{client:?}");
    assert!(
        debug.contains("[redacted]") && !debug.contains("topsecret"),
        "{debug}"
    );
}

#[tokio::test]
async fn client_level_none_policy_disables_retries() {
    // Without it the generated DEFAULT_RETRY (5XX) would retry this 500.
    let server = MockServer::start().await;
    mount_sequence(&server, &[500, 200]).await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = Call::new(&client, &GET, Ok(get("/x")), decode_value)
        .await
        .unwrap_err();
    assert_eq!(e.attempts(), 1);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn cookie_parameters_travel_in_one_header() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let mut request = get("/x");
    request.headers = vec![
        ("cookie", "session_id=abc".to_owned()),
        ("x-other", "1".to_owned()),
        ("cookie", "theme=dark".to_owned()),
    ];
    Call::new(&client, &GET, Ok(request), decode_value)
        .await
        .unwrap();
    let reqs = requests(&server).await;
    let cookies: Vec<_> = reqs[0].headers.get_all("cookie").iter().collect();
    assert_eq!(cookies, ["session_id=abc; theme=dark"]);
    assert_eq!(header(&reqs[0], "x-other"), Some("1"));
}
