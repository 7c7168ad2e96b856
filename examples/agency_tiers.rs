//! An agency account serving its sub-merchants: one client, one token, a cheap view per
//! tier.
//!
//! ```text
//! cargo run --example agency_tiers
//! ```
//!
//! An agency calls PortOne with its own key and secret and names the sub-merchant of each
//! request in a `Tier` header (a code of 3 upper-case letters or digits). The token belongs
//! to the agency and serves every tier, so getToken never carries `Tier`.
//!
//! The example runs on `portone-mock` set up as an agency with the tiers `A1B` and `C2D`
//! (in process, no network, no environment). It shows that `client.with_tier("A1B")?` views
//! share the client's token, that a payment made under one tier is invisible under
//! another, that the tier header never goes to getToken, and that a malformed tier code is
//! refused before anything is sent. Last, a webhook for the sub-merchant's payment: the
//! notification does not name the tier, so each sub-merchant's webhook URL does
//! (`/portone/webhook/A1B`), and verifying with that tier's view finds the payment where the
//! agency's own view finds nothing. It exits with 0 when every step behaved as described,
//! and with 1 and the error otherwise.

// An example talks to whoever runs it.
#![allow(clippy::print_stdout)]

use std::error::Error as StdError;
use std::fmt;

use portone::model::{PaymentStatusFilter, PaymentsByStatus};
use portone::prelude::*;
use portone::verify::{Order, Verdict};
use portone::webhook::Notification;
use portone_mock::{Checkout, MockServer};

pub(crate) type BoxError = Box<dyn StdError + Send + Sync>;

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
    /// `GET /tiers/A1B`'s name for the sub-merchant.
    pub(crate) tier_name: String,
    /// Payments each view sees: `A1B`, `C2D`, the agency itself.
    pub(crate) visible: [u64; 3],
    /// Whether `C2D` and the agency got 404 for `A1B`'s payment.
    pub(crate) hidden_elsewhere: bool,
    /// HTTP status and `code` of PortOne's answer to an unregistered tier.
    pub(crate) unregistered_tier: (u16, i64),
    /// Whether `with_tier("a1b")` failed with nothing sent.
    pub(crate) malformed_refused_before_io: bool,
    /// `POST /users/getToken` requests the mock received.
    pub(crate) get_token_calls: usize,
    /// getToken requests that carried a `Tier` header (must be none).
    pub(crate) get_token_with_tier: usize,
    /// Other requests, and how many of them carried a `Tier` header.
    pub(crate) api_calls: usize,
    pub(crate) api_calls_with_tier: usize,
    /// The verdict on A1B's order through the webhook URL that names the tier.
    pub(crate) webhook_verdict: Verdict,
    /// The verdict on the same order through the agency's own view.
    pub(crate) agency_verdict: Verdict,
}

/// What a webhook receiver at `/portone/webhook/{tier}` does with a notification: the tier
/// comes from the URL (one per sub-merchant), the verdict from that tier's view.
///
/// # Errors
///
/// A malformed tier code in the URL, or a lookup that failed.
pub(crate) async fn on_webhook(
    agency: &Client,
    tier_in_url: &str,
    notification: &Notification,
) -> portone::Result<Verdict> {
    let shop = agency.with_tier(tier_in_url)?;
    // Your own records say what the order costs; never the notification.
    let order = Order::new(notification.merchant_uid.clone(), 30_000);
    shop.verify_order(&order).await
}

/// An agency and two sub-merchants on `portone-mock`.
///
/// # Errors
///
/// Any call that fails where it should work, and any refusal that does not happen.
pub(crate) async fn run() -> Result<Summary, BoxError> {
    let server = MockServer::builder()
        .agency(["A1B", "C2D"])
        .try_start()
        .await?;
    println!(
        "portone-mock listens on {}, as an agency with tiers A1B and C2D",
        server.base_url()
    );

    // One client with the agency's credentials; each view shares its token and connections.
    let agency = Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()?;
    let seoul = agency.with_tier("A1B")?;
    let busan = agency.with_tier("C2D")?;

    let tier = seoul.tier_info("A1B").await?;
    println!("[1/6] tier      A1B is {:?}", tier.tier_name);

    // A buyer pays at the A1B shop: the payment belongs to A1B.
    let imp_uid = server.try_checkout(Checkout::paid("a1b-order-1", 30_000).tier("A1B"))?;
    let payment = seoul.payment(&imp_uid).await?;
    println!(
        "[2/6] A1B       sees {imp_uid}: {} {} {}",
        payment.status, payment.amount, payment.currency
    );
    let from_busan = busan.payment(&imp_uid).await;
    let from_agency = agency.payment(&imp_uid).await;
    let hidden_elsewhere = matches!(&from_busan, Err(e) if e.is_not_found())
        && matches!(&from_agency, Err(e) if e.is_not_found());
    ensure(hidden_elsewhere, || {
        format!("A1B's payment leaked: C2D got {from_busan:?}, the agency got {from_agency:?}")
    })?;
    println!("                C2D and the agency itself get 404 for it");

    let mut visible = [0; 3];
    for (count, view) in visible.iter_mut().zip([&seoul, &busan, &agency]) {
        *count = view
            .payments_by_status(PaymentStatusFilter::All, &PaymentsByStatus::new())
            .await?
            .total;
    }
    println!(
        "[3/6] listings  A1B lists {}, C2D {}, the agency {} payment(s)",
        visible[0], visible[1], visible[2]
    );

    // A well-formed code the account does not have: PortOne refuses it.
    let unregistered_tier = match agency.with_tier("ZZZ")?.bank_codes().await {
        Err(Error::Api(refusal)) => {
            println!(
                "[4/6] ZZZ       refused by PortOne: HTTP {}, code {}",
                refusal.status.as_u16(),
                refusal.code
            );
            (refusal.status.as_u16(), refusal.code)
        }
        other => return Err(format!("tier ZZZ was not refused: {other:?}").into()),
    };

    // A malformed code never becomes a header: refused here, with nothing sent.
    let sent_before = server.requests().len();
    let malformed = agency.with_tier("a1b");
    let malformed_refused_before_io = matches!(malformed, Err(Error::InvalidRequest(_)))
        && server.requests().len() == sent_before;
    match malformed {
        Err(e) => {
            let cause = e.source().map(ToString::to_string).unwrap_or_default();
            println!("[5/6] a1b       refused before any I/O: {e}: {cause}");
        }
        Ok(view) => return Err(format!("tier \"a1b\" was accepted: {view:?}").into()),
    }
    ensure(malformed_refused_before_io, || {
        "the malformed tier reached the server".to_owned()
    })?;

    // PortOne's notification for A1B's payment names no tier: the URL it was sent to does.
    let notification = Notification::new(&imp_uid, "a1b-order-1", "paid");
    let webhook_verdict = on_webhook(&agency, "A1B", &notification).await?;
    let agency_verdict = agency
        .verify_order(&Order::new("a1b-order-1", 30_000))
        .await?;
    println!(
        "[6/6] webhook   /portone/webhook/A1B: {webhook_verdict}; without the tier: {agency_verdict}"
    );
    ensure(webhook_verdict.is_paid(), || {
        format!("the tier's view did not find A1B's payment: {webhook_verdict}")
    })?;

    let requests = server.requests();
    let (token_requests, api_requests): (Vec<_>, Vec<_>) =
        requests.iter().partition(|r| r.path == "/users/getToken");
    let summary = Summary {
        tier_name: tier.tier_name,
        visible,
        hidden_elsewhere,
        unregistered_tier,
        malformed_refused_before_io,
        get_token_calls: server.get_token_calls(),
        get_token_with_tier: token_requests
            .iter()
            .filter(|r| r.header("tier").is_some())
            .count(),
        api_calls: api_requests.len(),
        api_calls_with_tier: api_requests
            .iter()
            .filter(|r| r.header("tier").is_some())
            .count(),
        webhook_verdict,
        agency_verdict,
    };
    println!(
        "summary: {} getToken call(s), none with a Tier header ({}); {} API calls, {} with one",
        summary.get_token_calls,
        summary.get_token_with_tier,
        summary.api_calls,
        summary.api_calls_with_tier
    );
    ensure(
        summary.get_token_calls == 1 && summary.get_token_with_tier == 0,
        || "the agency token should be fetched once, without a Tier header".to_owned(),
    )?;
    Ok(summary)
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
