//! KCP Quick Pay: members, money and auto-pay payments, pre-registration, FIDO.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};

use super::de::{absent, lenient};
use super::money::checked_amounts;
use super::setters::setters;
use super::{PgProvider, Sensitive, UnixTime};

/// A KCP Quick Pay member (spec: `KcpQuickMemberAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct KcpQuickMember {
    /// The buyer's member id.
    #[serde_with(skip_apply)]
    pub member_id: String,
    /// PG of the member.
    pub pg_provider: PgProvider,
    /// PG merchant id.
    pub pg_id: Option<String>,
    /// When the member was registered.
    pub inserted: UnixTime,
    /// When it was last updated.
    pub updated: UnixTime,
}

/// The deleted auto-pay key (spec: the inline `response` of `DELETE
/// /kcpquick/autopay/{customer_uid}`, operation `deleteAutoPayKey`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct KcpQuickAutoPayKey {
    /// Billing key id of the deleted auto-pay key.
    pub customer_uid: Option<String>,
}

/// The member whose biometric (FIDO) login was released (spec: the inline `response` of
/// `POST /kcpquick/members/{member_id}/fido/release`, operation `releaseFido`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct KcpQuickFidoRelease {
    /// The member id.
    pub member_id: Option<String>,
}

/// KCP's own error, sent beside the envelope as `error` when a FIDO release fails (spec:
/// the inline `error` of operation `releaseFido`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct KcpQuickFidoError {
    /// KCP's response code, e.g. `C210`.
    pub code: Option<String>,
    /// KCP's response message.
    pub message: Option<String>,
}

/// Body of `POST /kcpquick/payment/money` (operation `payWithMoney`).
///
/// This call moves money: never re-send it after a timeout, look the order up first.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct PayWithKcpQuickMoney {
    member_id: String,
    channel_key: String,
    merchant_uid: String,
    name: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    imp_uid: String,
    notice_url: Option<String>,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(PayWithKcpQuickMoney, |r| None, [
    "amount" => Some(r.amount),
]);

impl PayWithKcpQuickMoney {
    /// Charges `amount` of Quick Pay money of `member_id` for order `merchant_uid` named
    /// `name`, as payment `imp_uid`, through `channel_key`.
    pub fn new(
        member_id: impl Into<String>,
        channel_key: impl Into<String>,
        merchant_uid: impl Into<String>,
        name: impl Into<String>,
        amount: impl Into<Decimal>,
        imp_uid: impl Into<String>,
    ) -> Self {
        Self {
            member_id: member_id.into(),
            channel_key: channel_key.into(),
            merchant_uid: merchant_uid.into(),
            name: name.into(),
            amount: amount.into(),
            imp_uid: imp_uid.into(),
            notice_url: None,
        }
    }

    setters! {
        /// Webhook URL, instead of the console's.
        notice_url: String,
    }
}

/// Body of `POST /kcpquick/payment/autopay` (operation `payWithAutoPaymentKey`).
///
/// This call moves money: never re-send it after a timeout, look the order up first.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct PayWithKcpQuickAutoPay {
    customer_uid: String,
    merchant_uid: String,
    name: String,
    buyer_name: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    notice_url: Option<String>,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(PayWithKcpQuickAutoPay, |r| None, [
    "amount" => Some(r.amount),
]);

impl PayWithKcpQuickAutoPay {
    /// Charges `amount` to the auto-pay key `customer_uid` for order `merchant_uid` named
    /// `name`, bought by `buyer_name`.
    pub fn new(
        customer_uid: impl Into<String>,
        merchant_uid: impl Into<String>,
        name: impl Into<String>,
        buyer_name: impl Into<String>,
        amount: impl Into<Decimal>,
    ) -> Self {
        Self {
            customer_uid: customer_uid.into(),
            merchant_uid: merchant_uid.into(),
            name: name.into(),
            buyer_name: buyer_name.into(),
            amount: amount.into(),
            notice_url: None,
        }
    }

    setters! {
        /// Webhook URL, instead of the console's.
        notice_url: String,
    }
}

fn y_n<S: Serializer>(value: &Option<bool>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(true) => serializer.serialize_str("Y"),
        Some(false) => serializer.serialize_str("N"),
        None => serializer.serialize_none(),
    }
}

/// Body of `POST` and `PUT /kcpquick/prepare/{merchant_uid}` (operations
/// `prepare_create` and `prepare_update`): pre-registers a Quick Pay transaction. The
/// code verifier is redacted in `Debug`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct KcpQuickPrepare {
    btid: String,
    cust_ip: String,
    code_verifier: Sensitive<String>,
    #[serde(serialize_with = "y_n")]
    prepaid_auth_yn: Option<bool>,
    #[serde(with = "crate::model::money::option")]
    prepaid_amount: Option<Decimal>,
    vender_type: Option<String>,
    reward_id: Option<String>,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(KcpQuickPrepare, |r| None, [
    "prepaid_amount" => r.prepaid_amount,
]);

impl KcpQuickPrepare {
    /// Registers transaction `btid` (at most 20 characters) for the buyer at `cust_ip`,
    /// with the random `code_verifier` (at most 200 characters) that proves the caller.
    pub fn new(
        btid: impl Into<String>,
        cust_ip: impl Into<String>,
        code_verifier: impl Into<String>,
    ) -> Self {
        Self {
            btid: btid.into(),
            cust_ip: cust_ip.into(),
            code_verifier: Sensitive::new(code_verifier.into()),
            prepaid_auth_yn: None,
            prepaid_amount: None,
            vender_type: None,
            reward_id: None,
        }
    }

    setters! {
        /// Use prepaid money authentication (sent as `Y`/`N`); needs `prepaid_amount`.
        prepaid_auth_yn: bool,
        /// Prepaid money amount (at most 9 digits).
        prepaid_amount: Decimal,
        /// Barcode issuer type for offline prepaid use, e.g. `VID2`.
        vender_type: String,
        /// Franchise reward policy id, e.g. `R0000000784`.
        reward_id: String,
    }
}

/// Body of `POST /kcpquick/members/{member_id}/fido/release` (operation `releaseFido`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleaseKcpQuickFido {
    channel_key: String,
}

impl ReleaseKcpQuickFido {
    /// Releases the member's biometric login on `channel_key`.
    pub fn new(channel_key: impl Into<String>) -> Self {
        Self {
            channel_key: channel_key.into(),
        }
    }
}
