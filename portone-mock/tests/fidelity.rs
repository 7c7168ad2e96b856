//! The mock against bodies PortOne really sent (`tests/fixtures/`): every field a real body
//! carries is there, with the same JSON type, and refusals use PortOne's words.

mod common;

use common::Api;
use portone_mock::{Checkout, MockServer, cards};
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every key of `real` is in `mock`; where both are non-null, the types agree.
#[track_caller]
fn covers(mock: &Value, real: &Value, what: &str) {
    let (Some(mock), Some(real)) = (mock.as_object(), real.as_object()) else {
        panic!("{what}: not objects");
    };
    for (key, value) in real {
        let Some(ours) = mock.get(key) else {
            panic!("{what}: the mock has no `{key}`");
        };
        if !value.is_null() && !ours.is_null() {
            assert_eq!(kind(ours), kind(value), "{what}.{key}: {ours} vs {value}");
        }
    }
}

#[tokio::test]
async fn token_payment_and_cancel_bodies() {
    let server = MockServer::start().await;
    let http = reqwest::Client::new();
    let token = common::get_token(&server, &http).await;
    let real = fixture("token-gettoken-junsup1959.json");
    assert_eq!(token.body.as_object().map(|o| o.len()), Some(3));
    covers(token.response(), &real["response"], "token");
    let real_ttl = real["response"]["expired_at"].as_i64().unwrap_or_default()
        - real["response"]["now"].as_i64().unwrap_or_default();
    let ttl = token.response()["expired_at"].as_i64().unwrap_or_default()
        - token.response()["now"].as_i64().unwrap_or_default();
    assert_eq!(ttl, real_ttl);

    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("real-1", 1).name("당근 10kg"));
    let paid = api.get(&format!("/payments/{imp_uid}")).await;
    let real = fixture("payment-paid-card-inicis-wordcharger.json");
    covers(&paid.body, &real, "envelope");
    covers(paid.ok(), &real["response"], "payment");

    let cancelled = api
        .post(
            "/payments/cancel",
            &json!({ "imp_uid": imp_uid, "reason": "잘못된 결제" }),
        )
        .await;
    let real = fixture("payment-cancelled-kakaopay-laundry.json");
    covers(cancelled.ok(), &real["response"], "cancelled payment");
    covers(
        &cancelled.ok()["cancel_history"][0],
        &real["response"]["cancel_history"][0],
        "cancel_history[0]",
    );
    assert_eq!(cancelled.ok()["status"], real["response"]["status"]);
}

#[tokio::test]
async fn billing_key_and_schedule_bodies() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let card = json!({ "card_number": cards::APPROVED, "expiry": "2030-12" });
    let saved = api.post("/subscribe/customers/4", &card).await;
    covers(
        saved.ok(),
        &fixture("billingkey-customer-nice_v2-fundly.json"),
        "customer",
    );

    let at = server.now() + 3600;
    let entry = json!({ "merchant_uid": "sub_r", "schedule_at": at, "amount": 5900, "name": "정기결제예약" });
    api.post(
        "/subscribe/payments/schedule",
        &json!({ "customer_uid": "4", "schedules": [entry] }),
    )
    .await
    .ok();
    let revoked = api
        .post(
            "/subscribe/payments/unschedule",
            &json!({ "customer_uid": "4", "merchant_uid": ["sub_r"] }),
        )
        .await;
    let real = fixture("schedule-unschedule-revoked-laundry.json");
    covers(&revoked.ok()[0], &real["response"][0], "schedule");
    assert_eq!(
        revoked.ok()[0]["schedule_status"],
        real["response"][0]["schedule_status"]
    );
    assert_eq!(
        revoked.ok()[0]["payment_status"],
        real["response"][0]["payment_status"]
    );
    assert_eq!(
        revoked.ok()[0]["executed_at"],
        real["response"][0]["executed_at"]
    );
}

#[tokio::test]
async fn a_declined_payment_carries_every_field_of_a_real_payment() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    api.post(
        "/subscribe/customers/poor",
        &json!({ "card_number": cards::INSUFFICIENT_FUNDS, "expiry": "2030-12" }),
    )
    .await
    .ok();
    let declined = api
        .post(
            "/subscribe/payments/again",
            &json!({ "customer_uid": "poor", "merchant_uid": "d-1", "amount": 1000, "name": "x" }),
        )
        .await;
    let real = fixture("payment-paid-card-inicis-wordcharger.json");
    covers(&declined.body, &real, "envelope");
    covers(declined.ok(), &real["response"], "declined payment");
    assert_eq!(declined.ok()["status"], "failed");
}

#[tokio::test]
async fn a_declined_card_is_refused_in_portones_words() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let card = json!({ "card_number": cards::INVALID_NUMBER, "expiry": "2030-12" });
    let declined = api.post("/subscribe/customers/bad", &card).await;
    assert_eq!(declined.status, 200);
    assert_eq!(
        declined.body,
        fixture("error-billingkey-card-declined-ruby-readme.json")
    );
}
