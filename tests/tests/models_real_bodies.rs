//! Every body in `tests/fixtures/` goes over the wire through the ready-made client: a
//! server on 127.0.0.1 answers the method's own route with the fixture (wrapped in the
//! envelope when the fixture is the inner object only), and the decoded answer is checked
//! field by field. Error fixtures come out as `Error::Api` with their code and message.
//!
//! `tests/fixtures/SOURCES.md` says where each body comes from. A fixture without a check
//! here fails `every_fixture_decodes_on_the_wire`.

use std::collections::BTreeSet;
use std::path::Path;
use std::str::FromStr;

use portone::model::{
    AnyBillingKey, CancelPayment, CardType, Channel, Currency, FindAllPayments, FindPayment,
    GetToken, IssueBillingKey, OnetimePayment, PayMethod, PaymentStatus, PaymentStatusFilter,
    PaymentsByStatus, PgProvider, ScheduleStatus, SchedulesByCustomer, SchedulesByRange, UnixTime,
    Unschedule,
};
use portone::prelude::*;
use portone::{Client, Error};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(FIXTURES).join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

/// The body PortOne would send: the fixture itself when it is an envelope, else the
/// fixture as `response` of a success envelope.
fn on_the_wire(name: &str) -> Value {
    let body = fixture(name);
    if body.get("code").is_some() {
        body
    } else {
        json!({"code": 0, "message": null, "response": body})
    }
}

fn token() -> Value {
    json!({"code": 0, "message": null,
           "response": {"access_token": "tok-real-bodies", "now": 1_700_000_000, "expired_at": 1_700_001_800}})
}

/// A server with a token route, answering `verb route` with the fixture `name`.
async fn serve(verb: &str, route: &str, name: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token()))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(on_the_wire(name)))
        .with_priority(1)
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

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn at(secs: i64) -> Option<UnixTime> {
    Some(UnixTime::from(secs))
}

fn ok<T>(name: &str, result: portone::Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{name}: {e} ({e:?})"))
}

/// The refusal a fixture must come out as.
fn refused<T: std::fmt::Debug>(name: &str, result: portone::Result<T>, code: i64, says: &str) {
    match result {
        Err(error @ Error::Api(_)) => {
            assert_eq!(error.code(), Some(code), "{name}");
            let message = error.message().unwrap_or_default();
            assert!(message.contains(says), "{name}: {message}");
        }
        other => panic!("{name}: expected Error::Api, got {other:?}"),
    }
}

/// Calls the ready-made method whose answer the fixture is, and checks what it decoded.
async fn check(name: &str) {
    match name {
        "payment-paid-card.json" => {
            let (_s, c) = serve("GET", "/payments/imp_088022300265", name).await;
            let p = ok(name, c.payment("imp_088022300265").await);
            assert_eq!(
                (p.imp_uid.as_str(), p.merchant_uid.as_str()),
                ("imp_088022300265", "57008833-33010")
            );
            assert_eq!(
                (p.status, p.amount, p.currency),
                (PaymentStatus::Paid, Decimal::ONE, Currency::Krw)
            );
            assert_eq!(
                (p.pg_provider, p.card_type),
                (Some(PgProvider::Html5Inicis), Some(CardType::Check))
            );
            assert_eq!((p.paid_at, p.failed_at), (at(1_709_722_069), None));
        }
        "payment-paid-point-kakaopay.json" => {
            let (_s, c) = serve("GET", "/payments/imp_1", name).await;
            let p = ok(name, c.payment_including_sandbox("imp_1").await);
            assert_eq!(
                (p.pay_method, p.amount),
                (Some(PayMethod::Point), dec("9000"))
            );
            assert_eq!((p.apply_num.as_deref(), p.card_type), (Some(""), None));
        }
        "payment-paid-onetime-sdk.json" => {
            let (_s, c) = serve("POST", "/subscribe/payments/onetime", name).await;
            let request = OnetimePayment::new(
                "merchant_901w6xDqDHUoR6r8FJ5R",
                1000,
                "1111-2222-3333-4444",
                "2025-08",
            );
            let p = ok(name, c.pay_onetime(&request).await);
            assert_eq!(
                (p.imp_uid.as_str(), p.status),
                ("imps_157956638714", PaymentStatus::Paid)
            );
            assert_eq!(
                (p.channel, p.cancel_amount, p.sandbox),
                (Some(Channel::Api), Decimal::ZERO, false)
            );
        }
        "payment-cancelled-full.json" => {
            let (_s, c) = serve("POST", "/payments/cancel", name).await;
            let p = ok(
                name,
                c.cancel_payment(&CancelPayment::full_by_imp_uid("imp_809776678494"))
                    .await,
            );
            assert_eq!(
                (p.status.clone(), p.cancel_amount),
                (PaymentStatus::Cancelled, dec("5900"))
            );
            assert_eq!(p.cancellable_amount(), Decimal::ZERO);
            assert_eq!(p.cancel_history.len(), 1);
            assert_eq!(p.cancel_history[0].cancellation_id, None);
        }
        "payment-cancelled-partial.json" => {
            let (_s, c) = serve("POST", "/payments/cancel", name).await;
            let cancel = ok(
                name,
                CancelPayment::partial_by_imp_uid("imp_301846529127", dec("1000"))
                    .map_err(Error::from),
            );
            let p = ok(name, c.cancel_payment(&cancel).await);
            assert_eq!(
                (p.status.clone(), p.cancellable_amount()),
                (PaymentStatus::Paid, dec("7000"))
            );
            assert_eq!(p.cancel_history.len(), 2);
        }
        "payment-failed.json" => {
            let (_s, c) = serve("GET", "/payments/find/order-20240312-0007", name).await;
            let p = ok(name, c.find_payment("order-20240312-0007").await);
            assert_eq!(
                (p.status, p.failed_at, p.paid_at),
                (PaymentStatus::Failed, at(1_710_228_811), None)
            );
            assert!(p.fail_reason.is_some_and(|r| r.contains("결제포기")));
        }
        "payment-paid-usd-unknown-values.json" => {
            let (_s, c) = serve("GET", "/payments/imp_998877665544", name).await;
            let p = ok(name, c.payment("imp_998877665544").await);
            assert_eq!(
                (p.currency, p.amount, p.cancel_amount),
                (Currency::Usd, dec("1000.5"), dec("0.1"))
            );
            assert_eq!(p.status, PaymentStatus::Other("refund_pending".into()));
            assert_eq!(p.channel, Some(Channel::Other("kiosk".into())));
        }
        "payment-ready-vbank.json" => {
            let (_s, c) = serve("GET", "/payments/imp_694067882726", name).await;
            let p = ok(name, c.payment("imp_694067882726").await);
            assert_eq!(
                (p.status, p.pay_method),
                (PaymentStatus::Ready, Some(PayMethod::Vbank))
            );
            assert_eq!(
                (p.vbank_num.as_deref(), p.vbank_date),
                (Some("X3790127821223"), at(1_613_141_999))
            );
        }
        "payment-list-page.json" => {
            let (_s, c) = serve("GET", "/payments/status/all", name).await;
            let page = ok(
                name,
                c.payments_by_status(PaymentStatusFilter::All, &PaymentsByStatus::new().page(2))
                    .await,
            );
            assert_eq!(
                (page.total, page.previous_page(), page.next_page()),
                (42, Some(1), Some(3))
            );
            let statuses: Vec<PaymentStatus> = page.into_iter().map(|p| p.status).collect();
            assert_eq!(statuses, [PaymentStatus::Paid, PaymentStatus::Cancelled]);
        }
        "payment-paid-nice-2015-sdk-spec.json" => {
            let (_s, c) = serve("GET", "/payments/IMP_UID", name).await;
            let p = ok(name, c.payment("IMP_UID").await);
            assert_eq!(
                (p.imp_uid.as_str(), p.merchant_uid.as_str()),
                ("IMP_UID", "M00001")
            );
            // `cancel_amount` is the string "0"; there is no `currency` at all.
            assert_eq!(
                (p.amount, p.cancel_amount, p.currency),
                (dec("10000"), Decimal::ZERO, Currency::Krw)
            );
            assert_eq!(
                (p.pg_provider, p.channel, p.card_type),
                (Some(PgProvider::Nice), None, None)
            );
            assert_eq!(
                (p.status, p.paid_at),
                (PaymentStatus::Paid, at(1_446_691_529))
            );
        }
        "payment-list-previous-false-sdk-spec.json" => {
            let (_s, c) = serve("GET", "/payments/findAll/M00001", name).await;
            let page = ok(
                name,
                c.find_all_payments("M00001", &FindAllPayments::new()).await,
            );
            assert_eq!(
                (page.total, page.previous_page(), page.next_page()),
                (150, None, Some(2))
            );
            assert_eq!(page.list.len(), 2);
            assert!(page.list.iter().all(|p| p.cancel_amount == Decimal::ZERO));
        }
        "payment-cancel-ids-only-sdk-spec.json" => {
            let (_s, c) = serve("POST", "/payments/cancel", name).await;
            let p = ok(
                name,
                c.cancel_payment(&CancelPayment::full_by_imp_uid("IMP_UID"))
                    .await,
            );
            assert_eq!(
                (p.imp_uid.as_str(), p.merchant_uid.as_str()),
                ("IMP_UID", "M00001")
            );
            // Nothing else was sent: no status is not a `paid` nor a `cancelled` one.
            assert_eq!(
                (p.status.as_str(), p.amount, p.currency),
                ("", Decimal::ZERO, Currency::Krw)
            );
        }
        "payment-paid-card-kcp-escrow-go-sdk.json" => {
            let (_s, c) = serve("GET", "/payments/imp_785510843101", name).await;
            let p = ok(name, c.payment("imp_785510843101").await);
            assert_eq!(
                (p.pg_provider, p.escrow, p.amount),
                (Some(PgProvider::Kcp), true, dec("100"))
            );
            assert_eq!(
                (p.card_quota, p.vbank_date, p.started_at),
                (None, None, at(1_600_828_510))
            );
        }
        "payment-paid-vbank-inicis-go-sdk.json" => {
            let (_s, c) = serve("GET", "/payments/find/merchant_1601964102920/paid", name).await;
            let p = ok(
                name,
                c.find_payment_with(
                    "merchant_1601964102920",
                    &FindPayment::new().payment_status(PaymentStatus::Paid),
                )
                .await,
            );
            assert_eq!(
                (p.status, p.pay_method),
                (PaymentStatus::Paid, Some(PayMethod::Vbank))
            );
            assert_eq!(
                (p.vbank_code.as_deref(), p.vbank_holder.as_deref()),
                (Some("004"), Some("（주）케이지이니시"))
            );
            assert_eq!(
                (p.vbank_date, p.vbank_issued_at),
                (at(1_604_588_399), at(1_601_964_172))
            );
        }
        "billingkey-issued-2017.json" => {
            let (_s, c) = serve("POST", "/subscribe/customers/your_customer_1234", name).await;
            let issue = IssueBillingKey::new("channel-key-1", "1234-1234-1234-1234", "2019-07");
            let key = ok(
                name,
                c.issue_billing_key("your_customer_1234", &issue).await,
            );
            let AnyBillingKey::Single(key) = key else {
                panic!("{name}: {key:?}")
            };
            assert_eq!(
                (key.card_name.as_deref(), key.pg_provider),
                (Some("현대카드"), None)
            );
            assert_ne!(key.inserted, key.updated);
        }
        "billingkey-nice-v2.json" => {
            let (_s, c) = serve("GET", "/subscribe/customers/c1", name).await;
            let key = ok(name, c.billing_key("c1").await);
            let AnyBillingKey::Single(key) = key else {
                panic!("{name}: {key:?}")
            };
            assert_eq!(
                (key.pg_provider, key.card_type),
                (Some(PgProvider::NiceV2), Some(CardType::Check))
            );
            assert_eq!(key.inserted, UnixTime::from(1_707_307_868));
        }
        "billingkey-super.json" => {
            let (_s, c) = serve("GET", "/subscribe/customers/customer-42", name).await;
            let key = ok(name, c.billing_key("customer-42").await);
            let AnyBillingKey::Super(key) = key else {
                panic!("{name}: {key:?}")
            };
            assert_eq!(
                (key.succeeded_channels.len(), key.failed_channels.len()),
                (1, 1)
            );
        }
        "certification-danal.json" => {
            let (_s, c) = serve("GET", "/certifications/imp_045262694732", name).await;
            let cert = ok(name, c.certification("imp_045262694732").await);
            assert_eq!(
                (cert.pg_provider, cert.certified),
                (PgProvider::Danal, true)
            );
            assert_eq!((cert.phone, cert.certified_at), (None, at(1_685_719_311)));
        }
        "schedule-revoked.json" => {
            // The answer of unschedule, as the spec says: an array.
            let (_s, c) = serve("POST", "/subscribe/payments/unschedule", name).await;
            let request = ok(
                name,
                Unschedule::listed("4", ["4_subscribe_2023_09_08_142616185_r"])
                    .map_err(Error::from),
            );
            let revoked = ok(name, c.unschedule_payments(&request).await);
            assert_eq!(revoked.len(), 1);
            assert_eq!(
                (
                    revoked[0].schedule_status.clone(),
                    revoked[0].payment_status.clone()
                ),
                (ScheduleStatus::Revoked, None)
            );
            // The same array on a listing route: the bare form the spec describes.
            let (_s, c) = serve("GET", "/subscribe/payments/schedule", name).await;
            let page = ok(
                name,
                c.schedules_by_range(
                    UnixTime::from(1_690_000_000),
                    UnixTime::from(1_700_000_000),
                    &SchedulesByRange::new(),
                )
                .await,
            );
            assert_eq!((page.total, page.next_page()), (1, None));
            assert_eq!(
                page.list[0].merchant_uid,
                "4_subscribe_2023_09_08_142616185_r"
            );
        }
        "schedule-executed.json" => {
            let (_s, c) = serve(
                "GET",
                "/subscribe/payments/schedule/4_subscribe_2023_10_08_142616185_r",
                name,
            )
            .await;
            let s = ok(name, c.schedule("4_subscribe_2023_10_08_142616185_r").await);
            assert_eq!(
                (s.schedule_status, s.payment_status),
                (ScheduleStatus::Executed, Some(PaymentStatus::Paid))
            );
            assert_eq!((s.amount, s.executed_at), (dec("5900"), at(1_696_742_790)));
        }
        "schedule-list-paged.json" => {
            let from = UnixTime::from(1_690_000_000);
            let to = UnixTime::from(1_700_000_000);
            let (_s, c) = serve("GET", "/subscribe/customers/4/schedules", name).await;
            let page = ok(
                name,
                c.billing_key_schedules("4", from, to, &SchedulesByCustomer::new())
                    .await,
            );
            let statuses: Vec<ScheduleStatus> = page
                .list
                .iter()
                .map(|s| s.schedule_status.clone())
                .collect();
            assert_eq!(
                (page.total, statuses),
                (2, vec![ScheduleStatus::Executed, ScheduleStatus::Revoked])
            );
            let (_s, c) = serve("GET", "/subscribe/payments/schedule/customers/4", name).await;
            let page = ok(
                name,
                c.schedules_by_customer("4", from, to, &SchedulesByCustomer::new().page(1))
                    .await,
            );
            assert_eq!((page.total, page.list.len()), (2, 2));
        }
        "token-gettoken.json" => {
            // The client's own token comes from the same route and the same body.
            let (_s, c) = serve("POST", "/users/getToken", name).await;
            let t = ok(name, c.get_token(&GetToken::new("key", "secret")).await);
            assert_eq!(
                t.access_token.expose(),
                "c659d28525e034bfe0e75be9d71122585da0c97e"
            );
            assert_eq!(i64::from(t.expired_at) - i64::from(t.now), 1800);
        }
        "token-without-expiry-sdk-spec.json" => {
            let server = MockServer::start().await;
            // The client's own token first, then the body of the SDK's test.
            Mock::given(method("POST"))
                .and(path("/users/getToken"))
                .respond_with(ResponseTemplate::new(200).set_body_json(token()))
                .up_to_n_times(1)
                .with_priority(1)
                .mount(&server)
                .await;
            Mock::given(method("POST"))
                .and(path("/users/getToken"))
                .respond_with(ResponseTemplate::new(200).set_body_json(on_the_wire(name)))
                .with_priority(2)
                .mount(&server)
                .await;
            let c = ok(
                name,
                Client::builder()
                    .api_key("k")
                    .api_secret("s")
                    .base_url(server.uri())
                    .build(),
            );
            let t = ok(name, c.get_token(&GetToken::new("key", "secret")).await);
            assert_eq!(t.access_token.expose(), "NEW_TOKEN");
            // No clock was sent: the lifetime reads as already over.
            assert_eq!(
                (t.now, t.expired_at),
                (UnixTime::from(0), UnixTime::from(0))
            );
        }
        "error-billingkey-card-declined.json" => {
            let (_s, c) = serve("POST", "/subscribe/customers/your_customer_1234", name).await;
            let issue = IssueBillingKey::new("channel-key-1", "1234-1234-1234-1234", "2019-07");
            refused(
                name,
                c.issue_billing_key("your_customer_1234", &issue).await,
                -1,
                "[F112]",
            );
        }
        "error-nonauth-module-not-found.json" => {
            let (_s, c) = serve("POST", "/subscribe/customers/c1", name).await;
            let issue = IssueBillingKey::new("channel-key-1", "1234-1234-1234-1234", "2030-12");
            refused(
                name,
                c.issue_billing_key("c1", &issue).await,
                1,
                "비인증결제모듈",
            );
        }
        "error-receipt-not-found-data-key.json" => {
            let (_s, c) = serve("GET", "/receipts/imp_1", name).await;
            refused(name, c.receipt("imp_1").await, -1, "현금영수증");
        }
        "error-billingkey-not-found.json" => {
            let (_s, c) = serve("GET", "/subscribe/customers/invalid-uid", name).await;
            refused(
                name,
                c.billing_key("invalid-uid").await,
                1,
                "customer_uid(invalid-uid)",
            );
        }
        "error-cancel-not-found.json" => {
            let (_s, c) = serve("POST", "/payments/cancel", name).await;
            refused(
                name,
                c.cancel_payment(&CancelPayment::full_by_imp_uid("nothing"))
                    .await,
                1,
                "취소할 결제건",
            );
        }
        other => panic!("{other}: a fixture without a wire check; add one to `check`"),
    }
}

/// Each fixture runs in its own task, so one failure does not hide the others.
#[tokio::test]
async fn every_fixture_decodes_on_the_wire() {
    let names: BTreeSet<String> = std::fs::read_dir(FIXTURES)
        .unwrap_or_else(|e| panic!("{FIXTURES}: {e}"))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    assert!(names.len() >= 28, "fixtures went missing: {names:?}");
    let tasks: Vec<_> = names
        .iter()
        .map(|name| {
            let name = name.clone();
            (
                name.clone(),
                tokio::spawn(async move { check(&name).await }),
            )
        })
        .collect();
    let mut failed = Vec::new();
    for (name, task) in tasks {
        if let Err(error) = task.await {
            failed.push(format!("{name}: {error}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Every fixture is listed in SOURCES.md, so none arrives without its provenance.
#[test]
fn every_fixture_has_a_source() {
    let sources = std::fs::read_to_string(Path::new(FIXTURES).join("SOURCES.md"))
        .unwrap_or_else(|e| panic!("SOURCES.md: {e}"));
    let missing: Vec<String> = std::fs::read_dir(FIXTURES)
        .unwrap_or_else(|e| panic!("{FIXTURES}: {e}"))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .filter(|name| !sources.contains(&format!("`{name}`")))
        .collect();
    assert!(missing.is_empty(), "not in SOURCES.md: {missing:?}");
}
