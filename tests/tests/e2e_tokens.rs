//! The client's token handling end to end on `portone-mock`, whose tokens follow PortOne's
//! rules: one getToken for many calls, recovery through 401 after expiry, the final-minute
//! extension, the three header forms, and a failed getToken that does not poison the client.

use std::sync::Arc;
use std::time::Duration;

use portone::model::CancelPayment;
use portone::prelude::*;
use portone::{Client, ManualClock, TokenHeader};
use portone_mock::{Checkout, Fault, Method, MockServer, RecordedRequest};
use rust_decimal::Decimal;

fn builder_for(server: &MockServer) -> portone::ClientBuilder {
    Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
}

fn client_for(server: &MockServer) -> Client {
    builder_for(server).build().expect("a client for the mock")
}

/// The token a request carried, in whichever header.
fn token_of(r: &RecordedRequest) -> Option<String> {
    r.header("authorization")
        .map(|v| v.trim_start_matches("Bearer ").to_owned())
        .or_else(|| r.header("x-imptokenheader").map(str::to_owned))
}

/// `(method, path)` of every request, in order.
fn trace(server: &MockServer) -> Vec<(Method, String)> {
    server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_get_token_serves_many_calls_even_concurrent_ones() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let imp_uid = server.checkout(Checkout::paid("tok-1", 1_000));

    // Concurrent first calls share one getToken.
    let calls: Vec<_> = (0..16)
        .map(|_| tokio::spawn(client.clone().payment(&imp_uid)))
        .collect();
    for call in calls {
        let payment = call.await.expect("task").expect("found");
        assert_eq!(payment.imp_uid, imp_uid);
    }
    for _ in 0..8 {
        client.bank_codes().await.expect("codes");
    }
    assert_eq!(server.get_token_calls(), 1);

    let requests = server.requests();
    assert_eq!(requests.len(), 1 + 16 + 8);
    let get_token = &requests[0];
    assert_eq!(
        (get_token.method.clone(), get_token.path.as_str()),
        (Method::POST, "/users/getToken")
    );
    assert_eq!(
        get_token.json(),
        Some(serde_json::json!({"imp_key": server.api_key(), "imp_secret": server.api_secret()}))
    );
    let tokens: Vec<Option<String>> = requests[1..].iter().map(token_of).collect();
    assert!(tokens[0].is_some());
    assert!(tokens.iter().all(|t| t == &tokens[0]), "one token for all");
    assert!(requests[1..].iter().all(|r| {
        r.header("authorization")
            .is_some_and(|v| v.starts_with("Bearer "))
    }));
}

#[tokio::test]
async fn after_expiry_the_client_recovers_through_401_and_a_refresh() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let imp_uid = server.checkout(Checkout::paid("tok-2", 1_000));
    client.payment(&imp_uid).await.expect("first call");

    // The client's own clock did not move, so it still trusts its token; PortOne's did.
    server.advance(Duration::from_secs(31 * 60));
    let payment = client.payment(&imp_uid).await.expect("recovered");
    assert_eq!(payment.imp_uid, imp_uid);
    assert_eq!(server.get_token_calls(), 2);

    let lookup = (Method::GET, format!("/payments/{imp_uid}"));
    let get_token = (Method::POST, "/users/getToken".to_owned());
    assert_eq!(
        trace(&server),
        [
            get_token.clone(),
            lookup.clone(),
            lookup.clone(), // refused: 401
            get_token,
            lookup, // sent once more with the new token
        ]
    );
    let tokens: Vec<Option<String>> = server
        .requests()
        .iter()
        .filter(|r| r.method == Method::GET)
        .map(token_of)
        .collect();
    assert_eq!(tokens[0], tokens[1], "the expired token was tried");
    assert_ne!(tokens[1], tokens[2], "then a new one");

    // Later calls keep the new token.
    client.bank_codes().await.expect("codes");
    assert_eq!(server.get_token_calls(), 2);
}

#[tokio::test]
async fn a_token_refreshed_in_its_final_minute_is_extended_not_replaced() {
    let server = MockServer::builder()
        .live_quirks(true)
        .frozen_clock()
        .start()
        .await;
    let clock = Arc::new(ManualClock::new());
    let client = builder_for(&server)
        .clock(Arc::clone(&clock))
        .build()
        .expect("client");
    let both = |by: Duration| {
        server.advance(by);
        clock.advance(by);
    };

    client.bank_codes().await.expect("first call");
    // 28 minutes in: refreshing now would be a no-op, and the client does not try.
    both(Duration::from_secs(28 * 60));
    client.bank_codes().await.expect("still valid");
    assert_eq!(server.get_token_calls(), 1);

    // Inside the final minute the client asks again: PortOne extends the same token by 5 min.
    both(Duration::from_secs(90 + 15));
    client.bank_codes().await.expect("refreshed");
    assert_eq!(server.get_token_calls(), 2);
    // Past the original 30 minutes, within the extension: no 401, no new getToken.
    both(Duration::from_secs(4 * 60));
    client.bank_codes().await.expect("extended");
    assert_eq!(server.get_token_calls(), 2);

    let tokens: Vec<Option<String>> = server
        .requests()
        .iter()
        .filter(|r| r.method == Method::GET)
        .map(token_of)
        .collect();
    assert_eq!(tokens.len(), 4, "no call was refused and sent again");
    assert!(tokens.iter().all(|t| t.is_some() && t == &tokens[0]));
}

#[tokio::test]
async fn a_401_in_flight_is_retried_once_even_for_a_refund() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let imp_uid = server.checkout(Checkout::paid("tok-3", 10_000));
    client.payment(&imp_uid).await.expect("warm");

    // The server refused the request, so sending it again cannot refund twice.
    server.inject(
        Fault::unauthorized()
            .on(Method::POST, "/payments/cancel")
            .times(1),
    );
    let partial = CancelPayment::partial_by_imp_uid(&imp_uid, Decimal::from(1_000))
        .expect("above zero")
        .checksum(Decimal::from(10_000));
    let after = client.cancel_payment(&partial).await.expect("refunded");
    assert_eq!(after.cancel_amount, Decimal::from(1_000));
    assert_eq!(after.cancel_history.len(), 1);
    let cancels: Vec<Option<&'static str>> = server
        .requests()
        .iter()
        .filter(|r| r.path == "/payments/cancel")
        .map(|r| r.fault)
        .collect();
    assert_eq!(cancels, [Some("unauthorized"), None]);
    assert_eq!(server.get_token_calls(), 2);

    // A 401 that persists is reported, after one refresh and one retry.
    server.inject(Fault::unauthorized().on(Method::GET, "/banks"));
    let refused = client.bank_codes().await.expect_err("always 401");
    assert!(refused.is_unauthorized(), "{refused:?}");
    let banks = server
        .requests()
        .iter()
        .filter(|r| r.path == "/banks")
        .count();
    assert_eq!(banks, 2);
}

#[tokio::test]
async fn every_token_header_form_is_accepted() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let imp_uid = server.checkout(Checkout::paid("tok-4", 1_000));
    for (form, header, prefix) in [
        (TokenHeader::Bearer, "authorization", "Bearer "),
        (TokenHeader::Raw, "authorization", ""),
        (TokenHeader::XImpTokenHeader, "x-imptokenheader", ""),
    ] {
        let client = builder_for(&server)
            .token_header(form)
            .build()
            .expect("client");
        server.reset_log();
        client.payment(&imp_uid).await.expect("accepted");
        let sent = server.requests().pop().expect("logged");
        let value = sent.header(header).expect("the token header");
        assert!(
            value.starts_with(prefix) && value.len() == prefix.len() + 40,
            "{form:?}: {header}: <{} chars>",
            value.len()
        );
        if form == TokenHeader::XImpTokenHeader {
            assert!(sent.header("authorization").is_none());
        }
    }
}

#[tokio::test]
async fn refused_credentials_fail_without_leaking_the_secret() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = Client::builder()
        .api_key(server.api_key())
        .api_secret("not-the-secret-9f8e7d")
        .base_url(server.base_url())
        .build()
        .expect("client");
    let error = client.bank_codes().await.expect_err("refused");
    assert!(error.is_auth() && error.is_unauthorized(), "{error:?}");
    assert_eq!(error.code(), Some(-1));
    let shown = format!("{error} {error:?} {client:?}");
    assert!(!shown.contains("not-the-secret-9f8e7d"), "{shown}");
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.path == "/users/getToken"),
        "no API call without a token"
    );
}

#[tokio::test]
async fn a_failed_get_token_does_not_poison_the_client() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    server.inject(
        Fault::internal_error()
            .on(Method::POST, "/users/getToken")
            .times(1),
    );
    let failed = client.bank_codes().await.expect_err("getToken failed");
    assert!(failed.is_auth(), "{failed:?}");
    let banks = client
        .bank_codes()
        .await
        .expect("the next call tries again");
    assert!(!banks.is_empty());
    assert_eq!(server.get_token_calls(), 2);
}
