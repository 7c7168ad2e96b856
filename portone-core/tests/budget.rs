//! The retry budget: what retries cost, who shares the bucket, what refills it, and the
//! event that says a retry was refused. Counted by what a server on 127.0.0.1 received.

mod common;
mod recorder;

use std::time::Duration;

use common::*;
use portone_core::{Client, Error, Execute, RetryBudget, RetryPolicy, StatusCode};
use recorder::{case, named, with_message};
use serde_json::json;
use tracing::Instrument;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server where `/down` always answers 503, `/up` always answers, and `/slow` answers
/// after a minute.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    Mock::given(method("GET"))
        .and(path("/down"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/up"))
        .respond_with(ok(json!(null)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/slow"))
        .respond_with(ok(json!(null)).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    server
}

fn client_with(server: &MockServer, policy: RetryPolicy) -> Client {
    builder(server)
        .retry(policy.base_delay(Duration::from_millis(1)))
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Requests to `route` the server received so far.
async fn sent(server: &MockServer, route: &str) -> usize {
    api_requests(server)
        .await
        .iter()
        .filter(|r| r.url.path() == route)
        .count()
}

async fn down(client: &Client) -> Option<Error> {
    client.call::<()>(get("/down", "/down")).await.err()
}

async fn up(client: &Client) {
    client
        .call::<()>(get("/up", "/up"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn a_spent_budget_sends_the_first_attempt_only() {
    let server = server().await;
    // Two retries' worth.
    let client = client_with(
        &server,
        RetryPolicy::default().budget(RetryBudget::new(10).retry_cost(5)),
    );
    let err = down(&client).await;
    assert_eq!(
        err.as_ref().and_then(Error::status),
        Some(StatusCode::SERVICE_UNAVAILABLE)
    );
    assert_eq!(sent(&server, "/down").await, 3, "the budget paid 2 retries");
    // Spent: each call is sent once, never refused, and fails with the server's answer.
    for _ in 0..3 {
        let err = down(&client).await;
        assert_eq!(
            err.as_ref().and_then(Error::status),
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
    }
    assert_eq!(sent(&server, "/down").await, 6);
}

#[tokio::test]
async fn tier_views_share_the_budget_of_their_client() {
    let server = server().await;
    let client = client_with(
        &server,
        RetryPolicy::default().budget(RetryBudget::new(10).retry_cost(5)),
    );
    let view = client.with_tier("A1B").unwrap_or_else(|e| panic!("{e}"));
    down(&view).await;
    assert_eq!(sent(&server, "/down").await, 3);
    down(&client).await;
    down(&client.without_tier()).await;
    assert_eq!(
        sent(&server, "/down").await,
        5,
        "the views spent it for all"
    );
}

#[tokio::test]
async fn answers_refill_the_budget() {
    let server = server().await;
    let client = client_with(
        &server,
        RetryPolicy::default().budget(RetryBudget::new(10).retry_cost(5).success_refund(1)),
    );
    down(&client).await;
    down(&client).await;
    assert_eq!(sent(&server, "/down").await, 4, "spent after 2 retries");
    // Four answers put back 4 tokens: not yet a retry's price.
    for _ in 0..4 {
        up(&client).await;
    }
    down(&client).await;
    assert_eq!(sent(&server, "/down").await, 5);
    // The fifth buys one retry.
    up(&client).await;
    down(&client).await;
    assert_eq!(sent(&server, "/down").await, 7);
}

#[tokio::test]
async fn a_retry_that_obtains_an_answer_gets_its_price_back() {
    let server = server().await;
    mount_first(&server, "GET", "/flaky", 1, ResponseTemplate::new(503)).await;
    Mock::given(method("GET"))
        .and(path("/flaky"))
        .respond_with(ok(json!(null)))
        .mount(&server)
        .await;
    // One retry's worth, and first answers refund nothing.
    let client = client_with(
        &server,
        RetryPolicy::default().budget(RetryBudget::new(5).retry_cost(5).success_refund(0)),
    );
    client
        .call::<()>(get("/flaky", "/flaky"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sent(&server, "/flaky").await, 2);
    // The retry's 5 tokens came back with its answer: one more retry is paid.
    down(&client).await;
    assert_eq!(sent(&server, "/down").await, 2);
}

#[tokio::test]
async fn a_retry_after_a_timeout_costs_more() {
    let server = server().await;
    // 15 tokens: three ordinary retries, or one after a timeout and one more ordinary one.
    let client = client_with(
        &server,
        RetryPolicy::default().budget(
            RetryBudget::new(15)
                .retry_cost(5)
                .timeout_retry_cost(10)
                .success_refund(0),
        ),
    );
    let slow = portone_core::Request::builder(portone_core::Method::GET, "/slow")
        .path("/slow")
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = client.call::<()>(slow).await.err();
    assert!(err.as_ref().is_some_and(Error::is_timeout), "{err:?}");
    assert_eq!(
        sent(&server, "/slow").await,
        2,
        "10 paid, 5 left: not enough"
    );
    down(&client).await;
    assert_eq!(sent(&server, "/down").await, 2, "the last 5 pay one retry");
}

#[tokio::test]
async fn without_a_budget_every_call_retries_fully() {
    let server = server().await;
    let client = client_with(&server, RetryPolicy::default().without_budget());
    for _ in 0..5 {
        down(&client).await;
    }
    assert_eq!(sent(&server, "/down").await, 15);
}

#[tokio::test]
async fn the_default_budget_pays_a_hundred_retries_in_an_outage() {
    let server = server().await;
    let client = client_with(&server, RetryPolicy::default());
    // 60 failing calls want 120 retries; the budget (500 tokens, 5 per retry) pays 100.
    for _ in 0..60 {
        down(&client).await;
    }
    assert_eq!(sent(&server, "/down").await, 60 + 100);
}

#[tokio::test]
async fn a_refused_retry_is_an_event_in_the_call_span() {
    recorder::recorder();
    let server = server().await;
    let client = client_with(
        &server,
        RetryPolicy::default().budget(RetryBudget::new(5).retry_cost(5)),
    );
    let name = "refused";
    down(&client)
        .instrument(tracing::info_span!("case", case = name))
        .await;
    let (spans, events) = case(name);
    let requests = named(&spans, "portone.request");
    let [(index, request)] = requests.as_slice() else {
        panic!("not one portone.request span: {spans:#?}")
    };
    assert_eq!(
        request.fields.get("portone.attempt").map(String::as_str),
        Some("2")
    );
    let refused = with_message(&events, "retry refused: the retry budget is spent");
    let [refused] = refused.as_slice() else {
        panic!("not one refusal: {events:#?}")
    };
    assert_eq!(refused.parent, Some(*index));
    assert_eq!(refused.level, tracing::Level::INFO);
    assert_eq!(refused.fields.get("attempt").map(String::as_str), Some("2"));
    assert_eq!(
        refused.fields.get("available").map(String::as_str),
        Some("0")
    );
    assert_eq!(
        refused.fields.get("timeout").map(String::as_str),
        Some("false")
    );
}
