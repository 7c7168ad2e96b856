//! The snippet of the README's "Testing your own integration with portone-mock", verbatim
//! from `use` to the end, so that it is proved to compile and pass. Change both together.

use portone::model::{CancelPayment, Payment, PaymentStatus};
use portone::prelude::*;
use portone::resolve::{RefundOutcome, Resolve};
use portone_mock::{Checkout, Fault, Method, MockServer};
use rust_decimal::Decimal;

/// What your database knows of an order's payment.
struct Order {
    imp_uid: String,
    /// What is still refundable: what was paid, less what you have refunded.
    refundable: Decimal,
}

/// The code under test: refunds part of an order. The checksum comes from your records,
/// never from a lookup made just before: after a lost answer, a lookup already shows the
/// lost refund, and a retry built from it would refund a second time. With your records'
/// balance, PortOne refuses the retry instead.
async fn refund(
    client: &portone::Client,
    order: &Order,
    amount: Decimal,
) -> portone::Result<Payment> {
    let cancel =
        CancelPayment::partial_by_imp_uid(&order.imp_uid, amount)?.checksum(order.refundable);
    client.cancel_payment(&cancel).await
}

#[tokio::test]
async fn refunds_part_of_a_paid_order_once() -> portone::Result<()> {
    let server = MockServer::start().await;
    let client = portone::Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()?;
    // What the buyer's browser would do.
    let imp_uid = server.checkout(Checkout::paid("order-1", 10_000));
    let mut order = Order {
        imp_uid: imp_uid.clone(),
        refundable: Decimal::from(10_000),
    };

    let after = refund(&client, &order, Decimal::from(3_000)).await?;
    assert_eq!(after.status, PaymentStatus::Paid);
    order.refundable = after.cancellable_amount(); // 7,000, in your records
    assert_eq!(server.get_token_calls(), 1);

    // PortOne refunds, then the answer is lost: the outcome is unknown, the client never
    // re-sends, and a retry by the caller is refused by PortOne (the balance moved).
    server.inject(
        Fault::drop_response()
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    let lost = refund(&client, &order, Decimal::from(1_000)).await;
    assert!(lost.is_err_and(|e| e.is_outcome_unknown()));
    let retried = refund(&client, &order, Decimal::from(1_000)).await;
    assert!(retried.is_err_and(|e| e.refusal() == Some(Refusal::ChecksumMismatch)));

    // The resolver tells a lost refund from one that never happened.
    let cancel = CancelPayment::partial_by_imp_uid(&imp_uid, 1_000)?.checksum(order.refundable);
    let outcome = client.resolve_refund(&cancel, &Resolve::new()).await?;
    assert!(matches!(outcome, RefundOutcome::Refunded { .. }));
    assert_eq!(outcome.payment().cancellable_amount(), Decimal::from(6_000));
    Ok(())
}
