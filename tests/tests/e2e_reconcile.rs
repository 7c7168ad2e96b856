//! Reconciliation walks on `portone-mock` while the lists move under them (issue 24): every
//! stream whose listing takes a time range yields each record that did not change exactly
//! once, and a changed or new one at most once, at one page at a time and four; the
//! concurrent walk yields what the sequential one does, in the same order; an error ends a
//! walk after what came before it; dropping a stream stops its requests; a walk holds a
//! bounded number of records.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::TryStreamExt;
use portone::api::PageStream;
use portone::model::{
    AgainPayment, AnyBillingKey, BillingKeyPayments, IssueBillingKey, Payment, PaymentStatusFilter,
    PaymentsByStatus, SchedulePayments, ScheduleSorting, ScheduleStatus, ScheduledPayment,
    SchedulesByCustomer, SchedulesByRange, Sorting, UnixTime,
};
use portone::prelude::*;
use portone::{Client, Error};
use portone_mock::{Checkout, Fault, Method, MockServer, cards};

const PAGE: usize = 100;

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()
        .expect("a client for the mock")
}

/// How the records of a test are spread over time.
#[derive(Debug, Clone, Copy)]
enum Spread {
    /// All in one second: a flash sale, more than a page in one second.
    OneSecond,
    /// 150 in one second, then three a second.
    Mixed,
}

impl Spread {
    /// Whether record `i` starts a new second.
    fn next_second(self, i: usize) -> bool {
        match self {
            Spread::OneSecond => false,
            Spread::Mixed => i >= 150 && i.is_multiple_of(3),
        }
    }
}

/// `n` paid payments, on the mock's frozen clock moved as `spread` says.
fn pay(server: &MockServer, n: usize, spread: Spread, prefix: &str) -> Vec<String> {
    (0..n)
        .map(|i| {
            if spread.next_second(i) {
                server.advance(Duration::from_secs(1));
            }
            server.checkout(Checkout::paid(format!("{prefix}-{i}"), 1_000))
        })
        .collect()
}

/// Asserts what a walk over a list that moved yielded: each record of `before` that did not
/// change exactly once, `changed` and `arrived` ones at most once, nothing else.
#[track_caller]
fn assert_complete(
    what: &str,
    yielded: &[String],
    before: &[String],
    changed: &str,
    arrived: &[String],
) {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for id in yielded {
        *count.entry(id.as_str()).or_default() += 1;
    }
    for id in before {
        let n = count.get(id.as_str()).copied().unwrap_or(0);
        if id == changed {
            assert!(n <= 1, "{what}: the changed {id} came {n} times");
        } else {
            assert_eq!(n, 1, "{what}: {id} came {n} times");
        }
    }
    for id in arrived {
        let n = count.get(id.as_str()).copied().unwrap_or(0);
        assert!(n <= 1, "{what}: the new {id} came {n} times");
    }
    for id in yielded {
        assert!(
            before.contains(id) || arrived.contains(id),
            "{what}: {id} is from no list"
        );
    }
}

/// Reads `n` records, checking after each what the stream holds.
async fn read<T: Send + 'static>(stream: &mut PageStream<T>, n: usize, bound: usize) -> Vec<T> {
    let mut records = Vec::new();
    while records.len() < n {
        let Some(record) = stream.try_next().await.expect("no error") else {
            break;
        };
        assert!(stream.held() <= bound, "holds {} > {bound}", stream.held());
        records.push(record);
    }
    records
}

fn bound(concurrency: usize, page: usize) -> usize {
    (2 * concurrency + 1) * page
}

fn paid_time(p: &Payment) -> i64 {
    p.paid_at.map_or(0, UnixTime::as_secs)
}

#[tokio::test]
async fn a_paid_walk_stays_complete_while_payments_arrive_and_leave() {
    for spread in [Spread::OneSecond, Spread::Mixed] {
        for concurrency in [1, 4] {
            for sorting in [Sorting::PaidDesc, Sorting::PaidAsc] {
                // After the first page, as the issue has it; and halfway through the
                // second, where a refund shifts the pages of that second's own walk.
                for (refund_one_yielded, after) in
                    [(true, PAGE), (false, PAGE), (true, PAGE + PAGE / 2)]
                {
                    let what = format!(
                        "{spread:?}, concurrency {concurrency}, {sorting:?}, \
                         refunded one yielded: {refund_one_yielded}, after {after}"
                    );
                    let server = MockServer::builder().frozen_clock().start().await;
                    let client = client_for(&server);
                    let before = pay(&server, 250, spread, "p");
                    let options = PaymentsByStatus::new().sorting(sorting.clone());
                    let mut stream = client
                        .payments_by_status_stream(PaymentStatusFilter::Paid, &options)
                        .concurrency(concurrency);
                    let limit = bound(concurrency, PAGE);
                    let mut yielded = read(&mut stream, after, limit).await;
                    assert_eq!(yielded.len(), after, "{what}");

                    // The list moves: one payment is refunded, three more are paid.
                    let ids: Vec<&str> = yielded.iter().map(|p| p.imp_uid.as_str()).collect();
                    let refunded = if refund_one_yielded {
                        ids[10].to_owned()
                    } else {
                        let left = before.iter().find(|id| !ids.contains(&id.as_str()));
                        left.expect("one not yielded yet").clone()
                    };
                    server.cancel_in_console(&refunded, None);
                    let arrived = pay(&server, 3, Spread::OneSecond, "late");

                    yielded.extend(read(&mut stream, usize::MAX, limit).await);
                    let ids: Vec<String> = yielded.iter().map(|p| p.imp_uid.clone()).collect();
                    assert_complete(&what, &ids, &before, &refunded, &arrived);
                    let times: Vec<i64> = yielded.iter().map(paid_time).collect();
                    let in_order = match sorting {
                        Sorting::PaidAsc => times.is_sorted(),
                        _ => times.iter().rev().is_sorted(),
                    };
                    assert!(in_order, "{what}: not in the listing's order");
                }
            }
        }
    }
}

#[tokio::test]
async fn four_pages_at_once_yield_what_one_at_a_time_does_in_the_same_order() {
    let server = MockServer::builder().frozen_clock().start().await;
    let client = client_for(&server);
    let before = pay(&server, 450, Spread::Mixed, "p");
    for sorting in [Sorting::PaidDesc, Sorting::PaidAsc] {
        let walk = |concurrency| {
            let options = PaymentsByStatus::new().sorting(sorting.clone());
            client
                .payments_by_status_stream(PaymentStatusFilter::Paid, &options)
                .concurrency(concurrency)
                .map_ok(|p| p.imp_uid)
                .try_collect::<Vec<_>>()
        };
        server.reset_log();
        let one = walk(1).await.expect("one at a time");
        let sequential = server.requests().len();
        let four = walk(4).await.expect("four at once");
        assert_eq!(one.len(), before.len());
        assert_eq!(one, four, "{sorting:?}");
        // Four at once asks more (smaller slices, a probe), but not wildly more.
        let concurrent = server.requests().len() - sequential;
        assert!(
            concurrent <= 3 * sequential,
            "{concurrent} against {sequential}"
        );
    }
}

/// A billing key `sub` and 250 of its payments scheduled an hour ahead, spread as asked.
async fn scheduled(server: &MockServer, client: &Client, spread: Spread) -> (Vec<String>, i64) {
    // The mock's billing channel (`portone_mock`'s docs list its channels).
    let key = IssueBillingKey::new("channel-key-mock-nice-v2", cards::APPROVED, "2030-12")
        .birth("900101")
        .pwd_2digit("12");
    let issued = client.issue_billing_key("sub", &key).await.expect("issued");
    assert!(matches!(issued, AnyBillingKey::Single(_)));
    let start = server.now() + 3600;
    let mut at = start;
    let ids: Vec<String> = (0..250).map(|i| format!("s-{i}")).collect();
    let entries: Vec<ScheduledPayment> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            if spread.next_second(i) {
                at += 1;
            }
            ScheduledPayment::new(id.as_str(), at, 9_900, "월 구독")
        })
        .collect();
    client
        .schedule_payments(&SchedulePayments::new("sub", entries))
        .await
        .expect("scheduled");
    (ids, start)
}

#[derive(Debug, Clone, Copy)]
enum Listing {
    ByRange(bool),
    ByCustomer,
    BillingKeySchedules,
}

#[tokio::test]
async fn schedule_walks_stay_complete_while_schedules_arrive_and_leave() {
    let listings = [
        Listing::ByRange(false),
        Listing::ByRange(true),
        Listing::ByCustomer,
        Listing::BillingKeySchedules,
    ];
    for listing in listings {
        for spread in [Spread::OneSecond, Spread::Mixed] {
            for concurrency in [1, 4] {
                let what = format!("{listing:?}, {spread:?}, concurrency {concurrency}");
                let server = MockServer::builder().frozen_clock().start().await;
                let client = client_for(&server);
                let (before, start) = scheduled(&server, &client, spread).await;
                let (from, to) = (UnixTime::from(start - 10), UnixTime::from(start + 86_400));
                let status = SchedulesByCustomer::new().schedule_status(ScheduleStatus::Scheduled);
                let (mut stream, page) = match listing {
                    Listing::ByRange(oldest_first) => {
                        let mut options =
                            SchedulesByRange::new().schedule_status(ScheduleStatus::Scheduled);
                        if oldest_first {
                            options = options.sorting(ScheduleSorting::ScheduledAsc);
                        }
                        (client.schedules_by_range_stream(from, to, &options), PAGE)
                    }
                    // These routes take no limit: PortOne's page of 20.
                    Listing::ByCustomer => (
                        client.schedules_by_customer_stream("sub", from, to, &status),
                        20,
                    ),
                    Listing::BillingKeySchedules => (
                        client.billing_key_schedules_stream("sub", from, to, &status),
                        20,
                    ),
                };
                stream = stream.concurrency(concurrency);
                let limit = bound(concurrency, page);
                let mut yielded = read(&mut stream, page, limit).await;

                // One schedule is revoked (it leaves the `scheduled` list), three are added
                // in the busy second and after it.
                let revoked = yielded[3].merchant_uid.clone();
                client
                    .unschedule_listed("sub", &[revoked.as_str()])
                    .await
                    .expect("revoked");
                let arrived: Vec<String> = (0..3).map(|i| format!("new-{i}")).collect();
                let entries = arrived
                    .iter()
                    .zip([start, start, start + 2])
                    .map(|(id, at)| ScheduledPayment::new(id.as_str(), at, 9_900, "월 구독"));
                client
                    .schedule_payments(&SchedulePayments::new("sub", entries))
                    .await
                    .expect("scheduled more");

                yielded.extend(read(&mut stream, usize::MAX, limit).await);
                let ids: Vec<String> = yielded.iter().map(|s| s.merchant_uid.clone()).collect();
                assert_complete(&what, &ids, &before, &revoked, &arrived);
                let times: Vec<i64> = yielded.iter().map(|s| s.schedule_at.as_secs()).collect();
                let in_order = match listing {
                    Listing::ByRange(true) => times.is_sorted(),
                    _ => times.iter().rev().is_sorted(),
                };
                assert!(in_order, "{what}: not in the listing's order");
            }
        }
    }
}

#[tokio::test]
async fn a_listing_without_a_range_never_repeats_a_payment() {
    let server = MockServer::builder().frozen_clock().start().await;
    let client = client_for(&server);
    let (_, _) = scheduled(&server, &client, Spread::OneSecond).await;
    let charge = |i: usize| {
        let request = AgainPayment::new("sub", format!("again-{i}"), 9_900, "월 구독");
        let client = client.clone();
        async move { client.pay_again(&request).await.expect("paid").imp_uid }
    };
    let mut before = Vec::new();
    for i in 0..70 {
        before.push(charge(i).await);
    }
    // Newest first, 20 a page: a payment made during the walk pushes every later one a
    // place down, so the next page starts with one already yielded.
    let mut stream = client.billing_key_payments_stream("sub", &BillingKeyPayments::new());
    let mut yielded = read(&mut stream, 20, usize::MAX).await;
    let mut arrived = Vec::new();
    for i in 70..73 {
        arrived.push(charge(i).await);
    }
    yielded.extend(read(&mut stream, usize::MAX, usize::MAX).await);
    let ids: Vec<String> = yielded.into_iter().map(|p| p.imp_uid).collect();
    assert_complete("billing key payments", &ids, &before, "", &arrived);
}

#[tokio::test]
async fn an_error_midway_ends_the_walk_after_what_came_before_it() {
    let server = MockServer::builder().frozen_clock().start().await;
    let client = client_for(&server);
    pay(&server, 450, Spread::Mixed, "p");
    let paid = |concurrency| {
        client
            .payments_by_status_stream(PaymentStatusFilter::Paid, &PaymentsByStatus::new())
            .concurrency(concurrency)
    };
    let reference: Vec<String> = paid(1)
        .map_ok(|p| p.imp_uid)
        .try_collect()
        .await
        .expect("the whole walk");
    for concurrency in [1, 4] {
        server.clear_faults();
        let mut stream = paid(concurrency);
        let first = stream.try_next().await.expect("first").expect("a payment");
        // From now on PortOne refuses the listing.
        server.inject(
            Fault::respond(
                200,
                "application/json",
                r#"{"code":-1,"message":"listing refused","response":null}"#,
            )
            .on(Method::GET, "/payments/status/paid"),
        );
        let rest: Vec<portone::Result<Payment>> =
            futures_util::StreamExt::collect(&mut stream).await;
        let (last, before) = rest.split_last().expect("at least the error");
        assert!(
            matches!(last, Err(e @ Error::Api(_)) if e.code() == Some(-1)),
            "{last:?}"
        );
        let mut ids = vec![first.imp_uid];
        for item in before {
            ids.push(
                item.as_ref()
                    .expect("only the last is an error")
                    .imp_uid
                    .clone(),
            );
        }
        assert!(ids.len() < reference.len());
        assert_eq!(ids, reference[..ids.len()], "concurrency {concurrency}");
        assert!(stream.try_next().await.expect("ended").is_none());
    }
}

fn listing_requests(server: &MockServer) -> usize {
    let requests = server.requests();
    requests
        .iter()
        .filter(|r| r.path == "/payments/status/paid")
        .count()
}

#[tokio::test]
async fn dropping_a_walk_stops_its_requests() {
    let server = MockServer::builder().frozen_clock().start().await;
    let client = client_for(&server);
    let before = pay(&server, 1_500, Spread::Mixed, "p");
    server.reset_log();
    let whole = client
        .payments_by_status_stream(PaymentStatusFilter::Paid, &PaymentsByStatus::new())
        .try_collect::<Vec<_>>()
        .await
        .expect("the whole walk");
    assert_eq!(whole.len(), before.len());
    let whole_walk = listing_requests(&server);

    server.reset_log();
    let mut stream = client
        .payments_by_status_stream(PaymentStatusFilter::Paid, &PaymentsByStatus::new())
        .concurrency(4);
    stream.try_next().await.expect("first").expect("a payment");
    drop(stream);
    // Each lookup after the drop is an event the mock logs after anything sent before it.
    client.payment(&before[0]).await.expect("a lookup");
    let after_drop = listing_requests(&server);
    for id in &before[1..4] {
        client.payment(id).await.expect("a lookup");
    }
    assert_eq!(
        listing_requests(&server),
        after_drop,
        "requests after the drop"
    );
    assert!(
        after_drop <= 1 + 2 * 4,
        "{after_drop} requests for one page"
    );
    assert!(after_drop < whole_walk, "{after_drop} of {whole_walk}");
}

#[tokio::test]
async fn a_long_walk_holds_a_bounded_number_of_payments() {
    let server = MockServer::builder().frozen_clock().start().await;
    let client = client_for(&server);
    let before = pay(&server, 1_500, Spread::Mixed, "p");
    for concurrency in [1, 4] {
        let mut stream = client
            .payments_by_status_stream(PaymentStatusFilter::Paid, &PaymentsByStatus::new())
            .concurrency(concurrency);
        let limit = bound(concurrency, PAGE);
        let mut most = 0;
        let mut count = 0;
        while stream.try_next().await.expect("no error").is_some() {
            most = most.max(stream.held());
            count += 1;
        }
        assert_eq!(count, before.len());
        assert!(most <= limit, "held {most} > {limit}");
        // Fifteen pages were never all held at once.
        assert!(most < before.len() / 2, "held {most}");
    }
}

#[tokio::test]
async fn the_mock_lists_each_status_by_its_own_clock() {
    let server = MockServer::builder().frozen_clock().start().await;
    let client = client_for(&server);
    let started = server.now();
    let waiting = server.checkout(Checkout::vbank_ready("vbank-1", 1_000));
    server.advance(Duration::from_secs(100));
    let early = server.checkout(Checkout::paid("order-1", 1_000));
    let late = server.checkout(Checkout::paid("order-2", 1_000));
    server.advance(Duration::from_secs(100));
    // Cancelled after `late`, so by cancel time (`updated`) `early` is the newest.
    server.cancel_in_console(&late, None);
    server.advance(Duration::from_secs(100));
    server.cancel_in_console(&early, None);
    let listed = |status: PaymentStatusFilter, from: i64, to: i64, sorting: Sorting| {
        let options = PaymentsByStatus::new().from(from).to(to).sorting(sorting);
        let client = client.clone();
        async move {
            let page = client.payments_by_status(status, &options).await;
            let page = page.expect("a page");
            page.list.into_iter().map(|p| p.imp_uid).collect::<Vec<_>>()
        }
    };
    let (paid_at, first_cancel) = (started + 100, started + 200);
    let everything = (started, started + 300);
    // `ready` by the time started, `paid` by the time paid, `cancelled` by the time cancelled.
    let ready = listed(
        PaymentStatusFilter::Ready,
        started,
        started,
        Sorting::StartedDesc,
    );
    assert_eq!(ready.await, [waiting]);
    let cancelled = PaymentStatusFilter::Cancelled;
    let at_payment = listed(cancelled.clone(), paid_at, paid_at, Sorting::UpdatedDesc);
    assert!(at_payment.await.is_empty(), "not by the time paid");
    let at_cancel = listed(
        cancelled.clone(),
        first_cancel,
        first_cancel,
        Sorting::UpdatedDesc,
    );
    assert_eq!(at_cancel.await, std::slice::from_ref(&late));
    let newest = listed(cancelled, everything.0, everything.1, Sorting::UpdatedDesc);
    assert_eq!(newest.await, [early, late]);
    let paid = listed(
        PaymentStatusFilter::Paid,
        everything.0,
        everything.1,
        Sorting::PaidDesc,
    );
    assert!(paid.await.is_empty(), "both were refunded");
}
