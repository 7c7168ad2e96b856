//! Load: 10 000 lookups from 256 concurrent tasks sharing one client, while the token
//! expires twice on the mock's clock.
//!
//! The client's own clock is not moved: it learns of each expiry from the server's 401,
//! which is the harder path (every call in flight is refused at once and must refresh and
//! re-send exactly once). Single flight must turn each wave of 401s into one getToken.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use portone::prelude::*;
use portone::{Client, RetryPolicy};
use portone_mock::{Checkout, MockServer};

const CALLS: usize = 10_000;
const TASKS: usize = 256;
/// Past a token's 30-minute life.
const EXPIRE: Duration = Duration::from_secs(31 * 60);
/// Generous: a hang guard, not a speed requirement.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// Peak resident memory of this process, from `/proc/self/status` (Linux only).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The calls that started before the second token was issued, and so may carry the first.
#[derive(Default)]
struct Early(Mutex<EarlyState>);

#[derive(Default)]
struct EarlyState {
    closed: bool,
    in_flight: usize,
}

impl Early {
    fn lock(&self) -> std::sync::MutexGuard<'_, EarlyState> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts a call that starts now; whether it is early.
    fn start(&self) -> bool {
        let mut state = self.lock();
        if !state.closed {
            state.in_flight += 1;
        }
        !state.closed
    }

    fn finish(&self) {
        self.lock().in_flight -= 1;
    }

    /// No call started from now on is early.
    fn close(&self) {
        self.lock().closed = true;
    }

    fn all_finished(&self) -> bool {
        let state = self.lock();
        state.closed && state.in_flight == 0
    }
}

async fn wait_for(done: &AtomicUsize, count: usize) {
    while done.load(Ordering::Acquire) < count {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_calls_from_256_tasks_across_two_token_expiries() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let imp_uid = server.checkout(Checkout::paid("order-load", 1000));
    server.reset_log();
    let client = Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));

    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let early = Arc::new(Early::default());
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..TASKS {
        let (client, imp_uid, next, done, early) = (
            client.clone(),
            imp_uid.clone(),
            Arc::clone(&next),
            Arc::clone(&done),
            Arc::clone(&early),
        );
        tasks.spawn(async move {
            let mut errors = Vec::new();
            while next.fetch_add(1, Ordering::AcqRel) < CALLS {
                let was_early = early.start();
                match client.payment(&imp_uid).await {
                    Ok(payment) if payment.imp_uid == imp_uid => {}
                    Ok(other) => errors.push(format!("wrong payment {}", other.imp_uid)),
                    Err(e) => errors.push(format!("{e}: {e:?}")),
                }
                if was_early {
                    early.finish();
                }
                done.fetch_add(1, Ordering::AcqRel);
            }
            errors
        });
    }

    // Expire the token twice while all 256 tasks are busy, so that no call can be caught
    // by both expiries: a call refused at the first is re-sent with the second token, which
    // the second expiry would refuse in turn. Calls that may still carry the first token are
    // those that started before the server issued the second one; the second expiry waits
    // for all of them, whatever the load does to the order the tasks run in.
    let expiries = async {
        wait_for(&done, CALLS / 3).await;
        server.advance(EXPIRE);
        while server.get_token_calls() < 2 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        early.close();
        wait_for(&done, 2 * CALLS / 3).await;
        while !early.all_finished() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        server.advance(EXPIRE);
    };
    let all = async {
        let mut errors = Vec::new();
        let mut panics = 0;
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(task_errors) => errors.extend(task_errors),
                Err(_) => panics += 1,
            }
        }
        (errors, panics)
    };
    let run = async { tokio::join!(expiries, all).1 };
    let Ok((errors, panics)) = tokio::time::timeout(HANG_GUARD, run).await else {
        panic!(
            "tasks still running after {HANG_GUARD:?}: {} of {CALLS} calls done",
            done.load(Ordering::Acquire)
        )
    };
    let elapsed = started.elapsed();

    assert_eq!(panics, 0, "tasks panicked");
    assert!(
        errors.is_empty(),
        "{} errors, first: {:?}",
        errors.len(),
        errors.first()
    );
    assert_eq!(done.load(Ordering::Acquire), CALLS);

    let log = server.requests();
    let lookups = log
        .iter()
        .filter(|r| r.path == format!("/payments/{imp_uid}"))
        .count();
    // Each expiry gets exactly one getToken, however many calls were refused with it.
    assert_eq!(server.get_token_calls(), 1 + 2, "getToken requests");
    let mut tokens: Vec<&str> = log
        .iter()
        .filter_map(|r| r.header("authorization"))
        .collect();
    tokens.sort_unstable();
    tokens.dedup();
    assert_eq!(tokens.len(), 3, "distinct tokens sent");
    // Every call arrived once, plus one re-send for each call the server refused with an
    // expired token (at most one per call and task at each expiry, since no call spans both).
    let refused = lookups - CALLS;
    assert!(refused >= 2, "no call saw an expired token: {refused}");
    assert!(refused <= 2 * TASKS, "{refused} re-sends for 2 expiries");

    eprintln!(
        "load: {CALLS} calls from {TASKS} tasks in {elapsed:?} ({:.0} calls/s), \
         {lookups} lookups on the wire ({refused} re-sent after a 401), \
         {} getToken, peak memory (VmHWM) {}",
        CALLS as f64 / elapsed.as_secs_f64(),
        server.get_token_calls(),
        peak_memory()
    );
}
