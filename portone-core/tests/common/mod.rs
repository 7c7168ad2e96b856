//! Shared set-up of the runtime's integration tests: a wiremock server that hands out tokens.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use portone_core::{Client, ClientBuilder, Method, Request, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request as Received, Respond, ResponseTemplate};

pub const KEY: &str = "test_key";
pub const SECRET: &str = "TopSecret-6f1e2d";

/// Answers getToken with `tok-N` (N counting from 1 when `rotate`, else always `tok-1`)
/// living `lifetimes[i]` seconds (the last one repeats), after `delay`.
pub struct TokenResponder {
    pub calls: Arc<AtomicUsize>,
    pub lifetimes: Vec<i64>,
    pub rotate: bool,
    pub delay: Duration,
}

impl Respond for TokenResponder {
    fn respond(&self, _: &Received) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let lifetime = self.lifetimes[n.min(self.lifetimes.len() - 1)];
        let token = if self.rotate {
            format!("tok-{}", n + 1)
        } else {
            "tok-1".to_owned()
        };
        let now = 1_700_000_000;
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "code": 0,
                "message": null,
                "response": {"access_token": token, "now": now, "expired_at": now + lifetime}
            }))
            .set_delay(self.delay)
    }
}

/// Mounts a getToken endpoint; returns its call counter.
pub async fn mount_token(server: &MockServer, lifetimes: &[i64], rotate: bool) -> Arc<AtomicUsize> {
    mount_token_delayed(server, lifetimes, rotate, Duration::ZERO).await
}

pub async fn mount_token_delayed(
    server: &MockServer,
    lifetimes: &[i64],
    rotate: bool,
    delay: Duration,
) -> Arc<AtomicUsize> {
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(TokenResponder {
            calls: Arc::clone(&calls),
            lifetimes: lifetimes.to_vec(),
            rotate,
            delay,
        })
        .mount(server)
        .await;
    calls
}

/// Answers the first `times` requests to `verb path` with `first`; later ones fall through
/// to the mocks mounted without priority.
pub async fn mount_first(
    server: &MockServer,
    verb: &str,
    route: &str,
    times: u64,
    first: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
}

/// PortOne's refusal of a missing, unknown or expired token.
pub fn unauthorized() -> ResponseTemplate {
    ResponseTemplate::new(401)
        .set_body_json(json!({"code": -1, "message": "Unauthorized", "response": null}))
}

pub fn ok(response: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"code": 0, "message": null, "response": response}))
}

pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .api_secret(SECRET)
        .base_url(server.uri())
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)))
}

pub fn client(server: &MockServer) -> Client {
    builder(server).build().unwrap_or_else(|e| panic!("{e}"))
}

pub fn get(route: &'static str, literal: &'static str) -> Request {
    Request::builder(Method::GET, route)
        .path(literal)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The requests the server got, getToken excluded.
pub async fn api_requests(server: &MockServer) -> Vec<Received> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() != "/users/getToken")
        .collect()
}

pub fn header<'a>(request: &'a Received, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}
