//! Every operation of PortOne's published V1 spec (the repository's copy in
//! `portone/spec/openapi.json`) answers 200 with a body valid for the spec's schema.

#[path = "../common/mod.rs"]
mod common;
mod harness;

use std::collections::BTreeSet;
use std::time::Duration;

use common::Api;
use harness::{Run, s};
use portone_mock::{Checkout, MockServer, cards};
use reqwest::Method;
use serde_json::{Value, json};

pub(crate) fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../portone/spec/openapi.json");
    let text = std::fs::read_to_string(path).expect("the vendored spec");
    serde_json::from_str(&text).expect("the spec is JSON")
}

#[tokio::test]
async fn every_operation_answers_its_schema() {
    let spec = spec();
    let server = MockServer::builder()
        .agency(["A1B"])
        .frozen_clock()
        .start()
        .await;
    let now = server.now();
    let paid = server.checkout(Checkout::paid("pay-1", 10000).name("원두"));
    let cash = server.checkout(
        Checkout::paid("cash-1", 22000)
            .pay_method("trans")
            .escrow(true),
    );
    let naver = server.checkout(Checkout::paid("naver-1", 15000).pg("naverpay"));
    let mut run = Run {
        spec: &spec,
        api: Api::new(&server).await,
        covered: BTreeSet::new(),
        errors: Vec::new(),
    };
    use Method as M;

    // Payments.
    run.call(
        M::POST,
        "/users/getToken",
        "/users/getToken",
        Some(json!({"imp_key": server.api_key(), "imp_secret": server.api_secret()})),
    )
    .await;
    run.call(
        M::GET,
        "/payments",
        &format!("/payments?imp_uid[]={paid}&merchant_uid[]=cash-1"),
        None,
    )
    .await;
    run.call(
        M::GET,
        "/payments/{imp_uid}",
        &format!("/payments/{paid}"),
        None,
    )
    .await;
    run.call(
        M::GET,
        "/payments/{imp_uid}/balance",
        &format!("/payments/{paid}/balance"),
        None,
    )
    .await;
    run.call(
        M::GET,
        "/payments/find/{merchant_uid}/{payment_status}",
        "/payments/find/pay-1",
        None,
    )
    .await;
    run.call(
        M::GET,
        "/payments/find/{merchant_uid}/{payment_status}",
        "/payments/find/pay-1/paid",
        None,
    )
    .await;
    run.call(
        M::GET,
        "/payments/findAll/{merchant_uid}/{payment_status}",
        "/payments/findAll/pay-1",
        None,
    )
    .await;
    run.call(
        M::GET,
        "/payments/status/{payment_status}",
        "/payments/status/all?limit=5",
        None,
    )
    .await;
    run.call(
        M::POST,
        "/payments/prepare",
        "/payments/prepare",
        Some(json!({"merchant_uid": "prep-1", "amount": 1000})),
    )
    .await;
    run.call(
        M::PUT,
        "/payments/prepare",
        "/payments/prepare",
        Some(json!({"merchant_uid": "prep-1", "amount": 2000, "currency": "KRW"})),
    )
    .await;
    run.call(
        M::GET,
        "/payments/prepare/{merchant_uid}",
        "/payments/prepare/prep-1",
        None,
    )
    .await;
    run.call(
        M::POST,
        "/payments/cancel",
        "/payments/cancel",
        Some(json!({"imp_uid": paid, "amount": 1000, "checksum": 10000, "reason": "부분환불"})),
    )
    .await;

    // Billing keys and payments with them.
    let card = json!({"card_number": cards::APPROVED, "expiry": "2030-12", "birth": "900101", "customer_name": "홍길동"});
    run.call(
        M::POST,
        "/subscribe/customers/{customer_uid}",
        "/subscribe/customers/cust-1",
        Some(card.clone()),
    )
    .await;
    run.call(
        M::POST,
        "/subscribe/customers/{customer_uid}",
        "/subscribe/customers/kcp-1",
        Some(card.clone()),
    )
    .await;
    run.call(
        M::GET,
        "/subscribe/customers/{customer_uid}",
        "/subscribe/customers/cust-1",
        None,
    )
    .await;
    run.call(
        M::GET,
        "/subscribe/customers",
        "/subscribe/customers?customer_uid[]=cust-1",
        None,
    )
    .await;
    let mut onetime = card.clone();
    onetime["merchant_uid"] = json!("once-1");
    onetime["amount"] = json!(5000);
    run.call(
        M::POST,
        "/subscribe/payments/onetime",
        "/subscribe/payments/onetime",
        Some(onetime),
    )
    .await;
    run.call(M::POST, "/subscribe/payments/again", "/subscribe/payments/again", Some(json!({"customer_uid": "cust-1", "merchant_uid": "again-1", "amount": 3000, "name": "구독"}))).await;
    run.call(
        M::GET,
        "/subscribe/customers/{customer_uid}/payments",
        "/subscribe/customers/cust-1/payments",
        None,
    )
    .await;

    // Schedules, including one that fails and is retried and one rescheduled.
    let entry = |m: &str, at: i64| json!({"merchant_uid": m, "schedule_at": at, "amount": 1000, "name": "정기", "currency": "KRW"});
    let poor = json!({"card_number": cards::INSUFFICIENT_FUNDS, "expiry": "2030-12"});
    run.call(
        M::POST,
        "/subscribe/customers/{customer_uid}",
        "/subscribe/customers/poor",
        Some(poor),
    )
    .await;
    run.call(M::POST, "/subscribe/payments/schedule", "/subscribe/payments/schedule", Some(json!({"customer_uid": "poor", "schedules": [entry("sf-1", now + 10), entry("sf-2", now + 10)]}))).await;
    run.call(M::POST, "/subscribe/payments/schedule", "/subscribe/payments/schedule", Some(json!({"customer_uid": "cust-1", "schedules": [entry("sc-1", now + 3000), entry("sc-2", now + 4000)]}))).await;
    server.advance(Duration::from_secs(10));
    run.call(
        M::POST,
        "/subscribe/payments/unschedule",
        "/subscribe/payments/unschedule",
        Some(json!({"customer_uid": "cust-1", "merchant_uid": ["sc-2"]})),
    )
    .await;
    run.call(
        M::GET,
        "/subscribe/payments/schedule",
        &format!(
            "/subscribe/payments/schedule?schedule_from={now}&schedule_to={}",
            now + 5000
        ),
        None,
    )
    .await;
    run.call(
        M::GET,
        "/subscribe/payments/schedule/{merchant_uid}",
        "/subscribe/payments/schedule/sc-1",
        None,
    )
    .await;
    run.call(
        M::PUT,
        "/subscribe/payments/schedule/{merchant_uid}",
        "/subscribe/payments/schedule/sc-1",
        Some(json!({"schedule_at": now + 3500})),
    )
    .await;
    run.call(
        M::POST,
        "/subscribe/payments/schedule/{merchant_uid}/reschedule",
        "/subscribe/payments/schedule/sf-2/reschedule",
        Some(json!({"schedule_at": now + 6000})),
    )
    .await;
    run.call(
        M::POST,
        "/subscribe/payments/schedule/{merchant_uid}/retry",
        "/subscribe/payments/schedule/sf-1/retry",
        Some(json!({})),
    )
    .await;
    let span = format!("from={now}&to={}", now + 5000);
    run.call(
        M::GET,
        "/subscribe/payments/schedule/customers/{customer_uid}",
        &format!("/subscribe/payments/schedule/customers/cust-1?{span}"),
        None,
    )
    .await;
    run.call(
        M::GET,
        "/subscribe/customers/{customer_uid}/schedules",
        &format!("/subscribe/customers/cust-1/schedules?{span}&schedule-status=scheduled"),
        None,
    )
    .await;

    // Virtual accounts and convenience stores.
    let vbank = run.call(M::POST, "/vbanks", "/vbanks", Some(json!({"merchant_uid": "vb-1", "amount": 30000, "vbank_code": "004", "vbank_due": now + 86_400, "vbank_holder": "포트원"}))).await;
    let vbank = s(&vbank["imp_uid"]);
    run.call(
        M::PUT,
        "/vbanks/{imp_uid}",
        &format!("/vbanks/{vbank}"),
        Some(json!({"amount": 31000})),
    )
    .await;
    run.call(
        M::DELETE,
        "/vbanks/{imp_uid}",
        &format!("/vbanks/{vbank}"),
        None,
    )
    .await;
    let cvs = run.call(M::POST, "/cvs", "/cvs", Some(json!({"merchant_uid": "cvs-1", "amount": 5000, "channel_key": "channel-key-mock-inicis"}))).await;
    run.call(
        M::DELETE,
        "/cvs/{imp_uid}",
        &format!("/cvs/{}", s(&cvs["imp_uid"])),
        None,
    )
    .await;

    // Cash receipts.
    run.call(
        M::POST,
        "/receipts/{imp_uid}",
        &format!("/receipts/{cash}"),
        Some(json!({"identifier": "01012345678", "type": "person"})),
    )
    .await;
    run.call(
        M::GET,
        "/receipts/{imp_uid}",
        &format!("/receipts/{cash}"),
        None,
    )
    .await;
    run.call(
        M::DELETE,
        "/receipts/{imp_uid}",
        &format!("/receipts/{cash}"),
        None,
    )
    .await;
    run.call(
        M::POST,
        "/receipts/external/{merchant_uid}",
        "/receipts/external/ext-1",
        Some(json!({"name": "현금판매", "amount": 11000, "identifier": "01012345678"})),
    )
    .await;
    run.call(
        M::GET,
        "/receipts/external/{merchant_uid}",
        "/receipts/external/ext-1",
        None,
    )
    .await;
    run.call(
        M::DELETE,
        "/receipts/external/{merchant_uid}",
        "/receipts/external/ext-1",
        None,
    )
    .await;

    // Escrow shipping.
    let logis = json!({
        "sender": {"name": "포트원", "tel": "02-0000-0000", "addr": "서울", "postcode": "06236"},
        "receiver": {"name": "홍길동", "tel": "010-0000-0000", "addr": "부산", "postcode": "48058"},
        "logis": {"company": "CJGLS", "invoice": "123456789", "sent_at": now},
    });
    run.call(
        M::POST,
        "/escrows/logis/{imp_uid}",
        &format!("/escrows/logis/{cash}"),
        Some(logis.clone()),
    )
    .await;
    run.call(
        M::PUT,
        "/escrows/logis/{imp_uid}",
        &format!("/escrows/logis/{cash}"),
        Some(logis),
    )
    .await;
    run.call(
        M::GET,
        "/escrows/logis/{imp_uid}",
        &format!("/escrows/logis/{cash}"),
        None,
    )
    .await;

    // Certifications.
    let otp = run.call(M::POST, "/certifications/otp/request", "/certifications/otp/request", Some(json!({"name": "홍길동", "phone": "010-1234-5678", "birth": "900101", "gender_digit": "1", "carrier": "SKT", "channel_key": "channel-key-mock-danal"}))).await;
    let cert = s(&otp["imp_uid"]);
    run.call(
        M::POST,
        "/certifications/otp/confirm/{imp_uid}",
        &format!("/certifications/otp/confirm/{cert}"),
        Some(json!({"otp": MockServer::CERTIFICATION_OTP})),
    )
    .await;
    run.call(
        M::GET,
        "/certifications/{imp_uid}",
        &format!("/certifications/{cert}"),
        None,
    )
    .await;
    run.call(
        M::DELETE,
        "/certifications/{imp_uid}",
        &format!("/certifications/{cert}"),
        None,
    )
    .await;

    // Codes, settings, tiers.
    run.call(M::GET, "/banks", "/banks", None).await;
    run.call(M::GET, "/banks/{bank_standard_code}", "/banks/004", None)
        .await;
    run.call(M::GET, "/cards", "/cards", None).await;
    run.call(M::GET, "/cards/{card_standard_code}", "/cards/361", None)
        .await;
    run.call(M::GET, "/users/pg", "/users/pg", None).await;
    run.call(M::GET, "/tiers/{tier_code}", "/tiers/A1B", None)
        .await;

    // Naver Pay.
    let orders = run
        .call(
            M::GET,
            "/payments/{imp_uid}/naver/product-orders",
            &format!("/payments/{naver}/naver/product-orders"),
            None,
        )
        .await;
    let order_id = s(&orders[0]["product_order_id"]);
    run.call(
        M::GET,
        "/naver/product-orders/{product_order_id}",
        &format!("/naver/product-orders/{order_id}"),
        None,
    )
    .await;
    run.call(
        M::GET,
        "/naver/reviews",
        &format!(
            "/naver/reviews?from={}&to={now}&review_type=general",
            now - 86_400
        ),
        None,
    )
    .await;
    run.call(
        M::GET,
        "/payments/{imp_uid}/naver/cash-amount",
        &format!("/payments/{naver}/naver/cash-amount"),
        None,
    )
    .await;
    let ids = json!({"product_order_id": [order_id]});
    let with = |extra: Value| {
        let mut b = ids.clone();
        for (k, v) in extra.as_object().into_iter().flatten() {
            b[k] = v.clone();
        }
        Some(b)
    };
    for (action, extra) in [
        ("place", json!({})),
        (
            "ship",
            json!({"delivery_method": "DELIVERY", "dispatched_at": now, "delivery_company": "CJGLS", "tracking_number": "1"}),
        ),
        (
            "request-return",
            json!({"delivery_method": "RETURN_DELIVERY", "reason": "INTENT_CHANGED"}),
        ),
        (
            "withhold-return",
            json!({"memo": "반품 배송비", "reason": "RETURN_DELIVERYFEE"}),
        ),
        ("resolve-return", json!({})),
        ("reject-return", json!({"memo": "반품 불가"})),
        ("ship-exchanged", json!({"delivery_method": "DELIVERY"})),
        ("collect-exchanged", json!({})),
        ("approve-return", json!({"memo": "승인"})),
        ("approve-cancel", json!({})),
        ("cancel", json!({"reason": "SOLD_OUT"})),
    ] {
        run.call(
            M::POST,
            &format!("/payments/{{imp_uid}}/naver/{action}"),
            &format!("/payments/{naver}/naver/{action}"),
            with(extra),
        )
        .await;
    }
    run.call(
        M::POST,
        "/payments/{imp_uid}/naver/point",
        &format!("/payments/{naver}/naver/point"),
        Some(json!({})),
    )
    .await;
    run.call(
        M::POST,
        "/payments/{imp_uid}/naver/confirm",
        &format!("/payments/{naver}/naver/confirm"),
        Some(json!({"requester": "customer"})),
    )
    .await;

    // Partners.
    run.call(
        M::POST,
        "/benepia/point",
        "/benepia/point",
        Some(json!({"benepia_user": "u", "benepia_password": "p", "channel_key": "channel-key-mock-benepia"})),
    )
    .await;
    run.call(M::POST, "/benepia/payment", "/benepia/payment", Some(json!({"benepia_user": "u", "benepia_password": "p", "merchant_uid": "bene-1", "amount": 1000, "name": "포인트", "channel_key": "channel-key-mock-benepia"}))).await;
    run.call(
        M::POST,
        "/kcpquick/prepare/{merchant_uid}",
        "/kcpquick/prepare/kq-1",
        Some(json!({"btid": "b", "cust_ip": "127.0.0.1", "code_verifier": "v"})),
    )
    .await;
    run.call(
        M::PUT,
        "/kcpquick/prepare/{merchant_uid}",
        "/kcpquick/prepare/kq-1",
        Some(json!({"btid": "b2", "cust_ip": "127.0.0.1", "code_verifier": "v"})),
    )
    .await;
    run.call(M::POST, "/kcpquick/payment/money", "/kcpquick/payment/money", Some(json!({"member_id": "m", "channel_key": "channel-key-mock-kcp-quick", "merchant_uid": "kq-1", "name": "머니", "amount": 1000, "imp_uid": "imp_000000000000"}))).await;
    run.call(M::POST, "/kcpquick/payment/autopay", "/kcpquick/payment/autopay", Some(json!({"customer_uid": "kcp-1", "merchant_uid": "kq-2", "name": "자동", "buyer_name": "홍길동", "amount": 1000}))).await;
    run.call(
        M::DELETE,
        "/kcpquick/autopay/{customer_uid}",
        "/kcpquick/autopay/kcp-1",
        None,
    )
    .await;
    run.call(
        M::DELETE,
        "/kcpquick/members/{member_id}",
        "/kcpquick/members/m?site_code=IX0XX&partner_type=IX99&partner_subtype=99IX",
        None,
    )
    .await;
    run.call(
        M::POST,
        "/kcpquick/members/{member_id}/fido/release",
        "/kcpquick/members/m/fido/release",
        Some(json!({"channel_key": "channel-key-mock-kcp-quick"})),
    )
    .await;
    run.call(
        M::POST,
        "/payco/orders/status/{imp_uid}",
        &format!("/payco/orders/status/{paid}"),
        Some(json!({"status": "DELIVERY_START"})),
    )
    .await;
    run.call(M::POST, "/paymentwall/delivery", "/paymentwall/delivery", Some(json!({
        "imp_uid": paid, "merchant_uid": "pay-1", "type": "physical", "status": "order_shipped",
        "estimated_delivery_datetime": now + 86_400, "estimated_update_datetime": now, "refundable": "yes",
        "shipping_address_email": "buyer@example.com",
    }))).await;
    run.call(M::POST, "/partners/receipts/{imp_uid}", &format!("/partners/receipts/{paid}"), Some(json!({"data": [{"business_registration_number": "1234567890", "company_name": "하위상점", "amount": 1000}]}))).await;

    // Deletions last.
    run.call(
        M::DELETE,
        "/subscribe/customers/{customer_uid}",
        "/subscribe/customers/cust-1",
        None,
    )
    .await;

    assert!(run.errors.is_empty(), "{:#?}", run.errors);
    let mut missing = Vec::new();
    for (path, ops) in spec["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            let key = (method.to_ascii_uppercase(), path.clone());
            if !run.covered.contains(&key) {
                missing.push(format!("{} {}", key.0, key.1));
            }
        }
    }
    assert!(missing.is_empty(), "operations not exercised: {missing:#?}");
    assert_eq!(run.covered.len(), 80);
}
