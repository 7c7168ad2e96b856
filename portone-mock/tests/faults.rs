//! Fault injection, observed from a real HTTP client.

mod common;

use std::error::Error as _;
use std::time::{Duration, Instant};

use common::Api;
use portone_mock::{Checkout, Fault, Method, MockServer};
use serde_json::{Value, json};

async fn setup() -> (MockServer, Api, String) {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("f-1", 1000));
    server.reset_log();
    (server, api, imp_uid)
}

async fn raw_cancel(api: &Api, imp_uid: &str) -> reqwest::Result<reqwest::Response> {
    api.http
        .post(format!("{}/payments/cancel", api.base))
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body(json!({ "imp_uid": imp_uid, "amount": 100 }).to_string())
        .send()
        .await
}

async fn status_of(api: &Api, imp_uid: &str) -> Value {
    api.get(&format!("/payments/{imp_uid}")).await.ok()["cancel_amount"].clone()
}

/// A client that gives up after `timeout`.
fn impatient(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .expect("client")
}

async fn cancel_with(
    http: &reqwest::Client,
    api: &Api,
    imp_uid: &str,
) -> reqwest::Result<reqwest::Response> {
    http.post(format!("{}/payments/cancel", api.base))
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body(json!({ "imp_uid": imp_uid, "amount": 100 }).to_string())
        .send()
        .await
}

fn is_reset(err: &reqwest::Error) -> bool {
    let mut source = err.source();
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionReset
        {
            return true;
        }
        source = e.source();
    }
    false
}

#[tokio::test]
async fn a_closed_connection_is_a_client_error_and_nothing_happened() {
    let (server, api, imp_uid) = setup().await;
    server.inject(
        Fault::close_connection()
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    let err = raw_cancel(&api, &imp_uid).await.expect_err("no answer");
    assert!(err.is_request() || err.is_connect(), "{err:?}");
    let log = server.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].fault, Some("close_connection"));
    assert_eq!(
        log[0].json().map(|b| b["imp_uid"].clone()),
        Some(json!(imp_uid))
    );
    // Not processed, and the next call is served.
    assert_eq!(status_of(&api, &imp_uid).await, 0);
    assert_eq!(
        raw_cancel(&api, &imp_uid)
            .await
            .map(|r| r.status().as_u16())
            .ok(),
        Some(200)
    );
    assert_eq!(status_of(&api, &imp_uid).await, 100);
}

#[tokio::test]
async fn a_reset_connection_is_a_connection_reset() {
    let (server, api, imp_uid) = setup().await;
    server.inject(Fault::reset_connection().on(Method::POST, "/payments/cancel"));
    for _ in 0..2 {
        let err = raw_cancel(&api, &imp_uid).await.expect_err("reset");
        assert!(is_reset(&err), "{err:?}");
    }
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.fault == Some("reset_connection"))
            .count(),
        2
    );
    assert_eq!(status_of(&api, &imp_uid).await, 0);
}

#[tokio::test]
async fn closing_before_the_body_records_no_body() {
    let (server, api, imp_uid) = setup().await;
    server.inject(Fault::close_before_body().on(Method::POST, "/payments/cancel"));
    assert!(raw_cancel(&api, &imp_uid).await.is_err());
    let log = server.requests();
    assert_eq!(log[0].fault, Some("close_before_body"));
    assert!(log[0].body.is_empty());
    assert_eq!(status_of(&api, &imp_uid).await, 0);
}

#[tokio::test]
async fn a_dropped_response_hides_an_operation_that_happened() {
    let (server, api, imp_uid) = setup().await;
    server.inject(
        Fault::drop_response()
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    let err = raw_cancel(&api, &imp_uid).await.expect_err("no answer");
    assert!(is_reset(&err), "{err:?}");
    // The cancel went through: a client must re-query before deciding.
    assert_eq!(status_of(&api, &imp_uid).await, 100);
}

#[tokio::test]
async fn a_late_answer_comes_after_the_effect_is_committed() {
    let (server, api, imp_uid) = setup().await;
    server.inject(
        Fault::delay_after_processing(Duration::from_secs(60))
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    let err = cancel_with(&impatient(Duration::from_millis(300)), &api, &imp_uid)
        .await
        .expect_err("the answer is later than the client waits");
    assert!(err.is_timeout(), "{err:?}");
    // The refund happened though the client hung up and the answer never came: a client
    // that re-queries sees it (the answer is 60 s away, so this is not that answer).
    common::eventually("the cancel to be committed", || async {
        (status_of(&api, &imp_uid).await == 100).then_some(())
    })
    .await;
    assert_eq!(
        server
            .requests()
            .iter()
            .filter_map(|r| r.fault)
            .collect::<Vec<_>>(),
        vec!["delay_after_processing"]
    );
    // A patient client gets the processed answer, late.
    server.inject(
        Fault::delay_after_processing(Duration::from_millis(200))
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    let started = Instant::now();
    let res = cancel_with(&api.http, &api, &imp_uid)
        .await
        .expect("an answer");
    assert!(started.elapsed() >= Duration::from_millis(200));
    let body: Value = serde_json::from_slice(&res.bytes().await.expect("body")).unwrap_or_default();
    assert_eq!(body["response"]["cancel_amount"], 200);
}

#[tokio::test]
async fn a_client_that_leaves_during_a_delay_takes_the_request_with_it() {
    let (server, api, imp_uid) = setup().await;
    let delay = Duration::from_millis(300);
    server.inject(
        Fault::delay(delay)
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    let err = cancel_with(&impatient(Duration::from_millis(50)), &api, &imp_uid)
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    // Asserting that something never happens needs a window: well past the delay, the
    // cancel has still not happened.
    let until = Instant::now() + delay * 4;
    while Instant::now() < until {
        assert_eq!(status_of(&api, &imp_uid).await, 0);
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    // A client that waits out the same delay is served.
    server.inject(
        Fault::delay(Duration::from_millis(100))
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    let res = cancel_with(&api.http, &api, &imp_uid)
        .await
        .expect("an answer");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(status_of(&api, &imp_uid).await, 100);
}

#[tokio::test]
async fn a_body_cut_midway_fails_while_reading() {
    let (server, api, imp_uid) = setup().await;
    server.inject(Fault::reset_mid_body().on(Method::GET, "/payments/{imp_uid}"));
    let res = api
        .http
        .get(format!("{}/payments/{imp_uid}", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("the head arrives");
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.content_length().is_some_and(|n| n > 100));
    let err = res.bytes().await.expect_err("the body is cut");
    assert!(
        err.is_body() || err.is_decode() || err.is_request(),
        "{err:?}"
    );
    assert_eq!(
        server.requests().last().and_then(|r| r.fault),
        Some("reset_mid_body")
    );
}

#[tokio::test]
async fn malformed_json_and_wrong_content_type() {
    let (server, api, imp_uid) = setup().await;
    server.inject(
        Fault::malformed_json()
            .on(Method::GET, "/payments/{imp_uid}")
            .times(1),
    );
    server.inject(
        Fault::wrong_content_type()
            .on(Method::GET, "/payments/{imp_uid}")
            .times(1),
    );
    let url = format!("{}/payments/{imp_uid}", api.base);
    let cut = api
        .http
        .get(&url)
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("answer");
    assert_eq!(cut.status().as_u16(), 200);
    let text = cut.text().await.expect("text");
    assert!(text.starts_with(r#"{"code":0"#), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err());

    let html = api
        .http
        .get(&url)
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("answer");
    assert_eq!(
        html.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/html; charset=UTF-8")
    );
    let body: Value =
        serde_json::from_slice(&html.bytes().await.expect("body")).unwrap_or_default();
    assert_eq!(body["response"]["imp_uid"], json!(imp_uid));
    // Both used up.
    assert_eq!(api.get(&format!("/payments/{imp_uid}")).await.status, 200);
}

#[tokio::test]
async fn proxy_pages_with_their_status() {
    let (server, api, imp_uid) = setup().await;
    server.inject(
        Fault::html_502()
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    server.inject(
        Fault::service_unavailable()
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    server.inject(
        Fault::gateway_timeout()
            .after(Duration::from_millis(50))
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    for (status, marker) in [
        (502, "502 Bad Gateway"),
        (503, "503 Service"),
        (504, "504 Gateway Time-out"),
    ] {
        let res = raw_cancel(&api, &imp_uid).await.expect("an answer");
        assert_eq!(res.status().as_u16(), status);
        assert!(res.text().await.unwrap_or_default().contains(marker));
    }
    assert_eq!(status_of(&api, &imp_uid).await, 0);
    let names: Vec<_> = server.requests().iter().filter_map(|r| r.fault).collect();
    assert_eq!(
        names,
        vec!["html_502", "service_unavailable", "gateway_timeout"]
    );
}

#[tokio::test]
async fn unauthorized_once_then_always() {
    let (server, api, imp_uid) = setup().await;
    let path = format!("/payments/{imp_uid}");
    server.inject(
        Fault::unauthorized()
            .on(Method::GET, "/payments/{imp_uid}")
            .times(1),
    );
    let first = api.get(&path).await;
    assert_eq!(
        (first.status, first.code(), first.message()),
        (401, -1, "Unauthorized")
    );
    assert_eq!(api.get(&path).await.status, 200);
    server.inject(Fault::unauthorized().on(Method::GET, "/payments/{imp_uid}"));
    for _ in 0..3 {
        assert_eq!(api.get(&path).await.status, 401);
    }
    server.clear_faults();
    assert_eq!(api.get(&path).await.status, 200);
}

#[tokio::test]
async fn get_token_can_fail_and_counts() {
    let server = MockServer::start().await;
    server.inject(
        Fault::internal_error()
            .on(Method::POST, "/users/getToken")
            .times(1),
    );
    let http = reqwest::Client::new();
    let failed = common::get_token(&server, &http).await;
    assert_eq!((failed.status, failed.code()), (500, -1));
    let worked = common::get_token(&server, &http).await;
    assert_eq!(worked.status, 200);
    assert_eq!(server.get_token_calls(), 2);
}

#[tokio::test]
async fn delays_answer_normally_and_timeouts_are_seen_by_the_server() {
    let (server, api, imp_uid) = setup().await;
    server.inject(
        Fault::delay(Duration::from_millis(20))
            .on(Method::GET, "/payments/{imp_uid}")
            .times(1),
    );
    assert_eq!(
        api.get(&format!("/payments/{imp_uid}")).await.ok()["imp_uid"],
        json!(imp_uid)
    );
    server.inject(Fault::delay(Duration::from_secs(30)).on(Method::POST, "/payments/cancel"));
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let err = impatient
        .post(format!("{}/payments/cancel", api.base))
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body(json!({ "imp_uid": imp_uid }).to_string())
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.fault == Some("delay") && r.path == "/payments/cancel")
    );
}

#[tokio::test]
async fn a_fault_without_a_route_hits_everything_and_routes_are_matched() {
    let (server, api, imp_uid) = setup().await;
    server.inject(
        Fault::respond(418, "text/plain", "teapot").on(Method::GET, "/payments/{imp_uid}/balance"),
    );
    assert_eq!(
        api.get(&format!("/payments/{imp_uid}/balance"))
            .await
            .status,
        418
    );
    assert_eq!(api.get(&format!("/payments/{imp_uid}")).await.status, 200);
    server.clear_faults();
    server.inject(Fault::service_unavailable().times(2));
    assert_eq!(api.get("/banks").await.status, 503);
    assert_eq!(api.post("/payments/prepare", &json!({})).await.status, 503);
    assert_eq!(api.get("/banks").await.status, 200);
}
