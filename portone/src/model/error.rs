//! Requests that would mean something else than what was asked.

use std::fmt;

/// A request that cannot be built because PortOne would read it as a different, larger
/// operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidRequest {
    /// A partial cancel of zero or less: PortOne reads a zero amount as a full refund.
    NonPositiveCancelAmount,
    /// An unschedule listing no `merchant_uid`: PortOne reads that as "every schedule".
    NoMerchantUids,
    /// A Naver Pay action listing no product order: PortOne reads that as "every product
    /// order of the payment".
    NoProductOrderIds,
    /// An amount with more decimal places than its currency has, such as ₩1,000.5: KRW and
    /// JPY have no minor units. Refused when the request is built, before anything is sent.
    FractionalAmount {
        /// The field, such as `amount` or `tax_free`.
        field: &'static str,
        /// The currency's code, such as `KRW`.
        currency: &'static str,
        /// The decimal places the currency has.
        places: u32,
    },
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NonPositiveCancelAmount => {
                f.write_str("partial cancel amount must be above zero (zero means a full refund)")
            }
            Self::NoMerchantUids => {
                f.write_str("no `merchant_uid` listed (an empty list revokes every schedule)")
            }
            Self::NoProductOrderIds => f.write_str(
                "no `product_order_id` listed (an empty list means every product order)",
            ),
            Self::FractionalAmount {
                field,
                currency,
                places: 0,
            } => write!(
                f,
                "`{field}` has a fraction, but {currency} has no minor units"
            ),
            Self::FractionalAmount {
                field,
                currency,
                places,
            } => write!(
                f,
                "`{field}` has more decimal places than the {places} {currency} has"
            ),
        }
    }
}

impl std::error::Error for InvalidRequest {}

impl From<InvalidRequest> for crate::Error {
    fn from(invalid: InvalidRequest) -> Self {
        crate::Error::InvalidRequest(crate::RequestError::Argument(Box::new(invalid)))
    }
}
