//! Billing keys and non-authenticated payments.

mod common;

use common::Api;
use portone_mock::{MockServer, cards};
use serde_json::{Value, json};

fn card(number: &str) -> Value {
    json!({
        "card_number": number,
        "expiry": "2030-12",
        "birth": "900101",
        "pwd_2digit": "12",
        "customer_name": "홍길동",
        "customer_email": "hong@example.com",
    })
}

#[tokio::test]
async fn keys_are_saved_read_listed_and_deleted() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let saved = api
        .post("/subscribe/customers/cust-1", &card(cards::APPROVED))
        .await;
    let c = saved.ok();
    assert_eq!(c["customer_uid"], "cust-1");
    assert_eq!(c["card_number"], "411111******1111");
    assert_eq!(c["customer_name"], "홍길동");
    assert_eq!(c["inserted"], c["updated"]);
    for secret in ["expiry", "birth", "pwd_2digit", "cvc"] {
        assert!(c.get(secret).is_none(), "{secret} echoed");
    }
    let text = saved.body.to_string();
    assert!(
        !text.contains("4111111111111111") && !text.contains("2030-12") && !text.contains("900101")
    );

    assert_eq!(
        api.get("/subscribe/customers/cust-1").await.ok()["pg_provider"],
        "nice_v2"
    );
    api.post("/subscribe/customers/cust-2", &card("5365-1019-1234-3392"))
        .await
        .ok();
    let both = api
        .get("/subscribe/customers?customer_uid[]=cust-1&customer_uid[]=cust-2")
        .await;
    assert_eq!(both.ok().as_array().map(Vec::len), Some(2));
    let partial = api
        .get("/subscribe/customers?customer_uid[]=cust-1&customer_uid[]=nope")
        .await;
    assert_eq!((partial.status, partial.code()), (207, 0));
    assert_eq!(partial.response().as_array().map(Vec::len), Some(1));
    let none = api.get("/subscribe/customers?customer_uid[]=nope").await;
    assert_eq!(none.status, 404);

    let deleted = api.delete("/subscribe/customers/cust-1").await;
    assert_eq!(deleted.ok()["customer_uid"], "cust-1");
    let gone = api.get("/subscribe/customers/cust-1").await;
    assert_eq!((gone.status, gone.code()), (404, -1));
    assert_eq!(api.delete("/subscribe/customers/cust-1").await.status, 404);
}

#[tokio::test]
async fn a_declined_card_gets_no_key() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let declined = api
        .post("/subscribe/customers/bad", &card(cards::DECLINED))
        .await;
    assert_eq!((declined.status, declined.code()), (200, -1));
    assert_eq!(
        declined.message(),
        "카드정보 인증 및 빌키 발급에 실패하였습니다. [F112]유효하지않은 카드번호를 입력하셨습니다. (card_bin 없음)"
    );
    assert!(declined.response().is_null());
    assert_eq!(api.get("/subscribe/customers/bad").await.status, 404);
    let missing = api
        .post(
            "/subscribe/customers/bad",
            &json!({ "card_number": cards::APPROVED }),
        )
        .await;
    assert_eq!(missing.status, 400);
}

#[tokio::test]
async fn onetime_pays_and_can_save_the_key() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let mut body = card(cards::APPROVED);
    body["merchant_uid"] = json!("once-1");
    body["amount"] = json!(9900);
    body["customer_uid"] = json!("saved");
    body["buyer_name"] = json!("김구매");
    let answer = api.post("/subscribe/payments/onetime", &body).await;
    let p = answer.ok();
    assert_eq!(
        (
            p["status"].clone(),
            p["amount"].clone(),
            p["channel"].clone()
        ),
        (json!("paid"), json!(9900), json!("api"))
    );
    assert_eq!(p["customer_uid"], "saved");
    assert_eq!(p["card_number"], "411111******1111");
    assert_eq!(
        api.get("/subscribe/customers/saved").await.ok()["customer_name"],
        "홍길동"
    );
    // The same merchant_uid cannot be paid twice.
    let twice = api.post("/subscribe/payments/onetime", &body).await;
    assert_eq!((twice.status, twice.code()), (200, 1));
    assert_eq!(api.get("/payments/findAll/once-1").await.ok()["total"], 1);
}

#[tokio::test]
async fn declined_payments_answer_code_minus_one_and_are_recorded_failed() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let mut body = card(cards::DECLINED);
    body["merchant_uid"] = json!("once-bad");
    body["amount"] = json!(1000);
    let answer = api.post("/subscribe/payments/onetime", &body).await;
    assert_eq!((answer.status, answer.code()), (200, -1));
    assert!(answer.message().contains("[F112]"));
    let p = api.get("/payments/find/once-bad").await;
    assert_eq!(p.ok()["status"], "failed");
    assert!(p.ok()["failed_at"].as_i64().unwrap_or_default() > 0);
    // A failed merchant_uid may be tried again.
    body["card_number"] = json!(cards::APPROVED);
    assert_eq!(
        api.post("/subscribe/payments/onetime", &body).await.ok()["status"],
        "paid"
    );
}

#[tokio::test]
async fn again_pays_with_a_saved_key() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    api.post("/subscribe/customers/k1", &card(cards::APPROVED))
        .await
        .ok();
    let answer = api
        .post(
            "/subscribe/payments/again",
            &json!({ "customer_uid": "k1", "merchant_uid": "again-1", "amount": 4900, "name": "정기구독" }),
        )
        .await;
    let p = answer.ok();
    assert_eq!(
        (p["status"].clone(), p["customer_uid"].clone()),
        (json!("paid"), json!("k1"))
    );
    assert_eq!(p["buyer_name"], "홍길동");
    assert_eq!(p["customer_uid_usage"], "payment");
    let listed = api.get("/subscribe/customers/k1/payments").await;
    assert_eq!(listed.ok()["total"], 1);
    let twice = api
        .post(
            "/subscribe/payments/again",
            &json!({ "customer_uid": "k1", "merchant_uid": "again-1", "amount": 4900, "name": "정기구독" }),
        )
        .await;
    assert_eq!(twice.code(), 1);
}

#[tokio::test]
async fn again_with_an_unknown_customer_is_code_1() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let answer = api
        .post(
            "/subscribe/payments/again",
            &json!({ "customer_uid": "ghost", "merchant_uid": "a-1", "amount": 100, "name": "x" }),
        )
        .await;
    assert_eq!((answer.status, answer.code()), (200, 1));
    assert_eq!(answer.message(), "등록된 고객정보가 없습니다.");
    assert_eq!(api.get("/payments/find/a-1").await.status, 404);
}

#[tokio::test]
async fn a_key_without_funds_is_saved_but_declines() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    api.post(
        "/subscribe/customers/poor",
        &card(cards::INSUFFICIENT_FUNDS),
    )
    .await
    .ok();
    let answer = api
        .post(
            "/subscribe/payments/again",
            &json!({ "customer_uid": "poor", "merchant_uid": "p-1", "amount": 100, "name": "x" }),
        )
        .await;
    assert_eq!((answer.status, answer.code()), (200, -1));
    let p = api.get("/payments/find/p-1").await;
    assert_eq!(p.ok()["status"], "failed");
    assert!(
        p.ok()["fail_reason"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
}

#[tokio::test]
async fn form_encoded_bodies_work_like_json() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let answer = common::send(
        api.http
            .post(format!("{}/subscribe/customers/form-1", api.base))
            .bearer_auth(&api.token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("card_number=4111-1111-1111-1111&expiry=2030-12&customer_name=%ED%99%8D"),
    )
    .await;
    assert_eq!(answer.ok()["customer_name"], "홍");
}
