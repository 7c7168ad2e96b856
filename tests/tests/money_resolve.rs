//! Resolving an unknown outcome in one call, against `portone-mock` and on its clock: every
//! wait of the resolver moves the mock's clock (`Resolve::pause_with`) and nothing sleeps.
//!
//! A charge whose answer was lost after the mock processed it resolves `Paid` (or `Declined`
//! with the card company's reason); one that never reached the mock resolves `NotReceived`
//! at the deadline, after exactly the lookups the backoff schedule gives, and is then safe to
//! send again under the same `merchant_uid`; a virtual account waiting for its deposit is
//! `Pending` at the deadline and `Paid` when the deposit lands during a wait. A refund whose
//! answer was lost resolves `Refunded`, one that never arrived `NotReceived`, one whose
//! balance another refund moved `Diverged`.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use portone::Refusal;
use portone::model::{AgainPayment, CancelPayment, IssueBillingKey, PaymentStatus};
use portone::prelude::*;
use portone::resolve::{ChargeOutcome, RefundOutcome, Resolve};
use portone_mock::{Checkout, Fault, Method, MockServer, RecordedRequest, cards};
use rust_decimal::Decimal;

const AGAIN: &str = "/subscribe/payments/again";
const CANCEL: &str = "/payments/cancel";
/// The waits of `Resolve::new()`: 1 s doubling up to 8 s, 30 s in all.
const DEFAULT_WAITS: [u64; 6] = [1, 2, 4, 8, 8, 7];

/// A mock with two billing keys: `cust-ok` (approved) and `cust-poor` (declined, `잔액부족`).
async fn world() -> (MockServer, Client) {
    let (server, client) = common::mock(Some(Duration::from_secs(10))).await;
    for (customer_uid, card) in [
        ("cust-ok", cards::APPROVED),
        ("cust-poor", cards::INSUFFICIENT_FUNDS),
    ] {
        let key = IssueBillingKey::new("channel-key-mock-nice-v2", card, "2031-12");
        client
            .issue_billing_key(customer_uid, &key)
            .await
            .unwrap_or_else(|e| panic!("billing key: {e}"));
    }
    server.reset_log();
    (server, client)
}

/// The waits the resolver asked for, in order.
type Waits = Arc<Mutex<Vec<Duration>>>;

/// Options whose waits move the mock's clock and run `during` with the wait's number (from
/// 1), instead of sleeping.
fn on_the_mock_clock(
    server: &MockServer,
    options: Resolve,
    during: impl Fn(usize) + Send + Sync + 'static,
) -> (Resolve, Waits) {
    let waits: Waits = Arc::default();
    let (server, log) = (server.clone(), Arc::clone(&waits));
    let options = options.pause_with(move |delay| {
        let n = {
            let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
            log.push(delay);
            log.len()
        };
        server.advance(delay);
        during(n);
        std::future::ready(())
    });
    (options, waits)
}

fn seconds(waits: &Waits) -> Vec<u64> {
    let waits = waits.lock().unwrap_or_else(|e| e.into_inner());
    waits.iter().map(Duration::as_secs).collect()
}

fn count(server: &MockServer, wanted: impl Fn(&RecordedRequest) -> bool) -> usize {
    server.requests().iter().filter(|r| wanted(r)).count()
}

fn posts(server: &MockServer, route: &str) -> usize {
    count(server, |r| r.method == Method::POST && r.path == route)
}

fn order_lookups(server: &MockServer) -> usize {
    count(server, |r| {
        r.method == Method::GET && r.path.starts_with("/payments/findAll/")
    })
}

/// The error and its sources, as one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line = format!("{line}: {cause}");
        source = cause.source();
    }
    line
}

fn charge(customer_uid: &str, merchant_uid: &str) -> AgainPayment {
    AgainPayment::new(customer_uid, merchant_uid, 9_900, "Monthly plan")
}

/// Sends a charge of `customer_uid` for `order` with `fault` on its arrival: the caller is
/// left not knowing what became of it.
async fn charge_lost(
    server: &MockServer,
    client: &Client,
    fault: Fault,
    customer_uid: &str,
    order: &str,
) {
    let name = fault.name();
    server.inject(fault.on(Method::POST, AGAIN).times(1));
    let error = client.pay_again(&charge(customer_uid, order)).await.err();
    assert!(
        error.as_ref().is_some_and(Error::is_outcome_unknown),
        "{name}: {error:?}"
    );
}

/// Sends `refund` with `fault` on its arrival, as [`charge_lost`] does a charge.
async fn refund_lost(server: &MockServer, client: &Client, fault: Fault, refund: &CancelPayment) {
    let name = fault.name();
    server.inject(fault.on(Method::POST, CANCEL).times(1));
    let error = client.cancel_payment(refund).await.err();
    assert!(
        error.as_ref().is_some_and(Error::is_outcome_unknown),
        "{name}: {error:?}"
    );
}

#[tokio::test]
async fn a_charge_whose_answer_was_dropped_resolves_paid_without_waiting() {
    let (server, client) = world().await;
    charge_lost(
        &server,
        &client,
        Fault::drop_response(),
        "cust-ok",
        "order-lost",
    )
    .await;
    assert_eq!(posts(&server, AGAIN), 1);

    let (options, waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_charge("order-lost", &options).await;
    let Ok(ChargeOutcome::Paid { payment }) = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(payment.merchant_uid, "order-lost");
    assert_eq!(payment.amount, Decimal::from(9_900));
    assert!(
        seconds(&waits).is_empty(),
        "a paid attempt is final at once"
    );
    assert_eq!(order_lookups(&server), 1);
    // Nothing was charged twice.
    assert_eq!(posts(&server, AGAIN), 1);
}

#[tokio::test]
async fn a_declined_charge_whose_answer_was_dropped_resolves_declined_with_the_reason() {
    let (server, client) = world().await;
    charge_lost(
        &server,
        &client,
        Fault::drop_response(),
        "cust-poor",
        "order-poor",
    )
    .await;

    let (options, waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_charge("order-poor", &options).await;
    let Ok(ChargeOutcome::Declined { reason, payment }) = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(reason.as_deref(), Some("잔액부족"));
    assert_eq!(payment.status, PaymentStatus::Failed);
    assert!(seconds(&waits).is_empty());
    assert!(!outcome.as_ref().is_ok_and(ChargeOutcome::is_paid));
}

#[tokio::test]
async fn a_charge_that_never_arrived_is_not_received_after_the_scheduled_lookups() {
    for fault in [Fault::close_connection(), Fault::reset_connection()] {
        let (server, client) = world().await;
        let name = fault.name();
        charge_lost(&server, &client, fault, "cust-ok", "order-never").await;
        let before = server.now();

        let (options, waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
        let outcome = client.resolve_charge("order-never", &options).await;
        assert!(
            matches!(outcome, Ok(ChargeOutcome::NotReceived)),
            "{name}: {outcome:?}"
        );
        assert_eq!(seconds(&waits), DEFAULT_WAITS, "{name}");
        // One lookup first, then one after each wait.
        assert_eq!(order_lookups(&server), 1 + DEFAULT_WAITS.len(), "{name}");
        // The whole deadline passed on the mock's clock, none on the wall clock.
        assert!(server.now() - before >= 30, "{name}");

        // Not received: sending it again under the same order id is safe, and pays once.
        let payment = client
            .pay_again(&charge("cust-ok", "order-never"))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(payment.status, PaymentStatus::Paid);
        assert_eq!(posts(&server, AGAIN), 2, "{name}");
        let again = client.pay_again(&charge("cust-ok", "order-never")).await;
        let refusal = again.as_ref().err().and_then(Error::refusal);
        assert_eq!(refusal, Some(Refusal::AlreadyPaid), "{name}: {again:?}");
    }
}

#[tokio::test]
async fn a_custom_schedule_gives_its_own_number_of_lookups() {
    let (server, client) = world().await;
    let schedule = Resolve::new()
        .deadline(Duration::from_secs(10))
        .first_delay(Duration::from_millis(500))
        .max_delay(Duration::from_secs(2));
    let (options, waits) = on_the_mock_clock(&server, schedule, |_| {});
    let outcome = client.resolve_charge("order-nobody", &options).await;
    assert!(
        matches!(outcome, Ok(ChargeOutcome::NotReceived)),
        "{outcome:?}"
    );
    let waited: Vec<u128> = {
        let waits = waits.lock().unwrap_or_else(|e| e.into_inner());
        waits.iter().map(Duration::as_millis).collect()
    };
    assert_eq!(waited, [500, 1000, 2000, 2000, 2000, 2000, 500]);
    assert_eq!(order_lookups(&server), 8);

    // A zero deadline looks once.
    server.reset_log();
    let (options, waits) =
        on_the_mock_clock(&server, Resolve::new().deadline(Duration::ZERO), |_| {});
    let outcome = client.resolve_charge("order-nobody", &options).await;
    assert!(
        matches!(outcome, Ok(ChargeOutcome::NotReceived)),
        "{outcome:?}"
    );
    assert!(seconds(&waits).is_empty());
    assert_eq!(order_lookups(&server), 1);
}

#[tokio::test]
async fn a_ready_virtual_account_is_pending_at_the_deadline() {
    let (server, client) = world().await;
    let imp_uid = server.checkout(Checkout::vbank_ready("order-vbank", 30_000));
    let (options, waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_charge("order-vbank", &options).await;
    let Ok(ChargeOutcome::Pending { payment }) = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(payment.imp_uid, imp_uid);
    assert_eq!(payment.status, PaymentStatus::Ready);
    assert_eq!(seconds(&waits), DEFAULT_WAITS);
    assert_eq!(order_lookups(&server), 1 + DEFAULT_WAITS.len());
}

#[tokio::test]
async fn a_deposit_during_a_wait_resolves_paid_at_the_next_lookup() {
    let (server, client) = world().await;
    let imp_uid = server.checkout(Checkout::vbank_ready("order-deposit", 30_000));
    let depositor = server.clone();
    let deposited = imp_uid.clone();
    // The buyer deposits during the third wait.
    let (options, waits) = on_the_mock_clock(&server, Resolve::new(), move |n| {
        if n == 3 {
            depositor.deposit(&deposited);
        }
    });
    let outcome = client.resolve_charge("order-deposit", &options).await;
    let Ok(ChargeOutcome::Paid { payment }) = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(payment.imp_uid, imp_uid);
    assert_eq!(seconds(&waits), [1, 2, 4]);
    assert_eq!(order_lookups(&server), 4);
}

#[tokio::test]
async fn a_charge_answered_after_the_client_timeout_resolves_paid() {
    let (server, setup) = common::mock(Some(Duration::from_secs(10))).await;
    let key = IssueBillingKey::new("channel-key-mock-nice-v2", cards::APPROVED, "2031-12");
    setup
        .issue_billing_key("cust-ok", &key)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Processed at once, answered a minute later; the client waits two seconds, time for
    // the request to arrive on a busy machine.
    server.inject(
        Fault::delay_after_processing(Duration::from_secs(60))
            .on(Method::POST, AGAIN)
            .times(1),
    );
    let client = common::mock_client(&server, Some(Duration::from_secs(2)));
    let error = client
        .pay_again(&charge("cust-ok", "order-late"))
        .await
        .err();
    assert!(
        error
            .as_ref()
            .is_some_and(|e| e.is_timeout() && e.is_outcome_unknown()),
        "{error:?}"
    );
    let (options, _waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_charge("order-late", &options).await;
    assert!(
        matches!(&outcome, Ok(ChargeOutcome::Paid { payment }) if payment.merchant_uid == "order-late"),
        "{outcome:?}"
    );
    assert_eq!(posts(&server, AGAIN), 1);
}

#[tokio::test]
async fn an_earlier_decline_under_the_same_order_id_does_not_count_when_known() {
    let (server, client) = world().await;
    // The first attempt is declined, and the caller knows it.
    let declined = client.pay_again(&charge("cust-poor", "order-retry")).await;
    let first = declined
        .as_ref()
        .err()
        .and_then(Error::declined)
        .and_then(|d| d.imp_uid.clone())
        .unwrap_or_else(|| panic!("{declined:?}"));
    // The second, with another card, never arrives.
    charge_lost(
        &server,
        &client,
        Fault::close_connection(),
        "cust-ok",
        "order-retry",
    )
    .await;

    // Without saying so, the old decline is taken for the lost charge's outcome...
    let (options, _) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_charge("order-retry", &options).await;
    assert!(
        matches!(&outcome, Ok(ChargeOutcome::Declined { payment, .. }) if payment.imp_uid == first),
        "{outcome:?}"
    );
    // ...and with `after_attempts`, it is not: the lost charge never arrived.
    let known = Resolve::new().after_attempts([first.as_str()]);
    let (options, waits) = on_the_mock_clock(&server, known, |_| {});
    let outcome = client.resolve_charge("order-retry", &options).await;
    assert!(
        matches!(outcome, Ok(ChargeOutcome::NotReceived)),
        "{outcome:?}"
    );
    assert_eq!(seconds(&waits), DEFAULT_WAITS);
}

/// A paid payment of 1000 and a refund of 100 whose checksum is the 1000 the merchant's own
/// records say is refundable.
async fn paid_and_refund(server: &MockServer, order: &str) -> (String, CancelPayment) {
    let imp_uid = server.checkout(Checkout::paid(order, 1_000));
    let refund = CancelPayment::partial_by_imp_uid(&imp_uid, Decimal::from(100))
        .unwrap_or_else(|e| panic!("{e}"))
        .checksum(Decimal::from(1_000));
    (imp_uid, refund)
}

fn payment_lookups(server: &MockServer, imp_uid: &str) -> usize {
    let route = format!("/payments/{imp_uid}");
    count(server, |r| r.method == Method::GET && r.path == route)
}

#[tokio::test]
async fn a_refund_whose_answer_was_dropped_resolves_refunded_and_is_not_made_twice() {
    let (server, client) = world().await;
    let (imp_uid, refund) = paid_and_refund(&server, "order-refund-lost").await;
    refund_lost(&server, &client, Fault::drop_response(), &refund).await;

    let (options, waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_refund(&refund, &options).await;
    let Ok(RefundOutcome::Refunded { payment }) = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(payment.cancel_amount, Decimal::from(100));
    assert!(seconds(&waits).is_empty());
    assert_eq!(payment_lookups(&server, &imp_uid), 1);

    // The same request sent again is refused by its checksum: refunded once.
    let again = client.cancel_payment(&refund).await;
    let refusal = again.as_ref().err().and_then(Error::refusal);
    assert_eq!(refusal, Some(Refusal::ChecksumMismatch), "{again:?}");
    let after = client
        .payment(&imp_uid)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after.cancel_amount, Decimal::from(100));
}

#[tokio::test]
async fn a_refund_that_never_arrived_is_not_received_and_safe_to_send_again() {
    let (server, client) = world().await;
    let (imp_uid, refund) = paid_and_refund(&server, "order-refund-never").await;
    refund_lost(&server, &client, Fault::close_connection(), &refund).await;

    let (options, waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_refund(&refund, &options).await;
    let Ok(RefundOutcome::NotReceived { payment }) = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(payment.cancellable_amount(), Decimal::from(1_000));
    assert_eq!(seconds(&waits), DEFAULT_WAITS);
    assert_eq!(payment_lookups(&server, &imp_uid), 1 + DEFAULT_WAITS.len());

    let refunded = client
        .cancel_payment(&refund)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refunded.cancel_amount, Decimal::from(100));
    assert_eq!(posts(&server, CANCEL), 2);
}

#[tokio::test]
async fn a_refund_whose_balance_another_refund_moved_diverged() {
    let (server, client) = world().await;
    let (imp_uid, refund) = paid_and_refund(&server, "order-refund-other").await;
    refund_lost(&server, &client, Fault::close_connection(), &refund).await;
    // Someone else refunds 300 meanwhile.
    let other = CancelPayment::partial_by_imp_uid(&imp_uid, Decimal::from(300))
        .unwrap_or_else(|e| panic!("{e}"));
    client
        .cancel_payment(&other)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let (options, waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_refund(&refund, &options).await;
    let Ok(RefundOutcome::Diverged { refundable, .. }) = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(*refundable, Decimal::from(700));
    assert!(seconds(&waits).is_empty(), "a diverged balance is final");
}

#[tokio::test]
async fn a_refund_without_a_checksum_is_invalid_without_a_lookup() {
    let (server, client) = world().await;
    let imp_uid = server.checkout(Checkout::paid("order-refund-bare", 1_000));
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let options = Resolve::new().pause_with(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
        std::future::ready(())
    });
    for refund in [
        CancelPayment::full_by_imp_uid(&imp_uid),
        CancelPayment::partial_by_imp_uid(&imp_uid, Decimal::from(100))
            .unwrap_or_else(|e| panic!("{e}")),
    ] {
        let outcome = client.resolve_refund(&refund, &options).await;
        assert!(
            matches!(outcome, Err(Error::InvalidRequest(_))),
            "{outcome:?}"
        );
        let chain = outcome.err().map(|e| chain(&e)).unwrap_or_default();
        assert!(chain.contains("checksum"), "{chain}");
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_refund_by_order_id_is_judged_on_the_attempt_it_refunded() {
    // The order was paid, then a second checkout of it failed: the latest attempt is not
    // the one a refund by `merchant_uid` refunds.
    let (server, client) = world().await;
    let paid = server.checkout(Checkout::paid("order-refund-by-id", 1_000));
    server.checkout(Checkout::failed("order-refund-by-id", 1_000));
    let refund = CancelPayment::partial_by_merchant_uid("order-refund-by-id", Decimal::from(100))
        .unwrap_or_else(|e| panic!("{e}"))
        .checksum(Decimal::from(1_000));
    refund_lost(&server, &client, Fault::drop_response(), &refund).await;
    let refunded = client
        .payment(&paid)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        refunded.cancel_amount,
        Decimal::from(100),
        "the mock refunded the paid one"
    );

    let (options, _waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_refund(&refund, &options).await;
    assert!(
        matches!(&outcome, Ok(RefundOutcome::Refunded { payment }) if payment.imp_uid == paid),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_lookup_that_fails_in_passing_is_no_news_and_a_lasting_refusal_ends_at_once() {
    let (server, client) = world().await;
    charge_lost(
        &server,
        &client,
        Fault::drop_response(),
        "cust-ok",
        "order-flaky",
    )
    .await;
    server.reset_log();

    // The first lookup fails with all its retries (a 503 three times): the resolver waits and
    // looks again instead of giving up or guessing.
    let lookups = "/payments/findAll/{merchant_uid}";
    server.inject(
        Fault::service_unavailable()
            .on(Method::GET, lookups)
            .times(3),
    );
    let (options, waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_charge("order-flaky", &options).await;
    assert!(
        matches!(&outcome, Ok(ChargeOutcome::Paid { .. })),
        "{outcome:?}"
    );
    assert_eq!(seconds(&waits), [1]);
    assert_eq!(order_lookups(&server), 4);

    // Refused credentials do not change by waiting: the error comes back at once.
    server.clear_faults();
    server.inject(Fault::unauthorized().on(Method::GET, lookups));
    let (options, waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_charge("order-flaky", &options).await;
    assert!(
        outcome.as_ref().is_err_and(Error::is_unauthorized),
        "{outcome:?}"
    );
    assert!(seconds(&waits).is_empty());

    // Lookups that keep failing end at the deadline with the last error, never a verdict.
    server.clear_faults();
    server.inject(Fault::service_unavailable().on(Method::GET, lookups));
    let (options, waits) = on_the_mock_clock(&server, Resolve::new(), |_| {});
    let outcome = client.resolve_charge("order-flaky", &options).await;
    assert!(
        outcome
            .as_ref()
            .is_err_and(|e| e.status() == Some(portone::StatusCode::SERVICE_UNAVAILABLE)),
        "{outcome:?}"
    );
    assert_eq!(seconds(&waits), DEFAULT_WAITS);
}
