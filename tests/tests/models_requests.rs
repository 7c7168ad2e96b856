//! Request types: secrets stay out of `Debug`, absent options are not sent, money goes
//! out as JSON numbers, bodies nest where the spec nests, and the calls that could do
//! more than asked (full refunds, unscheduling everything) need their own constructor.

use portone::model::*;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

const CARD: &str = "9410-7777-3333-5109";
const EXPIRY: &str = "2031-07";
const BIRTH: &str = "770413";
const PWD: &str = "83";
const CVC: &str = "719";

fn body<T: Serialize>(request: &T) -> Value {
    serde_json::to_value(request).expect("request serializes")
}

fn dec(text: &str) -> Decimal {
    text.parse().expect("decimal literal")
}

/// Neither `{:?}` nor `{:#?}` shows any of `secrets`, and the body still sends them all.
fn assert_redacted<T: std::fmt::Debug + Serialize>(request: &T, secrets: &[&str]) {
    let debug = format!("{request:?}\n{request:#?}");
    let sent = body(request).to_string();
    for secret in secrets {
        assert!(!debug.contains(secret), "`{secret}` in Debug: {debug}");
        assert!(sent.contains(secret), "`{secret}` not sent: {sent}");
    }
    assert!(debug.contains("[redacted]"));
}

#[test]
fn card_data_never_reaches_debug() {
    let onetime = OnetimePayment::new("order-1", 1000, CARD, EXPIRY)
        .birth(BIRTH)
        .pwd_2digit(PWD)
        .cvc(CVC)
        .secure_3d_token("tok-3ds-51f0");
    assert_redacted(&onetime, &[CARD, EXPIRY, BIRTH, PWD, CVC, "tok-3ds-51f0"]);

    let issue = IssueBillingKey::new("channel-key", CARD, EXPIRY)
        .birth(BIRTH)
        .pwd_2digit(PWD)
        .cvc(CVC);
    assert_redacted(&issue, &[CARD, EXPIRY, BIRTH, PWD, CVC]);

    let schedule = SchedulePayments::new(
        "customer-1",
        [ScheduledPayment::new("order-2", 1_900_000_000, 500, "plan")],
    )
    .card_number(CARD)
    .expiry(EXPIRY)
    .birth(BIRTH)
    .pwd_2digit(PWD)
    .cvc(CVC);
    assert_redacted(&schedule, &[CARD, EXPIRY, BIRTH, PWD, CVC]);
}

#[test]
fn other_secrets_never_reach_debug() {
    let cancel = CancelPayment::full_by_imp_uid("imp_1").refund_account("110-482-991827");
    assert_redacted(&cancel, &["110-482-991827"]);
    let otp = RequestCertificationOtp::new("Hong", "01000000000", BIRTH, "1", Carrier::Kt, "ck");
    assert_redacted(&otp, &[BIRTH]);
    assert_redacted(&ConfirmCertificationOtp::new("604913"), &["604913"]);
    assert_redacted(
        &QueryBenepiaPoint::new("user", "pw-benepia-77", "ck"),
        &["pw-benepia-77"],
    );
    assert_redacted(
        &PayWithBenepiaPoint::new("user", "pw-benepia-77", "m", 1, "n", "ck"),
        &["pw-benepia-77"],
    );
    assert_redacted(
        &CreateVbank::new("ck", "m", 1, "004", 1).escrow_password("esc-pw-9931"),
        &["esc-pw-9931"],
    );
    assert_redacted(&IssueReceipt::new("8801011234567"), &["8801011234567"]);
    assert_redacted(
        &IssueExternalReceipt::new("ck", "n", 1, "8801011234567"),
        &["8801011234567"],
    );
    assert_redacted(
        &KcpQuickPrepare::new("btid", "ip", "verifier-5c1e"),
        &["verifier-5c1e"],
    );
}

#[test]
fn a_full_cancel_sends_only_the_id() {
    assert_eq!(
        body(&CancelPayment::full_by_imp_uid("imp_1")),
        json!({"imp_uid": "imp_1"})
    );
    let by_order = CancelPayment::full_by_merchant_uid("order-1").reason("sold out");
    assert_eq!(
        body(&by_order),
        json!({"merchant_uid": "order-1", "reason": "sold out"})
    );
    assert_eq!(by_order.amount(), None);
}

#[test]
fn a_partial_cancel_needs_an_amount_above_zero() {
    // A refund of a dollar payment: the currency is checked against, not sent.
    let partial = CancelPayment::partial_by_imp_uid("imp_1", dec("1000.5"))
        .expect("positive amount")
        .currency(Currency::Usd)
        .checksum(dec("2000.5"))
        .tax_free(0)
        .requester(Requester::Customer);
    assert_eq!(partial.amount(), Some(dec("1000.5")));
    assert_eq!(
        body(&partial),
        json!({
            "imp_uid": "imp_1",
            "amount": 1000.5,
            "tax_free": 0,
            "checksum": 2000.5,
            "extra": {"requester": "customer"}
        })
    );
    for amount in [Decimal::ZERO, dec("-1")] {
        assert_eq!(
            CancelPayment::partial_by_merchant_uid("order-1", amount),
            Err(InvalidRequest::NonPositiveCancelAmount)
        );
    }
    let error = InvalidRequest::NonPositiveCancelAmount.to_string();
    assert!(error.contains("full refund"), "{error}");
}

#[test]
fn unscheduling_all_and_listed_are_different_calls() {
    let all = Unschedule::all("customer-1");
    assert!(all.is_all());
    assert_eq!(body(&all), json!({"customer_uid": "customer-1"}));

    let listed = Unschedule::listed("customer-1", ["order-3", "order-4"]).expect("listed");
    assert!(!listed.is_all());
    assert_eq!(
        body(&listed),
        json!({"customer_uid": "customer-1", "merchant_uid": ["order-3", "order-4"]})
    );
    assert_eq!(
        Unschedule::listed("customer-1", Vec::<String>::new()),
        Err(InvalidRequest::NoMerchantUids)
    );
}

#[test]
fn naver_actions_refuse_an_empty_product_order_list() {
    assert_eq!(body(&NaverProductOrderIds::all()), json!({}));
    assert_eq!(
        CancelNaverOrders::all().product_order_ids(Vec::<String>::new()),
        Err(InvalidRequest::NoProductOrderIds)
    );
    let ship = ShipNaverOrders::new(NaverDeliveryMethod::Delivery, 1_700_000_000)
        .product_order_ids(["po-1"])
        .expect("listed")
        .delivery_company(NaverDeliveryCompany::Cjgls)
        .tracking_number("6301");
    assert_eq!(
        body(&ship),
        json!({
            "delivery_method": "DELIVERY",
            "dispatched_at": 1_700_000_000,
            "product_order_id": ["po-1"],
            "delivery_company": "CJGLS",
            "tracking_number": "6301"
        })
    );
}

#[test]
fn absent_options_are_not_sent_and_money_is_a_number() {
    let again = AgainPayment::new("customer-1", "order-9", 19_900, "Pro plan");
    assert_eq!(
        body(&again),
        json!({
            "customer_uid": "customer-1",
            "merchant_uid": "order-9",
            "amount": 19900,
            "name": "Pro plan"
        })
    );
    let again = AgainPayment::new("customer-1", "order-9", dec("19.99"), "Pro plan")
        .currency(Currency::Usd)
        .tax_free(dec("0.1"))
        .naver_use_cfm("20240131")
        .custom_data(&json!({"seat": 3}))
        .expect("custom data serializes");
    let sent = body(&again);
    assert_eq!(sent["currency"], "USD");
    assert_eq!(sent["amount"], json!(19.99));
    assert_eq!(sent["tax_free"], json!(0.1));
    assert_eq!(sent["extra"], json!({"naverUseCfm": "20240131"}));
    // custom_data goes out as a JSON string holding JSON.
    assert_eq!(sent["custom_data"], json!("{\"seat\":3}"));

    let prepare = PreparePayment::new("order-1", 1000);
    assert_eq!(
        body(&prepare),
        json!({"merchant_uid": "order-1", "amount": 1000})
    );
    assert_eq!(body(&ModifyVbank::new()), json!({}));
}

#[test]
fn schedules_nest_with_their_own_fields() {
    let request = SchedulePayments::new(
        "customer-1",
        [ScheduledPayment::new(
            "order-1",
            1_900_000_000,
            9900,
            "month 1",
        )],
    )
    .schedule(
        ScheduledPayment::new("order-2", 1_902_592_000, dec("99.5"), "month 2")
            .currency(Currency::Usd)
            .buyer_email("buyer@example.com")
            .bypass(&json!({"pg": {"code": 1}}))
            .expect("bypass serializes"),
    )
    .checking_amount(0);
    assert_eq!(
        body(&request),
        json!({
            "customer_uid": "customer-1",
            "checking_amount": 0,
            "schedules": [
                {
                    "merchant_uid": "order-1",
                    "schedule_at": 1_900_000_000,
                    "amount": 9900,
                    "name": "month 1"
                },
                {
                    "merchant_uid": "order-2",
                    "schedule_at": 1_902_592_000,
                    "amount": 99.5,
                    "name": "month 2",
                    "currency": "USD",
                    "buyer_email": "buyer@example.com",
                    "bypass": "{\"pg\":{\"code\":1}}"
                }
            ]
        })
    );
}

#[test]
fn escrow_logistics_nest_sender_receiver_logis_and_products() {
    let request = RegisterEscrowLogis::new(
        EscrowSender::new().name("Seller").tel("02-000-0000"),
        EscrowReceiver::new()
            .name("Buyer")
            .formed_address(EscrowAddress::new("1 Main St", "Apt 2")),
        EscrowLogisInfo::new("CJGLS", "6301234", 1_700_000_000),
    )
    .product(EscrowProduct::new("sku-1", "Beans", 12_500).quantity(2u32))
    .send_email(false);
    assert_eq!(
        body(&request),
        json!({
            "sender": {"name": "Seller", "tel": "02-000-0000"},
            "receiver": {
                "name": "Buyer",
                "formed_address": {"address_line_1": "1 Main St", "address_line_2": "Apt 2"}
            },
            "logis": {"company": "CJGLS", "invoice": "6301234", "sent_at": 1_700_000_000},
            "products": [{"id": "sku-1", "name": "Beans", "amount": 12500, "quantity": 2}],
            "send_email": false
        })
    );
}

#[test]
fn flags_the_spec_spells_as_words() {
    let delivery = RegisterPaymentwallDelivery::new(
        "imp_1",
        "order-1",
        PaymentwallProductType::Digital,
        PaymentwallDeliveryStatus::Delivered,
        1_700_000_000,
        1_700_000_000,
        false,
        "buyer@example.com",
    );
    let sent = body(&delivery);
    assert_eq!(sent["refundable"], "no");
    assert_eq!(sent["type"], "digital");
    assert!(sent.get("reason").is_none());

    let prepare = KcpQuickPrepare::new("btid", "ip", "v").prepaid_auth_yn(true);
    assert_eq!(body(&prepare)["prepaid_auth_yn"], "Y");
    assert!(
        body(&KcpQuickPrepare::new("b", "i", "v"))
            .get("prepaid_auth_yn")
            .is_none()
    );
}

#[test]
fn path_and_query_enums_are_plain_strings() {
    assert_eq!(body(&PaymentStatusFilter::All), json!("all"));
    assert_eq!(body(&PaymentStatus::Cancelled), json!("cancelled"));
    assert_eq!(body(&Sorting::PaidDesc), json!("-paid"));
    assert_eq!(Sorting::default(), Sorting::StartedDesc);
    assert_eq!(ScheduleStatus::Scheduled.to_string(), "scheduled");
    assert_eq!(NaverReviewType::Premium.as_str(), "premium");
    let parsed: PaymentStatusFilter = "failed".parse().expect("infallible");
    assert_eq!(parsed, PaymentStatusFilter::Failed);
}
