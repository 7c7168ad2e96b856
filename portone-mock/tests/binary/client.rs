//! Lookups with the Rust client (`portone::Client`) against the spawned binary: the
//! client's rules (token, envelope, types) and the binary's agree.

use portone::model::PaymentStatus;
use portone::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

use crate::process::Mock;

#[tokio::test]
async fn the_rust_client_looks_up_what_the_admin_api_paid() {
    let mock = Mock::start(&["--api-key", "k_rust", "--api-secret", "s_rust"]).await;
    let paid = mock
        .checkout(&json!({ "merchant_uid": "rust-1", "amount": 15000, "buyer_name": "홍길동" }))
        .await;
    let imp_uid = paid["imp_uid"].as_str().expect("imp_uid");
    let client = Client::builder()
        .api_key("k_rust")
        .api_secret("s_rust")
        .base_url(mock.url.clone())
        .build()
        .expect("a client");
    let payment = client.payment(imp_uid).await.expect("the payment");
    assert_eq!(payment.merchant_uid, "rust-1");
    assert_eq!(payment.status, PaymentStatus::Paid);
    assert_eq!(payment.amount, Decimal::from(15000));
    let found = client
        .find_payment("rust-1")
        .await
        .expect("found by merchant_uid");
    assert_eq!(found.imp_uid, imp_uid);
    let missing = client.payment("imp_000000000000").await;
    assert!(missing.is_err_and(|e| e.is_not_found()));
    let log = mock.admin_get("/requests").await;
    assert_eq!(
        log.ok()["get_token_calls"],
        1,
        "one token serves every call"
    );
    mock.stop().await;
}
