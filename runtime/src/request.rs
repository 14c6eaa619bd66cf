//! Request description produced by generated `prepare()` functions.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::retry::RetrySpec;
use super::validate::ValidationError;

/// Static facts about one operation.
#[derive(Debug)]
pub struct OperationMeta {
    /// `operationId` from the spec.
    pub operation_id: &'static str,
    /// HTTP method.
    pub method: reqwest::Method,
    /// Path template, e.g. `/byok/{id}` (used in logs instead of the concrete path).
    pub path_template: &'static str,
    /// GET/PUT/DELETE/PATCH; false for POST (no blind retries).
    pub idempotent: bool,
    /// Operation-level `x-speakeasy-retries`, falling back to the spec-level one.
    pub retry: Option<&'static RetrySpec>,
}

/// A request body.
#[non_exhaustive]
#[derive(Debug, Clone)]
pub enum Body {
    /// Serialised JSON (`Content-Type: application/json`).
    Json(Vec<u8>),
    /// Already encoded bytes with their content type (multipart forms, binary uploads).
    Raw {
        /// The `Content-Type` header value, e.g. `multipart/form-data; boundary=…`.
        content_type: String,
        /// The encoded body.
        bytes: Vec<u8>,
    },
}

impl Body {
    /// The `Content-Type` this body is sent with.
    pub fn content_type(&self) -> &str {
        match self {
            Body::Json(_) => "application/json",
            Body::Raw { content_type, .. } => content_type,
        }
    }

    /// The bytes to send.
    pub fn into_bytes(self) -> bytes::Bytes {
        match self {
            Body::Json(b) | Body::Raw { bytes: b, .. } => bytes::Bytes::from(b),
        }
    }
}

/// A binary request body sent as-is with `content_type`.
pub fn bytes_body(content_type: &str, bytes: impl Into<Vec<u8>>) -> Body {
    Body::Raw {
        content_type: content_type.to_owned(),
        bytes: bytes.into(),
    }
}

/// A request ready to be sent (minus auth, base URL and client-level headers).
#[derive(Debug, Clone, Default)]
pub struct PreparedRequest {
    /// Already percent-encoded, relative to the base URL, starts with '/'.
    pub path: String,
    /// In spec order; values not yet encoded. Arrays are repeated keys.
    pub query: Vec<(&'static str, String)>,
    /// Header parameters from the spec (not auth).
    pub headers: Vec<(&'static str, String)>,
    /// Optional body.
    pub body: Option<Body>,
}

/// Everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment: `"a/b c"` → `"a%2Fb%20c"`.
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// `name=value` for the `Cookie` header, the value percent-encoded where RFC 6265 does not
/// allow it bare.
pub fn cookie_pair(name: &str, value: String) -> String {
    const NOT_COOKIE_OCTET: &AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b',')
        .add(b';')
        .add(b'\\')
        .add(b'%');
    format!("{name}={}", utf8_percent_encode(&value, NOT_COOKIE_OCTET))
}

/// The text of a parameter value of any other type (a union, an object, free-form JSON):
/// a string as itself (an untagged union's string member is sent bare, not quoted),
/// numbers and booleans as written, `null` as nothing, anything else as compact JSON.
pub fn param_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Null) | Err(_) => String::new(),
        Ok(other) => other.to_string(),
    }
}

/// Serialises a JSON body.
pub fn json_body<T: serde::Serialize>(value: &T) -> Result<Body, ValidationError> {
    // serde's message could quote data; keep it out of the error.
    serde_json::to_vec(value)
        .map(Body::Json)
        .map_err(|_| ValidationError::new("body", "could not be serialised as JSON"))
}

/// `key=value&...` with both sides percent-encoded (space → `%20`), in the given order.
pub(crate) fn encode_query<'a>(query: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (i, (k, v)) in query.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(utf8_percent_encode(k, COMPONENT));
        out.push('=');
        out.extend(utf8_percent_encode(v, COMPONENT));
    }
    out
}

/// Joins the base URL (no trailing slash) with an encoded path and query, plus the API key
/// when the API takes it as a query parameter.
pub(crate) fn build_url(
    base: &str,
    path: &str,
    query: &[(&'static str, String)],
    auth: Option<(&str, &str)>,
) -> String {
    let mut url = String::with_capacity(base.len() + path.len() + 32);
    url.push_str(base);
    if !path.starts_with('/') {
        url.push('/');
    }
    url.push_str(path);
    if !query.is_empty() || auth.is_some() {
        url.push('?');
        let pairs = query.iter().map(|(k, v)| (*k, v.as_str()));
        url.push_str(&encode_query(pairs.chain(auth)));
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments() {
        assert_eq!(encode_path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_path_segment("A-z_0.9~"), "A-z_0.9~");
        assert_eq!(encode_path_segment("é?#%"), "%C3%A9%3F%23%25");
    }

    #[test]
    fn query_keeps_order_and_uses_percent_20() {
        let q = [
            ("z", "a b".to_owned()),
            ("a", "x&y=z+1".to_owned()),
            ("z", "2".to_owned()),
        ];
        let pairs = q.iter().map(|(k, v)| (*k, v.as_str()));
        assert_eq!(encode_query(pairs), "z=a%20b&a=x%26y%3Dz%2B1&z=2");
        assert_eq!(
            build_url("http://h/api/v1", "/keys", &q[..1], None),
            "http://h/api/v1/keys?z=a%20b"
        );
        assert_eq!(build_url("http://h", "/keys", &[], None), "http://h/keys");
        assert_eq!(
            build_url("http://h", "/keys", &[], Some(("key", "a b"))),
            "http://h/keys?key=a%20b"
        );
    }

    #[test]
    fn cookies() {
        assert_eq!(cookie_pair("session", "abc".into()), "session=abc");
        assert_eq!(cookie_pair("q", "a b;c".into()), "q=a%20b%3Bc");
    }

    #[test]
    fn parameter_texts() {
        assert_eq!(param_text(&serde_json::json!("acme")), "acme");
        assert_eq!(param_text(&serde_json::json!(1.5)), "1.5");
        assert_eq!(param_text(&serde_json::json!(true)), "true");
        assert_eq!(param_text(&serde_json::json!(null)), "");
        assert_eq!(param_text(&serde_json::json!({"a": [1]})), r#"{"a":[1]}"#);
    }

    #[test]
    fn json_bodies() {
        let Ok(Body::Json(b)) = json_body(&serde_json::json!({"a": 1})) else {
            panic!("a JSON body");
        };
        assert_eq!(b, br#"{"a":1}"#);
    }
}
