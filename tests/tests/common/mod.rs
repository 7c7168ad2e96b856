//! Set-up the `money_*` tests share: a wiremock server that hands out tokens and answers one
//! route as PortOne would, a `portone-mock` server, clients of both, and arrival counts.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use portone::{Client, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The real paid card payment (`fixtures/payment-paid-card.json`) the answers are made from.
pub const PAID_CARD: &str = include_str!("../../fixtures/payment-paid-card.json");
/// Its `imp_uid`.
pub const PAID_CARD_IMP_UID: &str = "imp_088022300265";

/// The paid card payment, in PortOne's success envelope, with its `status` set to `status`.
pub fn paid_card_in(status: &str) -> Value {
    let mut body: Value = serde_json::from_str(PAID_CARD).unwrap_or_else(|e| panic!("{e}"));
    body["response"]["status"] = json!(status);
    body
}

/// A wiremock server whose getToken hands out a token and whose `verb route` answers
/// `answer`, and a client of it (5 ms between retries; `timeout` when given).
pub async fn answering(
    verb: &str,
    route: &str,
    answer: ResponseTemplate,
    timeout: Option<Duration>,
) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "code": 0, "message": null,
            "response": {"access_token": "tok-money", "now": 1_700_000_000, "expired_at": 1_700_001_800}
        })))
        .mount(&server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(answer)
        .mount(&server)
        .await;
    let client = client_of(&server.uri(), "key", "secret", timeout);
    (server, client)
}

/// A client of the server at `base_url`, 5 ms between retries, `timeout` when given.
pub fn client_of(base_url: &str, key: &str, secret: &str, timeout: Option<Duration>) -> Client {
    let builder = Client::builder()
        .api_key(key)
        .api_secret(secret)
        .base_url(base_url)
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)));
    let builder = match timeout {
        Some(timeout) => builder.timeout(timeout),
        None => builder,
    };
    builder.build().unwrap_or_else(|e| panic!("{e}"))
}

/// How many requests reached `route` on a wiremock server; `None`: any route but getToken.
pub async fn arrivals(server: &MockServer, route: Option<&str>) -> usize {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .filter(|r| match route {
            Some(route) => r.url.path() == route,
            None => r.url.path() != "/users/getToken",
        })
        .count()
}

/// A `portone-mock` server answering as the live server did, and a client of it.
pub async fn mock(timeout: Option<Duration>) -> (portone_mock::MockServer, Client) {
    let server = portone_mock::MockServer::builder()
        .live_quirks(true)
        .start()
        .await;
    let client = mock_client(&server, timeout);
    (server, client)
}

/// Another client of a `portone-mock` server.
pub fn mock_client(server: &portone_mock::MockServer, timeout: Option<Duration>) -> Client {
    client_of(
        &server.base_url(),
        server.api_key(),
        server.api_secret(),
        timeout,
    )
}
