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
    api.post("/subscribe/customers/cust-2", &card("5365-1019-1234-3393"))
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
    // An unknown key on GET and DELETE: HTTP 200 with code 1, as observed live.
    for gone in [
        api.get("/subscribe/customers/cust-1").await,
        api.delete("/subscribe/customers/cust-1").await,
    ] {
        assert_eq!((gone.status, gone.code()), (200, 1));
        assert_eq!(
            gone.message(),
            "요청하신 customer_uid(cust-1)로 등록된 정보를 찾을 수 없습니다."
        );
        assert!(gone.response().is_null());
    }
}

#[tokio::test]
async fn bad_card_data_gets_no_key() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    assert_eq!(cards::DECLINED, cards::INVALID_NUMBER);
    let declined = api
        .post("/subscribe/customers/bad", &card(cards::INVALID_NUMBER))
        .await;
    assert_eq!((declined.status, declined.code()), (200, -1));
    assert_eq!(
        declined.message(),
        "카드정보 인증 및 빌키 발급에 실패하였습니다. [F112]유효하지않은 카드번호를 입력하셨습니다. (card_bin 없음)"
    );
    assert!(declined.response().is_null());
    assert_eq!(api.get("/subscribe/customers/bad").await.code(), 1);
    // The expiry is card data too: `YYYY-MM`, not past (by the mock clock, in Korea).
    let mut past = card(cards::APPROVED);
    past["expiry"] = json!("2020-01");
    let mut malformed = card(cards::APPROVED);
    malformed["expiry"] = json!("203012");
    for (body, reason) in [(past, "유효기간이 경과한"), (malformed, "유효기간 형식")]
    {
        let refused = api.post("/subscribe/customers/bad", &body).await;
        assert_eq!((refused.status, refused.code()), (200, -1), "{reason}");
        assert!(
            refused
                .message()
                .starts_with("카드정보 인증 및 빌키 발급에 실패하였습니다.")
                && refused.message().contains(reason),
            "{}",
            refused.message()
        );
        assert!(refused.response().is_null());
    }
    assert_eq!(api.get("/subscribe/customers/bad").await.code(), 1);
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
async fn bad_card_data_on_onetime_is_no_decision_and_recorded_failed() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let mut body = card(cards::INVALID_NUMBER);
    body["merchant_uid"] = json!("once-bad");
    body["amount"] = json!(1000);
    let answer = api.post("/subscribe/payments/onetime", &body).await;
    assert_eq!((answer.status, answer.code()), (200, -1));
    assert!(answer.message().contains("[F112]"));
    assert!(answer.response().is_null());
    let p = api.get("/payments/find/once-bad").await;
    assert_eq!(p.ok()["status"], "failed");
    assert!(p.ok()["failed_at"].as_i64().unwrap_or_default() > 0);
    body["card_number"] = json!(cards::APPROVED);
    body["expiry"] = json!("1999-12");
    let expired = api.post("/subscribe/payments/onetime", &body).await;
    assert_eq!((expired.status, expired.code()), (200, -1));
    assert!(expired.message().contains("유효기간이 경과한"));
    // A failed merchant_uid may be tried again.
    body["expiry"] = json!("2030-12");
    assert_eq!(
        api.post("/subscribe/payments/onetime", &body).await.ok()["status"],
        "paid"
    );
}

#[tokio::test]
async fn issuer_declines_answer_code_0_with_the_failed_payment() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let declines = [
        (cards::INSUFFICIENT_FUNDS, "잔액부족"),
        (cards::LIMIT_EXCEEDED, "한도초과"),
        (cards::LOST_OR_STOLEN, "분실/도난 카드"),
    ];
    for (i, (number, reason)) in declines.into_iter().enumerate() {
        // Once with the card itself, once with a billing key made from it.
        let mut once = card(number);
        once["merchant_uid"] = json!(format!("once-{i}"));
        once["amount"] = json!(1000);
        let key = format!("key-{i}");
        api.post(&format!("/subscribe/customers/{key}"), &card(number))
            .await
            .ok();
        let again = json!({ "customer_uid": key, "merchant_uid": format!("again-{i}"), "amount": 1000, "name": "x" });
        for (path, body, merchant_uid) in [
            ("/subscribe/payments/onetime", once, format!("once-{i}")),
            ("/subscribe/payments/again", again, format!("again-{i}")),
        ] {
            let answer = api.post(path, &body).await;
            let p = answer.ok();
            assert_eq!(
                (p["status"].clone(), p["fail_reason"].clone()),
                (json!("failed"), json!(reason)),
                "{path} {number}"
            );
            assert!(p["failed_at"].as_i64().unwrap_or_default() > 0);
            assert_eq!(
                (p["paid_at"].clone(), p["amount"].clone()),
                (json!(0), json!(1000))
            );
            assert!(
                p["imp_uid"]
                    .as_str()
                    .is_some_and(|id| id.starts_with("imp_"))
            );
            // Recorded: every lookup finds it, failed.
            let by_uid = api
                .get(&format!(
                    "/payments/{}",
                    p["imp_uid"].as_str().unwrap_or_default()
                ))
                .await;
            assert_eq!(by_uid.ok(), p);
            let found = api
                .get(&format!("/payments/find/{merchant_uid}/failed"))
                .await;
            assert_eq!(found.ok()["imp_uid"], p["imp_uid"]);
        }
    }
}

#[tokio::test]
async fn an_unreachable_pg_is_no_decision() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    api.post("/subscribe/customers/far", &card(cards::PG_UNREACHABLE))
        .await
        .ok();
    let mut once = card(cards::PG_UNREACHABLE);
    once["merchant_uid"] = json!("far-1");
    once["amount"] = json!(500);
    let again =
        json!({ "customer_uid": "far", "merchant_uid": "far-2", "amount": 500, "name": "x" });
    for (path, body, merchant_uid) in [
        ("/subscribe/payments/onetime", once, "far-1"),
        ("/subscribe/payments/again", again, "far-2"),
    ] {
        let answer = api.post(path, &body).await;
        assert_eq!((answer.status, answer.code()), (200, -1), "{path}");
        assert!(answer.response().is_null());
        assert!(answer.message().contains("timeout"), "{}", answer.message());
        // No money moved, and a caller who looks the order up sees so.
        let p = api.get(&format!("/payments/find/{merchant_uid}")).await;
        assert_eq!(
            (p.ok()["status"].clone(), p.ok()["paid_at"].clone()),
            (json!("failed"), json!(0))
        );
    }
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

/// NOTES.md, "Answers observed on the live server": `등록되지 않은 구매자입니다.` on HTTP
/// 200, `code` 1 with `name` and -1 without, the customer checked before `name` is
/// required.
#[tokio::test]
async fn again_with_an_unknown_customer_is_an_unknown_buyer() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let answer = api
        .post(
            "/subscribe/payments/again",
            &json!({ "customer_uid": "ghost", "merchant_uid": "a-1", "amount": 100, "name": "x" }),
        )
        .await;
    assert_eq!((answer.status, answer.code()), (200, 1));
    assert_eq!(answer.message(), "등록되지 않은 구매자입니다.");
    assert!(answer.response().is_null());
    let nameless = api
        .post(
            "/subscribe/payments/again",
            &json!({ "customer_uid": "ghost", "merchant_uid": "a-1", "amount": 100 }),
        )
        .await;
    assert_eq!(
        (nameless.status, nameless.code(), nameless.message()),
        (200, -1, "등록되지 않은 구매자입니다.")
    );
    // No charge was attempted: nothing is recorded.
    assert_eq!(api.get("/payments/find/a-1").await.status, 404);
}

#[tokio::test]
async fn a_declined_merchant_uid_can_be_paid_later() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    api.post(
        "/subscribe/customers/poor",
        &card(cards::INSUFFICIENT_FUNDS),
    )
    .await
    .ok();
    let again =
        json!({ "customer_uid": "poor", "merchant_uid": "p-1", "amount": 100, "name": "x" });
    assert_eq!(
        api.post("/subscribe/payments/again", &again).await.ok()["status"],
        "failed"
    );
    // A new card under the same key pays the same order.
    api.post("/subscribe/customers/poor", &card(cards::APPROVED))
        .await
        .ok();
    assert_eq!(
        api.post("/subscribe/payments/again", &again).await.ok()["status"],
        "paid"
    );
    let all = api.get("/payments/findAll/p-1").await;
    let statuses: Vec<Value> = all.ok()["list"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["status"].clone())
        .collect();
    assert_eq!(statuses, vec![json!("paid"), json!("failed")]);
}

#[tokio::test]
async fn kcp_quick_autopay_declines_like_any_charge() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    api.post("/subscribe/customers/kq", &card(cards::LIMIT_EXCEEDED))
        .await
        .ok();
    let answer = api
        .post(
            "/kcpquick/payment/autopay",
            &json!({ "customer_uid": "kq", "merchant_uid": "kq-1", "amount": 300, "name": "x", "buyer_name": "홍" }),
        )
        .await;
    let p = answer.ok();
    assert_eq!(
        (
            p["status"].clone(),
            p["fail_reason"].clone(),
            p["pg_provider"].clone()
        ),
        (json!("failed"), json!("한도초과"), json!("kcp_quick"))
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
