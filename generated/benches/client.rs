//! Client overhead: the generated `byok().list()` (100-item page) and `byok().get()` against
//! a 127.0.0.1 server, side by side with a hand-written `reqwest` + `serde_json` call doing
//! the same request and decode, in the same process.
//!
//! `cargo bench -p openrouter --bench client [-- --quick] [-- --json]`
//! (`cargo xtask bench` runs it and puts the figures in BENCHMARKS.md).
//!
//! Three clients per operation, each with its own identically configured `reqwest::Client`
//! and keep-alive connection, sending `Authorization`, `Accept` and `User-Agent`:
//! - `sdk`: the generated call;
//! - `hand/generated-type`: hand-written request, decoded into the generated response type
//!   (same decode target, so the difference is pure SDK overhead);
//! - `hand/own-struct`: hand-written request, decoded into a hand-written struct (what a
//!   user without the SDK would write).
//!
//! Requests are sequential on one connection; rounds alternate the clients (rotating the
//! order) and the figure is the median round. The server runs on its own thread.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use openrouter::{Client, GetByokKeyResponse, ListByokKeysParams, ListByokKeysResponse};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, USER_AGENT};
use serde::Deserialize;

/// What a user would write by hand for `BYOKKey`.
#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct HandKey {
    id: uuid::Uuid,
    provider: String,
    workspace_id: Option<uuid::Uuid>,
    #[serde(default)]
    name: Option<String>,
    label: String,
    disabled: bool,
    is_fallback: bool,
    allowed_models: Option<Vec<String>>,
    allowed_api_key_hashes: Option<Vec<String>>,
    allowed_user_ids: Option<Vec<String>>,
    sort_order: i64,
    created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Deserialize, Debug)]
struct HandPage {
    data: Vec<HandKey>,
    #[allow(dead_code)]
    total_count: i64,
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct HandGet {
    data: HandKey,
}

struct Hand {
    http: reqwest::Client,
    authorization: HeaderValue,
    user_agent: HeaderValue,
}

impl Hand {
    fn new() -> Hand {
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {}", common::API_KEY)).expect("ascii key");
        authorization.set_sensitive(true);
        Hand {
            // The SDK builds its client the same way (`reqwest::Client::builder().build()`).
            http: reqwest::Client::builder().build().expect("reqwest client"),
            authorization,
            user_agent: HeaderValue::from_static("openrouter-rust/0.1.0"),
        }
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> T {
        let response = self
            .http
            .get(url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, self.user_agent.clone())
            .send()
            .await
            .expect("request");
        assert!(response.status().is_success(), "{}", response.status());
        let body = response.bytes().await.expect("body");
        serde_json::from_slice(&body).expect("decode")
    }
}

/// One benchmarked client: a name and an async operation.
type Op<'a> = Box<dyn Fn() -> futures::future::LocalBoxFuture<'a, ()> + 'a>;

/// Median and mean latency of one client, µs.
#[derive(Clone, Copy)]
struct Latency {
    median: f64,
    mean: f64,
}

/// Requests in a row from one client before the next client's turn.
const BLOCK: usize = 25;

/// Sends `rounds * iters` requests per client, interleaved in turns of [`BLOCK`] requests
/// (each turn every client once, in a shuffled order, so no client always follows the same
/// one), so that whatever else the machine is doing hits every client alike, while each
/// connection stays warm within its block; returns each client's per-request median and
/// mean latency in µs.
async fn compare(
    ops: &[(&str, Op<'_>)],
    warmup: usize,
    iters: usize,
    rounds: usize,
) -> Vec<Latency> {
    for _ in 0..warmup {
        for (_, op) in ops {
            op().await;
        }
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(iters * rounds); ops.len()];
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let mut order: Vec<usize> = (0..ops.len()).collect();
    for _ in 0..rounds {
        for _ in 0..iters.div_ceil(BLOCK) {
            rng.shuffle(&mut order);
            for &i in &order {
                for _ in 0..BLOCK {
                    let start = Instant::now();
                    (ops[i].1)().await;
                    samples[i].push(start.elapsed().as_secs_f64() * 1e6);
                }
            }
        }
    }
    samples
        .iter_mut()
        .map(|s| Latency {
            mean: s.iter().sum::<f64>() / s.len() as f64,
            median: common::median(s),
        })
        .collect()
}

/// Median µs of `f` over `rounds` rounds of `iters` calls (pure CPU work, no I/O).
fn cpu(iters: usize, rounds: usize, mut f: impl FnMut()) -> f64 {
    for _ in 0..iters / 4 {
        f();
    }
    let mut samples: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iters {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / iters as f64
        })
        .collect();
    common::median(&mut samples)
}

fn main() {
    let quick = common::quick_requested();
    let (warmup, iters, rounds) = if quick { (50, 200, 3) } else { (300, 1000, 7) };
    let server = common::Server::start();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let sdk = Client::builder()
        .api_key(common::API_KEY)
        .base_url(&server.base_url)
        .build()
        .expect("client");
    let hand_gen = Hand::new();
    let hand_own = Hand::new();
    let list_url = format!("{}/byok?limit=100", server.base_url);
    let id = common::id(42);
    let get_url = format!("{}/byok/{}", server.base_url, id);

    // The three clients agree on what they decode.
    rt.block_on(async {
        let a = sdk
            .byok()
            .list(ListByokKeysParams::new().limit(100))
            .await
            .expect("sdk list");
        let b: ListByokKeysResponse = hand_gen.get_json(&list_url).await;
        let c: HandPage = hand_own.get_json(&list_url).await;
        assert_eq!(a.data.len(), common::PAGE);
        assert_eq!(a, b);
        assert_eq!(c.data.len(), common::PAGE);
        assert_eq!(a.data[7].id, c.data[7].id);
        let g = sdk.byok().get(&id).await.expect("sdk get");
        assert_eq!(g.data.id.to_string(), id);
    });

    let (sdk, hand_gen, hand_own) = (&sdk, &hand_gen, &hand_own);
    let (list_url, get_url, id) = (list_url.as_str(), get_url.as_str(), id.as_str());
    let list_ops: Vec<(&str, Op<'_>)> = vec![
        (
            "sdk",
            Box::new(move || {
                Box::pin(async move {
                    let page = sdk
                        .byok()
                        .list(ListByokKeysParams::new().limit(100))
                        .await
                        .expect("sdk list");
                    black_box(page);
                })
            }),
        ),
        (
            "hand/generated-type",
            Box::new(move || {
                Box::pin(async move {
                    black_box(hand_gen.get_json::<ListByokKeysResponse>(list_url).await);
                })
            }),
        ),
        (
            "hand/own-struct",
            Box::new(move || {
                Box::pin(async move {
                    black_box(hand_own.get_json::<HandPage>(list_url).await);
                })
            }),
        ),
    ];
    let get_ops: Vec<(&str, Op<'_>)> = vec![
        (
            "sdk",
            Box::new(move || {
                Box::pin(async move {
                    black_box(sdk.byok().get(id).await.expect("sdk get"));
                })
            }),
        ),
        (
            "hand/generated-type",
            Box::new(move || {
                Box::pin(async move {
                    black_box(hand_gen.get_json::<GetByokKeyResponse>(get_url).await);
                })
            }),
        ),
        (
            "hand/own-struct",
            Box::new(move || {
                Box::pin(async move {
                    black_box(hand_own.get_json::<HandGet>(get_url).await);
                })
            }),
        ),
    ];

    // `--only list|get CLIENT N`: N requests from one client, nothing else (for counting
    // instructions per request under callgrind, see `cargo xtask bench`).
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--only") {
        let (op, client) = (args[pos + 1].as_str(), args[pos + 2].as_str());
        let n: usize = args[pos + 3].parse().expect("--only OP CLIENT N");
        let ops = if op == "list" { &list_ops } else { &get_ops };
        let (_, f) = ops
            .iter()
            .find(|(name, _)| *name == client)
            .expect("client name");
        rt.block_on(async {
            for _ in 0..n {
                f().await;
            }
        });
        return;
    }

    let started = Instant::now();
    let list = rt.block_on(compare(&list_ops, warmup, iters, rounds));
    let get = rt.block_on(compare(&get_ops, warmup, iters * 2, rounds));
    let elapsed = started.elapsed();

    // What the decode alone costs (no HTTP), to show where the time goes.
    let page = common::page_body(0, common::PAGE);
    let single = common::get_body();
    let decode_list_gen = cpu(iters, rounds, || {
        black_box(serde_json::from_slice::<ListByokKeysResponse>(black_box(&page)).unwrap());
    });
    let decode_list_own = cpu(iters, rounds, || {
        black_box(serde_json::from_slice::<HandPage>(black_box(&page)).unwrap());
    });
    let decode_get_gen = cpu(iters * 4, rounds, || {
        black_box(serde_json::from_slice::<GetByokKeyResponse>(black_box(&single)).unwrap());
    });
    let decode_get_own = cpu(iters * 4, rounds, || {
        black_box(serde_json::from_slice::<HandGet>(black_box(&single)).unwrap());
    });

    let names: Vec<&str> = list_ops.iter().map(|(n, _)| *n).collect();
    println!(
        "client overhead: {} list / {} get requests per client ({rounds} rounds), interleaved request by request, 127.0.0.1; median latency",
        rounds * iters,
        rounds * iters * 2
    );
    println!(
        "list() page: {} bytes; get(): {} bytes",
        server.page_body_len, server.get_body_len
    );
    for (op, times) in [("list (100 items)", &list), ("get", &get)] {
        for (name, l) in names.iter().zip(times.iter()) {
            println!(
                "  {op:<17} {name:<20} {:>9.1} µs/req (mean {:>7.1}) {:>9.0} req/s  {:.3}x hand/generated-type  {:.3}x hand/own-struct",
                l.median,
                l.mean,
                1e6 / l.median,
                l.median / times[1].median,
                l.median / times[2].median
            );
        }
    }
    println!(
        "  decode only (serde_json::from_slice): list page generated type {decode_list_gen:.1} µs, own struct {decode_list_own:.1} µs; get generated type {decode_get_gen:.2} µs, own struct {decode_get_own:.2} µs"
    );
    println!(
        "  (took {:.1?})",
        Duration::from_secs_f64(elapsed.as_secs_f64())
    );

    if common::json_requested() {
        let per = |times: &[Latency]| -> serde_json::Value {
            names
                .iter()
                .zip(times.iter())
                .map(|(n, l)| {
                    (
                        (*n).to_owned(),
                        serde_json::json!({ "us": l.median, "mean_us": l.mean, "rps": 1e6 / l.median }),
                    )
                })
                .collect::<serde_json::Map<_, _>>()
                .into()
        };
        let out = serde_json::json!({
            "rounds": rounds,
            "iters_list": iters * rounds,
            "iters_get": iters * 2 * rounds,
            "page_body_bytes": server.page_body_len,
            "get_body_bytes": server.get_body_len,
            "list": per(&list),
            "get": per(&get),
            "decode_us": {
                "list_generated": decode_list_gen,
                "list_own": decode_list_own,
                "get_generated": decode_get_gen,
                "get_own": decode_get_own,
            },
        });
        println!("BENCH-JSON {out}");
    }
}
