//! `tls-matrix app-first|sdk-first`: builds the application's own `reqwest::Client` and an
//! SDK client in that order, then calls a 127.0.0.1 HTTP server with both, and an https URL
//! on the same server with both (the TLS handshake fails cleanly: no certificate, but the
//! TLS set-up, crypto provider included, runs). Any panic fails the run.

use std::io::{Read, Write};
use std::net::TcpListener;

/// A server that answers every connection with a 404 and closes it.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                // One read: a small plain request, or a TLS ClientHello that gets HTTP back.
                let _ = stream.read(&mut buf);
                let body = r#"{"error":{"code":404,"message":"no such key"}}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    format!("http://{addr}")
}

fn sdk_client(base: &str) -> openrouter::Client {
    openrouter::Client::builder()
        .api_key("sk-or-test")
        .base_url(base)
        .build()
        .expect("SDK client")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let order = std::env::args().nth(1).unwrap_or_default();
    let base = serve();
    let https = base.replace("http://", "https://");
    let (app, sdk, sdk_tls) = match order.as_str() {
        "app-first" => {
            let app = reqwest::Client::new();
            (app, sdk_client(&base), sdk_client(&https))
        }
        "sdk-first" => {
            let sdk = sdk_client(&base);
            let sdk_tls = sdk_client(&https);
            (reqwest::Client::new(), sdk, sdk_tls)
        }
        other => panic!("usage: tls-matrix app-first|sdk-first (got `{other}`)"),
    };

    let answer = app.get(format!("{base}/app")).send().await;
    assert_eq!(answer.expect("application request").status().as_u16(), 404);
    let err = sdk
        .api_keys()
        .get_current()
        .no_retries()
        .await
        .expect_err("the server answers 404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");

    assert!(app.get(&https).send().await.is_err(), "no TLS server there");
    let err = sdk_tls.api_keys().get_current().no_retries().await;
    assert!(err.is_err(), "no TLS server there");
    println!("tls-matrix: {order}: both clients work");
}
