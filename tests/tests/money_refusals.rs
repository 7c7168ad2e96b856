//! Each refusal a program branches on, from an answer PortOne was recorded giving: the
//! fixtures in `fixtures/refusals/` (and the older `fixtures/error-*.json`), served by
//! wiremock with the HTTP status they came with and decoded by the ready-made client.
//! `Error::refusal()` gives the kind, `code()` and `message()` PortOne's own, and `Display`
//! shows both. `fixtures/SOURCES.md` says where each answer was recorded.
//!
//! The kinds nobody published an answer for (already paid, already scheduled, checksum
//! mismatch, a malformed request) are read from `portone-mock`'s answers instead, at the end.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use portone::model::{
    AgainPayment, CancelPayment, IssueBillingKey, OnetimePayment, PreparePayment, SchedulePayments,
    ScheduledPayment,
};
use portone::prelude::*;
use portone::{Method, Refusal, Request};
use portone_mock::{Checkout, cards};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

/// The call that meets the refusal.
#[derive(Clone, Copy, Debug)]
enum Call {
    Lookup,
    Certification,
    Cancel,
    BillingKey,
    IssueBillingKey,
    Again,
    Schedule,
    Prepare,
    Onetime,
}

impl Call {
    fn route(self) -> (&'static str, &'static str) {
        match self {
            Call::Lookup => ("GET", "/payments/imp_unknown"),
            Call::Certification => ("GET", "/certifications/imp_unknown"),
            Call::Cancel => ("POST", "/payments/cancel"),
            Call::BillingKey => ("GET", "/subscribe/customers/invalid-uid"),
            Call::IssueBillingKey => ("POST", "/subscribe/customers/invalid-uid"),
            Call::Again => ("POST", "/subscribe/payments/again"),
            Call::Schedule => ("POST", "/subscribe/payments/schedule"),
            Call::Prepare => ("POST", "/payments/prepare"),
            Call::Onetime => ("POST", "/subscribe/payments/onetime"),
        }
    }

    async fn send(self, client: &Client) -> portone::Result<()> {
        match self {
            Call::Lookup => client.payment("imp_unknown").await.map(drop),
            Call::Certification => client.certification("imp_unknown").await.map(drop),
            Call::Cancel => {
                let refund = CancelPayment::full_by_imp_uid("imp_unknown");
                client.cancel_payment(&refund).await.map(drop)
            }
            Call::BillingKey => client.billing_key("invalid-uid").await.map(drop),
            Call::IssueBillingKey => {
                let key = IssueBillingKey::new("channel-key-1", "1234-1234-1234-1234", "2030-12");
                client
                    .issue_billing_key("invalid-uid", &key)
                    .await
                    .map(drop)
            }
            Call::Again => {
                let charge = AgainPayment::new("invalid-uid", "order-1", 1_000, "Monthly plan");
                client.pay_again(&charge).await.map(drop)
            }
            Call::Schedule => {
                let one = ScheduledPayment::new("order-1", 1_900_000_000, 1_000, "Monthly plan");
                let request = SchedulePayments::new("invalid-uid", [one]);
                client.schedule_payments(&request).await.map(drop)
            }
            Call::Prepare => {
                let prepare = PreparePayment::new("order-1", 1_000);
                client.prepare_payment(&prepare).await.map(drop)
            }
            Call::Onetime => {
                let charge =
                    OnetimePayment::new("order-1", 1_000, "1111-1111-1111-1111", "2030-12");
                client.pay_onetime(&charge).await.map(drop)
            }
        }
    }
}

/// One recorded answer: the fixture, the status it came with, the call, the kind.
struct Recorded {
    fixture: &'static str,
    status: u16,
    call: Call,
    kind: Refusal,
}

const fn recorded(fixture: &'static str, status: u16, call: Call, kind: Refusal) -> Recorded {
    Recorded {
        fixture,
        status,
        call,
        kind,
    }
}

const RECORDED: [Recorded; 12] = [
    recorded(
        "refusals/payment-not-found-404.json",
        404,
        Call::Lookup,
        Refusal::NotFound,
    ),
    recorded(
        "refusals/certification-not-found-404.json",
        404,
        Call::Certification,
        Refusal::NotFound,
    ),
    recorded(
        "error-cancel-not-found.json",
        200,
        Call::Cancel,
        Refusal::NotFound,
    ),
    recorded(
        "error-billingkey-not-found.json",
        200,
        Call::BillingKey,
        Refusal::UnknownBillingKey,
    ),
    recorded(
        "refusals/again-unknown-customer.json",
        200,
        Call::Again,
        Refusal::UnknownBillingKey,
    ),
    recorded(
        "refusals/schedule-unknown-customer.json",
        200,
        Call::Schedule,
        Refusal::UnknownBillingKey,
    ),
    recorded(
        "refusals/prepare-already-registered.json",
        200,
        Call::Prepare,
        Refusal::AlreadyPrepared,
    ),
    recorded(
        "refusals/cancel-already-cancelled.json",
        200,
        Call::Cancel,
        Refusal::AlreadyCancelled,
    ),
    recorded(
        "refusals/onetime-invalid-card-number.json",
        200,
        Call::Onetime,
        Refusal::InvalidCard,
    ),
    recorded(
        "error-billingkey-card-declined.json",
        200,
        Call::IssueBillingKey,
        Refusal::InvalidCard,
    ),
    recorded(
        "refusals/route-bad-token-401.json",
        401,
        Call::Lookup,
        Refusal::Unauthorized,
    ),
    recorded(
        "error-nonauth-module-not-found.json",
        200,
        Call::IssueBillingKey,
        Refusal::Other,
    ),
];

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(FIXTURES).join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

/// The error `call` meets when its route answers `status` with `body`.
async fn refused(call: Call, status: u16, body: Value) -> portone::Error {
    let (verb, route) = call.route();
    let answer = ResponseTemplate::new(status).set_body_json(body);
    let (_server, client) = common::answering(verb, route, answer, None).await;
    call.send(&client)
        .await
        .err()
        .unwrap_or_else(|| panic!("{call:?} succeeded"))
}

/// What the kind, code, message and `Display` of `error` must be for `body`.
fn check(name: &str, error: &portone::Error, body: &Value, kind: Refusal) {
    let code = body["code"].as_i64();
    let message = body["message"].as_str();
    assert_eq!(error.refusal(), Some(kind), "{name}: {error:?}");
    assert_eq!(error.code(), code, "{name}");
    assert_eq!(error.message(), message, "{name}");
    assert_eq!(error.is_not_found(), kind.is_not_found(), "{name}");
    assert!(!error.is_outcome_unknown(), "{name}: a refusal is known");
    let shown = error.to_string();
    let code = code.unwrap_or_else(|| panic!("{name}: no code"));
    let message = message.unwrap_or_else(|| panic!("{name}: no message"));
    assert!(
        shown.contains(&format!("code {code}")) && shown.contains(message),
        "{name}: {shown}"
    );
}

#[tokio::test]
async fn each_recorded_refusal_reads_as_its_kind() {
    for case in &RECORDED {
        let body = fixture(case.fixture);
        let error = refused(case.call, case.status, body.clone()).await;
        check(case.fixture, &error, &body, case.kind);
    }
}

#[tokio::test]
async fn refused_credentials_read_as_unauthorized() {
    let name = "refusals/gettoken-refused-401.json";
    let body = fixture(name);
    let server = wiremock::MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(ResponseTemplate::new(401).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let client = common::client_of(&server.uri(), "key", "secret", None);
    let error = client
        .payment("imp_1")
        .await
        .err()
        .unwrap_or_else(|| panic!("no token, yet a payment"));
    assert!(error.is_auth() && error.is_unauthorized(), "{error:?}");
    check(name, &error, &body, Refusal::Unauthorized);
}

#[test]
fn every_refusal_fixture_is_checked_and_has_a_source() {
    let sources = std::fs::read_to_string(Path::new(FIXTURES).join("SOURCES.md"))
        .unwrap_or_else(|e| panic!("SOURCES.md: {e}"));
    let on_disk: BTreeSet<String> = std::fs::read_dir(Path::new(FIXTURES).join("refusals"))
        .unwrap_or_else(|e| panic!("refusals: {e}"))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .map(|name| format!("refusals/{name}"))
        .collect();
    let mut checked: BTreeSet<String> = RECORDED.iter().map(|c| c.fixture.to_owned()).collect();
    checked.insert("refusals/gettoken-refused-401.json".into());
    let unchecked: Vec<_> = on_disk.difference(&checked).collect();
    assert!(unchecked.is_empty(), "no check for {unchecked:?}");
    let unsourced: Vec<_> = checked
        .iter()
        .filter(|name| !sources.contains(&format!("`{name}`")))
        .collect();
    assert!(unsourced.is_empty(), "not in SOURCES.md: {unsourced:?}");
    // Every kind but the ones nobody recorded has a recorded answer.
    let kinds: BTreeSet<String> = RECORDED.iter().map(|c| format!("{:?}", c.kind)).collect();
    for kind in [
        Refusal::NotFound,
        Refusal::UnknownBillingKey,
        Refusal::AlreadyPrepared,
        Refusal::AlreadyCancelled,
        Refusal::InvalidCard,
        Refusal::Unauthorized,
        Refusal::Other,
    ] {
        assert!(kinds.contains(&format!("{kind:?}")), "{kind:?}");
    }
}

/// The kinds no published answer shows, from the mock's own answers on the wire.
#[tokio::test]
async fn the_unrecorded_kinds_read_from_the_mocks_answers() {
    let (server, client) = common::mock(None).await;
    let key = IssueBillingKey::new("channel-key-mock-nice-v2", cards::APPROVED, "2031-12");
    client
        .issue_billing_key("cust-ok", &key)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let charge = AgainPayment::new("cust-ok", "order-once", 1_000, "Monthly plan");
    client
        .pay_again(&charge)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let twice = client.pay_again(&charge).await.err();
    assert_eq!(
        twice.as_ref().and_then(portone::Error::refusal),
        Some(Refusal::AlreadyPaid),
        "{twice:?}"
    );

    let one = || ScheduledPayment::new("order-later", 1_900_000_000, 1_000, "Monthly plan");
    client
        .schedule_payments(&SchedulePayments::new("cust-ok", [one()]))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let again = client
        .schedule_payments(&SchedulePayments::new("cust-ok", [one()]))
        .await
        .err();
    assert_eq!(
        again.as_ref().and_then(portone::Error::refusal),
        Some(Refusal::AlreadyScheduled),
        "{again:?}"
    );

    let imp_uid = server.checkout(Checkout::paid("order-refunds", 1_000));
    let stale = CancelPayment::partial_by_imp_uid(&imp_uid, Decimal::from(100))
        .unwrap_or_else(|e| panic!("{e}"))
        .checksum(Decimal::from(900));
    let error = client.cancel_payment(&stale).await.err();
    assert_eq!(
        error.as_ref().and_then(portone::Error::refusal),
        Some(Refusal::ChecksumMismatch),
        "{error:?}"
    );
    client
        .cancel_payment(&CancelPayment::full_by_imp_uid(&imp_uid))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let error = client
        .cancel_payment(&CancelPayment::full_by_imp_uid(&imp_uid))
        .await
        .err();
    assert_eq!(
        error.as_ref().and_then(portone::Error::refusal),
        Some(Refusal::AlreadyCancelled),
        "{error:?}"
    );

    // A refund naming no payment, refused as malformed (HTTP 400) before anything moved.
    let bare = Request::builder(Method::POST, "/payments/cancel")
        .path("/payments/cancel")
        .json(&json!({"reason": "no ids"}))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let error = client.call::<()>(bare).await.err();
    assert_eq!(
        error.as_ref().and_then(portone::Error::refusal),
        Some(Refusal::InvalidParameter),
        "{error:?}"
    );
    assert!(error.is_some_and(|e| !e.is_outcome_unknown()));
}
