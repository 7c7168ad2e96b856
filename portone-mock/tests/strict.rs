//! What PortOne refuses, refused on the wire with the envelope PortOne uses: amounts that
//! pay nothing, channels and PGs that do not exist, bodies PHP cannot read, arrays without
//! brackets; and what it keeps (`custom_data` sent as an object).

mod common;

use common::{Answer, Api};
use portone_mock::{Checkout, MockServer, cards};
use reqwest::Method;
use serde_json::{Value, json};

/// A refusal of a bad parameter: 400, `code` -1, a message, no `response`.
#[track_caller]
fn bad_parameter(answer: &Answer, what: &str) {
    assert_eq!(
        (answer.status, answer.code()),
        (400, -1),
        "{what}: {:#}",
        answer.body
    );
    assert!(!answer.message().is_empty(), "{what}");
    assert!(answer.response().is_null(), "{what}");
}

fn card() -> Value {
    json!({ "card_number": cards::APPROVED, "expiry": "2030-12" })
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

#[tokio::test]
async fn amounts_that_pay_nothing_are_refused_on_every_paying_route() {
    let server = MockServer::builder().frozen_clock().start().await;
    let api = Api::new(&server).await;
    let now = server.now();
    api.post("/subscribe/customers/k", &card()).await.ok();
    let vbank = api
        .post("/vbanks", &json!({ "merchant_uid": "vb", "amount": 100, "vbank_code": "004", "vbank_due": now + 3600 }))
        .await;
    let vbank = vbank.ok()["imp_uid"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let routes: Vec<(Method, String, Value)> = vec![
        (
            Method::POST,
            "/subscribe/payments/onetime".into(),
            with(card(), "merchant_uid", json!("o")),
        ),
        (
            Method::POST,
            "/subscribe/payments/again".into(),
            json!({ "customer_uid": "k", "merchant_uid": "a", "name": "x" }),
        ),
        (
            Method::POST,
            "/subscribe/payments/schedule".into(),
            json!({ "customer_uid": "k", "schedules": [{ "merchant_uid": "s", "schedule_at": now + 60, "name": "x" }] }),
        ),
        (
            Method::POST,
            "/vbanks".into(),
            json!({ "merchant_uid": "v", "vbank_code": "004", "vbank_due": now + 3600 }),
        ),
        (Method::PUT, format!("/vbanks/{vbank}"), json!({})),
        (Method::POST, "/cvs".into(), json!({ "merchant_uid": "c" })),
        (
            Method::POST,
            "/payments/prepare".into(),
            json!({ "merchant_uid": "p" }),
        ),
        (
            Method::PUT,
            "/payments/prepare".into(),
            json!({ "merchant_uid": "p" }),
        ),
        (
            Method::POST,
            "/benepia/payment".into(),
            json!({ "benepia_user": "u", "benepia_password": "p", "merchant_uid": "b", "name": "x" }),
        ),
        (
            Method::POST,
            "/kcpquick/payment/money".into(),
            json!({ "member_id": "m", "merchant_uid": "q", "name": "x", "imp_uid": "imp_000000000000" }),
        ),
        (
            Method::POST,
            "/kcpquick/payment/autopay".into(),
            json!({ "customer_uid": "k", "merchant_uid": "qa", "name": "x", "buyer_name": "홍" }),
        ),
        (
            Method::POST,
            "/receipts/external/e".into(),
            json!({ "name": "x", "identifier": "010" }),
        ),
    ];
    for (method, path, body) in routes {
        for amount in [json!(0), json!(-1000), json!("-0.5"), json!("0")] {
            let mut body = body.clone();
            match body.get_mut("schedules") {
                Some(list) => list[0]["amount"] = amount.clone(),
                None => body["amount"] = amount.clone(),
            }
            let answer = api.call(method.clone(), &path, &body).await;
            bad_parameter(&answer, &format!("{method} {path} amount {amount}"));
        }
    }
    // Nothing was made on the way.
    assert_eq!(api.get("/payments/find/o").await.status, 404);
    assert_eq!(api.get("/subscribe/payments/schedule/s").await.status, 404);
    assert_eq!(
        api.get(&format!("/payments/{vbank}")).await.ok()["amount"],
        100
    );
}

#[tokio::test]
async fn cancels_refuse_negative_amounts_and_take_zero_as_full() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("c-1", 1000));
    for key in ["amount", "checksum", "tax_free"] {
        let answer = api
            .post("/payments/cancel", &json!({ "imp_uid": imp_uid, key: -1 }))
            .await;
        bad_parameter(&answer, key);
    }
    let full = api
        .post(
            "/payments/cancel",
            &json!({ "imp_uid": imp_uid, "amount": 0 }),
        )
        .await;
    assert_eq!(full.ok()["cancel_amount"], 1000);
}

#[tokio::test]
async fn unknown_channel_keys_and_pgs_are_refused() {
    let server = MockServer::builder().frozen_clock().start().await;
    let api = Api::new(&server).await;
    let now = server.now();
    api.post("/subscribe/customers/k", &card()).await.ok();
    let unknown = json!("channel-key-nope");
    let danal = json!("channel-key-mock-danal");
    let routes: Vec<(&str, Value)> = vec![
        ("/subscribe/customers/new", card()),
        (
            "/subscribe/payments/onetime",
            json!({ "merchant_uid": "o", "amount": 100, "card_number": cards::APPROVED, "expiry": "2030-12" }),
        ),
        (
            "/subscribe/payments/again",
            json!({ "customer_uid": "k", "merchant_uid": "a", "amount": 100, "name": "x" }),
        ),
        (
            "/subscribe/payments/schedule",
            json!({ "customer_uid": "k", "schedules": [{ "merchant_uid": "s", "schedule_at": now + 60, "amount": 100, "name": "x" }] }),
        ),
        (
            "/vbanks",
            json!({ "merchant_uid": "v", "amount": 100, "vbank_code": "004", "vbank_due": now + 3600 }),
        ),
        ("/cvs", json!({ "merchant_uid": "c", "amount": 100 })),
        (
            "/receipts/external/e",
            json!({ "name": "x", "amount": 100, "identifier": "010" }),
        ),
        (
            "/benepia/point",
            json!({ "benepia_user": "u", "benepia_password": "p" }),
        ),
        (
            "/benepia/payment",
            json!({ "benepia_user": "u", "benepia_password": "p", "merchant_uid": "b", "amount": 100, "name": "x" }),
        ),
        (
            "/kcpquick/payment/money",
            json!({ "member_id": "m", "merchant_uid": "q", "amount": 100, "name": "x", "imp_uid": "imp_000000000000" }),
        ),
        ("/kcpquick/members/m/fido/release", json!({})),
        (
            "/certifications/otp/request",
            json!({ "name": "홍길동", "phone": "01012345678", "birth": "900101", "gender_digit": "1", "carrier": "SKT" }),
        ),
    ];
    for (path, body) in &routes {
        let refused = api
            .post(path, &with(body.clone(), "channel_key", unknown.clone()))
            .await;
        bad_parameter(&refused, &format!("{path} unknown key"));
        // A key of the account, but of another kind or partner.
        let key = if path.starts_with("/certifications") {
            json!("channel-key-mock-inicis")
        } else {
            danal.clone()
        };
        let wrong = api
            .post(path, &with(body.clone(), "channel_key", key))
            .await;
        bad_parameter(&wrong, &format!("{path} wrong key"));
    }
    // `pg` names a PG or is refused; a real PG without a channel here takes the default
    // channel, as PortOne's spec says.
    for path in ["/subscribe/customers/new", "/vbanks"] {
        let body = &routes
            .iter()
            .find(|(p, _)| p == &path)
            .map(|(_, b)| b.clone())
            .unwrap_or_default();
        bad_parameter(
            &api.post(path, &with(body.clone(), "pg", json!("nicee")))
                .await,
            path,
        );
        let fallback = api
            .post(path, &with(body.clone(), "pg", json!("kcp")))
            .await;
        assert!(fallback.ok()["pg_provider"].is_string(), "{path}");
    }
    assert_eq!(
        api.get("/subscribe/customers/new").await.ok()["pg_provider"],
        "nice_v2"
    );
    // The right keys work.
    let sandbox = api
        .post(
            "/subscribe/customers/sb",
            &with(card(), "channel_key", json!("channel-key-mock-sandbox")),
        )
        .await;
    assert_eq!(
        (
            sandbox.ok()["pg_id"].clone(),
            sandbox.ok()["sandbox"].clone()
        ),
        (json!("INIpayTest"), json!(true))
    );
    let benepia = api
        .post("/benepia/point", &json!({ "benepia_user": "u", "benepia_password": "p", "channel_key": "channel-key-mock-benepia" }))
        .await;
    assert_eq!(benepia.ok()["point"], 50000);
    let reviews = api
        .get(&format!(
            "/naver/reviews?from=0&to={now}&review_type=general&channel_key=channel-key-nope"
        ))
        .await;
    bad_parameter(&reviews, "naver reviews");
    let pg = api.get("/users/pg").await;
    let keys: Vec<&str> = pg
        .ok()
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["channel_key"].as_str())
        .collect();
    assert!(
        keys.contains(&"channel-key-mock-kcp-quick") && keys.contains(&"channel-key-mock-benepia"),
        "{keys:?}"
    );
}

#[tokio::test]
async fn a_body_is_read_only_under_a_json_or_form_content_type() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("ct-1", 1000));
    let json_text = json!({ "imp_uid": imp_uid }).to_string();
    let send = |content_type: Option<&'static str>| {
        let mut req = api
            .http
            .post(format!("{}/payments/cancel", api.base))
            .bearer_auth(&api.token)
            .body(json_text.clone());
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        common::send(req)
    };
    for ct in [
        None,
        Some("text/plain"),
        Some("text/plain; charset=utf-8"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let answer = send(ct).await;
        bad_parameter(&answer, &format!("{ct:?}"));
        assert!(answer.message().contains("imp_uid"), "{}", answer.message());
    }
    assert_eq!(
        api.get(&format!("/payments/{imp_uid}")).await.ok()["status"],
        "paid"
    );
    let ok = send(Some("application/json; charset=utf-8")).await;
    assert_eq!(ok.ok()["status"], "cancelled");
    // getToken too: its key and secret are not seen.
    let token = common::send(api.http.post(format!("{}/users/getToken", api.base)).body(
        json!({ "imp_key": server.api_key(), "imp_secret": server.api_secret() }).to_string(),
    ))
    .await;
    bad_parameter(&token, "getToken without a content type");
}

#[tokio::test]
async fn arrays_need_brackets_in_queries_and_forms() {
    let server = MockServer::builder().frozen_clock().start().await;
    let api = Api::new(&server).await;
    let now = server.now();
    api.post("/subscribe/customers/k", &card()).await.ok();
    bad_parameter(
        &api.get("/subscribe/customers?customer_uid=k").await,
        "customer_uid",
    );
    assert_eq!(
        api.get("/subscribe/customers?customer_uid[]=k").await.ok()[0]["customer_uid"],
        "k"
    );
    let a = server.checkout(Checkout::paid("m-1", 1));
    bad_parameter(&api.get(&format!("/payments?imp_uid={a}")).await, "imp_uid");
    bad_parameter(&api.get("/payments?merchant_uid=m-1").await, "merchant_uid");

    // A form unschedule whose `merchant_uid` has no brackets lists nothing: PortOne then
    // revokes every schedule of the key.
    let entries = json!([
        { "merchant_uid": "s-1", "schedule_at": now + 60, "amount": 100, "name": "x" },
        { "merchant_uid": "s-2", "schedule_at": now + 120, "amount": 100, "name": "x" },
    ]);
    let form = |body: &'static str| {
        common::send(
            api.http
                .post(format!("{}/subscribe/payments/unschedule", api.base))
                .bearer_auth(&api.token)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        )
    };
    api.post(
        "/subscribe/payments/schedule",
        &json!({ "customer_uid": "k", "schedules": entries.clone() }),
    )
    .await
    .ok();
    let bracketed = form("customer_uid=k&merchant_uid[]=s-1").await;
    assert_eq!(bracketed.ok().as_array().map(Vec::len), Some(1));
    api.post(
        "/subscribe/payments/unschedule",
        &json!({ "customer_uid": "k" }),
    )
    .await
    .ok();
    let unscheduled: Vec<Value> = ["s-1", "s-2"].iter().map(|m| json!({ "merchant_uid": format!("{m}b"), "schedule_at": now + 60, "amount": 100, "name": "x" })).collect();
    api.post(
        "/subscribe/payments/schedule",
        &json!({ "customer_uid": "k", "schedules": unscheduled }),
    )
    .await
    .ok();
    let plain = form("customer_uid=k&merchant_uid=s-1b").await;
    assert_eq!(plain.ok().as_array().map(Vec::len), Some(2));
    // In JSON a single string is read as a one-element list.
    api.post("/subscribe/payments/schedule", &json!({ "customer_uid": "k", "schedules": [{ "merchant_uid": "s-3", "schedule_at": now + 60, "amount": 100, "name": "x" }, { "merchant_uid": "s-4", "schedule_at": now + 60, "amount": 100, "name": "x" }] })).await.ok();
    let one = api
        .post(
            "/subscribe/payments/unschedule",
            &json!({ "customer_uid": "k", "merchant_uid": "s-3" }),
        )
        .await;
    assert_eq!(one.ok().as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn custom_data_sent_as_an_object_is_kept_as_json_text() {
    let server = MockServer::builder().frozen_clock().start().await;
    let api = Api::new(&server).await;
    let now = server.now();
    let data = json!({ "order": 7, "items": ["원두", "필터"] });
    let text = data.to_string();
    let mut once = card();
    once["merchant_uid"] = json!("cd-1");
    once["amount"] = json!(100);
    once["customer_uid"] = json!("k");
    once["custom_data"] = data.clone();
    let paid = api.post("/subscribe/payments/onetime", &once).await;
    assert_eq!(paid.ok()["custom_data"], json!(text));
    let again = api
        .post("/subscribe/payments/again", &json!({ "customer_uid": "k", "merchant_uid": "cd-2", "amount": 100, "name": "x", "custom_data": data }))
        .await;
    assert_eq!(again.ok()["custom_data"], json!(text));
    let vbank = api
        .post("/vbanks", &json!({ "merchant_uid": "cd-3", "amount": 100, "vbank_code": "004", "vbank_due": now + 3600, "custom_data": data }))
        .await;
    assert_eq!(vbank.ok()["custom_data"], json!(text));
    let scheduled = api
        .post("/subscribe/payments/schedule", &json!({ "customer_uid": "k", "schedules": [{ "merchant_uid": "cd-4", "schedule_at": now + 60, "amount": 100, "name": "x", "custom_data": data }] }))
        .await;
    assert_eq!(scheduled.ok()[0]["custom_data"], json!(text));
    server.advance(std::time::Duration::from_secs(60));
    let api = Api::new(&server).await;
    let run = api.get("/payments/find/cd-4").await;
    assert_eq!(run.ok()["custom_data"], json!(text));
    // Decoded back, it is the object that was sent.
    let back: Value = serde_json::from_str(run.ok()["custom_data"].as_str().unwrap_or_default())
        .unwrap_or_default();
    assert_eq!(back, data);
    // A string stays as it was sent.
    let plain = api
        .post("/subscribe/payments/again", &json!({ "customer_uid": "k", "merchant_uid": "cd-5", "amount": 100, "name": "x", "custom_data": "{\"a\": 1}" }))
        .await;
    assert_eq!(plain.ok()["custom_data"], "{\"a\": 1}");
}
