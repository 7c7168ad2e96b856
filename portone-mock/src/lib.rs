//! A PortOne V1 test server: in process for Rust tests, or as the `portone-mock` binary
//! for tests in any language (see [Over HTTP](#over-http-the-binary-and-the-admin-api)).
//!
//! [`MockServer`] runs on `127.0.0.1` inside the caller's tokio runtime and answers the
//! PortOne V1 REST API (`api.iamport.kr`) with PortOne's rules: access tokens that live 30
//! minutes and are extended in their final minute, the response envelope, `code` 1 answers
//! with HTTP 200, 207 partial multi-lookups, cancels guarded by `checksum`, billing keys,
//! scheduled payments that run when the mock clock passes their time, agency tiers, and
//! more. It speaks only the wire format, so any client can be tested against it.
//!
//! Tests drive what a browser would do with [`MockServer::checkout`], move time with
//! [`MockServer::advance`], make routes fail with [`MockServer::inject`], look at what
//! the server received with [`MockServer::requests`], and receive its webhooks (see
//! [Webhooks](#webhooks)).
//!
//! ```
//! use portone_mock::{Checkout, MockServer};
//! use serde_json::{Value, json};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = MockServer::start().await;
//! let imp_uid = server.checkout(Checkout::paid("order-1", 1000));
//!
//! let http = reqwest::Client::new();
//! let body = json!({ "imp_key": server.api_key(), "imp_secret": server.api_secret() });
//! let answer = http
//!     .post(format!("{}/users/getToken", server.base_url()))
//!     .header("content-type", "application/json")
//!     .body(body.to_string())
//!     .send()
//!     .await?;
//! let token: Value = serde_json::from_slice(&answer.bytes().await?)?;
//! let token = token["response"]["access_token"].as_str().unwrap_or_default();
//!
//! let answer = http
//!     .get(format!("{}/payments/{imp_uid}", server.base_url()))
//!     .bearer_auth(token)
//!     .send()
//!     .await?;
//! let payment: Value = serde_json::from_slice(&answer.bytes().await?)?;
//! assert_eq!(payment["code"], 0);
//! assert_eq!(payment["response"]["status"], "paid");
//! assert_eq!(payment["response"]["amount"], 1000);
//! assert_eq!(server.get_token_calls(), 1);
//! # Ok(())
//! # }
//! ```
//!
//! # What is served
//!
//! Every operation of PortOne's published V1 spec, plus `GET /vbanks/holder`, which older
//! SDKs still call. Payments, prepares, billing keys, schedules, virtual accounts, cash
//! receipts, certifications, escrow shipping and Naver Pay orders are kept and obey
//! PortOne's rules; the partner integrations (Benepia, KCP Quick, Payco, Paymentwall,
//! partner receipts) answer schema-valid responses. Test card numbers are in [`cards`].
//!
//! Only one account exists: the credentials given to the builder. Every identifier the
//! server hands out is unique within the server.
//!
//! # Channels
//!
//! The account has these PG channels (`GET /users/pg` lists them). A `channel_key` that is
//! not one of them, or not of the kind the route needs, is refused.
//!
//! | `channel_key` | `pg_provider` | `pg_id` | use |
//! |---|---|---|---|
//! | `channel-key-mock-inicis` | `html5_inicis` | `MOIportone` | checkouts, `/vbanks`, `/cvs` (default) |
//! | `channel-key-mock-nice-v2` | `nice_v2` | `iamport01m` | billing keys and card payments (default) |
//! | `channel-key-mock-sandbox` | `html5_inicis` | `INIpayTest` | test channel: payments are `sandbox` |
//! | `channel-key-mock-danal` | `danal` | `A010002002` | certifications (the only one) |
//! | `channel-key-mock-benepia` | `benepia` | `benepia_mock` | `/benepia/*` (the only one) |
//! | `channel-key-mock-kcp-quick` | `kcp_quick` | `IX0XX` | `/kcpquick/*` (the only one) |
//! | `channel-key-mock-naverpay` | `naverpay` | `np_mock` | Naver Pay (`GET /naver/reviews`) |
//!
//! A `pg` parameter (`provider` or `provider.pg_id`) must name a PG PortOne knows:
//! `html5_inicis`, `inicis`, `inicis_unified`, `kcp`, `kcp_billing`, `kcp_quick`,
//! `kcp_v2`, `nice`, `nice_v2`, `kicc`, `ksnet`, `smartro`, `smartro_v2`,
//! `tosspayments`, `tosspay_v2`, `toss_brandpay`, `daou`, `settle`, `settle_acc`,
//! `settle_firm`, `welcome`, `uplus`, `danal`, `danal_tpay`, `mobilians`, `galaxia`,
//! `kakaopay`, `naverpay`, `naverco`, `payco`, `chai`, `paymentwall`, `paypal_v2`,
//! `benepia` (the `pg_provider` values of PortOne's spec and PG guide). Any other code is
//! refused; a known PG that has no channel here takes the route's default channel, as
//! PortOne's spec says of `pg`.
//!
//! # Rules worth knowing
//!
//! - **Clock.** It starts at real time and follows it, unless the builder freezes it;
//!   [`MockServer::advance`] moves it. Tokens expire and schedules run by this clock
//!   (schedules on `advance` and, when the clock ticks, on the next request).
//! - **Tokens.** 30 minutes; the same token and expiry while valid; +5 minutes when asked
//!   in the final 60 s; a new token after expiry, and the old one is refused. Accepted as
//!   `Authorization: Bearer T`, `Authorization: T` or `X-ImpTokenHeader: T`
//!   (`Authorization` wins). A missing, unknown or expired token is `401` with
//!   `{"code":-1,"message":"Unauthorized","response":null}`. getToken takes JSON or a form;
//!   a wrong key or secret is `401`, a missing one `400`, both with `code` -1.
//! - **Tiers.** With [`MockServerBuilder::agency`], `Tier: <code>` selects a sub-merchant
//!   and every record (payments, prepares, billing keys, schedules, receipts, ...) belongs
//!   to the tier it was made in. An unknown or malformed tier, or any tier sent to a
//!   non-agency account, is `400` with `code` -1. getToken ignores the header.
//! - **Refusals.** Each in the envelope PortOne uses for it:
//!   - a missing or malformed parameter is `400` with `code` -1, and so is what PortOne
//!     refuses as such: a zero or negative `amount` on a paying route (`onetime`, `again`,
//!     schedules, `/vbanks`, `/cvs`, prepares, Benepia and KCP Quick payments, external
//!     receipts), a negative `amount`, `checksum` or `tax_free` on `/payments/cancel`
//!     (where `0` means a full refund), an unknown `channel_key` (or one of the wrong kind
//!     or partner), a `pg` whose code names no PG (the PG codes of PortOne's spec; a known
//!     PG the account has no channel for falls back to the default channel, as the spec
//!     documents), an array parameter sent without brackets in a query or form
//!     (`?imp_uid=a` is a scalar to PHP: the array `imp_uid[]` counts as missing); an
//!     unknown id is `404` with `code` -1;
//!   - a body is read only under a JSON or form content type, as PHP does: JSON sent as
//!     `text/plain` or without a content type carries no parameters, so the route answers
//!     that they are missing;
//!   - a well-formed request PortOne turns down is HTTP `200` with `code` 1: a cancel of an
//!     unknown payment, a `checksum` that is not the refundable balance, an over-refund, an
//!     unknown billing key on `again` (`등록된 고객정보가 없습니다.`) or on `GET`/`DELETE
//!     /subscribe/customers/{customer_uid}` (`요청하신 customer_uid(..)로 등록된 정보를 찾을
//!     수 없습니다.`, as observed live), a `merchant_uid` already paid;
//!   - a **charge the card company declines** (insufficient funds, over the limit, a lost
//!     or stolen card) is not an error: HTTP `200`, `code` 0, and the Payment with
//!     `status` `failed`, a `fail_reason` and `failed_at`. It is recorded, and lookups find
//!     it. This holds for `onetime`, `again`, a schedule's `retry` and KCP Quick Pay
//!     `autopay`, and a due schedule that runs ends with the same failed payment;
//!   - a **charge that got no decision** (card data the PG cannot use: a bad number, an
//!     `expiry` that is not `YYYY-MM` or has passed; or a PG that does not answer) is HTTP
//!     `200` with `code` -1 and `response` null; a billing-key request with such card data
//!     is the same (`카드정보 인증 및 빌키 발급에 실패하였습니다. [F112]...`).
//!
//!   Test cards for each case are in [`cards`].
//! - **`custom_data`.** Sent as a JSON object (or array), it is kept as its JSON text and
//!   returned as a string, as PortOne stores it.
//! - **Sandbox.** Payments on the test channel (`pg: "html5_inicis.INIpayTest"` or
//!   [`Checkout::sandbox`]) carry `sandbox: true` and are hidden from
//!   `GET /payments/{imp_uid}` unless `include_sandbox=true`.
//! - **Schedules.** A due schedule runs at its own `schedule_at`, paying with its billing
//!   key; its `payment_status` is `null` until then, `paid` or `failed` (with the
//!   payment's `fail_reason`) after. `retry` answers `code` 0 with the payment, paid or
//!   declined, as PortOne documents. The three listings (`GET /subscribe/payments/schedule`,
//!   `/subscribe/payments/schedule/customers/{customer_uid}`,
//!   `/subscribe/customers/{customer_uid}/schedules`) answer the paged object PortOne's
//!   Java SDK decodes, `{"total", "previous", "next", "list"}` (the spec says a bare array),
//!   paged like payment lists: `page` from 1, 20 a page (`limit`, at most 1000, on the
//!   first), `previous` and `next` `0` when there is none. Newest first; `sorting=scheduled`
//!   is oldest first, any other `sorting` a `400`.
//! - **Wire.** Bodies are encoded like PortOne's PHP server (`\uXXXX`, `\/`) under
//!   `Content-Type: application/json; charset=UTF-8`; unknown routes answer `404` and wrong
//!   methods `405`, both in the envelope. With [`MockServerBuilder::live_quirks`], bodies
//!   also carry what PortOne's real bodies do (fields missing on older records, `""` for
//!   `null`, `previous: false`).
//! - **Processing.** Once a request is routed, its handler runs to the end even if the
//!   client hangs up or times out: an effect is never half-made. See [`Fault`] for faults
//!   that lose or delay the answer of a processed request.
//!
//! # Webhooks
//!
//! The mock POSTs PortOne's notification (`{imp_uid, merchant_uid, status}`, and
//! `cancellation_id` for a cancel) for every event PortOne documents:
//!
//! | Event ([`WebhookEvent`]) | `status` | When |
//! |---|---|---|
//! | `Paid` | `paid` | a checkout paid; `onetime`, `again`, Benepia and KCP Quick Pay payments paid (a declined or failed one sends nothing) |
//! | `VbankIssued` | `ready` | a checkout issued a virtual account (`Checkout::vbank_ready`; `POST /vbanks` answers its caller and notifies only the deposit) |
//! | `VbankDeposited` | `paid` | [`MockServer::deposit`] |
//! | `SchedulePaid`, `ScheduleFailed` | `paid`, `failed` | a due schedule runs, or `retry` runs it |
//! | `Cancelled` | `cancelled` | `POST /payments/cancel` with `enable_webhook: true` (also for a partial cancel, after which the payment stays `paid`) |
//! | `ConsoleCancelled` | `cancelled` | [`MockServer::cancel_in_console`] |
//!
//! Each goes to the payment's `notice_url` (the [`Checkout::notice_url`] option, or the
//! `notice_url` of `onetime`, `again`, schedules, `/vbanks`, `/cvs`, Benepia and KCP Quick
//! Pay; one delivery per URL), or else to the account's URL
//! ([`MockServerBuilder::webhook_url`]); with neither, nothing is sent. The body is JSON
//! written like PortOne's PHP (`application/json`), or a form
//! ([`MockServerBuilder::webhook_format`]).
//!
//! Delivery follows PortOne: each notification is sent once, from a task of its own, with
//! 10 s to connect and 30 s for the answer. With [`MockServerBuilder::webhook_resend`], a
//! network error or a `5xx` makes it send again up to 5 times, one minute apart on the
//! **mock clock** (15 s allowed each), so a test drives re-sends with
//! [`MockServer::advance`]; any other answer ends it. [`MockServer::webhooks`] lists every
//! [`WebhookDelivery`] with its URL, content type, body and attempts;
//! [`MockServer::webhooks_settled`] and [`MockServer::wait_for_webhooks`] wait for them
//! without sleeping. [`MockServer::send_webhook`] sends a notification of the test's own
//! (a forgery) and [`MockServer::duplicate_webhook`] sends one again (a duplicate).
//!
//! ```
//! use std::time::Duration;
//! use portone_mock::{Checkout, DeliveryState, MockServer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! // Nothing listens there: every attempt is a network error.
//! let server = MockServer::builder()
//!     .frozen_clock()
//!     .webhook_url("http://127.0.0.1:9/portone")
//!     .webhook_resend(true)
//!     .start()
//!     .await;
//! server.checkout(Checkout::paid("order-1", 1000));
//! let first = server.webhooks_settled().await;
//! assert_eq!(first[0].state, DeliveryState::Retrying);
//! server.advance(Duration::from_secs(60));
//! let second = server.webhooks_settled().await;
//! assert_eq!(second[0].attempts.len(), 2);
//! # }
//! ```

//!
//! # Over HTTP: the binary and the admin API
//!
//! `cargo install portone-mock` gives a `portone-mock` binary that serves the same server
//! on a port (`portone-mock --port 8080`), with a flag for each builder option, and prints
//! its base URL on the first line of standard output. Everything the helpers above do is
//! also an admin route under `/__mock/` (`POST /__mock/checkout`, `/__mock/advance`,
//! `/__mock/faults`, `GET /__mock/requests`, `/__mock/webhooks`, `POST /__mock/reset`,
//! ...), answered in PortOne's envelope, never recorded in [`MockServer::requests`] and
//! never faulted; `GET /__mock/pay` serves a page to pay on that redirects back as
//! PortOne's payment window does. The admin API is open on a loopback address and refused
//! on any other unless [`MockServerBuilder::admin_token`] is set. `--state FILE` keeps the
//! records across restarts ([`MockServer::save_state`], [`MockServerBuilder::load_state`]).
//! The crate's README documents every flag and route, with `curl` lines.

// `json!` for a whole Payment nests deeper than the default limit.
#![recursion_limit = "256"]

/// The README's Rust example, compiled as a doctest so that it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod admin;
mod amount;
pub mod cards;
mod checkout;
mod clock;
mod codes;
mod faults;
mod ids;
mod params;
mod persist;
mod quirks;
mod record;
mod reply;
mod routes;
mod server;
mod state;
mod token;
mod webhooks;

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{Notify, mpsc, oneshot, watch};

pub use axum::http::Method;
pub use checkout::Checkout;
pub use faults::Fault;
pub use persist::StateError;
pub use quirks::BodyShape;
pub use record::RecordedRequest;
pub use webhooks::{
    DeliveryState, Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookFormat,
};

use state::{State, Tier};
use token::Tokens;

/// Why a test helper such as [`MockServer::try_checkout`] could not do what it was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MockError {
    /// The tier is unknown, malformed, or the account is not an agency.
    Tier(String),
    /// The amount is not a non-negative number.
    InvalidAmount(String),
    /// No payment has this `imp_uid`.
    UnknownPayment(String),
    /// The payment is not a virtual account waiting for its deposit.
    NotReadyVbank(String),
    /// PortOne refuses the cancel (already cancelled, more than the balance, not paid), in
    /// its words.
    CancelRefused(String),
    /// No webhook delivery has this id.
    UnknownWebhook(u64),
    /// The card number given to [`Checkout::card`] is one the PG cannot use, in PortOne's
    /// words (the number itself is not repeated).
    InvalidCard(String),
}

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MockError::Tier(why) => write!(f, "tier refused: {why}"),
            MockError::InvalidAmount(a) => write!(f, "invalid amount `{a}`"),
            MockError::UnknownPayment(id) => write!(f, "no payment `{id}`"),
            MockError::NotReadyVbank(why) => write!(f, "cannot deposit: {why}"),
            MockError::CancelRefused(why) => write!(f, "cancel refused: {why}"),
            MockError::UnknownWebhook(id) => write!(f, "no webhook delivery {id}"),
            MockError::InvalidCard(why) => write!(f, "unusable card: {why}"),
        }
    }
}

impl std::error::Error for MockError {}

/// State shared by the server's tasks and every [`MockServer`] handle.
pub(crate) struct Shared {
    state: Mutex<State>,
    /// [`MockServerBuilder::live_quirks`]: fixed at start.
    pub(crate) quirks: bool,
    /// Told when a webhook delivery settles (delivered, failed, waiting for a re-send).
    pub(crate) webhook_changed: Notify,
    /// Told when [`MockServer::advance`] moves the clock: re-sends wait on it.
    pub(crate) clock_moved: watch::Sender<()>,
    /// Who may use the admin API (`/__mock/`).
    pub(crate) admin: admin::Access,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while locked cannot leave the state half-written in a way that matters
        // to tests more than losing the server would.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn take_fault(&self, method: &Method, path: &str) -> Option<Fault> {
        faults::take(&mut self.lock().faults, method, path)
    }

    /// [`MockServer::advance`].
    pub(crate) fn advance(&self, by: Duration) {
        {
            let mut st = self.lock();
            st.clock.advance(by);
            st.run_due();
        }
        self.clock_moved.send_replace(());
    }

    /// [`MockServer::reset`].
    pub(crate) fn reset(&self) {
        self.lock().reset();
        // Re-sends waiting on the clock look again, and find their delivery gone.
        self.clock_moved.send_replace(());
    }

    pub(crate) fn record(&self, req: RecordedRequest) {
        let mut st = self.lock();
        if req.method == Method::POST && req.path == "/users/getToken" {
            st.get_token_calls += 1;
        }
        st.log.push(req);
    }
}

/// A running PortOne V1 server, on `127.0.0.1` unless [`MockServerBuilder::bind`] says
/// otherwise.
///
/// Cheap to clone; the server stops when the last clone is dropped (or, letting requests
/// in flight finish, on [`shutdown`](MockServer::shutdown)). See the
/// [crate documentation](crate) for an example.
#[derive(Clone)]
pub struct MockServer {
    inner: Arc<Inner>,
}

struct Inner {
    addr: SocketAddr,
    shared: Arc<Shared>,
    api_key: String,
    api_secret: String,
    // `true` asks the accept loop to stop gracefully; dropped with the last handle, it
    // ends the loop at once...
    stop: watch::Sender<bool>,
    // ...which says here that it has.
    stopped: watch::Receiver<bool>,
    // Sent or dropped, it ends the webhook sender, with every delivery still waiting.
    stop_webhooks: Mutex<Option<oneshot::Sender<()>>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.base_url())
            .field("api_key", &self.inner.api_key)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// The API key a server accepts unless the builder says otherwise.
    pub const API_KEY: &'static str = "mock_imp_key";
    /// The API secret a server accepts unless the builder says otherwise.
    pub const API_SECRET: &'static str = "mock_imp_secret_0123456789abcdef";
    /// The OTP that confirms a certification started with `POST /certifications/otp/request`.
    pub const CERTIFICATION_OTP: &'static str = "123456";

    /// Starts a server with the default credentials and no tiers.
    ///
    /// # Panics
    ///
    /// When it cannot bind a port on `127.0.0.1`, or outside a tokio runtime; see
    /// [`MockServerBuilder::try_start`].
    pub async fn start() -> MockServer {
        MockServer::builder().start().await
    }

    /// A builder for credentials, agency tiers and the clock.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash: the address the server listens
    /// on, where a client on this machine reaches it. A server bound to every interface
    /// (`0.0.0.0` or `::`) answers `http://127.0.0.1:PORT` (`http://[::1]:PORT`).
    #[must_use]
    pub fn base_url(&self) -> String {
        let addr = self.inner.addr;
        let ip = match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, addr.port()))
    }

    /// The address the server listens on.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// The `imp_key` the server accepts.
    #[must_use]
    pub fn api_key(&self) -> &str {
        &self.inner.api_key
    }

    /// The `imp_secret` the server accepts.
    #[must_use]
    pub fn api_secret(&self) -> &str {
        &self.inner.api_secret
    }

    /// Now on the mock clock, in unix seconds.
    #[must_use]
    pub fn now(&self) -> i64 {
        self.inner.shared.lock().clock.now()
    }

    /// Moves the mock clock forward, then runs every schedule that came due, each at its
    /// own `schedule_at`. Tokens expire by this clock, and webhook re-sends that came due
    /// are sent.
    pub fn advance(&self, by: Duration) {
        self.inner.shared.advance(by);
    }

    /// Every request received since the start or the last [`reset_log`](Self::reset_log),
    /// in arrival order, faulted ones included.
    #[must_use]
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.shared.lock().log.clone()
    }

    /// How many `POST /users/getToken` requests arrived (faulted ones included).
    #[must_use]
    pub fn get_token_calls(&self) -> usize {
        self.inner.shared.lock().get_token_calls
    }

    /// Forgets the request log and the getToken count.
    pub fn reset_log(&self) {
        let mut st = self.inner.shared.lock();
        st.log.clear();
        st.get_token_calls = 0;
    }

    /// Adds a fault; see [`Fault`].
    pub fn inject(&self, fault: Fault) {
        let remaining = fault.times;
        self.inner
            .shared
            .lock()
            .faults
            .push(faults::Rule { fault, remaining });
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.inner.shared.lock().faults.clear();
    }

    /// Completes a checkout as the browser SDK would and returns the payment's `imp_uid`.
    ///
    /// # Panics
    ///
    /// When [`try_checkout`](Self::try_checkout) fails: an unknown tier or a negative amount.
    pub fn checkout(&self, checkout: Checkout) -> String {
        self.try_checkout(checkout)
            .unwrap_or_else(|e| panic!("portone-mock checkout: {e}"))
    }

    /// Completes a checkout as the browser SDK would and returns the payment's `imp_uid`.
    ///
    /// # Errors
    ///
    /// [`MockError::Tier`] when the tier cannot be used by this account,
    /// [`MockError::InvalidAmount`] for a negative amount.
    pub fn try_checkout(&self, checkout: Checkout) -> Result<String, MockError> {
        checkout.apply(&mut self.inner.shared.lock())
    }

    /// The buyer deposits into a `ready` virtual account, which becomes `paid`.
    ///
    /// # Panics
    ///
    /// When [`try_deposit`](Self::try_deposit) fails.
    pub fn deposit(&self, imp_uid: &str) {
        self.try_deposit(imp_uid)
            .unwrap_or_else(|e| panic!("portone-mock deposit: {e}"));
    }

    /// The buyer deposits into a `ready` virtual account, which becomes `paid`.
    ///
    /// # Errors
    ///
    /// [`MockError::UnknownPayment`] for an unknown `imp_uid`, [`MockError::NotReadyVbank`]
    /// when the payment is not a virtual account waiting for its deposit.
    pub fn try_deposit(&self, imp_uid: &str) -> Result<(), MockError> {
        self.inner.shared.lock().deposit(imp_uid)
    }

    /// Forgets every record (payments, billing keys, schedules, ... in every tier), the
    /// request log, the faults, the webhook deliveries and the access token, and puts the
    /// clock back to real time (frozen again if it was): the server as it started, with
    /// the same address and settings. Ids keep counting, so an `imp_uid` from before is
    /// never handed out again.
    pub fn reset(&self) {
        self.inner.shared.reset();
    }

    /// Stops the server gracefully: it accepts no more connections, lets the requests in
    /// flight finish (for at most 5 s; connections still busy then are closed), closes
    /// idle connections, and stops sending webhooks. Returns once all that is done.
    /// Handles stay usable for reading the state ([`requests`](Self::requests),
    /// [`save_state`](Self::save_state), ...). Calling it again returns at once.
    pub async fn shutdown(&self) {
        self.inner.stop.send_replace(true);
        let mut stopped = self.inner.stopped.clone();
        // An error means the accept loop is gone already: stopped either way.
        let _ = stopped.wait_for(|s| *s).await;
        let stop_webhooks = self
            .inner
            .stop_webhooks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(stop) = stop_webhooks {
            let _ = stop.send(());
        }
    }

    /// Writes the server's records to a state file, which
    /// [`MockServerBuilder::load_state`] reads back: whole or not at all (a file beside it,
    /// flushed, then renamed over it). What is kept, and what is not (certifications, the
    /// access token, the request log, faults, webhook deliveries), is listed in the crate's
    /// README. Blocks while it writes.
    ///
    /// # Errors
    ///
    /// [`StateError::Io`] when the file cannot be written; [`StateError::NotJson`],
    /// [`StateError::Foreign`] or [`StateError::UnsupportedVersion`] when a file is there
    /// already that is not a state file this build could read back: it is left alone.
    pub fn save_state(&self, path: impl AsRef<Path>) -> Result<(), StateError> {
        let bytes = persist::encode(&self.inner.shared.lock());
        persist::write(path.as_ref(), &bytes)
    }
}

/// Configures a [`MockServer`] before it starts.
#[derive(Clone)]
#[must_use]
pub struct MockServerBuilder {
    addr: SocketAddr,
    api_key: String,
    api_secret: String,
    admin_token: Option<String>,
    tiers: Option<Vec<(String, String)>>,
    frozen_clock: bool,
    live_quirks: bool,
    webhooks: webhooks::Config,
    saved: Option<Arc<persist::Loaded>>,
}

// Hand-written: the secret stays out of logs.
impl fmt::Debug for MockServerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServerBuilder")
            .field("addr", &self.addr)
            .field("api_key", &self.api_key)
            .field(
                "admin_token",
                &self.admin_token.as_ref().map(|_| "<redacted>"),
            )
            .field("tiers", &self.tiers)
            .field("frozen_clock", &self.frozen_clock)
            .field("live_quirks", &self.live_quirks)
            .field("webhooks", &self.webhooks)
            .field("state_loaded", &self.saved.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            api_key: MockServer::API_KEY.to_owned(),
            api_secret: MockServer::API_SECRET.to_owned(),
            admin_token: None,
            tiers: None,
            frozen_clock: false,
            live_quirks: false,
            webhooks: webhooks::Config::default(),
            saved: None,
        }
    }
}

impl MockServerBuilder {
    /// The address to listen on; `127.0.0.1:0` (any free port on the loopback) unless set.
    /// Port 0 picks a free port: [`MockServer::addr`] and [`MockServer::base_url`] tell
    /// which.
    ///
    /// On an address other than a loopback one (`0.0.0.0` included), the admin API
    /// (`/__mock/`) is refused unless [`admin_token`](Self::admin_token) is set: anyone
    /// who reaches the port could otherwise make payments and read what clients sent.
    ///
    /// ```
    /// use portone_mock::MockServer;
    ///
    /// let on_8080 = MockServer::builder().bind(([127, 0, 0, 1], 8080));
    /// # let _ = on_8080;
    /// ```
    pub fn bind(mut self, addr: impl Into<SocketAddr>) -> Self {
        self.addr = addr.into();
        self
    }

    /// Requires this token on every admin request (`/__mock/`), as
    /// `Authorization: Bearer <token>` or, for a browser opening the pay page,
    /// `?admin_token=<token>`; and opens the admin API on a non-loopback address. It is
    /// compared in constant time and never logged.
    pub fn admin_token(mut self, token: &str) -> Self {
        self.admin_token = Some(token.to_owned());
        self
    }

    /// Starts the server with the records of a state file written by
    /// [`MockServer::save_state`]: payments, billing keys, schedules and the rest, the
    /// agency's tiers (added to the builder's), the id counter, and the clock, which goes
    /// on from where it stood (frozen there with [`frozen_clock`](Self::frozen_clock)).
    /// The file is read and checked now.
    ///
    /// # Errors
    ///
    /// [`StateError::Io`] when it cannot be read ([`StateError::is_not_found`] for a file
    /// that does not exist), [`StateError::NotJson`], [`StateError::Foreign`] for a file
    /// that is not a portone-mock state file, [`StateError::UnsupportedVersion`], and
    /// [`StateError::Invalid`] for one whose records do not hold together.
    pub fn load_state(mut self, path: impl AsRef<Path>) -> Result<Self, StateError> {
        self.saved = Some(Arc::new(persist::read(path.as_ref())?));
        Ok(self)
    }

    /// The only `imp_key`/`imp_secret` pair getToken accepts.
    pub fn credentials(mut self, api_key: &str, api_secret: &str) -> Self {
        api_key.clone_into(&mut self.api_key);
        api_secret.clone_into(&mut self.api_secret);
        self
    }

    /// Makes the account an agency whose sub-merchants have these tier codes (exactly 3
    /// upper-case letters or digits). Requests may then carry `Tier: <code>`; each tier sees
    /// only its own data.
    pub fn agency<I, S>(mut self, tier_codes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let tiers = self.tiers.get_or_insert_with(Vec::new);
        for code in tier_codes {
            let code = code.as_ref().to_owned();
            let name = format!("하위상점 {code}");
            tiers.push((code, name));
        }
        self
    }

    /// Adds one tier with a name (`GET /tiers/{tier_code}` returns it); makes the account an
    /// agency.
    pub fn tier(mut self, code: &str, name: &str) -> Self {
        self.tiers
            .get_or_insert_with(Vec::new)
            .push((code.to_owned(), name.to_owned()));
        self
    }

    /// Stops the mock clock from following real time: it then moves only on
    /// [`MockServer::advance`], which makes timestamps exact in assertions.
    pub fn frozen_clock(mut self) -> Self {
        self.frozen_clock = true;
        self
    }

    /// Serves bodies the way PortOne's live server writes them rather than the way its spec
    /// describes them, so that a client is tested against what it will really decode. Off
    /// by default.
    ///
    /// Each payment, schedule and billing key is served in one [`BodyShape`], picked by a
    /// stable hash of its `merchant_uid` (payments, schedules) or `customer_uid` (billing
    /// keys): the same id gets the same shape in every run, and [`BodyShape::of`] tells a
    /// test which. The shapes copy real bodies PortOne users published (the crate's
    /// `tests/fixtures/`):
    ///
    /// - fields missing on older records: `sandbox`, `promotion`, `card_issuer_*`,
    ///   `card_publisher_*`, an empty `deposit_history` ([`BodyShape::Y2024`] and older);
    ///   `cancel_history[].cancellation_id`, a schedule's `pg_provider`, `pg_id`,
    ///   `promotion_id` ([`BodyShape::Y2023`] and older); `emb_pg_provider`,
    ///   `customer_uid_usage`, and every billing-key field but `card_name`, `customer_*`,
    ///   `inserted` and `updated` ([`BodyShape::Y2021`]);
    /// - `""` where others send `null`: `apply_num` ([`BodyShape::Y2023`] and older),
    ///   `buyer_addr` ([`BodyShape::Y2021`]);
    /// - `card_type: null`, card payments included ([`BodyShape::Y2023`] and older);
    /// - `previous: false` instead of `0` on the first page of every paged list.
    ///
    /// Numbers are never sent as strings: no published body shows PortOne doing that.
    pub fn live_quirks(mut self, on: bool) -> Self {
        self.live_quirks = on;
        self
    }

    /// The account's notification URL, as set in PortOne's console: where webhooks go for
    /// payments that name no `notice_url` of their own. Without it (and without a
    /// `notice_url`), nothing is sent.
    pub fn webhook_url(mut self, url: &str) -> Self {
        self.webhooks.url = Some(url.to_owned());
        self
    }

    /// How notifications are encoded: JSON (the default) or a form, as chosen in PortOne's
    /// console.
    pub fn webhook_format(mut self, format: WebhookFormat) -> Self {
        self.webhooks.format = format;
        self
    }

    /// Re-sending, as the merchant can ask PortOne for: after a network error or a `5xx`,
    /// a notification is sent again up to 5 times, one minute apart on the mock clock
    /// (so [`MockServer::advance`] drives re-sends). Off by default: each is sent once.
    pub fn webhook_resend(mut self, on: bool) -> Self {
        self.webhooks.resend = on;
        self
    }

    /// Starts the server.
    ///
    /// # Panics
    ///
    /// When [`try_start`](Self::try_start) fails.
    pub async fn start(self) -> MockServer {
        self.try_start()
            .await
            .unwrap_or_else(|e| panic!("portone-mock could not start: {e}"))
    }

    /// Starts the server.
    ///
    /// # Errors
    ///
    /// When called outside a tokio runtime, when a tier code is not 3 upper-case letters
    /// or digits, when the admin token is empty, or when the address cannot be bound.
    pub async fn try_start(self) -> io::Result<MockServer> {
        tokio::runtime::Handle::try_current().map_err(|e| {
            io::Error::other(format!("MockServer must start inside a tokio runtime: {e}"))
        })?;
        if self.admin_token.as_deref().is_some_and(str::is_empty) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the admin token is empty: it would let anyone in",
            ));
        }
        let saved_tiers = self.saved.as_deref().and_then(persist::Loaded::tiers);
        let tiers = match merge_tiers(self.tiers, saved_tiers) {
            None => None,
            Some(tiers) => {
                if let Some((bad, _)) = tiers.iter().find(|(c, _)| !state::valid_tier_code(c)) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("tier code `{bad}` is not 3 upper-case letters or digits"),
                    ));
                }
                Some(
                    tiers
                        .into_iter()
                        .map(|(code, name)| Tier { code, name })
                        .collect(),
                )
            }
        };
        let http = webhooks::deliver::http_client().map_err(io::Error::other)?;
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let tokens = Tokens::new(self.api_key.clone(), self.api_secret.clone());
        let (queue, queued) = mpsc::unbounded_channel();
        let hooks = webhooks::Webhooks::new(self.webhooks, queue);
        let mut state = State::new(tokens, tiers, self.frozen_clock, hooks);
        if let Some(saved) = &self.saved {
            saved.restore(&mut state);
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            quirks: self.live_quirks,
            webhook_changed: Notify::new(),
            clock_moved: watch::Sender::new(()),
            admin: admin::Access::new(addr, self.admin_token),
        });
        let router = routes::router(shared.clone());
        let (stop_accepting, stop_rx) = watch::channel(false);
        let (stopped_tx, stopped) = watch::channel(false);
        tokio::spawn(server::accept_loop(
            listener,
            shared.clone(),
            router,
            stop_rx,
            stopped_tx,
        ));
        let (stop_webhooks, stop) = oneshot::channel();
        tokio::spawn(webhooks::deliver::dispatch(
            shared.clone(),
            http,
            queued,
            stop,
        ));
        tracing::debug!(%addr, "portone-mock listening");
        Ok(MockServer {
            inner: Arc::new(Inner {
                addr,
                shared,
                api_key: self.api_key,
                api_secret: self.api_secret,
                stop: stop_accepting,
                stopped,
                stop_webhooks: Mutex::new(Some(stop_webhooks)),
            }),
        })
    }
}

/// The builder's tiers and a state file's, the builder's name winning for a code in both;
/// `None` when neither makes the account an agency.
fn merge_tiers(
    builder: Option<Vec<(String, String)>>,
    saved: Option<&[Tier]>,
) -> Option<Vec<(String, String)>> {
    let Some(saved) = saved else {
        return builder;
    };
    let mut tiers = builder.unwrap_or_default();
    for t in saved {
        if !tiers.iter().any(|(code, _)| *code == t.code) {
            tiers.push((t.code.clone(), t.name.clone()));
        }
    }
    Some(tiers)
}
