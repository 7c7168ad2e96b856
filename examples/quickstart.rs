//! The quickstart: a whole PortOne V1 integration, from the amount registered before the
//! checkout to the last refund, in one run.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With nothing set, it starts `portone-mock` (an in-process PortOne V1 server on
//! `127.0.0.1`) and walks an integration on it: the client gets a token on its first call,
//! registers the order's amount (`prepare_payment`), the buyer pays in the browser
//! (simulated with `MockServer::checkout`), the server **verifies the payment against the
//! order** with `verify_payment` (PortOne's record of its order, amount and currency, looked
//! up, never the browser's word: what every integration must do before shipping),
//! refunds part of it with a `checksum`, refunds the rest, lists cancelled payments, and
//! prints a summary. Nothing leaves the machine.
//!
//! With `PORTONE_API_KEY` and `PORTONE_API_SECRET` set, it talks to the real API
//! (`api.iamport.kr`, or `PORTONE_BASE_URL`) and makes **read-only** calls only: a token, a
//! lookup of the payment `PORTONE_IMP_UID` if set, the latest paid payments and the bank
//! codes. It never pays, refunds or changes anything on a real account.
//!
//! It exits with 0 when every step worked, and with 1 and the error otherwise.

// An example talks to whoever runs it.
#![allow(clippy::print_stdout)]

use std::error::Error as StdError;
use std::fmt;

use futures_util::TryStreamExt;
use portone::model::{
    CancelPayment, GetToken, Payment, PaymentStatus, PaymentStatusFilter, PaymentsByStatus,
    PreparePayment,
};
use portone::prelude::*;
use portone::verify::{Order, Verdict};
use portone_mock::{Checkout, MockServer};
use rust_decimal::Decimal;

pub(crate) type BoxError = Box<dyn StdError + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    // The mode is chosen here, from the environment, and nowhere else: the test of this
    // example calls `run_on_mock` and `run_read_only` directly.
    match RealApi::from_vars(|name| std::env::var(name).ok()) {
        Some(real) => {
            let client = Client::from_env()?;
            println!(
                "PORTONE_API_KEY and PORTONE_API_SECRET are set: calling {} with read-only calls only.",
                client.base_url()
            );
            run_read_only(&client, &real).await?;
        }
        None => {
            println!(
                "PORTONE_API_KEY/PORTONE_API_SECRET not set: running on portone-mock, in process."
            );
            run_on_mock().await?;
        }
    }
    Ok(())
}

/// The order this walk sells: 15 000 KRW, of which 5 000 are refunded first.
const MERCHANT_UID: &str = "quickstart-order-0001";
const ORDER_AMOUNT: i64 = 15_000;
const PARTIAL_REFUND: i64 = 5_000;

/// What the walk on the mock did, for the summary (and for the test that runs it).
#[derive(Debug)]
pub(crate) struct Summary {
    pub(crate) merchant_uid: String,
    pub(crate) imp_uid: String,
    /// The amount registered before the checkout.
    pub(crate) prepared: Decimal,
    /// The amount PortOne says was paid.
    pub(crate) paid: Decimal,
    /// Refunded by the partial refund, then by the full one.
    pub(crate) refunds: Vec<Decimal>,
    /// The payment's status after the checkout, the partial and the full refund.
    pub(crate) statuses: Vec<PaymentStatus>,
    /// The payment's `cancel_history`, one entry per refund.
    pub(crate) cancel_history: usize,
    /// Cancelled payments the listing returned.
    pub(crate) listed: Vec<String>,
    /// `POST /users/getToken` requests the mock received.
    pub(crate) get_token_calls: usize,
    /// Every request the mock received.
    pub(crate) requests: usize,
}

/// Starts `portone-mock`, walks the integration on it and prints a summary.
///
/// # Errors
///
/// Any call that fails, and any check that does not hold (a paid amount that is not the
/// prepared one, a refund that left the wrong balance, more than one getToken).
pub(crate) async fn run_on_mock() -> Result<Summary, BoxError> {
    let server = MockServer::builder().try_start().await?;
    println!("portone-mock listens on {}", server.base_url());

    // What an application does once at start-up: one client, cloned wherever needed.
    let client = Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()?;

    let summary = walk(&server, &client).await?;
    print_summary(&summary);
    ensure(summary.get_token_calls == 1, || {
        format!(
            "the client asked for {} tokens; one serves every call for 30 minutes",
            summary.get_token_calls
        )
    })?;
    Ok(summary)
}

async fn walk(server: &MockServer, client: &Client) -> Result<Summary, BoxError> {
    // 1. Before opening the payment window, register what the order costs. PortOne then
    //    fails a checkout whose amount was changed in the browser.
    let prepared = client
        .prepare_payment(&PreparePayment::new(MERCHANT_UID, ORDER_AMOUNT))
        .await?;
    println!(
        "[1/6] prepare   order {} must be paid {} {}",
        prepared.merchant_uid,
        prepared.amount,
        prepared.currency.as_ref().map_or("KRW", |c| c.as_str())
    );
    println!(
        "      token     fetched by the client for its first call, then reused (getToken calls: {})",
        server.get_token_calls()
    );

    // 2. The buyer pays in the browser (`IMP.request_pay`); the browser then hands the
    //    `imp_uid` to the application's server. The mock plays the browser here.
    let imp_uid = server.try_checkout(
        Checkout::paid(MERCHANT_UID, ORDER_AMOUNT)
            .name("Coffee beans 1kg")
            .buyer_name("홍길동"),
    )?;
    println!("[2/6] checkout  the buyer paid in the browser: {imp_uid}");

    // 3. Never trust the browser: PortOne's record of the payment must be this order's,
    //    with the amount the order costs (from the shop's records, here the prepared one).
    let paid = verify(client, &imp_uid, &Order::new(MERCHANT_UID, prepared.amount)).await?;
    println!(
        "[3/6] verify    {imp_uid} is {} with {} {}, the amount prepared for {}: ship it",
        paid.status, paid.amount, paid.currency, paid.merchant_uid
    );
    let mut statuses = vec![paid.status.clone()];

    // 4. A partial refund says how much and, as `checksum`, the balance it expects to refund
    //    from: if a first attempt went through unseen, a retry is refused, not paid twice.
    let partial = CancelPayment::partial_by_imp_uid(&imp_uid, Decimal::from(PARTIAL_REFUND))?
        .checksum(paid.cancellable_amount())
        .reason("one bag returned");
    let after_partial = client.cancel_payment(&partial).await?;
    let first_refund = after_partial.cancel_amount - paid.cancel_amount;
    ensure(first_refund == Decimal::from(PARTIAL_REFUND), || {
        format!("the partial refund took {first_refund}, not {PARTIAL_REFUND}")
    })?;
    println!(
        "[4/6] refund    {first_refund} {} back (checksum {}): {} left, status {}",
        after_partial.currency,
        paid.cancellable_amount(),
        after_partial.cancellable_amount(),
        after_partial.status
    );
    statuses.push(after_partial.status.clone());

    // 5. A full refund of what is left, also guarded by the balance just seen.
    let full = CancelPayment::full_by_imp_uid(&imp_uid)
        .checksum(after_partial.cancellable_amount())
        .reason("order cancelled");
    let cancelled = client.cancel_payment(&full).await?;
    let second_refund = cancelled.cancel_amount - after_partial.cancel_amount;
    ensure(
        cancelled.status == PaymentStatus::Cancelled
            && cancelled.cancellable_amount() == Decimal::ZERO,
        || {
            format!(
                "after the full refund the payment is {} with {} left",
                cancelled.status,
                cancelled.cancellable_amount()
            )
        },
    )?;
    println!(
        "[5/6] refund    the remaining {second_refund} {}: status {}, {} refund(s) in cancel_history",
        cancelled.currency,
        cancelled.status,
        cancelled.cancel_history.len()
    );
    statuses.push(cancelled.status.clone());

    // 6. Listings are paged; the stream walks every page.
    let listed: Vec<Payment> = client
        .payments_by_status_stream(PaymentStatusFilter::Cancelled, &PaymentsByStatus::new())
        .try_collect()
        .await?;
    ensure(listed.iter().any(|p| p.imp_uid == imp_uid), || {
        format!("{imp_uid} is missing from the cancelled payments")
    })?;
    println!(
        "[6/6] list      {} cancelled payment(s) in the last 90 days",
        listed.len()
    );

    Ok(Summary {
        merchant_uid: paid.merchant_uid,
        imp_uid,
        prepared: prepared.amount,
        paid: paid.amount,
        refunds: vec![first_refund, second_refund],
        statuses,
        cancel_history: cancelled.cancel_history.len(),
        listed: listed.into_iter().map(|p| p.imp_uid).collect(),
        get_token_calls: server.get_token_calls(),
        requests: server.requests().len(),
    })
}

/// What a server checks before it ships an order: `verify_payment` looks the payment up
/// and answers `Verdict::Paid` only when PortOne has it paid, for this order, with the
/// order's amount and currency, and nothing refunded.
///
/// # Errors
///
/// When the lookup fails, and for every other verdict (not paid, refunded, or a mismatch:
/// an amount changed in the browser, another order's payment, an unknown `imp_uid`).
pub(crate) async fn verify(
    client: &Client,
    imp_uid: &str,
    order: &Order,
) -> Result<Payment, BoxError> {
    match client.verify_payment(imp_uid, order).await? {
        Verdict::Paid { payment } => Ok(*payment),
        other => Err(format!("do not ship {}: {other}", order.merchant_uid).into()),
    }
}

fn print_summary(s: &Summary) {
    let total: Decimal = s.refunds.iter().sum();
    let statuses: Vec<&str> = s.statuses.iter().map(PaymentStatus::as_str).collect();
    println!("summary");
    println!("  order            {} = {}", s.merchant_uid, s.imp_uid);
    println!("  prepared / paid  {} / {}", s.prepared, s.paid);
    println!(
        "  refunded         {total} ({})",
        s.refunds
            .iter()
            .map(Decimal::to_string)
            .collect::<Vec<_>>()
            .join(" + ")
    );
    println!("  statuses         {}", statuses.join(" -> "));
    println!("  cancel_history   {} entries", s.cancel_history);
    println!("  listed           {}", s.listed.join(", "));
    println!(
        "  getToken         {} call(s) for {} request(s)",
        s.get_token_calls, s.requests
    );
}

/// Credentials for the real API, taken from the environment by `main`.
pub(crate) struct RealApi {
    credentials: GetToken,
    /// `PORTONE_IMP_UID`: a payment to look up.
    pub(crate) imp_uid: Option<String>,
}

impl RealApi {
    /// `Some` when both `PORTONE_API_KEY` and `PORTONE_API_SECRET` are set and not empty;
    /// `var` reads one variable.
    pub(crate) fn from_vars(var: impl Fn(&str) -> Option<String>) -> Option<RealApi> {
        let var = |name: &str| var(name).filter(|value| !value.is_empty());
        let key = var("PORTONE_API_KEY")?;
        let secret = var("PORTONE_API_SECRET")?;
        Some(RealApi {
            credentials: GetToken::new(key, secret),
            imp_uid: var("PORTONE_IMP_UID"),
        })
    }
}

/// What the read-only run saw.
// The binary prints it; the test that runs this example reads it.
#[allow(dead_code)]
#[derive(Debug)]
pub(crate) struct ReadOnly {
    /// Seconds the token has left, by the server's clock.
    pub(crate) token_lifetime: i64,
    /// The payment looked up, when `PORTONE_IMP_UID` was set.
    pub(crate) looked_up: Option<Payment>,
    /// Paid payments in the last 90 days (the listing's `total`).
    pub(crate) paid_total: u64,
    /// Bank codes PortOne knows.
    pub(crate) banks: usize,
}

/// Read-only calls on a real account: nothing is paid, refunded or changed.
///
/// # Errors
///
/// Refused credentials, an unknown `PORTONE_IMP_UID`, any failed call.
pub(crate) async fn run_read_only(client: &Client, real: &RealApi) -> Result<ReadOnly, BoxError> {
    // The client fetches and refreshes tokens by itself; this call only shows the lifetime.
    let token = client.get_token(&real.credentials).await?;
    let token_lifetime = token.expired_at.as_secs() - token.now.as_secs();
    println!("[1/4] token     credentials accepted; the token lives {token_lifetime} s more");

    let looked_up = match &real.imp_uid {
        Some(imp_uid) => {
            let p = client.payment_including_sandbox(imp_uid).await?;
            println!(
                "[2/4] lookup    {} ({}): {} {} {}, sandbox {}",
                p.imp_uid, p.merchant_uid, p.status, p.amount, p.currency, p.sandbox
            );
            Some(p)
        }
        None => {
            println!("[2/4] lookup    skipped: set PORTONE_IMP_UID to look a payment up");
            None
        }
    };

    let page = client
        .payments_by_status(
            PaymentStatusFilter::Paid,
            &PaymentsByStatus::new().page(1).limit(5),
        )
        .await?;
    println!(
        "[3/4] list      {} paid payment(s) in the last 90 days; the latest:",
        page.total
    );
    for p in &page.list {
        println!(
            "                {} {} {} {}",
            p.imp_uid, p.merchant_uid, p.amount, p.currency
        );
    }

    let banks = client.bank_codes().await?;
    let sample: Vec<String> = banks
        .iter()
        .take(3)
        .map(|b| format!("{} {}", b.code, b.name))
        .collect();
    println!(
        "[4/4] banks     {} bank codes ({}, ...)",
        banks.len(),
        sample.join(", ")
    );
    println!("done: read-only calls only, nothing was changed");
    Ok(ReadOnly {
        token_lifetime,
        looked_up,
        paid_total: page.total,
        banks: banks.len(),
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
