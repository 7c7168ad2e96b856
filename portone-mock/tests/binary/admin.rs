//! The admin API: checkouts, deposits, console cancels, faults, the clock, the request
//! log, webhooks and reset, through HTTP only.

use reqwest::Method;
use serde_json::{Value, json};

use crate::process::Mock;

fn uid(payment: &Value) -> String {
    payment["imp_uid"].as_str().expect("imp_uid").to_owned()
}

#[tokio::test]
async fn checkouts_of_every_outcome_are_looked_up_through_the_api() {
    let mock = Mock::start(&[]).await;
    let token = mock.token().await;
    let paid = mock
        .checkout(&json!({
            "merchant_uid": "a-1", "amount": 15000, "name": "원두 1kg",
            "buyer_name": "홍길동", "custom_data": {"order": 7}, "pay_method": "card"
        }))
        .await;
    assert_eq!(paid["status"], "paid");
    let looked_up = mock
        .api_get(&format!("/payments/{}", uid(&paid)), &token)
        .await;
    let looked_up = looked_up.ok();
    assert_eq!(looked_up["amount"], 15000);
    assert_eq!(looked_up["name"], "원두 1kg");
    assert_eq!(looked_up["custom_data"], r#"{"order":7}"#);

    let failed = mock
        .checkout(
            &json!({ "merchant_uid": "a-2", "amount": "500", "outcome": "failed",
                           "fail_reason": "창을 닫음" }),
        )
        .await;
    assert_eq!(
        (failed["status"].as_str(), failed["fail_reason"].as_str()),
        (Some("failed"), Some("창을 닫음"))
    );

    let declined = mock
        .checkout(&json!({ "merchant_uid": "a-3", "amount": 500,
                           "card_number": portone_mock::cards::INSUFFICIENT_FUNDS }))
        .await;
    assert_eq!(declined["status"], "failed");
    assert_eq!(declined["fail_reason"], "잔액부족");
    assert!(
        declined["card_number"]
            .as_str()
            .is_some_and(|n| n.contains('*')),
        "{declined}"
    );

    let sandbox = mock
        .checkout(&json!({ "merchant_uid": "a-4", "amount": 100, "sandbox": true }))
        .await;
    let hidden = mock
        .api_get(&format!("/payments/{}", uid(&sandbox)), &token)
        .await;
    assert_eq!(hidden.status, 404);
    let shown = mock
        .api_get(
            &format!("/payments/{}?include_sandbox=true", uid(&sandbox)),
            &token,
        )
        .await;
    assert_eq!(shown.ok()["sandbox"], true);
    mock.stop().await;
}

#[tokio::test]
async fn a_virtual_account_waits_for_its_deposit() {
    let mock = Mock::start(&[]).await;
    let ready = mock
        .checkout(&json!({ "merchant_uid": "v-1", "amount": 30000, "outcome": "vbank_ready" }))
        .await;
    assert_eq!(
        (ready["status"].as_str(), ready["pay_method"].as_str()),
        (Some("ready"), Some("vbank"))
    );
    let imp_uid = uid(&ready);
    let deposited = mock
        .admin_post(&format!("/deposit/{imp_uid}"), &json!({}))
        .await;
    assert_eq!(deposited.ok()["status"], "paid");
    let again = mock
        .admin_post(&format!("/deposit/{imp_uid}"), &json!({}))
        .await;
    assert_eq!((again.status, again.code()), (409, -1));
    let unknown = mock
        .admin_post("/deposit/imp_000000000000", &json!({}))
        .await;
    assert_eq!((unknown.status, unknown.code()), (404, -1));
    mock.stop().await;
}

#[tokio::test]
async fn a_console_cancel_is_partial_with_an_amount() {
    let mock = Mock::start(&[]).await;
    let imp_uid = uid(&mock
        .checkout(&json!({ "merchant_uid": "c-1", "amount": 1000 }))
        .await);
    let part = mock
        .admin_post(&format!("/cancel/{imp_uid}"), &json!({ "amount": 400 }))
        .await;
    let part = part.ok();
    assert_eq!(
        (part["status"].as_str(), part["cancel_amount"].as_i64()),
        (Some("paid"), Some(400))
    );
    assert!(
        part["cancellation_id"]
            .as_str()
            .is_some_and(|c| !c.is_empty())
    );
    let rest = mock
        .admin_post(&format!("/cancel/{imp_uid}"), &json!({}))
        .await;
    assert_eq!(rest.ok()["status"], "cancelled");
    let over = mock
        .admin_post(&format!("/cancel/{imp_uid}"), &json!({}))
        .await;
    assert_eq!((over.status, over.code()), (409, -1));
    mock.stop().await;
}

#[tokio::test]
async fn checkout_mistakes_are_named_in_the_envelope() {
    let mock = Mock::start(&[]).await;
    for (body, says) in [
        (json!({ "amount": 1000 }), "merchant_uid"),
        (json!({ "merchant_uid": "m", "amount": "lots" }), "amount"),
        (json!({ "merchant_uid": "m", "amount": -1 }), "amount"),
        (
            json!({ "merchant_uid": "m", "amount": 1, "outcome": "maybe" }),
            "outcome",
        ),
        (
            json!({ "merchant_uid": "m", "amount": 1, "amuont": 1 }),
            "amuont",
        ),
        (
            json!({ "merchant_uid": "m", "amount": 1, "card_number": "1234" }),
            "card",
        ),
    ] {
        let answer = mock.admin_post("/checkout", &body).await;
        assert_eq!((answer.status, answer.code()), (400, -1), "{body}");
        assert!(
            answer.message().contains(says),
            "{body}: {}",
            answer.message()
        );
        assert!(answer.response().is_null());
    }
    let not_json = crate::common::send(
        mock.http
            .post(mock.at("/__mock/checkout"))
            .body("merchant_uid=m&amount=1"),
    )
    .await;
    assert_eq!((not_json.status, not_json.code()), (400, -1));
    let unknown = mock.admin_get("/nothing-here").await;
    assert_eq!((unknown.status, unknown.code()), (404, -1));
    let wrong_method = mock.admin_get("/checkout").await;
    assert_eq!((wrong_method.status, wrong_method.code()), (405, -1));
    mock.stop().await;
}

#[tokio::test]
async fn faults_apply_to_the_api_and_never_to_the_admin_api() {
    let mock = Mock::start(&[]).await;
    let token = mock.token().await;
    let imp_uid = uid(&mock
        .checkout(&json!({ "merchant_uid": "f-1", "amount": 1000 }))
        .await);
    let path = format!("/payments/{imp_uid}");
    let added = mock
        .admin_post(
            "/faults",
            &json!({ "kind": "html_502", "method": "GET", "path": "/payments/{imp_uid}", "times": 1 }),
        )
        .await;
    assert_eq!(added.ok()["fault"]["kind"], "html_502");
    let faulted = mock
        .http
        .get(mock.at(&path))
        .bearer_auth(&token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(faulted.status(), 502);
    assert!(
        faulted
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
    );
    assert_eq!(
        mock.api_get(&path, &token).await.status,
        200,
        "times: 1 is spent"
    );

    // Every request, every method: the admin API still answers, so it can lift it.
    mock.admin_post(
        "/faults",
        &json!({ "kind": "respond", "status": 503, "body": "busy" }),
    )
    .await
    .ok();
    assert_eq!(mock.api_get(&path, &token).await.status, 503);
    let listed = mock.admin_get("/faults").await;
    assert_eq!(listed.ok().as_array().map(Vec::len), Some(2));
    let cleared = mock.admin(Method::DELETE, "/faults", &json!({})).await;
    cleared.ok();
    assert_eq!(mock.api_get(&path, &token).await.status, 200);

    let log = mock.admin_get("/requests").await;
    let faults: Vec<Value> = log.ok()["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .map(|r| r["fault"].clone())
        .collect();
    assert_eq!(
        faults,
        vec![
            Value::Null,
            json!("html_502"),
            Value::Null,
            json!("respond"),
            Value::Null
        ]
    );
    let bad = mock
        .admin_post("/faults", &json!({ "kind": "explode" }))
        .await;
    assert_eq!((bad.status, bad.code()), (400, -1));
    assert!(bad.message().contains("html_502"), "{}", bad.message());
    mock.stop().await;
}

#[tokio::test]
async fn the_request_log_holds_what_clients_sent_and_no_admin_request() {
    let mock = Mock::start(&[]).await;
    let token = mock.token().await;
    mock.checkout(&json!({ "merchant_uid": "r-1", "amount": 1000 }))
        .await;
    mock.api(
        Method::POST,
        "/payments/prepare",
        &token,
        Some(&json!({ "merchant_uid": "r-2", "amount": 2000 })),
    )
    .await
    .ok();
    let log = mock.admin_get("/requests").await;
    let log = log.ok().clone();
    assert_eq!(log["get_token_calls"], 1);
    let requests = log["requests"].as_array().expect("requests");
    let seen: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap_or(""),
                r["path"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![("POST", "/users/getToken"), ("POST", "/payments/prepare")]
    );
    let prepare = &requests[1];
    assert_eq!(
        serde_json::from_str::<Value>(prepare["body"].as_str().unwrap_or("")).ok(),
        Some(json!({ "merchant_uid": "r-2", "amount": 2000 }))
    );
    let headers = prepare["headers"].as_array().expect("headers");
    assert!(
        headers
            .iter()
            .any(|h| h[0] == "authorization" && h[1] == format!("Bearer {token}"))
    );
    mock.admin(Method::DELETE, "/requests", &json!({}))
        .await
        .ok();
    let empty = mock.admin_get("/requests").await;
    assert_eq!(empty.ok()["requests"], json!([]));
    mock.stop().await;
}

#[tokio::test]
async fn advancing_the_clock_runs_due_schedules() {
    let mock = Mock::start(&["--frozen-clock"]).await;
    let token = mock.token().await;
    let key = mock
        .api(
            Method::POST,
            "/subscribe/customers/sub-1",
            &token,
            Some(&json!({ "card_number": portone_mock::cards::APPROVED, "expiry": "2099-12" })),
        )
        .await;
    key.ok();
    let now = mock
        .admin_post("/advance", &json!({ "seconds": 0 }))
        .await
        .ok()["now"]
        .as_i64()
        .expect("now");
    mock.api(
        Method::POST,
        "/subscribe/payments/schedule",
        &token,
        Some(&json!({ "customer_uid": "sub-1", "schedules": [
            { "merchant_uid": "s-1", "schedule_at": now + 3600, "amount": 9900 }
        ]})),
    )
    .await
    .ok();
    let before = mock
        .api_get("/subscribe/payments/schedule/s-1", &token)
        .await;
    assert_eq!(before.ok()["schedule_status"], "scheduled");
    mock.admin_post("/advance", &json!({ "seconds": 3600.5 }))
        .await
        .ok();
    let token = mock.token().await;
    let after = mock
        .api_get("/subscribe/payments/schedule/s-1", &token)
        .await;
    let after = after.ok();
    assert_eq!(
        (
            after["schedule_status"].as_str(),
            after["payment_status"].as_str()
        ),
        (Some("executed"), Some("paid"))
    );
    for bad in [
        json!({ "seconds": -1 }),
        json!({}),
        json!({ "seconds": "soon" }),
    ] {
        let refused = mock.admin_post("/advance", &bad).await;
        assert_eq!((refused.status, refused.code()), (400, -1), "{bad}");
    }
    mock.stop().await;
}

#[tokio::test]
async fn reset_forgets_everything_but_hands_out_no_id_twice() {
    let mock = Mock::start(&[]).await;
    let token = mock.token().await;
    let before = uid(&mock
        .checkout(&json!({ "merchant_uid": "x-1", "amount": 1000 }))
        .await);
    mock.admin_post(
        "/faults",
        &json!({ "kind": "unauthorized", "path": "/payments/prepare" }),
    )
    .await
    .ok();
    mock.admin_post("/reset", &json!({})).await.ok();
    // The token is forgotten too: a client fetches a new one on the 401, as after expiry.
    assert_eq!(
        mock.api_get(&format!("/payments/{before}"), &token)
            .await
            .status,
        401
    );
    let token = mock.token().await;
    assert_eq!(
        mock.api_get(&format!("/payments/{before}"), &token)
            .await
            .status,
        404
    );
    let prepared = mock
        .api(
            Method::POST,
            "/payments/prepare",
            &token,
            Some(&json!({ "merchant_uid": "x-1", "amount": 1000 })),
        )
        .await;
    assert_eq!(prepared.status, 200, "the fault is gone");
    let log = mock.admin_get("/requests").await;
    let paths: Vec<String> = log.ok()["requests"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["path"].as_str().unwrap_or_default().to_owned())
        .collect();
    let lookup = format!("/payments/{before}");
    assert_eq!(
        paths,
        vec![
            lookup.as_str(),
            "/users/getToken",
            lookup.as_str(),
            "/payments/prepare"
        ],
        "only what came after the reset"
    );
    let after = uid(&mock
        .checkout(&json!({ "merchant_uid": "x-1", "amount": 1000 }))
        .await);
    assert_ne!(after, before);
    mock.stop().await;
}

#[tokio::test]
async fn forged_and_duplicate_webhooks() {
    let receiver = crate::common::receiver::Receiver::start(vec![]).await;
    let mock = Mock::start(&[]).await;
    let sent = mock
        .admin_post(
            "/webhooks",
            &json!({ "url": receiver.url, "imp_uid": "imp_000000000001",
                     "merchant_uid": "forged", "status": "paid" }),
        )
        .await;
    let id = sent.ok()["id"].as_u64().expect("id");
    let dup = mock
        .admin_post(&format!("/webhooks/{id}/duplicate"), &json!({}))
        .await;
    assert_eq!(dup.ok()["id"].as_u64(), Some(id + 1));
    let hooks = crate::process::eventually("both deliveries", || async {
        let hooks = mock.admin_get("/webhooks").await.ok().clone();
        (hooks["settled"] == true && hooks["deliveries"].as_array().map(Vec::len) == Some(2))
            .then_some(hooks)
    })
    .await;
    for d in hooks["deliveries"].as_array().into_iter().flatten() {
        assert_eq!(
            (d["event"].as_str(), d["state"].as_str()),
            (Some("test"), Some("delivered"))
        );
    }
    let bodies: Vec<String> = receiver.received().into_iter().map(|r| r.body).collect();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1]);
    assert!(bodies[0].contains("forged"));
    let missing = mock.admin_post("/webhooks/999/duplicate", &json!({})).await;
    assert_eq!((missing.status, missing.code()), (404, -1));
    mock.stop().await;
}
