//! A server error on a call that moves money is an unknown outcome, whatever its body: a
//! `500` with PortOne's own envelope (`PG사 통신 실패`, the case where the PG may have acted
//! before PortOne lost its answer) and a `500` HTML page from a proxy, on a refund
//! (`cancel_payment`) and on a charge (`pay_again`). Each is sent once, says
//! `is_outcome_unknown()`, and keeps PortOne's `code` and `message` where it sent them. A
//! lookup (`payment`) keeps its retry policy and is never an unknown outcome. Refusals on a
//! `4xx`, or on HTTP 200 with a non-zero `code`, stay known refusals. `Display` of each error
//! shows PortOne's code and message.

mod common;

use portone::model::{AgainPayment, CancelPayment};
use portone::prelude::*;
use portone::{Refusal, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

/// PortOne's envelope on a PG failure, as the notes on the live server record it.
const PG_FAILED: &str = "PG사 통신 실패";
const HTML_500: &str =
    "<html><head><title>500 Internal Server Error</title></head><body>nginx</body></html>";

/// The three kinds of call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Call {
    /// `cancel_payment`: moves money.
    Refund,
    /// `pay_again`: charges.
    Charge,
    /// `payment`: a lookup, retried.
    Lookup,
}

impl Call {
    const ALL: [Call; 3] = [Call::Refund, Call::Charge, Call::Lookup];

    fn verb(self) -> &'static str {
        match self {
            Call::Lookup => "GET",
            Call::Refund | Call::Charge => "POST",
        }
    }

    fn route(self) -> &'static str {
        match self {
            Call::Refund => "/payments/cancel",
            Call::Charge => "/subscribe/payments/again",
            Call::Lookup => "/payments/imp_1",
        }
    }

    fn moves_money(self) -> bool {
        self != Call::Lookup
    }

    async fn send(self, client: &Client) -> portone::Result<()> {
        match self {
            Call::Refund => {
                let refund = CancelPayment::partial_by_imp_uid("imp_1", Decimal::from(100))
                    .unwrap_or_else(|e| panic!("{e}"))
                    .checksum(Decimal::from(1000));
                client.cancel_payment(&refund).await.map(drop)
            }
            Call::Charge => {
                let charge = AgainPayment::new("customer-1", "order-1", 9_900, "Monthly plan");
                client.pay_again(&charge).await.map(drop)
            }
            Call::Lookup => client.payment("imp_1").await.map(drop),
        }
    }
}

fn envelope(code: i64, message: &str) -> Value {
    json!({"code": code, "message": message, "response": null})
}

/// Sends `call` against `answer`; returns the error and how often the route was reached.
async fn fail(call: Call, answer: ResponseTemplate) -> (portone::Error, usize) {
    let (server, client) = common::answering(call.verb(), call.route(), answer, None).await;
    let error = call
        .send(&client)
        .await
        .err()
        .unwrap_or_else(|| panic!("{call:?} succeeded"));
    (error, common::arrivals(&server, Some(call.route())).await)
}

#[tokio::test]
async fn portones_500_envelope_is_an_unknown_outcome_on_money_calls_with_its_code_and_message() {
    for call in Call::ALL {
        let answer = ResponseTemplate::new(500).set_body_json(envelope(-1, PG_FAILED));
        let (error, arrivals) = fail(call, answer).await;
        // A 500 is not among the statuses the policy retries (502, 503, 504), on any call.
        assert_eq!(arrivals, 1, "{call:?}");
        assert!(
            matches!(error, portone::Error::Api(_)),
            "{call:?}: {error:?}"
        );
        assert_eq!(
            error.is_outcome_unknown(),
            call.moves_money(),
            "{call:?}: {error:?}"
        );
        assert_eq!(error.code(), Some(-1), "{call:?}");
        assert_eq!(error.message(), Some(PG_FAILED), "{call:?}");
        assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        // A server error is no refusal of the record, whatever its words.
        assert_eq!(error.refusal(), Some(Refusal::Other), "{call:?}");
        let shown = error.to_string();
        assert!(
            shown.contains("-1") && shown.contains(PG_FAILED) && shown.contains("500"),
            "{call:?}: {shown}"
        );
        assert_eq!(
            shown.contains("unknown"),
            call.moves_money(),
            "{call:?}: {shown}"
        );
    }
}

#[tokio::test]
async fn a_500_html_page_is_an_unknown_outcome_on_money_calls() {
    for call in Call::ALL {
        let answer = ResponseTemplate::new(500).set_body_raw(HTML_500, "text/html");
        let (error, arrivals) = fail(call, answer).await;
        assert_eq!(arrivals, 1, "{call:?}");
        let portone::Error::UnexpectedResponse {
            status, excerpt, ..
        } = &error
        else {
            panic!("{call:?}: {error:?}")
        };
        assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(excerpt.contains("nginx"), "{excerpt}");
        assert_eq!(error.is_outcome_unknown(), call.moves_money(), "{call:?}");
        // No envelope, so nothing of PortOne's to read.
        assert_eq!((error.code(), error.message()), (None, None));
        assert!(error.to_string().contains("500"), "{error}");
    }
}

#[tokio::test]
async fn a_lookup_is_retried_on_a_gateway_error_and_money_calls_are_not() {
    // With and without PortOne's envelope, a 503 is retried on a lookup (three arrivals in
    // all with the default policy) and sent once on a money call, which then reads as unknown.
    for answer in [
        ResponseTemplate::new(503).set_body_json(envelope(-1, PG_FAILED)),
        ResponseTemplate::new(503).set_body_raw("<html>503</html>", "text/html"),
    ] {
        for call in Call::ALL {
            let (error, arrivals) = fail(call, answer.clone()).await;
            let expected = if call.moves_money() { 1 } else { 3 };
            assert_eq!(arrivals, expected, "{call:?}: {error:?}");
            assert_eq!(error.is_outcome_unknown(), call.moves_money(), "{call:?}");
            assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        }
    }
}

#[tokio::test]
async fn refusals_on_a_4xx_or_a_200_stay_known() {
    let cases = [
        // What the live server answers for an unknown payment to cancel or billing key.
        (
            Call::Refund,
            ResponseTemplate::new(200)
                .set_body_json(envelope(1, "취소할 결제건이 존재하지 않습니다.")),
            1,
            Refusal::NotFound,
        ),
        (
            Call::Charge,
            ResponseTemplate::new(200).set_body_json(envelope(1, "등록되지 않은 구매자입니다.")),
            1,
            Refusal::UnknownBillingKey,
        ),
        (
            Call::Lookup,
            ResponseTemplate::new(404).set_body_json(envelope(-1, "존재하지 않는 결제정보입니다.")),
            -1,
            Refusal::NotFound,
        ),
        // A malformed request, refused before anything moved.
        (
            Call::Refund,
            ResponseTemplate::new(400)
                .set_body_json(envelope(-1, "amount 파라메터가 누락되었습니다.")),
            -1,
            Refusal::InvalidParameter,
        ),
        (
            Call::Charge,
            ResponseTemplate::new(400)
                .set_body_json(envelope(-1, "amount 파라메터가 누락되었습니다.")),
            -1,
            Refusal::InvalidParameter,
        ),
    ];
    for (call, answer, code, kind) in cases {
        let (error, arrivals) = fail(call, answer).await;
        assert_eq!(arrivals, 1, "{call:?}");
        assert!(!error.is_outcome_unknown(), "{call:?}: {error:?}");
        assert_eq!(error.code(), Some(code), "{call:?}");
        assert_eq!(error.refusal(), Some(kind), "{call:?}: {error:?}");
        let message = error
            .message()
            .unwrap_or_else(|| panic!("{call:?}: no message"));
        let shown = error.to_string();
        assert!(
            shown.starts_with("portone refused the request")
                && shown.contains(message)
                && shown.contains(&code.to_string()),
            "{call:?}: {shown}"
        );
    }
}

#[tokio::test]
async fn a_4xx_html_page_on_a_money_call_is_known() {
    // A proxy's 4xx answers before anything reaches PortOne.
    for call in [Call::Refund, Call::Charge] {
        let answer = ResponseTemplate::new(413).set_body_raw("<html>too large</html>", "text/html");
        let (error, arrivals) = fail(call, answer).await;
        assert_eq!(arrivals, 1, "{call:?}");
        assert!(
            matches!(error, portone::Error::UnexpectedResponse { .. }),
            "{error:?}"
        );
        assert!(!error.is_outcome_unknown(), "{call:?}: {error:?}");
    }
}
