//! Scheduled payments and the mock clock.

mod common;

use std::time::Duration;

use common::Api;
use portone_mock::{MockServer, cards};
use serde_json::{Value, json};

async fn setup(card: &str) -> (MockServer, Api, i64) {
    let server = MockServer::builder().frozen_clock().start().await;
    let api = Api::new(&server).await;
    let body = json!({ "card_number": card, "expiry": "2030-12", "customer_name": "홍길동" });
    api.post("/subscribe/customers/sub-1", &body).await.ok();
    let now = server.now();
    (server, api, now)
}

fn entry(merchant_uid: &str, at: i64, amount: i64) -> Value {
    json!({ "merchant_uid": merchant_uid, "schedule_at": at, "amount": amount, "name": "월 구독", "currency": "KRW" })
}

/// The `merchant_uid`s of a page of schedules, in order.
fn uids(page: &Value) -> Vec<String> {
    page["list"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["merchant_uid"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Moves the clock; a token does not outlive a long jump, so this fetches a fresh one.
async fn advance(server: &MockServer, by: Duration) -> Api {
    server.advance(by);
    Api::new(server).await
}

async fn schedule(api: &Api, entries: Vec<Value>) -> common::Answer {
    api.post(
        "/subscribe/payments/schedule",
        &json!({ "customer_uid": "sub-1", "schedules": entries }),
    )
    .await
}

#[tokio::test]
async fn schedules_run_when_the_clock_passes_them() {
    let (server, api, now) = setup(cards::APPROVED).await;
    let created = schedule(
        &api,
        vec![
            entry("m-1", now + 3600, 9900),
            entry("m-2", now + 7200, 9900),
        ],
    )
    .await;
    let list = created.ok().as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["schedule_status"], "scheduled");
    assert!(list[0]["payment_status"].is_null());
    assert!(list[0]["imp_uid"].is_null());
    assert_eq!(list[0]["buyer_name"], Value::Null);

    let api = advance(&server, Duration::from_secs(3600)).await;
    let first = api.get("/subscribe/payments/schedule/m-1").await;
    let s = first.ok();
    assert_eq!(
        (s["schedule_status"].clone(), s["payment_status"].clone()),
        (json!("executed"), json!("paid"))
    );
    assert_eq!(s["executed_at"], json!(now + 3600));
    let imp_uid = s["imp_uid"].as_str().unwrap_or_default().to_owned();
    let payment = api.get(&format!("/payments/{imp_uid}")).await;
    let p = payment.ok();
    assert_eq!(
        (p["merchant_uid"].clone(), p["amount"].clone()),
        (json!("m-1"), json!(9900))
    );
    assert_eq!(p["paid_at"], json!(now + 3600));
    assert_eq!(p["customer_uid_usage"], "payment.scheduled");
    assert_eq!(p["buyer_name"], "홍길동");
    assert!(api.get("/subscribe/payments/schedule/m-2").await.ok()["payment_status"].is_null());

    let api = advance(&server, Duration::from_secs(3600)).await;
    assert_eq!(
        api.get("/subscribe/payments/schedule/m-2").await.ok()["payment_status"],
        "paid"
    );
    assert_eq!(
        api.get("/subscribe/customers/sub-1/payments").await.ok()["total"],
        2
    );
}

#[tokio::test]
async fn one_advance_runs_every_due_schedule_at_its_own_time() {
    let (server, api, now) = setup(cards::APPROVED).await;
    schedule(
        &api,
        vec![entry("late", now + 200, 1), entry("early", now + 100, 1)],
    )
    .await
    .ok();
    let api = advance(&server, Duration::from_secs(86_400)).await;
    let early = api.get("/payments/find/early").await;
    let late = api.get("/payments/find/late").await;
    assert_eq!(early.ok()["paid_at"], json!(now + 100));
    assert_eq!(late.ok()["paid_at"], json!(now + 200));
}

#[tokio::test]
async fn a_declined_run_fails_and_can_be_rescheduled_or_retried() {
    let (server, api, now) = setup(cards::INSUFFICIENT_FUNDS).await;
    schedule(
        &api,
        vec![entry("f-1", now + 60, 1000), entry("f-2", now + 60, 1000)],
    )
    .await
    .ok();
    let api = advance(&server, Duration::from_secs(60)).await;
    let failed = api.get("/subscribe/payments/schedule/f-1").await;
    let s = failed.ok();
    assert_eq!(
        (s["schedule_status"].clone(), s["payment_status"].clone()),
        (json!("executed"), json!("failed"))
    );
    assert_eq!(s["fail_reason"], "잔액부족");
    // The run made a payment, failed for the same reason, that lookups find.
    let p = api.get("/payments/find/f-1").await;
    assert_eq!(
        (p.ok()["status"].clone(), p.ok()["fail_reason"].clone()),
        (json!("failed"), json!("잔액부족"))
    );
    assert_eq!(p.ok()["imp_uid"], s["imp_uid"]);
    assert_eq!(p.ok()["failed_at"], json!(now + 60));
    assert_eq!(p.ok()["customer_uid_usage"], "payment.scheduled");
    // A retry the card company declines again is still a code 0 answer.
    let declined = api
        .post("/subscribe/payments/schedule/f-1/retry", &json!({}))
        .await;
    assert_eq!(
        (
            declined.ok()["status"].clone(),
            declined.ok()["fail_reason"].clone()
        ),
        (json!("failed"), json!("잔액부족"))
    );

    // A new card under the same key, then a retry now and a reschedule later.
    api.post(
        "/subscribe/customers/sub-1",
        &json!({ "card_number": cards::APPROVED, "expiry": "2031-01" }),
    )
    .await
    .ok();
    let retried = api
        .post("/subscribe/payments/schedule/f-1/retry", &json!({}))
        .await;
    assert_eq!(retried.ok()["status"], "paid");
    assert_eq!(
        api.get("/subscribe/payments/schedule/f-1").await.ok()["payment_status"],
        "paid"
    );
    let not_again = api
        .post("/subscribe/payments/schedule/f-1/retry", &json!({}))
        .await;
    assert_eq!(not_again.status, 400);

    let moved = api
        .post(
            "/subscribe/payments/schedule/f-2/reschedule",
            &json!({ "schedule_at": server.now() + 600 }),
        )
        .await;
    let s = moved.ok();
    assert_eq!(s["schedule_status"], "scheduled");
    assert!(s["payment_status"].is_null());
    let api = advance(&server, Duration::from_secs(600)).await;
    assert_eq!(
        api.get("/subscribe/payments/schedule/f-2").await.ok()["payment_status"],
        "paid"
    );
    assert_eq!(api.get("/payments/findAll/f-2").await.ok()["total"], 2);
}

#[tokio::test]
async fn unschedule_revokes_listed_or_all() {
    let (server, api, now) = setup(cards::APPROVED).await;
    let entries = (1..=3)
        .map(|i| entry(&format!("u-{i}"), now + 1000 * i, 100))
        .collect();
    schedule(&api, entries).await.ok();
    let one = api
        .post(
            "/subscribe/payments/unschedule",
            &json!({ "customer_uid": "sub-1", "merchant_uid": ["u-1"] }),
        )
        .await;
    let revoked = one.ok().as_array().cloned().unwrap_or_default();
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0]["schedule_status"], "revoked");
    assert_eq!(revoked[0]["revoked_at"], json!(now));
    assert!(revoked[0]["payment_status"].is_null());
    let rest = api
        .post(
            "/subscribe/payments/unschedule",
            &json!({ "customer_uid": "sub-1" }),
        )
        .await;
    assert_eq!(rest.ok().as_array().map(Vec::len), Some(2));
    let nothing = api
        .post(
            "/subscribe/payments/unschedule",
            &json!({ "customer_uid": "sub-1" }),
        )
        .await;
    assert_eq!((nothing.status, nothing.code()), (200, 1));
    let api = advance(&server, Duration::from_secs(10_000)).await;
    assert_eq!(api.get("/payments/find/u-2").await.status, 404);
    assert_eq!(
        api.post("/subscribe/payments/unschedule", &json!({}))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn schedules_can_be_moved_and_listed() {
    let (server, api, now) = setup(cards::APPROVED).await;
    schedule(
        &api,
        vec![entry("l-1", now + 100, 1), entry("l-2", now + 200, 1)],
    )
    .await
    .ok();
    let moved = api
        .put(
            "/subscribe/payments/schedule/l-1",
            &json!({ "schedule_at": now + 300 }),
        )
        .await;
    assert_eq!(moved.ok()["schedule_at"], json!(now + 300));
    let past = api
        .put(
            "/subscribe/payments/schedule/l-1",
            &json!({ "schedule_at": now - 1 }),
        )
        .await;
    assert_eq!(past.status, 400);
    let range = api
        .get(&format!(
            "/subscribe/payments/schedule?schedule_from={now}&schedule_to={}",
            now + 1000
        ))
        .await;
    assert_eq!(uids(range.ok()), ["l-1", "l-2"]);
    let oldest = api
        .get(&format!(
            "/subscribe/payments/schedule?schedule_from={now}&schedule_to={}&sorting=scheduled",
            now + 1000
        ))
        .await;
    assert_eq!(uids(oldest.ok()), ["l-2", "l-1"]);
    for path in [
        "/subscribe/payments/schedule/customers/sub-1",
        "/subscribe/customers/sub-1/schedules",
    ] {
        let listed = api
            .get(&format!(
                "{path}?from={now}&to={}&schedule-status=scheduled",
                now + 1000
            ))
            .await;
        assert_eq!(listed.ok()["total"], 2, "{path}");
        assert_eq!(uids(listed.ok()), ["l-1", "l-2"], "{path}");
    }
    assert_eq!(
        api.get("/subscribe/payments/schedule?schedule_from=0")
            .await
            .status,
        400
    );
    assert_eq!(
        api.get("/subscribe/payments/schedule/nope").await.status,
        404
    );
    let api = advance(&server, Duration::from_secs(300)).await;
    let executed = api
        .put(
            "/subscribe/payments/schedule/l-1",
            &json!({ "schedule_at": server.now() + 10 }),
        )
        .await;
    assert_eq!(executed.status, 400);
}

#[tokio::test]
async fn bad_schedules_are_refused_whole() {
    let (_server, api, now) = setup(cards::APPROVED).await;
    let past = schedule(
        &api,
        vec![entry("b-1", now + 10, 1), entry("b-2", now - 10, 1)],
    )
    .await;
    assert_eq!(past.code(), 1);
    let dup = schedule(
        &api,
        vec![entry("b-3", now + 10, 1), entry("b-3", now + 20, 1)],
    )
    .await;
    assert_eq!(dup.code(), 1);
    assert_eq!(
        api.get("/subscribe/payments/schedule/b-1").await.status,
        404
    );
    let ghost = api
        .post(
            "/subscribe/payments/schedule",
            &json!({ "customer_uid": "ghost", "schedules": [entry("g-1", now + 10, 1)] }),
        )
        .await;
    assert_eq!(
        (ghost.status, ghost.code(), ghost.message()),
        (200, 1, "등록된 고객정보가 없습니다.")
    );
    let with_card = api
        .post(
            "/subscribe/payments/schedule",
            &json!({ "customer_uid": "new", "card_number": cards::APPROVED, "expiry": "2030-01", "schedules": [entry("n-1", now + 10, 1)] }),
        )
        .await;
    with_card.ok();
    assert_eq!(api.get("/subscribe/customers/new").await.status, 200);
}

#[tokio::test]
async fn a_deleted_key_makes_its_schedules_fail() {
    let (server, api, now) = setup(cards::APPROVED).await;
    schedule(&api, vec![entry("d-1", now + 10, 1)]).await.ok();
    api.delete("/subscribe/customers/sub-1").await.ok();
    let api = advance(&server, Duration::from_secs(10)).await;
    let s = api.get("/subscribe/payments/schedule/d-1").await;
    assert_eq!(s.ok()["payment_status"], "failed");
    assert_eq!(s.ok()["fail_reason"], "등록된 고객정보가 없습니다.");
    assert_eq!(
        api.post("/subscribe/payments/schedule/d-1/retry", &json!({}))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_three_listings_are_paged_and_sorted() {
    let (_server, api, now) = setup(cards::APPROVED).await;
    // 25 schedules, one minute apart; `p-00` is the oldest.
    let entries = (0..25)
        .map(|i| entry(&format!("p-{i:02}"), now + 60 * (i + 1), 100))
        .collect();
    schedule(&api, entries).await.ok();
    let span = format!("from={now}&to={}", now + 86_400);
    let listings = [
        format!(
            "/subscribe/payments/schedule?schedule_from={now}&schedule_to={}",
            now + 86_400
        ),
        format!("/subscribe/payments/schedule/customers/sub-1?{span}"),
        format!("/subscribe/customers/sub-1/schedules?{span}"),
    ];
    for path in &listings {
        let first = api.get(path).await;
        let page = first.ok();
        assert_eq!(
            (
                page["total"].clone(),
                page["previous"].clone(),
                page["next"].clone()
            ),
            (json!(25), json!(0), json!(2)),
            "{path}"
        );
        let list = uids(page);
        assert_eq!(list.len(), 20, "{path}");
        assert_eq!(
            (list[0].as_str(), list[19].as_str()),
            ("p-24", "p-05"),
            "{path}"
        );

        let second = api.get(&format!("{path}&page=2")).await;
        let page = second.ok();
        assert_eq!(
            (page["previous"].clone(), page["next"].clone()),
            (json!(1), json!(0)),
            "{path}"
        );
        assert_eq!(
            uids(page),
            ["p-04", "p-03", "p-02", "p-01", "p-00"],
            "{path}"
        );

        let oldest = api.get(&format!("{path}&sorting=scheduled")).await;
        assert_eq!(uids(oldest.ok())[..3], ["p-00", "p-01", "p-02"], "{path}");
        for bad in ["-scheduled", "started", "-started"] {
            let refused = api.get(&format!("{path}&sorting={bad}")).await;
            assert_eq!((refused.status, refused.code()), (400, -1), "{path} {bad}");
            assert!(refused.response().is_null());
        }
        let beyond = api.get(&format!("{path}&page=3")).await;
        assert_eq!(beyond.ok()["list"], json!([]), "{path}");
        assert_eq!(
            api.get(&format!("{path}&page=0")).await.status,
            400,
            "{path}"
        );
    }
    // Only the first listing takes `limit`.
    let limited = api.get(&format!("{}&limit=10&page=3", listings[0])).await;
    assert_eq!(
        (
            limited.ok()["previous"].clone(),
            limited.ok()["next"].clone()
        ),
        (json!(2), json!(0))
    );
    assert_eq!(uids(limited.ok()).len(), 5);
    assert_eq!(
        api.get(&format!("{}&limit=1001", listings[0])).await.status,
        400
    );
    let ignored = api.get(&format!("{}&limit=10", listings[1])).await;
    assert_eq!(uids(ignored.ok()).len(), 20);
}

#[tokio::test]
async fn runs_with_an_unreachable_pg_fail_and_retries_answer_code_minus_one() {
    let (server, api, now) = setup(cards::PG_UNREACHABLE).await;
    schedule(&api, vec![entry("u-1", now + 30, 700)]).await.ok();
    let api = advance(&server, Duration::from_secs(30)).await;
    let s = api.get("/subscribe/payments/schedule/u-1").await;
    assert_eq!(
        (
            s.ok()["payment_status"].clone(),
            s.ok()["schedule_status"].clone()
        ),
        (json!("failed"), json!("executed"))
    );
    assert!(
        s.ok()["fail_reason"]
            .as_str()
            .is_some_and(|r| r.contains("timeout"))
    );
    let p = api.get("/payments/find/u-1").await;
    assert_eq!(p.ok()["status"], "failed");
    let retried = api
        .post("/subscribe/payments/schedule/u-1/retry", &json!({}))
        .await;
    assert_eq!((retried.status, retried.code()), (200, -1));
    assert!(retried.response().is_null());
    assert_eq!(api.get("/payments/findAll/u-1").await.ok()["total"], 2);
}

#[tokio::test]
async fn every_issuer_refusal_fails_a_scheduled_run() {
    let server = MockServer::builder().frozen_clock().start().await;
    let api = Api::new(&server).await;
    let now = server.now();
    let refusals = [
        (cards::INSUFFICIENT_FUNDS, "잔액부족"),
        (cards::LIMIT_EXCEEDED, "한도초과"),
        (cards::LOST_OR_STOLEN, "분실/도난 카드"),
    ];
    for (i, (number, _)) in refusals.iter().enumerate() {
        let body = json!({ "customer_uid": format!("c-{i}"), "card_number": number, "expiry": "2030-12",
            "schedules": [entry(&format!("r-{i}"), now + 10, 100)] });
        api.post("/subscribe/payments/schedule", &body).await.ok();
    }
    let api = advance(&server, Duration::from_secs(10)).await;
    for (i, (_, reason)) in refusals.iter().enumerate() {
        let s = api
            .get(&format!("/subscribe/payments/schedule/r-{i}"))
            .await;
        assert_eq!(
            (
                s.ok()["payment_status"].clone(),
                s.ok()["fail_reason"].clone()
            ),
            (json!("failed"), json!(reason))
        );
        let p = api.get(&format!("/payments/find/r-{i}")).await;
        assert_eq!(
            (p.ok()["status"].clone(), p.ok()["fail_reason"].clone()),
            (json!("failed"), json!(reason))
        );
    }
}
