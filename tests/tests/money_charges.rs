//! A call that creates a payment is `Ok` only when the payment is settled: every ready-made
//! charge (`pay_onetime`, `pay_again`, `retry_schedule`, KCP Quick money and autopay, Benepia
//! points) only for `paid`, and the calls that issue something paid later (`create_vbank`,
//! `issue_cvs_payment`) only for `ready`. `failed` is `Error::Declined`; any other status
//! (`ready` for a charge, `paid` for an issue, `cancelled`, a status this version does not
//! know, `null`, none at all) is `Error::Unsettled`: the outcome is unknown, and the payment
//! PortOne answered can still be read. Each call reaches the server exactly once.
//!
//! The answers are served by wiremock as PortOne sends them (HTTP 200, `code: 0`), the
//! payment being the real body of `fixtures/payment-paid-card.json` with its `status` changed.

mod common;

use portone::model::{
    AgainPayment, CreateVbank, IssueCvsPayment, OnetimePayment, PayWithBenepiaPoint,
    PayWithKcpQuickAutoPay, PayWithKcpQuickMoney, Payment, PaymentStatus, VbankOptions,
};
use portone::prelude::*;
use portone::{Endpoint, Money};
use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

use common::PAID_CARD_IMP_UID;

const ORDER: &str = "order-charge-1";

/// The ready-made calls that create a payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Call {
    Onetime,
    Again,
    RetrySchedule,
    KcpMoney,
    KcpAutopay,
    Benepia,
    Vbank,
    Cvs,
}

impl Call {
    const ALL: [Call; 8] = [
        Call::Onetime,
        Call::Again,
        Call::RetrySchedule,
        Call::KcpMoney,
        Call::KcpAutopay,
        Call::Benepia,
        Call::Vbank,
        Call::Cvs,
    ];

    fn route(self) -> String {
        match self {
            Call::Onetime => "/subscribe/payments/onetime".into(),
            Call::Again => "/subscribe/payments/again".into(),
            Call::RetrySchedule => format!("/subscribe/payments/schedule/{ORDER}/retry"),
            Call::KcpMoney => "/kcpquick/payment/money".into(),
            Call::KcpAutopay => "/kcpquick/payment/autopay".into(),
            Call::Benepia => "/benepia/payment".into(),
            Call::Vbank => "/vbanks".into(),
            Call::Cvs => "/cvs".into(),
        }
    }

    /// The call's entry in its trait's `ENDPOINTS`.
    fn endpoint(self) -> Option<&'static Endpoint> {
        let (endpoints, name): (&'static [Endpoint], _) = match self {
            Call::Onetime => (<Client as Subscriptions>::ENDPOINTS, "pay_onetime"),
            Call::Again => (<Client as Subscriptions>::ENDPOINTS, "pay_again"),
            Call::RetrySchedule => (<Client as Subscriptions>::ENDPOINTS, "retry_schedule"),
            Call::KcpMoney => (<Client as KcpQuick>::ENDPOINTS, "pay_with_kcp_money"),
            Call::KcpAutopay => (<Client as KcpQuick>::ENDPOINTS, "pay_with_kcp_autopay"),
            Call::Benepia => (<Client as Benepia>::ENDPOINTS, "pay_with_benepia_points"),
            Call::Vbank => (<Client as VirtualAccounts>::ENDPOINTS, "create_vbank"),
            Call::Cvs => (<Client as ConvenienceStore>::ENDPOINTS, "issue_cvs_payment"),
        };
        endpoints.iter().find(|e| e.name == name)
    }

    /// What the call is, by PortOne's routes (the runtime's own table).
    fn money(self) -> Money {
        match self {
            Call::Vbank | Call::Cvs => Money::Issues,
            _ => Money::Charges,
        }
    }

    /// The status that makes the answer a success.
    fn settles_as(self) -> &'static str {
        match self.money() {
            Money::Issues => "ready",
            _ => "paid",
        }
    }

    async fn send(self, client: &Client) -> portone::Result<Payment> {
        match self {
            Call::Onetime => {
                let request = OnetimePayment::new(ORDER, 9_900, "4111-1111-1111-1111", "2031-12");
                client.pay_onetime(&request).await
            }
            Call::Again => {
                let request = AgainPayment::new("customer-1", ORDER, 9_900, "Monthly plan");
                client.pay_again(&request).await
            }
            Call::RetrySchedule => client.retry_schedule(ORDER).await,
            Call::KcpMoney => {
                let request =
                    PayWithKcpQuickMoney::new("member-1", "ch-kcp", ORDER, "Beans", 9_900, "imp_1");
                client.pay_with_kcp_money(&request).await
            }
            Call::KcpAutopay => {
                let request =
                    PayWithKcpQuickAutoPay::new("autopay-1", ORDER, "Beans", "홍길동", 9_900);
                client.pay_with_kcp_autopay(&request).await
            }
            Call::Benepia => {
                let request =
                    PayWithBenepiaPoint::new("user-1", "pw-1", ORDER, 9_900, "Beans", "ch-bene");
                client.pay_with_benepia_points(&request).await
            }
            Call::Vbank => {
                let request = CreateVbank::new("ch-vbank", ORDER, 9_900, "004", 1_900_000_000);
                client.create_vbank(&request, &VbankOptions::new()).await
            }
            Call::Cvs => {
                let request = IssueCvsPayment::new("ch-cvs", ORDER, 9_900);
                client.issue_cvs_payment(&request).await
            }
        }
    }
}

/// The `status` of the payment in the answer.
#[derive(Clone, Copy, Debug)]
enum Status {
    /// `"status": "<this>"`.
    Text(&'static str),
    /// `"status": null`.
    Null,
    /// No `status` key at all.
    Absent,
}

impl Status {
    const ALL: [Status; 8] = [
        Status::Text("paid"),
        Status::Text("ready"),
        Status::Text("failed"),
        Status::Text("cancelled"),
        // A status this version does not know (PortOne's enums are open sets).
        Status::Text("refund_pending"),
        // Another letter case is another status: only PortOne's exact word settles.
        Status::Text("Paid"),
        Status::Null,
        Status::Absent,
    ];

    fn text(self) -> Option<&'static str> {
        match self {
            Status::Text(text) => Some(text),
            Status::Null | Status::Absent => None,
        }
    }
}

/// PortOne's answer: the real paid payment, for `ORDER`, in `status`.
fn answer(status: Status) -> Value {
    let mut body = common::paid_card_in("paid");
    let payment = &mut body["response"];
    payment["merchant_uid"] = json!(ORDER);
    match status {
        Status::Text(text) => payment["status"] = json!(text),
        Status::Null => payment["status"] = Value::Null,
        Status::Absent => {
            payment.as_object_mut().map(|p| p.remove("status"));
        }
    }
    if matches!(status, Status::Text("failed")) {
        payment["fail_reason"] = json!("한도초과");
        payment["failed_at"] = json!(1_709_722_069);
        payment["paid_at"] = json!(0);
    }
    body
}

/// A server answering `POST route` with `body` as PortOne does (HTTP 200), and a client.
async fn serve(route: &str, body: Value) -> (MockServer, Client) {
    let answer = ResponseTemplate::new(200).set_body_json(body);
    common::answering("POST", route, answer, None).await
}

async fn arrivals(server: &MockServer, route: &str) -> usize {
    common::arrivals(server, Some(route)).await
}

/// Checks one call answered with one status; returns what went wrong, if anything.
async fn check(call: Call, status: Status) -> Result<(), String> {
    let route = call.route();
    let (server, client) = serve(&route, answer(status)).await;
    let result = call.send(&client).await;
    let sent = arrivals(&server, &route).await;
    if sent != 1 {
        return Err(format!("sent {sent} times"));
    }
    let settled = status.text() == Some(call.settles_as());
    match (result, status.text()) {
        (Ok(payment), _) if settled => {
            if payment.status.as_str() != call.settles_as() || payment.imp_uid != PAID_CARD_IMP_UID
            {
                return Err(format!("Ok with {:?} {}", payment.status, payment.imp_uid));
            }
            Ok(())
        }
        (Ok(payment), _) => Err(format!("Ok for a `{:?}` payment", payment.status)),
        (Err(e), _) if settled => Err(format!("the settled payment failed: {e:?}")),
        (Err(e), Some("failed")) => {
            let Some(declined) = e.declined() else {
                return Err(format!("not declined: {e:?}"));
            };
            let payment: Payment = declined.payment().map_err(|e| e.to_string())?;
            let fine = !e.is_outcome_unknown()
                && declined.fail_reason.as_deref() == Some("한도초과")
                && declined.merchant_uid.as_deref() == Some(ORDER)
                && payment.status == PaymentStatus::Failed
                && e.to_string().contains("한도초과");
            fine.then_some(())
                .ok_or(format!("declined wrongly: {e:?} ({e})"))
        }
        (Err(e), text) => {
            let Some(unsettled) = e.unsettled() else {
                return Err(format!("not unsettled: {e:?}"));
            };
            if !e.is_outcome_unknown() || e.is_declined() {
                return Err(format!("the outcome reads as known: {e:?}"));
            }
            if unsettled.payment_status.as_deref() != text
                || unsettled.expected != call.settles_as()
                || unsettled.imp_uid.as_deref() != Some(PAID_CARD_IMP_UID)
                || unsettled.merchant_uid.as_deref() != Some(ORDER)
            {
                return Err(format!("wrong details: {unsettled:?}"));
            }
            let record = e.record().unwrap_or_default();
            if record.imp_uid.as_deref() != Some(PAID_CARD_IMP_UID) {
                return Err(format!("no record: {record:?}"));
            }
            // The payment PortOne answered stays readable, with what it said.
            let payment: Payment = unsettled.payment().map_err(|e| format!("payment: {e}"))?;
            if payment.status.as_str() != text.unwrap_or_default() || payment.amount != 1.into() {
                return Err(format!("payment read back as {:?}", payment.status));
            }
            let shown = e.to_string();
            if !shown.contains("unknown") || !text.is_none_or(|t| shown.contains(t)) {
                return Err(format!("Display says `{shown}`"));
            }
            Ok(())
        }
    }
}

#[tokio::test]
async fn every_payment_call_is_ok_only_when_settled_and_unknown_otherwise() {
    let mut failures = Vec::new();
    for call in Call::ALL {
        for status in Status::ALL {
            if let Err(why) = check(call, status).await {
                failures.push(format!("{call:?} answered {status:?}: {why}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_ready_made_calls_carry_their_routes_rule() {
    for call in Call::ALL {
        let endpoint = call.endpoint();
        assert_eq!(
            endpoint.map(|e| (e.method, e.money, e.idempotent)),
            Some(("POST", call.money(), false)),
            "{call:?}"
        );
    }
}

#[tokio::test]
async fn a_settled_payment_that_does_not_decode_is_unknown_not_failed() {
    // PortOne took the money; only the answer is unreadable to this version.
    for call in Call::ALL {
        let route = call.route();
        let mut body = answer(Status::Text(call.settles_as()));
        body["response"]["amount"] = json!("lots");
        let (server, client) = serve(&route, body).await;
        let error = call.send(&client).await.err();
        let Some(error) = error else {
            panic!("{call:?}: Ok from an unreadable payment")
        };
        assert!(
            matches!(error, portone::Error::Decode { .. }) && error.is_outcome_unknown(),
            "{call:?}: {error:?}"
        );
        let record = error.record().unwrap_or_default();
        assert_eq!(
            record.imp_uid.as_deref(),
            Some(PAID_CARD_IMP_UID),
            "{call:?}"
        );
        assert_eq!(arrivals(&server, &route).await, 1, "{call:?}");
    }
}
