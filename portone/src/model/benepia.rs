//! Benepia welfare points (`/benepia`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Sensitive;
use super::setters::{json_text_setters, list_setters, setters};

/// A Benepia point balance (spec: `BenepiaPointAnnotation`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BenepiaPoint {
    /// Points available.
    #[serde(with = "crate::model::money")]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayWithBenepiaPoint {
    benepia_user: String,
    benepia_password: Sensitive<String>,
    merchant_uid: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    name: String,
    channel_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    benepia_member_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer_tel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer_addr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer_postcode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notice_url: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<String>,
}

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
            buyer_name: None,
            buyer_email: None,
            buyer_tel: None,
            buyer_addr: None,
            buyer_postcode: None,
            notice_url: None,
            custom_data: None,
        }
    }

    setters! {
        /// Benepia member company code.
        benepia_member_code: String,
        /// Buyer's name.
        buyer_name: String,
        /// Buyer's email address.
        buyer_email: String,
        /// Buyer's phone number.
        buyer_tel: String,
        /// Buyer's address.
        buyer_addr: String,
        /// Buyer's postcode.
        buyer_postcode: String,
    }

    list_setters! {
        /// Webhook URLs, instead of the console's.
        notice_url,
    }

    json_text_setters! {
        /// Extra data stored with the payment, sent as a JSON string.
        custom_data / custom_data_raw,
    }
}
