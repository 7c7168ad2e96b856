//! Refunds end to end on `portone-mock`: partial refunds guarded by `checksum`, the
//! refusals PortOne answers with HTTP 200 and `code` 1, full refunds and `cancel_history`.

use portone::model::{
    CancelPayment, Payment, PaymentStatus, PaymentStatusFilter, PaymentsByStatus,
};
use portone::prelude::*;
use portone::{Client, StatusCode};
use portone_mock::{Checkout, Fault, Method, MockServer};
use rust_decimal::Decimal;

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()
        .expect("a client for the mock")
}

fn won(amount: i64) -> Decimal {
    Decimal::from(amount)
}

/// A paid payment of `amount` KRW and a client.
async fn paid(amount: i64) -> (MockServer, Client, Payment) {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let imp_uid = server.checkout(Checkout::paid("cancel-order", amount));
    let payment = client.payment(&imp_uid).await.expect("paid");
    (server, client, payment)
}

/// PortOne's refusal: HTTP 200 with `code` 1; returns the message.
#[track_caller]
fn refused_with_code_1(result: portone::Result<Payment>) -> String {
    match result {
        Err(Error::Api(e)) => {
            assert_eq!((e.status, e.code), (StatusCode::OK, 1), "{e}");
            e.message.unwrap_or_default()
        }
        other => panic!("expected a refusal with code 1, got {other:?}"),
    }
}

fn cancels_sent(server: &MockServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == Method::POST && r.path == "/payments/cancel")
        .count()
}

#[tokio::test]
async fn a_partial_refund_with_checksum_then_a_full_refund() {
    let (server, client, payment) = paid(10_000).await;
    let imp_uid = payment.imp_uid.clone();

    let partial = CancelPayment::partial_by_imp_uid(&imp_uid, won(3_000))
        .expect("above zero")
        .checksum(payment.cancellable_amount())
        .reason("one item returned");
    let after = client.cancel_payment(&partial).await.expect("refunded");
    assert_eq!(
        after.status,
        PaymentStatus::Paid,
        "a partial refund stays paid"
    );
    assert_eq!(
        (after.amount, after.cancel_amount),
        (won(10_000), won(3_000))
    );
    assert_eq!(after.cancellable_amount(), won(7_000));
    assert_eq!(after.cancel_history.len(), 1);
    assert_eq!(after.cancel_history[0].amount, won(3_000));
    assert_eq!(
        after.cancel_history[0].reason.as_deref(),
        Some("one item returned")
    );
    let body = server
        .requests()
        .pop()
        .and_then(|r| r.json())
        .expect("a JSON body");
    assert_eq!(
        body,
        serde_json::json!({"imp_uid": imp_uid, "amount": 3000, "checksum": 10000, "reason": "one item returned"})
    );

    let full = CancelPayment::full_by_imp_uid(&imp_uid)
        .checksum(after.cancellable_amount())
        .reason("order cancelled");
    let cancelled = client.cancel_payment(&full).await.expect("refunded");
    assert_eq!(cancelled.status, PaymentStatus::Cancelled);
    assert_eq!(cancelled.cancel_amount, won(10_000));
    assert_eq!(cancelled.cancellable_amount(), Decimal::ZERO);
    assert!(cancelled.cancelled_at.is_some());
    let history: Vec<(Decimal, Option<&str>)> = cancelled
        .cancel_history
        .iter()
        .map(|c| (c.amount, c.reason.as_deref()))
        .collect();
    assert_eq!(
        history,
        [
            (won(3_000), Some("one item returned")),
            (won(7_000), Some("order cancelled"))
        ]
    );

    // What a later lookup and a listing say.
    let looked_up = client.payment(&imp_uid).await.expect("found");
    assert_eq!(looked_up, cancelled);
    let listed = client
        .payments_by_status(PaymentStatusFilter::Cancelled, &PaymentsByStatus::new())
        .await
        .expect("listed");
    assert_eq!(listed.total, 1);
    assert_eq!(listed.list[0].imp_uid, imp_uid);

    let again = client
        .cancel_payment(&CancelPayment::full_by_imp_uid(&imp_uid))
        .await;
    let message = refused_with_code_1(again);
    assert_eq!(message, "이미 전액취소된 주문입니다.");
}

#[tokio::test]
async fn a_stale_checksum_is_refused_and_nothing_moves() {
    let (server, client, payment) = paid(10_000).await;
    let partial = CancelPayment::partial_by_imp_uid(&payment.imp_uid, won(4_000))
        .expect("above zero")
        .checksum(payment.cancellable_amount());
    client.cancel_payment(&partial).await.expect("first time");

    // The same request again (a retry after a lost answer): the balance moved, so PortOne
    // refuses instead of refunding twice.
    let message = refused_with_code_1(client.cancel_payment(&partial).await);
    assert!(message.contains("checksum(10000)"), "{message}");
    assert!(message.contains("6000"), "{message}");
    let now = client.payment(&payment.imp_uid).await.expect("found");
    assert_eq!(now.cancel_amount, won(4_000));
    assert_eq!(now.cancel_history.len(), 1);
    assert_eq!(cancels_sent(&server), 2);
}

#[tokio::test]
async fn a_refund_above_the_balance_is_refused() {
    let (_server, client, payment) = paid(10_000).await;
    let first = CancelPayment::partial_by_merchant_uid("cancel-order", won(6_000))
        .expect("above zero")
        .checksum(won(10_000));
    let after = client
        .cancel_payment(&first)
        .await
        .expect("by merchant_uid");
    assert_eq!(after.imp_uid, payment.imp_uid);

    let over = CancelPayment::partial_by_imp_uid(&payment.imp_uid, won(4_001))
        .expect("above zero")
        .checksum(won(4_000));
    let message = refused_with_code_1(client.cancel_payment(&over).await);
    assert!(message.contains("초과"), "{message}");
    let now = client.payment(&payment.imp_uid).await.expect("found");
    assert_eq!(now.cancellable_amount(), won(4_000));

    let exact = CancelPayment::partial_by_imp_uid(&payment.imp_uid, won(4_000))
        .expect("above zero")
        .checksum(won(4_000));
    let done = client.cancel_payment(&exact).await.expect("the rest");
    assert_eq!(done.status, PaymentStatus::Cancelled);
}

#[tokio::test]
async fn cancelling_an_unknown_payment_is_code_1_on_http_200() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    for cancel in [
        CancelPayment::full_by_imp_uid("imp_000000000000"),
        CancelPayment::full_by_merchant_uid("no-such-order"),
    ] {
        let result = client.cancel_payment(&cancel).await;
        if let Err(e) = &result {
            // HTTP 200, not 404, yet PortOne's words say there is no such payment.
            assert!(e.is_not_found(), "{e:?}");
        }
        let message = refused_with_code_1(result);
        assert_eq!(message, "취소할 결제건이 존재하지 않습니다.");
    }
    // A zero partial refund would be a full one: refused before anything is sent.
    assert!(CancelPayment::partial_by_imp_uid("imp_1", Decimal::ZERO).is_err());
    assert_eq!(cancels_sent(&server), 2);
}

#[tokio::test]
async fn fractional_amounts_are_refunded_exactly() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let amount = serde_json::Number::from_f64(30.30).expect("finite");
    let imp_uid = server.checkout(Checkout::paid("usd-1", amount).currency("USD"));
    let tenth = Decimal::new(1010, 2);
    let mut balance = Decimal::new(3030, 2);
    for _ in 0..3 {
        let cancel = CancelPayment::partial_by_imp_uid(&imp_uid, tenth)
            .expect("above zero")
            .currency("USD")
            .checksum(balance);
        let after = client.cancel_payment(&cancel).await.expect("refunded");
        balance -= tenth;
        assert_eq!(after.cancellable_amount(), balance);
    }
    let done = client.payment(&imp_uid).await.expect("found");
    assert_eq!(done.status, PaymentStatus::Cancelled);
    assert_eq!(done.cancel_amount, Decimal::new(3030, 2));
    assert_eq!(done.currency.as_str(), "USD");
}

/// The answer to a refund is lost after PortOne made it: the client does not send it again,
/// and the caller's retry with the same `checksum` is refused instead of refunding twice.
#[tokio::test]
async fn a_lost_answer_is_never_resent_and_the_checksum_stops_a_double_refund() {
    let (server, client, payment) = paid(10_000).await;
    server.inject(
        Fault::drop_response()
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    let partial = CancelPayment::partial_by_imp_uid(&payment.imp_uid, won(2_500))
        .expect("above zero")
        .checksum(payment.cancellable_amount());
    let lost = client
        .cancel_payment(&partial)
        .await
        .expect_err("the connection was reset");
    assert!(
        matches!(lost, Error::Transport { .. }) && lost.is_outcome_unknown(),
        "{lost:?}"
    );
    assert_eq!(
        cancels_sent(&server),
        1,
        "a money-moving POST is not re-sent"
    );

    // Look it up before deciding: the refund happened.
    let now = client.payment(&payment.imp_uid).await.expect("found");
    assert_eq!(now.cancel_amount, won(2_500));
    let message = refused_with_code_1(client.cancel_payment(&partial).await);
    assert!(message.contains("checksum"), "{message}");
    let still = client.payment(&payment.imp_uid).await.expect("found");
    assert_eq!(still.cancel_amount, won(2_500));
}
