//! Typed mocks for the tests of code that calls a generated crate (feature `mock`), built on
//! `wiremock`: a server on 127.0.0.1 that answers each operation the way the test says, and
//! records what it received, decoded into the operation's request types.
//!
//! Generated crates add one method per operation (`mock.byok().create()`) returning an
//! [`Endpoint`] typed with the operation's request body and success response.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, ResponseTemplate};

/// A mock server on 127.0.0.1; it stops when dropped.
pub struct MockServer {
    server: wiremock::MockServer,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.server.uri())
            .finish()
    }
}

impl MockServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        MockServer {
            server: wiremock::MockServer::start().await,
        }
    }

    /// The base URL to give the client (`ClientBuilder::base_url`).
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// The operation `method path_template` (e.g. `GET /byok/{id}`) answered with
    /// `success` by default. Generated per-operation methods call this.
    #[doc(hidden)]
    pub fn endpoint<Req, Resp>(
        &self,
        http_method: &'static str,
        path_template: &'static str,
        success: u16,
    ) -> Endpoint<'_, Req, Resp> {
        Endpoint {
            server: self,
            method: http_method,
            path: path_pattern(path_template),
            success,
            delay: None,
            times: None,
            types: PhantomData,
        }
    }
}

/// `/byok/{id}` → `^/byok/[^/]+$`, literal parts escaped.
fn path_pattern(template: &str) -> String {
    let mut out = String::from("^");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&escape(&rest[..open]));
        match rest[open..].find('}') {
            Some(close) => {
                out.push_str("[^/]+");
                rest = &rest[open + close + 1..];
            }
            None => {
                out.push_str(&escape(&rest[open..]));
                rest = "";
            }
        }
    }
    out.push_str(&escape(rest));
    out.push('$');
    out
}

fn escape(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    for c in literal.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One operation of the mock: say what it answers, then what it received.
#[must_use = "an endpoint answers nothing until one of its `respond…` methods is awaited"]
pub struct Endpoint<'m, Req, Resp> {
    server: &'m MockServer,
    method: &'static str,
    path: String,
    success: u16,
    delay: Option<Duration>,
    times: Option<u64>,
    types: PhantomData<fn(Req) -> Resp>,
}

impl<Req, Resp> fmt::Debug for Endpoint<'_, Req, Resp> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("success", &self.success)
            .finish_non_exhaustive()
    }
}

impl<'m, Req: DeserializeOwned, Resp: Serialize> Endpoint<'m, Req, Resp> {
    /// Waits this long before answering (to test timeouts).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers only the next `n` matching requests; later ones fall through to answers
    /// mounted after this one (for sequences such as 503 then 200).
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Answers with the operation's success status and `value` as JSON.
    pub async fn respond(self, value: &Resp) -> Mocked<'m, Req> {
        let status = self.success;
        self.respond_json(status, value).await
    }

    /// Answers with `status` and `body` as JSON, typically a documented error body.
    pub async fn respond_with<E: Serialize>(self, status: u16, body: &E) -> Mocked<'m, Req> {
        self.respond_json(status, body).await
    }

    /// Answers with `status` and no body.
    pub async fn respond_status(self, status: u16) -> Mocked<'m, Req> {
        let template = ResponseTemplate::new(status);
        self.mount(template).await
    }

    async fn respond_json<V: Serialize + ?Sized>(self, status: u16, value: &V) -> Mocked<'m, Req> {
        let body = serde_json::to_vec(value).unwrap_or_default();
        let template = ResponseTemplate::new(status).set_body_raw(body, "application/json");
        self.mount(template).await
    }

    async fn mount(self, mut template: ResponseTemplate) -> Mocked<'m, Req> {
        if let Some(d) = self.delay {
            template = template.set_delay(d);
        }
        let mut mock = Mock::given(method(self.method))
            .and(path_regex(self.path.clone()))
            .respond_with(template);
        if let Some(n) = self.times {
            mock = mock.up_to_n_times(n);
        }
        mock.mount(&self.server.server).await;
        Mocked {
            server: self.server,
            method: self.method,
            path: self.path,
            types: PhantomData,
        }
    }
}

/// A mounted answer: ask it what the operation received.
pub struct Mocked<'m, Req> {
    server: &'m MockServer,
    method: &'static str,
    path: String,
    types: PhantomData<fn() -> Req>,
}

impl<Req> fmt::Debug for Mocked<'_, Req> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mocked")
            .field("method", &self.method)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl<Req: DeserializeOwned> Mocked<'_, Req> {
    /// Every request this operation received so far, in order.
    pub async fn received(&self) -> Vec<Received<Req>> {
        let pattern = regex_lite::Regex::new(&self.path).ok();
        let requests = self
            .server
            .server
            .received_requests()
            .await
            .unwrap_or_default();
        requests
            .into_iter()
            .filter(|r| r.method.as_str() == self.method)
            .filter(|r| pattern.as_ref().is_some_and(|p| p.is_match(r.url.path())))
            .map(|r| Received {
                body: serde_json::from_slice(&r.body).ok(),
                query: r
                    .url
                    .query_pairs()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect(),
                path: r.url.path().to_owned(),
                raw_query: r.url.query().map(str::to_owned),
                headers: r
                    .headers
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
                    .collect(),
                raw_body: r.body,
            })
            .collect()
    }
}

/// Header names whose values `Received`'s `Debug` hides.
const HIDDEN: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
];

/// One request the mock received.
#[non_exhaustive]
pub struct Received<Req> {
    /// The body decoded into the operation's request type (`None` when absent or not JSON).
    pub body: Option<Req>,
    /// Query parameters in order, decoded.
    pub query: Vec<(String, String)>,
    /// The path, still percent-encoded.
    pub path: String,
    /// The query string as sent (still percent-encoded), `None` without a `?`.
    pub raw_query: Option<String>,
    /// Headers, lower-case names. The credential is here: `Debug` hides it.
    pub headers: Vec<(String, String)>,
    /// The body as sent.
    pub raw_body: Vec<u8>,
}

impl<Req> Received<Req> {
    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query parameters decoded into `T` (a repeated key becomes a list; numbers and
    /// booleans are read as such when `T` asks for them).
    pub fn query_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        let mut map = serde_json::Map::new();
        for (k, v) in &self.query {
            let value = serde_json::from_str::<serde_json::Value>(v)
                .ok()
                .filter(|v| v.is_number() || v.is_boolean())
                .unwrap_or_else(|| serde_json::Value::String(v.clone()));
            match map.get_mut(k) {
                Some(serde_json::Value::Array(items)) => items.push(value),
                Some(first) => *first = serde_json::Value::Array(vec![first.take(), value]),
                None => {
                    map.insert(k.clone(), value);
                }
            }
        }
        serde_json::from_value(serde_json::Value::Object(map))
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl<Req: fmt::Debug> fmt::Debug for Received<Req> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if HIDDEN.contains(&k.as_str()) {
                    "[redacted]"
                } else {
                    v.as_str()
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("Received")
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::{Client, Error, POST, client_at, decode_value, post};
    use crate::{Call, RetryPolicy};

    #[tokio::test]
    async fn answers_and_records_typed_requests() {
        let mock = MockServer::start().await;
        let things = mock
            .endpoint::<serde_json::Value, serde_json::Value>("POST", "/api/v1/things", 201)
            .respond(&serde_json::json!({"id": 7}))
            .await;
        let client: Client = client_at(&mock.base_url());
        let v = Call::new(
            &client,
            &POST,
            Ok(post("/things", serde_json::json!({"a": 1}))),
            decode_value,
        )
        .await
        .unwrap();
        assert_eq!(v["id"], 7);
        let got = things.received().await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].body, Some(serde_json::json!({"a": 1})));
        assert_eq!(got[0].path, "/api/v1/things");
        assert!(!format!("{got:?} {mock:?}").contains("topsecret"));
    }

    #[tokio::test]
    async fn errors_and_delays() {
        let mock = MockServer::start().await;
        mock.endpoint::<(), ()>("POST", "/api/v1/things", 201)
            .times(1)
            .respond_with(404, &serde_json::json!({"error": "nope"}))
            .await;
        mock.endpoint::<(), ()>("POST", "/api/v1/things", 201)
            .delay(Duration::from_secs(5))
            .respond_status(201)
            .await;
        let client: Client = client_at(&mock.base_url());
        let call = || {
            Call::new(
                &client,
                &POST,
                Ok(post("/things", serde_json::json!({}))),
                decode_value,
            )
        };
        let e = call().await.unwrap_err();
        assert!(matches!(e, Error::Api(_)), "{e}");
        let e = call()
            .timeout(Duration::from_millis(50))
            .retry_policy(RetryPolicy::none())
            .await
            .unwrap_err();
        assert!(e.is_timeout(), "{e}");
    }

    #[test]
    fn path_patterns() {
        assert_eq!(path_pattern("/byok/{id}"), "^/byok/[^/]+$");
        assert_eq!(path_pattern("/api/v1/things"), "^/api/v1/things$");
        assert_eq!(path_pattern("/a.b/{x}/c"), "^/a\\.b/[^/]+/c$");
        assert_eq!(path_pattern("/k"), "^/k$");
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Q {
        limit: i64,
        tag: Vec<String>,
        name: String,
    }

    #[test]
    fn typed_query() {
        let r = Received::<()> {
            body: None,
            query: vec![
                ("limit".into(), "5".into()),
                ("tag".into(), "a".into()),
                ("tag".into(), "b".into()),
                ("name".into(), "x y".into()),
            ],
            path: "/".into(),
            raw_query: None,
            headers: vec![("authorization".into(), "Bearer sk-topsecret".into())],
            raw_body: Vec::new(),
        };
        let q: Q = r.query_as().unwrap();
        assert_eq!(q.limit, 5);
        assert_eq!(q.tag, ["a", "b"]);
        assert_eq!(r.query_param("name"), Some("x y"));
        assert!(!format!("{r:?}").contains("topsecret"));
    }
}
