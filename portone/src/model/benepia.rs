//! Benepia welfare points (`/benepia`).

use super::buyer::Buyer;
use super::money::checked_amounts;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Sensitive;
use super::de::{absent, lenient};
use super::money;
use super::setters::{buyer_setters, json_text_setters, list_setters, setters};

/// A Benepia point balance (spec: `BenepiaPointAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BenepiaPoint {
    /// Points available.
    #[serde(serialize_with = "money::serialize")]
    pub point: Decimal,
}

/// Body of `POST /benepia/point` (operation `queryBenepiaPoint`): a member's point
/// balance. The password is redacted in `Debug`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryBenepiaPoint {
    benepia_user: String,
    benepia_password: Sensitive<String>,
    channel_key: String,
}

impl QueryBenepiaPoint {
    /// Looks up the points of Benepia member `benepia_user`.
    pub fn new(
        benepia_user: impl Into<String>,
        benepia_password: impl Into<String>,
        channel_key: impl Into<String>,
    ) -> Self {
        Self {
            benepia_user: benepia_user.into(),
            benepia_password: Sensitive::new(benepia_password.into()),
            channel_key: channel_key.into(),
        }
    }
}

/// Body of `POST /benepia/payment` (operation `payBenepiaPoint`): pays with points. The
/// password is redacted in `Debug`.
///
/// This call moves money: never re-send it after a timeout, look the order up first.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct PayWithBenepiaPoint {
    benepia_user: String,
    benepia_password: Sensitive<String>,
    merchant_uid: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    name: String,
    channel_key: String,
    benepia_member_code: Option<String>,
    #[serde(flatten)]
    buyer: Buyer,
    notice_url: Option<Vec<String>>,
    custom_data: Option<String>,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(PayWithBenepiaPoint, |r| None, [
    "amount" => Some(r.amount),
]);

impl PayWithBenepiaPoint {
    /// Pays `amount` points of member `benepia_user` for order `merchant_uid` named
    /// `name`, through `channel_key`.
    pub fn new(
        benepia_user: impl Into<String>,
        benepia_password: impl Into<String>,
        merchant_uid: impl Into<String>,
        amount: impl Into<Decimal>,
        name: impl Into<String>,
        channel_key: impl Into<String>,
    ) -> Self {
        Self {
            benepia_user: benepia_user.into(),
            benepia_password: Sensitive::new(benepia_password.into()),
            merchant_uid: merchant_uid.into(),
            amount: amount.into(),
            name: name.into(),
            channel_key: channel_key.into(),
            benepia_member_code: None,
            buyer: Buyer::default(),
            notice_url: None,
            custom_data: None,
        }
    }

    setters! {
        /// Benepia member company code.
        benepia_member_code: String,
    }

    list_setters! {
        /// Webhook URLs, instead of the console's.
        notice_url,
    }

    buyer_setters!();

    json_text_setters! {
        /// Extra data stored with the payment, sent as a JSON string.
        custom_data / custom_data_raw,
    }
}
