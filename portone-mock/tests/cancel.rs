//! `POST /payments/cancel`: full, partial, checksum, over-refund, unknown payments.

mod common;

use common::Api;
use portone_mock::{Checkout, MockServer};
use serde_json::json;

async fn paid(amount: i64) -> (MockServer, Api, String) {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("order-1", amount));
    (server, api, imp_uid)
}

#[tokio::test]
async fn omitted_or_zero_amount_is_a_full_refund() {
    for amount in [None, Some(0)] {
        let (_server, api, imp_uid) = paid(10000).await;
        let mut body = json!({ "imp_uid": imp_uid, "reason": "변심" });
        if let Some(a) = amount {
            body["amount"] = json!(a);
        }
        let answer = api.post("/payments/cancel", &body).await;
        let p = answer.ok();
        assert_eq!(p["status"], "cancelled");
        assert_eq!(p["cancel_amount"], 10000);
        assert_eq!(p["cancel_reason"], "변심");
        assert_eq!(p["cancel_history"].as_array().map(Vec::len), Some(1));
        assert_eq!(p["cancel_history"][0]["amount"], 10000);
        assert!(p["cancelled_at"].as_i64().unwrap_or_default() > 0);
    }
}

#[tokio::test]
async fn partial_refunds_accumulate_and_cancel_only_when_nothing_is_left() {
    let (_server, api, imp_uid) = paid(10000).await;
    let first = api
        .post(
            "/payments/cancel",
            &json!({ "imp_uid": imp_uid, "amount": 3000, "checksum": 10000, "reason": "부분" }),
        )
        .await;
    let p = first.ok();
    assert_eq!(p["status"], "paid");
    assert_eq!(p["cancel_amount"], 3000);
    let second = api
        .post(
            "/payments/cancel",
            &json!({ "imp_uid": imp_uid, "amount": 7000, "checksum": 7000 }),
        )
        .await;
    let p = second.ok();
    assert_eq!(p["status"], "cancelled");
    assert_eq!(p["cancel_amount"], 10000);
    let history = p["cancel_history"].as_array().cloned().unwrap_or_default();
    assert_eq!(history.len(), 2);
    for entry in &history {
        for key in [
            "pg_tid",
            "amount",
            "cancelled_at",
            "reason",
            "receipt_url",
            "cancellation_id",
        ] {
            assert!(!entry[key].is_null(), "{key} in {entry}");
        }
    }
    assert_eq!(p["cancel_receipt_urls"].as_array().map(Vec::len), Some(2));
    // The lookup agrees.
    let looked = api.get(&format!("/payments/{imp_uid}")).await;
    assert_eq!(looked.ok()["cancel_amount"], 10000);
}

#[tokio::test]
async fn a_checksum_that_is_not_the_balance_is_refused() {
    let (_server, api, imp_uid) = paid(10000).await;
    api.post(
        "/payments/cancel",
        &json!({ "imp_uid": imp_uid, "amount": 1000 }),
    )
    .await
    .ok();
    // A retry that still believes in the old balance.
    let stale = api
        .post(
            "/payments/cancel",
            &json!({ "imp_uid": imp_uid, "amount": 1000, "checksum": 10000 }),
        )
        .await;
    assert_eq!((stale.status, stale.code()), (200, 1));
    assert!(stale.response().is_null());
    let p = api.get(&format!("/payments/{imp_uid}")).await;
    assert_eq!(p.ok()["cancel_amount"], 1000);
    // A null checksum skips the check.
    let unchecked = api
        .post(
            "/payments/cancel",
            &json!({ "imp_uid": imp_uid, "amount": 1000, "checksum": null }),
        )
        .await;
    assert_eq!(unchecked.ok()["cancel_amount"], 2000);
}

#[tokio::test]
async fn over_refund_is_refused() {
    let (_server, api, imp_uid) = paid(5000).await;
    let answer = api
        .post(
            "/payments/cancel",
            &json!({ "imp_uid": imp_uid, "amount": 5001 }),
        )
        .await;
    assert_eq!((answer.status, answer.code()), (200, 1));
    let again = api
        .post("/payments/cancel", &json!({ "imp_uid": imp_uid }))
        .await;
    again.ok();
    let twice = api
        .post("/payments/cancel", &json!({ "imp_uid": imp_uid }))
        .await;
    assert_eq!((twice.status, twice.code()), (200, 1));
}

#[tokio::test]
async fn an_unknown_payment_is_http_200_with_code_1() {
    let (_server, api, _) = paid(1000).await;
    for body in [
        json!({ "imp_uid": "imp_999999999999" }),
        json!({ "merchant_uid": "nope" }),
    ] {
        let answer = api.post("/payments/cancel", &body).await;
        assert_eq!((answer.status, answer.code()), (200, 1));
        assert_eq!(answer.message(), "취소할 결제건이 존재하지 않습니다.");
        assert!(answer.response().is_null());
    }
}

#[tokio::test]
async fn by_merchant_uid_and_fractional_amounts() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let amount = serde_json::Number::from_f64(30.30).unwrap_or_else(|| 0.into());
    server.checkout(Checkout::paid("usd-1", amount).currency("USD"));
    let answer = api
        .post(
            "/payments/cancel",
            &json!({ "merchant_uid": "usd-1", "amount": 10.10, "checksum": 30.30 }),
        )
        .await;
    let p = answer.ok();
    assert_eq!(p["cancel_amount"], json!(10.1));
    assert_eq!(p["currency"], "USD");
    let rest = api
        .post(
            "/payments/cancel",
            &json!({ "merchant_uid": "usd-1", "checksum": 20.2 }),
        )
        .await;
    assert_eq!(rest.ok()["status"], "cancelled");
}

#[tokio::test]
async fn unpaid_payments_and_vbank_refunds() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let failed = server.checkout(Checkout::failed("f-1", 1000));
    let answer = api
        .post("/payments/cancel", &json!({ "imp_uid": failed }))
        .await;
    assert_eq!((answer.status, answer.code()), (200, 1));
    let vbank = server.checkout(Checkout::vbank_ready("v-1", 2000));
    server.deposit(&vbank);
    let no_account = api
        .post("/payments/cancel", &json!({ "imp_uid": vbank }))
        .await;
    assert_eq!(no_account.code(), 1);
    let refunded = api
        .post(
            "/payments/cancel",
            &json!({ "imp_uid": vbank, "refund_holder": "홍길동", "refund_bank": "004", "refund_account": "12345678901" }),
        )
        .await;
    assert_eq!(refunded.ok()["status"], "cancelled");
    let neither = api
        .post("/payments/cancel", &json!({ "reason": "?" }))
        .await;
    assert_eq!(neither.status, 400);
}
