//! Request description produced by generated `prepare()` functions.

use std::borrow::Cow;

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
    /// Every method but POST (no blind retries; PATCH bodies here set values, they do not
    /// append).
    pub idempotent: bool,
    /// Operation-level `x-speakeasy-retries`, falling back to the spec-level one.
    pub retry: Option<&'static RetrySpec>,
    /// The credentials this operation accepts, in order, where its `security` differs from
    /// the document's (`None`: any the API accepts, [`ApiSpec::auth`](crate::client::ApiSpec)).
    /// An empty list: the operation is called without a credential.
    pub auth: Option<&'static [crate::client::Auth]>,
}

/// `OperationMeta::get(id, path)` and its siblings: one constructor per HTTP method, so a
/// generated operation's facts are one line (idempotent is every method but POST).
macro_rules! method_constructors {
    ($($name:ident => $method:ident, $idempotent:literal;)*) => {
        $(
            #[doc = concat!("A `", stringify!($method), "` operation with the document's retries and credentials.")]
            pub const fn $name(operation_id: &'static str, path_template: &'static str) -> Self {
                OperationMeta {
                    operation_id,
                    method: reqwest::Method::$method,
                    path_template,
                    idempotent: $idempotent,
                    retry: None,
                    auth: None,
                }
            }
        )*
    };
}

impl OperationMeta {
    method_constructors! {
        get => GET, true;
        put => PUT, true;
        post => POST, false;
        delete => DELETE, true;
        options => OPTIONS, true;
        head => HEAD, true;
        patch => PATCH, true;
        trace => TRACE, true;
    }

    /// The operation's own retry policy (`x-speakeasy-retries` on the operation).
    pub const fn with_retry(mut self, retry: &'static RetrySpec) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The credentials the operation accepts, where its `security` differs from the
    /// document's (an empty list: none).
    pub const fn with_auth(mut self, auth: &'static [crate::client::Auth]) -> Self {
        self.auth = Some(auth);
        self
    }
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
    /// In spec order, names and values already percent-encoded (see
    /// [`PreparedRequest::query`]).
    pub query: crate::params::QueryPairs,
    /// Header parameters from the spec (not auth).
    pub headers: Vec<(&'static str, String)>,
    /// Optional body.
    pub body: Option<Body>,
}

/// What generated `prepare` functions write: the request at its path, then one line per
/// query, header or cookie parameter in the document's order, then the body.
impl PreparedRequest {
    /// A request with only a path (no query, headers or body).
    #[inline]
    pub fn at(path: impl Into<String>) -> Self {
        PreparedRequest {
            path: path.into(),
            ..PreparedRequest::default()
        }
    }

    /// Adds a query parameter, written in its style and percent-encoded (`None` adds nothing).
    #[inline]
    pub fn query<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        style: crate::params::Style,
        value: &T,
    ) -> Result<(), ValidationError> {
        crate::params::query_param(&mut self.query, name, style, value)
    }

    /// Adds a header parameter, written in its style (`None` adds nothing).
    #[inline]
    pub fn header<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        style: crate::params::Style,
        value: &T,
    ) -> Result<(), ValidationError> {
        crate::params::header_param(&mut self.headers, name, style, value)
    }

    /// Adds a cookie parameter to the `cookie` header (`None` adds nothing).
    #[inline]
    pub fn cookie<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        style: crate::params::Style,
        value: &T,
    ) -> Result<(), ValidationError> {
        crate::params::cookie_param(&mut self.headers, name, style, value)
    }

    /// Sets the `Accept` header: the media type the document's success response has.
    #[inline]
    pub fn accept(&mut self, media_type: &'static str) {
        self.headers.push(("accept", media_type.to_owned()));
    }
}

/// Everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`): the API key
/// in the query.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Serialises a JSON body.
pub fn json_body<T: serde::Serialize>(value: &T) -> Result<Body, ValidationError> {
    // serde's message could quote data; keep it out of the error.
    serde_json::to_vec(value)
        .map(Body::Json)
        .map_err(|_| ValidationError::new("body", "could not be serialised as JSON"))
}

/// Joins the base URL (no trailing slash) with an encoded path and the encoded query, plus
/// the API key (encoded here) when the API takes it as a query parameter.
pub(crate) fn build_url(
    base: &str,
    path: &str,
    query: &[(Cow<'static, str>, String)],
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
        for (i, (k, v)) in query.iter().enumerate() {
            if i > 0 {
                url.push('&');
            }
            url.push_str(k);
            url.push('=');
            url.push_str(v);
        }
        if let Some((k, v)) = auth {
            if !query.is_empty() {
                url.push('&');
            }
            url.extend(utf8_percent_encode(k, COMPONENT));
            url.push('=');
            url.extend(utf8_percent_encode(v, COMPONENT));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_keeps_order_and_encodes_the_key() {
        let q = [
            ("z".into(), "a%20b".to_owned()),
            ("a".into(), "2".to_owned()),
        ];
        assert_eq!(
            build_url("http://h/api/v1", "/keys", &q, Some(("k y", "a&b"))),
            "http://h/api/v1/keys?z=a%20b&a=2&k%20y=a%26b"
        );
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
    fn json_bodies() {
        let Ok(Body::Json(b)) = json_body(&serde_json::json!({"a": 1})) else {
            panic!("a JSON body");
        };
        assert_eq!(b, br#"{"a":1}"#);
    }
}
