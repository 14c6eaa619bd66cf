//! HTTP-level tests of the additions for large specs: server-sent event streams,
//! multipart and raw request bodies (wiremock on 127.0.0.1).

use futures::StreamExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::__private::{
    MultipartForm, PreparedRequest, RawResponse, StreamSpec, bytes_body, event_stream, json_body,
    unexpected_status,
};
use super::test_support::{Error, KEY, POST, client_for, decode_value};
use super::{Call, FilePart};

fn on_error(raw: RawResponse) -> Result<(), Error> {
    match raw.status.as_u16() {
        200..=299 => Ok(()),
        _ => Err(unexpected_status(raw)),
    }
}

fn prepared(path: &str) -> PreparedRequest {
    PreparedRequest {
        path: path.to_owned(),
        body: Some(json_body(&serde_json::json!({"stream": true})).unwrap()),
        ..PreparedRequest::default()
    }
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Chunk {
    data: serde_json::Value,
}

#[tokio::test]
async fn event_stream_decodes_until_the_sentinel() {
    let server = MockServer::start().await;
    let body = ": UPSTREAM PROCESSING\n\ndata: {\"n\":1}\n\ndata: {\"n\":2}\r\n\r\ndata: [DONE]\n\ndata: {\"n\":3}\n\n";
    Mock::given(method("POST"))
        .and(path("/api/v1/things"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let spec = StreamSpec {
        sentinel: Some("[DONE]"),
        envelope: true,
    };
    let events: Vec<Result<Chunk, Error>> =
        event_stream(&client, &POST, Ok(prepared("/things")), on_error, spec)
            .collect()
            .await;
    let events: Vec<Chunk> = events.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        events,
        vec![
            Chunk {
                data: serde_json::json!({"n": 1})
            },
            Chunk {
                data: serde_json::json!({"n": 2})
            }
        ]
    );
    let reqs = server.received_requests().await.unwrap();
    let h = |n: &str| {
        reqs[0]
            .headers
            .get(n)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(h("accept").as_deref(), Some("text/event-stream"));
    assert_eq!(h("content-type").as_deref(), Some("application/json"));
    assert_eq!(h("authorization"), Some(format!("Bearer {KEY}")));
}

#[tokio::test]
async fn event_stream_error_status_is_one_error_item() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let spec = StreamSpec {
        sentinel: None,
        envelope: false,
    };
    let items: Vec<Result<serde_json::Value, Error>> =
        event_stream(&client, &POST, Ok(prepared("/things")), on_error, spec)
            .collect()
            .await;
    assert_eq!(items.len(), 1);
    let e = items.into_iter().next().unwrap().unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(e.raw_body(), Some(&b"busy"[..]));
}

#[tokio::test]
async fn multipart_and_raw_bodies_carry_their_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let mut form = MultipartForm::new();
    form.text("purpose", "assistants");
    form.file("file", &FilePart::new(b"%PDF".to_vec()).filename("a.pdf"));
    let req = PreparedRequest {
        path: "/files".into(),
        body: Some(form.finish()),
        ..PreparedRequest::default()
    };
    Call::new(&client, &POST, Ok(req), decode_value)
        .await
        .unwrap();
    let req = PreparedRequest {
        path: "/blob".into(),
        body: Some(bytes_body("audio/wav", b"RIFF".to_vec())),
        ..PreparedRequest::default()
    };
    Call::new(&client, &POST, Ok(req), decode_value)
        .await
        .unwrap();
    let reqs = server.received_requests().await.unwrap();
    let ct = |i: usize| reqs[i].headers["content-type"].to_str().unwrap().to_owned();
    assert!(
        ct(0).starts_with("multipart/form-data; boundary="),
        "{}",
        ct(0)
    );
    let body = String::from_utf8(reqs[0].body.clone()).unwrap();
    assert!(
        body.contains("name=\"purpose\"\r\n\r\nassistants\r\n"),
        "{body}"
    );
    assert!(body.contains("name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/octet-stream\r\n\r\n%PDF\r\n"), "{body}");
    assert_eq!(ct(1), "audio/wav");
    assert_eq!(reqs[1].body, b"RIFF");
}
