//! Webhooks: what the mock POSTs for each event PortOne documents, where, in which format,
//! and how it re-sends on the mock clock. A raw receiver answers and records.

mod common;

use std::time::Duration;

use common::Api;
use common::receiver::{Answer, Receiver};
use portone_mock::{
    Checkout, DeliveryState, MockServer, Webhook, WebhookDelivery, WebhookEvent, WebhookFormat,
    cards,
};
use serde_json::{Value, json};

async fn settled(server: &MockServer, count: usize) -> Vec<WebhookDelivery> {
    // Bounded: a delivery that never settles fails the test instead of hanging.
    tokio::time::timeout(common::DEADLINE, server.wait_for_webhooks(count))
        .await
        .expect("the deliveries settle")
}

async fn server_for(receiver: &Receiver) -> MockServer {
    MockServer::builder()
        .frozen_clock()
        .webhook_url(&receiver.url)
        .start()
        .await
}

fn body(d: &WebhookDelivery) -> Value {
    serde_json::from_str(&d.body).expect("a JSON body")
}

#[tokio::test]
async fn a_paid_checkout_posts_json_to_the_account_url() {
    let receiver = Receiver::start(vec![]).await;
    let server = server_for(&receiver).await;
    let imp_uid = server.checkout(Checkout::paid("order-1", 15_000));

    let all = settled(&server, 1).await;
    assert_eq!(all.len(), 1);
    let d = &all[0];
    assert_eq!((d.id, d.event), (1, WebhookEvent::Paid));
    assert_eq!(d.url, receiver.url);
    assert_eq!(d.content_type, "application/json");
    assert_eq!(
        d.body,
        format!(r#"{{"imp_uid":"{imp_uid}","merchant_uid":"order-1","status":"paid"}}"#)
    );
    assert_eq!(d.webhook, Webhook::new(&imp_uid, "order-1", "paid"));
    assert_eq!(d.state, DeliveryState::Delivered);
    assert_eq!(d.attempts.len(), 1);
    assert_eq!(d.attempts[0].status, Some(200));
    assert_eq!(d.attempts[0].at, server.now());
    assert_eq!(d.created_at, server.now());
    assert_eq!(d.next_attempt_at, None);

    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].path, "/portone/webhook");
    assert_eq!(got[0].content_type, "application/json");
    assert_eq!(got[0].body, d.body);
}

#[tokio::test]
async fn a_failed_checkout_sends_nothing() {
    let receiver = Receiver::start(vec![]).await;
    let server = server_for(&receiver).await;
    server.checkout(Checkout::failed("order-1", 15_000));
    // Deliveries are recorded when the event happens: none was.
    assert!(server.webhooks().is_empty());
    let paid = server.checkout(Checkout::paid("order-2", 1_000));
    let all = settled(&server, 1).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].webhook.imp_uid, paid);
}

#[tokio::test]
async fn no_url_no_notification_and_notice_url_wins() {
    let receiver = Receiver::start(vec![]).await;
    let other = Receiver::start(vec![]).await;
    let quiet = MockServer::builder().frozen_clock().start().await;
    quiet.checkout(Checkout::paid("order-1", 1_000));
    assert!(quiet.webhooks().is_empty());

    let server = server_for(&receiver).await;
    server.checkout(Checkout::paid("order-2", 1_000).notice_url(&other.url));
    let all = settled(&server, 1).await;
    assert_eq!(all[0].url, other.url);
    assert_eq!(other.received().len(), 1);
    assert!(receiver.received().is_empty());
}

#[tokio::test]
async fn form_bodies_when_the_console_says_so() {
    let receiver = Receiver::start(vec![]).await;
    let server = MockServer::builder()
        .frozen_clock()
        .webhook_url(&receiver.url)
        .webhook_format(WebhookFormat::Form)
        .start()
        .await;
    let imp_uid = server.checkout(Checkout::paid("주문 1/2", 1_000));
    let all = settled(&server, 1).await;
    assert_eq!(all[0].content_type, "application/x-www-form-urlencoded");
    assert_eq!(
        all[0].body,
        format!("imp_uid={imp_uid}&merchant_uid=%EC%A3%BC%EB%AC%B8+1%2F2&status=paid")
    );
    assert_eq!(
        receiver.received()[0].content_type,
        "application/x-www-form-urlencoded"
    );
}

#[tokio::test]
async fn a_virtual_account_notifies_when_issued_and_when_paid() {
    let receiver = Receiver::start(vec![]).await;
    let server = server_for(&receiver).await;
    let imp_uid = server.checkout(Checkout::vbank_ready("order-1", 30_000));
    let issued = settled(&server, 1).await;
    assert_eq!(issued[0].event, WebhookEvent::VbankIssued);
    assert_eq!(issued[0].webhook.status, "ready");

    server.deposit(&imp_uid);
    let all = settled(&server, 2).await;
    assert_eq!(all[1].event, WebhookEvent::VbankDeposited);
    assert_eq!(all[1].webhook, Webhook::new(&imp_uid, "order-1", "paid"));

    // One issued by API notifies its deposit at each of its `notice_url`s.
    let api = Api::new(&server).await;
    let second = Receiver::start(vec![]).await;
    let due = server.now() + 86_400;
    let created = api
        .post(
            "/vbanks",
            &json!({ "merchant_uid": "order-2", "amount": 5000, "vbank_code": "004",
                     "vbank_due": due, "vbank_holder": "포트원",
                     "notice_url": [receiver.url, second.url] }),
        )
        .await;
    let vbank = created.ok()["imp_uid"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // Issuing by API answers the caller; PortOne notifies the deposit.
    assert_eq!(server.webhooks().len(), 2);
    server.deposit(&vbank);
    let all = settled(&server, 4).await;
    let urls: Vec<&str> = all[2..].iter().map(|d| d.url.as_str()).collect();
    assert_eq!(urls, [receiver.url.as_str(), second.url.as_str()]);
    assert!(all[2..].iter().all(|d| d.webhook.imp_uid == vbank
        && d.event == WebhookEvent::VbankDeposited
        && d.state == DeliveryState::Delivered));
}

#[tokio::test]
async fn api_payments_notify_when_paid_never_when_declined() {
    let receiver = Receiver::start(vec![]).await;
    let hook = Receiver::start(vec![]).await;
    let server = server_for(&receiver).await;
    let api = Api::new(&server).await;
    let paid = api
        .post(
            "/subscribe/payments/onetime",
            &json!({ "merchant_uid": "o-1", "amount": 1000, "card_number": cards::APPROVED,
                     "expiry": "2030-12", "notice_url": hook.url }),
        )
        .await;
    let imp_uid = paid.ok()["imp_uid"].as_str().unwrap_or_default().to_owned();
    let declined = api
        .post(
            "/subscribe/payments/onetime",
            &json!({ "merchant_uid": "o-2", "amount": 1000,
                     "card_number": cards::INSUFFICIENT_FUNDS, "expiry": "2030-12" }),
        )
        .await;
    assert_eq!(declined.ok()["status"], "failed");
    api.post(
        "/subscribe/customers/key-1",
        &json!({ "card_number": cards::APPROVED, "expiry": "2030-12" }),
    )
    .await
    .ok();
    let again = api
        .post(
            "/subscribe/payments/again",
            &json!({ "customer_uid": "key-1", "merchant_uid": "o-3", "amount": 2000,
                     "name": "구독" }),
        )
        .await;
    let again_uid = again.ok()["imp_uid"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let all = settled(&server, 2).await;
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_eq!(
        (all[0].url.as_str(), all[0].webhook.imp_uid.as_str()),
        (hook.url.as_str(), imp_uid.as_str())
    );
    assert_eq!(all[1].url, receiver.url);
    assert_eq!(all[1].webhook, Webhook::new(&again_uid, "o-3", "paid"));
}

#[tokio::test]
async fn a_schedule_run_notifies_paid_or_failed() {
    let receiver = Receiver::start(vec![]).await;
    let server = server_for(&receiver).await;
    let api = Api::new(&server).await;
    for (key, card) in [("ok", cards::APPROVED), ("broke", cards::LIMIT_EXCEEDED)] {
        api.post(
            &format!("/subscribe/customers/{key}"),
            &json!({ "card_number": card, "expiry": "2030-12" }),
        )
        .await
        .ok();
    }
    let at = server.now() + 3600;
    for (key, merchant_uid) in [("ok", "s-paid"), ("broke", "s-failed")] {
        api.post(
            "/subscribe/payments/schedule",
            &json!({ "customer_uid": key, "schedules": [{ "merchant_uid": merchant_uid,
                     "schedule_at": at, "amount": 9900, "name": "월 구독" }] }),
        )
        .await
        .ok();
    }
    assert!(server.webhooks().is_empty());
    server.advance(Duration::from_secs(3600));
    let all = settled(&server, 2).await;
    let mut seen: Vec<(WebhookEvent, &str, &str)> = all
        .iter()
        .map(|d| {
            (
                d.event,
                d.webhook.merchant_uid.as_str(),
                d.webhook.status.as_str(),
            )
        })
        .collect();
    seen.sort_by_key(|s| s.1);
    assert_eq!(
        seen,
        [
            (WebhookEvent::ScheduleFailed, "s-failed", "failed"),
            (WebhookEvent::SchedulePaid, "s-paid", "paid"),
        ]
    );
}

#[tokio::test]
async fn a_cancel_notifies_only_with_enable_webhook_or_from_the_console() {
    let receiver = Receiver::start(vec![]).await;
    let server = server_for(&receiver).await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("order-1", 10_000));
    settled(&server, 1).await;

    let quiet = api
        .post(
            "/payments/cancel",
            &json!({ "imp_uid": imp_uid, "amount": 1000 }),
        )
        .await;
    quiet.ok();
    assert_eq!(
        server.webhooks().len(),
        1,
        "an API cancel is quiet by default"
    );

    let loud = api
        .post(
            "/payments/cancel",
            &json!({ "imp_uid": imp_uid, "amount": 2000, "enable_webhook": true }),
        )
        .await;
    let history = loud.ok()["cancel_history"].clone();
    let all = settled(&server, 2).await;
    let d = &all[1];
    assert_eq!(d.event, WebhookEvent::Cancelled);
    // PortOne says `cancelled` for a partial cancel, while the payment stays `paid`.
    assert_eq!(loud.ok()["status"], "paid");
    assert_eq!(d.webhook.status, "cancelled");
    assert_eq!(
        d.webhook.cancellation_id.as_deref(),
        history[1]["cancellation_id"].as_str()
    );
    assert_eq!(body(d)["cancellation_id"], history[1]["cancellation_id"]);

    let id = server.cancel_in_console(&imp_uid, None);
    let all = settled(&server, 3).await;
    assert_eq!(all[2].event, WebhookEvent::ConsoleCancelled);
    assert_eq!(all[2].webhook.cancellation_id.as_deref(), Some(id.as_str()));
    let payment = api.get(&format!("/payments/{imp_uid}")).await;
    let p = payment.ok();
    assert_eq!(
        (p["status"].clone(), p["cancel_amount"].clone()),
        (json!("cancelled"), json!(10000))
    );

    // The console refuses what PortOne refuses.
    assert!(server.try_cancel_in_console(&imp_uid, None).is_err());
    assert!(
        server
            .try_cancel_in_console("imp_000000000000", None)
            .is_err()
    );
    assert_eq!(server.webhooks().len(), 3);
}

#[tokio::test]
async fn sent_once_by_default_even_after_a_5xx() {
    let receiver = Receiver::start(vec![Answer::Status(500)]).await;
    let server = server_for(&receiver).await;
    server.checkout(Checkout::paid("order-1", 1_000));
    let all = settled(&server, 1).await;
    assert_eq!(all[0].state, DeliveryState::Failed);
    assert_eq!(all[0].attempts.len(), 1);
    assert_eq!(all[0].last_status(), Some(500));
    server.advance(Duration::from_secs(3600));
    let all = settled(&server, 1).await;
    assert_eq!(all[0].attempts.len(), 1);
    assert_eq!(receiver.received().len(), 1);
}

async fn resending_server(receiver: &Receiver) -> MockServer {
    MockServer::builder()
        .frozen_clock()
        .webhook_url(&receiver.url)
        .webhook_resend(true)
        .start()
        .await
}

#[tokio::test]
async fn resent_a_minute_later_on_the_mock_clock_after_a_5xx() {
    let receiver = Receiver::start(vec![Answer::Status(500), Answer::Status(503)]).await;
    let server = resending_server(&receiver).await;
    let start = server.now();
    server.checkout(Checkout::paid("order-1", 1_000));

    let all = settled(&server, 1).await;
    assert_eq!(all[0].state, DeliveryState::Retrying);
    assert_eq!(all[0].next_attempt_at, Some(start + 60));
    // Not due until the clock says so.
    server.advance(Duration::from_secs(59));
    let all = settled(&server, 1).await;
    assert_eq!(all[0].attempts.len(), 1);

    server.advance(Duration::from_secs(1));
    let all = settled(&server, 1).await;
    assert_eq!(all[0].attempts.len(), 2);
    assert_eq!(all[0].state, DeliveryState::Retrying);
    server.advance(Duration::from_secs(60));
    let all = settled(&server, 1).await;
    let d = &all[0];
    assert_eq!(d.state, DeliveryState::Delivered);
    let seen: Vec<(i64, Option<u16>)> = d.attempts.iter().map(|a| (a.at, a.status)).collect();
    assert_eq!(
        seen,
        [
            (start, Some(500)),
            (start + 60, Some(503)),
            (start + 120, Some(200))
        ]
    );
    let bodies: Vec<String> = receiver.received().into_iter().map(|r| r.body).collect();
    assert_eq!(bodies, vec![d.body.clone(); 3]);
}

#[tokio::test]
async fn resent_after_a_dropped_connection() {
    let receiver = Receiver::start(vec![Answer::HangUp]).await;
    let server = resending_server(&receiver).await;
    server.checkout(Checkout::paid("order-1", 1_000));
    let all = settled(&server, 1).await;
    let first = &all[0].attempts[0];
    assert_eq!(first.status, None);
    assert!(first.error.is_some(), "{first:?}");
    assert_eq!(all[0].state, DeliveryState::Retrying);
    server.advance(Duration::from_secs(60));
    let all = settled(&server, 1).await;
    assert_eq!(all[0].state, DeliveryState::Delivered);
    assert_eq!(all[0].attempts.len(), 2);

    // Nobody listening at all: a refused connection is a network error too.
    let gone = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        format!("http://{}/hook", listener.local_addr().expect("addr"))
    };
    let id = server.send_webhook(&gone, Webhook::new("imp_1", "m", "paid"));
    let all = settled(&server, 2).await;
    let d = &all[usize::try_from(id - 1).unwrap_or_default()];
    assert_eq!(d.state, DeliveryState::Retrying);
    assert!(
        d.attempts[0]
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("connect")),
        "{d:?}"
    );
}

#[tokio::test]
async fn gives_up_after_five_resends_and_never_resends_a_4xx() {
    let receiver = Receiver::start(vec![Answer::Status(502); 10]).await;
    let server = resending_server(&receiver).await;
    server.checkout(Checkout::paid("order-1", 1_000));
    for _ in 0..10 {
        settled(&server, 1).await;
        server.advance(Duration::from_secs(60));
    }
    let all = settled(&server, 1).await;
    assert_eq!(all[0].state, DeliveryState::Failed);
    assert_eq!(all[0].attempts.len(), 6);
    assert_eq!(receiver.received().len(), 6);

    let refusing = Receiver::start(vec![Answer::Status(404)]).await;
    let id = server.send_webhook(&refusing.url, Webhook::new("imp_1", "m", "paid"));
    let all = settled(&server, 2).await;
    let d = all.iter().find(|d| d.id == id).expect("recorded");
    assert_eq!((d.state, d.attempts.len()), (DeliveryState::Failed, 1));
}

#[tokio::test]
async fn resends_follow_real_time_when_the_clock_is_not_frozen() {
    let receiver = Receiver::start(vec![Answer::Status(500)]).await;
    let server = MockServer::builder()
        .webhook_url(&receiver.url)
        .webhook_resend(true)
        .start()
        .await;
    server.checkout(Checkout::paid("order-1", 1_000));
    settled(&server, 1).await;
    // 59 s by `advance`, the last second by the real clock.
    server.advance(Duration::from_secs(59));
    // Settled already (the re-send is not due by the mock clock): poll until it is made.
    let all = common::eventually("the re-send", || async {
        let all = server.webhooks();
        (all[0].state == DeliveryState::Delivered).then_some(all)
    })
    .await;
    assert_eq!(all[0].attempts.len(), 2);
}

#[tokio::test]
async fn forged_and_duplicate_notifications_for_tests() {
    let receiver = Receiver::start(vec![]).await;
    let server = server_for(&receiver).await;
    let imp_uid = server.checkout(Checkout::paid("order-1", 1_000));
    settled(&server, 1).await;
    let copy = server.duplicate_webhook(1).expect("delivery 1 exists");
    let forged = server.send_webhook(
        &receiver.url,
        Webhook::new("imp_000000000000", "order-1", "paid"),
    );
    let all = settled(&server, 3).await;
    assert_eq!((copy, forged), (2, 3));
    assert_eq!(all[1].event, WebhookEvent::Test);
    assert_eq!(
        (all[1].body.as_str(), all[1].url.as_str()),
        (all[0].body.as_str(), all[0].url.as_str())
    );
    assert_eq!(body(&all[2])["imp_uid"], "imp_000000000000");
    let got: Vec<String> = receiver.received().into_iter().map(|r| r.body).collect();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], got[1]);
    assert!(got[0].contains(&imp_uid));
    assert!(server.duplicate_webhook(99).is_err());
}

#[tokio::test]
async fn deliveries_serialise_to_plain_json() {
    let receiver = Receiver::start(vec![Answer::Status(500)]).await;
    let server = resending_server(&receiver).await;
    let imp_uid = server.checkout(Checkout::paid("order-1", 1_000));
    let all = settled(&server, 1).await;
    let json = serde_json::to_value(&all[0]).expect("serialises");
    let now = server.now();
    assert_eq!(
        json,
        json!({
            "id": 1,
            "event": "paid",
            "url": receiver.url,
            "content_type": "application/json",
            "body": all[0].body,
            "webhook": { "imp_uid": imp_uid, "merchant_uid": "order-1", "status": "paid" },
            "tier": null,
            "created_at": now,
            "attempts": [{ "at": now, "status": 500, "error": null }],
            "state": "retrying",
            "next_attempt_at": now + 60,
        })
    );
}

#[tokio::test]
async fn a_tiers_payment_notifies_with_its_tier() {
    let receiver = Receiver::start(vec![]).await;
    let server = MockServer::builder()
        .frozen_clock()
        .agency(["A1B"])
        .webhook_url(&receiver.url)
        .start()
        .await;
    let imp_uid = server.checkout(Checkout::vbank_ready("order-1", 1_000).tier("A1B"));
    server.deposit(&imp_uid);
    let all = settled(&server, 2).await;
    assert!(all.iter().all(|d| d.tier.as_deref() == Some("A1B")));
}

#[tokio::test]
async fn partner_payments_notify_at_their_notice_url() {
    let receiver = Receiver::start(vec![]).await;
    let server = server_for(&receiver).await;
    let api = Api::new(&server).await;
    let benepia = Receiver::start(vec![]).await;
    let paid = api
        .post(
            "/benepia/payment",
            &json!({ "benepia_user": "u", "benepia_password": "p", "merchant_uid": "b-1",
                     "amount": 3000, "name": "포인트 결제", "notice_url": [benepia.url] }),
        )
        .await;
    let imp_uid = paid.ok()["imp_uid"].as_str().unwrap_or_default().to_owned();
    let money = api
        .post(
            "/kcpquick/payment/money",
            &json!({ "member_id": "m", "merchant_uid": "q-1", "amount": 1000, "name": "x",
                     "imp_uid": "imp_000000000000" }),
        )
        .await;
    let kcp = money.ok()["imp_uid"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let all = settled(&server, 2).await;
    assert_eq!(
        (all[0].url.as_str(), all[0].webhook.imp_uid.as_str()),
        (benepia.url.as_str(), imp_uid.as_str())
    );
    assert_eq!(all[1].webhook, Webhook::new(&kcp, "q-1", "paid"));
    assert_eq!(all[1].url, receiver.url);
}

#[tokio::test]
async fn a_schedule_retried_by_api_notifies_its_notice_url() {
    let receiver = Receiver::start(vec![]).await;
    let hook = Receiver::start(vec![]).await;
    let server = server_for(&receiver).await;
    let api = Api::new(&server).await;
    api.post(
        "/subscribe/customers/k",
        &json!({ "card_number": cards::APPROVED, "expiry": "2030-12" }),
    )
    .await
    .ok();
    let at = server.now() + 60;
    api.post(
        "/subscribe/payments/schedule",
        &json!({ "customer_uid": "k", "schedules": [{ "merchant_uid": "s-1", "schedule_at": at,
                 "amount": 500, "name": "n", "notice_url": hook.url }] }),
    )
    .await
    .ok();
    api.post(
        "/subscribe/payments/unschedule",
        &json!({ "customer_uid": "k", "merchant_uid": ["s-1"] }),
    )
    .await
    .ok();
    let retried = api
        .post("/subscribe/payments/schedule/s-1/retry", &json!({}))
        .await;
    assert_eq!(retried.ok()["status"], "paid");
    let all = settled(&server, 1).await;
    assert_eq!(all.len(), 1);
    assert_eq!(
        (all[0].event, all[0].url.as_str()),
        (WebhookEvent::SchedulePaid, hook.url.as_str())
    );
}
