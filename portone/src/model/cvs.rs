//! Convenience-store payments (`/cvs`).

use super::buyer::Buyer;
use super::money::checked_amounts;
use rust_decimal::Decimal;
use serde::Serialize;

use super::UnixTime;
use super::setters::{buyer_setters, json_text_setters, list_setters, setters};

/// Body of `POST /cvs` (operation `issueCvsPayment`): issues a barcode the buyer pays at
/// a convenience store.
///
/// This call moves money: never re-send it after a timeout, look the order up first.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct IssueCvsPayment {
    channel_key: String,
    merchant_uid: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    #[serde(flatten)]
    optional: IssueCvsPaymentOptional,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(IssueCvsPayment, |r| None, [
    "amount" => Some(r.amount),
]);

/// The optional fields of [`IssueCvsPayment`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct IssueCvsPaymentOptional {
    barcode: Option<String>,
    expired_at: Option<UnixTime>,
    name: Option<String>,
    #[serde(flatten)]
    buyer: Buyer,
    confirm_url: Option<String>,
    notice_url: Option<Vec<String>>,
    custom_data: Option<String>,
}

impl IssueCvsPayment {
    /// A convenience-store payment of `amount` for order `merchant_uid` through
    /// `channel_key`.
    pub fn new(
        channel_key: impl Into<String>,
        merchant_uid: impl Into<String>,
        amount: impl Into<Decimal>,
    ) -> Self {
        Self {
            channel_key: channel_key.into(),
            merchant_uid: merchant_uid.into(),
            amount: amount.into(),
            optional: IssueCvsPaymentOptional::default(),
        }
    }

    setters! { in optional;
        /// A barcode number the merchant manages itself, instead of a new one.
        barcode: String,
        /// Payment deadline (default: the one agreed with Galaxia).
        expired_at: UnixTime,
        /// Order name.
        name: String,
        /// URL PortOne asks to confirm before accepting the payment.
        confirm_url: String,
    }

    buyer_setters!(optional);

    list_setters! { in optional;
        /// Webhook URLs for the payment notification, instead of the console's.
        notice_url,
    }

    json_text_setters! { in optional;
        /// Extra data stored with the payment, sent as a JSON string.
        custom_data / custom_data_raw,
    }
}
