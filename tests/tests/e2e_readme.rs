//! The snippet of the README's "Testing your own integration with portone-mock", verbatim
//! from `use` to the end, so that it is proved to compile and pass. Change both together.

use portone::model::{CancelPayment, Payment, PaymentStatus};
use portone::prelude::*;
use portone_mock::{Checkout, Fault, Method, MockServer};
use rust_decimal::Decimal;

/// The code under test: refunds part of a payment, guarded by the balance it just read.
async fn refund(
    client: &portone::Client,
    imp_uid: &str,
    amount: Decimal,
) -> portone::Result<Payment> {
    let payment = client.payment(imp_uid).await?;
    let cancel =
        CancelPayment::partial_by_imp_uid(imp_uid, amount)?.checksum(payment.cancellable_amount());
    client.cancel_payment(&cancel).await
}

#[tokio::test]
async fn refunds_part_of_a_paid_order() -> portone::Result<()> {
    let server = MockServer::start().await;
    let client = portone::Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()?;
    // What the buyer's browser would do.
    let imp_uid = server.checkout(Checkout::paid("order-1", 10_000));

    let after = refund(&client, &imp_uid, Decimal::from(3_000)).await?;
    assert_eq!(after.status, PaymentStatus::Paid);
    assert_eq!(after.cancellable_amount(), Decimal::from(7_000));
    assert_eq!(server.get_token_calls(), 1);

    // PortOne refunds, then the answer is lost: the client says the outcome is unknown
    // and never re-sends; looking the payment up tells what happened.
    server.inject(
        Fault::drop_response()
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    let lost = refund(&client, &imp_uid, Decimal::from(1_000)).await;
    assert!(lost.is_err_and(|e| e.is_outcome_unknown()));
    let cancels = server
        .requests()
        .iter()
        .filter(|r| r.path == "/payments/cancel")
        .count();
    assert_eq!(cancels, 2);
    assert_eq!(
        client.payment(&imp_uid).await?.cancellable_amount(),
        Decimal::from(6_000)
    );
    Ok(())
}
