//! Declaring your own endpoints with `#[portone::api]`: a route PortOne no longer
//! documents, and a documented one decoded into a type of your own.
//!
//! ```text
//! cargo run --example custom_endpoint
//! ```
//!
//! PortOne hid `GET /vbanks/holder` (the name on a bank account, checked before refunding
//! to it) from its docs in 2025, yet older SDKs still call it. No ready-made trait covers
//! it; a three-line trait method does. The second route re-declares a payment lookup to
//! read only the fields this application needs, with an optional last path segment.
//!
//! The example runs on `portone-mock` (in process, no network, no environment) and shows
//! what is checked when: routes at compile time (see the comments on the trait), argument
//! values before any I/O, and PortOne's answers at run time. It exits with 0 when every
//! step behaved as described, and with 1 and the error otherwise.

// An example talks to whoever runs it.
#![allow(clippy::print_stdout)]

use std::error::Error as StdError;
use std::fmt;

use portone::model::{PaymentStatus, VbankHolder};
use portone::prelude::*;
use portone_mock::{Checkout, MockServer};
use rust_decimal::Decimal;
use serde::Deserialize;

pub(crate) type BoxError = Box<dyn StdError + Send + Sync>;

/// The routes this application needs beyond the ready-made traits.
///
/// The macro implements the trait for `portone::Client` and its tier views, and checks
/// every route when this file compiles. Each of these mistakes stops the build with the
/// message shown, pointing at the offending tokens:
///
/// ```text
/// #[get("/vbanks/holder", timeout_ms = 5000)]
///                                        no PortOne V1 route `GET /vbanks/holder`: last
///                                        documented in the 2025-09 revision of PortOne's
///                                        spec, hidden from its docs since 2026-03; mark it
///                                        `undocumented` to declare it anyway
/// #[get("/payments/finds/<merchant_uid>/<status?>")]
///                                        no PortOne V1 route `GET /payments/finds/{merchant_uid}/{status}`;
///                                        did you mean `GET /payments/find/{merchant_uid}/{payment_status}`
///                                        or `GET /payments/findAll/{merchant_uid}/{payment_status}`?
/// #[get("/vbanks/holder/<bank_cod>")]    path parameter `<bank_cod>` has no matching argument
/// #[get("/payments/find/..")]            segment `..` is not allowed: URL resolution would
///                                        remove it and call another route
/// bank_num: &str  (without #[query])     argument `bank_num` is used nowhere: add `<bank_num>`
///                                        to the path, or mark it `#[query]`,
///                                        `#[header("...")]` or `#[body]`
/// #[body] on a #[get(..)] method         `get` requests have no body: pass the fields as
///                                        `#[query]` arguments
/// fn account_holder(..)  (not async)     method `account_holder` must be `async`: write
///                                        `async fn account_holder`
/// status: PaymentStatus  for `<status?>` `<status?>` is optional, so argument `status` must
///                                        be an `Option`
/// ```
///
/// A response type that is not `Deserialize`, or an argument that is not `Serialize`, is a
/// type error on that very type.
#[portone::api]
pub(crate) trait MyRoutes {
    /// The holder of a bank account. Outside PortOne's current spec (hidden in 2025-10), so
    /// marked `undocumented`: every other route is checked against the spec.
    #[get("/vbanks/holder", timeout_ms = 5000, undocumented)]
    async fn account_holder(
        &self,
        #[query] bank_code: &str,
        #[query] bank_num: &str,
    ) -> portone::Result<VbankHolder>;

    /// The latest payment of an order, optionally only in one status, trimmed to
    /// [`OrderPayment`].
    #[get("/payments/find/<merchant_uid>/<status?>")]
    async fn order_payment(
        &self,
        merchant_uid: &str,
        status: Option<PaymentStatus>,
    ) -> portone::Result<OrderPayment>;
}

/// The part of a payment this application reads; PortOne's other fields are ignored.
#[derive(Debug, Deserialize)]
pub(crate) struct OrderPayment {
    pub(crate) imp_uid: String,
    pub(crate) merchant_uid: String,
    pub(crate) status: PaymentStatus,
    /// Exact, never a float.
    #[serde(with = "portone::model::money")]
    pub(crate) amount: Decimal,
}

/// A merchant order id as merchants really write them: a `/`, spaces, Korean text. Each path
/// value is percent-encoded into exactly one segment.
const ORDER: &str = "gift 7/2024 (선물)";

#[tokio::main]
async fn main() -> Result<(), Failure> {
    run().await?;
    Ok(())
}

/// What the run saw, for the test that runs it.
// The binary prints it; the test that runs this example reads it.
#[allow(dead_code)]
#[derive(Debug)]
pub(crate) struct Summary {
    /// `METHOD template` of every declared endpoint, from `ENDPOINTS`.
    pub(crate) endpoints: Vec<String>,
    pub(crate) holder: String,
    /// Whether the unknown account was answered with 404.
    pub(crate) unknown_account_not_found: bool,
    pub(crate) order: OrderPayment,
    /// The lookup's path as the server received it.
    pub(crate) wire_path: String,
    /// Whether the `..` order id was refused with nothing sent.
    pub(crate) dot_dot_refused_before_io: bool,
}

/// Declared routes against `portone-mock`.
///
/// # Errors
///
/// Any call that fails where it should work, and any refusal that does not happen.
pub(crate) async fn run() -> Result<Summary, BoxError> {
    let server = MockServer::builder().try_start().await?;
    let client = Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()?;
    println!("portone-mock listens on {}", server.base_url());

    // The declared endpoints are data too: test them against a spec, list them in docs.
    let endpoints: Vec<String> = <Client as MyRoutes>::ENDPOINTS
        .iter()
        .map(|e| format!("{} {}", e.method, e.template))
        .collect();
    println!("[1/4] declared  {}", endpoints.join(", "));

    let holder = client.account_holder("004", "123-456-7890").await?;
    println!(
        "[2/4] holder    account 004 123-456-7890 belongs to {}",
        holder.bank_holder
    );
    let unknown_account_not_found = match client.account_holder("999", "1234567890").await {
        Err(e) if e.is_not_found() => {
            println!(
                "                bank 999: not found ({})",
                e.message().unwrap_or("no message")
            );
            true
        }
        Err(e) => return Err(e.into()),
        Ok(h) => return Err(format!("bank 999 should not exist, got {}", h.bank_holder).into()),
    };

    let imp_uid = server.try_checkout(Checkout::paid(ORDER, 42_000).name("Tea gift box"))?;
    let order = client
        .order_payment(ORDER, Some(PaymentStatus::Paid))
        .await?;
    let wire_path = server
        .requests()
        .last()
        .map(|r| r.path.clone())
        .unwrap_or_default();
    ensure(
        order.imp_uid == imp_uid && order.amount == Decimal::from(42_000),
        || format!("order {ORDER:?} found {order:?}, not {imp_uid} paid 42000"),
    )?;
    println!(
        "[3/4] order     {:?} is {} {} ({}), asked as {wire_path}",
        order.merchant_uid, order.imp_uid, order.status, order.amount
    );

    // A URL parser resolves `..` away (`/payments/find/..` is `/payments/`, another route):
    // the request is refused before it is sent.
    let sent_before = server.requests().len();
    let dot_dot = client.order_payment("..", None).await;
    let dot_dot_refused_before_io =
        matches!(dot_dot, Err(Error::InvalidRequest(_))) && server.requests().len() == sent_before;
    match dot_dot {
        Err(e @ Error::InvalidRequest(_)) => {
            let cause = e.source().map(ToString::to_string).unwrap_or_default();
            println!("[4/4] refused   order id \"..\": {e}: {cause}; nothing was sent");
        }
        other => return Err(format!("order id \"..\" was not refused: {other:?}").into()),
    }
    ensure(dot_dot_refused_before_io, || {
        "order id \"..\" reached the server".to_owned()
    })?;

    Ok(Summary {
        endpoints,
        holder: holder.bank_holder,
        unknown_account_not_found,
        order,
        wire_path,
        dot_dot_refused_before_io,
    })
}

fn ensure(holds: bool, otherwise: impl FnOnce() -> String) -> Result<(), BoxError> {
    if holds {
        Ok(())
    } else {
        Err(otherwise().into())
    }
}

/// What `main` returns on failure. Rust prints an error out of `main` with `Debug` and exits
/// with 1; this `Debug` shows the error and each of its causes, one a line.
pub(crate) struct Failure(BoxError);

impl<E: Into<BoxError>> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure(error.into())
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, "\n  caused by: {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}
