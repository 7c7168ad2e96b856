//! Virtual accounts by API, cash receipts, certifications, escrow shipping, Naver Pay
//! orders and reference data.

mod common;

use common::Api;
use portone_mock::{Checkout, MockServer};
use serde_json::json;

#[tokio::test]
async fn virtual_accounts_by_api() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let due = server.now() + 86_400;
    let created = api
        .post("/vbanks", &json!({ "merchant_uid": "vb-1", "amount": 5000, "vbank_code": "088", "vbank_due": due }))
        .await;
    let p = created.ok();
    assert_eq!(
        (
            p["status"].clone(),
            p["vbank_name"].clone(),
            p["vbank_date"].clone()
        ),
        (json!("ready"), json!("신한은행"), json!(due))
    );
    let imp_uid = p["imp_uid"].as_str().unwrap_or_default().to_owned();
    let modified = api
        .put(
            &format!("/vbanks/{imp_uid}"),
            &json!({ "amount": 6000, "vbank_due": due + 60 }),
        )
        .await;
    assert_eq!(
        (
            modified.ok()["amount"].clone(),
            modified.ok()["vbank_date"].clone()
        ),
        (json!(6000), json!(due + 60))
    );
    server.deposit(&imp_uid);
    let paid = api.delete(&format!("/vbanks/{imp_uid}")).await;
    assert_eq!(paid.status, 400, "a paid account cannot be revoked");
    let bad_bank = api
        .post(
            "/vbanks",
            &json!({ "merchant_uid": "vb-2", "amount": 1, "vbank_code": "999", "vbank_due": due }),
        )
        .await;
    assert_eq!(bad_bank.status, 400);
    let second = api
        .post(
            "/vbanks",
            &json!({ "merchant_uid": "vb-2", "amount": 1, "vbank_code": "004", "vbank_due": due }),
        )
        .await;
    let id = second.ok()["imp_uid"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        api.delete(&format!("/vbanks/{id}")).await.ok()["status"],
        "cancelled"
    );
    assert_eq!(api.delete(&format!("/vbanks/{id}")).await.status, 400);
    let paid_again = api
        .post(
            "/vbanks",
            &json!({ "merchant_uid": "vb-1", "amount": 1, "vbank_code": "004", "vbank_due": due }),
        )
        .await;
    assert_eq!(paid_again.code(), 1, "vb-1 was paid");
    assert_eq!(
        api.get("/vbanks/holder?bank_code=004&bank_num=123456")
            .await
            .ok()["bank_holder"],
        "홍길동"
    );
    assert_eq!(api.get("/vbanks/holder?bank_code=004").await.status, 400);
    assert_eq!(
        api.get("/vbanks/holder?bank_code=999&bank_num=1")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn cash_receipts_for_cash_payments_only() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let card = server.checkout(Checkout::paid("card-1", 11000));
    let trans = server.checkout(Checkout::paid("trans-1", 11000).pay_method("trans"));
    let body = json!({ "identifier": "01012345678" });
    assert_eq!(
        api.post(&format!("/receipts/{card}"), &body).await.status,
        400
    );
    let issued = api.post(&format!("/receipts/{trans}"), &body).await;
    let r = issued.ok();
    assert_eq!(
        (r["amount"].clone(), r["vat"].clone(), r["type"].clone()),
        (json!(11000), json!(1000), json!("person"))
    );
    assert_eq!(
        api.get(&format!("/payments/{trans}")).await.ok()["cash_receipt_issued"],
        true
    );
    assert_eq!(
        api.post(&format!("/receipts/{trans}"), &body).await.status,
        400
    );
    let missing = api.get(&format!("/receipts/{card}")).await;
    assert_eq!(missing.status, 404);
    assert!(missing.message().contains(&card));
    let revoked = api.delete(&format!("/receipts/{trans}")).await;
    assert!(revoked.ok()["cancelled_at"].as_i64().unwrap_or_default() > 0);
    assert_eq!(api.delete(&format!("/receipts/{trans}")).await.status, 400);
    assert_eq!(
        api.get(&format!("/payments/{trans}")).await.ok()["cash_receipt_issued"],
        false
    );

    let ext = api
        .post(
            "/receipts/external/cash-9",
            &json!({ "name": "현금", "amount": 5500, "identifier": "0101234" }),
        )
        .await;
    assert_eq!(ext.ok()["merchant_uid"], "cash-9");
    assert_eq!(
        api.get("/receipts/external/cash-9").await.ok()["amount"],
        5500
    );
    assert_eq!(api.delete("/receipts/external/nope").await.status, 404);
}

#[tokio::test]
async fn certification_by_otp() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let person = json!({ "name": "홍길동", "phone": "010-1234-5678", "birth": "900101", "gender_digit": "2", "carrier": "KT" });
    let requested = api.post("/certifications/otp/request", &person).await;
    let imp_uid = requested.ok()["imp_uid"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let pending = api.get(&format!("/certifications/{imp_uid}")).await;
    assert_eq!(pending.ok()["certified"], false);
    assert!(pending.ok()["name"].is_null());
    let wrong = api
        .post(
            &format!("/certifications/otp/confirm/{imp_uid}"),
            &json!({ "otp": "000000" }),
        )
        .await;
    assert_eq!(wrong.status, 400);
    let confirmed = api
        .post(
            &format!("/certifications/otp/confirm/{imp_uid}"),
            &json!({ "otp": MockServer::CERTIFICATION_OTP }),
        )
        .await;
    let c = confirmed.ok();
    assert_eq!(
        (
            c["certified"].clone(),
            c["gender"].clone(),
            c["birthday"].clone()
        ),
        (json!(true), json!("female"), json!("1990-01-01"))
    );
    assert_eq!(
        (c["phone"].clone(), c["birth"].clone()),
        (json!("01012345678"), json!(631_119_600))
    );
    let twice = api
        .post(
            &format!("/certifications/otp/confirm/{imp_uid}"),
            &json!({ "otp": MockServer::CERTIFICATION_OTP }),
        )
        .await;
    assert_eq!(twice.status, 400);
    assert_eq!(
        api.delete(&format!("/certifications/{imp_uid}"))
            .await
            .status,
        200
    );
    assert_eq!(
        api.get(&format!("/certifications/{imp_uid}")).await.status,
        404
    );
    let mut bad = person.clone();
    bad["carrier"] = json!("XX");
    assert_eq!(
        api.post("/certifications/otp/request", &bad).await.status,
        400
    );
}

#[tokio::test]
async fn escrow_shipping_registers_once() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let escrow = server.checkout(Checkout::paid("e-1", 1000).escrow(true));
    let plain = server.checkout(Checkout::paid("e-2", 1000));
    let body = json!({
        "sender": { "name": "포트원" },
        "receiver": { "name": "홍길동" },
        "logis": { "company": "CJGLS", "invoice": "1", "sent_at": 1_700_000_000 },
    });
    assert_eq!(
        api.get(&format!("/escrows/logis/{escrow}")).await.status,
        409
    );
    assert_eq!(
        api.put(&format!("/escrows/logis/{escrow}"), &body)
            .await
            .status,
        409
    );
    let registered = api.post(&format!("/escrows/logis/{escrow}"), &body).await;
    assert_eq!(registered.ok()["invoice"], "1");
    assert_eq!(
        api.post(&format!("/escrows/logis/{escrow}"), &body)
            .await
            .status,
        409
    );
    let mut changed = body.clone();
    changed["logis"]["invoice"] = json!("2");
    assert_eq!(
        api.put(&format!("/escrows/logis/{escrow}"), &changed)
            .await
            .ok()["invoice"],
        "2"
    );
    assert_eq!(
        api.get(&format!("/escrows/logis/{escrow}")).await.ok()["invoice"],
        "2"
    );
    assert_eq!(
        api.post(&format!("/escrows/logis/{plain}"), &body)
            .await
            .status,
        400
    );
    let mut incomplete = body.clone();
    incomplete["logis"] = json!({ "company": "CJGLS" });
    assert_eq!(
        api.post(&format!("/escrows/logis/{escrow}"), &incomplete)
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn naver_orders_follow_their_claims_and_refund() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("n-1", 15000).pg("naverpay"));
    let orders = api
        .get(&format!("/payments/{imp_uid}/naver/product-orders"))
        .await;
    let id = orders.ok()[0]["product_order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(orders.ok()[0]["product_order_status"], "PAYED");
    let partial = api
        .post(
            &format!("/payments/{imp_uid}/naver/place"),
            &json!({ "product_order_id": [id, "nope"] }),
        )
        .await;
    assert_eq!(partial.status, 207);
    let cancelled = api
        .post(&format!("/payments/{imp_uid}/naver/cancel"), &json!({}))
        .await;
    assert_eq!(cancelled.ok()[0]["product_order_status"], "CANCELED");
    assert_eq!(
        api.get(&format!("/payments/{imp_uid}")).await.ok()["status"],
        "cancelled"
    );
    let card = server.checkout(Checkout::paid("c-1", 1000));
    assert_eq!(
        api.get(&format!("/payments/{card}/naver/product-orders"))
            .await
            .status,
        404
    );
    assert_eq!(
        api.post(&format!("/payments/{imp_uid}/naver/ship"), &json!({}))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn reference_data() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let banks = api.get("/banks").await;
    assert!(banks.ok().as_array().is_some_and(|b| {
        b.iter()
            .any(|x| x["code"] == "088" && x["name"] == "신한은행")
    }));
    assert_eq!(api.get("/cards/381").await.ok()["name"], "KB국민카드");
    assert_eq!(api.get("/cards/999").await.status, 404);
    let pg = api.get("/users/pg").await;
    assert!(
        pg.ok()
            .as_array()
            .is_some_and(|c| c.iter().any(|x| x["sandbox"] == true))
    );
}

#[tokio::test]
async fn handles_are_shared_and_the_last_drop_stops_the_server() {
    let server = MockServer::start().await;
    let addr = server.addr();
    let clone = server.clone();
    drop(server);
    let api = Api::new(&clone).await;
    assert_eq!(api.get("/banks").await.status, 200);
    drop(api);
    drop(clone);
    // The accept loop ends on its next turn; give it a bounded number of turns.
    let mut refused = false;
    for _ in 0..200 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
    }
    assert!(refused, "{addr} still accepts connections");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_token_and_state() {
    let server = MockServer::start().await;
    let imp_uid = server.checkout(Checkout::paid("c-1", 100_000));
    let http = reqwest::Client::new();
    let mut tasks = Vec::new();
    for i in 0..32 {
        let (server, http, imp_uid) = (server.clone(), http.clone(), imp_uid.clone());
        tasks.push(tokio::spawn(async move {
            let token = common::get_token(&server, &http).await.ok()["access_token"].clone();
            let api = Api {
                base: server.base_url(),
                http,
                token: token.as_str().unwrap_or_default().to_owned(),
                tier: None,
            };
            let answer = api
                .post(
                    "/payments/cancel",
                    &json!({ "imp_uid": imp_uid, "amount": 1000, "reason": format!("{i}") }),
                )
                .await;
            (token, answer.code())
        }));
    }
    let mut tokens = std::collections::BTreeSet::new();
    for t in tasks {
        let (token, code) = t.await.expect("task");
        assert_eq!(code, 0);
        tokens.insert(token.to_string());
    }
    assert_eq!(tokens.len(), 1);
    let api = Api::new(&server).await;
    let p = api.get(&format!("/payments/{imp_uid}")).await;
    assert_eq!(p.ok()["cancel_amount"], 32_000);
    assert_eq!(p.ok()["cancel_history"].as_array().map(Vec::len), Some(32));
}
