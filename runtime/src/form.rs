//! `application/x-www-form-urlencoded` bodies: one generic encoder for every body type. The
//! value is serialised to JSON with serde and each top-level property is flattened by the
//! style its `encoding` declares, so generated code only passes the styles.

use super::request::Body;
use super::validate::ValidationError;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

/// How one property is written (OpenAPI `encoding.style` + `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// `form`, exploded (the default): `tag=a&tag=b`; an object's pairs go top level (`k=v`).
    Form,
    /// `form` with `explode: false`: `tag=a,b`; an object as `obj=k,v,k2,v2`.
    FormComma,
    /// `spaceDelimited`: `tag=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited`: `tag=a|b`.
    PipeDelimited,
    /// `deepObject`: `meta[key]=value`, arrays of scalars as `expand[]=a&expand[]=b`, nested
    /// arrays of objects indexed (`items[0][price]=p`), as Stripe-like APIs read them.
    DeepObject,
}

/// Everything but the RFC 3986 unreserved characters is percent-encoded.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, VALUE).to_string()
}

/// A scalar's text; `None` for null. Nested arrays/objects where a style has no syntax for
/// them fall back to compact JSON.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_) => {
            Some(v.to_string())
        }
    }
}

/// `key=value` pairs (already encoded) for `value` under the bracketed key `prefix`.
fn deep(prefix: &str, value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                deep(&format!("{prefix}[{}]", enc(k)), v, out);
            }
        }
        Value::Array(items) => {
            let nested = items
                .iter()
                .any(|i| matches!(i, Value::Array(_) | Value::Object(_)));
            for (i, item) in items.iter().enumerate() {
                let key = if nested {
                    format!("{prefix}[{i}]")
                } else {
                    format!("{prefix}[]")
                };
                deep(&key, item, out);
            }
        }
        scalar => out.extend(text(scalar).map(|t| format!("{prefix}={}", enc(&t)))),
    }
}

/// The `name=value` pairs of one top-level property.
fn property(name: &str, value: &Value, style: FormStyle, out: &mut Vec<String>) {
    let key = enc(name);
    let joined = |sep: &str, parts: Vec<String>| format!("{key}={}", parts.join(sep));
    match (style, value) {
        (_, Value::Null) => {}
        (FormStyle::DeepObject, v) => deep(&key, v, out),
        (FormStyle::Form, Value::Array(items)) => out.extend(
            items
                .iter()
                .filter_map(text)
                .map(|t| format!("{key}={}", enc(&t))),
        ),
        (FormStyle::Form, Value::Object(map)) => out.extend(
            map.iter()
                .filter_map(|(k, v)| Some(format!("{}={}", enc(k), enc(&text(v)?)))),
        ),
        (FormStyle::FormComma, Value::Object(map)) => {
            let parts = map
                .iter()
                .filter_map(|(k, v)| Some(format!("{},{}", enc(k), enc(&text(v)?))))
                .collect();
            out.push(joined(",", parts));
        }
        (
            FormStyle::FormComma | FormStyle::SpaceDelimited | FormStyle::PipeDelimited,
            Value::Array(items),
        ) => {
            let sep = match style {
                FormStyle::SpaceDelimited => "%20",
                FormStyle::PipeDelimited => "%7C",
                _ => ",",
            };
            out.push(joined(
                sep,
                items.iter().filter_map(text).map(|t| enc(&t)).collect(),
            ));
        }
        (_, v) => out.extend(text(v).map(|t| format!("{key}={}", enc(&t)))),
    }
}

/// The url-encoded text of `value` (an object), with `styles` naming each property whose
/// `encoding` is not the default exploded `form`.
pub(crate) fn form_text<T: serde::Serialize>(
    value: &T,
    styles: &[(&str, FormStyle)],
) -> Result<String, ValidationError> {
    // serde's message could quote data; keep it out of the error.
    let json = serde_json::to_value(value)
        .map_err(|_| ValidationError::new("body", "could not be serialised as a form"))?;
    let mut out = Vec::new();
    match &json {
        Value::Object(map) => {
            for (name, v) in map {
                let style = styles
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(FormStyle::Form, |(_, s)| *s);
                property(name, v, style, &mut out);
            }
        }
        other => {
            return Err(ValidationError::new(
                "body",
                format!("a form body must be an object, not {}", kind(other)),
            ));
        }
    }
    Ok(out.join("&"))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An `application/x-www-form-urlencoded` body for `value` (an object), with `styles` naming
/// each property whose `encoding` is not the default exploded `form`.
pub fn form_body<T: serde::Serialize>(
    value: &T,
    styles: &[(&str, FormStyle)],
) -> Result<Body, ValidationError> {
    let text = form_text(value, styles)?;
    Ok(super::request::bytes_body(
        "application/x-www-form-urlencoded",
        text,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The pairs sorted: object key order depends on serde_json's `preserve_order`.
    fn form(v: Value, styles: &[(&str, FormStyle)]) -> String {
        let text = form_text(&v, styles).unwrap();
        let mut pairs: Vec<&str> = text.split('&').collect();
        pairs.sort_unstable();
        pairs.join("&")
    }

    #[test]
    fn scalars_and_nulls() {
        let v = json!({"name": "a b&c", "n": 3, "ok": true, "gone": null});
        assert_eq!(form(v, &[]), "n=3&name=a%20b%26c&ok=true");
    }

    #[test]
    fn exploded_form_repeats_keys() {
        let v = json!({"tag": ["a", "b"], "obj": {"k": "v", "x": 1}});
        assert_eq!(form(v, &[]), "k=v&tag=a&tag=b&x=1");
    }

    #[test]
    fn unexploded_and_delimited() {
        let v = json!({"a": ["x", "y"], "s": ["x", "y"], "p": ["x", "y"], "o": {"k": "v"}});
        let styles = [
            ("a", FormStyle::FormComma),
            ("s", FormStyle::SpaceDelimited),
            ("p", FormStyle::PipeDelimited),
            ("o", FormStyle::FormComma),
        ];
        assert_eq!(form(v, &styles), "a=x,y&o=k,v&p=x%7Cy&s=x%20y");
    }

    #[test]
    fn deep_object() {
        let v = json!({
            "metadata": {"key": "value", "n": null, "nested": {"a": 1}},
            "expand": ["data.customer", "data.invoice"],
            "items": [{"price": "p_1", "quantity": 2}],
        });
        let styles = [
            ("metadata", FormStyle::DeepObject),
            ("expand", FormStyle::DeepObject),
            ("items", FormStyle::DeepObject),
        ];
        assert_eq!(
            form(v, &styles),
            "expand[]=data.customer&expand[]=data.invoice\
             &items[0][price]=p_1&items[0][quantity]=2\
             &metadata[key]=value&metadata[nested][a]=1"
        );
    }

    #[test]
    fn non_object_is_refused() {
        assert!(form_text(&json!([1]), &[]).is_err());
        let body = form_body(&json!({"a": "b"}), &[]).unwrap();
        match body {
            Body::Raw {
                content_type,
                bytes,
            } => {
                assert_eq!(content_type, "application/x-www-form-urlencoded");
                assert_eq!(bytes, b"a=b");
            }
            other => panic!("unexpected body {other:?}"),
        }
    }

    /// A body shaped like a generated one (optional fields skipped when unset), sent through
    /// `Call` to a real server: the exact bytes on the wire. Fields are in alphabetical order
    /// so the text is the same with or without serde_json's `preserve_order`.
    #[tokio::test]
    async fn wire_body_through_call() {
        use super::super::__private::PreparedRequest;
        use super::super::Call;
        use super::super::test_support::{POST, client_for, decode_value};
        use wiremock::matchers::method;
        use wiremock::{Mock, MockServer, ResponseTemplate};

        #[derive(serde::Serialize)]
        struct CreateCustomer {
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<String>,
            email: String,
            expand: Vec<String>,
            metadata: std::collections::BTreeMap<String, String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            name: Option<String>,
            tag: Vec<String>,
        }
        let body = CreateCustomer {
            description: None,
            email: "a+b@example.com".into(),
            expand: vec!["sources".into(), "tax".into()],
            metadata: [("order id".to_owned(), "42".to_owned())].into(),
            name: Some("Jo Doe".into()),
            tag: vec!["x".into(), "y".into()],
        };
        let styles = [
            ("metadata", FormStyle::DeepObject),
            ("expand", FormStyle::DeepObject),
        ];
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
            .mount(&server)
            .await;
        let client = client_for(&server);
        let request = PreparedRequest {
            path: "/customers".to_owned(),
            body: Some(form_body(&body, &styles).unwrap()),
            ..PreparedRequest::default()
        };
        Call::new(&client, &POST, Ok(request), decode_value)
            .await
            .unwrap();
        let reqs = server.received_requests().await.unwrap();
        assert_eq!(
            reqs[0].headers.get("content-type").unwrap(),
            "application/x-www-form-urlencoded"
        );
        assert_eq!(
            String::from_utf8(reqs[0].body.clone()).unwrap(),
            "email=a%2Bb%40example.com&expand[]=sources&expand[]=tax\
             &metadata[order%20id]=42&name=Jo%20Doe&tag=x&tag=y"
        );
    }
}
