//! Shared by the SDK benchmarks: a tiny HTTP/1.1 server on 127.0.0.1 that answers
//! keep-alive requests with pre-serialised `GET /byok` pages and a `GET /byok/{id}` body,
//! so the server's cost is the same for every client measured against it.
//!
//! The data set is [`TOTAL`] BYOK credentials. Pages for `limit=100` are built once at
//! start-up (the responses are written straight from those buffers, so the server allocates
//! nothing per request); other offset/limit combinations are built on the fly.
//! Every connection gets a blocking thread; the threads end with the benchmark process.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Credentials the server knows.
pub const TOTAL: usize = 10_000;
/// Page size used by the benchmarks (the spec's maximum `limit`).
pub const PAGE: usize = 100;
/// Bearer key both clients send.
pub const API_KEY: &str = "sk-or-v1-bench-0000000000000000";

const PROVIDERS: [&str; 6] = [
    "openai",
    "anthropic",
    "amazon-bedrock",
    "google-vertex",
    "mistral",
    "groq",
];

/// The id of credential `i` (a valid v4-shaped UUID).
pub fn id(i: usize) -> String {
    format!("{:08x}-0000-4000-8000-{:012x}", i, i)
}

/// Credential `i`, shaped like the spec's `BYOKKey` (nullable and optional fields vary).
pub fn item(i: usize) -> serde_json::Value {
    let mut v = serde_json::json!({
        "id": id(i),
        "provider": PROVIDERS[i % PROVIDERS.len()],
        "workspace_id": if i % 3 == 0 { serde_json::Value::Null } else { id(i + 1_000_000).into() },
        "label": format!("sk-...{:04}", i % 10_000),
        "disabled": i % 7 == 0,
        "is_fallback": i % 5 == 0,
        "allowed_models": if i % 2 == 0 {
            serde_json::Value::Null
        } else {
            serde_json::json!(["openai/gpt-4o", "anthropic/claude-sonnet-4"])
        },
        "allowed_api_key_hashes": serde_json::Value::Null,
        "allowed_user_ids": serde_json::Value::Null,
        "sort_order": i % 10,
        "created_at": format!("2025-0{}-1{}T03:04:05.678Z", 1 + i % 9, i % 10),
    });
    if i % 4 != 0 {
        v["name"] = format!("credential number {i}").into();
    }
    v
}

/// The JSON body of the page at `offset` with `limit` items.
pub fn page_body(offset: usize, limit: usize) -> Vec<u8> {
    let end = (offset + limit).min(TOTAL);
    let data: Vec<_> = (offset.min(end)..end).map(item).collect();
    serde_json::to_vec(&serde_json::json!({ "data": data, "total_count": TOTAL })).unwrap()
}

/// The JSON body of `GET /byok/{id}`.
pub fn get_body() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "data": item(42) })).unwrap()
}

fn response(body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

struct Routes {
    /// Full responses for `limit=100`, indexed by `offset / 100`.
    pages: Vec<Vec<u8>>,
    empty_page: Vec<u8>,
    get: Vec<u8>,
    requests: Arc<AtomicUsize>,
}

/// A running server.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Requests answered so far.
    pub requests: Arc<AtomicUsize>,
    /// Bytes of one 100-item page body.
    pub page_body_len: usize,
    /// Bytes of the `get` body.
    pub get_body_len: usize,
}

impl Server {
    /// Binds 127.0.0.1:0 and starts accepting.
    pub fn start() -> Server {
        let pages: Vec<Vec<u8>> = (0..TOTAL.div_ceil(PAGE))
            .map(|p| response(&page_body(p * PAGE, PAGE)))
            .collect();
        let page_body_len = page_body(0, PAGE).len();
        let get = get_body();
        let get_body_len = get.len();
        let requests = Arc::new(AtomicUsize::new(0));
        let routes = Arc::new(Routes {
            pages,
            empty_page: response(&page_body(TOTAL, PAGE)),
            get: response(&get),
            requests: requests.clone(),
        });
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let routes = routes.clone();
                std::thread::spawn(move || serve(stream, &routes));
            }
        });
        Server {
            base_url: format!("http://{addr}"),
            requests,
            page_body_len,
            get_body_len,
        }
    }
}

fn serve(mut stream: TcpStream, routes: &Routes) {
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let target = {
                let head = std::str::from_utf8(&buf[..end]).unwrap_or("");
                let line = head.lines().next().unwrap_or("");
                line.split(' ').nth(1).unwrap_or("/").to_owned()
            };
            buf.drain(..end + 4);
            routes.requests.fetch_add(1, Ordering::Relaxed);
            let ok = match route(routes, &target) {
                Reply::Static(bytes) => stream.write_all(bytes),
                Reply::Owned(bytes) => stream.write_all(&bytes),
            };
            if ok.is_err() {
                return;
            }
        }
    }
}

enum Reply<'a> {
    Static(&'a [u8]),
    Owned(Vec<u8>),
}

fn route<'a>(routes: &'a Routes, target: &str) -> Reply<'a> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path.starts_with("/byok/") {
        return Reply::Static(&routes.get);
    }
    let mut offset = 0usize;
    let mut limit = 50usize;
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("offset", v)) => offset = v.parse().unwrap_or(0),
            Some(("limit", v)) => limit = v.parse().unwrap_or(50),
            _ => {}
        }
    }
    if offset >= TOTAL && limit == PAGE {
        Reply::Static(&routes.empty_page)
    } else if limit == PAGE && offset % PAGE == 0 {
        Reply::Static(&routes.pages[offset / PAGE])
    } else {
        Reply::Owned(response(&page_body(offset, limit)))
    }
}

/// Median of a non-empty slice (sorts it).
pub fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// True when the benchmark was asked for machine-readable output (`--json`).
pub fn json_requested() -> bool {
    std::env::args().any(|a| a == "--json")
}

/// `--quick`: fewer iterations (for smoke runs).
pub fn quick_requested() -> bool {
    std::env::args().any(|a| a == "--quick")
}
