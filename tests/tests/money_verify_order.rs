//! Verifying the order, not one attempt, against `portone-mock`: `verify_order` looks up
//! every attempt of the order's `merchant_uid` and is `Paid` when one is paid with the
//! order's amount, whatever the others say (an earlier failed try, a late `failed`
//! notification for it), `DoublePayment` when two are paid, and `Mismatch::UnknownOrder`
//! when PortOne has none.

mod common;

use std::time::Duration;

use portone::model::PaymentStatus;
use portone::prelude::*;
use portone::verify::{Mismatch, Order, Verdict};
use portone::webhook::Notification;
use portone_mock::{Checkout, Fault, Method, MockServer};
use rust_decimal::Decimal;

/// A notification as PortOne POSTs it, read by the crate's own parser.
fn notification(imp_uid: &str, merchant_uid: &str, status: &str) -> Notification {
    let body =
        format!(r#"{{"imp_uid":"{imp_uid}","merchant_uid":"{merchant_uid}","status":"{status}"}}"#);
    Notification::parse("application/json", body.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn order_lookups(server: &MockServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == Method::GET && r.path.starts_with("/payments/findAll/"))
        .count()
}

#[tokio::test]
async fn a_failed_then_a_paid_attempt_is_a_paid_order_also_after_a_late_failed_notification() {
    let (server, client) = common::mock(None).await;
    let order = Order::new("order-two-tries", 15_000);
    let failed =
        server.checkout(Checkout::failed("order-two-tries", 15_000).fail_reason("카드 한도초과"));
    let paid = server.checkout(Checkout::paid("order-two-tries", 15_000));

    let verdict = client
        .verify_order(&order)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let Verdict::Paid { payment } = &verdict else {
        panic!("{verdict:?}")
    };
    assert_eq!(payment.imp_uid, paid);

    // The failed attempt's notification arrives late: the attempt read alone is `Failed`,
    // the order is still paid.
    let late = notification(&failed, "order-two-tries", "failed");
    let attempt = client
        .verify_notification(&late, &order)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&attempt, Verdict::Failed { reason, .. } if reason.as_deref() == Some("카드 한도초과")),
        "{attempt:?}"
    );
    let verdict = client
        .verify_order(&order)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&verdict, Verdict::Paid { payment } if payment.imp_uid == paid),
        "{verdict:?}"
    );
    assert!(verdict.is_paid());
}

#[tokio::test]
async fn a_paid_then_a_failed_attempt_is_still_paid() {
    // The latest attempt failing does not undo the earlier payment.
    let (server, client) = common::mock(None).await;
    let paid = server.checkout(Checkout::paid("order-paid-first", 15_000));
    server.checkout(Checkout::failed("order-paid-first", 15_000));
    let verdict = client
        .verify_order(&Order::new("order-paid-first", 15_000))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&verdict, Verdict::Paid { payment } if payment.imp_uid == paid),
        "{verdict:?}"
    );
}

#[tokio::test]
async fn two_paid_attempts_are_a_double_payment() {
    let (server, client) = common::mock(None).await;
    // Two browser windows, both paid: PortOne does not stop a checkout of a paid order.
    let first = server.checkout(Checkout::paid("order-twice", 15_000));
    server.advance(Duration::from_secs(60));
    server.checkout(Checkout::failed("order-twice", 15_000));
    server.advance(Duration::from_secs(60));
    let second = server.checkout(Checkout::paid("order-twice", 15_000));
    let verdict = client
        .verify_order(&Order::new("order-twice", 15_000))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let Verdict::DoublePayment { payments } = &verdict else {
        panic!("{verdict:?}")
    };
    // The earliest first: the one to keep, the other to refund.
    let ids: Vec<&str> = payments.iter().map(|p| p.imp_uid.as_str()).collect();
    assert_eq!(ids, [first.as_str(), second.as_str()]);
    assert!(payments.iter().all(|p| p.status == PaymentStatus::Paid));
    assert!(!verdict.is_paid(), "a double payment is not simply shipped");
    assert!(verdict.to_string().contains("2 times"), "{verdict}");
}

#[tokio::test]
async fn an_order_without_attempts_is_unknown() {
    let (server, client) = common::mock(None).await;
    server.checkout(Checkout::paid("order-someone-else", 15_000));
    let verdict = client
        .verify_order(&Order::new("order-nobody-paid", 15_000))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&verdict, Verdict::Mismatch(Mismatch::UnknownOrder { merchant_uid }) if merchant_uid == "order-nobody-paid"),
        "{verdict:?}"
    );
    assert_eq!(order_lookups(&server), 1);
}

#[tokio::test]
async fn the_one_paid_attempt_must_have_the_orders_amount() {
    let (server, client) = common::mock(None).await;
    server.checkout(Checkout::failed("order-cheap", 15_000));
    server.checkout(Checkout::paid("order-cheap", 1_000));
    let verdict = client
        .verify_order(&Order::new("order-cheap", 15_000))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&verdict, Verdict::Mismatch(Mismatch::Amount { expected, .. }) if *expected == Decimal::from(15_000)),
        "{verdict:?}"
    );
}

#[tokio::test]
async fn a_paid_attempt_behind_a_hundred_failed_ones_is_found_on_a_later_page() {
    let (server, client) = common::mock(None).await;
    let paid = server.checkout(Checkout::paid("order-many", 15_000));
    for _ in 0..120 {
        server.checkout(Checkout::failed("order-many", 15_000));
    }
    let verdict = client
        .verify_order(&Order::new("order-many", 15_000))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&verdict, Verdict::Paid { payment } if payment.imp_uid == paid),
        "{verdict:?}"
    );
    assert_eq!(order_lookups(&server), 2, "two pages of 100");
}

#[tokio::test]
async fn a_failed_lookup_is_an_error_never_a_verdict() {
    let (server, client) = common::mock(None).await;
    server.checkout(Checkout::paid("order-unreachable", 15_000));
    server.inject(Fault::service_unavailable().on(Method::GET, "/payments/findAll/{merchant_uid}"));
    let verdict = client
        .verify_order(&Order::new("order-unreachable", 15_000))
        .await;
    assert!(
        verdict
            .as_ref()
            .is_err_and(|e| e.status() == Some(portone::StatusCode::SERVICE_UNAVAILABLE)),
        "{verdict:?}"
    );
    // Retried within the policy, then given up.
    assert_eq!(order_lookups(&server), 3);
}
