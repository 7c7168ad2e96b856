//! What a call that creates a payment answered when it is not a success: a charge the card
//! company declined, and one that PortOne answered with a payment that is not settled.

use std::fmt;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// What identifies a record in an answer: enough to look it up again and reconcile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordIds {
    /// PortOne's payment id (`imp_...`).
    pub imp_uid: Option<String>,
    /// The merchant's order id.
    pub merchant_uid: Option<String>,
    /// The billing key's id.
    pub customer_uid: Option<String>,
}

/// A charge the card company refused: PortOne's `code: 0` answer with a payment whose
/// `status` is `failed`.
///
/// The failed payment itself is [`payment`](Self::payment):
/// `declined.payment::<portone::model::Payment>()`.
pub struct Declined {
    /// PortOne's id of the failed payment.
    pub imp_uid: Option<String>,
    /// The merchant's order id.
    pub merchant_uid: Option<String>,
    /// The billing key the charge used, when the answer names one.
    pub customer_uid: Option<String>,
    /// Why, in the card company's words (`잔액부족`, `한도초과`, ...).
    pub fail_reason: Option<String>,
    /// The HTTP status (200).
    pub status: StatusCode,
    /// The envelope's `response`: the failed payment, as PortOne sent it.
    response: Box<RawValue>,
}

impl Declined {
    pub(crate) fn new(
        status: StatusCode,
        ids: RecordIds,
        fail_reason: Option<String>,
        response: Box<RawValue>,
    ) -> Self {
        let RecordIds {
            imp_uid,
            merchant_uid,
            customer_uid,
        } = ids;
        Self {
            imp_uid,
            merchant_uid,
            customer_uid,
            fail_reason,
            status,
            response,
        }
    }

    /// The failed payment, decoded as `T` (for the ready-made methods,
    /// `portone::model::Payment`).
    ///
    /// # Errors
    ///
    /// When the payment does not decode as `T`.
    pub fn payment<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.response.get())
    }

    pub(crate) fn record(&self) -> RecordIds {
        RecordIds {
            imp_uid: self.imp_uid.clone(),
            merchant_uid: self.merchant_uid.clone(),
            customer_uid: self.customer_uid.clone(),
        }
    }
}

impl fmt::Debug for Declined {
    // The payment is left out: it holds the buyer's details.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Declined")
            .field("imp_uid", &self.imp_uid)
            .field("merchant_uid", &self.merchant_uid)
            .field("customer_uid", &self.customer_uid)
            .field("fail_reason", &self.fail_reason)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the payment was declined")?;
        if let Some(merchant_uid) = &self.merchant_uid {
            write!(f, " for `{merchant_uid}`")?;
        }
        match &self.fail_reason {
            Some(reason) => write!(f, ": {reason}"),
            None => f.write_str(" without a reason"),
        }
    }
}

impl std::error::Error for Declined {}

/// A call that creates a payment, answered with `code: 0` and a payment whose `status` is
/// not the one that settles it: `ready` where `paid` was asked (the PG has not decided),
/// `cancelled`, a status this version does not know, or none at all.
///
/// Nothing says whether money moved: look the payment up before deciding, and never charge
/// again under a new order id (`portone::resolve` does the looking up). The payment PortOne
/// answered is [`payment`](Self::payment).
pub struct Unsettled {
    /// PortOne's id of the payment.
    pub imp_uid: Option<String>,
    /// The merchant's order id.
    pub merchant_uid: Option<String>,
    /// The billing key the charge used, when the answer names one.
    pub customer_uid: Option<String>,
    /// The payment's `status` as PortOne wrote it; `None` when there was none.
    pub payment_status: Option<String>,
    /// The status that would have settled the call: `paid` for a charge, `ready` for a
    /// virtual account or a convenience-store payment.
    pub expected: &'static str,
    /// The HTTP status (200).
    pub status: StatusCode,
    /// The envelope's `response`, as PortOne sent it (`null` when there was none).
    response: Box<RawValue>,
}

impl Unsettled {
    pub(crate) fn new(
        status: StatusCode,
        ids: RecordIds,
        payment_status: Option<String>,
        expected: &'static str,
        response: Box<RawValue>,
    ) -> Self {
        let RecordIds {
            imp_uid,
            merchant_uid,
            customer_uid,
        } = ids;
        Self {
            imp_uid,
            merchant_uid,
            customer_uid,
            payment_status,
            expected,
            status,
            response,
        }
    }

    /// The payment PortOne answered, decoded as `T` (for the ready-made methods,
    /// `portone::model::Payment`).
    ///
    /// # Errors
    ///
    /// When the answer does not decode as `T` (it may be `null`).
    pub fn payment<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.response.get())
    }

    pub(crate) fn record(&self) -> RecordIds {
        RecordIds {
            imp_uid: self.imp_uid.clone(),
            merchant_uid: self.merchant_uid.clone(),
            customer_uid: self.customer_uid.clone(),
        }
    }
}

impl fmt::Debug for Unsettled {
    // The payment is left out: it holds the buyer's details.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unsettled")
            .field("imp_uid", &self.imp_uid)
            .field("merchant_uid", &self.merchant_uid)
            .field("customer_uid", &self.customer_uid)
            .field("payment_status", &self.payment_status)
            .field("expected", &self.expected)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Unsettled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the outcome is unknown: portone answered ")?;
        match &self.payment_status {
            Some(status) => write!(f, "a `{}` payment", status.escape_debug())?,
            None => f.write_str("a payment without a status")?,
        }
        if let Some(merchant_uid) = &self.merchant_uid {
            write!(f, " for `{merchant_uid}`")?;
        }
        write!(
            f,
            " where `{}` settles it; look it up before deciding",
            self.expected
        )
    }
}

impl std::error::Error for Unsettled {}
