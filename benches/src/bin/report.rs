//! The numbers criterion does not give: allocations per call (a counting global allocator),
//! throughput ratios measured in alternating rounds, for both answer sizes, and 1000
//! concurrent cold calls.
//!
//! `cargo run --release -p portone-benches --bin report [rounds] [calls per round] [runtime]`
//! (default 7 rounds of 2000 calls; `runtime` is `multi`, a multi-thread runtime with one
//! worker, or `current`, a current-thread runtime; the server has its own thread either way).
//!
//! Each round runs the three sides (generated, hand-written, naive) one after the other,
//! in an order that rotates from round to round, so that none always runs on a machine
//! warmed up, or worn down, by another. A round's ratio compares the sides within that
//! round; the medians and ranges of those ratios are printed.

use std::alloc::System;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use portone::prelude::*;
use portone_benches::{Side, Sides, Size, generated_client, start_server, start_server_with};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[allow(clippy::print_stdout)]
fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let calls: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2_000);
    let current = args.next().as_deref() == Some("current");
    let rt = if current {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
    }
    .expect("runtime");
    println!(
        "machine: {} cores, {}, load average {}",
        cores(),
        cpu_model(),
        load_average()
    );
    println!(
        "{rounds} rounds of {calls} calls per side, client on a {} runtime",
        if current {
            "current-thread"
        } else {
            "multi-thread (1 worker)"
        }
    );

    for size in Size::ALL {
        let (addr, _) = start_server_with(size, Duration::ZERO);
        let sides = rt.block_on(Sides::connect(addr)).expect("token");
        for side in Side::ALL {
            sides.run(&rt, side, size, 100, 1);
        }

        // The server shares the process, so every count includes its work; the
        // differences are what each client adds.
        let allocs: Vec<f64> = Side::ALL
            .iter()
            .map(|&side| {
                let region = Region::new(GLOBAL);
                sides.run(&rt, side, size, calls, 1);
                region.change().allocations as f64 / calls as f64
            })
            .collect();
        println!(
            "[{}] allocations per call (client + server): generated {:.2}, hand-written {:.2} (generated {:+.2}), naive {:.2} (generated {:+.2})",
            size.name(),
            allocs[0],
            allocs[1],
            allocs[0] - allocs[1],
            allocs[2],
            allocs[0] - allocs[2],
        );

        for width in [1, 64] {
            // times[side][round]
            let mut times = [Vec::new(), Vec::new(), Vec::new()];
            for round in 0..rounds {
                for i in 0..Side::ALL.len() {
                    let k = (i + round) % Side::ALL.len();
                    let started = Instant::now();
                    sides.run(&rt, Side::ALL[k], size, calls, width);
                    times[k].push(started.elapsed().as_secs_f64());
                }
            }
            let rate = |k: usize| calls as f64 / median(times[k].clone());
            let ratios = |other: usize| -> Vec<f64> {
                times[other]
                    .iter()
                    .zip(&times[0])
                    .map(|(o, g)| o / g)
                    .collect()
            };
            let (vs_hand, vs_naive) = (ratios(1), ratios(2));
            println!(
                "[{}] {}: generated {:.0}/s, hand-written {:.0}/s, naive {:.0}/s; generated / hand-written {:.3} (rounds {:.3}-{:.3}), generated / naive {:.3} (rounds {:.3}-{:.3})",
                size.name(),
                if width == 1 {
                    "sequential".to_owned()
                } else {
                    format!("{width} concurrent")
                },
                rate(0),
                rate(1),
                rate(2),
                median(vs_hand.clone()),
                min(&vs_hand),
                max(&vs_hand),
                median(vs_naive.clone()),
                min(&vs_naive),
                max(&vs_naive),
            );
        }
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

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
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
