//! Every example in `examples/` runs here against the embedded mock, so CI proves each one
//! works without building and spawning the example binaries.
//!
//! The example files are compiled into this test as modules. Their `main` (the only code
//! that reads the environment) runs only in the example binary; the tests call the bodies
//! and check what they report.

use std::collections::HashMap;

use portone::Client;
use portone::model::PaymentStatus;
use portone::prelude::*;
use portone_mock::{Checkout, MockServer};
use rust_decimal::Decimal;

// `main` and its error type are used only by the example binaries.
#[allow(dead_code)]
#[path = "../../examples/quickstart.rs"]
mod quickstart;

#[allow(dead_code)]
#[path = "../../examples/custom_endpoint.rs"]
mod custom_endpoint;

#[allow(dead_code)]
#[path = "../../examples/agency_tiers.rs"]
mod agency_tiers;

#[allow(dead_code)]
#[path = "../../examples/webhooks.rs"]
mod webhooks;

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()
        .expect("a client for the mock")
}

#[tokio::test]
async fn quickstart_walks_a_whole_integration_on_the_mock() {
    let s = quickstart::run_on_mock()
        .await
        .unwrap_or_else(|e| panic!("quickstart failed: {e}"));
    assert_eq!(s.merchant_uid, "quickstart-order-0001");
    assert!(s.imp_uid.starts_with("imp_"), "{}", s.imp_uid);
    assert_eq!(
        (s.prepared, s.paid),
        (Decimal::from(15_000), Decimal::from(15_000))
    );
    assert_eq!(s.refunds, [Decimal::from(5_000), Decimal::from(10_000)]);
    assert_eq!(
        s.statuses,
        [
            PaymentStatus::Paid,
            PaymentStatus::Paid,
            PaymentStatus::Cancelled
        ]
    );
    assert_eq!(s.cancel_history, 2);
    assert_eq!(s.listed, std::slice::from_ref(&s.imp_uid));
    assert_eq!(s.get_token_calls, 1);
    // getToken, prepare, lookup, two cancels, one listing page: nothing else, nothing twice.
    assert_eq!(s.requests, 6);
}

#[test]
fn quickstart_uses_the_real_api_only_with_both_credentials() {
    let vars = |pairs: &[(&str, &str)]| {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        quickstart::RealApi::from_vars(move |name| map.get(name).cloned())
    };
    assert!(vars(&[]).is_none());
    assert!(vars(&[("PORTONE_API_KEY", "k")]).is_none());
    assert!(vars(&[("PORTONE_API_SECRET", "s")]).is_none());
    assert!(vars(&[("PORTONE_API_KEY", "k"), ("PORTONE_API_SECRET", "")]).is_none());
    let real = vars(&[("PORTONE_API_KEY", "k"), ("PORTONE_API_SECRET", "s")])
        .expect("both credentials select the real API");
    assert_eq!(real.imp_uid, None);
    let real = vars(&[
        ("PORTONE_API_KEY", "k"),
        ("PORTONE_API_SECRET", "s"),
        ("PORTONE_IMP_UID", "imp_1"),
    ])
    .expect("both credentials select the real API");
    assert_eq!(real.imp_uid.as_deref(), Some("imp_1"));
}

/// The real-API mode, pointed at the mock: it must only read.
#[tokio::test]
async fn quickstart_read_only_mode_never_writes() {
    let server = MockServer::builder()
        .live_quirks(true)
        .frozen_clock()
        .start()
        .await;
    let imp_uid = server.checkout(Checkout::paid("real-1", 2_500).sandbox(true));
    server.checkout(Checkout::paid("real-2", 7_000));
    let before = client_for(&server)
        .payment_including_sandbox(&imp_uid)
        .await
        .expect("the payment exists");
    server.reset_log();

    let client = client_for(&server);
    let real = quickstart::RealApi::from_vars(|name| match name {
        "PORTONE_API_KEY" => Some(server.api_key().to_owned()),
        "PORTONE_API_SECRET" => Some(server.api_secret().to_owned()),
        "PORTONE_IMP_UID" => Some(imp_uid.clone()),
        _ => None,
    })
    .expect("credentials given");
    let seen = quickstart::run_read_only(&client, &real)
        .await
        .unwrap_or_else(|e| panic!("read-only run failed: {e}"));

    assert_eq!(seen.token_lifetime, 1800);
    // A sandbox payment is found: the lookup asks with `include_sandbox=true`.
    assert_eq!(seen.looked_up.as_ref(), Some(&before));
    assert_eq!(seen.paid_total, 2);
    assert!(seen.banks > 10, "{} banks", seen.banks);
    let requests = server.requests();
    assert!(!requests.is_empty());
    for r in &requests {
        let read = r.method == portone_mock::Method::GET;
        let token = r.method == portone_mock::Method::POST && r.path == "/users/getToken";
        assert!(read || token, "{} {} is not read-only", r.method, r.path);
    }
    let after = client
        .payment_including_sandbox(&imp_uid)
        .await
        .expect("still there");
    assert_eq!(after, before);
}

#[tokio::test]
async fn quickstart_verification_refuses_a_tampered_checkout() {
    use portone::verify::Order;

    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    client
        .prepare_payment(&portone::model::PreparePayment::new("tampered", 15_000))
        .await
        .expect("prepared");
    // The browser sent 100 instead of 15 000: PortOne fails the payment.
    let imp_uid = server.checkout(Checkout::paid("tampered", 100));
    let payment = client.payment(&imp_uid).await.expect("recorded");
    assert_eq!(payment.status, PaymentStatus::Failed);
    let order = Order::new("tampered", 15_000);
    let refused = quickstart::verify(&client, &imp_uid, &order)
        .await
        .expect_err("a failed payment is not shipped");
    assert!(
        refused
            .to_string()
            .contains("is 100 KRW, the order costs 15000"),
        "{refused}"
    );

    // Without a prepare, a tampered amount is paid: only the server's own check stops it.
    let imp_uid = server.checkout(Checkout::paid("unprepared", 100));
    let payment = client.payment(&imp_uid).await.expect("recorded");
    assert_eq!(payment.status, PaymentStatus::Paid);
    let refused = quickstart::verify(&client, &imp_uid, &Order::new("unprepared", 15_000))
        .await
        .expect_err("a wrong amount is not shipped");
    assert!(
        refused.to_string().contains("the order costs 15000"),
        "{refused}"
    );
    let refused = quickstart::verify(&client, &imp_uid, &Order::new("another-order", 100))
        .await
        .expect_err("another order's payment is not shipped");
    assert!(
        refused
            .to_string()
            .contains("belongs to order `unprepared`"),
        "{refused}"
    );
    let refused = quickstart::verify(&client, "imp_000000000000", &Order::new("unprepared", 100))
        .await
        .expect_err("an unknown payment is not shipped");
    assert!(refused.to_string().contains("no payment"), "{refused}");
    let paid = quickstart::verify(&client, &imp_uid, &Order::new("unprepared", 100))
        .await
        .expect("the right amount");
    assert_eq!(paid, payment);
}

#[tokio::test]
async fn custom_endpoint_declares_and_calls_undocumented_routes() {
    let s = custom_endpoint::run()
        .await
        .unwrap_or_else(|e| panic!("custom_endpoint failed: {e}"));
    assert_eq!(
        s.endpoints,
        [
            "GET /vbanks/holder",
            "GET /payments/find/<merchant_uid>/<status?>"
        ]
    );
    assert_eq!(s.holder, "홍길동");
    assert!(s.unknown_account_not_found);
    assert_eq!(s.order.merchant_uid, "gift 7/2024 (선물)");
    assert_eq!(s.order.status, PaymentStatus::Paid);
    assert_eq!(s.order.amount, Decimal::from(42_000));
    assert_eq!(
        s.wire_path,
        "/payments/find/gift%207%2F2024%20%28%EC%84%A0%EB%AC%BC%29/paid"
    );
    assert!(s.dot_dot_refused_before_io);
}

#[tokio::test]
async fn custom_endpoint_routes_send_what_they_declare() {
    use custom_endpoint::MyRoutes;

    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let holder = client
        .account_holder("088", "110-123-456789")
        .await
        .expect("a known bank");
    assert_eq!(holder.bank_holder, "홍길동");
    let sent = server.requests().pop().expect("one request");
    assert_eq!(
        (
            sent.method.as_str(),
            sent.path.as_str(),
            sent.query.as_deref()
        ),
        (
            "GET",
            "/vbanks/holder",
            Some("bank_code=088&bank_num=110-123-456789")
        )
    );
    // No status: the optional last segment is left out.
    let imp_uid = server.checkout(Checkout::failed("o-1", 500));
    let order = client.order_payment("o-1", None).await.expect("found");
    assert_eq!(
        (order.imp_uid, order.status),
        (imp_uid, PaymentStatus::Failed)
    );
    assert_eq!(
        server.requests().pop().map(|r| r.path),
        Some("/payments/find/o-1".to_owned())
    );
    let paid_only = client
        .order_payment("o-1", Some(PaymentStatus::Paid))
        .await
        .expect_err("no paid payment");
    assert!(paid_only.is_not_found(), "{paid_only:?}");
}

#[tokio::test]
async fn agency_tiers_scopes_data_by_tier_with_one_token() {
    let s = agency_tiers::run()
        .await
        .unwrap_or_else(|e| panic!("agency_tiers failed: {e}"));
    assert_eq!(s.tier_name, "하위상점 A1B");
    assert_eq!(s.visible, [1, 0, 0]);
    assert!(s.hidden_elsewhere);
    assert_eq!(s.unregistered_tier, (400, -1));
    assert!(s.malformed_refused_before_io);
    assert_eq!((s.get_token_calls, s.get_token_with_tier), (1, 0));
    // tier info, 3 lookups, 3 listings, the refused ZZZ call, the two order lookups of the
    // webhook; all but the agency's own three carry a tier.
    assert_eq!((s.api_calls, s.api_calls_with_tier), (10, 7));
    // The webhook: found through the tier its URL names, unknown to the agency's own view.
    assert!(s.webhook_verdict.is_paid(), "{}", s.webhook_verdict);
    assert!(
        matches!(
            &s.agency_verdict,
            portone::verify::Verdict::Mismatch(portone::verify::Mismatch::UnknownOrder { .. })
        ),
        "{}",
        s.agency_verdict
    );
}

#[tokio::test]
async fn webhooks_verifies_every_real_notification_of_the_mock() {
    let s = webhooks::run()
        .await
        .unwrap_or_else(|e| panic!("webhooks failed: {e}"));
    let seen: Vec<(&str, String, String)> = s
        .lines
        .iter()
        .map(|l| {
            (
                l.handled.notification.status.as_str(),
                l.handled.notification.merchant_uid.clone(),
                l.label(),
            )
        })
        .collect();
    let expected = [
        ("paid", "wh-card", "paid"),
        ("paid", "wh-card", "paid"),
        ("ready", "wh-vbank", "vbank issued"),
        ("paid", "wh-vbank", "paid"),
        ("cancelled", "wh-card", "partly cancelled 5000"),
        ("cancelled", "wh-card", "fully cancelled 15000"),
        ("paid", "wh-gift", "forgery: unknown payment"),
        ("paid", "wh-tampered", "forgery: amount"),
    ];
    let expected: Vec<(&str, String, String)> = expected
        .iter()
        .map(|(status, order, label)| (*status, (*order).to_owned(), (*label).to_owned()))
        .collect();
    assert_eq!(seen, expected);
    assert!(s.lines.iter().all(webhooks::Line::as_expected));
    // The duplicate did not ship twice; the forged and the tampered orders never shipped.
    assert_eq!(s.shipped, ["wh-card", "wh-vbank"]);
    // What the receiver saw is what the mock sent, one notification each, all answered 200.
    assert_eq!(s.deliveries.len(), 8);
    for (d, line) in s.deliveries.iter().zip(&s.lines) {
        assert_eq!(d.state, portone_mock::DeliveryState::Delivered, "{d:?}");
        assert_eq!(d.webhook.imp_uid, line.handled.notification.imp_uid);
    }
    // The duplicate is the first notification again, byte for byte.
    assert_eq!(s.deliveries[1].body, s.deliveries[0].body);
    // Both cancels carry their cancellation's id.
    assert!(
        s.lines[4..6]
            .iter()
            .all(|l| l.handled.notification.cancellation_id.is_some())
    );
}
