//! One unexpected value never makes a whole answer undecodable.
//!
//! Property tests start from the real and adapted Payment and Schedule bodies of
//! `tests/fixtures/` and, for random non-id fields, remove them or send `null`, `""` or PHP's
//! `false` instead: the model still decodes and the ids survive. Numbers sent as strings
//! decode to exactly what the numbers decode to. A page whose one element is odd still
//! decodes, with the other elements unchanged.

use std::path::Path;

use portone::model::{Payment, PaymentList, Schedule, ScheduleList};
use proptest::prelude::*;
use proptest::sample::Index;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

/// Payment bodies: real ones first, then SDK fixtures and adapted ones.
const PAYMENTS: &[&str] = &[
    "payment-paid-card.json",
    "payment-paid-point-kakaopay.json",
    "payment-paid-onetime-sdk.json",
    "payment-cancelled-full.json",
    "payment-ready-vbank.json",
    "payment-paid-nice-2015-sdk-spec.json",
    "payment-paid-card-kcp-escrow-go-sdk.json",
    "payment-paid-vbank-inicis-go-sdk.json",
    "payment-cancelled-partial.json",
    "payment-paid-usd-unknown-values.json",
];

const PAYMENT_IDS: &[&str] = &["imp_uid", "merchant_uid"];
const SCHEDULE_IDS: &[&str] = &["customer_uid", "merchant_uid", "imp_uid"];

/// The `response` of an envelope, or the body itself when it is the inner object.
fn inner(name: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(FIXTURES).join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    match body.get("response") {
        Some(response) if body.get("code").is_some() => response.clone(),
        _ => body,
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn payments() -> Vec<Map<String, Value>> {
    PAYMENTS.iter().map(|name| object(inner(name))).collect()
}

/// Every schedule the fixtures hold, single or listed.
fn schedules() -> Vec<Map<String, Value>> {
    let mut all = vec![object(inner("schedule-executed.json"))];
    for name in ["schedule-revoked.json", "schedule-list-paged.json"] {
        let listed = match inner(name) {
            Value::Array(items) => items,
            Value::Object(mut page) => match page.remove("list") {
                Some(Value::Array(items)) => items,
                other => panic!("{name}: list is {other:?}"),
            },
            other => panic!("{name}: {other}"),
        };
        all.extend(listed.into_iter().map(object));
    }
    all
}

/// What PortOne sends in place of a value.
#[derive(Debug, Clone, Copy)]
enum Odd {
    Absent,
    Null,
    Empty,
    PhpFalse,
}

fn odd() -> impl Strategy<Value = Odd> {
    prop_oneof![
        Just(Odd::Absent),
        Just(Odd::Null),
        Just(Odd::Empty),
        Just(Odd::PhpFalse)
    ]
}

/// Applies `odd` to the fields `picks` chooses among the non-id fields of `body`.
fn make_odd(body: &mut Map<String, Value>, ids: &[&str], picks: &[(Index, Odd)]) {
    let fields: Vec<String> = body
        .keys()
        .filter(|key| !ids.contains(&key.as_str()))
        .cloned()
        .collect();
    if fields.is_empty() {
        return;
    }
    for (index, odd) in picks {
        let field = index.get(&fields);
        match odd {
            Odd::Absent => {
                body.remove(field);
            }
            Odd::Null => {
                body.insert(field.clone(), Value::Null);
            }
            Odd::Empty => {
                body.insert(field.clone(), Value::String(String::new()));
            }
            Odd::PhpFalse => {
                body.insert(field.clone(), Value::Bool(false));
            }
        }
    }
}

/// JSON pointers of every number in `value`, ids excluded.
fn numbers(value: &Value, at: String, ids: &[&str], found: &mut Vec<String>) {
    match value {
        Value::Number(_) => found.push(at),
        Value::Object(map) => {
            for (key, child) in map {
                if !ids.contains(&key.as_str()) {
                    numbers(child, format!("{at}/{key}"), ids, found);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                numbers(child, format!("{at}/{index}"), ids, found);
            }
        }
        _ => {}
    }
}

/// Turns the numbers `picks` chooses into their text, as some payloads send them.
fn numbers_as_text(body: &mut Value, picks: &[Index]) {
    let mut found = Vec::new();
    numbers(body, String::new(), &[], &mut found);
    if found.is_empty() {
        return;
    }
    for index in picks {
        let pointer = index.get(&found);
        if let Some(slot) = body.pointer_mut(pointer)
            && let Value::Number(number) = slot
        {
            *slot = Value::String(number.to_string());
        }
    }
}

fn decode<T: DeserializeOwned>(body: &Map<String, Value>) -> Result<T, TestCaseError> {
    serde_json::from_value(Value::Object(body.clone()))
        .map_err(|e| TestCaseError::fail(format!("{e}\n{}", Value::Object(body.clone()))))
}

proptest! {
    #[test]
    fn payments_survive_absent_null_blank_and_false_fields(
        base in any::<Index>(),
        picks in prop::collection::vec((any::<Index>(), odd()), 1..16),
    ) {
        let original = base.get(&payments()).clone();
        let mut body = original.clone();
        make_odd(&mut body, PAYMENT_IDS, &picks);
        let payment: Payment = decode(&body)?;
        prop_assert_eq!(Some(payment.imp_uid.as_str()), original["imp_uid"].as_str());
        prop_assert_eq!(Some(payment.merchant_uid.as_str()), original["merchant_uid"].as_str());
    }

    #[test]
    fn payment_numbers_sent_as_text_read_the_same(
        base in any::<Index>(),
        picks in prop::collection::vec(any::<Index>(), 1..24),
    ) {
        let original = base.get(&payments()).clone();
        let expected: Payment = decode(&original)?;
        let mut body = Value::Object(original);
        numbers_as_text(&mut body, &picks);
        let payment: Payment = decode(&object(body))?;
        prop_assert_eq!(payment, expected);
    }

    #[test]
    fn schedules_survive_absent_null_blank_and_false_fields(
        base in any::<Index>(),
        picks in prop::collection::vec((any::<Index>(), odd()), 1..16),
    ) {
        let original = base.get(&schedules()).clone();
        let mut body = original.clone();
        make_odd(&mut body, SCHEDULE_IDS, &picks);
        let schedule: Schedule = decode(&body)?;
        prop_assert_eq!(Some(schedule.customer_uid.as_str()), original["customer_uid"].as_str());
        prop_assert_eq!(Some(schedule.merchant_uid.as_str()), original["merchant_uid"].as_str());
        prop_assert_eq!(schedule.imp_uid.as_deref(), original["imp_uid"].as_str());
    }

    #[test]
    fn schedule_numbers_sent_as_text_read_the_same(
        base in any::<Index>(),
        picks in prop::collection::vec(any::<Index>(), 1..12),
    ) {
        let original = base.get(&schedules()).clone();
        let expected: Schedule = decode(&original)?;
        let mut body = Value::Object(original);
        numbers_as_text(&mut body, &picks);
        let schedule: Schedule = decode(&object(body))?;
        prop_assert_eq!(schedule, expected);
    }

    /// Only the one odd element differs; the page and its other elements decode as before.
    #[test]
    fn a_page_with_one_odd_element_still_decodes(
        odd_one in any::<Index>(),
        picks in prop::collection::vec((any::<Index>(), odd()), 1..24),
    ) {
        let page = object(inner("payment-list-page.json"));
        let expected: PaymentList = decode(&page)?;
        let mut list = match page.get("list") {
            Some(Value::Array(items)) => items.clone(),
            other => panic!("list is {other:?}"),
        };
        let at = odd_one.index(list.len());
        let mut element = object(list[at].clone());
        make_odd(&mut element, PAYMENT_IDS, &picks);
        list[at] = Value::Object(element);
        let mut odd_page = page.clone();
        odd_page.insert("list".into(), Value::Array(list));
        let decoded: PaymentList = decode(&odd_page)?;
        prop_assert_eq!((decoded.total, decoded.next, decoded.previous), (42, 3, 1));
        prop_assert_eq!(&decoded.list[at].imp_uid, &expected.list[at].imp_uid);
        for (index, payment) in decoded.list.iter().enumerate().filter(|(i, _)| *i != at) {
            prop_assert_eq!(payment, &expected.list[index]);
        }
    }

    #[test]
    fn a_schedule_page_with_one_odd_element_still_decodes(
        odd_one in any::<Index>(),
        picks in prop::collection::vec((any::<Index>(), odd()), 1..24),
    ) {
        let page = object(inner("schedule-list-paged.json"));
        let expected: ScheduleList = decode(&page)?;
        let mut list = match page.get("list") {
            Some(Value::Array(items)) => items.clone(),
            other => panic!("list is {other:?}"),
        };
        let at = odd_one.index(list.len());
        let mut element = object(list[at].clone());
        make_odd(&mut element, SCHEDULE_IDS, &picks);
        list[at] = Value::Object(element);
        let mut odd_page = page.clone();
        odd_page.insert("list".into(), Value::Array(list));
        let decoded: ScheduleList = decode(&odd_page)?;
        prop_assert_eq!(decoded.list.len(), expected.list.len());
        prop_assert_eq!(&decoded.list[at].merchant_uid, &expected.list[at].merchant_uid);
        for (index, schedule) in decoded.list.iter().enumerate().filter(|(i, _)| *i != at) {
            prop_assert_eq!(schedule, &expected.list[index]);
        }
    }
}

/// The mutations above are not vacuous: each odd value reads as the documented default.
#[test]
fn odd_values_read_as_the_documented_defaults() -> Result<(), serde_json::Error> {
    let mut body = object(inner("payment-paid-card.json"));
    for field in [
        "currency",
        "status",
        "amount",
        "cancel_amount",
        "card_quota",
        "paid_at",
    ] {
        body.insert(field.into(), Value::String(String::new()));
    }
    body.insert("escrow".into(), Value::Null);
    body.insert("cancel_history".into(), Value::Bool(false));
    body.remove("sandbox");
    let payment: Payment = serde_json::from_value(Value::Object(body))?;
    assert_eq!(payment.currency, portone::model::Currency::Krw);
    assert_eq!(payment.status.as_str(), "");
    assert_eq!(
        payment.status,
        portone::model::PaymentStatus::Other(String::new())
    );
    assert!(payment.amount.is_zero() && payment.cancel_amount.is_zero());
    assert_eq!((payment.card_quota, payment.paid_at), (None, None));
    assert!(!payment.escrow && !payment.sandbox && payment.cancel_history.is_empty());
    assert_eq!(payment.imp_uid, "imp_088022300265");

    // Ids stay required: a Payment without one is an error naming it.
    let mut body = object(inner("payment-paid-card.json"));
    body.remove("imp_uid");
    let error = serde_json::from_value::<Payment>(Value::Object(body))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("imp_uid"), "{error}");

    // A value that is there but cannot be an amount is still an error.
    let mut body = object(inner("payment-paid-card.json"));
    body.insert("amount".into(), Value::String("ten".into()));
    let error = serde_json::from_value::<Payment>(Value::Object(body))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("ten"), "{error}");
    Ok(())
}
