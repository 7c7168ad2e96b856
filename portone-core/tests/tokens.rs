//! Tokens, token headers and tiers, checked by what a server on 127.0.0.1 received.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::*;
use portone_core::{Error, Execute, ManualClock, TokenHeader};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn mount_payment(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ok(json!({"imp_uid": "imp_1"})))
        .mount(server)
        .await;
}

async fn lookup(client: &impl Execute) -> portone_core::Result<serde_json::Value> {
    client
        .call(get("/payments/<imp_uid>", "/payments/imp_1"))
        .await
}

#[tokio::test]
async fn the_three_token_header_forms() {
    let forms = [
        (TokenHeader::Bearer, "authorization", "Bearer tok-1"),
        (TokenHeader::Raw, "authorization", "tok-1"),
        (TokenHeader::XImpTokenHeader, "x-imptokenheader", "tok-1"),
    ];
    for (form, name, want) in forms {
        let server = MockServer::start().await;
        mount_token(&server, &[1800], false).await;
        mount_payment(&server).await;
        let client = builder(&server)
            .token_header(form)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        lookup(&client).await.unwrap_or_else(|e| panic!("{e}"));
        let got = api_requests(&server).await;
        assert_eq!(got.len(), 1);
        assert_eq!(header(&got[0], name), Some(want), "{form:?}");
        if form == TokenHeader::XImpTokenHeader {
            assert_eq!(header(&got[0], "authorization"), None);
        }
        assert_eq!(header(&got[0], "accept"), Some("application/json"));
    }
}

#[tokio::test]
async fn get_token_sends_the_credentials_as_json_and_no_tier() {
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    mount_payment(&server).await;
    let client = builder(&server)
        .tier("A1B")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    lookup(&client).await.unwrap_or_else(|e| panic!("{e}"));
    let all = server.received_requests().await.unwrap_or_default();
    let token_call = &all[0];
    assert_eq!(token_call.url.path(), "/users/getToken");
    let body: serde_json::Value = serde_json::from_slice(&token_call.body).unwrap_or_default();
    assert_eq!(body, json!({"imp_key": KEY, "imp_secret": SECRET}));
    assert_eq!(header(token_call, "tier"), None);
    assert_eq!(
        header(token_call, "content-type"),
        Some("application/json; charset=utf-8")
    );
}

#[tokio::test]
async fn default_per_call_and_invalid_tiers() {
    let server = MockServer::start().await;
    let token_calls = mount_token(&server, &[1800], false).await;
    mount_payment(&server).await;
    let client = builder(&server)
        .tier("A1B")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    lookup(&client).await.unwrap_or_else(|e| panic!("{e}"));
    let view = client.with_tier("C2D").unwrap_or_else(|e| panic!("{e}"));
    lookup(&view).await.unwrap_or_else(|e| panic!("{e}"));
    lookup(&client.without_tier())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for bad in ["a1b", "A1", "A1BC", "A B", "가나다"] {
        assert!(
            matches!(client.with_tier(bad), Err(Error::InvalidRequest(_))),
            "{bad}"
        );
    }
    let tiers: Vec<_> = api_requests(&server)
        .await
        .iter()
        .map(|r| header(r, "tier").map(str::to_owned))
        .collect();
    assert_eq!(
        tiers,
        [Some("A1B".to_owned()), Some("C2D".to_owned()), None]
    );
    assert_eq!(
        token_calls.load(Ordering::SeqCst),
        1,
        "views share one token"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_cold_calls_fetch_one_token() {
    let server = MockServer::start().await;
    let calls = mount_token_delayed(&server, &[1800], true, Duration::from_millis(200)).await;
    mount_payment(&server).await;
    let client = client(&server);
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { lookup(&client).await })
        })
        .collect();
    for task in tasks {
        task.await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let api = api_requests(&server).await;
    assert_eq!(api.len(), 200);
    assert!(
        api.iter()
            .all(|r| header(r, "authorization") == Some("Bearer tok-1"))
    );
}

#[tokio::test]
async fn refreshes_in_the_final_minute_and_not_before() {
    let server = MockServer::start().await;
    let calls = mount_token(&server, &[1800, 360], true).await;
    mount_payment(&server).await;
    let clock = Arc::new(ManualClock::new());
    let client = builder(&server)
        .clock(Arc::clone(&clock))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    lookup(&client).await.unwrap_or_else(|e| panic!("{e}"));
    clock.advance(Duration::from_secs(1739));
    lookup(&client).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "refreshed before the final minute"
    );
    clock.advance(Duration::from_secs(2));
    lookup(&client).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "not refreshed in the final minute"
    );
    let last = api_requests(&server).await.pop();
    assert_eq!(
        last.as_ref().and_then(|r| header(r, "authorization")),
        Some("Bearer tok-2")
    );
}

#[tokio::test]
async fn an_unchanged_expiry_does_not_cause_a_get_token_per_request() {
    let server = MockServer::start().await;
    // The refresh in the final minute comes back with the same expiry (40 s left).
    let calls = mount_token(&server, &[1800, 40], false).await;
    mount_payment(&server).await;
    let clock = Arc::new(ManualClock::new());
    let client = builder(&server)
        .clock(Arc::clone(&clock))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    lookup(&client).await.unwrap_or_else(|e| panic!("{e}"));
    clock.advance(Duration::from_secs(1760));
    for _ in 0..20 {
        lookup(&client).await.unwrap_or_else(|e| panic!("{e}"));
        clock.advance(Duration::from_secs(1));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_401_refreshes_the_token_and_retries_once() {
    let server = MockServer::start().await;
    let calls = mount_token(&server, &[1800], true).await;
    mount_first(&server, "POST", "/payments/cancel", 1, unauthorized()).await;
    Mock::given(method("POST"))
        .and(path("/payments/cancel"))
        .respond_with(ok(json!({"imp_uid": "imp_1"})))
        .mount(&server)
        .await;
    let client = client(&server);
    let request = portone_core::Request::builder(portone_core::Method::POST, "/payments/cancel")
        .path("/payments/cancel")
        .json(&json!({"imp_uid": "imp_1"}))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let answer: serde_json::Value = client.call(request).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer["imp_uid"], "imp_1");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let api = api_requests(&server).await;
    let auth: Vec<_> = api.iter().map(|r| header(r, "authorization")).collect();
    assert_eq!(auth, [Some("Bearer tok-1"), Some("Bearer tok-2")]);
    assert!(
        api.iter().all(|r| r.body == api[0].body),
        "the same body is sent again"
    );
}

#[tokio::test]
async fn a_second_401_is_an_unauthorized_error() {
    let server = MockServer::start().await;
    let calls = mount_token(&server, &[1800], true).await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(unauthorized())
        .mount(&server)
        .await;
    let err = lookup(&client(&server)).await.err();
    assert!(err.as_ref().is_some_and(Error::is_unauthorized), "{err:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(api_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_failed_get_token_is_an_auth_error_and_does_not_poison_the_cache() {
    let server = MockServer::start().await;
    mount_first(&server, "POST", "/users/getToken", 1, unauthorized()).await;
    let calls = mount_token(&server, &[1800], false).await;
    mount_payment(&server).await;
    let client = client(&server);
    let err = lookup(&client).await.err();
    assert!(err.as_ref().is_some_and(Error::is_auth), "{err:?}");
    assert!(err.as_ref().is_some_and(Error::is_unauthorized));
    let text = format!(
        "{err:?} {}",
        err.as_ref().map(ToString::to_string).unwrap_or_default()
    );
    assert!(!text.contains(SECRET), "{text}");
    assert!(
        api_requests(&server).await.is_empty(),
        "nothing sent without a token"
    );
    lookup(&client).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn get_token_server_errors_and_timeouts_are_auth_errors() {
    let server = MockServer::start().await;
    let oops = ResponseTemplate::new(500).set_body_string("<html>oops</html>");
    mount_first(&server, "POST", "/users/getToken", 1, oops).await;
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(ok(json!({})).set_delay(Duration::from_secs(5)))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .retry(portone_core::RetryPolicy::disabled())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let first = lookup(&client).await.err();
    assert!(first.as_ref().is_some_and(Error::is_auth), "{first:?}");
    assert_eq!(
        first.as_ref().and_then(Error::status),
        Some(portone_core::StatusCode::INTERNAL_SERVER_ERROR)
    );
    let second = lookup(&client).await.err();
    assert!(
        second
            .as_ref()
            .is_some_and(|e| e.is_auth() && e.is_timeout()),
        "{second:?}"
    );
}

#[tokio::test]
async fn debug_of_a_used_client_shows_neither_secret_nor_token() {
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    mount_payment(&server).await;
    let client = client(&server);
    lookup(&client).await.unwrap_or_else(|e| panic!("{e}"));
    let text = format!("{client:?} {client:#?}");
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains("tok-1"), "{text}");
    assert!(text.contains(KEY));
}
