//! An outage: PortOne answers 503 to everything while 1000 lookups are made from 64 tasks
//! sharing one client with the default retry policy. The retry budget bounds what reaches
//! the server, and the first call after the recovery succeeds.
//!
//! The bound: the default budget holds 500 tokens and a retry costs 5. Only an answer below
//! 500 puts tokens back, and the outage gives none, so at most 500 / 5 = 100 retries are
//! paid for, whatever the order the tasks run in: at most 1000 + 100 = 1100 requests,
//! where the same calls without a budget send 3000 (2 retries each).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use portone::prelude::*;
use portone::{Client, Error, RetryPolicy, StatusCode};
use portone_mock::{Checkout, Fault, MockServer};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

const CALLS: usize = 1000;
const TASKS: usize = 64;
/// 500 tokens at 5 a retry.
const PAID_RETRIES: usize = 100;
const REFUSED: &str = "retry refused: the retry budget is spent";

/// Counts the runtime's "retry refused" events, process-wide.
struct Refusals(Arc<AtomicUsize>);

struct IsRefusal(bool);

impl Visit for IsRefusal {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" && format!("{value:?}") == REFUSED {
            self.0 = true;
        }
    }
}

impl<S: Subscriber> Layer<S> for Refusals {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut refusal = IsRefusal(false);
        event.record(&mut refusal);
        if refusal.0 {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::print_stdout)] // the measured line, shown with --nocapture
async fn an_outage_costs_at_most_a_hundred_retries_and_recovery_is_immediate() {
    let refusals = Arc::new(AtomicUsize::new(0));
    tracing_subscriber::registry()
        .with(Refusals(Arc::clone(&refusals)))
        .try_init()
        .unwrap_or_else(|e| panic!("a subscriber was installed already: {e}"));

    let server = MockServer::start().await;
    let imp_uid = server.checkout(Checkout::paid("order-outage", 1000));
    let client = Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    // The token is cached before the outage, so only lookups are sent during it.
    client
        .payment(&imp_uid)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    server.reset_log();

    server.inject(Fault::service_unavailable());
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..TASKS {
        let (client, imp_uid, next) = (client.clone(), imp_uid.clone(), Arc::clone(&next));
        tasks.spawn(async move {
            let mut unexpected = Vec::new();
            while next.fetch_add(1, Ordering::AcqRel) < CALLS {
                match client.payment(&imp_uid).await {
                    Err(Error::UnexpectedResponse { status, .. })
                        if status == StatusCode::SERVICE_UNAVAILABLE => {}
                    other => unexpected.push(format!("{other:?}")),
                }
            }
            unexpected
        });
    }
    while let Some(unexpected) = tasks.join_next().await {
        let unexpected = unexpected.unwrap_or_else(|e| panic!("a task panicked: {e}"));
        assert!(unexpected.is_empty(), "{unexpected:?}");
    }

    let log = server.requests();
    assert!(
        log.iter().all(|r| r.fault.is_some()),
        "a request got through"
    );
    assert_eq!(server.get_token_calls(), 0);
    let sent = log.len();
    let retries = sent - CALLS;
    // At least one retry was paid (the budget is on and was full), at most the budget.
    assert!(
        (1..=PAID_RETRIES).contains(&retries),
        "{sent} requests for {CALLS} calls"
    );
    // Every call that stopped short of its 2 retries was refused once, with an event: at
    // most `retries / 2` calls used both of theirs.
    let refused = refusals.load(Ordering::Relaxed);
    assert!(
        (CALLS - retries / 2..=CALLS).contains(&refused),
        "{refused} refusals for {retries} retries"
    );

    // Recovery: the first attempt of a call is never refused, so calls succeed at once,
    // each with a single request.
    server.clear_faults();
    server.reset_log();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (client, imp_uid) = (client.clone(), imp_uid.clone());
            tokio::spawn(async move { client.payment(&imp_uid).await })
        })
        .collect();
    for task in tasks {
        let payment = task
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(payment.imp_uid, imp_uid);
    }
    assert_eq!(server.requests().len(), TASKS);
    println!("outage: {CALLS} calls sent {sent} requests ({retries} retries, {refused} refused)");
}
