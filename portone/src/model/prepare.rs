//! Payment validation: registering the amount of an order before the payment window.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Currency;
use super::de::{absent, lenient};
use super::money;
use super::money::checked_amounts;
use super::setters::setters;

/// The amount registered for an order (spec: `PaymentPrepareAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentPrepare {
    /// The merchant's order id.
    #[serde_with(skip_apply)]
    pub merchant_uid: String,
    /// The amount the payment must have.
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
    /// Currency of the amount.
    pub currency: Option<Currency>,
}

/// Body of `POST /payments/prepare` (operation `preparePayment`) and
/// `PUT /payments/prepare` (operation `editPreparePayment`): the amount an order must be
/// paid with, checked by PortOne when the payment completes.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct PreparePayment {
    merchant_uid: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    currency: Option<Currency>,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(PreparePayment, |r| r.currency.as_ref(), [
    "amount" => Some(r.amount),
]);

impl PreparePayment {
    /// Order `merchant_uid` must be paid with exactly `amount`.
    pub fn new(merchant_uid: impl Into<String>, amount: impl Into<Decimal>) -> Self {
        Self {
            merchant_uid: merchant_uid.into(),
            amount: amount.into(),
            currency: None,
        }
    }

    setters! {
        /// Currency of the amount (PortOne's default is KRW).
        currency: Currency,
    }

    /// The order this prepares.
    #[must_use]
    pub fn merchant_uid(&self) -> &str {
        &self.merchant_uid
    }

    /// Whether `prepared` is what this request registers: the same order and amount, and
    /// the same currency where both say one (PortOne's default is KRW).
    pub(crate) fn is_registered_as(&self, prepared: &PaymentPrepare) -> bool {
        let krw = || Currency::Krw;
        prepared.merchant_uid == self.merchant_uid
            && prepared.amount == self.amount
            && prepared.currency.clone().unwrap_or_else(krw)
                == self.currency.clone().unwrap_or_else(krw)
    }
}
