//! The README's "Charges: paid, declined, or unknown until resolved" example, verbatim from
//! `use` to the end of `charge`, run against `portone-mock`, whose clock the resolver's
//! waits move (nothing waits on the wall clock). Change both together.

use portone::model::AgainPayment;
use portone::prelude::*;
use portone::resolve::{ChargeOutcome, Resolve};

/// What happened to a monthly charge.
#[derive(Debug, PartialEq)]
enum Charge {
    Paid {
        imp_uid: String,
    },
    Declined {
        reason: String,
    },
    /// PortOne never received it: charge again under the same order id (PortOne refuses
    /// a second payment of a paid one), never under a new one.
    NotReceived,
    /// Not settled yet: look again later.
    Pending,
}

/// Charges a subscriber for an order; `patience` says how long to wait for PortOne when
/// the answer is lost (`Resolve::new()`: 30 s).
async fn charge(
    client: &portone::Client,
    customer_uid: &str,
    order_id: &str,
    patience: &Resolve,
) -> portone::Result<Charge> {
    let request = AgainPayment::new(customer_uid, order_id, 9_900, "Monthly plan");
    let outcome = match client.pay_again(&request).await {
        Ok(payment) => ChargeOutcome::Paid {
            payment: Box::new(payment),
        },
        Err(e) if e.is_declined() => {
            let reason = e.declined().and_then(|d| d.fail_reason.clone());
            return Ok(Charge::Declined {
                reason: reason.unwrap_or_default(),
            });
        }
        // The request may have reached PortOne: ask it, never charge twice.
        Err(e) if e.is_outcome_unknown() => client.resolve_charge(order_id, patience).await?,
        Err(e) => return Err(e),
    };
    Ok(match outcome {
        ChargeOutcome::Paid { payment } => Charge::Paid {
            imp_uid: payment.imp_uid,
        },
        ChargeOutcome::Declined { reason, .. } => Charge::Declined {
            reason: reason.unwrap_or_default(),
        },
        ChargeOutcome::NotReceived => Charge::NotReceived,
        _ => Charge::Pending,
    })
}

use portone::model::IssueBillingKey;
use portone::model::PaymentStatus;
use portone_mock::{Fault, Method, MockServer, cards};

#[tokio::test]
async fn a_charge_is_paid_declined_or_resolved_never_sent_twice() -> portone::Result<()> {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = portone::Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()?;
    // The resolver's waits move the mock's clock instead of sleeping.
    let clock = server.clone();
    let patience = Resolve::new().pause_with(move |delay| {
        clock.advance(delay);
        std::future::ready(())
    });
    for (customer_uid, card) in [
        ("cust-ok", cards::APPROVED),
        ("cust-poor", cards::INSUFFICIENT_FUNDS),
    ] {
        let key = IssueBillingKey::new("channel-key-mock-nice-v2", card, "2031-12");
        client.issue_billing_key(customer_uid, &key).await?;
    }

    let Charge::Paid { imp_uid } = charge(&client, "cust-ok", "order-1", &patience).await? else {
        panic!("an approved card is paid")
    };
    let paid = client.find_payment("order-1").await?;
    assert_eq!((paid.imp_uid, paid.status), (imp_uid, PaymentStatus::Paid));

    let declined = charge(&client, "cust-poor", "order-2", &patience).await?;
    assert_eq!(
        declined,
        Charge::Declined {
            reason: "잔액부족".to_owned()
        }
    );

    // PortOne charges, then the answer is lost on the way back: resolved as paid.
    server.inject(
        Fault::drop_response()
            .on(Method::POST, "/subscribe/payments/again")
            .times(1),
    );
    let Charge::Paid { imp_uid } = charge(&client, "cust-ok", "order-3", &patience).await? else {
        panic!("the lost charge was paid")
    };
    let found = client.find_payment("order-3").await?;
    assert_eq!(found.imp_uid, imp_uid);

    // The charge never reaches PortOne: resolved as not received at the deadline, and the
    // same order id is then charged once.
    server.inject(
        Fault::reset_connection()
            .on(Method::POST, "/subscribe/payments/again")
            .times(1),
    );
    let before = server.requests().len();
    let outcome = charge(&client, "cust-ok", "order-4", &patience).await?;
    assert_eq!(outcome, Charge::NotReceived);
    let lookups = server.requests()[before..]
        .iter()
        .filter(|r| r.path.starts_with("/payments/findAll/order-4"))
        .count();
    // One lookup, then one after each wait of 1, 2, 4, 8, 8 and the last 7 seconds.
    assert_eq!(lookups, 7);
    let Charge::Paid { .. } = charge(&client, "cust-ok", "order-4", &patience).await? else {
        panic!("the order is charged once it is known that nothing arrived")
    };

    let charges = server
        .requests()
        .iter()
        .filter(|r| r.path == "/subscribe/payments/again")
        .count();
    assert_eq!(
        charges, 5,
        "one request per charge: the lost one was not re-sent"
    );
    Ok(())
}
