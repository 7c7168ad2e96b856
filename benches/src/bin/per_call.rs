//! One variant at a time, for counting instructions: 64 concurrent tasks making `n` calls
//! each, either through the generated client (`generated`) or by hand (`handwritten`).
//! `benches/callgrind.sh` runs it under `valgrind --tool=callgrind` with two values of `n`
//! and prints the instructions per call of each variant (client and server together),
//! which, unlike time, do not depend on what else the machine is doing.
//!
//! `cargo run --release -p portone-benches --bin per_call -- generated 300`

use std::time::{Duration, Instant};

use portone::prelude::*;
use portone_benches::{Handwritten, generated_client, start_server};

#[allow(clippy::print_stdout)]
fn main() {
    let mut args = std::env::args().skip(1);
    let generated = match args.next().as_deref() {
        Some("generated") => true,
        Some("handwritten") => false,
        _ => {
            eprintln!("usage: per_call generated|handwritten [calls per task]");
            std::process::exit(2);
        }
    };
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let (addr, _) = start_server(Duration::ZERO);
    let client = generated_client(addr);
    let hand = rt.block_on(Handwritten::connect(addr)).expect("token");
    let started = Instant::now();
    rt.block_on(async {
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let client = client.clone();
                let hand = hand.clone();
                tokio::spawn(async move {
                    for _ in 0..n {
                        if generated {
                            client.payment("imp_1").await.expect("generated call");
                        } else {
                            hand.payment("imp_1").await.expect("hand-written call");
                        }
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("join");
        }
    });
    println!(
        "{} calls/s",
        (64 * n) as f64 / started.elapsed().as_secs_f64()
    );
}
