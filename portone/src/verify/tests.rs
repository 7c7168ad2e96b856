//! The verdicts of one payment against an order.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{Mismatch, Order, Verdict};
use crate::model::{Currency, Payment};

fn payment(changes: Value) -> Payment {
    let mut body = json!({
        "imp_uid": "imp_100000000001",
        "merchant_uid": "order-1",
        "pay_method": "card",
        "amount": 15000,
        "cancel_amount": 0,
        "currency": "KRW",
        "status": "paid",
        "sandbox": false,
    });
    if let (Value::Object(body), Value::Object(changes)) = (&mut body, changes) {
        body.extend(changes);
    }
    serde_json::from_value(body).unwrap_or_else(|e| panic!("{e}"))
}

fn check(order: &Order, changes: Value) -> Verdict {
    order.check(payment(changes))
}

#[test]
fn paid_with_the_orders_amount_is_paid() {
    let order = Order::new("order-1", 15_000);
    let verdict = check(&order, json!({}));
    assert!(verdict.is_paid(), "{verdict:?}");
    assert_eq!(verdict.to_string(), "paid 15000 KRW");
    // The amount is compared by value, as PortOne writes it.
    assert!(check(&order, json!({"amount": 15000.00})).is_paid());
    assert!(check(&order, json!({"amount": "15000"})).is_paid());
    let usd = Order::new("order-1", Decimal::new(1999, 2)).currency("USD");
    assert!(check(&usd, json!({"amount": 19.99, "currency": "USD"})).is_paid());
}

#[test]
fn any_difference_from_the_order_is_a_mismatch() {
    let order = Order::new("order-1", 15_000);
    let amount = check(&order, json!({"amount": 100}));
    assert!(
        matches!(&amount, Verdict::Mismatch(Mismatch::Amount { expected, payment })
            if *expected == Decimal::from(15_000) && payment.amount == Decimal::from(100)),
        "{amount:?}"
    );
    assert_eq!(
        amount.to_string(),
        "mismatch: payment `imp_100000000001` is 100 KRW, the order costs 15000"
    );
    // One won more is as wrong as one less; a fraction of a won too.
    assert!(check(&order, json!({"amount": 15001})).is_mismatch());
    assert!(check(&order, json!({"amount": 15000.01})).is_mismatch());
    let other = check(&order, json!({"merchant_uid": "order-cheap"}));
    assert!(matches!(
        other,
        Verdict::Mismatch(Mismatch::MerchantUid { .. })
    ));
    let currency = check(&order, json!({"currency": "USD"}));
    assert!(matches!(
        currency,
        Verdict::Mismatch(Mismatch::Currency {
            expected: Currency::Krw,
            ..
        })
    ));
    // A missing currency is KRW, as PortOne means it.
    assert!(check(&order, json!({"currency": null})).is_paid());
    // A mismatch wins over every status: a failed or cancelled payment of another
    // amount is still not this order's.
    assert!(check(&order, json!({"amount": 100, "status": "failed"})).is_mismatch());
    assert!(check(&order, json!({"amount": 100, "status": "cancelled"})).is_mismatch());
}

#[test]
fn a_test_channel_payment_counts_only_when_the_order_allows_it() {
    let order = Order::new("order-1", 15_000);
    let verdict = check(&order, json!({"sandbox": true}));
    assert!(matches!(
        verdict,
        Verdict::Mismatch(Mismatch::TestPayment { .. })
    ));
    assert!(verdict.payment().is_some());
    let test_env = order.accept_test_payments(true);
    assert!(check(&test_env, json!({"sandbox": true})).is_paid());
}

#[test]
fn each_status_has_its_verdict() {
    let order = Order::new("order-1", 15_000);
    let partial = check(&order, json!({"cancel_amount": 5000}));
    assert!(matches!(
        partial,
        Verdict::Cancelled { cancelled, full: false, .. } if cancelled == Decimal::from(5_000)
    ));
    assert_eq!(
        partial.to_string(),
        "partly cancelled: 5000 of 15000 KRW refunded"
    );
    let full = check(
        &order,
        json!({"cancel_amount": 15000, "status": "cancelled"}),
    );
    assert!(matches!(full, Verdict::Cancelled { full: true, .. }));
    let failed = check(
        &order,
        json!({"status": "failed", "fail_reason": "한도초과"}),
    );
    assert_eq!(failed.to_string(), "failed: 한도초과");
    let vbank = check(
        &order,
        json!({"status": "ready", "pay_method": "vbank", "vbank_code": "004",
               "vbank_name": "KB국민은행", "vbank_num": "X123", "vbank_holder": "(주)포트원",
               "vbank_date": 1_800_000_000}),
    );
    let Verdict::VbankIssued { account, .. } = &vbank else {
        panic!("{vbank:?}");
    };
    assert_eq!(account.number.as_deref(), Some("X123"));
    assert_eq!(account.due.map(|d| d.as_secs()), Some(1_800_000_000));
    assert_eq!(
        vbank.to_string(),
        "virtual account issued for 15000 KRW: KB국민은행 X123 ((주)포트원), due at unix time 1800000000"
    );
    let ready = check(&order, json!({"status": "ready"}));
    assert!(matches!(ready, Verdict::Pending { .. }));
    let unknown = check(&order, json!({"status": "partial_cancelled"}));
    assert_eq!(unknown.to_string(), "not paid yet (partial_cancelled)");
    // An absent status is not `paid`.
    assert!(matches!(
        check(&order, json!({"status": null})),
        Verdict::Pending { .. }
    ));
}

#[test]
fn the_order_is_paid_when_one_attempt_is_whatever_the_others_say() {
    let order = Order::new("order-1", 15_000);
    let failed = payment(
        json!({"imp_uid": "imp_a", "status": "failed", "fail_reason": "한도초과",
        "started_at": 100}),
    );
    let paid = payment(json!({"imp_uid": "imp_b", "started_at": 200, "paid_at": 201}));
    let verdict = order.check_attempts(vec![failed.clone(), paid.clone()]);
    assert!(verdict.is_paid(), "{verdict}");
    assert_eq!(verdict.payment().map(|p| p.imp_uid.as_str()), Some("imp_b"));
    // Order of the listing does not matter, nor does a later failure.
    let late_failure = payment(json!({"imp_uid": "imp_c", "status": "failed", "started_at": 300}));
    assert!(
        order
            .check_attempts(vec![paid.clone(), late_failure])
            .is_paid()
    );
    // Alone, the failed attempt is a failure, the latest one deciding among failures.
    let verdict = order.check_attempts(vec![failed]);
    assert!(matches!(verdict, Verdict::Failed { .. }), "{verdict}");
    // No attempt at all is no payment of this order.
    let verdict = order.check_attempts(Vec::new());
    assert!(
        matches!(&verdict, Verdict::Mismatch(Mismatch::UnknownOrder { merchant_uid }) if merchant_uid == "order-1"),
        "{verdict}"
    );
    assert_eq!(
        verdict.to_string(),
        "mismatch: portone has no payment for order `order-1`"
    );
}

#[test]
fn two_paid_attempts_are_a_double_payment() {
    let order = Order::new("order-1", 15_000);
    let first = payment(json!({"imp_uid": "imp_a", "started_at": 100, "paid_at": 101}));
    let second = payment(json!({"imp_uid": "imp_b", "started_at": 200, "paid_at": 201}));
    let verdict = order.check_attempts(vec![second.clone(), first.clone()]);
    let Verdict::DoublePayment { payments } = &verdict else {
        panic!("{verdict:?}")
    };
    let ids: Vec<&str> = payments.iter().map(|p| p.imp_uid.as_str()).collect();
    assert_eq!(ids, ["imp_a", "imp_b"], "the earliest first");
    assert_eq!(
        verdict.to_string(),
        "paid 2 times: `imp_a` (15000 KRW) `imp_b` (15000 KRW)"
    );
    assert!(!verdict.is_paid());
    // Money held at another amount counts too; a refunded attempt holds nothing, nor does a
    // test-channel one.
    let cheap = payment(json!({"imp_uid": "imp_c", "amount": 100, "started_at": 300}));
    assert!(matches!(
        order.check_attempts(vec![first.clone(), cheap.clone()]),
        Verdict::DoublePayment { .. }
    ));
    let refunded =
        payment(json!({"imp_uid": "imp_d", "status": "cancelled", "cancel_amount": 15000}));
    let sandbox = payment(json!({"imp_uid": "imp_e", "sandbox": true}));
    let verdict = order.check_attempts(vec![first, refunded, sandbox]);
    assert!(verdict.is_paid(), "{verdict}");
    // Paid only at another amount: the mismatch, not the other attempts, is the verdict.
    let failed = payment(json!({"imp_uid": "imp_f", "status": "failed", "started_at": 400}));
    let verdict = order.check_attempts(vec![cheap, failed]);
    assert!(
        matches!(verdict, Verdict::Mismatch(Mismatch::Amount { .. })),
        "{verdict}"
    );
}
