//! A `prepare` whose answer was lost can be sent again, against `portone-mock`: PortOne
//! refuses the second prepare of a `merchant_uid` as already registered, and when the amount
//! it holds is the request's own, `prepare_payment` reads that refusal as its success. With
//! another amount the refusal stays, as `Refusal::AlreadyPrepared`.

mod common;

use portone::Refusal;
use portone::model::{Currency, PaymentStatus, PreparePayment};
use portone::prelude::*;
use portone_mock::{Checkout, Fault, Method, MockServer};
use rust_decimal::Decimal;

const PREPARE: &str = "/payments/prepare";

fn prepares(server: &MockServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == Method::POST && r.path == PREPARE)
        .count()
}

/// Sends `request` once with its answer dropped after the mock registered it.
async fn lose_the_answer(server: &MockServer, client: &Client, request: &PreparePayment) {
    server.inject(Fault::drop_response().on(Method::POST, PREPARE).times(1));
    let lost = client.prepare_payment(request).await;
    assert!(lost.is_err(), "{lost:?}");
    assert_eq!(prepares(server), 1);
}

#[tokio::test]
async fn a_lost_prepare_sent_again_is_ok() {
    let (server, client) = common::mock(None).await;
    let request = PreparePayment::new("order-prepared", 15_000);
    lose_the_answer(&server, &client, &request).await;

    let prepared = client
        .prepare_payment(&request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(prepared.merchant_uid, "order-prepared");
    assert_eq!(prepared.amount, Decimal::from(15_000));
    // Sent once more, refused, and read back.
    assert_eq!(prepares(&server), 2);
    // And again: the order id is never stuck.
    assert!(client.prepare_payment(&request).await.is_ok());

    // The prepared amount still guards the checkout.
    let imp_uid = server.checkout(Checkout::paid("order-prepared", 1_000));
    let tampered = client
        .payment(&imp_uid)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tampered.status, PaymentStatus::Failed);
}

#[tokio::test]
async fn a_prepare_again_with_another_amount_stays_refused() {
    let (server, client) = common::mock(None).await;
    let request = PreparePayment::new("order-changed", 15_000);
    lose_the_answer(&server, &client, &request).await;

    let other = PreparePayment::new("order-changed", 14_000);
    let error = client
        .prepare_payment(&other)
        .await
        .err()
        .unwrap_or_else(|| panic!("another amount was accepted"));
    assert_eq!(error.refusal(), Some(Refusal::AlreadyPrepared), "{error:?}");
    assert_eq!(error.code(), Some(1));
    assert!(
        error.message().is_some_and(|m| m.contains("merchant_uid")),
        "{error:?}"
    );
    assert!(!error.is_outcome_unknown());
    // What PortOne holds is unchanged.
    let held = client
        .prepared_payment("order-changed")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(held.amount, Decimal::from(15_000));

    // The same amount in another currency is another registration too.
    let usd = PreparePayment::new("order-changed", 15_000).currency(Currency::Usd);
    let error = client.prepare_payment(&usd).await.err();
    assert_eq!(
        error.as_ref().and_then(portone::Error::refusal),
        Some(Refusal::AlreadyPrepared),
        "{error:?}"
    );
}
