//! The runtime's spans, recorded by a process-wide subscriber (see `recorder`, and why it
//! is not a thread-local one): one `portone.request` per call, with its fields, closed by
//! the time the call returns (or is dropped), never entered, and no secret in anything
//! traced.

mod common;
mod recorder;

use std::time::Duration;

use common::*;
use portone_core::{Client, Execute, Method, Request};
use recorder::{case, named, recorder, with_message};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::mpsc;
use tracing::Instrument;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Payment {
    imp_uid: String,
    amount: u64,
}

fn payment_request() -> Request {
    get("/payments/<imp_uid>", "/payments/imp_1")
}

async fn server_with_payment() -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ok(json!({"imp_uid": "imp_1", "amount": 1})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn one_span_per_call_with_its_fields_and_no_secret_at_trace_level() {
    recorder();
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    mount_first(
        &server,
        "GET",
        "/payments/imp_1",
        1,
        ResponseTemplate::new(503),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ok(json!({"imp_uid": "imp_1", "amount": 1})))
        .mount(&server)
        .await;
    // A fresh client: the call fetches the token and opens its connections itself.
    let client = client(&server);
    let name = "fields";
    client
        .call::<Payment>(payment_request())
        .instrument(tracing::info_span!("case", case = name))
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // Read as soon as the call returned: nothing is waited for.
    let (spans, events) = case(name);
    let requests = named(&spans, "portone.request");
    let [(request_index, request)] = requests.as_slice() else {
        panic!("not one portone.request span: {spans:#?}")
    };
    assert!(request.closed, "the span outlived its call: {request:?}");
    assert_eq!(request.entered, 0, "the call entered its span");
    // OpenTelemetry's HTTP client conventions, then PortOne's own fields.
    let field = |name: &str| request.fields.get(name).map(String::as_str);
    let port = server.address().port().to_string();
    assert_eq!(field("otel.kind"), Some("client"));
    assert_eq!(field("otel.name"), Some("GET /payments/{imp_uid}"));
    assert_eq!(field("http.request.method"), Some("GET"));
    assert_eq!(field("url.template"), Some("/payments/{imp_uid}"));
    assert_eq!(field("server.address"), Some("127.0.0.1"));
    assert_eq!(field("server.port"), Some(port.as_str()));
    assert_eq!(field("http.response.status_code"), Some("200"));
    assert_eq!(field("http.request.resend_count"), Some("1"));
    assert_eq!(field("error.type"), None);
    assert_eq!(field("portone.code"), Some("0"));
    assert_eq!(field("portone.attempt"), Some("2"));
    assert_eq!(field("portone.tier"), None);
    assert!(field("duration_ms").is_some(), "{request:?}");

    let tokens = named(&spans, "portone.get_token");
    let [(_, token)] = tokens.as_slice() else {
        panic!("not one portone.get_token span: {spans:#?}")
    };
    assert_eq!(token.parent, Some(*request_index));
    assert!(token.closed && token.entered == 0, "{token:?}");
    let field = |name: &str| token.fields.get(name).map(String::as_str);
    assert_eq!(field("otel.kind"), Some("client"));
    assert_eq!(field("http.request.method"), Some("POST"));
    assert_eq!(field("url.template"), Some("/users/getToken"));
    assert_eq!(field("http.response.status_code"), Some("200"));

    let retrying = with_message(&events, "retrying");
    assert_eq!(retrying.len(), 1, "{events:#?}");
    assert_eq!(retrying[0].parent, Some(*request_index));
    assert_eq!(
        retrying[0].fields.get("status").map(String::as_str),
        Some("503")
    );

    let text = recorder::all_text();
    assert!(!text.contains(SECRET), "secret in trace output");
    assert!(!text.contains("tok-1"), "token in trace output:\n{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_span_closes_when_its_call_returns_from_any_thread() {
    recorder();
    let server = server_with_payment().await;
    let client = client(&server);
    let name = "concurrent";
    let case_span = tracing::info_span!("case", case = name);
    // 32 calls at once on a fresh client: several connections are opened while calls run,
    // their tasks spawned on both workers.
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let call = client.call::<Payment>(payment_request());
            tokio::spawn(call.instrument(case_span.clone()))
        })
        .collect();
    for task in tasks {
        task.await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let (spans, _) = case(name);
    let requests = named(&spans, "portone.request");
    assert_eq!(requests.len(), 32);
    for (_, span) in requests {
        assert!(span.closed, "a span outlived its call: {span:?}");
        assert_eq!(span.entered, 0);
        assert_eq!(
            span.fields
                .get("http.response.status_code")
                .map(String::as_str),
            Some("200")
        );
    }
    assert!(
        named(&spans, "portone.get_token")
            .iter()
            .all(|(_, s)| s.closed)
    );
}

/// Tells the test that the request arrived, and answers only much later.
struct Arrived(mpsc::UnboundedSender<()>);

impl Respond for Arrived {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let _ = self.0.send(());
        ok(json!({"imp_uid": "imp_1", "amount": 1})).set_delay(Duration::from_secs(60))
    }
}

#[tokio::test]
async fn a_span_closes_when_its_call_is_dropped_mid_flight() {
    recorder();
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    let (arrived, mut arrivals) = mpsc::unbounded_channel();
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(Arrived(arrived))
        .mount(&server)
        .await;
    let client: Client = client(&server);
    let name = "dropped";
    let call = client
        .call::<Payment>(payment_request())
        .instrument(tracing::info_span!("case", case = name));
    let task = tokio::spawn(call);
    arrivals
        .recv()
        .await
        .unwrap_or_else(|| panic!("no request"));
    task.abort();
    assert!(task.await.is_err_and(|e| e.is_cancelled()));

    let (spans, _) = case(name);
    let requests = named(&spans, "portone.request");
    let [(_, request)] = requests.as_slice() else {
        panic!("not one portone.request span: {spans:#?}")
    };
    assert!(request.closed, "the span outlived its dropped call");
    assert_eq!(request.fields.get("http.response.status_code"), None);
    assert_eq!(
        request.fields.get("portone.attempt").map(String::as_str),
        Some("1")
    );
}

#[tokio::test]
async fn a_failed_call_says_why_inside_its_span() {
    recorder();
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    let request = Request::builder(Method::POST, "/payments/cancel")
        .path("/payments/cancel")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    Mock::given(method("POST"))
        .and(path("/payments/cancel"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"code": 1, "message": "no such payment", "response": null})),
        )
        .mount(&server)
        .await;
    let name = "failed";
    let err = client(&server)
        .call::<Payment>(request)
        .instrument(tracing::info_span!("case", case = name))
        .await
        .err();
    let Some(err) = err else {
        panic!("a refusal decoded as success")
    };
    let (spans, events) = case(name);
    let requests = named(&spans, "portone.request");
    let [(index, request)] = requests.as_slice() else {
        panic!("not one portone.request span: {spans:#?}")
    };
    assert!(request.closed);
    assert_eq!(
        request.fields.get("portone.code").map(String::as_str),
        Some("1")
    );
    // A refusal on HTTP 200 is typed by what happened; one with an error status by it.
    assert_eq!(
        request.fields.get("error.type").map(String::as_str),
        Some("refused")
    );
    let failed = with_message(&events, "portone call failed");
    let [failed] = failed.as_slice() else {
        panic!("not one failure event: {events:#?}")
    };
    assert_eq!(failed.parent, Some(*index));
    assert_eq!(failed.fields.get("error"), Some(&err.to_string()));
}

#[tokio::test]
async fn an_error_status_is_the_error_type_and_the_tier_is_portone_s() {
    recorder();
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"code": -1, "message": "not found", "response": null})),
        )
        .mount(&server)
        .await;
    let client = client(&server)
        .with_tier("A1B")
        .unwrap_or_else(|e| panic!("{e}"));
    let name = "error-status";
    let result = client
        .call::<Payment>(payment_request())
        .instrument(tracing::info_span!("case", case = name))
        .await;
    assert!(result.is_err());
    let (spans, _) = case(name);
    let requests = named(&spans, "portone.request");
    let [(_, request)] = requests.as_slice() else {
        panic!("not one portone.request span: {spans:#?}")
    };
    let field = |name: &str| request.fields.get(name).map(String::as_str);
    assert_eq!(field("http.response.status_code"), Some("404"));
    assert_eq!(field("error.type"), Some("404"));
    assert_eq!(field("portone.code"), Some("-1"));
    assert_eq!(field("portone.tier"), Some("A1B"));
}
