//! Agency accounts: the `Tier` header selects a sub-merchant and scopes every record.

mod common;

use common::Api;
use portone_mock::{Checkout, MockError, MockServer};
use serde_json::json;

#[tokio::test]
async fn payments_are_visible_only_in_their_tier() {
    let server = MockServer::builder().agency(["A1B", "C2D"]).start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("shared-order", 1000).tier("A1B"));
    let path = format!("/payments/{imp_uid}");
    assert_eq!(
        api.with_tier("A1B").get(&path).await.ok()["imp_uid"],
        json!(imp_uid)
    );
    for other in [api.with_tier("C2D").get(&path).await, api.get(&path).await] {
        assert_eq!((other.status, other.code()), (404, -1));
    }
    // The same merchant_uid in another tier is another order.
    let own = server.checkout(Checkout::paid("shared-order", 2000).tier(None));
    let found = api.get("/payments/find/shared-order").await;
    assert_eq!(found.ok()["imp_uid"], json!(own));
    let in_tier = api
        .with_tier("A1B")
        .get("/payments/find/shared-order")
        .await;
    assert_eq!(in_tier.ok()["amount"], 1000);
    // Writes are scoped too: a cancel under C2D cannot see the A1B payment.
    let cancel = api
        .with_tier("C2D")
        .post("/payments/cancel", &json!({ "imp_uid": imp_uid }))
        .await;
    assert_eq!(cancel.code(), 1);
    let prepared = api
        .with_tier("C2D")
        .post(
            "/payments/prepare",
            &json!({ "merchant_uid": "p-1", "amount": 10 }),
        )
        .await;
    prepared.ok();
    assert_eq!(api.get("/payments/prepare/p-1").await.status, 404);
    assert_eq!(
        api.with_tier("C2D").get("/payments/prepare/p-1").await.ok()["amount"],
        10
    );
}

#[tokio::test]
async fn an_unknown_or_malformed_tier_is_refused() {
    let server = MockServer::builder().agency(["A1B"]).start().await;
    let api = Api::new(&server).await;
    for tier in ["ZZZ", "a1b", "A1BC"] {
        let answer = api.with_tier(tier).get("/banks").await;
        assert_eq!(answer.status, 400, "{tier}");
        assert_eq!(answer.code(), -1);
    }
    assert_eq!(
        server
            .try_checkout(Checkout::paid("x", 1).tier("ZZZ"))
            .map_err(|e| matches!(e, MockError::Tier(_))),
        Err(true)
    );
}

#[tokio::test]
async fn a_non_agency_account_may_not_send_a_tier() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let answer = api.with_tier("A1B").get("/banks").await;
    assert_eq!((answer.status, answer.code()), (400, -1));
    assert!(
        server
            .try_checkout(Checkout::paid("x", 1).tier("A1B"))
            .is_err()
    );
    assert_eq!(api.get("/banks").await.status, 200);
}

#[tokio::test]
async fn tiers_are_looked_up_by_code() {
    let server = MockServer::builder()
        .agency(["A1B"])
        .tier("C2D", "강남점")
        .start()
        .await;
    let api = Api::new(&server).await;
    let tier = api.get("/tiers/C2D").await;
    assert_eq!(tier.ok()["tier_name"], "강남점");
    assert_eq!(api.get("/tiers/A1B").await.ok()["tier_code"], "A1B");
    assert_eq!(api.get("/tiers/XYZ").await.status, 404);
    // One token serves every tier.
    assert_eq!(api.with_tier("C2D").get("/tiers/C2D").await.status, 200);
    assert_eq!(server.get_token_calls(), 1);
}

#[tokio::test]
async fn bad_tier_codes_fail_to_start() {
    let result = MockServer::builder().agency(["toolong"]).try_start().await;
    assert_eq!(
        result.map(|_| ()).map_err(|e| e.kind()),
        Err(std::io::ErrorKind::InvalidInput)
    );
}
