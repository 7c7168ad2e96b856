//! Payment lookups, listings and the checkout rules.

mod common;

use std::time::Duration;

use common::Api;
use portone_mock::{Checkout, MockServer};
use serde_json::{Value, json};

#[tokio::test]
async fn lookup_by_imp_uid_and_404_for_unknown() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(
        Checkout::paid("o-1", 1500)
            .name("원두")
            .buyer_name("홍길동"),
    );
    let answer = api.get(&format!("/payments/{imp_uid}")).await;
    let p = answer.ok();
    assert_eq!(p["merchant_uid"], "o-1");
    assert_eq!(p["status"], "paid");
    assert_eq!(p["pay_method"], "card");
    assert_eq!(p["sandbox"], false);
    assert_eq!(p["name"], "원두");
    assert_eq!(p["cancel_amount"], 0);
    assert_eq!(p["failed_at"], 0);
    assert!(p["paid_at"].as_i64().unwrap_or_default() > 0);
    assert_eq!(
        p["card_number"].as_str().map(|n| n.contains('*')),
        Some(true)
    );
    let unknown = api.get("/payments/imp_000000000000").await;
    assert_eq!((unknown.status, unknown.code()), (404, -1));
    assert_eq!(unknown.message(), "존재하지 않는 결제정보입니다.");
    assert!(unknown.response().is_null());
}

#[tokio::test]
async fn the_wire_is_php_json() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("o-1", 1000).name("원두"));
    let res = api
        .http
        .get(format!("{}/payments/{imp_uid}", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("answer");
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json; charset=UTF-8")
    );
    let text = res.text().await.expect("text");
    assert!(text.contains(r#""name":"\uc6d0\ub450""#), "{text}");
    assert!(text.contains(r"https:\/\/"), "{text}");
}

#[tokio::test]
async fn sandbox_payments_are_hidden_unless_asked_for() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let test = server.checkout(Checkout::paid("t-1", 100).pg("html5_inicis.INIpayTest"));
    let flagged = server.checkout(Checkout::paid("t-2", 100).sandbox(true));
    for imp_uid in [&test, &flagged] {
        assert_eq!(api.get(&format!("/payments/{imp_uid}")).await.status, 404);
        let shown = api
            .get(&format!("/payments/{imp_uid}?include_sandbox=true"))
            .await;
        assert_eq!(shown.ok()["sandbox"], true);
    }
}

#[tokio::test]
async fn multi_lookup_is_200_207_or_404() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let a = server.checkout(Checkout::paid("m-a", 1));
    let b = server.checkout(Checkout::paid("m-b", 2));
    let all = api
        .get(&format!("/payments?imp_uid[]={a}&merchant_uid[]=m-b"))
        .await;
    assert_eq!(all.ok().as_array().map(Vec::len), Some(2));
    let some = api
        .get(&format!(
            "/payments?imp_uid[]={a}&imp_uid[]={b}&imp_uid[]=imp_000000000000"
        ))
        .await;
    assert_eq!((some.status, some.code()), (207, 0));
    let found: Vec<&str> = some
        .response()
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["imp_uid"].as_str())
        .collect();
    assert_eq!(found, vec![a.as_str(), b.as_str()]);
    let none = api.get("/payments?imp_uid[]=imp_000000000000").await;
    assert_eq!((none.status, none.code()), (404, -1));
    // Without brackets PHP reads `imp_uid` as another, scalar parameter: `imp_uid[]` is
    // missing.
    let plain = api.get(&format!("/payments?imp_uid={a}&imp_uid={b}")).await;
    assert_eq!((plain.status, plain.code()), (400, -1));
    let mixed = api
        .get(&format!("/payments?imp_uid={a}&merchant_uid[]=m-b"))
        .await;
    assert_eq!(mixed.ok().as_array().map(Vec::len), Some(1));
    assert_eq!(mixed.ok()[0]["merchant_uid"], "m-b");
    assert_eq!(api.get("/payments").await.status, 400);
}

#[tokio::test]
async fn find_by_merchant_uid_with_status_and_sorting() {
    let server = MockServer::builder().frozen_clock().start().await;
    let api = Api::new(&server).await;
    let failed = server.checkout(Checkout::failed("dup", 1000));
    server.advance(Duration::from_secs(60));
    let paid = server.checkout(Checkout::paid("dup", 1000));
    assert_eq!(
        api.get("/payments/find/dup").await.ok()["imp_uid"],
        json!(paid)
    );
    assert_eq!(
        api.get("/payments/find/dup/failed").await.ok()["imp_uid"],
        json!(failed)
    );
    assert_eq!(
        api.get("/payments/find/dup?sorting=started").await.ok()["imp_uid"],
        json!(failed)
    );
    assert_eq!(api.get("/payments/find/dup/cancelled").await.status, 404);
    assert_eq!(api.get("/payments/find/dup/bogus").await.status, 400);
    assert_eq!(
        api.get("/payments/find/dup?sorting=sideways").await.status,
        400
    );

    let all = api.get("/payments/findAll/dup").await;
    let page = all.ok();
    assert_eq!(page["total"], 2);
    assert_eq!(page["list"][0]["imp_uid"], json!(paid));
    let paged = api.get("/payments/findAll/dup?limit=1&page=2").await;
    assert_eq!(paged.ok()["list"][0]["imp_uid"], json!(failed));
    assert_eq!(
        (paged.ok()["previous"].clone(), paged.ok()["next"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(api.get("/payments/findAll/nope").await.status, 404);
    assert_eq!(api.get("/payments/findAll/dup/paid").await.ok()["total"], 1);
}

#[tokio::test]
async fn merchant_uids_with_slashes_and_hangul_are_one_segment() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("a/b ?#주문", 10));
    let found = api
        .get("/payments/find/a%2Fb%20%3F%23%EC%A3%BC%EB%AC%B8")
        .await;
    assert_eq!(found.ok()["imp_uid"], json!(imp_uid));
}

#[tokio::test]
async fn listing_by_status_pages_and_time_range() {
    let server = MockServer::builder().frozen_clock().start().await;
    let api = Api::new(&server).await;
    let start = server.now();
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(server.checkout(Checkout::paid(format!("s-{i}"), 100)));
        server.advance(Duration::from_secs(10));
    }
    server.checkout(Checkout::failed("s-f", 100));
    let page1 = api.get("/payments/status/paid?limit=2").await;
    let p = page1.ok();
    assert_eq!(
        (p["total"].clone(), p["previous"].clone(), p["next"].clone()),
        (json!(5), json!(0), json!(2))
    );
    assert_eq!(p["list"][0]["imp_uid"], json!(ids[4]));
    let page3 = api.get("/payments/status/paid?limit=2&page=3").await;
    assert_eq!(page3.ok()["next"], 0);
    assert_eq!(page3.ok()["list"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        api.get("/payments/status/paid?limit=2&page=4").await.status,
        400
    );
    assert_eq!(api.get("/payments/status/all").await.ok()["total"], 6);
    assert_eq!(api.get("/payments/status/failed").await.ok()["total"], 1);
    let ranged = api
        .get(&format!(
            "/payments/status/paid?from={}&to={}&sorting=paid",
            start + 10,
            start + 30
        ))
        .await;
    let list: Vec<Value> = ranged.ok()["list"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        list.iter()
            .map(|p| p["imp_uid"].clone())
            .collect::<Vec<_>>(),
        vec![json!(ids[1]), json!(ids[2]), json!(ids[3])]
    );
    assert_eq!(api.get("/payments/status/unknown").await.status, 400);
    let too_long = api
        .get(&format!("/payments/status/all?from=0&to={start}"))
        .await;
    assert_eq!(too_long.status, 400);
    assert_eq!(api.get("/payments/status/all?limit=1001").await.status, 400);
}

#[tokio::test]
async fn a_checkout_that_differs_from_the_prepared_amount_fails() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let prepared = api
        .post(
            "/payments/prepare",
            &json!({ "merchant_uid": "pre-1", "amount": 5000 }),
        )
        .await;
    assert_eq!(prepared.ok()["amount"], 5000);
    let again = api
        .post(
            "/payments/prepare",
            &json!({ "merchant_uid": "pre-1", "amount": 5000 }),
        )
        .await;
    assert_eq!(again.code(), 1);
    let tampered = server.checkout(Checkout::paid("pre-1", 500));
    let p = api.get(&format!("/payments/{tampered}")).await;
    assert_eq!(p.ok()["status"], "failed");
    assert!(
        p.ok()["fail_reason"]
            .as_str()
            .is_some_and(|r| r.contains("5000"))
    );
    let honest = server.checkout(Checkout::paid("pre-1", 5000));
    assert_eq!(
        api.get(&format!("/payments/{honest}")).await.ok()["status"],
        "paid"
    );
    let updated = api
        .put(
            "/payments/prepare",
            &json!({ "merchant_uid": "pre-1", "amount": 6000 }),
        )
        .await;
    assert_eq!(updated.ok()["amount"], 6000);
    assert_eq!(
        api.get("/payments/prepare/pre-1").await.ok()["amount"],
        6000
    );
    let missing = api
        .put(
            "/payments/prepare",
            &json!({ "merchant_uid": "nope", "amount": 1 }),
        )
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        api.post("/payments/prepare", &json!({ "merchant_uid": "x" }))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn a_virtual_account_is_ready_until_the_deposit() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::vbank_ready("vb-1", 30000));
    let ready = api.get(&format!("/payments/{imp_uid}")).await;
    let p = ready.ok();
    assert_eq!(
        (p["status"].clone(), p["pay_method"].clone()),
        (json!("ready"), json!("vbank"))
    );
    assert_eq!(p["paid_at"], 0);
    assert!(p["vbank_num"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(p["vbank_date"].as_i64().unwrap_or_default() > server.now());
    server.deposit(&imp_uid);
    let paid = api.get(&format!("/payments/{imp_uid}")).await;
    assert_eq!(paid.ok()["status"], "paid");
    assert_eq!(paid.ok()["deposit_history"][0]["amount"], 30000);
    assert!(server.try_deposit(&imp_uid).is_err());
    assert!(server.try_deposit("imp_000000000000").is_err());
    // A virtual account checked out as paid was deposited into at once.
    let deposited = server.checkout(Checkout::paid("vb-2", 500).pay_method("vbank"));
    let p = api.get(&format!("/payments/{deposited}")).await;
    assert_eq!(p.ok()["status"], "paid");
    assert_eq!(p.ok()["deposit_history"].as_array().map(Vec::len), Some(1));
    assert!(p.ok()["vbank_num"].is_string());
}

#[tokio::test]
async fn the_balance_follows_cancels() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("bal", 11000));
    api.post(
        "/payments/cancel",
        &json!({ "imp_uid": imp_uid, "amount": 1100 }),
    )
    .await
    .ok();
    let answer = api.get(&format!("/payments/{imp_uid}/balance")).await;
    let b = answer.ok();
    assert_eq!(b["amount"], 9900);
    assert_eq!(
        (b["primary"]["supply"].clone(), b["primary"]["vat"].clone()),
        (json!(9000), json!(900))
    );
    assert_eq!(b["histories"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        api.get("/payments/imp_000000000000/balance").await.status,
        404
    );
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_the_envelope() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let unknown = api.get("/no/such/route").await;
    assert_eq!((unknown.status, unknown.code()), (404, -1));
    let wrong = api.delete("/payments/cancel").await;
    assert_eq!((wrong.status, wrong.code()), (405, -1));
    let undecodable = api.get("/payments/%FF").await;
    assert_eq!((undecodable.status, undecodable.code()), (400, -1));
}
