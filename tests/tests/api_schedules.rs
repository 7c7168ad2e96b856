//! The three schedule listings on the wire: both answer shapes, every page through the
//! streams, the schedule's own `sorting`, and unscheduling by order ids alone.

use futures_util::TryStreamExt;
use portone::model::{
    ScheduleSorting, ScheduleStatus, SchedulesByCustomer, SchedulesByRange, UnixTime,
};
use portone::prelude::*;
use portone::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const FROM: i64 = 1_700_000_000;
const TO: i64 = 1_707_776_000;

fn schedule(merchant_uid: &str) -> Value {
    json!({"customer_uid": "c1", "merchant_uid": merchant_uid, "imp_uid": null,
           "schedule_at": 1_700_100_000, "executed_at": 0, "revoked_at": 0, "amount": 9900,
           "schedule_status": "scheduled", "payment_status": null, "currency": "KRW"})
}

fn envelope(response: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"code": 0, "message": null, "response": response}))
}

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(envelope(
            json!({"access_token": "tok-schedules", "now": FROM, "expired_at": FROM + 1800}),
        ))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("key")
        .api_secret("secret")
        .base_url(server.uri())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    (server, client)
}

/// The listing requests the server got, as `path?query`.
async fn listings(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r: &&Request| r.url.path() != "/users/getToken")
        .map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn range_stream_walks_every_page_with_the_schedule_sorting() {
    let (server, client) = server().await;
    let route = "/subscribe/payments/schedule";
    let at = 1_700_100_000_i64;
    // PortOne's paged form, with PHP's `false` for "no such page". All three schedules are
    // due in one second, more than the first page holds: the walk reads that second as a
    // window of its own, page by page, then what is after it.
    let answer = |from: i64, page: &str, body: Value| {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("schedule_from", from.to_string()))
            .and(query_param("page", page))
            .respond_with(envelope(body))
    };
    let first = json!({"total": 3, "previous": false, "next": 2,
                       "list": [schedule("m1"), schedule("m2")]});
    answer(FROM, "1", first.clone()).mount(&server).await;
    answer(at, "1", first).mount(&server).await;
    answer(
        at,
        "2",
        json!({"total": 3, "previous": 1, "next": false,
                           "list": [schedule("m3")]}),
    )
    .mount(&server)
    .await;
    answer(
        at + 1,
        "1",
        json!({"total": 0, "previous": false, "next": false, "list": []}),
    )
    .mount(&server)
    .await;
    let all: Vec<_> = client
        .schedules_by_range_stream(
            UnixTime::from(FROM),
            UnixTime::from(TO),
            &SchedulesByRange::new()
                .schedule_status(ScheduleStatus::Scheduled)
                .sorting(ScheduleSorting::ScheduledAsc),
        )
        .concurrency(1)
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let merchant_uids: Vec<&str> = all.iter().map(|s| s.merchant_uid.as_str()).collect();
    assert_eq!(merchant_uids, ["m1", "m2", "m3"]);
    let query = |from: i64, to: i64, page: u32| {
        format!(
            "{route}?schedule_from={from}&schedule_to={to}&schedule_status=scheduled\
             &page={page}&limit=100&sorting=scheduled"
        )
    };
    assert_eq!(
        listings(&server).await,
        [
            query(FROM, TO, 1),
            query(at, at + 1, 1),
            query(at, at + 1, 2),
            query(at + 1, TO, 1),
        ]
    );
}

#[tokio::test]
async fn a_bare_array_is_the_only_page() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .and(path("/subscribe/customers/c1/schedules"))
        .respond_with(envelope(json!([schedule("m1"), schedule("m2")])))
        .mount(&server)
        .await;
    let page = client
        .billing_key_schedules("c1", FROM.into(), TO.into(), &SchedulesByCustomer::new())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (page.total, page.previous_page(), page.next_page()),
        (2, None, None)
    );
    let all: Vec<_> = client
        .billing_key_schedules_stream("c1", FROM.into(), TO.into(), &SchedulesByCustomer::new())
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.len(), 2);
    // One call for the page, one for the stream: a bare array asks for no second page.
    assert_eq!(listings(&server).await.len(), 2);
}

#[tokio::test]
async fn a_page_that_does_not_advance_ends_the_stream() {
    let (server, client) = server().await;
    // A confused server that always points back at page 1.
    Mock::given(method("GET"))
        .and(path("/subscribe/payments/schedule/customers/c%201"))
        .respond_with(envelope(
            json!({"total": 99, "previous": 0, "next": 1, "list": [schedule("m1")]}),
        ))
        .mount(&server)
        .await;
    let all: Vec<_> = client
        .schedules_by_customer_stream(
            "c 1",
            FROM.into(),
            TO.into(),
            &SchedulesByCustomer::new().schedule_status(ScheduleStatus::Revoked),
        )
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Each page names the same schedule: it comes once, and the walk ends.
    assert_eq!(all.len(), 1);
    let sent = listings(&server).await;
    assert!(sent[0].ends_with(&format!(
        "?from={FROM}&to={TO}&page=1&schedule-status=revoked"
    )));
    assert!(
        sent.iter().all(|q| q.contains("schedule-status=revoked")),
        "{sent:?}"
    );
}

#[tokio::test]
async fn an_error_page_ends_the_stream_after_the_items_before_it() {
    let (server, client) = server().await;
    let route = "/subscribe/payments/schedule";
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("page", "1"))
        .respond_with(envelope(
            json!({"total": 2, "previous": 0, "next": 2, "list": [schedule("m1")]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"code": -1, "message": "조회기간은 최대 3개월입니다.", "response": null}),
        ))
        .mount(&server)
        .await;
    let items: Vec<_> = futures_util::StreamExt::collect::<Vec<_>>(
        client.schedules_by_range_stream(FROM.into(), TO.into(), &SchedulesByRange::new()),
    )
    .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(&items[0], Ok(s) if s.merchant_uid == "m1"));
    assert!(matches!(&items[1], Err(e @ Error::Api(_)) if e.code() == Some(-1)));
}

#[tokio::test]
async fn unschedule_by_order_ids_alone_sends_no_customer_uid() {
    let (server, client) = server().await;
    Mock::given(method("POST"))
        .and(path("/subscribe/payments/unschedule"))
        .respond_with(envelope(json!([schedule("m1")])))
        .mount(&server)
        .await;
    let revoked = client
        .unschedule_by_merchant_uids(&["m1", "m2"])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(revoked.len(), 1);
    let bodies: Vec<Value> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/subscribe/payments/unschedule")
        .map(|r| serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(bodies, [json!({"merchant_uid": ["m1", "m2"]})]);

    // An empty list would name nothing to revoke: refused before any I/O.
    let before = listings(&server).await.len();
    let empty = client.unschedule_by_merchant_uids(&[]).await;
    assert!(matches!(empty, Err(Error::InvalidRequest(_))), "{empty:?}");
    assert_eq!(listings(&server).await.len(), before);
}

#[tokio::test]
async fn every_schedule_listing_reads_both_shapes() {
    let shapes = [
        json!([schedule("m1"), schedule("m2")]),
        json!({"total": 2, "previous": 0, "next": 0, "list": [schedule("m1"), schedule("m2")]}),
    ];
    for shape in shapes {
        let (server, client) = server().await;
        for route in [
            "/subscribe/payments/schedule",
            "/subscribe/payments/schedule/customers/c1",
            "/subscribe/customers/c1/schedules",
        ] {
            Mock::given(method("GET"))
                .and(path(route))
                .respond_with(envelope(shape.clone()))
                .mount(&server)
                .await;
        }
        let pages = [
            client
                .schedules_by_range(FROM.into(), TO.into(), &SchedulesByRange::new())
                .await,
            client
                .schedules_by_customer("c1", FROM.into(), TO.into(), &SchedulesByCustomer::new())
                .await,
            client
                .billing_key_schedules("c1", FROM.into(), TO.into(), &SchedulesByCustomer::new())
                .await,
        ];
        for page in pages {
            let page = page.unwrap_or_else(|e| panic!("{shape}: {e}"));
            let ids: Vec<&str> = page.list.iter().map(|s| s.merchant_uid.as_str()).collect();
            assert_eq!(ids, ["m1", "m2"], "{shape}");
            assert_eq!((page.total, page.next_page()), (2, None), "{shape}");
        }
        assert_eq!(listings(&server).await.len(), 3);
    }
}
