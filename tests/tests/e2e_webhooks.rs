//! Webhooks end to end: `portone-mock` sends its real notifications to a receiver that
//! reads them with `portone::webhook` and verifies them with `portone::verify`, for every
//! event PortOne documents, with re-sends, duplicates, forgeries and late notifications.
//!
//! The receiver is raw HTTP on `127.0.0.1`, so that it can also hang up on the mock the way
//! a crashing server or a broken proxy does.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use portone::Client;
use portone::model::{
    CancelPayment, OnetimePayment, PaymentStatus, SchedulePayments, ScheduledPayment,
};
use portone::prelude::*;
use portone::verify::{Mismatch, Order, Verdict};
use portone::webhook::Notification;
use portone_mock::{
    Checkout, DeliveryState, Fault, Method, MockServer, Webhook, WebhookDelivery, WebhookEvent,
    WebhookFormat, cards,
};
use rust_decimal::Decimal;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Every wait is bounded: a notification that is never handled fails the test.
const DEADLINE: Duration = Duration::from_secs(30);

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()
        .expect("a client for the mock")
}

/// What the receiver does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Behaviour {
    /// Parse, verify, act, answer.
    Handle,
    /// Hang up before reading anything into the shop: the notification is lost.
    HangUpBefore,
    /// Handle it, then hang up instead of answering: done, but PortOne cannot know.
    HangUpAfter,
}

/// What happened to one request.
#[derive(Debug, Clone)]
enum Outcome {
    Verdict(Notification, Verdict),
    /// The lookup failed; answered 500 so that PortOne sends it again.
    LookupFailed(Notification),
    /// Not a notification; answered 400.
    Unreadable,
    /// Hung up before handling.
    Lost,
}

/// The shop behind the receiver: its own orders, what it shipped, and what it saw.
struct Shop {
    client: Client,
    orders: HashMap<String, Order>,
    shipped: Mutex<Vec<String>>,
    outcomes: Mutex<Vec<Outcome>>,
    plan: Mutex<VecDeque<Behaviour>>,
}

struct Receiver {
    url: String,
    shop: Arc<Shop>,
}

impl Receiver {
    /// Serves on `listener`, bound before the mock started so that its URL could be the
    /// account's webhook URL.
    fn serve(
        listener: TcpListener,
        client: Client,
        orders: impl IntoIterator<Item = Order>,
    ) -> Receiver {
        let url = format!(
            "http://{}/portone/webhook",
            listener.local_addr().expect("addr")
        );
        let shop = Arc::new(Shop {
            client,
            orders: orders
                .into_iter()
                .map(|o| (o.merchant_uid.clone(), o))
                .collect(),
            shipped: Mutex::new(Vec::new()),
            outcomes: Mutex::new(Vec::new()),
            plan: Mutex::new(VecDeque::new()),
        });
        let serving = shop.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, serving.clone()));
            }
        });
        Receiver { url, shop }
    }

    /// The next requests are handled this way, then normally.
    fn plan(&self, behaviours: impl IntoIterator<Item = Behaviour>) {
        lock(&self.shop.plan).extend(behaviours);
    }

    fn outcomes(&self) -> Vec<Outcome> {
        lock(&self.shop.outcomes).clone()
    }

    fn verdicts(&self) -> Vec<Verdict> {
        self.outcomes()
            .into_iter()
            .filter_map(|o| match o {
                Outcome::Verdict(_, v) => Some(v),
                _ => None,
            })
            .collect()
    }

    fn last_verdict(&self) -> Verdict {
        self.verdicts().pop().expect("a verdict")
    }

    fn shipped(&self) -> Vec<String> {
        lock(&self.shop.shipped).clone()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn serve(mut stream: TcpStream, shop: Arc<Shop>) {
    let Some((content_type, body)) = read_request(&mut stream).await else {
        return;
    };
    let behaviour = lock(&shop.plan).pop_front().unwrap_or(Behaviour::Handle);
    if behaviour == Behaviour::HangUpBefore {
        lock(&shop.outcomes).push(Outcome::Lost);
        return;
    }
    let status = handle(&shop, &content_type, &body).await;
    if behaviour == Behaviour::HangUpAfter {
        return;
    }
    let head = format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// What every receiver should do: parse, look the order up in the shop's own records,
/// verify, act once, and answer 200 whatever the verdict (500 only when PortOne could not
/// be asked, so that it sends the notification again).
async fn handle(shop: &Shop, content_type: &str, body: &[u8]) -> u16 {
    let Ok(notification) = Notification::parse(content_type, body) else {
        lock(&shop.outcomes).push(Outcome::Unreadable);
        return 400;
    };
    let Some(order) = shop.orders.get(&notification.merchant_uid) else {
        return 200;
    };
    match shop.client.verify_notification(&notification, order).await {
        Ok(verdict) => {
            if verdict.is_paid() {
                let mut shipped = lock(&shop.shipped);
                if !shipped.contains(&order.merchant_uid) {
                    shipped.push(order.merchant_uid.clone());
                }
            }
            lock(&shop.outcomes).push(Outcome::Verdict(notification, verdict));
            200
        }
        Err(_) => {
            lock(&shop.outcomes).push(Outcome::LookupFailed(notification));
            500
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let header = |name: &str| {
        head.lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
    };
    let length: usize = header("content-length")?.parse().ok()?;
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[head_end..head_end + length].to_vec();
    Some((header("content-type").unwrap_or_default(), body))
}

async fn settled(server: &MockServer, count: usize) -> Vec<WebhookDelivery> {
    tokio::time::timeout(DEADLINE, server.wait_for_webhooks(count))
        .await
        .expect("the deliveries settle")
}

/// A mock (frozen clock) whose account URL is a receiver's, configured further by
/// `configure`; the receiver's shop has `orders`.
async fn setup(
    orders: impl IntoIterator<Item = Order>,
    configure: impl FnOnce(portone_mock::MockServerBuilder) -> portone_mock::MockServerBuilder,
) -> (MockServer, Client, Receiver) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!(
        "http://{}/portone/webhook",
        listener.local_addr().expect("addr")
    );
    let builder = MockServer::builder().frozen_clock().webhook_url(&url);
    let server = configure(builder).start().await;
    let client = client_for(&server);
    let receiver = Receiver::serve(listener, client.clone(), orders);
    (server, client, receiver)
}

/// The mock as `setup` makes it, nothing more.
fn as_is(builder: portone_mock::MockServerBuilder) -> portone_mock::MockServerBuilder {
    builder
}

#[tokio::test]
async fn every_event_is_judged_by_what_portone_has() {
    let orders = [
        Order::new("card", 15_000),
        Order::new("vbank", 30_000),
        Order::new("onetime", 9_900),
        Order::new("sched-paid", 12_000),
        Order::new("sched-failed", 12_000),
    ];
    let (server, client, receiver) = setup(orders, as_is).await;

    // A card checkout.
    let card = server.checkout(Checkout::paid("card", 15_000));
    settled(&server, 1).await;
    let Verdict::Paid { payment } = receiver.last_verdict() else {
        panic!("{:?}", receiver.outcomes());
    };
    assert_eq!(
        (payment.imp_uid.as_str(), payment.amount),
        (card.as_str(), Decimal::from(15_000))
    );

    // A virtual account, issued then paid.
    let vbank = server.checkout(Checkout::vbank_ready("vbank", 30_000));
    settled(&server, 2).await;
    let Verdict::VbankIssued { account, payment } = receiver.last_verdict() else {
        panic!("{:?}", receiver.outcomes());
    };
    assert_eq!(account.number, payment.vbank_num);
    assert!(account.number.as_deref().is_some_and(|n| !n.is_empty()));
    assert_eq!(account.due, payment.vbank_date);
    assert!(account.bank_name.is_some() && account.holder.is_some());
    server.deposit(&vbank);
    settled(&server, 3).await;
    assert!(receiver.last_verdict().is_paid());

    // A one-time card payment made through the API, notified at its own `notice_url`.
    let paid = client
        .pay_onetime(
            &OnetimePayment::new("onetime", 9_900, cards::APPROVED, "2030-12")
                .notice_url(receiver.url.clone()),
        )
        .await
        .expect("paid");
    let all = settled(&server, 4).await;
    assert_eq!(all[3].webhook.imp_uid, paid.imp_uid);
    assert!(receiver.last_verdict().is_paid());

    // Two scheduled payments: one paid, one declined by the card company.
    let at = server.now() + 600;
    for (key, card_number, merchant_uid) in [
        ("key-ok", cards::APPROVED, "sched-paid"),
        ("key-poor", cards::INSUFFICIENT_FUNDS, "sched-failed"),
    ] {
        client
            .schedule_payments(
                &SchedulePayments::new(
                    key,
                    [ScheduledPayment::new(merchant_uid, at, 12_000, "월 구독")],
                )
                .card_number(card_number)
                .expiry("2030-12"),
            )
            .await
            .expect("scheduled");
    }
    server.advance(Duration::from_secs(600));
    settled(&server, 6).await;
    let verdicts = receiver.verdicts();
    let runs: Vec<(String, &'static str)> = verdicts[4..]
        .iter()
        .map(|v| {
            let p = v.payment().expect("a payment");
            let kind = match v {
                Verdict::Paid { .. } => "paid",
                Verdict::Failed { reason, .. } if reason.is_some() => "failed with a reason",
                _ => "other",
            };
            (p.merchant_uid.clone(), kind)
        })
        .collect();
    let mut runs = runs;
    runs.sort();
    assert_eq!(
        runs,
        [
            ("sched-failed".to_owned(), "failed with a reason"),
            ("sched-paid".to_owned(), "paid")
        ]
    );

    // A partial refund through the API that asks for its webhook, then the rest in the
    // console.
    let partial = CancelPayment::partial_by_imp_uid(&card, Decimal::from(4_000))
        .expect("a partial refund")
        .checksum(Decimal::from(15_000))
        .enable_webhook(true);
    let after = client.cancel_payment(&partial).await.expect("refunded");
    assert_eq!(
        after.status,
        PaymentStatus::Paid,
        "PortOne keeps a partly refunded payment paid"
    );
    settled(&server, 7).await;
    let outcomes = receiver.outcomes();
    let Some(Outcome::Verdict(claimed, verdict)) = outcomes.last() else {
        panic!("{outcomes:?}");
    };
    assert_eq!(
        claimed.status,
        PaymentStatus::Cancelled,
        "the notification says cancelled"
    );
    assert_eq!(
        claimed.cancellation_id,
        after
            .cancel_history
            .last()
            .and_then(|c| c.cancellation_id.clone())
    );
    assert!(
        matches!(verdict, Verdict::Cancelled { cancelled, full: false, .. } if *cancelled == Decimal::from(4_000)),
        "{verdict:?}"
    );
    server.cancel_in_console(&card, None);
    settled(&server, 8).await;
    assert!(matches!(
        receiver.last_verdict(),
        Verdict::Cancelled { cancelled, full: true, .. } if cancelled == Decimal::from(15_000)
    ));

    assert_eq!(
        receiver.shipped(),
        ["card", "vbank", "onetime", "sched-paid"]
    );
    let all = server.webhooks();
    assert!(all.iter().all(|d| d.state == DeliveryState::Delivered));
    let mut events: Vec<WebhookEvent> = all.iter().map(|d| d.event).collect();
    events[4..6].sort_by_key(|e| format!("{e:?}"));
    assert_eq!(
        events,
        [
            WebhookEvent::Paid,
            WebhookEvent::VbankIssued,
            WebhookEvent::VbankDeposited,
            WebhookEvent::Paid,
            WebhookEvent::ScheduleFailed,
            WebhookEvent::SchedulePaid,
            WebhookEvent::Cancelled,
            WebhookEvent::ConsoleCancelled,
        ]
    );
}

#[tokio::test]
async fn form_bodies_read_the_same() {
    let (server, _client, receiver) = setup([Order::new("주문 1/2", 1_000)], |b| {
        b.webhook_format(WebhookFormat::Form)
    })
    .await;
    let imp_uid = server.checkout(Checkout::paid("주문 1/2", 1_000));
    let all = settled(&server, 1).await;
    assert_eq!(all[0].content_type, "application/x-www-form-urlencoded");
    let Some(Outcome::Verdict(n, verdict)) = receiver.outcomes().pop() else {
        panic!("{:?}", receiver.outcomes());
    };
    assert_eq!(
        n,
        Notification::new(imp_uid, "주문 1/2", PaymentStatus::Paid)
    );
    assert!(verdict.is_paid());
}

#[tokio::test]
async fn a_failed_lookup_answers_5xx_and_the_resent_notification_is_verified() {
    let (server, _client, receiver) =
        setup([Order::new("order-1", 15_000)], |b| b.webhook_resend(true)).await;
    // Every lookup attempt of the first notification meets a proxy's 502 (the client tries
    // a lookup three times).
    server.inject(
        Fault::html_502()
            .on(Method::GET, "/payments/{imp_uid}")
            .times(3),
    );
    server.checkout(Checkout::paid("order-1", 15_000));
    let first = settled(&server, 1).await;
    assert_eq!(first[0].state, DeliveryState::Retrying);
    assert_eq!(first[0].last_status(), Some(500));
    assert!(
        matches!(&receiver.outcomes()[..], [Outcome::LookupFailed(n)] if n.merchant_uid == "order-1"),
        "{:?}",
        receiver.outcomes()
    );
    assert!(receiver.shipped().is_empty());

    server.advance(Duration::from_secs(60));
    let resent = settled(&server, 1).await;
    assert_eq!(resent[0].state, DeliveryState::Delivered);
    let statuses: Vec<Option<u16>> = resent[0].attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(500), Some(200)]);
    assert!(receiver.last_verdict().is_paid());
    assert_eq!(receiver.shipped(), ["order-1"]);
}

#[tokio::test]
async fn a_dropped_connection_is_resent_and_the_order_ships_once() {
    let (server, _client, receiver) =
        setup([Order::new("order-1", 15_000)], |b| b.webhook_resend(true)).await;
    // The receiver handles the first notification, then its answer is lost.
    receiver.plan([Behaviour::HangUpAfter]);
    server.checkout(Checkout::paid("order-1", 15_000));
    let first = settled(&server, 1).await;
    assert_eq!(first[0].state, DeliveryState::Retrying);
    assert!(first[0].attempts[0].error.is_some());
    assert_eq!(receiver.shipped(), ["order-1"]);

    server.advance(Duration::from_secs(60));
    let resent = settled(&server, 1).await;
    assert_eq!(resent[0].state, DeliveryState::Delivered);
    let verdicts = receiver.verdicts();
    assert_eq!(verdicts.len(), 2);
    assert_eq!(verdicts[0], verdicts[1], "the same verdict both times");
    assert_eq!(receiver.shipped(), ["order-1"], "shipped once");
}

#[tokio::test]
async fn duplicates_get_the_same_verdict_and_ship_once() {
    let (server, _client, receiver) = setup([Order::new("order-1", 15_000)], as_is).await;
    server.checkout(Checkout::paid("order-1", 15_000));
    settled(&server, 1).await;
    for _ in 0..3 {
        server.duplicate_webhook(1).expect("delivery 1");
    }
    let all = settled(&server, 4).await;
    assert!(all[1..].iter().all(|d| d.body == all[0].body));
    let verdicts = receiver.verdicts();
    assert_eq!(verdicts.len(), 4);
    assert!(verdicts.iter().all(|v| *v == verdicts[0] && v.is_paid()));
    assert_eq!(receiver.shipped(), ["order-1"]);
}

#[tokio::test]
async fn forgeries_and_mismatches_never_ship() {
    let orders = [
        Order::new("expensive", 500_000),
        Order::new("cheap", 1_000),
        Order::new("tampered", 50_000),
        Order::new("wrong-currency", 15_000),
        Order::new("test-channel", 15_000),
        Order::new("declined", 15_000),
    ];
    let (server, _client, receiver) = setup(orders, as_is).await;

    // A payment that was never made.
    server.send_webhook(
        &receiver.url,
        Webhook::new("imp_000000000000", "expensive", "paid"),
    );
    // A real, cheap payment presented for the expensive order.
    let cheap = server.checkout(Checkout::paid("cheap", 1_000));
    settled(&server, 2).await;
    server.send_webhook(&receiver.url, Webhook::new(&cheap, "expensive", "paid"));
    // The amount changed in the browser.
    server.checkout(Checkout::paid("tampered", 500));
    // Another currency, the same number.
    server.checkout(Checkout::paid("wrong-currency", 15_000).currency("USD"));
    // A payment on the account's test channel: no money moved.
    server.checkout(Checkout::paid("test-channel", 15_000).sandbox(true));
    // A "paid" claim for a payment that failed.
    let failed = server.checkout(Checkout::failed("declined", 15_000));
    server.send_webhook(&receiver.url, Webhook::new(&failed, "declined", "paid"));
    // Not a notification at all.
    let garbage = Webhook::new("", "", "");
    server.send_webhook(&receiver.url, garbage);
    settled(&server, 8).await;

    let mut seen: Vec<(String, String)> = receiver
        .outcomes()
        .into_iter()
        .filter_map(|o| match o {
            Outcome::Verdict(n, v) => Some((n.merchant_uid, kind(&v).to_owned())),
            Outcome::Unreadable => Some((String::new(), "unreadable".to_owned())),
            _ => None,
        })
        .collect();
    seen.sort();
    let mut expected: Vec<(String, String)> = [
        ("", "unreadable"),
        ("cheap", "paid"),
        ("declined", "failed"),
        ("expensive", "unknown payment"),
        ("expensive", "another order's payment"),
        ("tampered", "amount"),
        ("test-channel", "test payment"),
        ("wrong-currency", "currency"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    expected.sort();
    assert_eq!(seen, expected);
    assert_eq!(receiver.shipped(), ["cheap"]);
}

fn kind(v: &Verdict) -> &'static str {
    match v {
        Verdict::Paid { .. } => "paid",
        Verdict::Failed { .. } => "failed",
        Verdict::Mismatch(Mismatch::UnknownPayment { .. }) => "unknown payment",
        Verdict::Mismatch(Mismatch::MerchantUid { .. }) => "another order's payment",
        Verdict::Mismatch(Mismatch::Amount { .. }) => "amount",
        Verdict::Mismatch(Mismatch::Currency { .. }) => "currency",
        Verdict::Mismatch(Mismatch::TestPayment { .. }) => "test payment",
        _ => "other",
    }
}

/// The shop's nightly job: orders still unpaid after their virtual account's due time are
/// cancelled. It must ask PortOne, not count webhooks.
async fn expire_unpaid(client: &Client, imp_uid: &str, order: &Order) -> &'static str {
    match client.verify_payment(imp_uid, order).await {
        Ok(Verdict::Paid { .. }) => "keep: paid",
        Ok(Verdict::VbankIssued { .. } | Verdict::Pending { .. }) => "cancel: never paid",
        Ok(_) => "leave to a human",
        Err(_) => "retry later: PortOne could not be asked",
    }
}

#[tokio::test]
async fn a_late_or_lost_webhook_never_cancels_a_paid_order() {
    let order = Order::new("order-1", 30_000);
    let (server, client, receiver) = setup([order.clone()], as_is).await;
    let imp_uid = server.checkout(Checkout::vbank_ready("order-1", 30_000));
    settled(&server, 1).await;
    assert!(matches!(
        receiver.last_verdict(),
        Verdict::VbankIssued { .. }
    ));

    // The buyer pays; the notification of the deposit is lost (sent once, by default).
    receiver.plan([Behaviour::HangUpBefore]);
    server.deposit(&imp_uid);
    let all = settled(&server, 2).await;
    assert_eq!(all[1].state, DeliveryState::Failed);
    assert!(
        receiver.shipped().is_empty(),
        "no webhook came: nothing shipped yet"
    );

    // The job that would cancel unpaid orders asks PortOne instead of trusting silence.
    server.advance(Duration::from_secs(4 * 24 * 3600));
    assert_eq!(expire_unpaid(&client, &imp_uid, &order).await, "keep: paid");

    // The `ready` notification arrives again, late: the verdict is today's, `paid`.
    server.duplicate_webhook(1).expect("delivery 1");
    settled(&server, 3).await;
    assert!(receiver.last_verdict().is_paid());
    assert_eq!(receiver.shipped(), ["order-1"]);

    // So does a forged `cancelled`: the payment is still paid, and nothing was cancelled.
    server.send_webhook(
        &receiver.url,
        Webhook::new(&imp_uid, "order-1", "cancelled"),
    );
    settled(&server, 4).await;
    assert!(receiver.last_verdict().is_paid());
    assert!(
        !server
            .requests()
            .iter()
            .any(|r| r.path == "/payments/cancel"),
        "nothing asked PortOne to cancel"
    );

    // An order that really was never paid is cancelled by the same job.
    let unpaid = server.checkout(Checkout::vbank_ready("order-2", 1_000));
    let unpaid_order = Order::new("order-2", 1_000);
    assert_eq!(
        expire_unpaid(&client, &unpaid, &unpaid_order).await,
        "cancel: never paid"
    );
}

#[tokio::test]
async fn a_lookup_that_fails_is_an_error_never_a_verdict() {
    let server = MockServer::builder().frozen_clock().start().await;
    let client = client_for(&server);
    let imp_uid = server.checkout(Checkout::paid("order-1", 1_000));
    let order = Order::new("order-1", 1_000);

    server.inject(Fault::internal_error().on(Method::GET, "/payments/{imp_uid}"));
    let error = client
        .verify_payment(&imp_uid, &order)
        .await
        .expect_err("a 500 is no verdict");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    server.clear_faults();

    let refused = Client::builder()
        .api_key(server.api_key())
        .api_secret("not-the-secret")
        .base_url(server.base_url())
        .build()
        .expect("a client");
    let error = refused
        .verify_payment(&imp_uid, &order)
        .await
        .expect_err("refused credentials are no verdict");
    assert!(error.is_auth(), "{error:?}");

    // PortOne saying "no such payment" is the one failure that is a verdict.
    let unknown = client
        .verify_payment("imp_000000000000", &order)
        .await
        .expect("a verdict");
    assert!(matches!(
        unknown,
        Verdict::Mismatch(Mismatch::UnknownPayment { ref imp_uid }) if imp_uid == "imp_000000000000"
    ));
    // An id that cannot be a path segment names no payment, and is never sent.
    server.reset_log();
    for bad in ["", ".", ".."] {
        let verdict = client.verify_payment(bad, &order).await.expect("a verdict");
        assert!(matches!(
            verdict,
            Verdict::Mismatch(Mismatch::UnknownPayment { .. })
        ));
    }
    assert!(server.requests().is_empty());

    let paid = client
        .verify_payment(&imp_uid, &order)
        .await
        .expect("a verdict");
    assert!(paid.is_paid());
}

#[tokio::test]
async fn the_lookup_includes_test_channels_and_works_for_tier_views() {
    let server = MockServer::builder()
        .frozen_clock()
        .agency(["A1B"])
        .start()
        .await;
    let client = client_for(&server);
    let imp_uid = server.checkout(Checkout::paid("order-1", 1_000).sandbox(true).tier("A1B"));
    let shop = client.with_tier("A1B").expect("a valid tier");
    let order = Order::new("order-1", 1_000);
    let verdict = shop
        .verify_payment(&imp_uid, &order)
        .await
        .expect("a verdict");
    assert!(matches!(
        verdict,
        Verdict::Mismatch(Mismatch::TestPayment { .. })
    ));
    let test_env = order.accept_test_payments(true);
    assert!(
        shop.verify_payment(&imp_uid, &test_env)
            .await
            .expect("a verdict")
            .is_paid()
    );
    let lookup = server
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.starts_with("/payments/"))
        .expect("a lookup");
    assert_eq!(lookup.path, format!("/payments/{imp_uid}"));
    assert_eq!(lookup.query.as_deref(), Some("include_sandbox=true"));
    assert_eq!(lookup.header("tier"), Some("A1B"));
}

#[tokio::test]
async fn the_axum_extractor_reads_the_mocks_notifications() {
    use axum::http::StatusCode;

    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}/portone", listener.local_addr().expect("addr"));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/portone",
        axum::routing::post(move |n: Notification| async move {
            let _ = tx.send(n);
            StatusCode::OK
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    for format in [WebhookFormat::Json, WebhookFormat::Form] {
        let server = MockServer::builder()
            .webhook_url(&url)
            .webhook_format(format)
            .start()
            .await;
        let imp_uid = server.checkout(Checkout::paid("order-1", 1_000));
        let got = tokio::time::timeout(DEADLINE, rx.recv())
            .await
            .expect("in time")
            .expect("a notification");
        assert_eq!(
            got,
            Notification::new(imp_uid, "order-1", PaymentStatus::Paid)
        );
        // Anything else is refused with a 400 the mock records.
        server.send_webhook(&url, Webhook::new("", "order-1", "paid"));
        let all = settled(&server, 2).await;
        assert_eq!(all[0].last_status(), Some(200));
        assert_eq!(all[1].last_status(), Some(400));
    }
}
