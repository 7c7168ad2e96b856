//! Realistic payloads from `tests/fixtures/` decode into the models, field by field.
//!
//! Verbatim copies of bodies PortOne sent (published by PortOne users, personal data
//! replaced): `payment-paid-card` (raw wire, KG Inicis), `payment-paid-point-kakaopay`
//! (`apply_num: ""`, `card_type: null`), `payment-paid-onetime-sdk` (printed by the Go SDK:
//! every empty field absent), `payment-cancelled-full` (Kakao Pay, one cancellation),
//! `payment-ready-vbank` (inner object only), `schedule-revoked` (`payment_status: null`),
//! `billingkey-nice-v2` (inner object), `billingkey-issued-2017` (the 2017 shape) and
//! `certification-danal` (no `phone`, no `carrier`).
//!
//! Adapted from those shapes: `payment-cancelled-partial` (two partial refunds; status
//! stays `paid`), `payment-failed`, `payment-paid-usd-unknown-values` (fractions, values
//! and fields this crate does not know), `schedule-executed`, `payment-list-page` and
//! `billingkey-super`.

use portone::model::{
    AnyBillingKey, BillingKey, CardType, Carrier, Certification, Channel, Currency,
    CustomerUidUsage, FailureType, Gender, PayMethod, Payment, PaymentList, PaymentStatus,
    PgProvider, Schedule, ScheduleStatus, UnixTime,
};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::str::FromStr;

/// Decodes the envelope's `response`, or the whole body when the fixture is the inner
/// object only.
fn decode<T: DeserializeOwned>(body: &str) -> T {
    let value: serde_json::Value = serde_json::from_str(body).expect("fixture is JSON");
    let inner = match value.get("response") {
        Some(response) if value.get("code").is_some() => response.clone(),
        _ => value,
    };
    serde_json::from_value(inner).expect("fixture decodes")
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).expect("decimal literal")
}

fn at(secs: i64) -> Option<UnixTime> {
    Some(UnixTime::from(secs))
}

#[test]
fn paid_card_payment() {
    let payment: Payment = decode(include_str!("../fixtures/payment-paid-card.json"));
    assert_eq!(payment.imp_uid, "imp_088022300265");
    assert_eq!(payment.merchant_uid, "57008833-33010");
    assert_eq!(payment.status, PaymentStatus::Paid);
    assert_eq!(payment.pay_method, Some(PayMethod::Card));
    assert_eq!(payment.pg_provider, Some(PgProvider::Html5Inicis));
    assert_eq!(payment.emb_pg_provider, None);
    assert_eq!(payment.channel, Some(Channel::Pc));
    assert_eq!(payment.amount, Decimal::ONE);
    assert_eq!(payment.cancel_amount, Decimal::ZERO);
    assert_eq!(payment.currency, Currency::Krw);
    assert_eq!(payment.apply_num.as_deref(), Some("31491375"));
    assert_eq!(payment.card_code.as_deref(), Some("366"));
    assert_eq!(payment.card_name.as_deref(), Some("신한카드"));
    assert_eq!(payment.card_number.as_deref(), Some("559410*********4"));
    assert_eq!(payment.card_type, Some(CardType::Check));
    assert_eq!(payment.card_quota, Some(0));
    assert_eq!(payment.name.as_deref(), Some("당근 10kg"));
    assert_eq!(payment.buyer_name.as_deref(), Some("포트원 기술지원팀"));
    assert_eq!(
        payment.receipt_url.as_deref(),
        Some(
            "https://iniweb.inicis.com/receipt/iniReceipt.jsp?noTid=StdpayCARDINIBillTst20240306194748374762"
        )
    );
    assert_eq!(payment.started_at, at(1_709_722_022));
    assert_eq!(payment.paid_at, at(1_709_722_069));
    assert_eq!(payment.failed_at, None);
    assert_eq!(payment.cancelled_at, None);
    assert_eq!(payment.vbank_date, None);
    assert_eq!(payment.vbank_issued_at, None);
    assert!(payment.cancel_history.is_empty());
    assert!(payment.cancel_receipt_urls.is_empty());
    assert!(!payment.escrow && !payment.cash_receipt_issued && !payment.sandbox);
    assert_eq!(payment.customer_uid_usage, None);
    assert!(payment.custom_data::<serde_json::Value>().is_none());
    assert_eq!(payment.cancellable_amount(), Decimal::ONE);
}

#[test]
fn paid_point_payment_with_empty_strings_and_null_card_type() {
    let payment: Payment = decode(include_str!("../fixtures/payment-paid-point-kakaopay.json"));
    assert_eq!(payment.pay_method, Some(PayMethod::Point));
    assert_eq!(payment.pg_provider, Some(PgProvider::Kakaopay));
    assert_eq!(payment.apply_num.as_deref(), Some(""));
    assert_eq!(payment.buyer_addr.as_deref(), Some(""));
    assert_eq!(payment.buyer_postcode, None);
    assert_eq!(payment.card_type, None);
    assert_eq!(payment.card_code, None);
    assert_eq!(payment.amount, dec("9000"));
    assert_eq!(payment.paid_at, at(1_668_561_453));
}

#[test]
fn sdk_printed_payment_without_empty_fields() {
    let payment: Payment = decode(include_str!("../fixtures/payment-paid-onetime-sdk.json"));
    assert_eq!(payment.imp_uid, "imps_157956638714");
    assert_eq!(payment.channel, Some(Channel::Api));
    assert_eq!(payment.pg_provider, Some(PgProvider::Nice));
    assert_eq!(payment.amount, dec("1000"));
    // Required by the spec, absent in this printout.
    assert_eq!(payment.cancel_amount, Decimal::ZERO);
    assert!(!payment.sandbox);
    assert!(payment.cancel_history.is_empty());
    assert_eq!(payment.failed_at, None);
    assert_eq!(payment.card_quota, None);
    assert_eq!(payment.card_type, Some(CardType::Check));
}

#[test]
fn fully_cancelled_payment_with_history() {
    let payment: Payment = decode(include_str!("../fixtures/payment-cancelled-full.json"));
    assert_eq!(payment.status, PaymentStatus::Cancelled);
    assert_eq!(payment.amount, dec("5900"));
    assert_eq!(payment.cancel_amount, dec("5900"));
    assert_eq!(payment.cancellable_amount(), Decimal::ZERO);
    assert_eq!(payment.paid_at, at(1_694_150_787));
    assert_eq!(payment.cancelled_at, at(1_694_156_059));
    assert_eq!(payment.channel, Some(Channel::Mobile));
    assert_eq!(payment.customer_uid.as_deref(), Some("4"));
    assert_eq!(payment.customer_uid_usage, Some(CustomerUidUsage::Issue));
    assert_eq!(payment.cancel_reason.as_deref(), Some("잘못된 결제"));
    assert_eq!(payment.cancel_history.len(), 1);
    let cancel = &payment.cancel_history[0];
    assert_eq!(cancel.pg_tid.as_deref(), Some("T4fab0787514397709d3"));
    assert_eq!(cancel.amount, dec("5900"));
    assert_eq!(cancel.cancelled_at, UnixTime::from(1_694_156_059));
    assert_eq!(cancel.reason.as_deref(), Some("잘못된 결제"));
    // Older payloads have no cancellation id.
    assert_eq!(cancel.cancellation_id, None);
    assert_eq!(payment.cancel_receipt_urls.len(), 1);
}

#[test]
fn partially_cancelled_payment_with_history_and_custom_data() {
    let payment: Payment = decode(include_str!("../fixtures/payment-cancelled-partial.json"));
    assert_eq!(payment.status, PaymentStatus::Paid);
    assert_eq!(payment.amount, dec("10000"));
    assert_eq!(payment.cancel_amount, dec("3000"));
    assert_eq!(payment.cancellable_amount(), dec("7000"));
    assert_eq!(payment.card_type, Some(CardType::Credit));
    assert_eq!(payment.card_quota, Some(3));
    assert!(payment.sandbox);
    let amounts: Vec<Decimal> = payment.cancel_history.iter().map(|c| c.amount).collect();
    assert_eq!(amounts, [dec("2000"), dec("1000")]);
    assert_eq!(
        payment.cancel_history[1].cancellation_id.as_deref(),
        Some("cancel-2-imp_301846529127")
    );
    assert_eq!(
        payment.cancelled_at,
        Some(payment.cancel_history[1].cancelled_at)
    );

    #[derive(Debug, Deserialize, PartialEq)]
    struct Cart {
        cart_id: String,
        coupon: Option<String>,
        items: Vec<u32>,
    }
    let cart: Cart = payment
        .custom_data()
        .expect("custom_data is present")
        .expect("custom_data is a cart");
    assert_eq!(
        cart,
        Cart {
            cart_id: "c-77".into(),
            coupon: None,
            items: vec![1, 2, 3],
        }
    );
    // The wrong type is an error, not a panic.
    assert!(matches!(payment.custom_data::<Vec<u8>>(), Some(Err(_))));
}

#[test]
fn ready_virtual_account() {
    let payment: Payment = decode(include_str!("../fixtures/payment-ready-vbank.json"));
    assert_eq!(payment.status, PaymentStatus::Ready);
    assert_eq!(payment.pay_method, Some(PayMethod::Vbank));
    assert_eq!(payment.pg_provider, Some(PgProvider::Uplus));
    assert_eq!(payment.amount, dec("6500"));
    assert_eq!(payment.vbank_code.as_deref(), Some("088"));
    assert_eq!(payment.vbank_name.as_deref(), Some("신한"));
    assert_eq!(payment.vbank_num.as_deref(), Some("X3790127821223"));
    assert_eq!(payment.vbank_holder.as_deref(), Some("이크레디트"));
    assert_eq!(payment.vbank_date, at(1_613_141_999));
    assert_eq!(payment.vbank_issued_at, at(1_612_947_086));
    assert_eq!(payment.paid_at, None);
    assert_eq!(payment.apply_num, None);
    assert_eq!(payment.card_type, None);
}

#[test]
fn failed_payment() {
    let payment: Payment = decode(include_str!("../fixtures/payment-failed.json"));
    assert_eq!(payment.status, PaymentStatus::Failed);
    assert_eq!(payment.failed_at, at(1_710_228_811));
    assert_eq!(payment.paid_at, None);
    assert_eq!(
        payment.fail_reason.as_deref(),
        Some("[결제포기] 사용자가 결제를 취소하셨습니다")
    );
    assert_eq!(payment.pg_tid, None);
    assert_eq!(payment.amount, dec("25000"));
}

#[test]
fn fractions_unknown_values_and_unknown_fields() {
    let payment: Payment = decode(include_str!(
        "../fixtures/payment-paid-usd-unknown-values.json"
    ));
    assert_eq!(payment.currency, Currency::Usd);
    assert_eq!(payment.amount, dec("1000.5"));
    assert_eq!(payment.cancel_amount, dec("0.1"));
    assert_eq!(payment.cancellable_amount(), dec("1000.4"));
    assert_eq!(
        payment.status,
        PaymentStatus::Other("refund_pending".into())
    );
    assert_eq!(payment.status.as_str(), "refund_pending");
    assert_eq!(payment.channel, Some(Channel::Other("kiosk".into())));
    assert_eq!(
        payment
            .customer_uid_usage
            .as_ref()
            .map(|usage| usage.as_str()),
        Some("payment.subscription")
    );
    assert_eq!(payment.pg_provider, Some(PgProvider::PaypalV2));
    assert_eq!(payment.pay_method, Some(PayMethod::Paypal));
    assert!(payment.deposit_history.is_empty());
    let promotion = payment.promotion.as_ref().expect("promotion");
    assert_eq!(promotion.discount, Some(dec("0.5")));

    #[derive(Debug, Deserialize)]
    struct Custom {
        user_id: u64,
        plan: String,
    }
    let custom: Custom = payment
        .custom_data()
        .expect("present")
        .expect("typed custom data");
    assert_eq!((custom.user_id, custom.plan.as_str()), (42, "pro"));

    // Re-encoding keeps unknown values and exact numbers.
    let encoded = serde_json::to_value(&payment).expect("encodes");
    assert_eq!(encoded["status"], "refund_pending");
    assert_eq!(encoded["amount"], serde_json::json!(1000.5));
    assert_eq!(encoded["paid_at"], serde_json::json!(1_709_722_069));
    assert_eq!(encoded["failed_at"], serde_json::json!(0));
}

#[test]
fn payment_list_page() {
    let page: PaymentList = decode(include_str!("../fixtures/payment-list-page.json"));
    assert_eq!(page.total, 42);
    assert_eq!(page.previous_page(), Some(1));
    assert_eq!(page.next_page(), Some(3));
    let statuses: Vec<&PaymentStatus> = page.list.iter().map(|p| &p.status).collect();
    assert_eq!(statuses, [&PaymentStatus::Paid, &PaymentStatus::Cancelled]);

    let last: PaymentList =
        serde_json::from_str(r#"{"total": 0, "previous": 0, "next": 0, "list": null}"#)
            .expect("empty page");
    assert_eq!((last.next_page(), last.previous_page()), (None, None));
    assert!(last.list.is_empty());
}

#[test]
fn schedule_with_null_payment_status() {
    let schedules: Vec<Schedule> = decode(include_str!("../fixtures/schedule-revoked.json"));
    assert_eq!(schedules.len(), 1);
    let schedule = &schedules[0];
    assert_eq!(schedule.customer_uid, "4");
    assert_eq!(schedule.merchant_uid, "4_subscribe_2023_09_08_142616185_r");
    assert_eq!(schedule.imp_uid, None);
    assert_eq!(schedule.customer_id, None);
    assert_eq!(schedule.schedule_at, UnixTime::from(1_696_742_786));
    assert_eq!(schedule.executed_at, None);
    assert_eq!(schedule.revoked_at, at(1_694_160_397));
    assert_eq!(schedule.amount, dec("5900"));
    assert_eq!(schedule.currency, Currency::Krw);
    assert_eq!(schedule.name.as_deref(), Some("1개월 정기결제예약"));
    assert_eq!(schedule.schedule_status, ScheduleStatus::Revoked);
    assert_eq!(schedule.payment_status, None);
    assert!(schedule.custom_data::<serde_json::Value>().is_none());
}

#[test]
fn executed_schedule() {
    let schedule: Schedule = decode(include_str!("../fixtures/schedule-executed.json"));
    assert_eq!(schedule.schedule_status, ScheduleStatus::Executed);
    assert_eq!(schedule.payment_status, Some(PaymentStatus::Paid));
    assert_eq!(schedule.executed_at, at(1_696_742_790));
    assert_eq!(schedule.revoked_at, None);
    assert_eq!(schedule.pg_provider, Some(PgProvider::Kakaopay));
    let custom: serde_json::Value = schedule.custom_data().expect("present").expect("json");
    assert_eq!(custom["round"], 2);
}

#[test]
fn billing_key() {
    let key: BillingKey = decode(include_str!("../fixtures/billingkey-nice-v2.json"));
    assert_eq!(key.customer_uid, ":customer_uid");
    assert_eq!(key.pg_provider, Some(PgProvider::NiceV2));
    assert_eq!(key.pg_id.as_deref(), Some("iamport01m"));
    assert_eq!(key.card_name.as_deref(), Some("KB국민카드"));
    assert_eq!(key.card_code.as_deref(), Some("381"));
    assert_eq!(key.card_issuer_code.as_deref(), Some("381"));
    assert_eq!(key.card_publisher_code.as_deref(), Some("090"));
    assert_eq!(key.card_publisher_name.as_deref(), Some("카카오뱅크"));
    assert_eq!(key.card_number.as_deref(), Some("53651019****3392"));
    assert_eq!(key.card_type, Some(CardType::Check));
    assert_eq!(
        key.customer_id.as_deref(),
        Some("customer-id-1d453314-0eae-4c96-99e0-239ba3c98f05")
    );
    assert_eq!(key.customer_name, None);
    assert_eq!(key.inserted, UnixTime::from(1_707_307_868));
    assert_eq!(key.updated, UnixTime::from(1_707_319_533));
    assert!(!key.sandbox);
}

#[test]
fn billing_key_of_2017_without_pg_fields() {
    let key: BillingKey = decode(include_str!("../fixtures/billingkey-issued-2017.json"));
    assert_eq!(key.customer_uid, "your_customer_1234");
    assert_eq!(key.card_name.as_deref(), Some("현대카드"));
    assert_eq!(key.pg_provider, None);
    assert_eq!(key.pg_id, None);
    assert_eq!(key.card_number, None);
    assert_eq!(key.customer_tel.as_deref(), Some("010-1234-5678"));
    assert_ne!(key.inserted, key.updated, "an updated key");
}

#[test]
fn any_billing_key_tells_plain_from_super() {
    let plain: AnyBillingKey = decode(include_str!("../fixtures/billingkey-issued-2017.json"));
    assert!(matches!(&plain, AnyBillingKey::Single(key) if key.card_name.is_some()));
    assert_eq!(plain.customer_uid(), "your_customer_1234");

    let any: AnyBillingKey = decode(include_str!("../fixtures/billingkey-super.json"));
    let AnyBillingKey::Super(key) = &any else {
        panic!("expected a super billing key, got {any:?}");
    };
    assert_eq!(key.channel_group_id, "channel-group-id-1a2b3c");
    assert_eq!(key.succeeded_channels.len(), 1);
    let channel = &key.succeeded_channels[0];
    assert_eq!(channel.pg_provider, PgProvider::NiceV2);
    assert_eq!(channel.card_type, Some(CardType::Check));
    assert_eq!(channel.updated, at(1_707_307_868));
    assert_eq!(key.failed_channels[0].kind, FailureType::PgProvider);
    assert_eq!(key.failed_channels[0].pg_provider, PgProvider::Tosspayments);
}

#[test]
fn certification_without_phone_or_carrier() {
    let cert: Certification = decode(include_str!("../fixtures/certification-danal.json"));
    assert_eq!(cert.imp_uid, "imp_045262694732");
    assert_eq!(cert.merchant_uid.as_deref(), Some("mid_1685719260995"));
    assert_eq!(cert.pg_provider, PgProvider::Danal);
    assert_eq!(cert.pg_tid.as_deref(), Some("202306030021027306905010"));
    assert_eq!(cert.name.as_deref(), Some("홍길동"));
    assert_eq!(cert.gender, Some(Gender::Male));
    assert_eq!(
        cert.birthday.as_ref().map(|b| b.expose().as_str()),
        Some("1990-01-01")
    );
    assert_eq!(
        cert.birth.as_ref().map(|b| *b.expose()),
        Some(UnixTime::from(631_119_600))
    );
    assert!(cert.certified);
    assert_eq!(cert.certified_at, at(1_685_719_311));
    assert!(!cert.foreigner);
    assert_eq!(cert.foreigner_v2, None);
    assert_eq!(cert.phone, None);
    assert_eq!(cert.carrier, None::<Carrier>);
    assert!(cert.unique_key.is_some() && cert.unique_in_site.is_some());
    assert!(
        cert.origin
            .as_deref()
            .is_some_and(|o| o.starts_with("data:text/html"))
    );

    // Birth dates and identity keys never reach Debug output.
    let debug = format!("{cert:?}");
    for secret in ["1990-01-01", "631119600", "FAKEAAAA"] {
        assert!(!debug.contains(secret), "{secret} leaked: {debug}");
    }
}
