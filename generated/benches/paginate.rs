//! Pagination: `byok().list_stream()` over 10,000 credentials with `limit=100` against a
//! 127.0.0.1 server: requests made, time, and peak heap while streaming compared with the
//! heap one page needs.
//!
//! `cargo bench -p openrouter --bench paginate [-- --quick] [-- --json]`
//!
//! Heap is measured in-process by a counting global allocator (bytes live; peak above the
//! level at the start of the measured section). It counts every thread, including the
//! server's, which allocates nothing per request (its responses are pre-built).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

use futures::{StreamExt, TryStreamExt};
use openrouter::{ByokKey, Client, ListByokKeysParams};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grow(by: usize) {
    let by = by as isize;
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrink(by: usize) {
    LIVE.fetch_sub(by as isize, Ordering::Relaxed);
}

// SAFETY: forwards to `System`; only adds bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                shrink(layout.size() - new_size);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Starts a measured section: returns the live bytes now and resets the peak to it.
fn section() -> isize {
    let now = LIVE.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

fn main() {
    let quick = common::quick_requested();
    let runs = if quick { 3 } else { 7 };
    let server = common::Server::start();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = Client::builder()
        .api_key(common::API_KEY)
        .base_url(&server.base_url)
        .build()
        .expect("client");
    let params = || ListByokKeysParams::new().limit(100);

    rt.block_on(async {
        // Warm-up: connection, lazies, allocator pools.
        for _ in 0..20 {
            black_box(client.byok().list(params()).await.expect("list"));
        }

        // One page: peak while fetching, and what the decoded page keeps.
        let base = section();
        let page = client.byok().list(params()).await.expect("list");
        let one_page_peak = PEAK.load(Ordering::Relaxed) - base;
        let one_page_retained = LIVE.load(Ordering::Relaxed) - base;
        assert_eq!(page.data.len(), common::PAGE);
        drop(page);

        // The stream, `runs` times.
        let mut times = Vec::new();
        let mut peaks = Vec::new();
        let mut requests = 0;
        for _ in 0..runs {
            let before = server.requests.load(Ordering::Relaxed);
            let base = section();
            let start = Instant::now();
            let mut n = 0usize;
            let mut last_sort = 0i64;
            let mut stream = std::pin::pin!(client.byok().list_stream(params()));
            while let Some(item) = stream.next().await {
                let item: ByokKey = item.expect("item");
                last_sort = last_sort.wrapping_add(item.sort_order);
                n += 1;
            }
            times.push(start.elapsed().as_secs_f64() * 1e3);
            peaks.push((PEAK.load(Ordering::Relaxed) - base) as f64);
            black_box(last_sort);
            assert_eq!(n, common::TOTAL, "items streamed");
            requests = server.requests.load(Ordering::Relaxed) - before;
        }

        // For scale: collecting every item instead of streaming.
        let base = section();
        let all: Vec<ByokKey> = client
            .byok()
            .list_stream(params())
            .try_collect()
            .await
            .expect("collect");
        let collect_peak = PEAK.load(Ordering::Relaxed) - base;
        assert_eq!(all.len(), common::TOTAL);
        drop(all);

        let time_ms = common::median(&mut times);
        let peak_max = peaks.iter().cloned().fold(0.0, f64::max);
        let peak_median = common::median(&mut peaks);
        let bounded = peak_max <= 2.0 * one_page_peak as f64;
        println!(
            "pagination: list_stream over {} credentials, limit {}, {runs} runs, median",
            common::TOTAL,
            common::PAGE
        );
        println!(
            "  requests {requests}, time {time_ms:.1} ms ({:.0} items/s, {:.0} pages/s)",
            common::TOTAL as f64 / time_ms * 1e3,
            requests as f64 / time_ms * 1e3
        );
        println!(
            "  peak heap while streaming: median {:.0} KiB, max {:.0} KiB; one page: body {:.0} KiB, decoded {:.0} KiB, peak while fetching {:.0} KiB; collecting all: {:.0} KiB",
            peak_median / 1024.0,
            peak_max / 1024.0,
            server.page_body_len as f64 / 1024.0,
            one_page_retained as f64 / 1024.0,
            one_page_peak as f64 / 1024.0,
            collect_peak as f64 / 1024.0
        );
        println!(
            "  bounded by one page (stream peak <= 2x one-page fetch peak): {}",
            if bounded { "yes" } else { "NO" }
        );
        if common::json_requested() {
            let out = serde_json::json!({
                "items": common::TOTAL,
                "limit": common::PAGE,
                "runs": runs,
                "requests": requests,
                "time_ms": time_ms,
                "stream_peak_bytes_median": peak_median,
                "stream_peak_bytes_max": peak_max,
                "page_body_bytes": server.page_body_len,
                "one_page_retained_bytes": one_page_retained,
                "one_page_fetch_peak_bytes": one_page_peak,
                "collect_all_peak_bytes": collect_peak,
                "bounded": bounded,
            });
            println!("BENCH-JSON {out}");
        }
    });
}
