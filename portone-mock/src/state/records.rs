//! Records beside payments: cash receipts, certifications, escrow shipping, Naver Pay
//! product orders.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::amount::Amount;

/// What a cash receipt was issued for.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ReceiptFor {
    /// A PortOne payment, by its `imp_uid`.
    ImpUid(String),
    /// A cash sale made outside PortOne, by its `merchant_uid`.
    MerchantUid(String),
}

/// A cash receipt, issued for a PortOne payment or for an outside cash sale.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Receipt {
    pub(crate) issued_for: ReceiptFor,
    pub(crate) receipt_tid: String,
    pub(crate) apply_num: String,
    pub(crate) kind: String,
    pub(crate) amount: Amount,
    pub(crate) vat: Amount,
    pub(crate) applied_at: i64,
    pub(crate) cancelled_at: i64,
}

impl Receipt {
    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "receipt_tid": self.receipt_tid,
            "apply_num": self.apply_num,
            "type": self.kind,
            "amount": self.amount.to_json(),
            "vat": self.vat.to_json(),
            "receipt_url": format!("https://mockpg.portone.invalid/cash-receipt/{}", self.receipt_tid),
            "applied_at": self.applied_at,
            "cancelled_at": self.cancelled_at,
        });
        let (field, id) = match &self.issued_for {
            ReceiptFor::ImpUid(id) => ("imp_uid", id),
            ReceiptFor::MerchantUid(id) => ("merchant_uid", id),
        };
        v[field] = Value::String(id.clone());
        v
    }
}

/// An identity verification. Holds personal data: no `Debug`.
#[derive(Clone)]
pub(crate) struct Certification {
    pub(crate) imp_uid: String,
    pub(crate) merchant_uid: Option<String>,
    pub(crate) pg_tid: String,
    pub(crate) name: String,
    pub(crate) gender: &'static str,
    pub(crate) birthday: String,
    pub(crate) birth: i64,
    pub(crate) foreigner: bool,
    pub(crate) phone: String,
    pub(crate) carrier: String,
    pub(crate) otp: String,
    pub(crate) certified: bool,
    pub(crate) certified_at: i64,
    pub(crate) unique_key: String,
    pub(crate) unique_in_site: String,
}

impl Certification {
    pub(crate) fn to_json(&self) -> Value {
        // Before confirmation PortOne knows the request but vouches for nothing.
        let shown = |v: Value| if self.certified { v } else { Value::Null };
        json!({
            "imp_uid": self.imp_uid,
            "merchant_uid": self.merchant_uid,
            "pg_tid": self.pg_tid,
            "pg_provider": "danal",
            "name": shown(json!(self.name)),
            "gender": shown(json!(self.gender)),
            "birthday": shown(json!(self.birthday)),
            "birth": shown(json!(self.birth)),
            "foreigner": self.foreigner,
            "foreigner_v2": shown(json!(self.foreigner)),
            "phone": shown(json!(self.phone)),
            "carrier": shown(json!(self.carrier)),
            "certified": self.certified,
            "certified_at": self.certified_at,
            "unique_key": shown(json!(self.unique_key)),
            "unique_in_site": shown(json!(self.unique_in_site)),
            "origin": null,
        })
    }
}

/// Escrow shipping registered for a payment.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct EscrowLogis {
    pub(crate) logis: Map<String, Value>,
    pub(crate) applied_at: i64,
}

impl EscrowLogis {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "company": self.logis.get("company"),
            "invoice": self.logis.get("invoice"),
            "sent_at": self.logis.get("sent_at"),
            "applied_at": self.applied_at,
        })
    }
}

/// One Naver Pay product order of a payment.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct NaverOrder {
    pub(crate) product_order_id: String,
    pub(crate) status: String,
    pub(crate) claim_type: Option<String>,
    pub(crate) claim_status: Option<String>,
    pub(crate) product_name: String,
    pub(crate) amount: Amount,
    pub(crate) buyer_name: String,
    pub(crate) shipping_due: i64,
}

impl NaverOrder {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "product_order_id": self.product_order_id,
            "product_order_status": self.status,
            "claim_type": self.claim_type,
            "claim_status": self.claim_status,
            "product_id": format!("P{}", &self.product_order_id[..8.min(self.product_order_id.len())]),
            "product_name": self.product_name,
            "product_option_id": "0",
            "product_option_name": "기본",
            "product_amount": self.amount.to_json(),
            "delivery_amount": 0,
            "quantity": 1,
            "orderer": { "name": self.buyer_name, "id": "mock****", "tel": "010-0000-0000" },
            "shipping_address": {
                "base": "서울특별시 강남구 테헤란로 1",
                "detail": "1층",
                "postcode": "06236",
                "tel1": "010-0000-0000",
                "tel2": null,
                "name": self.buyer_name,
            },
            "shipping_memo": null,
            "shipping_due": self.shipping_due,
            "individual_code": null,
        })
    }
}
