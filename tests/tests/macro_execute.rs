//! Methods declared with `#[portone::api]` on a user's own `Execute` type (a test double that
//! records each `Request` instead of sending it), the `ENDPOINTS` data, and `crate = "..."`
//! with a renamed dependency.

use std::future::{Future, ready};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use portone::{Endpoint, Execute, Location, Money, Param, RawResponse, Request, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize, PartialEq)]
struct Payment {
    imp_uid: String,
}

#[portone::api]
trait Api {
    /// Doc comments are kept.
    #[get("/payments/find/<merchant_uid>/<status?>", timeout_ms = 1500)]
    async fn find(
        &self,
        merchant_uid: &str,
        status: Option<&str>,
        #[query] sorting: Option<&str>,
    ) -> portone::Result<Payment>;

    #[post("/payments/cancel")]
    async fn cancel(
        &self,
        #[body] body: &Value,
        #[header("X-Request-Id")] request_id: &str,
    ) -> portone::Result<Payment>;

    #[post("/payments/prepare/check", idempotent, undocumented)]
    async fn check(&self, #[query] merchant_uid: &str) -> portone::Result<()>;

    #[put("/a/<type>", undocumented)]
    async fn put(&self, r#type: u8) -> portone::Result<()>;

    #[patch("/a", undocumented)]
    async fn patch(&self) -> portone::Result<()>;

    #[delete("/a", undocumented)]
    async fn delete(&self) -> portone::Result<()>;

    #[post("/subscribe/payments/again", charge)]
    async fn again(&self, #[body] body: &Value) -> portone::Result<Payment>;

    #[cfg(any())]
    #[get("/never", undocumented)]
    async fn never(&self) -> portone::Result<()>;
}

/// Records what it is asked to send and answers with a fixed body.
#[derive(Debug, Clone)]
struct Recorder {
    sent: Arc<Mutex<Vec<Request>>>,
    answer: &'static str,
}

impl Recorder {
    fn answering(answer: &'static str) -> Self {
        Self {
            sent: Arc::default(),
            answer,
        }
    }

    fn sent(&self) -> Vec<Request> {
        self.sent.lock().expect("not poisoned").clone()
    }
}

impl Execute for Recorder {
    fn execute(
        &self,
        request: Request,
    ) -> impl Future<Output = portone::Result<RawResponse>> + Send + 'static + use<> {
        self.sent.lock().expect("not poisoned").push(request);
        ready(Ok(RawResponse {
            status: StatusCode::OK,
            body: self.answer.into(),
        }))
    }
}

const PAYMENT: &str = r#"{"code":0,"message":null,"response":{"imp_uid":"imp_1"}}"#;
const NULL: &str = r#"{"code":0,"message":null,"response":null}"#;

#[tokio::test]
async fn test_double_receives_the_encoded_request() {
    let recorder = Recorder::answering(PAYMENT);
    let payment = recorder
        .find("order/1", Some("paid"), Some("-paid"))
        .await
        .expect("decoded");
    assert_eq!(payment.imp_uid, "imp_1");

    let sent = recorder.sent();
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(request.method(), portone::Method::GET);
    assert_eq!(request.route(), "/payments/find/<merchant_uid>/<status?>");
    assert_eq!(request.path(), "/payments/find/order%2F1/paid");
    let query = request.query();
    assert_eq!(query, [("sorting".to_owned(), "-paid".to_owned())]);
    assert_eq!(request.timeout(), Some(Duration::from_millis(1500)));
    assert!(request.is_idempotent());
    assert!(request.body().is_none());
}

#[tokio::test]
async fn body_and_header_reach_the_request() {
    let recorder = Recorder::answering(PAYMENT);
    recorder
        .cancel(&json!({"imp_uid": "imp_1", "amount": 100}), "req-9")
        .await
        .expect("decoded");

    let request = &recorder.sent()[0];
    assert_eq!(request.method(), portone::Method::POST);
    assert_eq!(request.path(), "/payments/cancel");
    let body: Value = serde_json::from_slice(request.body().expect("a body")).expect("JSON");
    assert_eq!(body, json!({"imp_uid": "imp_1", "amount": 100}));
    assert_eq!(
        request.headers().get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"req-9"[..])
    );
    assert!(
        !request.is_idempotent(),
        "a POST is not retried unless marked"
    );
    assert_eq!(request.timeout(), None);
}

#[tokio::test]
async fn verbs_and_options_set_the_request_flags() {
    let recorder = Recorder::answering(NULL);
    recorder.check("order-1").await.expect("check");
    recorder.put(3).await.expect("put");
    recorder.patch().await.expect("patch");
    recorder.delete().await.expect("delete");

    let flags: Vec<_> = recorder
        .sent()
        .iter()
        .map(|r| {
            (
                r.method().as_str().to_owned(),
                r.path().to_owned(),
                r.is_idempotent(),
            )
        })
        .collect();
    let expected = [
        ("POST", "/payments/prepare/check", true),
        ("PUT", "/a/3", true),
        ("PATCH", "/a", false),
        ("DELETE", "/a", false),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(m, p, i)| ((*m).to_owned(), (*p).to_owned(), *i))
        .collect();
    assert_eq!(flags, expected);
}

const FAILED: &str = r#"{"code":0,"message":null,"response":{"imp_uid":"imp_2","merchant_uid":"order-2","customer_uid":"cu-1","status":"failed","fail_reason":"잔액부족","amount":1000}}"#;

#[tokio::test]
async fn a_charge_answered_with_a_failed_payment_is_declined_on_any_executor() {
    let recorder = Recorder::answering(FAILED);
    let error = recorder
        .again(&json!({"customer_uid": "cu-1"}))
        .await
        .expect_err("a failed payment is not a value");
    assert!(error.is_declined(), "{error:?}");
    assert!(!error.is_outcome_unknown());
    let declined = error.declined().expect("declined");
    assert_eq!(declined.imp_uid.as_deref(), Some("imp_2"));
    assert_eq!(declined.merchant_uid.as_deref(), Some("order-2"));
    assert_eq!(declined.customer_uid.as_deref(), Some("cu-1"));
    assert_eq!(declined.fail_reason.as_deref(), Some("잔액부족"));
    let payment: Payment = declined.payment().expect("the failed payment decodes");
    assert_eq!(payment.imp_uid, "imp_2");
    assert!(
        error.to_string().contains("declined") && !error.to_string().contains("cu-1"),
        "{error}"
    );
    let sent = recorder.sent();
    assert!(sent[0].is_charge() && !sent[0].is_idempotent());

    // The same answer to a call that is not a charge is a value: the caller asked to read.
    let recorder = Recorder::answering(FAILED);
    let payment = recorder
        .find("order-2", None, None)
        .await
        .expect("a lookup");
    assert_eq!(payment.imp_uid, "imp_2");
    // A paid answer to a charge is the payment.
    let recorder = Recorder::answering(PAID);
    let payment = recorder.again(&json!({})).await.expect("paid");
    assert_eq!(payment.imp_uid, "imp_1");
    // One without a status is no answer to a charge: the outcome is unknown.
    let recorder = Recorder::answering(PAYMENT);
    let error = recorder.again(&json!({})).await.expect_err("not paid");
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_eq!(
        error.unsettled().map(|u| u.payment_status.clone()),
        Some(None)
    );
}

const PAID: &str = r#"{"code":0,"message":null,"response":{"imp_uid":"imp_1","status":"paid"}}"#;

#[tokio::test]
async fn an_undecodable_answer_to_a_call_that_is_not_retried_is_an_unknown_outcome() {
    let odd = r#"{"code":0,"message":null,"response":{"imp_uid":7,"merchant_uid":"order-3"}}"#;
    let recorder = Recorder::answering(odd);
    let error = recorder
        .cancel(&json!({}), "r1")
        .await
        .expect_err("imp_uid is not a string");
    assert!(error.is_outcome_unknown(), "{error:?}");
    let record = error.record().expect("ids kept");
    assert_eq!(record.imp_uid.as_deref(), Some("7"));
    assert_eq!(record.merchant_uid.as_deref(), Some("order-3"));
    // The same answer to a lookup is only a decoding error: asking again is safe.
    let recorder = Recorder::answering(odd);
    let error = recorder
        .find("order-3", None, None)
        .await
        .expect_err("decode");
    assert!(
        matches!(error, portone::Error::Decode { .. }) && !error.is_outcome_unknown(),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_value_that_cannot_be_encoded_never_reaches_the_executor() {
    let recorder = Recorder::answering(PAYMENT);
    let error = recorder
        .find("", None, None)
        .await
        .expect_err("empty segment");
    assert!(
        matches!(error, portone::Error::InvalidRequest(_)),
        "{error:?}"
    );
    assert!(recorder.sent().is_empty());
}

#[tokio::test]
async fn server_errors_come_back_as_errors() {
    let recorder = Recorder::answering(
        r#"{"code":-1,"message":"존재하지 않는 결제정보입니다.","response":null}"#,
    );
    let error = recorder.find("o", None, None).await.expect_err("api error");
    assert_eq!(error.code(), Some(-1));
    assert_eq!(error.message(), Some("존재하지 않는 결제정보입니다."));
}

#[test]
fn endpoints_list_every_method_in_order() {
    let endpoints = <Recorder as Api>::ENDPOINTS;
    assert_eq!(<portone::Client as Api>::ENDPOINTS, endpoints);
    assert_eq!(
        endpoints[0],
        Endpoint {
            name: "find",
            method: "GET",
            template: "/payments/find/<merchant_uid>/<status?>",
            params: &[
                Param {
                    name: "merchant_uid",
                    key: "merchant_uid",
                    location: Location::Path,
                },
                Param {
                    name: "status",
                    key: "status",
                    location: Location::OptionalPath,
                },
                Param {
                    name: "sorting",
                    key: "sorting",
                    location: Location::Query,
                },
            ],
            timeout_ms: Some(1500),
            idempotent: true,
            money: Money::Untouched,
        }
    );
    assert_eq!(
        endpoints[1].params,
        [
            Param {
                name: "body",
                key: "",
                location: Location::Body,
            },
            Param {
                name: "request_id",
                key: "X-Request-Id",
                location: Location::Header,
            },
        ]
    );
    let summary: Vec<_> = endpoints
        .iter()
        .map(|e| (e.name, e.method, e.idempotent, e.money, e.timeout_ms))
        .collect();
    assert_eq!(
        summary,
        [
            ("find", "GET", true, Money::Untouched, Some(1500)),
            // The route's own rule, though the declaration says nothing of money.
            ("cancel", "POST", false, Money::Moves, None),
            ("check", "POST", true, Money::Untouched, None),
            ("put", "PUT", true, Money::Untouched, None),
            ("patch", "PATCH", false, Money::Untouched, None),
            ("delete", "DELETE", false, Money::Untouched, None),
            ("again", "POST", false, Money::Charges, None),
        ]
    );
    assert_eq!(endpoints[3].params[0].name, "type");
    assert_eq!(endpoints[3].params[0].key, "type");
}

/// Stands in for `portone` under another path, as a re-export or a renamed dependency
/// would (Cargo refuses one package under two names in a crate, so the test uses a path).
/// Its `call` counts uses, which shows the generated code went through this path.
mod shim {
    pub(crate) mod __private {
        use std::sync::atomic::{AtomicUsize, Ordering};

        pub(crate) use portone::__private::*;

        pub(crate) static CALLS: AtomicUsize = AtomicUsize::new(0);

        pub(crate) fn call<E, T>(
            executor: &E,
            request: Result<Request>,
        ) -> impl Future<Output = Result<T>> + Send + 'static + use<E, T>
        where
            E: Execute + ?Sized,
            T: serde::de::DeserializeOwned + Send + 'static,
        {
            CALLS.fetch_add(1, Ordering::SeqCst);
            portone::__private::call(executor, request)
        }
    }
}

#[portone::api(crate = "crate::shim")]
trait Renamed {
    #[get("/renamed/<id>", undocumented)]
    async fn renamed(&self, id: u32) -> portone::Result<Value>;
}

#[tokio::test]
async fn crate_argument_replaces_the_portone_path() {
    use std::sync::atomic::Ordering;

    let recorder = Recorder::answering(NULL);
    let value = recorder.renamed(42).await.expect("decoded");
    assert_eq!(value, Value::Null);
    assert_eq!(shim::__private::CALLS.load(Ordering::SeqCst), 1);
    assert_eq!(recorder.sent()[0].path(), "/renamed/42");
    assert_eq!(
        <Recorder as Renamed>::ENDPOINTS[0].template,
        "/renamed/<id>"
    );
}

#[tokio::test]
async fn a_prepare_asks_nothing_more_of_an_executor_that_sends_at_once() {
    use portone::model::PreparePayment;
    use portone::prelude::PaymentValidation;

    // This executor sends a call as soon as it is made: the lookup a refused prepare needs
    // must not be made for a prepare that succeeds.
    let prepared = r#"{"code":0,"message":null,"response":{"merchant_uid":"m-1","amount":1000}}"#;
    let recorder = Recorder::answering(prepared);
    let answer = recorder
        .prepare_payment(&PreparePayment::new("m-1", 1000))
        .await
        .expect("prepared");
    assert_eq!(answer.merchant_uid, "m-1");
    let sent: Vec<_> = recorder
        .sent()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    assert_eq!(sent, ["/payments/prepare"]);
}
