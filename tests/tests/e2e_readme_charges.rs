//! The README's "Charges: declines and unknown outcomes" example, verbatim from `use` to the
//! end of `charge`, run against `portone-mock`. Change both together.

use portone::model::{AgainPayment, PaymentStatus};
use portone::prelude::*;

/// What happened to a monthly charge.
#[derive(Debug, PartialEq)]
enum Charge {
    Paid { imp_uid: String },
    Declined { reason: String },
}

/// Charges a subscriber for an order. PortOne refuses a second payment of the same
/// `order_id`, so a caller that retries this cannot charge twice.
async fn charge(
    client: &portone::Client,
    customer_uid: &str,
    order_id: &str,
) -> portone::Result<Charge> {
    let request = AgainPayment::new(customer_uid, order_id, 9_900, "Monthly plan");
    match client.pay_again(&request).await {
        Ok(payment) => Ok(Charge::Paid {
            imp_uid: payment.imp_uid,
        }),
        Err(e) if e.is_declined() => {
            let reason = e.declined().and_then(|d| d.fail_reason.clone());
            Ok(Charge::Declined {
                reason: reason.unwrap_or_default(),
            })
        }
        // The request may have reached PortOne: ask before deciding, never charge twice.
        Err(e) if e.is_outcome_unknown() => {
            let payment = client.find_payment(order_id).await?;
            match payment.status {
                PaymentStatus::Paid => Ok(Charge::Paid {
                    imp_uid: payment.imp_uid,
                }),
                _ => Ok(Charge::Declined {
                    reason: payment.fail_reason.unwrap_or_default(),
                }),
            }
        }
        Err(e) => Err(e),
    }
}

use portone::model::IssueBillingKey;
use portone_mock::{Fault, Method, MockServer, cards};

#[tokio::test]
async fn a_charge_is_paid_declined_or_looked_up_never_sent_twice() -> portone::Result<()> {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = portone::Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()?;
    for (customer_uid, card) in [
        ("cust-ok", cards::APPROVED),
        ("cust-poor", cards::INSUFFICIENT_FUNDS),
    ] {
        let key = IssueBillingKey::new("channel-key-mock-nice-v2", card, "2031-12");
        client.issue_billing_key(customer_uid, &key).await?;
    }

    let Charge::Paid { imp_uid } = charge(&client, "cust-ok", "order-1").await? else {
        panic!("an approved card is paid")
    };
    let paid = client.find_payment("order-1").await?;
    assert_eq!((paid.imp_uid, paid.status), (imp_uid, PaymentStatus::Paid));

    let declined = charge(&client, "cust-poor", "order-2").await?;
    assert_eq!(
        declined,
        Charge::Declined {
            reason: "잔액부족".to_owned()
        }
    );

    // PortOne charges, then the answer is lost on the way back.
    server.inject(
        Fault::drop_response()
            .on(Method::POST, "/subscribe/payments/again")
            .times(1),
    );
    let Charge::Paid { imp_uid } = charge(&client, "cust-ok", "order-3").await? else {
        panic!("the lost charge was paid")
    };
    let found = client.find_payment("order-3").await?;
    assert_eq!(found.imp_uid, imp_uid);
    let charges = server
        .requests()
        .iter()
        .filter(|r| r.path == "/subscribe/payments/again")
        .count();
    assert_eq!(
        charges, 3,
        "one request per charge: the lost one was not re-sent"
    );
    Ok(())
}
