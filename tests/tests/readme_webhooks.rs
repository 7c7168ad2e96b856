//! The README's "Verifying a payment, and receiving webhooks" snippets, verbatim between the
//! `README` markers (a test below checks that the README still holds them), run against
//! `portone-mock`. `order_of`, `ship_once` and `record` are what the README leaves to you.

// The snippets print, as a user's code would.
#![allow(clippy::print_stdout)]

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use portone::verify::{Order, Verdict};
use portone_mock::{Checkout, MockServer, Webhook};

/// The first snippet, in a module of its own as in a user's crate.
mod redirect {
    // README: begin redirect
    use portone::prelude::*;
    use portone::verify::{Order, Verdict};

    /// After the checkout, the browser sends the `imp_uid` to your server.
    async fn on_redirect(client: &portone::Client, imp_uid: &str) -> portone::Result<bool> {
        let order = Order::new("order-1001", 15_000); // from your database, never the browser
        Ok(match client.verify_payment(imp_uid, &order).await? {
            Verdict::Paid { .. } => true, // ship it (once)
            Verdict::VbankIssued { account, .. } => {
                println!("transfer to {account}");
                false
            }
            Verdict::Mismatch(forgery) => {
                eprintln!("do not ship: {forgery}"); // wrong amount, order, currency, unknown id
                false
            }
            _ => false, // failed, refunded, not paid yet
        })
    }
    // README: end

    pub(super) async fn check(client: &portone::Client, imp_uid: &str) -> portone::Result<bool> {
        on_redirect(client, imp_uid).await
    }
}

/// The second snippet; the README leaves these three to the user.
mod receiver {
    use super::{order_of, record, ship_once};

    // README: begin receiver
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode};
    use portone::prelude::*;
    use portone::webhook::Notification;

    /// `POST /portone/webhook`: the notification is a hint, the verdict comes from PortOne.
    async fn webhook(
        State(client): State<portone::Client>,
        headers: HeaderMap,
        body: Bytes,
    ) -> StatusCode {
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let Ok(notification) = Notification::parse(content_type, &body) else {
            return StatusCode::BAD_REQUEST;
        };
        let Some(order) = order_of(&notification.merchant_uid).await else {
            return StatusCode::OK; // not one of ours
        };
        match client.verify_notification(&notification, &order).await {
            Ok(verdict) if verdict.is_paid() => ship_once(&order).await, // it can come twice
            Ok(verdict) => record(&order, &verdict).await, // issued, refunded, failed, forged
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR, // PortOne re-sends after a 5xx
        }
        StatusCode::OK
    }
    // README: end

    pub(super) fn router(client: portone::Client) -> axum::Router {
        axum::Router::new()
            .route("/portone/webhook", axum::routing::post(webhook))
            .with_state(client)
    }
}

static SHIPPED: Mutex<Vec<String>> = Mutex::new(Vec::new());
static RECORDED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn lock(m: &Mutex<Vec<String>>) -> std::sync::MutexGuard<'_, Vec<String>> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The shop's one order.
async fn order_of(merchant_uid: &str) -> Option<Order> {
    (merchant_uid == "order-1001").then(|| Order::new("order-1001", 15_000))
}

async fn ship_once(order: &Order) {
    let mut shipped = lock(&SHIPPED);
    if !shipped.contains(&order.merchant_uid) {
        shipped.push(order.merchant_uid.clone());
    }
}

async fn record(order: &Order, verdict: &Verdict) {
    lock(&RECORDED).push(format!("{}: {verdict}", order.merchant_uid));
}

#[tokio::test]
async fn the_readme_receiver_and_redirect_check_work_on_the_mock() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!(
        "http://{}/portone/webhook",
        listener.local_addr().expect("addr")
    );
    let server = MockServer::builder()
        .frozen_clock()
        .webhook_url(&url)
        .start()
        .await;
    let client = portone::Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()
        .expect("a client");
    let app = receiver::router(client.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let settled = |count| {
        let server = server.clone();
        async move {
            tokio::time::timeout(Duration::from_secs(30), server.wait_for_webhooks(count))
                .await
                .expect("the deliveries settle")
        }
    };

    let paid = server.checkout(Checkout::paid("order-1001", 15_000));
    settled(1).await;
    assert_eq!(*lock(&SHIPPED), ["order-1001"]);
    server.duplicate_webhook(1).expect("delivery 1");
    server.send_webhook(&url, Webhook::new("imp_000000000000", "order-1001", "paid"));
    server.send_webhook(&url, Webhook::new("imp_1", "someone-else", "paid"));
    server.send_webhook(&url, Webhook::new("", "order-1001", "paid"));
    let all = settled(5).await;
    let statuses: Vec<Option<u16>> = all.iter().map(|d| d.last_status()).collect();
    assert_eq!(
        statuses,
        [Some(200), Some(200), Some(200), Some(200), Some(400)]
    );
    assert_eq!(*lock(&SHIPPED), ["order-1001"], "shipped once");
    assert_eq!(
        *lock(&RECORDED),
        ["order-1001: mismatch: portone has no payment `imp_000000000000`"]
    );

    assert!(redirect::check(&client, &paid).await.expect("verified"));
    assert!(
        !redirect::check(&client, "imp_000000000000")
            .await
            .expect("verified")
    );
    let vbank = server.checkout(Checkout::vbank_ready("order-1001", 15_000));
    assert!(!redirect::check(&client, &vbank).await.expect("verified"));
}

#[test]
fn the_readme_shows_these_snippets_verbatim() {
    portone_tests::readme::assert_readme_shows(
        include_str!("../../README.md"),
        include_str!("readme_webhooks.rs"),
        2,
    );
}
