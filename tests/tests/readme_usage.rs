//! The README's usage example, compiled so that it cannot drift from the API. It needs
//! real credentials, so it is only type-checked and never called.

#![allow(dead_code, unused_variables)]

use portone::model::{CancelPayment, PaymentStatus, PaymentStatusFilter, PaymentsByStatus};
use portone::prelude::*;
use rust_decimal::Decimal;

/// A route PortOne hid from its docs in 2025, declared by the user.
#[portone::api]
pub trait Legacy {
    /// The holder of a bank account.
    #[get("/vbanks/holder", timeout_ms = 5000, undocumented)]
    async fn vbank_holder(
        &self,
        #[query] bank_code: &str,
        #[query] bank_num: &str,
    ) -> portone::Result<portone::model::VbankHolder>;
}

async fn run() -> portone::Result<()> {
    let client = portone::Client::from_env()?; // build one, reuse it (cheap to clone)

    // Ready-made: GET /payments/{imp_uid}
    let payment = client.payment("imp_123456789012").await?;
    assert_eq!(payment.status, PaymentStatus::Paid);

    // Optional parameters are named, on one value built for the call.
    let page = client
        .payments_by_status(
            PaymentStatusFilter::Paid,
            &PaymentsByStatus::new().limit(100),
        )
        .await?;

    // A partial refund that is safe to retry: the checksum is the refundable balance your
    // own records hold, so PortOne refuses the refund once it has happened.
    let refundable = Decimal::from(15_000); // from your database: paid, less refunded
    let refund = CancelPayment::partial_by_imp_uid(&payment.imp_uid, 3_000)?
        .checksum(refundable)
        .reason("one item returned");
    client.cancel_payment(&refund).await?;

    // Declared above: GET /vbanks/holder?bank_code=004&bank_num=...
    let holder = client.vbank_holder("004", "1234567890").await?;

    // An agency's sub-merchant: same token, same connections, `Tier: A1B` on each call.
    let shop = client.with_tier("A1B")?;
    let _ = shop.payment_including_sandbox("imp_987654321098").await?;
    Ok(())
}

#[test]
fn the_readme_usage_example_compiles() {
    // Building the future type-checks the whole flow; it is never polled.
    let future = run();
    drop(future);
    let endpoints = <portone::Client as Legacy>::ENDPOINTS;
    assert_eq!(endpoints[0].template, "/vbanks/holder");
}
