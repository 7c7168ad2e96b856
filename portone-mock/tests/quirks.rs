//! Live quirks (`MockServerBuilder::live_quirks`): each quirk served, each dated shape
//! leaving out only what real bodies of its time leave out, the choice stable per id, and
//! nothing of it by default.

mod common;

use std::collections::BTreeSet;

use common::Api;
use portone_mock::{BodyShape, Checkout, MockServer, cards};
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    let body: Value = serde_json::from_str(&text).expect("fixture is JSON");
    // Some fixtures are the inner object only.
    match body.get("response") {
        Some(inner) if body.get("code").is_some() => inner.clone(),
        _ => body,
    }
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// A `prefix-N` id whose records get `shape`.
fn uid(prefix: &str, shape: BodyShape) -> String {
    (0..1000)
        .map(|i| format!("{prefix}-{i}"))
        .find(|m| BodyShape::of(m) == shape)
        .expect("every shape within 1000 ids")
}

const SHAPES: [BodyShape; 4] = [
    BodyShape::Current,
    BodyShape::Y2024,
    BodyShape::Y2023,
    BodyShape::Y2021,
];

async fn servers() -> (MockServer, Api, MockServer, Api) {
    let plain = MockServer::builder().frozen_clock().start().await;
    let quirky = MockServer::builder()
        .frozen_clock()
        .live_quirks(true)
        .start()
        .await;
    let (a, b) = (Api::new(&plain).await, Api::new(&quirky).await);
    (plain, a, quirky, b)
}

/// The same card payment, partly refunded, on both servers; its body on each.
async fn refunded(server: &MockServer, api: &Api, merchant_uid: &str) -> Value {
    let imp_uid = server.checkout(Checkout::paid(merchant_uid, 1000));
    api.post(
        "/payments/cancel",
        &json!({ "imp_uid": imp_uid, "amount": 100 }),
    )
    .await
    .ok();
    api.get(&format!("/payments/{imp_uid}")).await.ok().clone()
}

#[test]
fn the_shape_of_an_id_never_changes_and_every_shape_is_served() {
    // Pinned (FNV-1a of the id, modulo 4): the same in every run and on every machine, so
    // tests may pick their ids by it.
    let pinned: Vec<BodyShape> = ["order-1", "order-2", "order-3", "order-4", "cust-1"]
        .iter()
        .map(|m| BodyShape::of(m))
        .collect();
    assert_eq!(
        pinned,
        [
            BodyShape::Y2024,
            BodyShape::Current,
            BodyShape::Y2021,
            BodyShape::Y2023,
            BodyShape::Current
        ]
    );
    let served: BTreeSet<BodyShape> = (0..20)
        .map(|i| BodyShape::of(&format!("order-{i}")))
        .collect();
    assert_eq!(served.len(), 4);
}

#[tokio::test]
async fn off_by_default_every_record_has_the_current_shape() {
    let (plain, api, _, _) = servers().await;
    for shape in SHAPES {
        let p = refunded(&plain, &api, &uid("off", shape)).await;
        for key in [
            "sandbox",
            "emb_pg_provider",
            "customer_uid_usage",
            "promotion",
            "card_issuer_code",
        ] {
            assert!(p.get(key).is_some(), "{shape:?}: {key}");
        }
        assert!(p["apply_num"].is_string() && !p["apply_num"].as_str().is_some_and(str::is_empty));
        assert!(p["card_type"].is_i64());
        assert!(p["buyer_addr"].is_null());
        assert!(p["cancel_history"][0]["cancellation_id"].is_string());
    }
    let page = api.get("/payments/status/all").await;
    assert_eq!(page.ok()["previous"], 0);
}

#[tokio::test]
async fn each_shape_leaves_out_only_what_real_bodies_of_its_time_leave_out() {
    let (plain, api, quirky, quirked) = servers().await;
    let current = keys(&refunded(&plain, &api, "full").await);
    // Which real bodies vouch for each shape.
    let evidence = [
        (
            BodyShape::Y2024,
            vec!["payment-paid-card-inicis-wordcharger.json"],
        ),
        (
            BodyShape::Y2023,
            vec![
                "payment-paid-card-inicis-wordcharger.json",
                "payment-cancelled-kakaopay-laundry.json",
            ],
        ),
        (
            BodyShape::Y2021,
            vec![
                "payment-paid-card-inicis-wordcharger.json",
                "payment-ready-vbank-uplus-hexagon.json",
                "payment-paid-onetime-nice-go-iamport.json",
            ],
        ),
    ];
    for (shape, bodies) in evidence {
        let got = refunded(&quirky, &quirked, &uid("shape", shape)).await;
        let got_keys = keys(&got);
        let left_out: BTreeSet<&String> = current.difference(&got_keys).collect();
        assert!(!left_out.is_empty(), "{shape:?} leaves nothing out");
        for key in left_out {
            assert!(
                bodies.iter().any(|b| fixture(b).get(key).is_none()),
                "{shape:?} leaves out `{key}`, which {bodies:?} all carry"
            );
        }
        // And keeps every field that all of them carry.
        let mut common = keys(&fixture(bodies[0]));
        for b in &bodies[1..] {
            common.retain(|k| fixture(b).get(k).is_some());
        }
        assert!(common.len() > 15, "{shape:?}: {common:?}");
        for key in common {
            assert!(got.get(&key).is_some(), "{shape:?} lacks `{key}`");
        }
    }
    let current_shape = refunded(&quirky, &quirked, &uid("shape", BodyShape::Current)).await;
    assert_eq!(keys(&current_shape), current);
}

#[tokio::test]
async fn values_as_real_bodies_carry_them() {
    let (_, _, quirky, api) = servers().await;
    let y2023 = refunded(&quirky, &api, &uid("v", BodyShape::Y2023)).await;
    // A card payment, yet `card_type` null; cancels without `cancellation_id`.
    assert_eq!(y2023["pay_method"], "card");
    assert!(y2023["card_type"].is_null());
    assert!(y2023["card_number"].is_string());
    assert!(y2023["cancel_history"][0].get("cancellation_id").is_none());
    assert!(y2023["cancel_history"][0]["pg_tid"].is_string());
    // `apply_num` "" where there is no approval number, as in the laundry body.
    let failed = quirky.checkout(Checkout::failed(uid("f", BodyShape::Y2023), 10));
    let f = api.get(&format!("/payments/{failed}")).await;
    assert_eq!(f.ok()["apply_num"], "");
    let real = fixture("payment-cancelled-kakaopay-laundry.json");
    assert_eq!(real["apply_num"], "");
    // `buyer_addr` "" on the oldest shape, as in the bitmovie body; other buyer fields
    // stay null.
    let y2021 = refunded(&quirky, &api, &uid("v", BodyShape::Y2021)).await;
    assert_eq!(y2021["buyer_addr"], "");
    assert!(y2021["buyer_postcode"].is_null());
    assert_eq!(
        fixture("payment-paid-point-kakaopay-bitmovie.json")["buyer_addr"],
        ""
    );
    // Shapes only take away or blank: amounts and ids are untouched.
    for p in [&y2023, &y2021] {
        assert_eq!(
            (p["amount"].clone(), p["cancel_amount"].clone()),
            (json!(1000), json!(100))
        );
        assert!(p["imp_uid"].is_string() && p["paid_at"].is_i64());
    }
}

#[tokio::test]
async fn billing_keys_and_schedules_in_their_old_shapes() {
    let (_, _, quirky, api) = servers().await;
    let card =
        json!({ "card_number": cards::APPROVED, "expiry": "2030-12", "customer_name": "홍길동" });
    let mut seen = BTreeSet::new();
    for shape in SHAPES {
        let customer_uid = uid("key", shape);
        api.post(&format!("/subscribe/customers/{customer_uid}"), &card)
            .await
            .ok();
        let key = api
            .get(&format!("/subscribe/customers/{customer_uid}"))
            .await;
        let key = key.ok();
        assert_eq!(key["customer_uid"], json!(customer_uid));
        assert_eq!(key["customer_name"], "홍길동");
        match shape {
            BodyShape::Current => assert_eq!(key["sandbox"], false),
            BodyShape::Y2021 => {
                // Exactly the fields of the 2017 body.
                let real = fixture("billingkey-issue-success-ruby-readme.json");
                assert_eq!(keys(key), keys(&real));
            }
            _ => {
                assert!(key.get("sandbox").is_none());
                assert!(
                    fixture("billingkey-customer-nice_v2-fundly.json")
                        .get("sandbox")
                        .is_none()
                );
                assert_eq!(key["card_number"], "411111******1111");
            }
        }
        seen.insert(keys(key).len());
    }
    assert_eq!(seen.len(), 3, "three key shapes for four body shapes");

    let now = quirky.now();
    let customer_uid = uid("key", BodyShape::Current);
    let old = uid("sched", BodyShape::Y2023);
    let new = uid("sched", BodyShape::Current);
    let entries: Vec<Value> = [&old, &new]
        .iter()
        .map(|m| json!({ "merchant_uid": m, "schedule_at": now + 60, "amount": 100, "name": "x" }))
        .collect();
    api.post(
        "/subscribe/payments/schedule",
        &json!({ "customer_uid": customer_uid, "schedules": entries }),
    )
    .await
    .ok();
    let real = fixture("schedule-unschedule-revoked-laundry.json");
    let old_body = api
        .get(&format!("/subscribe/payments/schedule/{old}"))
        .await;
    for key in ["pg_provider", "pg_id", "promotion_id"] {
        assert!(old_body.ok().get(key).is_none(), "{key}");
        assert!(real[0].get(key).is_none(), "{key}");
    }
    for key in keys(&real[0]) {
        assert!(old_body.ok().get(&key).is_some(), "{key}");
    }
    let new_body = api
        .get(&format!("/subscribe/payments/schedule/{new}"))
        .await;
    assert_eq!(new_body.ok()["pg_provider"], "nice_v2");
}

#[tokio::test]
async fn first_pages_say_previous_false() {
    let (_, _, quirky, api) = servers().await;
    let now = quirky.now();
    for i in 0..3 {
        quirky.checkout(Checkout::paid("listed", 100 + i));
    }
    let card = json!({ "card_number": cards::APPROVED, "expiry": "2030-12" });
    api.post("/subscribe/customers/k", &card).await.ok();
    api.post(
        "/subscribe/payments/again",
        &json!({ "customer_uid": "k", "merchant_uid": "again-1", "amount": 100, "name": "x" }),
    )
    .await
    .ok();
    let entries: Vec<Value> = (0..3)
        .map(|i| json!({ "merchant_uid": format!("s-{i}"), "schedule_at": now + 60 + i, "amount": 100, "name": "x" }))
        .collect();
    api.post(
        "/subscribe/payments/schedule",
        &json!({ "customer_uid": "k", "schedules": entries }),
    )
    .await
    .ok();
    let span = format!("from={now}&to={}", now + 3600);
    for path in [
        "/payments/status/all?limit=2".to_owned(),
        "/payments/findAll/listed?limit=2".to_owned(),
        "/subscribe/customers/k/payments".to_owned(),
        format!(
            "/subscribe/payments/schedule?schedule_from={now}&schedule_to={}&limit=2",
            now + 3600
        ),
        format!("/subscribe/payments/schedule/customers/k?{span}"),
        format!("/subscribe/customers/k/schedules?{span}"),
    ] {
        let first = api.get(&path).await;
        assert_eq!(first.ok()["previous"], false, "{path}");
        assert!(
            first.ok()["list"].as_array().is_some_and(|l| !l.is_empty()),
            "{path}"
        );
    }
    let second = api.get("/payments/findAll/listed?limit=2&page=2").await;
    assert_eq!(
        (second.ok()["previous"].clone(), second.ok()["next"].clone()),
        (json!(1), json!(0))
    );
    // Both payment shapes in one list: the quirks are per record.
    for i in 0..8 {
        quirky.checkout(Checkout::paid(format!("mixed-{i}"), 100));
    }
    let all = api.get("/payments/status/paid?limit=100").await;
    let with_sandbox = all.ok()["list"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p.get("sandbox").is_some())
        .count();
    let total = all.ok()["list"].as_array().map_or(0, Vec::len);
    assert!(
        0 < with_sandbox && with_sandbox < total,
        "{with_sandbox} of {total}"
    );
}

#[tokio::test]
async fn quirks_reach_the_wire_as_php_json() {
    let (_, _, quirky, api) = servers().await;
    let imp_uid = quirky.checkout(Checkout::paid(uid("w", BodyShape::Y2021), 1).name("원두"));
    let res = api
        .http
        .get(format!("{}/payments/{imp_uid}", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("answer");
    let length = res.content_length();
    let text = res.text().await.expect("text");
    assert_eq!(length, Some(text.len() as u64));
    assert!(text.contains(r#""name":"\uc6d0\ub450""#), "{text}");
    assert!(text.contains(r#""buyer_addr":"""#), "{text}");
    assert!(!text.contains("sandbox"), "{text}");
}
