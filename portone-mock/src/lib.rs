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
//! Every operation of PortOne's published V1 spec, plus `GET /vbanks/holder` and
//! `POST /subscribe/payments/foreign` (a one-time payment with a card issued abroad), which
//! older SDKs still call. Payments, prepares, billing keys, schedules, virtual accounts, cash
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
//!   `imp_key` is matched without regard to ASCII case (as the live server does), the
//!   secret exactly; a wrong key or secret is `401` (`아임포트 API 인증에 실패하였습니다.`),
//!   a missing one `400`, both with `code` -1.
//! - **Paths.** Every route is served with and without a trailing slash
//!   (`POST /payments/cancel/`, as PortOne's PHP client sends every refund), so a bad
//!   token there is `401`, not `404`.
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
//!     unknown billing key on `GET`/`DELETE /subscribe/customers/{customer_uid}`
//!     (`요청하신 customer_uid(..)로 등록된 정보를 찾을 수 없습니다.`) or on a schedule
//!     (`등록된 고객정보가 없습니다.`), a `merchant_uid` already paid; `again` for an unknown
//!     billing key is `등록되지 않은 구매자입니다.`, `code` 1 when `name` was sent and -1
//!     when it was not, checked before `name` is required (all as observed live);
//!   - a **charge the card company declines** (insufficient funds, over the limit, a lost
//!     or stolen card) is not an error: HTTP `200`, `code` 0, and the Payment with
//!     `status` `failed`, a `fail_reason` and `failed_at`. It is recorded, and lookups find
//!     it. This holds for `onetime`, `again`, a schedule's `retry` and KCP Quick Pay
//!     `autopay`, and a due schedule that runs ends with the same failed payment;
//!   - a **card number that is not one** (not 13 to 19 digits, or failing the Luhn check)
//!     is refused by PortOne itself before anything else about the card is looked at:
//!     HTTP `200`, `code` -1, `유효하지않은 카드번호를 입력하셨습니다.`, and no payment is
//!     recorded, since no PG was asked;
//!   - a **charge that got no decision** (card data the PG refuses: a number it has no
//!     BIN for, an `expiry` that is not `YYYY-MM` or has passed; or a PG that does not
//!     answer) is HTTP `200` with `code` -1 and `response` null, recorded `failed`; a
//!     billing-key request with such card data is the same (`카드정보 인증 및 빌키 발급에
//!     실패하였습니다. [F112]...`).
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
//! on any other unless [`MockServerBuilder::admin_token`] is set. `--state FILE`
//! ([`MockServerBuilder::state_file`]) keeps the state in a SQLite database that every
//! change is written to before its answer, so that it survives restarts and crashes.
//! The crate's README documents every flag and route, with `curl` lines.
//!
//! # Where things are
//!
//! Layers point one way: each file imports only from the layers below it.
//!
//! - **HTTP**: `server.rs` builds the router (PortOne's API and the admin API), accepts
//!   connections and runs every request's pipeline; `faults.rs` says what a [`Fault`]
//!   does to a request; `routes/` holds PortOne's API, one file per area, with the
//!   extractors in `routes/extract.rs`; `admin/` the admin API and the pay page.
//! - **Handles**: `mock_server/` is [`MockServer`] and its test helpers, `builder.rs`
//!   [`MockServerBuilder`] and the start, `shared.rs` what the server's tasks share (the
//!   state's lock, the faults, the settings).
//! - **State**: `state/mod.rs` is everything behind the lock, `state/tenant.rs` one
//!   tier's view of it (what handlers work through), `state/store.rs` that tier's
//!   records, and the other files of `state/` the records and their rules;
//!   `checkout.rs` completes a [`Checkout`]; `persist/` is the state file (SQLite),
//!   which `shared.rs` commits every change to.
//! - **Below the state**: `webhooks/` (the outbox and its sender), `clock.rs` (the mock
//!   clock and the Korean calendar), `card_rules.rs` (what the PG makes of a card),
//!   `token.rs`, `ids.rs`, `amount.rs`, `request_log.rs`, `params.rs`, `reply.rs`.

// `json!` for a whole Payment nests deeper than the default limit.
#![recursion_limit = "256"]

/// The README's Rust example, compiled as a doctest so that it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod admin;
mod amount;
mod builder;
mod card_rules;
pub mod cards;
mod checkout;
mod clock;
mod codes;
mod error;
mod faults;
mod ids;
mod mock_server;
mod params;
mod persist;
mod quirks;
mod reply;
mod request_log;
mod routes;
mod server;
mod shared;
mod state;
mod token;
mod webhooks;

pub use axum::http::Method;
pub use builder::MockServerBuilder;
pub use checkout::Checkout;
pub use error::MockError;
pub use faults::Fault;
pub use mock_server::MockServer;
pub use persist::StateError;
pub use quirks::BodyShape;
pub use request_log::RecordedRequest;
pub use webhooks::{
    DeliveryState, Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookFormat,
};
