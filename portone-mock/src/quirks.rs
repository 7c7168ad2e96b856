//! Live quirks ([`MockServerBuilder::live_quirks`](crate::MockServerBuilder::live_quirks)):
//! answers shaped like the bodies PortOne really sent, not like its spec.
//!
//! Every record is served in one of four [`BodyShape`]s, chosen by a stable hash of the id
//! a test picks itself (`merchant_uid` for payments and schedules, `customer_uid` for
//! billing keys): the same id always gets the same shape, in every run, and a handful of
//! ids gets them all. Each shape copies what one dated real body does; the bodies are in
//! `tests/fixtures/` (see its README for where each was published).
//!
//! Applied to the encoded answer, after the handler ran, so that handlers stay unaware of
//! them.

use axum::body::{Body, to_bytes};
use axum::http::{Response, header};
use serde_json::{Map, Value};

use crate::reply::php_json;

/// How an answer shapes one record when live quirks are on. See
/// [`MockServerBuilder::live_quirks`](crate::MockServerBuilder::live_quirks) for what each
/// shape changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum BodyShape {
    /// Today's shape, every field present (also what every record gets with quirks off).
    Current,
    /// A record from 2024: no `sandbox`, `promotion`, `card_issuer_*`,
    /// `card_publisher_*`, nor an empty `deposit_history`.
    Y2024,
    /// A record from 2023: as [`Y2024`](Self::Y2024), and `apply_num` `""` where there is
    /// none, `card_type` `null` even on a card payment, cancels without `cancellation_id`;
    /// schedules without `pg_provider`, `pg_id`, `promotion_id`.
    Y2023,
    /// A record from 2021–22: as [`Y2023`](Self::Y2023), and no `emb_pg_provider` nor
    /// `customer_uid_usage`, `buyer_addr` `""` where there is none; billing keys in their
    /// 2017 shape (only `card_name`, `customer_*`, `inserted`, `updated`).
    Y2021,
}

impl BodyShape {
    /// The shape a record gets when live quirks are on: by its `merchant_uid` for payments
    /// and schedules, by its `customer_uid` for billing keys.
    #[must_use]
    pub fn of(uid: &str) -> BodyShape {
        match fnv1a(uid.as_bytes()) % 4 {
            0 => BodyShape::Current,
            1 => BodyShape::Y2024,
            2 => BodyShape::Y2023,
            _ => BodyShape::Y2021,
        }
    }
}

/// FNV-1a, 64 bits: stable across runs and platforms, unlike std's hashers.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Rewrites a JSON answer with the quirks; anything else passes unchanged.
pub(crate) async fn apply(res: Response<Body>) -> Response<Body> {
    let (mut head, body) = res.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let Ok(mut envelope) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(head, Body::from(bytes));
    };
    if let Some(response) = envelope.get_mut("response") {
        walk(response);
    }
    head.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(head, Body::from(php_json(&envelope)))
}

fn walk(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(walk),
        Value::Object(map) => {
            if is_page(map) {
                page(map);
            } else if has(
                map,
                &["imp_uid", "merchant_uid", "pay_method", "cancel_history"],
            ) {
                let shape = shape_by(map, "merchant_uid");
                payment(map, shape);
            } else if has(map, &["merchant_uid", "schedule_at", "schedule_status"]) {
                let shape = shape_by(map, "merchant_uid");
                schedule(map, shape);
            } else if has(map, &["customer_uid", "card_name", "inserted", "updated"]) {
                let shape = shape_by(map, "customer_uid");
                customer(map, shape);
            }
            map.values_mut().for_each(walk);
        }
        _ => {}
    }
}

fn has(map: &Map<String, Value>, keys: &[&str]) -> bool {
    keys.iter().all(|k| map.contains_key(*k))
}

fn is_page(map: &Map<String, Value>) -> bool {
    map.len() == 4 && has(map, &["total", "previous", "next", "list"])
}

fn shape_by(map: &Map<String, Value>, key: &str) -> BodyShape {
    BodyShape::of(map.get(key).and_then(Value::as_str).unwrap_or_default())
}

/// A first page says it has no previous page with `false`, not `0`. No body we could find
/// shows it; issue 10 asks for it so that clients read `false` as "none".
fn page(map: &mut Map<String, Value>) {
    if map.get("previous") == Some(&Value::from(0)) {
        map.insert("previous".into(), Value::Bool(false));
    }
}

/// `null` becomes `""`, as PHP wrote an empty column.
fn empty_for_null(map: &mut Map<String, Value>, key: &str) {
    if let Some(v) = map.get_mut(key).filter(|v| v.is_null()) {
        *v = Value::String(String::new());
    }
}

fn payment(map: &mut Map<String, Value>, shape: BodyShape) {
    if shape >= BodyShape::Y2024 {
        // payment-paid-card-inicis-wordcharger.json (raw wire, 2024-03) has none of these:
        // `sandbox` came in 2026-01, the card issuer/publisher split and `promotion` later.
        // A test-channel payment is hidden from lookups since then, so it is always a
        // record of the current shape: its `sandbox: true` stays.
        if map.get("sandbox") == Some(&Value::Bool(false)) {
            map.remove("sandbox");
        }
        for key in [
            "promotion",
            "card_issuer_code",
            "card_issuer_name",
            "card_publisher_code",
            "card_publisher_name",
        ] {
            map.remove(key);
        }
        if map
            .get("deposit_history")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            map.remove("deposit_history");
        }
    }
    if shape >= BodyShape::Y2023 {
        // payment-cancelled-kakaopay-laundry.json (2023-09): `apply_num` "", `card_type`
        // null, `cancel_history` entries without `cancellation_id`. NOTES: `card_type` can
        // be null on any payment.
        empty_for_null(map, "apply_num");
        if map.contains_key("card_type") {
            map.insert("card_type".into(), Value::Null);
        }
        if let Some(Value::Array(history)) = map.get_mut("cancel_history") {
            for entry in history.iter_mut().filter_map(Value::as_object_mut) {
                entry.remove("cancellation_id");
            }
        }
    }
    if shape >= BodyShape::Y2021 {
        // payment-ready-vbank-uplus-hexagon.json (2021-02) has no `emb_pg_provider`;
        // payment-paid-onetime-nice-go-iamport.json (2020-10, printed by the Go SDK) no
        // `customer_uid_usage`; payment-paid-point-kakaopay-bitmovie.json (raw wire,
        // 2022-11) writes `buyer_addr` "".
        map.remove("emb_pg_provider");
        map.remove("customer_uid_usage");
        empty_for_null(map, "buyer_addr");
    }
}

fn schedule(map: &mut Map<String, Value>, shape: BodyShape) {
    if shape >= BodyShape::Y2023 {
        // schedule-unschedule-revoked-laundry.json (2023-09) has none of these.
        for key in ["pg_provider", "pg_id", "promotion_id"] {
            map.remove(key);
        }
    }
}

fn customer(map: &mut Map<String, Value>, shape: BodyShape) {
    if shape >= BodyShape::Y2024 {
        // billingkey-customer-nice_v2-fundly.json (2024-02) has no `sandbox`; a key on a
        // test channel is 2026 or later and keeps it.
        if map.get("sandbox") == Some(&Value::Bool(false)) {
            map.remove("sandbox");
        }
    }
    if shape >= BodyShape::Y2021 {
        // billingkey-issue-success-ruby-readme.json (2017-02): the key's first shape.
        map.retain(|k, _| {
            k == "card_name" || k == "inserted" || k == "updated" || k.starts_with("customer_")
        });
        map.remove("customer_id");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shaped(shape: BodyShape) -> String {
        (0..)
            .map(|i| format!("m-{i}"))
            .find(|m| BodyShape::of(m) == shape)
            .unwrap_or_default()
    }

    #[test]
    fn shapes_are_stable_and_all_served() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        let shapes: std::collections::BTreeSet<_> = (0..40)
            .map(|i| BodyShape::of(&format!("order-{i}")))
            .collect();
        assert_eq!(shapes.len(), 4);
    }

    #[test]
    fn a_2021_payment_in_a_first_page() {
        let m = shaped(BodyShape::Y2021);
        let mut v = json!({"total": 1, "previous": 0, "next": 0, "list": [{
            "imp_uid": "imp_1", "merchant_uid": m, "pay_method": "card", "cancel_history": [
                {"amount": 1, "cancellation_id": "c"}
            ], "sandbox": false, "apply_num": null, "card_type": 1, "buyer_addr": null,
            "buyer_name": null, "emb_pg_provider": null, "customer_uid_usage": null,
            "deposit_history": [], "card_issuer_code": "366",
        }]});
        walk(&mut v);
        let p = &v["list"][0];
        assert_eq!(v["previous"], false);
        for gone in [
            "sandbox",
            "emb_pg_provider",
            "customer_uid_usage",
            "deposit_history",
            "card_issuer_code",
        ] {
            assert!(p.get(gone).is_none(), "{gone}");
        }
        assert_eq!(
            (
                &p["apply_num"],
                &p["buyer_addr"],
                &p["buyer_name"],
                &p["card_type"]
            ),
            (&json!(""), &json!(""), &Value::Null, &Value::Null)
        );
        assert!(p["cancel_history"][0].get("cancellation_id").is_none());
    }

    #[test]
    fn a_test_channel_record_keeps_its_sandbox_flag_in_every_shape() {
        for shape in [BodyShape::Y2024, BodyShape::Y2023, BodyShape::Y2021] {
            let mut test = json!({"imp_uid": "i", "sandbox": true});
            let mut live = json!({"imp_uid": "i", "sandbox": false});
            if let (Some(test), Some(live)) = (test.as_object_mut(), live.as_object_mut()) {
                payment(test, shape);
                payment(live, shape);
            }
            assert_eq!(test["sandbox"], true, "{shape:?}");
            assert!(live.get("sandbox").is_none(), "{shape:?}");
        }
    }

    #[test]
    fn current_records_and_later_pages_stay() {
        let m = shaped(BodyShape::Current);
        let record = json!({"imp_uid": "i", "merchant_uid": m, "pay_method": "card",
            "cancel_history": [], "sandbox": true, "apply_num": null});
        let mut v = json!({"total": 3, "previous": 1, "next": 0, "list": [record.clone()]});
        walk(&mut v);
        assert_eq!(v["previous"], 1);
        assert_eq!(v["list"][0], record);
    }

    #[test]
    fn old_billing_keys_and_schedules() {
        let uid = shaped(BodyShape::Y2021);
        let mut key = json!({"customer_uid": uid, "card_name": "신한카드", "inserted": 1,
            "updated": 1, "pg_provider": "nice_v2", "card_number": "4111", "customer_id": null,
            "customer_name": "홍", "sandbox": false});
        walk(&mut key);
        assert_eq!(
            key,
            json!({"customer_uid": uid, "card_name": "신한카드", "inserted": 1, "updated": 1,
                "customer_name": "홍"})
        );
        let m = shaped(BodyShape::Y2023);
        let mut s = json!({"merchant_uid": m, "schedule_at": 1, "schedule_status": "scheduled",
            "pg_provider": "nice_v2", "pg_id": "x", "promotion_id": null, "amount": 1});
        walk(&mut s);
        assert_eq!(
            s,
            json!({"merchant_uid": m, "schedule_at": 1, "schedule_status": "scheduled", "amount": 1})
        );
    }
}
