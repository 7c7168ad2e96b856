//! Secrets: what the client writes (traces, `Debug`, `Display`, errors) and where it sends
//! things (redirects), checked with distinctive values.
//!
//! Everything logged in this test binary, at TRACE, by every crate (reqwest through the
//! `log` bridge, hyper-util, the runtime, the mock) goes to one capture. The quickstart-like
//! flow then checks that neither the capture nor any `Debug`/`Display` it collected holds
//! the API secret, a token, a card number, an expiry, a birth date, card password digits or
//! a CVC. The card password and CVC are markers rather than digits, since two or three
//! digits would be found anywhere; the mock does not check them.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use portone::model::{
    CancelPayment, Carrier, ConfirmCertificationOtp, GetToken, IssueBillingKey, OnetimePayment,
    PreparePayment, RequestCertificationOtp, SchedulePayments, ScheduledPayment,
};
use portone::prelude::*;
use portone::{Method, Request, RetryPolicy, TokenHeader};
use portone_mock::{Checkout, Fault, MockServer};
use rust_decimal::Decimal;
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::util::SubscriberInitExt;

const API_KEY: &str = "imp-key-reliability";
const API_SECRET: &str = "Sec-R3liab1lity-6c0ffee5eed";
const WRONG_SECRET: &str = "Wr0ng-S3cret-badcafe42";
// Numbers that pass the Luhn check, which PortOne (and the mock) make before any PG.
const CARD: &str = "4817-3302-9964-1171";
const CARD_ONETIME: &str = "3569-4410-2283-7713";
const CARD_SCHEDULE: &str = "5412-8876-0031-4422";
/// Ends in 0002: the mock's PG declines it.
const CARD_DECLINED: &str = "4539-6612-8804-0002";
const EXPIRY: &str = "2037-09";
const BIRTH: &str = "880517";
const PWD_2DIGIT: &str = "PWD2-qx";
const CVC: &str = "CVC-zq7";
const CERT_BIRTH: &str = "930228";

/// Every value that must never be written anywhere but the request body.
fn fixed_secrets() -> Vec<String> {
    let mut secrets: Vec<String> = [
        API_SECRET,
        WRONG_SECRET,
        CARD,
        CARD_ONETIME,
        CARD_SCHEDULE,
        CARD_DECLINED,
        EXPIRY,
        BIRTH,
        PWD_2DIGIT,
        CVC,
        CERT_BIRTH,
    ]
    .map(str::to_owned)
    .to_vec();
    for card in [CARD, CARD_ONETIME, CARD_SCHEDULE, CARD_DECLINED] {
        secrets.push(card.replace('-', ""));
    }
    secrets
}

/// A `MakeWriter` that keeps everything written to it.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// The process-wide TRACE capture, installed once with the `log` bridge so that reqwest's
/// own logs are caught too. No timestamps: their digits could match a secret by chance.
fn capture() -> &'static Captured {
    static CAPTURE: OnceLock<Captured> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let captured = Captured::default();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::FULL)
            .with_writer(captured.clone())
            .with_ansi(false)
            .without_time()
            .finish()
            .try_init()
            .unwrap_or_else(|e| panic!("a subscriber was installed already: {e}"));
        captured
    })
}

/// Display, Debug (plain and pretty) and every source of an error.
fn describe(error: &Error) -> String {
    let mut text = format!("{error}\n{error:?}\n{error:#?}\n");
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        text.push_str(&format!("{e}\n{e:?}\n"));
        source = e.source();
    }
    text
}

/// `unwrap` that shows the whole error chain.
trait OrFail<T> {
    fn or_fail(self, what: &str) -> T;
}

impl<T> OrFail<T> for Result<T> {
    #[track_caller]
    fn or_fail(self, what: &str) -> T {
        self.unwrap_or_else(|e| panic!("{what}: {}", describe(&e)))
    }
}

fn assert_clean(what: &str, text: &str, secrets: &[String]) {
    for secret in secrets {
        assert!(
            !text.contains(secret.as_str()),
            "{what} contains the secret `{secret}`"
        );
    }
}

fn client_for(server: &MockServer, secret: &str) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .api_secret(secret)
        .base_url(server.base_url())
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quickstart_flow_writes_no_secret_anywhere() {
    let capture = capture();
    let server = MockServer::builder()
        .live_quirks(true)
        .credentials(API_KEY, API_SECRET)
        .start()
        .await;
    let mut seen: Vec<String> = Vec::new();
    let builder = Client::builder()
        .api_key(API_KEY)
        .api_secret(API_SECRET)
        .base_url(server.base_url());
    seen.push(format!("{builder:?}"));
    let client = builder.build().unwrap_or_else(|e| panic!("{e}"));

    // Token, explicitly too.
    let get_token = GetToken::new(API_KEY, API_SECRET);
    seen.push(format!("{get_token:?}"));
    let token = client.get_token(&get_token).await.or_fail("getToken");
    seen.push(format!("{token:?} {token:#?}"));

    // Prepare, checkout, lookup, partial cancel.
    let prepare = PreparePayment::new("order-secrets-1", 5000);
    seen.push(format!("{prepare:?}"));
    let prepared = client.prepare_payment(&prepare).await.or_fail("prepare");
    seen.push(format!("{prepared:?}"));
    let imp_uid = server.checkout(Checkout::paid("order-secrets-1", 5000));
    let payment = client.payment(&imp_uid).await.or_fail("lookup");
    seen.push(format!("{payment:?}"));
    let cancel = CancelPayment::partial_by_imp_uid(&imp_uid, Decimal::from(1500))
        .unwrap_or_else(|e| panic!("{e}"))
        .checksum(Decimal::from(5000))
        .reason("secrets test");
    seen.push(format!("{cancel:?}"));
    let cancelled = client.cancel_payment(&cancel).await.or_fail("cancel");
    seen.push(format!("{cancelled:?}"));

    // A billing key from card data, then a payment with it.
    let issue = IssueBillingKey::new("channel-key-mock-nice-v2", CARD, EXPIRY)
        .birth(BIRTH)
        .pwd_2digit(PWD_2DIGIT)
        .cvc(CVC);
    seen.push(format!("{issue:?} {issue:#?}"));
    let key = client
        .issue_billing_key("customer-secrets", &issue)
        .await
        .or_fail("billing key");
    seen.push(format!("{key:?}"));
    let again = portone::model::AgainPayment::new("customer-secrets", "order-again", 2500, "Plan");
    seen.push(format!("{again:?}"));
    let paid = client.pay_again(&again).await.or_fail("again");
    seen.push(format!("{paid:?}"));

    // A one-time payment and a schedule with card data.
    let onetime = OnetimePayment::new("order-onetime", 7000, CARD_ONETIME, EXPIRY)
        .birth(BIRTH)
        .pwd_2digit(PWD_2DIGIT)
        .cvc(CVC)
        .customer_uid("customer-onetime");
    seen.push(format!("{onetime:?} {onetime:#?}"));
    let paid = client.pay_onetime(&onetime).await.or_fail("onetime");
    seen.push(format!("{paid:?}"));
    let schedule = SchedulePayments::new(
        "customer-schedule",
        [ScheduledPayment::new(
            "order-scheduled",
            server.now() + 3600,
            3000,
            "Plan",
        )],
    )
    .card_number(CARD_SCHEDULE)
    .expiry(EXPIRY)
    .birth(BIRTH)
    .pwd_2digit(PWD_2DIGIT)
    .cvc(CVC);
    seen.push(format!("{schedule:?} {schedule:#?}"));
    let schedules = client
        .schedule_payments(&schedule)
        .await
        .or_fail("schedule");
    seen.push(format!("{schedules:?}"));

    // An identity verification, confirmed and looked up.
    let otp = RequestCertificationOtp::new(
        "홍길동",
        "010-2345-6789",
        CERT_BIRTH,
        "1",
        Carrier::Skt,
        "channel-key-mock-danal",
    );
    seen.push(format!("{otp:?}"));
    let started = client.request_otp(&otp).await.or_fail("otp request");
    let confirm = ConfirmCertificationOtp::new(MockServer::CERTIFICATION_OTP);
    seen.push(format!("{confirm:?}"));
    let confirmed = client
        .confirm_otp(&started.imp_uid, &confirm)
        .await
        .or_fail("otp confirm");
    seen.push(format!("{confirmed:?}"));
    let certification = client
        .certification(&started.imp_uid)
        .await
        .or_fail("certification");
    seen.push(format!("{certification:?}"));

    // The request as the runtime holds it.
    let request = Request::builder(Method::POST, "/subscribe/payments/onetime")
        .path("/subscribe/payments/onetime")
        .json(&onetime)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    seen.push(format!("{request:?} {request:#?}"));

    // Errors met along the way: a declined card, a 401, a decode error, a reset, a proxy
    // page, a refused secret.
    let mut errors = Vec::new();
    let declined = OnetimePayment::new("order-declined", 1000, CARD_DECLINED, EXPIRY)
        .birth(BIRTH)
        .pwd_2digit(PWD_2DIGIT)
        .cvc(CVC);
    errors.push(client.pay_onetime(&declined).await.err());
    server.inject(Fault::unauthorized().on(Method::GET, "/payments/{imp_uid}"));
    errors.push(client.payment(&imp_uid).await.map(drop).err());
    server.clear_faults();
    let retry = OnetimePayment::new("order-cut", 1000, CARD_ONETIME, EXPIRY)
        .birth(BIRTH)
        .cvc(CVC);
    server.inject(Fault::malformed_json().on(Method::POST, "/subscribe/payments/onetime"));
    errors.push(client.pay_onetime(&retry).await.map(drop).err());
    server.clear_faults();
    server
        .inject(Fault::reset_connection().on(Method::POST, "/subscribe/customers/{customer_uid}"));
    errors.push(
        client
            .issue_billing_key("customer-reset", &issue)
            .await
            .map(drop)
            .err(),
    );
    server.clear_faults();
    server.inject(Fault::html_502().on(Method::POST, "/subscribe/payments/schedule"));
    errors.push(client.schedule_payments(&schedule).await.map(drop).err());
    server.clear_faults();
    let wrong = client_for(&server, WRONG_SECRET);
    seen.push(format!("{wrong:?}"));
    errors.push(wrong.pay_onetime(&onetime).await.map(drop).err());
    let kinds: Vec<String> = errors
        .iter()
        .map(|e| match e {
            Some(Error::Api(api)) => format!("api {}", api.code),
            Some(Error::Decode { .. }) => "decode".to_owned(),
            Some(Error::Transport { .. }) => "transport".to_owned(),
            Some(Error::UnexpectedResponse { status, .. }) => format!("unexpected {status}"),
            Some(Error::Auth(_)) => "auth".to_owned(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "api -1",
            "api -1",
            "decode",
            "transport",
            "unexpected 502 Bad Gateway",
            "auth"
        ]
    );
    seen.extend(errors.iter().flatten().map(describe));
    seen.push(format!("{client:?} {client:#?}"));

    // The secrets really went out, in the bodies PortOne needs them in.
    let log = server.requests();
    let bodies: String = log.iter().map(|r| r.body_text()).collect();
    for needed in [
        API_SECRET,
        CARD,
        CARD_ONETIME,
        CARD_SCHEDULE,
        EXPIRY,
        BIRTH,
        PWD_2DIGIT,
        CVC,
        CERT_BIRTH,
    ] {
        assert!(bodies.contains(needed), "`{needed}` was never sent");
    }
    // Every token the server handed out, from its own log of what it was sent.
    let mut secrets = fixed_secrets();
    secrets.push(token.access_token.expose().clone());
    for request in &log {
        if let Some(value) = request.header("authorization") {
            secrets.push(value.trim_start_matches("Bearer ").to_owned());
        }
    }
    secrets.sort_unstable();
    secrets.dedup();
    assert!(secrets.len() > fixed_secrets().len(), "no token collected");

    let traces = capture.text();
    // The capture is live for every layer: the runtime's spans, reqwest (through `log`) and
    // hyper-util.
    for layer in ["portone.request", "reqwest::", "hyper_util::"] {
        assert!(
            traces.contains(layer),
            "nothing from `{layer}` was captured"
        );
    }
    assert_clean("the TRACE capture", &traces, &secrets);
    for text in &seen {
        assert_clean(text, text, &secrets);
    }
}

/// A wiremock server that hands out `token` and answers these routes with a redirect to
/// `target`.
async fn redirector(token: &str, target: &str) -> wiremock::MockServer {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    let server = wiremock::MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "code": 0, "message": null,
            "response": {"access_token": token, "now": 1_700_000_000, "expired_at": 1_700_001_800}
        })))
        .mount(&server)
        .await;
    for (verb, route, status) in [
        ("POST", "/payments/cancel", 302),
        ("POST", "/subscribe/payments/onetime", 307),
        ("GET", "/payments/imp_redirected", 307),
    ] {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(
                ResponseTemplate::new(status).insert_header("location", format!("{target}{route}")),
            )
            .mount(&server)
            .await;
    }
    server
}

/// Sends a cancel (302), a one-time payment with card data (307) and a lookup (307);
/// returns what each call got.
async fn redirected_calls(client: &Client) -> Vec<Option<u16>> {
    let cancel = CancelPayment::full_by_imp_uid("imp_redirected");
    let onetime = OnetimePayment::new("order-redirected", 1000, CARD, EXPIRY)
        .birth(BIRTH)
        .cvc(CVC);
    let results = [
        client.cancel_payment(&cancel).await.map(drop),
        client.pay_onetime(&onetime).await.map(drop),
        client.payment("imp_redirected").await.map(drop),
    ];
    results
        .iter()
        .map(|r| match r {
            Err(Error::UnexpectedResponse { status, .. }) => Some(status.as_u16()),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_origin_redirects_deliver_neither_token_nor_body() {
    let _ = capture();
    // The other origin is a real PortOne mock: it would act on whatever reached it.
    let elsewhere = MockServer::builder().live_quirks(true).start().await;
    let token = "tok-redirect-5e1f09a7c3";
    let origin = redirector(token, &elsewhere.base_url()).await;
    for form in [
        TokenHeader::Bearer,
        TokenHeader::Raw,
        TokenHeader::XImpTokenHeader,
    ] {
        let client = Client::builder()
            .api_key(API_KEY)
            .api_secret(API_SECRET)
            .base_url(origin.uri())
            .token_header(form)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            redirected_calls(&client).await,
            [Some(302), Some(307), Some(307)],
            "{form:?}"
        );
    }
    assert!(
        elsewhere.requests().is_empty(),
        "the other origin got {:?}",
        elsewhere.requests()
    );
    // Each redirected call was sent once (a redirect is an answer, not a failure to retry).
    let sent = origin.received_requests().await.unwrap_or_default();
    let calls = sent
        .iter()
        .filter(|r| r.url.path() != "/users/getToken")
        .count();
    assert_eq!(calls, 3 * 3);
}

/// RUNTIME FINDING (see RELIABILITY.md): `ClientBuilder::http_client` takes a ready
/// `reqwest::Client`, whose redirect policy the runtime cannot change. reqwest's default
/// follows redirects: on a 307 it re-sends the body (card data) to the other origin, and it
/// strips only `Authorization`, so `X-ImpTokenHeader` carries the token there too. The
/// runtime then refuses the answer, but too late. This test states the requirement and
/// fails until the runtime forces `redirect::Policy::none()` (for instance by taking a
/// `reqwest::ClientBuilder` instead).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handed_in_http_client_builder_that_follows_redirects_delivers_neither_token_nor_body() {
    let _ = capture();
    let elsewhere = MockServer::builder().live_quirks(true).start().await;
    let token = "tok-handed-in-8d2b6e41f0";
    let origin = redirector(token, &elsewhere.base_url()).await;
    let client = Client::builder()
        .api_key(API_KEY)
        .api_secret(API_SECRET)
        .base_url(origin.uri())
        .token_header(TokenHeader::XImpTokenHeader)
        // The builder's default policy follows redirects; the client turns that off.
        .http_client_builder(reqwest::Client::builder())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let outcomes = redirected_calls(&client).await;
    assert!(outcomes.iter().all(Option::is_some), "{outcomes:?}");
    let reached: Vec<String> = elsewhere
        .requests()
        .iter()
        .filter(|r| r.header("x-imptokenheader") == Some(token) || r.body_text().contains(CVC))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        reached.is_empty(),
        "the token or card data reached the other origin with: {reached:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_caller_that_leads_a_token_refresh_leaves_the_others_working() {
    let _ = capture();
    let server = MockServer::builder().live_quirks(true).start().await;
    let imp_uid = server.checkout(Checkout::paid("order-drop", 1000));
    server.reset_log();
    // The first getToken hangs long enough to be abandoned; the next one is prompt.
    server.inject(
        Fault::delay(Duration::from_secs(5))
            .on(Method::POST, "/users/getToken")
            .times(1),
    );
    let client = Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let lookup = |client: &Client| {
        let future = client.payment(&imp_uid);
        tokio::spawn(future)
    };

    let leader = lookup(&client);
    while server.get_token_calls() == 0 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    // These queue behind the leader's refresh: a call's first poll returns `Pending` only
    // once it waits for the refresh (the leader holds it until its getToken answers)...
    let waiting = Arc::new(AtomicUsize::new(0));
    let queued: Vec<_> = (0..16)
        .map(|_| {
            let call = client.payment(&imp_uid);
            tokio::spawn(CountFirstPending {
                inner: Box::pin(call),
                counted: false,
                count: Arc::clone(&waiting),
            })
        })
        .collect();
    while waiting.load(Ordering::Acquire) < 16 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    // ...which is dropped mid-fetch.
    leader.abort();
    let aborted = leader.await;
    assert!(
        aborted
            .as_ref()
            .is_err_and(tokio::task::JoinError::is_cancelled),
        "{aborted:?}"
    );
    // And these come after.
    let later: Vec<_> = (0..16).map(|_| lookup(&client)).collect();

    let all = futures_util::future::join_all(queued.into_iter().chain(later));
    let Ok(results) = tokio::time::timeout(Duration::from_secs(4), all).await else {
        panic!("callers hang after the refresh leader was dropped")
    };
    for result in results {
        let payment = result
            .unwrap_or_else(|e| panic!("task: {e}"))
            .unwrap_or_else(|e| panic!("{}", describe(&e)));
        assert_eq!(payment.imp_uid, imp_uid);
    }
    // The abandoned request and one more by the next caller in line, shared by all.
    assert_eq!(server.get_token_calls(), 2);
}

/// Counts, once, that the future it wraps returned `Pending`: that it got as far as waiting.
struct CountFirstPending<F> {
    inner: Pin<Box<F>>,
    counted: bool,
    count: Arc<AtomicUsize>,
}

impl<F: Future> Future for CountFirstPending<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let poll = self.inner.as_mut().poll(cx);
        if poll.is_pending() && !self.counted {
            self.counted = true;
            self.count.fetch_add(1, Ordering::Release);
        }
        poll
    }
}
