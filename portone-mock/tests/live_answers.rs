//! Answers as the live server gave them to real clients (NOTES.md, "Answers observed on
//! the live server"): trailing slashes, the key's letter case, the order and words of the
//! refusals made before any PG, and the undocumented `POST /subscribe/payments/foreign`.

mod common;

use common::{Api, get_token, send};
use portone_mock::{MockServer, cards};
use serde_json::json;

#[tokio::test]
async fn every_route_is_served_with_a_trailing_slash_and_a_bad_token_is_401_there() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(portone_mock::Checkout::paid("slash-1", 3000));
    assert_eq!(
        api.get(&format!("/payments/{imp_uid}/")).await.ok()["amount"],
        3000
    );
    let all = api.get("/payments/findAll/slash-1/").await;
    assert_eq!(all.ok()["list"][0]["imp_uid"], imp_uid.as_str());
    // PortOne's PHP client sends every refund here.
    let refund = api
        .post("/payments/cancel/", &json!({ "imp_uid": imp_uid }))
        .await;
    assert_eq!(refund.ok()["status"], "cancelled");
    let bad_token = send(
        api.http
            .post(format!("{}/payments/cancel/", server.base_url()))
            .bearer_auth("not-a-token")
            .header("content-type", "application/json")
            .body(json!({ "imp_uid": imp_uid }).to_string()),
    )
    .await;
    assert_eq!((bad_token.status, bad_token.code()), (401, -1));
    // The log keeps the path as it was sent.
    let sent = server.requests();
    assert!(sent.iter().any(|r| r.path == "/payments/cancel/"));
    // An admin route too.
    let admin = send(
        api.http
            .get(format!("{}/__mock/faults/", server.base_url())),
    )
    .await;
    assert_eq!(admin.status, 200);
}

#[tokio::test]
async fn the_key_is_matched_without_regard_to_case_and_the_secret_exactly() {
    let server = MockServer::builder()
        .credentials("imp_apikey", "Secret-Of-Mixed-Case")
        .start()
        .await;
    let http = reqwest::Client::new();
    let token = |key: &str, secret: &str| {
        let body = json!({ "imp_key": key, "imp_secret": secret }).to_string();
        send(
            http.post(format!("{}/users/getToken", server.base_url()))
                .header("content-type", "application/json")
                .body(body),
        )
    };
    // Both published Node clients default to `imp_apiKey`.
    let node = token("imp_apiKey", "Secret-Of-Mixed-Case").await;
    assert_eq!(node.ok()["access_token"].as_str().map(str::len), Some(40));
    let wrong = token("imp_apikey", "secret-of-mixed-case").await;
    assert_eq!(
        (wrong.status, wrong.code(), wrong.message()),
        (401, -1, "아임포트 API 인증에 실패하였습니다.")
    );
    assert_eq!(get_token(&server, &http).await.status, 200);
}

#[tokio::test]
async fn a_number_that_is_not_a_card_number_is_refused_first_and_records_nothing() {
    let server = MockServer::builder().frozen_clock().start().await;
    let api = Api::new(&server).await;
    for (number, merchant_uid) in [
        ("1111-1111-1111-1111", "luhn-1"),
        ("1234-1234-1234-1234", "luhn-2"),
        ("4092-0230-1234-1234", "luhn-3"),
    ] {
        // Its expiry has passed too: the number is looked at first.
        let answer = api
            .post(
                "/subscribe/payments/onetime",
                &json!({ "merchant_uid": merchant_uid, "amount": 1000, "card_number": number,
                         "expiry": "2001-01" }),
            )
            .await;
        assert_eq!((answer.status, answer.code()), (200, -1), "{number}");
        assert!(answer.response().is_null());
        assert!(
            answer.message().contains("카드정보 인증에 실패하였습니다.")
                && answer
                    .message()
                    .contains("유효하지않은 카드번호를 입력하셨습니다."),
            "{}",
            answer.message()
        );
        assert!(
            !answer.message().contains(&number[..9]),
            "the number is not quoted"
        );
        // No PG was asked: there is no payment to find or cancel.
        assert_eq!(
            api.get(&format!("/payments/find/{merchant_uid}"))
                .await
                .status,
            404
        );
        let cancel = api
            .post("/payments/cancel", &json!({ "merchant_uid": merchant_uid }))
            .await;
        assert_eq!(
            (cancel.code(), cancel.message()),
            (1, "취소할 결제건이 존재하지 않습니다.")
        );
        let key = api
            .post(
                "/subscribe/customers/luhn-key",
                &json!({ "card_number": number, "expiry": "2099-12" }),
            )
            .await;
        assert_eq!((key.status, key.code()), (200, -1));
        assert!(
            key.message()
                .contains("유효하지않은 카드번호를 입력하셨습니다.")
        );
    }
    assert_eq!(api.get("/subscribe/customers/luhn-key").await.code(), 1);
    // An expired card is the PG's refusal of a billing key.
    let expired = api
        .post(
            "/subscribe/customers/old-key",
            &json!({ "card_number": cards::APPROVED, "expiry": "2001-01" }),
        )
        .await;
    assert_eq!((expired.status, expired.code()), (200, -1));
    assert!(
        expired
            .message()
            .starts_with("카드정보 인증 및 빌키 발급에 실패하였습니다.")
    );
}

#[tokio::test]
async fn the_documented_test_cards_keep_working() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let pay = |merchant_uid: &'static str, number: &'static str| {
        let api = &api;
        async move {
            api.post(
                "/subscribe/payments/onetime",
                &json!({ "merchant_uid": merchant_uid, "amount": 1000, "card_number": number,
                         "expiry": "2099-12" }),
            )
            .await
        }
    };
    assert_eq!(pay("tc-1", cards::APPROVED).await.ok()["status"], "paid");
    for (m, number, reason) in [
        ("tc-2", cards::INSUFFICIENT_FUNDS, "잔액부족"),
        ("tc-3", cards::LIMIT_EXCEEDED, "한도초과"),
        ("tc-4", cards::LOST_OR_STOLEN, "분실/도난 카드"),
    ] {
        let declined = pay(m, number).await;
        assert_eq!(declined.ok()["status"], "failed", "{number}");
        assert_eq!(declined.ok()["fail_reason"], reason);
    }
    // The PG's refusals reached a PG: the attempt is recorded, failed.
    for (m, number) in [
        ("tc-5", cards::INVALID_NUMBER),
        ("tc-6", cards::PG_UNREACHABLE),
    ] {
        assert_eq!(pay(m, number).await.code(), -1, "{number}");
        let recorded = api.get(&format!("/payments/find/{m}")).await;
        assert_eq!(recorded.ok()["status"], "failed", "{number}");
    }
}

#[tokio::test]
async fn the_other_refusals_in_portones_words() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    for cert in [
        api.get("/certifications/imp_000000000000").await,
        api.delete("/certifications/imp_000000000000").await,
    ] {
        assert_eq!(
            (cert.status, cert.message()),
            (404, "인증결과가 존재하지 않습니다.")
        );
    }
    let status = api.get("/payments/status/refunded").await;
    assert_eq!(
        (status.code(), status.message()),
        (-1, "지원되지 않는 상태값입니다.")
    );
    let nothing = api
        .post("/payments/cancel", &json!({ "reason": "no uid" }))
        .await;
    assert_eq!(nothing.code(), -1);
    assert!(
        nothing.message().ends_with("지정해주셔야합니다."),
        "{}",
        nothing.message()
    );
    let schedule = api
        .post(
            "/subscribe/payments/schedule",
            &json!({ "customer_uid": "ghost", "schedules": [
                { "merchant_uid": "s-1", "schedule_at": 4_102_444_800_i64, "amount": 100 }
            ] }),
        )
        .await;
    assert_eq!(
        (schedule.status, schedule.code(), schedule.message()),
        (200, 1, "등록된 고객정보가 없습니다.")
    );
}

#[tokio::test]
async fn foreign_is_a_one_time_payment_with_a_card_issued_abroad() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let paid = api
        .post(
            "/subscribe/payments/foreign",
            &json!({ "merchant_uid": "f-1", "amount": 1200, "card_number": cards::APPROVED,
                     "expiry": "2099-12", "card_quota": 3 }),
        )
        .await;
    let paid = paid.ok();
    assert_eq!(
        (paid["status"].as_str(), paid["amount"].as_i64()),
        (Some("paid"), Some(1200))
    );
    assert_eq!(
        paid["card_quota"], 0,
        "no instalments on a card issued abroad"
    );
    let declined = api
        .post(
            "/subscribe/payments/foreign/",
            &json!({ "merchant_uid": "f-2", "amount": 1200,
                     "card_number": cards::INSUFFICIENT_FUNDS, "expiry": "2099-12" }),
        )
        .await;
    assert_eq!(declined.ok()["status"], "failed");
    let luhn = api
        .post(
            "/subscribe/payments/foreign",
            &json!({ "merchant_uid": "f-3", "amount": 1200,
                     "card_number": "1234-1234-1234-1234", "expiry": "2099-12" }),
        )
        .await;
    assert_eq!((luhn.status, luhn.code()), (200, -1));
    assert_eq!(api.get("/payments/find/f-3").await.status, 404);
    let again = api
        .post(
            "/subscribe/payments/foreign",
            &json!({ "merchant_uid": "f-1", "amount": 1200, "card_number": cards::APPROVED,
                     "expiry": "2099-12" }),
        )
        .await;
    assert_eq!(again.code(), 1, "a merchant_uid paid already");
}
