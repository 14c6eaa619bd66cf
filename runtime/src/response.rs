//! Raw responses and the helpers generated decoders are built from.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::error::{ApiError, DecodeError, Error, ErrorBody, UnexpectedStatusError};

/// A fully read HTTP response.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

/// Generated per operation: maps a status to a typed result or a typed error.
pub(crate) type Decoder<T, B> = fn(RawResponse) -> Result<T, Error<B>>;

/// Success body → `T`, or [`Error::Decode`] keeping status, headers, raw body and the serde error.
pub fn decode_json<T: serde::de::DeserializeOwned, B>(raw: RawResponse) -> Result<T, Error<B>> {
    match serde_json::from_slice(&raw.body) {
        Ok(v) => Ok(v),
        Err(e) => Err(Error::Decode(Box::new(DecodeError::new(
            raw.status,
            raw.headers,
            raw.body,
            e,
        )))),
    }
}

/// For 204 / empty-body successes: the body, if any, is ignored.
pub fn decode_empty<B>(raw: RawResponse) -> Result<(), Error<B>> {
    let _ = raw;
    Ok(())
}

/// Documented error status: parses the body into `E` and wraps it with `wrap`. A body that
/// does not parse still gives [`Error::Api`], with [`ErrorBody::unparsed`].
pub fn api_error<E: serde::de::DeserializeOwned, B: ErrorBody>(
    raw: RawResponse,
    wrap: fn(E) -> B,
) -> Error<B> {
    let body = match serde_json::from_slice::<E>(&raw.body) {
        Ok(e) => wrap(e),
        Err(_) => B::unparsed(),
    };
    Error::Api(Box::new(ApiError::new(
        raw.status,
        raw.headers,
        raw.body,
        body,
    )))
}

/// Undocumented status: [`Error::UnexpectedStatus`] keeping status, headers and raw body.
pub fn unexpected_status<B>(raw: RawResponse) -> Error<B> {
    Error::UnexpectedStatus(Box::new(UnexpectedStatusError::new(
        raw.status,
        raw.headers,
        raw.body,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TestBody as ApiErrorBody;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn raw(status: u16, body: &'static str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn decode_json_ok_and_err() {
        let v: serde_json::Value = decode_json::<_, ()>(raw(200, r#"{"a":1}"#)).unwrap();
        assert_eq!(v["a"], 1);
        let e = decode_json::<Vec<u8>, ()>(raw(200, "<html>oops</html>")).unwrap_err();
        assert!(matches!(e, Error::Decode(_)));
        assert_eq!(e.status(), Some(StatusCode::OK));
        assert_eq!(e.raw_body(), Some(&b"<html>oops</html>"[..]));
        // Success bodies may carry secrets: the message gives the size, never the text.
        assert!(!e.to_string().contains("oops"), "{e}");
        assert!(e.to_string().contains("17 bytes"), "{e}");
        assert!(decode_empty::<()>(raw(204, "")).is_ok());
    }

    static PARSED: AtomicUsize = AtomicUsize::new(0);

    /// Stands in for a generated variant constructor (only `Unparsed` is known here).
    fn wrap(_: serde_json::Value) -> ApiErrorBody {
        PARSED.fetch_add(1, Ordering::SeqCst);
        ApiErrorBody::Unparsed
    }

    #[test]
    fn api_error_parsed_and_unparsed() {
        let e = api_error(raw(404, r#"{"error":"nope"}"#), wrap);
        assert_eq!(PARSED.load(Ordering::SeqCst), 1);
        assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
        assert!(e.api_body().is_some());
        let e = api_error(raw(404, "not json"), wrap);
        assert_eq!(PARSED.load(Ordering::SeqCst), 1);
        assert!(matches!(e.api_body(), Some(ApiErrorBody::Unparsed)));
        assert_eq!(e.raw_body(), Some(&b"not json"[..]));
        assert!(
            e.to_string().contains("404") && e.to_string().contains("not json"),
            "{e}"
        );
    }

    #[test]
    fn unexpected_status_keeps_everything() {
        let e = unexpected_status::<()>(raw(503, "<html>Service Unavailable</html>"));
        assert_eq!(e.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(e.attempts(), 1);
        let msg = e.to_string();
        assert!(
            msg.contains("503") && msg.contains("Service Unavailable"),
            "{msg}"
        );
    }
}
