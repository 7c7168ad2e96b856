//! The access-token rules, as PortOne applies them.

mod common;

use std::time::Duration;

use common::{Api, get_token, send};
use portone_mock::MockServer;
use serde_json::json;

async fn frozen() -> MockServer {
    MockServer::builder().frozen_clock().start().await
}

#[tokio::test]
async fn a_fresh_token_lives_thirty_minutes() {
    let server = frozen().await;
    let http = reqwest::Client::new();
    let answer = get_token(&server, &http).await;
    let r = answer.ok();
    let token = r["access_token"].as_str().unwrap_or_default();
    assert_eq!(token.len(), 40);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(r["now"], json!(server.now()));
    assert_eq!(r["expired_at"], json!(server.now() + 1800));
    assert_eq!(server.get_token_calls(), 1);
}

#[tokio::test]
async fn the_same_token_and_expiry_while_valid() {
    let server = frozen().await;
    let http = reqwest::Client::new();
    let first = get_token(&server, &http).await;
    server.advance(Duration::from_secs(10 * 60));
    let second = get_token(&server, &http).await;
    assert_eq!(first.ok()["access_token"], second.ok()["access_token"]);
    assert_eq!(first.ok()["expired_at"], second.ok()["expired_at"]);
    assert_eq!(second.ok()["now"], json!(server.now()));
    assert_eq!(server.get_token_calls(), 2);
}

#[tokio::test]
async fn the_final_minute_extends_the_same_token_by_five_minutes() {
    let server = frozen().await;
    let http = reqwest::Client::new();
    let first = get_token(&server, &http).await;
    let expired_at = first.ok()["expired_at"].as_i64().unwrap_or_default();
    // 61 s left: not yet the final minute.
    server.advance(Duration::from_secs(1800 - 61));
    let early = get_token(&server, &http).await;
    assert_eq!(early.ok()["expired_at"], json!(expired_at));
    // 30 s left: extended, same token.
    server.advance(Duration::from_secs(31));
    let late = get_token(&server, &http).await;
    assert_eq!(late.ok()["access_token"], first.ok()["access_token"]);
    assert_eq!(late.ok()["expired_at"], json!(expired_at + 300));
    // The extended token is still accepted after the original expiry.
    server.advance(Duration::from_secs(60));
    let api = Api::new(&server).await;
    assert_eq!(
        api.token,
        first.ok()["access_token"].as_str().unwrap_or_default()
    );
    assert_eq!(api.get("/users/pg").await.status, 200);
}

#[tokio::test]
async fn a_new_token_after_expiry_and_the_old_one_is_refused() {
    let server = frozen().await;
    let old = Api::new(&server).await;
    assert_eq!(old.get("/banks").await.status, 200);
    server.advance(Duration::from_secs(1800));
    let expired = old.get("/banks").await;
    assert_eq!((expired.status, expired.code()), (401, -1));
    assert!(expired.response().is_null());
    let new = Api::new(&server).await;
    assert_ne!(new.token, old.token);
    assert_eq!(new.get("/banks").await.status, 200);
    assert_eq!(old.get("/banks").await.status, 401);
}

#[tokio::test]
async fn missing_and_unknown_tokens_are_refused_with_the_envelope() {
    let server = MockServer::start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/payments/imp_000000000000", server.base_url());
    let none = send(http.get(&url)).await;
    assert_eq!((none.status, none.code()), (401, -1));
    assert_eq!(none.message(), "Unauthorized");
    let unknown = send(http.get(&url).bearer_auth("0".repeat(40))).await;
    assert_eq!((unknown.status, unknown.code()), (401, -1));
}

#[tokio::test]
async fn all_three_header_forms_are_accepted() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let url = format!("{}/banks/004", server.base_url());
    let forms = [
        ("authorization", format!("Bearer {}", api.token)),
        ("authorization", api.token.clone()),
        ("x-imptokenheader", api.token.clone()),
    ];
    for (name, value) in forms {
        let answer = send(api.http.get(&url).header(name, value)).await;
        assert_eq!(answer.ok()["name"], "KB국민은행", "{name}");
    }
    // `Authorization` wins over `X-ImpTokenHeader`.
    let both = send(
        api.http
            .get(&url)
            .header("authorization", "Bearer nope")
            .header("x-imptokenheader", &api.token),
    )
    .await;
    assert_eq!(both.status, 401);
}

#[tokio::test]
async fn bad_credentials_are_401_and_missing_fields_400() {
    let server = MockServer::builder()
        .credentials("key", "secret")
        .start()
        .await;
    let http = reqwest::Client::new();
    let url = format!("{}/users/getToken", server.base_url());
    for body in [
        json!({"imp_key": "key", "imp_secret": "wrong"}),
        json!({"imp_key": "wrong", "imp_secret": "secret"}),
    ] {
        let answer = send(
            http.post(&url)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await;
        assert_eq!((answer.status, answer.code()), (401, -1));
        assert!(answer.response().is_null());
    }
    for body in [
        json!({"imp_key": "key"}),
        json!({}),
        json!({"imp_key": "", "imp_secret": "secret"}),
    ] {
        let answer = send(
            http.post(&url)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await;
        assert_eq!(answer.status, 400, "{body}");
        assert_ne!(answer.code(), 0);
        assert!(!answer.message().is_empty());
    }
    assert_eq!(server.get_token_calls(), 5);
    assert_eq!(server.api_key(), "key");
}

#[tokio::test]
async fn form_encoded_get_token_and_a_tier_header_are_fine() {
    let server = MockServer::builder().agency(["A1B"]).start().await;
    let http = reqwest::Client::new();
    let answer = send(
        http.post(format!("{}/users/getToken", server.base_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("Tier", "ZZZ")
            .body(format!(
                "imp_key={}&imp_secret={}",
                server.api_key(),
                server.api_secret()
            )),
    )
    .await;
    assert_eq!(answer.ok()["access_token"].as_str().map(str::len), Some(40));
}

#[tokio::test]
async fn the_log_records_what_arrived() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    api.get("/payments?imp_uid[]=a").await;
    let log = server.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].method, portone_mock::Method::POST);
    assert_eq!(log[0].path, "/users/getToken");
    assert_eq!(
        log[0].json().map(|b| b["imp_secret"].clone()),
        Some(json!(server.api_secret()))
    );
    assert_eq!(log[1].query.as_deref(), Some("imp_uid[]=a"));
    assert_eq!(
        log[1].header("Authorization"),
        Some(format!("Bearer {}", api.token).as_str())
    );
    // Debug never shows the secret or the token.
    let debug = format!("{log:?}");
    assert!(!debug.contains(server.api_secret()) && !debug.contains(&api.token));
    server.reset_log();
    assert!(server.requests().is_empty());
    assert_eq!(server.get_token_calls(), 0);
}
