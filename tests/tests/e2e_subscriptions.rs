//! Billing keys, payments with them, and scheduled payments end to end on `portone-mock`,
//! with the mock clock running the schedules.

use std::time::Duration;

use futures_util::TryStreamExt;
use portone::model::{
    AgainPayment, AnyBillingKey, BillingKey, BillingKeyPayments, CustomerUidUsage,
    DeleteBillingKey, IssueBillingKey, Payment, PaymentStatus, SchedulePayments, ScheduleStatus,
    ScheduledPayment, SchedulesByCustomer,
};
use portone::prelude::*;
use portone::{Client, StatusCode};
use portone_mock::{Method, MockServer, cards};
use rust_decimal::Decimal;

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()
        .expect("a client for the mock")
}

/// The channel key of the account's billing channel, as an integration reads it.
async fn billing_channel(client: &Client) -> String {
    client
        .pg_settings()
        .await
        .expect("pg settings")
        .into_iter()
        .find(|s| s.pg_provider.as_str() == "nice_v2")
        .and_then(|s| s.channel_key)
        .expect("a nice_v2 channel")
}

async fn issue(client: &Client, customer_uid: &str, card: &str) -> portone::Result<BillingKey> {
    let request = IssueBillingKey::new(billing_channel(client).await, card, "2030-12")
        .birth("900101")
        .pwd_2digit("12")
        .customer_name("홍길동");
    match client.issue_billing_key(customer_uid, &request).await? {
        AnyBillingKey::Single(key) => Ok(key),
        other => panic!("a plain billing key was expected, got {other:?}"),
    }
}

#[tokio::test]
async fn a_billing_key_is_issued_read_used_and_deleted() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let key = issue(&client, "cust-1", cards::APPROVED)
        .await
        .expect("issued");
    assert_eq!(key.customer_uid, "cust-1");
    assert_eq!(key.card_number.as_deref(), Some("411111******1111"));
    assert_eq!(key.customer_name.as_deref(), Some("홍길동"));
    assert_eq!(
        key.pg_provider.as_ref().map(|p| p.as_str()),
        Some("nice_v2")
    );

    let read = client.billing_key("cust-1").await.expect("found");
    assert_eq!(read, AnyBillingKey::Single(key.clone()));
    let some = client
        .billing_keys(&["cust-1", "cust-nope"])
        .await
        .expect("a 207 is a success");
    let uids: Vec<&str> = some.iter().map(AnyBillingKey::customer_uid).collect();
    assert_eq!(uids, ["cust-1"]);

    let paid = client
        .pay_again(&AgainPayment::new("cust-1", "again-1", 9_900, "월 구독"))
        .await
        .expect("paid with the key");
    assert_eq!(paid.status, PaymentStatus::Paid);
    assert_eq!(paid.amount, Decimal::from(9_900));
    assert_eq!(paid.customer_uid.as_deref(), Some("cust-1"));
    assert_eq!(paid.customer_uid_usage, Some(CustomerUidUsage::Payment));
    let twice = client
        .pay_again(&AgainPayment::new("cust-1", "again-1", 9_900, "월 구독"))
        .await
        .expect_err("an order is paid once");
    assert_eq!(twice.code(), Some(1));

    let page = client
        .billing_key_payments("cust-1", &BillingKeyPayments::new())
        .await
        .expect("listed");
    assert_eq!(page.total, 1);
    assert_eq!(page.list[0].imp_uid, paid.imp_uid);
    let streamed: Vec<Payment> = client
        .billing_key_payments_stream("cust-1", &BillingKeyPayments::new())
        .try_collect()
        .await
        .expect("listed");
    assert_eq!(streamed, page.list);

    let deleted = client
        .delete_billing_key("cust-1", &DeleteBillingKey::new().reason("the buyer left"))
        .await
        .expect("deleted");
    assert_eq!(deleted.customer_uid(), "cust-1");
    let sent = server.requests().pop().expect("logged");
    assert_eq!(sent.method, Method::DELETE);
    assert_eq!(sent.query.as_deref(), Some("reason=the%20buyer%20left"));
    let gone = client.billing_key("cust-1").await.expect_err("deleted");
    assert!(gone.is_not_found(), "{gone:?}");
    let unknown = client
        .pay_again(&AgainPayment::new("cust-1", "again-2", 9_900, "월 구독"))
        .await
        .expect_err("no key any more");
    assert_eq!(
        (unknown.status(), unknown.code()),
        (Some(StatusCode::OK), Some(1))
    );
}

/// What a user writes: the charge's result with `?`.
async fn bill(client: &Client, customer_uid: &str, order: &str) -> portone::Result<Payment> {
    let payment = client
        .pay_again(&AgainPayment::new(customer_uid, order, 9_900, "월 구독"))
        .await?;
    Ok(payment)
}

#[tokio::test]
async fn a_decline_never_comes_out_of_the_question_mark_as_a_payment() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    for (customer_uid, card, reason) in [
        ("cust-broke", cards::INSUFFICIENT_FUNDS, "잔액부족"),
        ("cust-limit", cards::LIMIT_EXCEEDED, "한도초과"),
        ("cust-lost", cards::LOST_OR_STOLEN, "분실/도난 카드"),
    ] {
        issue(&client, customer_uid, card).await.expect("issued");
        let order = format!("{customer_uid}-1");
        let error = bill(&client, customer_uid, &order)
            .await
            .expect_err("a declined charge is an error");
        let declined = error.declined().expect("declined");
        assert_eq!(declined.fail_reason.as_deref(), Some(reason));
        assert_eq!(declined.merchant_uid.as_deref(), Some(order.as_str()));
    }
    issue(&client, "cust-good", cards::APPROVED)
        .await
        .expect("issued");
    let paid = bill(&client, "cust-good", "cust-good-1")
        .await
        .expect("paid");
    assert_eq!(paid.status, PaymentStatus::Paid);
}

#[tokio::test]
async fn a_declined_card_gets_no_key_and_a_poor_one_pays_nothing() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let declined = issue(&client, "cust-bad", cards::DECLINED)
        .await
        .expect_err("declined by the PG");
    assert_eq!(
        (declined.status(), declined.code()),
        (Some(StatusCode::OK), Some(-1))
    );
    assert!(declined.message().unwrap_or_default().contains("[F112]"));
    // Neither the error nor the request's Debug shows the card.
    assert!(!format!("{declined:?}").contains("0002"));
    let missing = client.billing_key("cust-bad").await.expect_err("no key");
    assert!(missing.is_not_found(), "{missing:?}");

    issue(&client, "cust-poor", cards::INSUFFICIENT_FUNDS)
        .await
        .expect("the key is issued");
    let refused = client
        .pay_again(&AgainPayment::new(
            "cust-poor",
            "poor-1",
            50_000,
            "연간 구독",
        ))
        .await
        .expect_err("declined for lack of funds");
    // The card company decided: not PortOne's refusal, and not an unknown outcome.
    assert!(
        refused.is_declined() && !refused.is_outcome_unknown(),
        "{refused:?}"
    );
    assert_eq!(refused.code(), None);
    let declined = refused.declined().expect("declined");
    assert_eq!(declined.fail_reason.as_deref(), Some("잔액부족"));
    let failed: portone::model::Payment = declined.payment().expect("the failed payment");
    assert_eq!(failed.status, PaymentStatus::Failed);
    assert_eq!(failed.merchant_uid, "poor-1");
    let recorded = client.find_payment("poor-1").await.expect("recorded");
    assert_eq!(recorded.status, PaymentStatus::Failed);
    assert_eq!(recorded.imp_uid, failed.imp_uid);
    assert!(recorded.fail_reason.is_some());

    // No decision at all (the PG never answered): PortOne's refusal, nothing paid.
    issue(&client, "cust-offline", cards::PG_UNREACHABLE)
        .await
        .expect("the key is issued");
    let offline = client
        .pay_again(&AgainPayment::new(
            "cust-offline",
            "offline-1",
            1_000,
            "구독",
        ))
        .await
        .expect_err("no answer from the PG");
    assert!(matches!(offline, portone::Error::Api(_)) && !offline.is_declined());
    assert_eq!(offline.code(), Some(-1));
}

#[tokio::test]
async fn schedules_run_on_the_mock_clock_and_can_be_unscheduled() {
    let server = MockServer::builder()
        .live_quirks(true)
        .frozen_clock()
        .start()
        .await;
    let client = client_for(&server);
    issue(&client, "sub-1", cards::APPROVED)
        .await
        .expect("issued");
    let now = server.now();
    let hour = 3600;
    let entries = (1..=3).map(|i| {
        ScheduledPayment::new(format!("sub-1-m{i}"), now + i * hour, 9_900, "월 구독")
            .buyer_name("홍길동")
    });
    let created = client
        .schedule_payments(&SchedulePayments::new("sub-1", entries))
        .await
        .expect("scheduled");
    assert_eq!(created.len(), 3);
    assert!(
        created
            .iter()
            .all(|s| s.schedule_status == ScheduleStatus::Scheduled
                && s.payment_status.is_none()
                && s.imp_uid.is_none())
    );
    assert_eq!(created[1].schedule_at.as_secs(), now + 2 * hour);

    // An hour later (tokens expire on the way: the client refreshes by itself).
    server.advance(Duration::from_secs(3600));
    let first = client.schedule("sub-1-m1").await.expect("found");
    assert_eq!(
        server.get_token_calls(),
        2,
        "the expired token was replaced"
    );
    assert_eq!(first.schedule_status, ScheduleStatus::Executed);
    assert_eq!(first.payment_status, Some(PaymentStatus::Paid));
    assert_eq!(first.executed_at.map(i64::from), Some(now + hour));
    let imp_uid = first.imp_uid.expect("a payment was made");
    let payment = client.payment(&imp_uid).await.expect("found");
    assert_eq!(
        (payment.merchant_uid.as_str(), payment.amount),
        ("sub-1-m1", Decimal::from(9_900))
    );
    assert_eq!(payment.paid_at.map(i64::from), Some(now + hour));
    assert_eq!(
        payment.customer_uid_usage,
        Some(CustomerUidUsage::PaymentScheduled)
    );
    let second = client.schedule("sub-1-m2").await.expect("found");
    assert_eq!(second.schedule_status, ScheduleStatus::Scheduled);

    // Unscheduling names what it cancels: the listed ones, or explicitly all.
    let sent_before = server.requests().len();
    let empty = client.unschedule_listed("sub-1", &[]).await;
    assert!(matches!(empty, Err(Error::InvalidRequest(_))), "{empty:?}");
    assert_eq!(server.requests().len(), sent_before, "nothing was sent");
    let listed = client
        .unschedule_listed("sub-1", &["sub-1-m2"])
        .await
        .expect("revoked");
    let revoked: Vec<&str> = listed.iter().map(|s| s.merchant_uid.as_str()).collect();
    assert_eq!(revoked, ["sub-1-m2"]);
    assert_eq!(listed[0].schedule_status, ScheduleStatus::Revoked);
    let body = server.requests().pop().and_then(|r| r.json());
    assert_eq!(
        body,
        Some(serde_json::json!({"customer_uid": "sub-1", "merchant_uid": ["sub-1-m2"]}))
    );
    let all = client.unschedule_all("sub-1").await.expect("revoked");
    let revoked: Vec<&str> = all.iter().map(|s| s.merchant_uid.as_str()).collect();
    assert_eq!(revoked, ["sub-1-m3"], "only what was still scheduled");
    let nothing_left = client
        .unschedule_all("sub-1")
        .await
        .expect_err("nothing to revoke");
    assert_eq!(nothing_left.code(), Some(1));

    // Revoked schedules never run.
    server.advance(Duration::from_secs(3 * 3600));
    let third = client.schedule("sub-1-m3").await.expect("found");
    assert_eq!(third.schedule_status, ScheduleStatus::Revoked);
    assert_eq!(third.payment_status, None);
    let made = client
        .billing_key_payments("sub-1", &BillingKeyPayments::new())
        .await
        .expect("listed");
    assert_eq!(made.total, 1);
    let schedules = client
        .billing_key_schedules(
            "sub-1",
            now.into(),
            (now + 4 * hour).into(),
            &SchedulesByCustomer::new(),
        )
        .await
        .expect("listed");
    let mut statuses: Vec<(String, ScheduleStatus)> = schedules
        .into_iter()
        .map(|s| (s.merchant_uid, s.schedule_status))
        .collect();
    statuses.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        statuses,
        [
            ("sub-1-m1".to_owned(), ScheduleStatus::Executed),
            ("sub-1-m2".to_owned(), ScheduleStatus::Revoked),
            ("sub-1-m3".to_owned(), ScheduleStatus::Revoked),
        ]
    );
}

#[tokio::test]
async fn a_schedule_on_a_poor_card_executes_as_failed() {
    let server = MockServer::builder()
        .live_quirks(true)
        .frozen_clock()
        .start()
        .await;
    let client = client_for(&server);
    issue(&client, "sub-poor", cards::INSUFFICIENT_FUNDS)
        .await
        .expect("issued");
    let at = server.now() + 600;
    client
        .schedule_payments(&SchedulePayments::new(
            "sub-poor",
            [ScheduledPayment::new("poor-m1", at, 12_000, "월 구독")],
        ))
        .await
        .expect("scheduled");
    server.advance(Duration::from_secs(601));
    let s = client.schedule("poor-m1").await.expect("found");
    assert_eq!(s.schedule_status, ScheduleStatus::Executed);
    assert_eq!(s.payment_status, Some(PaymentStatus::Failed));
    assert!(s.fail_reason.is_some());
    let payment = client.find_payment("poor-m1").await.expect("recorded");
    assert_eq!(payment.status, PaymentStatus::Failed);
}
