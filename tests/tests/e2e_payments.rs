//! The ready-made payment traits end to end on `portone-mock`: lookups, multi-lookups,
//! find/findAll, listings and their page stream, prepared amounts, virtual accounts.

use std::collections::HashSet;
use std::time::Duration;

use futures_util::TryStreamExt;
use portone::model::{
    CancelPayment, CreateVbank, FindAllPayments, FindPayment, PayMethod, Payment, PaymentLookup,
    PaymentStatus, PaymentStatusFilter, PaymentsByIds, PaymentsByStatus, PreparePayment, Sorting,
    VbankOptions,
};
use portone::prelude::*;
use portone::{Client, StatusCode};
use portone_mock::{Checkout, Method, MockError, MockServer};
use rust_decimal::Decimal;
use serde::Deserialize;

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()
        .expect("a client for the mock")
}

#[tokio::test]
async fn a_payment_is_looked_up_and_an_unknown_one_is_not_found() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let imp_uid = server.checkout(
        Checkout::paid("order-1", 15_000)
            .name("Coffee beans 1kg")
            .buyer_name("홍길동")
            .custom_data(r#"{"cart":[7,9]}"#),
    );

    let p = client.payment(&imp_uid).await.expect("found");
    assert_eq!(
        (p.imp_uid.as_str(), p.merchant_uid.as_str()),
        (imp_uid.as_str(), "order-1")
    );
    assert_eq!(p.status, PaymentStatus::Paid);
    assert_eq!(p.amount, Decimal::from(15_000));
    assert_eq!(p.cancel_amount, Decimal::ZERO);
    assert_eq!(p.pay_method, Some(PayMethod::Card));
    assert_eq!(p.name.as_deref(), Some("Coffee beans 1kg"));
    assert_eq!(p.buyer_name.as_deref(), Some("홍길동"));
    assert!(p.paid_at.is_some() && p.failed_at.is_none() && p.cancelled_at.is_none());
    assert!(!p.sandbox);
    #[derive(Deserialize, PartialEq, Debug)]
    struct Cart {
        cart: Vec<u32>,
    }
    let cart: Cart = p
        .custom_data()
        .expect("custom_data present")
        .expect("custom_data is JSON");
    assert_eq!(cart, Cart { cart: vec![7, 9] });

    let missing = client
        .payment("imp_000000000000")
        .await
        .expect_err("unknown id");
    assert!(missing.is_not_found(), "{missing:?}");
    assert_eq!(missing.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(missing.code(), Some(-1));
    assert_eq!(missing.message(), Some("존재하지 않는 결제정보입니다."));
}

#[tokio::test]
async fn sandbox_payments_need_include_sandbox() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let imp_uid = server.checkout(Checkout::paid("test-1", 1_000).sandbox(true));
    for hidden in [
        PaymentLookup::new(),
        PaymentLookup::new().include_sandbox(false),
    ] {
        let e = client
            .payment_with(&imp_uid, &hidden)
            .await
            .expect_err("hidden by default");
        assert!(e.is_not_found(), "{e:?}");
    }
    let p = client
        .payment_including_sandbox(&imp_uid)
        .await
        .expect("shown on request");
    assert!(p.sandbox);
    let sent = server.requests().pop().expect("logged");
    assert_eq!(sent.query.as_deref(), Some("include_sandbox=true"));
}

#[tokio::test]
async fn a_multi_lookup_returns_what_was_found() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let a = server.checkout(Checkout::paid("multi-a", 1_000));
    let b = server.checkout(Checkout::paid("multi-b", 2_000));

    let both = client
        .payments(
            &PaymentsByIds::new()
                .imp_uids([&a])
                .merchant_uids(["multi-b"]),
        )
        .await
        .expect("all found");
    let ids: Vec<&str> = both.iter().map(|p| p.imp_uid.as_str()).collect();
    assert_eq!(ids, [a.as_str(), b.as_str()]);

    // Two of four exist: PortOne answers 207 with those two, which is not an error.
    let partial = client
        .payments(
            &PaymentsByIds::new()
                .imp_uids([a.as_str(), "imp_nope"])
                .merchant_uids(["multi-b", "order-nope"]),
        )
        .await
        .expect("a 207 is a success");
    let ids: Vec<&str> = partial.iter().map(|p| p.imp_uid.as_str()).collect();
    assert_eq!(ids, [a.as_str(), b.as_str()]);
    let sent = server.requests().pop().expect("logged");
    assert_eq!(
        sent.query,
        Some(format!(
            "imp_uid[]={a}&imp_uid[]=imp_nope&merchant_uid[]=multi-b&merchant_uid[]=order-nope"
        ))
    );

    let none = client
        .payments(&PaymentsByIds::new().imp_uids(["imp_nope"]))
        .await
        .expect_err("none found");
    assert!(none.is_not_found(), "{none:?}");
}

#[tokio::test]
async fn find_and_find_all_filter_by_status() {
    let server = MockServer::builder()
        .live_quirks(true)
        .frozen_clock()
        .start()
        .await;
    let client = client_for(&server);
    let failed = server.checkout(Checkout::failed("retry-order", 9_900));
    server.advance(Duration::from_secs(10));
    let paid = server.checkout(Checkout::paid("retry-order", 9_900));

    let latest = client.find_payment("retry-order").await.expect("found");
    assert_eq!(latest.imp_uid, paid);
    let oldest = client
        .find_payment_with(
            "retry-order",
            &FindPayment::new().sorting(Sorting::StartedAsc),
        )
        .await
        .expect("found");
    assert_eq!(oldest.imp_uid, failed);
    let only_failed = client
        .find_payment_with(
            "retry-order",
            &FindPayment::new().payment_status(PaymentStatus::Failed),
        )
        .await
        .expect("found");
    assert_eq!(
        (only_failed.imp_uid.as_str(), only_failed.status.clone()),
        (failed.as_str(), PaymentStatus::Failed)
    );
    assert_eq!(
        server.requests().pop().map(|r| r.path),
        Some("/payments/find/retry-order/failed".to_owned())
    );

    let all = client
        .find_all_payments("retry-order", &FindAllPayments::new())
        .await
        .expect("listed");
    assert_eq!(all.total, 2);
    let ids: Vec<&str> = all.list.iter().map(|p| p.imp_uid.as_str()).collect();
    assert_eq!(ids, [paid.as_str(), failed.as_str()]);
    let paid_only = client
        .find_all_payments(
            "retry-order",
            &FindAllPayments::new().payment_status(PaymentStatus::Paid),
        )
        .await
        .expect("listed");
    assert_eq!(paid_only.total, 1);
    assert_eq!(paid_only.list[0].imp_uid, paid);

    let cancelled = client
        .find_payment_with(
            "retry-order",
            &FindPayment::new().payment_status(PaymentStatus::Cancelled),
        )
        .await
        .expect_err("none cancelled");
    assert!(cancelled.is_not_found(), "{cancelled:?}");
}

#[tokio::test]
async fn listings_page_and_the_stream_walks_every_page() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let mut paid = HashSet::new();
    for i in 0..250 {
        paid.insert(server.checkout(Checkout::paid(format!("bulk-{i}"), 1_000 + i)));
    }
    for i in 0..3 {
        server.checkout(Checkout::failed(format!("bad-{i}"), 500));
    }

    let first = client
        .payments_by_status(
            PaymentStatusFilter::Paid,
            &PaymentsByStatus::new().page(1).limit(100),
        )
        .await
        .expect("page 1");
    assert_eq!((first.total, first.list.len()), (250, 100));
    assert_eq!((first.previous_page(), first.next_page()), (None, Some(2)));
    let last = client
        .payments_by_status(
            PaymentStatusFilter::Paid,
            &PaymentsByStatus::new().page(3).limit(100),
        )
        .await
        .expect("page 3");
    assert_eq!(last.list.len(), 50);
    assert_eq!((last.previous_page(), last.next_page()), (Some(2), None));
    let failed = client
        .payments_by_status(PaymentStatusFilter::Failed, &PaymentsByStatus::new())
        .await
        .expect("failed ones");
    assert_eq!(failed.total, 3);
    assert!(
        failed
            .list
            .iter()
            .all(|p| p.status == PaymentStatus::Failed)
    );

    server.reset_log();
    let streamed: Vec<Payment> = client
        .payments_by_status_stream(PaymentStatusFilter::Paid, &PaymentsByStatus::new())
        .try_collect()
        .await
        .expect("every page");
    let ids: HashSet<String> = streamed.iter().map(|p| p.imp_uid.clone()).collect();
    assert_eq!(streamed.len(), 250, "no payment twice");
    assert_eq!(ids, paid);
    // Walked by time: every request names the window and sorts by the time paid. The
    // payments share a second or two, more than a page: that second is read page by page.
    let sent: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.path == "/payments/status/paid")
        .map(|r| r.query.clone().unwrap_or_default())
        .collect();
    assert!(sent.len() >= 3, "{sent:?}");
    for query in &sent {
        let by_paid_time = query.contains("&sorting=-paid") || query.contains("&sorting=paid");
        assert!(
            query.contains("&from=") && query.contains("&to=") && by_paid_time,
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_checkout_with_another_amount_than_prepared_fails() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let prepared = client
        .prepare_payment(&PreparePayment::new("prep-1", 15_000))
        .await
        .expect("registered");
    assert_eq!(
        (prepared.merchant_uid.as_str(), prepared.amount),
        ("prep-1", Decimal::from(15_000))
    );
    let twice = client
        .prepare_payment(&PreparePayment::new("prep-1", 1))
        .await
        .expect_err("registered once");
    assert!(matches!(&twice, Error::Api(e) if e.code == 1 && e.status == StatusCode::OK));

    let updated = client
        .update_prepared_payment(&PreparePayment::new("prep-1", 12_000))
        .await
        .expect("changed");
    assert_eq!(updated.amount, Decimal::from(12_000));
    let read = client.prepared_payment("prep-1").await.expect("registered");
    assert_eq!(read.amount, Decimal::from(12_000));
    let unknown = client
        .prepared_payment("prep-nope")
        .await
        .expect_err("never registered");
    assert!(unknown.is_not_found(), "{unknown:?}");

    // The browser pays 15 000 for an order registered at 12 000: PortOne fails it.
    let tampered = server.checkout(Checkout::paid("prep-1", 15_000));
    let p = client.payment(&tampered).await.expect("recorded");
    assert_eq!(p.status, PaymentStatus::Failed);
    assert!(p.paid_at.is_none() && p.failed_at.is_some());
    let reason = p.fail_reason.unwrap_or_default();
    assert!(reason.contains("사전등록금액: 12000"), "{reason}");

    let honest = server.checkout(Checkout::paid("prep-1", 12_000));
    let found = client
        .find_payment_with(
            "prep-1",
            &FindPayment::new().payment_status(PaymentStatus::Paid),
        )
        .await
        .expect("paid");
    assert_eq!(
        (found.imp_uid, found.amount),
        (honest, Decimal::from(12_000))
    );
}

#[tokio::test]
async fn a_virtual_account_is_ready_until_the_deposit_pays_it() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let imp_uid = server.checkout(Checkout::vbank_ready("vbank-1", 30_000).buyer_name("김입금"));

    let ready = client.payment(&imp_uid).await.expect("issued");
    assert_eq!(ready.status, PaymentStatus::Ready);
    assert_eq!(ready.pay_method, Some(PayMethod::Vbank));
    assert!(ready.vbank_num.is_some() && ready.vbank_date.is_some());
    assert!(ready.paid_at.is_none() && ready.deposit_history.is_empty());
    // Nothing was paid yet, so nothing can be refunded.
    let early = client
        .cancel_payment(&CancelPayment::full_by_imp_uid(&imp_uid))
        .await
        .expect_err("not paid yet");
    assert_eq!(early.code(), Some(1));

    server.try_deposit(&imp_uid).expect("the buyer deposits");
    let paid = client.payment(&imp_uid).await.expect("paid");
    assert_eq!(paid.status, PaymentStatus::Paid);
    assert!(paid.paid_at.is_some());
    assert_eq!(paid.deposit_history.len(), 1);
    assert_eq!(paid.deposit_history[0].amount, Decimal::from(30_000));
    assert_eq!(
        paid.deposit_history[0].depositor_name.as_deref(),
        Some("김입금")
    );
    assert!(matches!(
        server.try_deposit(&imp_uid),
        Err(MockError::NotReadyVbank(_))
    ));
}

#[tokio::test]
async fn a_virtual_account_issued_by_api_can_be_revoked() {
    let server = MockServer::builder().live_quirks(true).start().await;
    let client = client_for(&server);
    let channel_key = client
        .pg_settings()
        .await
        .expect("settings")
        .into_iter()
        .find_map(|s| s.channel_key)
        .expect("a channel with a key");
    let due = server.now() + 3 * 24 * 3600;
    let issued = client
        .create_vbank(
            &CreateVbank::new(channel_key, "vbank-api-1", 45_000, "004", due),
            &VbankOptions::new(),
        )
        .await
        .expect("issued");
    assert_eq!(issued.status, PaymentStatus::Ready);
    assert_eq!(issued.vbank_code.as_deref(), Some("004"));
    assert_eq!(issued.vbank_date.map(i64::from), Some(due));

    let revoked = client
        .revoke_vbank(&issued.imp_uid, &VbankOptions::new())
        .await
        .expect("revoked");
    assert_eq!(revoked.status, PaymentStatus::Cancelled);
    assert!(matches!(
        server.try_deposit(&issued.imp_uid),
        Err(MockError::NotReadyVbank(_))
    ));
    let sent: Vec<(Method, String)> = server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .filter(|(_, path)| path.starts_with("/vbanks"))
        .collect();
    assert_eq!(
        sent,
        [
            (Method::POST, "/vbanks".to_owned()),
            (Method::DELETE, format!("/vbanks/{}", issued.imp_uid)),
        ]
    );
}
