//! Whether money may have moved: `Error::is_outcome_unknown` and `Error::Declined`, decided
//! by what a server on 127.0.0.1 did with the request.

mod common;

use std::time::Duration;

use common::*;
use portone_core::{Error, Execute, Method, Request, StatusCode};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Payment {
    imp_uid: String,
    merchant_uid: String,
    amount: u64,
}

async fn server_answering(verb: &str, route: &str, answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

fn cancel() -> Request {
    cancel_within(Duration::from_secs(30))
}

fn cancel_within(timeout: Duration) -> Request {
    Request::builder(Method::POST, "/payments/cancel")
        .path("/payments/cancel")
        .json(&json!({"imp_uid": "imp_1", "amount": 100, "checksum": 1000}))
        .timeout(timeout)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn revoke() -> Request {
    Request::builder(Method::DELETE, "/vbanks/<imp_uid>")
        .path("/vbanks/imp_1")
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn again() -> Request {
    Request::builder(Method::POST, "/subscribe/payments/again")
        .path("/subscribe/payments/again")
        .json(&json!({"customer_uid": "c1", "merchant_uid": "m1", "amount": 1000}))
        .charge(true)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Sends `request` and returns the error and how many times its route arrived.
async fn fail(server: &MockServer, request: Request) -> (Error, usize) {
    let err = client(server)
        .call::<Payment>(request)
        .await
        .err()
        .unwrap_or_else(|| panic!("the call succeeded"));
    (err, api_requests(server).await.len())
}

#[tokio::test]
async fn a_refund_whose_answer_does_not_decode_happened_and_says_so() {
    // `code: 0`: PortOne refunded. Only the answer is lost to the client.
    let odd = ok(json!({"imp_uid": "imp_1", "merchant_uid": "order-1", "amount": "lots"}));
    let server = server_answering("POST", "/payments/cancel", odd.clone()).await;
    let (err, arrivals) = fail(&server, cancel()).await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(arrivals, 1);
    let record = err.record().unwrap_or_else(|| panic!("no ids"));
    assert_eq!(record.imp_uid.as_deref(), Some("imp_1"));
    assert_eq!(record.merchant_uid.as_deref(), Some("order-1"));

    // The same answer to a lookup is a decoding error the caller can simply retry.
    let server = server_answering("GET", "/payments/imp_1", odd).await;
    let (err, arrivals) = fail(&server, get("/payments/<imp_uid>", "/payments/imp_1")).await;
    assert!(matches!(err, Error::Decode { .. }) && !err.is_outcome_unknown());
    assert_eq!(arrivals, 1, "decoding errors are never retried");
}

#[tokio::test]
async fn a_refund_that_timed_out_is_unknown_and_sent_once() {
    let slow = ok(json!({})).set_delay(Duration::from_secs(5));
    let server = server_answering("POST", "/payments/cancel", slow).await;
    let (err, arrivals) = fail(&server, cancel_within(Duration::from_millis(200))).await;
    assert!(err.is_timeout() && err.is_outcome_unknown(), "{err:?}");
    assert_eq!(arrivals, 1);
}

#[tokio::test]
async fn a_timed_out_delete_is_unknown_and_never_sent_twice() {
    // A second DELETE after the first revoked the account would answer "not found" and
    // turn a success into a failure: it is not retried.
    let slow = ok(json!({})).set_delay(Duration::from_secs(5));
    let server = server_answering("DELETE", "/vbanks/imp_1", slow).await;
    let request = Request::builder(Method::DELETE, "/vbanks/<imp_uid>")
        .path("/vbanks/imp_1")
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!request.is_idempotent());
    let (err, arrivals) = fail(&server, request).await;
    assert!(err.is_timeout() && err.is_outcome_unknown(), "{err:?}");
    assert_eq!(arrivals, 1);

    // Nor on a gateway's 503, which may come from behind the revocation.
    let server = server_answering("DELETE", "/vbanks/imp_1", ResponseTemplate::new(503)).await;
    let (err, arrivals) = fail(&server, revoke()).await;
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(arrivals, 1);
}

#[tokio::test]
async fn a_lookup_that_timed_out_is_retried_and_not_unknown() {
    let slow = ok(json!({})).set_delay(Duration::from_secs(5));
    let server = server_answering("GET", "/payments/imp_1", slow).await;
    let request = Request::builder(Method::GET, "/payments/<imp_uid>")
        .path("/payments/imp_1")
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let (err, arrivals) = fail(&server, request).await;
    assert!(err.is_timeout() && !err.is_outcome_unknown(), "{err:?}");
    assert_eq!(arrivals, 3);
}

#[tokio::test]
async fn what_portone_refused_is_known() {
    for (status, body) in [
        (
            200,
            json!({"code": 1, "message": "취소할 결제건이 존재하지 않습니다.", "response": null}),
        ),
        (400, json!({"code": -1, "message": "bad", "response": null})),
        (
            404,
            json!({"code": -1, "message": "존재하지 않는 결제정보입니다.", "response": null}),
        ),
    ] {
        let answer = ResponseTemplate::new(status).set_body_json(body);
        let server = server_answering("POST", "/payments/cancel", answer).await;
        let (err, arrivals) = fail(&server, cancel()).await;
        assert!(matches!(err, Error::Api(_)), "{status}: {err:?}");
        assert!(!err.is_outcome_unknown(), "{status}: {err:?}");
        assert_eq!(arrivals, 1);
    }
}

#[tokio::test]
async fn portones_own_server_error_on_a_refund_is_unknown_with_its_words() {
    // "PG communication failed": exactly the case where the PG may have refunded.
    let body = json!({"code": -1, "message": "PG사 통신 실패", "response": null});
    let answer = ResponseTemplate::new(500).set_body_json(body);
    let server = server_answering("POST", "/payments/cancel", answer).await;
    let (err, arrivals) = fail(&server, cancel()).await;
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(
        (err.code(), err.message()),
        (Some(-1), Some("PG사 통신 실패"))
    );
    assert_eq!(arrivals, 1, "never sent twice");
}

#[tokio::test]
async fn a_proxy_page_in_front_of_a_refund_is_unknown_but_not_in_front_of_a_lookup() {
    let page = || {
        ResponseTemplate::new(502)
            .insert_header("content-type", "text/html")
            .set_body_string("<html>502 Bad Gateway</html>")
    };
    let server = server_answering("POST", "/payments/cancel", page()).await;
    let (err, _) = fail(&server, cancel()).await;
    assert!(matches!(err, Error::UnexpectedResponse { .. }) && err.is_outcome_unknown());

    let server = server_answering("GET", "/payments/imp_1", page()).await;
    let (err, _) = fail(&server, get("/payments/<imp_uid>", "/payments/imp_1")).await;
    assert!(matches!(err, Error::UnexpectedResponse { .. }) && !err.is_outcome_unknown());

    // A 4xx page was refused at the door.
    let forbidden = ResponseTemplate::new(403).set_body_string("<html>403</html>");
    let server = server_answering("POST", "/payments/cancel", forbidden).await;
    let (err, _) = fail(&server, cancel()).await;
    assert!(!err.is_outcome_unknown(), "{err:?}");
}

#[tokio::test]
async fn a_declined_charge_is_an_error_that_carries_the_failed_payment_and_is_sent_once() {
    let failed = ok(json!({
        "imp_uid": "imp_7", "merchant_uid": "m1", "customer_uid": "c1", "amount": 1000,
        "status": "failed", "fail_reason": "잔액부족", "failed_at": 1_700_000_000
    }));
    let server = server_answering("POST", "/subscribe/payments/again", failed).await;
    let (err, arrivals) = fail(&server, again()).await;
    assert!(err.is_declined() && !err.is_outcome_unknown(), "{err:?}");
    assert_eq!(arrivals, 1);
    let declined = err.declined().unwrap_or_else(|| panic!("declined"));
    assert_eq!(declined.fail_reason.as_deref(), Some("잔액부족"));
    assert_eq!(declined.imp_uid.as_deref(), Some("imp_7"));
    let payment: Payment = declined.payment().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (payment.merchant_uid.as_str(), payment.amount),
        ("m1", 1000)
    );
    assert_eq!(
        err.record().and_then(|r| r.customer_uid).as_deref(),
        Some("c1")
    );

    // PortOne's `code: -1` with no payment: no decision was made, still not unknown.
    let refused = ResponseTemplate::new(200).set_body_json(
        json!({"code": -1, "message": "등록된 고객정보가 없습니다.", "response": null}),
    );
    let server = server_answering("POST", "/subscribe/payments/again", refused).await;
    let (err, _) = fail(&server, again()).await;
    assert!(matches!(err, Error::Api(_)) && !err.is_declined() && !err.is_outcome_unknown());
}
