//! The `metrics` feature (issue 24): each outcome of a call moves its counter, by method and
//! route; getToken calls, retries and the retry budget are counted; latency is recorded.
//! One test in its own binary, since the recorder is process-wide.

use std::collections::HashMap;

use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use metrics_util::{CompositeKey, MetricKind};
use portone::metrics::{
    BUDGET_AVAILABLE, REQUEST_DURATION, REQUESTS, RETRIES, RETRIES_REFUSED, TOKEN_REQUESTS,
};
use portone::model::{AgainPayment, AnyBillingKey, CancelPayment, IssueBillingKey};
use portone::prelude::*;
use portone::{Client, RetryBudget, RetryPolicy};
use portone_mock::{Checkout, Fault, Method, MockServer, cards};

/// Counters and gauges by name and sorted labels; histograms by their number of samples.
type Readings = HashMap<(String, Vec<(String, String)>), f64>;

/// Everything recorded so far. A snapshot hands over what was recorded since the last
/// one: counters and histograms are added up here; a gauge reads as the last snapshot
/// reported it, so it is read right after what set it.
struct Totals {
    snapshotter: Snapshotter,
    readings: Readings,
}

impl Totals {
    fn read(&mut self) -> Readings {
        for (key, _, _, value) in self.snapshotter.snapshot().into_vec() {
            let key: CompositeKey = key;
            let name = key.key().name().to_owned();
            let mut labels: Vec<(String, String)> = key
                .key()
                .labels()
                .map(|l| (l.key().to_owned(), l.value().to_owned()))
                .collect();
            labels.sort();
            let entry = self.readings.entry((name, labels)).or_default();
            match (key.kind(), value) {
                (MetricKind::Counter, DebugValue::Counter(n)) => *entry += n as f64,
                (MetricKind::Gauge, DebugValue::Gauge(v)) => *entry = v.into_inner(),
                (MetricKind::Histogram, DebugValue::Histogram(samples)) => {
                    *entry += samples.len() as f64;
                }
                _ => {}
            }
        }
        self.readings.clone()
    }
}

fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut labels: Vec<_> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    labels.sort();
    labels
}

fn counter(readings: &Readings, name: &str, pairs: &[(&str, &str)]) -> f64 {
    readings
        .get(&(name.to_owned(), labels(pairs)))
        .copied()
        .unwrap_or(0.0)
}

/// The calls counted under `outcome` since `before`, for `method` and `route`.
fn calls(before: &Readings, after: &Readings, method: &str, route: &str, outcome: &str) -> f64 {
    let pairs = [("method", method), ("route", route), ("outcome", outcome)];
    counter(after, REQUESTS, &pairs) - counter(before, REQUESTS, &pairs)
}

#[tokio::test]
async fn each_outcome_moves_its_counter() {
    let recorder = DebuggingRecorder::new();
    let mut totals = Totals {
        snapshotter: recorder.snapshotter(),
        readings: Readings::new(),
    };
    recorder
        .install()
        .expect("the only recorder of this binary");
    portone::metrics::describe();

    let server = MockServer::builder().frozen_clock().start().await;
    let client = Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .retry(RetryPolicy::new(2).budget(RetryBudget::new(12)))
        .build()
        .expect("a client for the mock");
    let lookup = "/payments/{imp_uid}";
    let imp_uid = server.checkout(Checkout::paid("order-1", 1_000));

    // ok, and the one getToken it needed.
    let before = totals.read();
    client.payment(&imp_uid).await.expect("found");
    let after = totals.read();
    assert_eq!(calls(&before, &after, "GET", lookup, "ok"), 1.0);
    assert_eq!(counter(&after, TOKEN_REQUESTS, &[("outcome", "ok")]), 1.0);
    let latency = [("method", "GET"), ("route", lookup)];
    assert_eq!(counter(&after, REQUEST_DURATION, &latency), 1.0);

    // refused: PortOne's 404 for an unknown payment.
    let before = after;
    let unknown = client.payment("imp_000000000000").await;
    assert!(unknown.is_err_and(|e| e.is_not_found()));
    let after = totals.read();
    assert_eq!(calls(&before, &after, "GET", lookup, "refused"), 1.0);
    assert_eq!(calls(&before, &after, "GET", lookup, "ok"), 0.0);

    // declined: a billing key whose card is short of funds.
    // The mock's billing channel (`portone_mock`'s docs list its channels).
    let key = IssueBillingKey::new(
        "channel-key-mock-nice-v2",
        cards::INSUFFICIENT_FUNDS,
        "2030-12",
    )
    .birth("900101")
    .pwd_2digit("12");
    let issued = client
        .issue_billing_key("poor", &key)
        .await
        .expect("issued");
    assert!(matches!(issued, AnyBillingKey::Single(_)));
    let again = "/subscribe/payments/again";
    let before = totals.read();
    let declined = client
        .pay_again(&AgainPayment::new("poor", "again-1", 9_900, "월 구독"))
        .await;
    assert!(declined.is_err_and(|e| e.is_declined()));
    let after = totals.read();
    assert_eq!(calls(&before, &after, "POST", again, "declined"), 1.0);

    // unsettled: PortOne answers the charge with a payment the PG has not decided.
    server.inject(
        Fault::respond(
            200,
            "application/json",
            r#"{"code":0,"message":null,"response":{"imp_uid":"imp_100000000001",
                "merchant_uid":"again-2","status":"ready","amount":9900,"currency":"KRW"}}"#,
        )
        .on(Method::POST, again)
        .times(1),
    );
    let before = after;
    let unsettled = client
        .pay_again(&AgainPayment::new("poor", "again-2", 9_900, "월 구독"))
        .await;
    assert!(unsettled.is_err_and(|e| e.is_outcome_unknown()));
    let after = totals.read();
    assert_eq!(calls(&before, &after, "POST", again, "unsettled"), 1.0);
    assert_eq!(
        calls(&before, &after, "POST", again, "outcome_unknown"),
        0.0
    );

    // outcome_unknown: a refund processed, then its answer lost.
    let cancel = "/payments/cancel";
    server.inject(Fault::drop_response().on(Method::POST, cancel).times(1));
    let before = after;
    let refund = CancelPayment::partial_by_imp_uid(&imp_uid, 100).expect("a refund");
    let lost = client.cancel_payment(&refund).await;
    assert!(lost.is_err_and(|e| e.is_outcome_unknown()));
    let after = totals.read();
    assert_eq!(
        calls(&before, &after, "POST", cancel, "outcome_unknown"),
        1.0
    );
    assert_eq!(
        counter(&after, RETRIES, &latency),
        0.0,
        "a refund is never re-sent"
    );

    // transport: a lookup whose connection closes every time is retried twice and fails;
    // the next one is not retried: the budget (12 tokens, 5 a retry) is spent.
    server.inject(Fault::close_connection().on(Method::GET, "/payments/{imp_uid}"));
    let before = after;
    assert!(client.payment(&imp_uid).await.is_err());
    let after = totals.read();
    assert_eq!(calls(&before, &after, "GET", lookup, "transport"), 1.0);
    assert_eq!(counter(&after, RETRIES, &latency), 2.0);
    // Two retries of 5 tokens each, from 12.
    assert_eq!(counter(&after, BUDGET_AVAILABLE, &[]), 2.0);
    assert!(client.payment(&imp_uid).await.is_err());
    let refused = totals.read();
    assert_eq!(counter(&refused, RETRIES_REFUSED, &latency), 1.0);
    assert_eq!(counter(&refused, TOKEN_REQUESTS, &[("outcome", "ok")]), 1.0);
}
