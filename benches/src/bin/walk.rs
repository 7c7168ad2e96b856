//! A reconciliation walk at scale (issue 24): every paid payment of a window, 50 pages of
//! 100, against portone-mock answering each listing request after 20 ms of injected
//! latency, as PortOne's typical round trip. Read-ahead 4 (the default) against 1 (one
//! request at a time), in alternating rounds, with the ratio of each round, the requests
//! each side made and the memory each held.
//!
//! `cargo run --release -p portone-benches --bin walk [rounds]` (default 5).
//!
//! The 5000 payments are paid one a second, as steady traffic. "Held" is the most records
//! the stream held at once (fetched, not yet yielded: `PageStream::held`); "heap" is the
//! most the process' heap grew over its size before the walk, sampled after every record
//! (client and mock together, the records collected by the caller excluded: the walk
//! counts them and drops them).

use std::alloc::System;
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use portone::Client;
use portone::model::{PaymentStatusFilter, PaymentsByStatus};
use portone::prelude::*;
use portone_mock::{Checkout, Fault, Method, MockServer};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const PAYMENTS: usize = 5_000;
const LATENCY: Duration = Duration::from_millis(20);

/// What one walk took.
struct Walk {
    elapsed: Duration,
    requests: usize,
    held: usize,
    heap: usize,
}

async fn walk(server: &MockServer, client: &Client, concurrency: usize) -> Walk {
    server.reset_log();
    let region = Region::new(GLOBAL);
    let started = Instant::now();
    let mut stream = client
        .payments_by_status_stream(PaymentStatusFilter::Paid, &PaymentsByStatus::new())
        .concurrency(concurrency);
    let (mut count, mut held, mut heap) = (0, 0, 0);
    while let Some(payment) = stream.try_next().await.expect("the walk") {
        drop(payment);
        count += 1;
        held = held.max(stream.held());
        let change = region.change();
        heap = heap.max(
            change
                .bytes_allocated
                .saturating_sub(change.bytes_deallocated),
        );
    }
    let elapsed = started.elapsed();
    assert_eq!(count, PAYMENTS, "every payment once");
    let requests = server
        .requests()
        .iter()
        .filter(|r| r.path == "/payments/status/paid")
        .count();
    Walk {
        elapsed,
        requests,
        held,
        heap,
    }
}

#[allow(clippy::print_stdout)]
fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let server = MockServer::builder().frozen_clock().start().await;
        for i in 0..PAYMENTS {
            server.advance(Duration::from_secs(1));
            server.checkout(Checkout::paid(format!("order-{i}"), 1_000));
        }
        server.inject(Fault::delay(LATENCY).on(Method::GET, "/payments/status/paid"));
        let client = Client::builder()
            .api_key(server.api_key())
            .api_secret(server.api_secret())
            .base_url(server.base_url())
            .build()
            .expect("a client");
        println!(
            "{PAYMENTS} paid payments, 100 a page, {} ms per listing request, {rounds} rounds",
            LATENCY.as_millis()
        );
        println!("round | 1 at a time | 4 at a time | ratio | requests 1 / 4 | held 1 / 4 | heap 1 / 4");
        let mut ratios = Vec::new();
        for round in 0..rounds {
            // Alternate which side goes first, so neither always meets a warmer machine.
            let (one, four) = if round % 2 == 0 {
                let one = walk(&server, &client, 1).await;
                (one, walk(&server, &client, 4).await)
            } else {
                let four = walk(&server, &client, 4).await;
                (walk(&server, &client, 1).await, four)
            };
            let ratio = one.elapsed.as_secs_f64() / four.elapsed.as_secs_f64();
            ratios.push(ratio);
            println!(
                "{round} | {:.0} ms | {:.0} ms | {ratio:.2}x | {} / {} | {} / {} records | {} / {} KiB",
                one.elapsed.as_secs_f64() * 1e3,
                four.elapsed.as_secs_f64() * 1e3,
                one.requests,
                four.requests,
                one.held,
                four.held,
                one.heap / 1024,
                four.heap / 1024,
            );
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "median ratio {:.2}x (range {:.2}x to {:.2}x)",
            ratios[ratios.len() / 2],
            ratios[0],
            ratios[ratios.len() - 1]
        );
    });
}
