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
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NonPositiveCancelAmount => {
                "partial cancel amount must be above zero (zero means a full refund)"
            }
            Self::NoMerchantUids => {
                "no `merchant_uid` listed (an empty list revokes every schedule)"
            }
            Self::NoProductOrderIds => {
                "no `product_order_id` listed (an empty list means every product order)"
            }
        })
    }
}

impl std::error::Error for InvalidRequest {}

impl From<InvalidRequest> for crate::Error {
    fn from(invalid: InvalidRequest) -> Self {
        crate::Error::InvalidRequest(crate::RequestError::Argument(Box::new(invalid)))
    }
}
