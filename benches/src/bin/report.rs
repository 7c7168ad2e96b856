//! The numbers criterion does not give: allocations per call (a counting global allocator),
//! throughput ratios measured in alternating rounds, and 1000 concurrent cold calls.
//!
//! `cargo run --release -p portone-benches --bin report`

use std::alloc::System;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use portone::prelude::*;
use portone_benches::{Handwritten, generated_client, start_server};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const CALLS: usize = 2_000;
const ROUNDS: usize = 7;

#[allow(clippy::print_stdout)]
fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let (addr, _) = start_server(Duration::ZERO);
    let generated = generated_client(addr);
    let handwritten = rt.block_on(Handwritten::connect(addr)).expect("token");
    rt.block_on(async {
        for _ in 0..100 {
            generated.payment("imp_1").await.expect("warm generated");
            handwritten
                .payment("imp_1")
                .await
                .expect("warm hand-written");
        }
    });

    println!("machine: {} cores, {}", cores(), cpu_model());

    // Allocations: the server shares the process, so both counts include its work; the
    // difference is what the generated client adds.
    let gen_allocs = count_allocs(|| {
        rt.block_on(async {
            for _ in 0..CALLS {
                generated.payment("imp_1").await.expect("call");
            }
        })
    });
    let hand_allocs = count_allocs(|| {
        rt.block_on(async {
            for _ in 0..CALLS {
                handwritten.payment("imp_1").await.expect("call");
            }
        })
    });
    let per = |n: usize| n as f64 / CALLS as f64;
    println!(
        "allocations per call (client + server): generated {:.2}, hand-written {:.2}, extra {:.2}",
        per(gen_allocs),
        per(hand_allocs),
        per(gen_allocs) - per(hand_allocs)
    );

    // Throughput in alternating rounds, medians.
    let mut seq = (Vec::new(), Vec::new());
    let mut conc = (Vec::new(), Vec::new());
    // Rounds alternate which side goes first (ABBA), so that neither always runs on a
    // machine warmed up, or worn down, by the other.
    for round in 0..ROUNDS {
        for (width, out) in [(1, &mut seq), (64, &mut conc)] {
            let client = generated.clone();
            let hand = handwritten.clone();
            let mut run_generated = || {
                let client = client.clone();
                out.0
                    .push(time(&rt, CALLS, move |_| client.payment("imp_1"), width));
            };
            let mut run_hand = || {
                let hand = hand.clone();
                out.1.push(time(
                    &rt,
                    CALLS,
                    move |_| {
                        let hand = hand.clone();
                        async move { hand.payment("imp_1").await }
                    },
                    width,
                ));
            };
            if round % 2 == 0 {
                run_generated();
                run_hand();
            } else {
                run_hand();
                run_generated();
            }
        }
    }
    for (name, (gen_times, hand_times)) in [("sequential", seq), ("64 concurrent", conc)] {
        let g = CALLS as f64 / median(gen_times);
        let h = CALLS as f64 / median(hand_times);
        println!(
            "throughput {name}: generated {g:.0}/s, hand-written {h:.0}/s, ratio {:.3}",
            g / h
        );
    }

    // 1000 concurrent cold calls: one getToken, time to the last answer.
    let (addr, counters) = start_server(Duration::from_millis(50));
    let cold = generated_client(addr);
    let started = Instant::now();
    rt.block_on(async {
        let tasks: Vec<_> = (0..1000)
            .map(|_| tokio::spawn(cold.payment("imp_1")))
            .collect();
        for task in tasks {
            task.await.expect("join").expect("cold call");
        }
    });
    println!(
        "1000 concurrent cold calls: {} getToken request(s), last answer after {:.1} ms (getToken takes 50 ms)",
        counters.get_token.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64() * 1e3
    );
}

fn count_allocs(f: impl FnOnce()) -> usize {
    let region = Region::new(GLOBAL);
    f();
    region.change().allocations
}

/// Seconds for `n` calls made by `width` concurrent tasks.
fn time<F, Fut, T, E>(rt: &tokio::runtime::Runtime, n: usize, call: F, width: usize) -> f64
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: std::fmt::Debug + Send + 'static,
{
    let started = Instant::now();
    rt.block_on(async {
        let tasks: Vec<_> = (0..width)
            .map(|w| {
                let call = call.clone();
                tokio::spawn(async move {
                    for i in (w..n).step_by(width) {
                        call(i).await.expect("call");
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("join");
        }
    });
    started.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}
