//! One side at a time, for counting instructions: 64 concurrent tasks making `n` calls
//! each (or one task with `1` as the width), through the generated client (`generated`),
//! by hand (`handwritten`) or naively (`naive`), on the full or the small answer.
//! `benches/callgrind.sh` runs it under `valgrind --tool=callgrind` with two values of `n`
//! and prints the instructions per call of each side (client and server together), which,
//! unlike time, do not depend on what else the machine is doing.
//!
//! `cargo run --release -p portone-benches --bin per_call -- generated full 300 [width]`

use std::time::{Duration, Instant};

use portone_benches::{Side, Sides, Size, start_server_with};

#[allow(clippy::print_stdout)]
fn main() {
    let mut args = std::env::args().skip(1);
    let side = args.next().as_deref().and_then(Side::from_name);
    let size = args.next().as_deref().and_then(Size::from_name);
    let (Some(side), Some(size)) = (side, size) else {
        eprintln!(
            "usage: per_call generated|handwritten|naive full|small [calls per task] [tasks]"
        );
        std::process::exit(2);
    };
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let width: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let (addr, _) = start_server_with(size, Duration::ZERO);
    let sides = rt.block_on(Sides::connect(addr)).expect("token");
    let started = Instant::now();
    sides.run(&rt, side, size, width * n, width);
    println!(
        "{} calls/s",
        (width * n) as f64 / started.elapsed().as_secs_f64()
    );
}
