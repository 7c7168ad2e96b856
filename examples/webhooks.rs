//! Webhooks: a real HTTP receiver for PortOne's notifications that believes none of them
//! until PortOne's own record of the payment matches the shop's order.
//!
//! ```text
//! cargo run --example webhooks
//! ```
//!
//! It starts an axum server on `127.0.0.1:0` whose one route reads a notification with
//! `portone::webhook::Notification::parse`, finds the order in the shop's own records by
//! its `merchant_uid`, and asks `verify_notification` for the verdict: the client looks the
//! payment up at PortOne and compares its order, amount and currency with the order's. The
//! shop ships an order once, however many `paid` notifications arrive.
//!
//! `portone-mock` plays PortOne, with this receiver as the account's webhook URL, and sends
//! its real webhooks: a card checkout paid, the same notification again, a virtual account
//! issued then paid, a partial cancel (through the API with `enable_webhook`) and the full
//! cancel of the rest (in the console), a forged notification for a payment that was never
//! made, and a checkout whose amount was changed in the browser. Nothing leaves the
//! machine.
//!
//! It prints one line per notification with the verdict, and exits with 0 only if every
//! verdict is the expected one.

// An example talks to whoever runs it.
#![allow(clippy::print_stdout)]

use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use portone::model::CancelPayment;
use portone::prelude::*;
use portone::verify::{Mismatch, Order, Verdict};
use portone::webhook::Notification;
use portone_mock::{Checkout, MockServer, Webhook};
use rust_decimal::Decimal;

pub(crate) type BoxError = Box<dyn StdError + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let summary = run().await?;
    let wrong = summary.lines.iter().filter(|l| !l.as_expected()).count();
    if wrong > 0 {
        return Err(format!("{wrong} verdict(s) were not the expected ones").into());
    }
    let delivered = summary
        .deliveries
        .iter()
        .filter(|d| d.state == portone_mock::DeliveryState::Delivered)
        .count();
    println!(
        "every verdict as expected; {delivered} notifications answered 200; shipped once each: {}",
        summary.shipped.join(", ")
    );
    Ok(())
}

/// The shop: its own records of what each order costs, and what it shipped.
struct Shop {
    client: portone::Client,
    orders: HashMap<String, Order>,
    shipped: Mutex<Vec<String>>,
    handled: Mutex<Vec<Handled>>,
}

/// One notification the receiver handled.
#[derive(Debug, Clone)]
pub(crate) struct Handled {
    pub(crate) notification: Notification,
    /// `None` when the notification named no order of the shop's.
    pub(crate) verdict: Option<Verdict>,
}

/// The webhook route: parse, find the order, verify, act once.
async fn receive(State(shop): State<Arc<Shop>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Ok(notification) = Notification::parse(content_type, &body) else {
        return StatusCode::BAD_REQUEST;
    };
    // What the order costs comes from the shop's records, never from the notification.
    let Some(order) = shop.orders.get(&notification.merchant_uid) else {
        shop.record(notification, None);
        return StatusCode::OK;
    };
    match shop.client.verify_notification(&notification, order).await {
        Ok(verdict) => {
            if verdict.is_paid() {
                shop.ship_once(&order.merchant_uid);
            }
            shop.record(notification, Some(verdict));
            StatusCode::OK
        }
        // PortOne could not be asked: a 5xx makes PortOne send it again (when re-sending
        // is on), and the order is checked again then.
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl Shop {
    fn ship_once(&self, merchant_uid: &str) {
        let mut shipped = self.shipped.lock().unwrap_or_else(PoisonError::into_inner);
        if !shipped.iter().any(|m| m == merchant_uid) {
            shipped.push(merchant_uid.to_owned());
        }
    }

    fn record(&self, notification: Notification, verdict: Option<Verdict>) {
        self.handled
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Handled {
                notification,
                verdict,
            });
    }

    fn handled(&self) -> Vec<Handled> {
        self.handled
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A verdict in a few words, with the amount where it matters.
pub(crate) fn label(verdict: Option<&Verdict>) -> String {
    match verdict {
        None => "not our order".into(),
        Some(Verdict::Paid { .. }) => "paid".into(),
        Some(Verdict::VbankIssued { .. }) => "vbank issued".into(),
        Some(Verdict::Cancelled {
            cancelled, full, ..
        }) => format!(
            "{} cancelled {cancelled}",
            if *full { "fully" } else { "partly" }
        ),
        Some(Verdict::Failed { .. }) => "failed".into(),
        Some(Verdict::Pending { .. }) => "pending".into(),
        Some(Verdict::Mismatch(Mismatch::UnknownPayment { .. })) => {
            "forgery: unknown payment".into()
        }
        Some(Verdict::Mismatch(Mismatch::Amount { .. })) => "forgery: amount".into(),
        Some(Verdict::Mismatch(_)) => "forgery: other".into(),
        Some(_) => "other".into(),
    }
}

/// One notification as it was handled, next to what was expected of it.
#[derive(Debug)]
pub(crate) struct Line {
    pub(crate) what: &'static str,
    pub(crate) expected: String,
    pub(crate) handled: Handled,
}

impl Line {
    pub(crate) fn label(&self) -> String {
        label(self.handled.verdict.as_ref())
    }

    pub(crate) fn as_expected(&self) -> bool {
        self.label() == self.expected
    }
}

/// What the run did, for the test that runs this example.
#[derive(Debug)]
pub(crate) struct Summary {
    pub(crate) lines: Vec<Line>,
    /// Orders shipped, each once, in order.
    pub(crate) shipped: Vec<String>,
    /// Every delivery the mock made, as it recorded them.
    pub(crate) deliveries: Vec<portone_mock::WebhookDelivery>,
}

/// Starts the receiver and the mock, makes each event happen, and prints a line for each
/// notification once it is handled.
///
/// # Errors
///
/// When a server cannot start, a call to the mock fails, or a notification is not handled
/// within 30 s.
pub(crate) async fn run() -> Result<Summary, BoxError> {
    // The receiver's address first: it is the account's webhook URL in PortOne's console.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/portone/webhook", listener.local_addr()?);
    let server = MockServer::builder().webhook_url(&url).try_start().await?;
    println!("receiver on {url}, portone-mock on {}", server.base_url());

    let client = portone::Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()?;
    let orders = [
        Order::new("wh-card", 15_000),
        Order::new("wh-vbank", 30_000),
        Order::new("wh-gift", 50_000),
        Order::new("wh-tampered", 50_000),
    ];
    let shop = Arc::new(Shop {
        client: client.clone(),
        orders: orders
            .into_iter()
            .map(|o| (o.merchant_uid.clone(), o))
            .collect(),
        shipped: Mutex::new(Vec::new()),
        handled: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .route("/portone/webhook", post(receive))
        .with_state(shop.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let mut walk = Walk {
        server: &server,
        shop: &shop,
        lines: Vec::new(),
    };

    // A card checkout, paid.
    let card = server.try_checkout(Checkout::paid("wh-card", 15_000))?;
    walk.expect("card checkout paid", "paid").await?;

    // PortOne can send the same notification twice: the verdict is the same, the order
    // ships once.
    server.duplicate_webhook(1)?;
    walk.expect("the same notification again", "paid").await?;

    // A virtual account: issued now, paid when the buyer deposits.
    let vbank = server.try_checkout(Checkout::vbank_ready("wh-vbank", 30_000))?;
    walk.expect("virtual account issued", "vbank issued")
        .await?;
    server.try_deposit(&vbank)?;
    walk.expect("virtual account paid", "paid").await?;

    // Part of the card payment refunded through the API, which notifies when asked to...
    let order = Order::new("wh-card", 15_000);
    let Verdict::Paid { payment: paid } = client.verify_payment(&card, &order).await? else {
        return Err("the card payment is not paid before its refund".into());
    };
    let partial = CancelPayment::partial_by_imp_uid(&card, Decimal::from(5_000))?
        .checksum(paid.cancellable_amount())
        .reason("one item returned")
        .enable_webhook(true);
    client.cancel_payment(&partial).await?;
    walk.expect("partial refund", "partly cancelled 5000")
        .await?;
    // ...and the rest in PortOne's console.
    server.try_cancel_in_console(&card, None)?;
    walk.expect("the rest refunded in the console", "fully cancelled 15000")
        .await?;

    // Anyone can POST to the URL: a "paid" for an order nobody paid.
    server.send_webhook(&url, Webhook::new("imp_000000000000", "wh-gift", "paid"));
    walk.expect("forged notification", "forgery: unknown payment")
        .await?;

    // The browser changed the amount: PortOne took 500 for a 50 000 order.
    server.try_checkout(Checkout::paid("wh-tampered", 500))?;
    walk.expect("amount changed in the browser", "forgery: amount")
        .await?;

    let shipped = shop
        .shipped
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    Ok(Summary {
        lines: walk.lines,
        shipped,
        deliveries: server.webhooks(),
    })
}

/// The run's steps: each waits for the mock's delivery to settle (the receiver has
/// answered by then) and prints what the receiver decided.
struct Walk<'a> {
    server: &'a MockServer,
    shop: &'a Shop,
    lines: Vec<Line>,
}

impl Walk<'_> {
    async fn expect(&mut self, what: &'static str, expected: &str) -> Result<(), BoxError> {
        let n = self.lines.len() + 1;
        let wait = self.server.wait_for_webhooks(n);
        tokio::time::timeout(std::time::Duration::from_secs(30), wait)
            .await
            .map_err(|_| format!("notification {n} ({what}) was not handled within 30 s"))?;
        let handled = self
            .shop
            .handled()
            .get(n - 1)
            .cloned()
            .ok_or_else(|| format!("notification {n} ({what}) was refused by the receiver"))?;
        let line = Line {
            what,
            expected: expected.to_owned(),
            handled,
        };
        let n = &line.handled.notification;
        let verdict = line
            .handled
            .verdict
            .as_ref()
            .map_or_else(|| "no order of ours".to_owned(), ToString::to_string);
        println!(
            "{:>2}. {:<34} {:<9} {} {:<12} => {verdict} [{}]",
            self.lines.len() + 1,
            line.what,
            n.status.as_str(),
            n.imp_uid,
            n.merchant_uid,
            if line.as_expected() {
                "as expected".to_owned()
            } else {
                format!("EXPECTED {}", line.expected)
            }
        );
        self.lines.push(line);
        Ok(())
    }
}
