//! The fault matrix: every fault `portone-mock` can inject, against the three kinds of
//! call that matter (a lookup GET, a cancel POST and a billing-key `again` POST), through
//! the ready-made API.
//!
//! For each pair the row states what the caller gets, how many times the route reached the
//! server, how many getToken requests the call made, and whether the money moved. The rule
//! it proves: a money-moving POST reaches the server at most once unless the server refused
//! it (a 401, after which the client refreshes its token and sends it once more); a GET is
//! retried within its bound (2 retries, so at most 3 arrivals). Every call runs in its own
//! task so a panic in the client is reported as such, and after every fault the same
//! client must work again once the fault is gone.

use std::time::Duration;

use Outcome::{Auth, AuthTimeout, Decode, Success, Timeout, Transport, Unauthorized, Unexpected};
use portone::model::{AgainPayment, CancelPayment, FindAllPayments, IssueBillingKey};
use portone::prelude::*;
use portone::{RetryPolicy, StatusCode};
use portone_mock::{Checkout, Fault, Method, MockServer, cards};
use rust_decimal::Decimal;

/// The client's per-attempt timeout: short, so the timeout rows stay fast, yet 400 ms past
/// the delayed 504, so that a loaded machine does not turn that answer into a timeout.
const TIMEOUT: Duration = Duration::from_millis(500);
/// An injected delay well past [`TIMEOUT`] (by a second, for the same reason).
const SLOW: Duration = Duration::from_millis(1500);
/// The amount every cancel row refunds, out of a payment of 1000.
const REFUND: i64 = 100;
const GET_TOKEN: &str = "/users/getToken";

/// The kinds of call under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Call {
    /// `client.payment(imp_uid)`: `GET /payments/{imp_uid}`, idempotent.
    Lookup,
    /// `client.cancel_payment(..)`: `POST /payments/cancel`, moves money.
    Cancel,
    /// `client.pay_again(..)`: `POST /subscribe/payments/again`, moves money.
    Again,
}

impl Call {
    const ALL: [Call; 3] = [Call::Lookup, Call::Cancel, Call::Again];

    /// The route as a fault pattern.
    fn route(self) -> (Method, &'static str) {
        match self {
            Call::Lookup => (Method::GET, "/payments/{imp_uid}"),
            Call::Cancel => (Method::POST, "/payments/cancel"),
            Call::Again => (Method::POST, "/subscribe/payments/again"),
        }
    }
}

/// What the caller got, sorted by the accessors a caller would use.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// The call succeeded.
    Success,
    /// `Error::Transport`, not a timeout (reset, closed, cut body).
    Transport,
    /// `Error::Timeout` (`is_timeout()`): the whole answer did not arrive in time.
    Timeout,
    /// `Error::UnexpectedResponse` with this status (a proxy's HTML page).
    Unexpected(u16),
    /// `Error::Decode`.
    Decode,
    /// `Error::Api` with `is_unauthorized()`, after the client's own refresh.
    Unauthorized,
    /// `Error::Auth` (`is_auth()`) whose source answered this status.
    Auth(u16),
    /// `Error::Auth` with `is_timeout()`.
    AuthTimeout,
    /// Anything else: always a failure of the row.
    Other(String),
}

fn classify(result: &Result<()>) -> Outcome {
    let Err(error) = result else {
        return Outcome::Success;
    };
    match error {
        Error::Timeout { .. } if error.is_timeout() => Outcome::Timeout,
        Error::Transport { .. } if !error.is_timeout() => Outcome::Transport,
        Error::UnexpectedResponse { status, .. } => Outcome::Unexpected(status.as_u16()),
        Error::Decode { .. } => Outcome::Decode,
        Error::Api(_) if error.is_unauthorized() && !error.is_auth() => Outcome::Unauthorized,
        Error::Auth(_) if error.is_timeout() => Outcome::AuthTimeout,
        Error::Auth(_) => match error.status() {
            Some(status) => Outcome::Auth(status.as_u16()),
            None => Outcome::Other(format!("{error:?}")),
        },
        other => Outcome::Other(format!("{other:?}")),
    }
}

/// What one kind of call must see under a fault.
#[derive(Clone, Debug)]
struct Expect {
    outcome: Outcome,
    /// Requests of the call's route the server received.
    arrivals: usize,
    /// Whether the money moved (cancel and again only). `None`: not asserted, because the
    /// client cannot know (it still must not have moved twice).
    moved: Option<bool>,
    /// What `is_outcome_unknown()` must say.
    unknown: bool,
}

/// The money moved (the server processed the POST).
const MOVED: Option<bool> = Some(true);
/// The money did not move.
const KEPT: Option<bool> = Some(false);
/// For a lookup: nothing to move.
const ANY: Option<bool> = None;

/// `is_outcome_unknown()`: the caller must look the payment up before deciding.
const UNKNOWN: bool = true;
/// `!is_outcome_unknown()`: PortOne refused it, never got it, or it is a lookup.
const KNOWN: bool = false;

const fn e(outcome: Outcome, arrivals: usize, moved: Option<bool>, unknown: bool) -> Expect {
    Expect {
        outcome,
        arrivals,
        moved,
        unknown,
    }
}

/// One row of the matrix.
struct Row {
    fault: fn() -> Fault,
    /// The fault hits `POST /users/getToken` (with a client whose cache is empty) instead of
    /// the call's own route.
    on_get_token: bool,
    /// `Some(n)`: only the first `n` matching requests are faulted.
    times: Option<usize>,
    lookup: Expect,
    cancel: Expect,
    again: Expect,
    /// getToken requests the call made.
    get_tokens: usize,
}

impl Row {
    fn expect(&self, call: Call) -> &Expect {
        match call {
            Call::Lookup => &self.lookup,
            Call::Cancel => &self.cancel,
            Call::Again => &self.again,
        }
    }
}

/// A server with a paid payment and a billing key, and a client whose token is cached.
struct World {
    server: MockServer,
    client: Client,
    imp_uid: String,
    customer_uid: String,
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .timeout(TIMEOUT)
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn world() -> World {
    let server = MockServer::builder().live_quirks(true).start().await;
    let imp_uid = server.checkout(Checkout::paid("order-fault", 1000));
    let client = client_for(&server);
    let customer_uid = "customer-fault".to_owned();
    client
        .issue_billing_key(
            &customer_uid,
            &IssueBillingKey::new("channel-key-mock-nice-v2", cards::APPROVED, "2030-12"),
        )
        .await
        .unwrap_or_else(|e| panic!("billing key: {e}"));
    server.reset_log();
    World {
        server,
        client,
        imp_uid,
        customer_uid,
    }
}

/// Sends the call in its own task, so a panic in the client shows as one.
async fn send(call: Call, client: &Client, world: &World) -> Result<()> {
    let client = client.clone();
    let imp_uid = world.imp_uid.clone();
    let customer_uid = world.customer_uid.clone();
    let task = tokio::spawn(async move {
        match call {
            Call::Lookup => client.payment(&imp_uid).await.map(drop),
            Call::Cancel => {
                let cancel = CancelPayment::partial_by_imp_uid(&imp_uid, Decimal::from(REFUND))
                    .unwrap_or_else(|e| panic!("{e}"))
                    .checksum(Decimal::from(1000));
                client.cancel_payment(&cancel).await.map(drop)
            }
            Call::Again => {
                let again = AgainPayment::new(&customer_uid, "again-fault", 2000, "Monthly plan");
                client.pay_again(&again).await.map(drop)
            }
        }
    });
    task.await
        .unwrap_or_else(|e| panic!("the client panicked: {e}"))
}

/// Whether the money moved, seen through the client once the faults are gone; also checks
/// it never moved twice.
async fn money_moved(call: Call, world: &World) -> Option<bool> {
    match call {
        Call::Lookup => None,
        Call::Cancel => {
            let payment = world
                .client
                .payment(&world.imp_uid)
                .await
                .unwrap_or_else(|e| panic!("re-query: {e}"));
            assert!(
                payment.cancel_amount == Decimal::ZERO
                    || payment.cancel_amount == Decimal::from(REFUND),
                "refunded {} for one cancel of {REFUND}",
                payment.cancel_amount
            );
            Some(payment.cancel_amount == Decimal::from(REFUND))
        }
        Call::Again => {
            let found = world
                .client
                .find_all_payments("again-fault", &FindAllPayments::new())
                .await;
            let paid = match found {
                Ok(list) => list.list.len(),
                Err(e) if e.is_not_found() => 0,
                Err(e) => panic!("re-query: {e}"),
            };
            assert!(paid <= 1, "{paid} payments for one `again`");
            Some(paid == 1)
        }
    }
}

/// Runs one cell of the matrix; returns what did not match, so that every cell of a row is
/// checked and reported even when one fails.
async fn check_call(row: &Row, call: Call) -> Vec<String> {
    let world = world().await;
    let (method, route) = call.route();
    let client = if row.on_get_token {
        // An empty cache, so the call has to ask for a token first.
        client_for(&world.server)
    } else {
        world.client.clone()
    };
    let mut fault = if row.on_get_token {
        (row.fault)().on(Method::POST, GET_TOKEN)
    } else {
        (row.fault)().on(method.clone(), route)
    };
    if let Some(times) = row.times {
        fault = fault.times(times);
    }
    let name = fault.name();
    world.server.inject(fault);

    let result = send(call, &client, &world).await;

    let want = row.expect(call);
    let path = match call {
        Call::Lookup => format!("/payments/{}", world.imp_uid),
        _ => route.to_owned(),
    };
    let log = world.server.requests();
    let arrivals = log
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count();
    let get_tokens = log.iter().filter(|r| r.path == GET_TOKEN).count();
    let context = format!("{name} (times {:?}) on {call:?}", row.times);
    let mut wrong = Vec::new();
    let outcome = classify(&result);
    if outcome != want.outcome {
        wrong.push(format!(
            "{context}: got {outcome:?}, want {:?} ({result:?})",
            want.outcome
        ));
    }
    let unknown = result.as_ref().err().is_some_and(Error::is_outcome_unknown);
    if unknown != want.unknown {
        wrong.push(format!(
            "{context}: is_outcome_unknown() is {unknown}, want {}",
            want.unknown
        ));
    }
    if arrivals != want.arrivals {
        wrong.push(format!(
            "{context}: {path} arrived {arrivals} times, want {}",
            want.arrivals
        ));
    }
    if get_tokens != row.get_tokens {
        wrong.push(format!(
            "{context}: {get_tokens} getToken requests, want {}",
            row.get_tokens
        ));
    }

    world.server.clear_faults();
    if let (Some(moved), Some(want)) = (money_moved(call, &world).await, want.moved)
        && moved != want
    {
        wrong.push(format!("{context}: money moved {moved}, want {want}"));
    }
    // Nothing is poisoned: the same client works once the fault is gone.
    if let Err(e) = client.payment(&world.imp_uid).await {
        wrong.push(format!("{context}: the client still fails afterwards: {e}"));
    }
    wrong
}

async fn check(row: Row) {
    // The three calls are independent worlds; running them together keeps the slow rows short.
    let wrong: Vec<String> =
        futures_util::future::join_all(Call::ALL.map(|call| check_call(&row, call)))
            .await
            .concat();
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// Where a fault is injected.
const ROUTE: bool = false;
const GET_TOKEN_ROUTE: bool = true;
/// Every matching request is faulted.
const ALWAYS: Option<usize> = None;
const ONCE: Option<usize> = Some(1);

/// One test per row: `name: fault, how often, where, getToken requests => [lookup, cancel,
/// again]`, each cell `e(outcome, arrivals of the route, whether the money moved)`.
macro_rules! matrix {
    ($($name:ident: $fault:expr, $times:expr, $on_get_token:expr, $tokens:literal
        => [$lookup:expr, $cancel:expr, $again:expr];)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            check(Row {
                fault: $fault,
                on_get_token: $on_get_token,
                times: $times,
                lookup: $lookup,
                cancel: $cancel,
                again: $again,
                get_tokens: $tokens,
            })
            .await;
        }
    )*};
}

fn slow_504() -> Fault {
    Fault::gateway_timeout().after(Duration::from_millis(100))
}

fn slow() -> Fault {
    Fault::delay(SLOW)
}

fn slow_after_processing() -> Fault {
    Fault::delay_after_processing(SLOW)
}

matrix! {
    // RST before any answer, request not processed. A GET is retried to its bound.
    reset_before_the_answer: Fault::reset_connection, ALWAYS, ROUTE, 0
        => [e(Transport, 3, ANY, KNOWN), e(Transport, 1, KEPT, UNKNOWN), e(Transport, 1, KEPT, UNKNOWN)];
    reset_before_the_answer_once: Fault::reset_connection, ONCE, ROUTE, 0
        => [e(Success, 2, ANY, KNOWN), e(Transport, 1, KEPT, UNKNOWN), e(Transport, 1, KEPT, UNKNOWN)];
    // RST after the server processed it: the money moved and the client cannot know.
    reset_before_the_answer_after_processing: Fault::drop_response, ALWAYS, ROUTE, 0
        => [e(Transport, 3, ANY, KNOWN), e(Transport, 1, MOVED, UNKNOWN), e(Transport, 1, MOVED, UNKNOWN)];
    // FIN instead of an answer.
    connection_closed_before_the_answer: Fault::close_connection, ALWAYS, ROUTE, 0
        => [e(Transport, 3, ANY, KNOWN), e(Transport, 1, KEPT, UNKNOWN), e(Transport, 1, KEPT, UNKNOWN)];
    // A body cut by a reset: an idempotent GET is retried (reqwest reports it as a decode
    // error; see RELIABILITY.md, findings), a POST that may have moved money is not.
    reset_in_the_middle_of_the_body: Fault::reset_mid_body, ALWAYS, ROUTE, 0
        => [e(Transport, 3, ANY, KNOWN), e(Transport, 1, MOVED, UNKNOWN), e(Transport, 1, MOVED, UNKNOWN)];
    reset_in_the_middle_of_the_body_once: Fault::reset_mid_body, ONCE, ROUTE, 0
        => [e(Success, 2, ANY, KNOWN), e(Transport, 1, MOVED, UNKNOWN), e(Transport, 1, MOVED, UNKNOWN)];
    html_502: Fault::html_502, ALWAYS, ROUTE, 0
        => [e(Unexpected(502), 3, ANY, KNOWN), e(Unexpected(502), 1, KEPT, UNKNOWN), e(Unexpected(502), 1, KEPT, UNKNOWN)];
    html_502_once: Fault::html_502, ONCE, ROUTE, 0
        => [e(Success, 2, ANY, KNOWN), e(Unexpected(502), 1, KEPT, UNKNOWN), e(Unexpected(502), 1, KEPT, UNKNOWN)];
    html_503: Fault::service_unavailable, ALWAYS, ROUTE, 0
        => [e(Unexpected(503), 3, ANY, KNOWN), e(Unexpected(503), 1, KEPT, UNKNOWN), e(Unexpected(503), 1, KEPT, UNKNOWN)];
    html_504_after_a_delay: slow_504, ALWAYS, ROUTE, 0
        => [e(Unexpected(504), 3, ANY, KNOWN), e(Unexpected(504), 1, KEPT, UNKNOWN), e(Unexpected(504), 1, KEPT, UNKNOWN)];
    html_504_after_a_delay_once: slow_504, ONCE, ROUTE, 0
        => [e(Success, 2, ANY, KNOWN), e(Unexpected(504), 1, KEPT, UNKNOWN), e(Unexpected(504), 1, KEPT, UNKNOWN)];
    // The server waits before processing, past the client's timeout: the client hangs up
    // first and the request is never processed. The client cannot tell this from the next
    // row, so the outcome is unknown all the same.
    client_timeout_shorter_than_the_answer: slow, ALWAYS, ROUTE, 0
        => [e(Timeout, 3, ANY, KNOWN), e(Timeout, 1, KEPT, UNKNOWN), e(Timeout, 1, KEPT, UNKNOWN)];
    // The server processes at once and answers after the client's timeout: the money moved
    // and the caller only learns it by looking the payment up.
    processed_then_answered_after_the_client_timeout: slow_after_processing, ALWAYS, ROUTE, 0
        => [e(Timeout, 3, ANY, KNOWN), e(Timeout, 1, MOVED, UNKNOWN), e(Timeout, 1, MOVED, UNKNOWN)];
    // 200 with half the JSON, after processing. Decoding errors are not retried.
    truncated_json: Fault::malformed_json, ALWAYS, ROUTE, 0
        => [e(Decode, 1, ANY, KNOWN), e(Decode, 1, MOVED, UNKNOWN), e(Decode, 1, MOVED, UNKNOWN)];
    // The real body under `text/html`: the envelope decides, not the header.
    wrong_content_type: Fault::wrong_content_type, ALWAYS, ROUTE, 0
        => [e(Success, 1, ANY, KNOWN), e(Success, 1, MOVED, KNOWN), e(Success, 1, MOVED, KNOWN)];
    // The token expired in flight: refreshed, and the refused call sent once more.
    unauthorized_once: Fault::unauthorized, ONCE, ROUTE, 1
        => [e(Success, 2, ANY, KNOWN), e(Success, 2, MOVED, KNOWN), e(Success, 2, MOVED, KNOWN)];
    unauthorized_always: Fault::unauthorized, ALWAYS, ROUTE, 1
        => [e(Unauthorized, 2, ANY, KNOWN), e(Unauthorized, 2, KEPT, KNOWN), e(Unauthorized, 2, KEPT, KNOWN)];
    // PortOne's own 500 on getToken is not retried; the call never leaves.
    get_token_answering_500: Fault::internal_error, ALWAYS, GET_TOKEN_ROUTE, 1
        => [e(Auth(500), 0, ANY, KNOWN), e(Auth(500), 0, KEPT, KNOWN), e(Auth(500), 0, KEPT, KNOWN)];
    // getToken returns the same token while one is valid, so it is retried like a GET.
    get_token_answering_an_html_502: Fault::html_502, ALWAYS, GET_TOKEN_ROUTE, 3
        => [e(Auth(502), 0, ANY, KNOWN), e(Auth(502), 0, KEPT, KNOWN), e(Auth(502), 0, KEPT, KNOWN)];
    get_token_slower_than_the_client_timeout: slow, ALWAYS, GET_TOKEN_ROUTE, 3
        => [e(AuthTimeout, 0, ANY, KNOWN), e(AuthTimeout, 0, KEPT, KNOWN), e(AuthTimeout, 0, KEPT, KNOWN)];
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_again_is_declined_known_and_sent_once() {
    // Not a fault but the other way a charge fails: the card company refuses, and PortOne
    // answers HTTP 200, `code` 0, with a failed payment. The caller gets an error, the
    // money did not move, and it is never re-sent.
    let world = world().await;
    let broke = "customer-broke";
    world
        .client
        .issue_billing_key(
            broke,
            &IssueBillingKey::new(
                "channel-key-mock-nice-v2",
                cards::INSUFFICIENT_FUNDS,
                "2030-12",
            ),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    world.server.reset_log();
    let err = world
        .client
        .pay_again(&AgainPayment::new(broke, "again-broke", 1000, "Plan"))
        .await
        .err();
    let Some(Error::Declined(declined)) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(declined.status, StatusCode::OK);
    assert_eq!(declined.merchant_uid.as_deref(), Some("again-broke"));
    assert_eq!(declined.fail_reason.as_deref(), Some("잔액부족"));
    assert!(err.as_ref().is_some_and(|e| !e.is_outcome_unknown()));
    let sent = world
        .server
        .requests()
        .iter()
        .filter(|r| r.path == "/subscribe/payments/again")
        .count();
    assert_eq!(sent, 1);
    let recorded = world
        .client
        .find_payment("again-broke")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(recorded.status, portone::model::PaymentStatus::Failed);
    assert_eq!(recorded.amount, Decimal::from(1000));
}
