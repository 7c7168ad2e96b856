//! Envelope handling, path and query encoding, redirects and retries, checked by what a
//! server on 127.0.0.1 received.

mod common;

use std::time::Duration;

use common::*;
use portone_core::{Error, Execute, Method, Request, StatusCode};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_with_token() -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    server
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Payment {
    imp_uid: String,
    amount: u64,
}

#[tokio::test]
async fn a_nonzero_code_on_http_200_is_an_api_error() {
    let server = server_with_token().await;
    Mock::given(method("POST"))
        .and(path("/payments/cancel"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"code": 1, "message": "취소할 결제건이 존재하지 않습니다.", "response": null}),
        ))
        .mount(&server)
        .await;
    let request = Request::builder(Method::POST, "/payments/cancel")
        .path("/payments/cancel")
        .json(&json!({"imp_uid": "nope"}))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = client(&server).call::<Payment>(request).await.err();
    let Some(err) = err else {
        panic!("a refusal decoded as success")
    };
    assert!(matches!(err, Error::Api(_)));
    assert_eq!(err.code(), Some(1));
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.message(), Some("취소할 결제건이 존재하지 않습니다."));
    // HTTP 200, not 404, but PortOne's words: there is no such payment.
    assert!(err.is_not_found());
    assert!(!err.is_outcome_unknown());
}

#[tokio::test]
async fn not_found() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_x"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"code": -1, "message": "존재하지 않는 결제정보입니다.", "response": null}),
        ))
        .mount(&server)
        .await;
    let err = client(&server)
        .call::<Payment>(get("/payments/<imp_uid>", "/payments/imp_x"))
        .await
        .err();
    assert!(err.as_ref().is_some_and(Error::is_not_found), "{err:?}");
    assert_eq!(err.as_ref().and_then(Error::code), Some(-1));
}

#[tokio::test]
async fn an_html_502_is_unexpected_with_its_status_and_an_excerpt() {
    let server = server_with_token().await;
    Mock::given(method("POST"))
        .and(path("/payments/cancel"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("content-type", "text/html")
                .set_body_string("<html><body>Bad Gateway</body></html>"),
        )
        .mount(&server)
        .await;
    let request = Request::builder(Method::POST, "/payments/cancel")
        .path("/payments/cancel")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = client(&server).call::<Payment>(request).await.err();
    let Some(Error::UnexpectedResponse {
        status, excerpt, ..
    }) = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(excerpt.contains("Bad Gateway"));
    assert_eq!(
        api_requests(&server).await.len(),
        1,
        "a POST is not retried on 502"
    );
}

#[tokio::test]
async fn a_decode_error_names_the_json_path() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ok(json!({"imp_uid": "imp_1", "amount": "a lot"})))
        .mount(&server)
        .await;
    let err = client(&server)
        .call::<Payment>(get("/payments/<imp_uid>", "/payments/imp_1"))
        .await
        .err();
    assert!(
        matches!(&err, Some(Error::Decode { path, .. }) if path == "response.amount"),
        "{err:?}"
    );
}

#[tokio::test]
async fn path_values_become_one_encoded_segment() {
    let server = server_with_token().await;
    Mock::given(path_regex("^/payments/find/.*"))
        .respond_with(ok(json!(null)))
        .mount(&server)
        .await;
    let client = client(&server);
    let cases = [
        ("a/b", "/payments/find/a%2Fb"),
        ("what?", "/payments/find/what%3F"),
        ("#1", "/payments/find/%231"),
        ("a b", "/payments/find/a%20b"),
        ("주문-1", "/payments/find/%EC%A3%BC%EB%AC%B8-1"),
        ("...", "/payments/find/..."),
    ];
    for (value, _) in cases {
        let request = Request::builder(Method::GET, "/payments/find/<merchant_uid>")
            .path("/payments/find")
            .segment(value)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        client
            .call::<()>(request)
            .await
            .unwrap_or_else(|e| panic!("{value}: {e}"));
    }
    let got: Vec<String> = api_requests(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    let want: Vec<String> = cases.iter().map(|(_, p)| (*p).to_owned()).collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn empty_and_dot_segments_are_refused_before_any_io() {
    let server = server_with_token().await;
    let client = client(&server);
    for bad in ["", ".", ".."] {
        let request = Request::builder(Method::GET, "/payments/<imp_uid>")
            .path("/payments")
            .segment(bad)
            .build();
        assert!(matches!(request, Err(Error::InvalidRequest(_))), "{bad:?}");
        let err = portone_core::__private::call::<_, ()>(&client, request)
            .await
            .err();
        assert!(matches!(err, Some(Error::InvalidRequest(_))));
    }
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn query_pairs_keep_order_skip_none_and_repeat_bracket_arrays() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/payments"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    let request = Request::builder(Method::GET, "/payments")
        .path("/payments")
        .query("imp_uid[]", &["imp_1", "imp 2&"])
        .query("include_sandbox", &None::<bool>)
        .query("page", &2)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    client(&server)
        .call::<Vec<serde_json::Value>>(request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let got = api_requests(&server).await;
    assert_eq!(
        got[0].url.query(),
        Some("imp_uid[]=imp_1&imp_uid[]=imp%202%26&page=2")
    );
}

#[tokio::test]
async fn a_redirect_is_neither_followed_nor_given_the_token() {
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ok(json!({"imp_uid": "stolen", "amount": 1})))
        .mount(&elsewhere)
        .await;
    let server = server_with_token().await;
    for status in [302, 307] {
        Mock::given(method("POST"))
            .and(path(format!("/r{status}")))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("location", format!("{}/payments/cancel", elsewhere.uri())),
            )
            .mount(&server)
            .await;
    }
    let client = client(&server);
    for route in ["/r302", "/r307"] {
        let request = Request::builder(Method::POST, "/r")
            .path(route)
            .json(&json!({"card_number": "4111111111111111"}))
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let err = client.call::<Payment>(request).await.err();
        assert!(
            matches!(err, Some(Error::UnexpectedResponse { status, .. }) if status.is_redirection()),
            "{err:?}"
        );
    }
    assert!(
        elsewhere
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn a_post_that_timed_out_after_being_sent_arrives_exactly_once() {
    let server = server_with_token().await;
    Mock::given(method("POST"))
        .and(path("/subscribe/payments/again"))
        .respond_with(ok(json!({})).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let request = Request::builder(Method::POST, "/subscribe/payments/again")
        .path("/subscribe/payments/again")
        .json(&json!({"customer_uid": "c1", "amount": 1000}))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = client(&server)
        .call::<serde_json::Value>(request)
        .await
        .err();
    assert!(err.as_ref().is_some_and(Error::is_timeout), "{err:?}");
    assert_eq!(api_requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_get_is_retried_on_503_within_its_bound() {
    let server = server_with_token().await;
    let unavailable = ResponseTemplate::new(503);
    mount_first(&server, "GET", "/payments/imp_1", 2, unavailable).await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ok(json!({"imp_uid": "imp_1", "amount": 1000})))
        .mount(&server)
        .await;
    let payment: Payment = client(&server)
        .call(get("/payments/<imp_uid>", "/payments/imp_1"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(payment.amount, 1000);
    assert_eq!(api_requests(&server).await.len(), 3);

    // Past the bound (2 retries), the 503 is the answer.
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let err = client(&server)
        .call::<Payment>(get("/payments/<imp_uid>", "/payments/imp_1"))
        .await
        .err();
    assert_eq!(
        err.as_ref().and_then(Error::status),
        Some(StatusCode::SERVICE_UNAVAILABLE)
    );
    assert_eq!(api_requests(&server).await.len(), 3);
}

#[tokio::test]
async fn a_post_is_not_retried_on_503_unless_marked_idempotent() {
    let server = server_with_token().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server);
    let plain = Request::builder(Method::POST, "/x").path("/x").build();
    let marked = Request::builder(Method::POST, "/y")
        .path("/y")
        .idempotent(true)
        .build();
    let _ = portone_core::__private::call::<_, ()>(&client, plain).await;
    let _ = portone_core::__private::call::<_, ()>(&client, marked).await;
    let paths: Vec<String> = api_requests(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(paths, ["/x", "/y", "/y", "/y"]);
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_inside_the_auth_error() {
    // Nothing listens on the port of a listener that was dropped: every attempt is a
    // connect error, which happens before anything is sent.
    let uri = {
        let gone = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let port = gone.local_addr().unwrap_or_else(|e| panic!("{e}")).port();
        format!("http://127.0.0.1:{port}")
    };
    let client = portone_core::Client::builder()
        .api_key(KEY)
        .api_secret(SECRET)
        .base_url(uri)
        .retry(portone_core::RetryPolicy::new(2).base_delay(Duration::from_millis(1)))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = client.call::<()>(get("/x", "/x")).await.err();
    let Some(Error::Auth(source)) = err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(&*source, Error::Transport { source, .. } if source.is_connect()),
        "{source:?}"
    );
}
