//! PAYCO order status changes (`/payco/orders/status/{imp_uid}`).

use serde::{Deserialize, Serialize};

use super::de::{absent, lenient};
use super::enums::open_enum;

open_enum! {
    /// Status of a PAYCO order.
    pub enum PaycoOrderStatus {
        /// Shipping started (`DELIVERY_START`).
        DeliveryStart = "DELIVERY_START",
        /// Purchase confirmed (`PURCHASE_DECISION`).
        PurchaseDecision = "PURCHASE_DECISION",
        /// Cancelled (`CANCELED`).
        Canceled = "CANCELED",
    }
}

/// The changed status of a PAYCO order (spec: `PaycoStatusAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaycoStatus {
    /// The order's status now.
    pub status: PaycoOrderStatus,
}

/// Body of `POST /payco/orders/status/{imp_uid}` (operation `changeOrderStatus`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangePaycoOrderStatus {
    status: PaycoOrderStatus,
}

impl ChangePaycoOrderStatus {
    /// Moves the order to `status`.
    pub fn new(status: PaycoOrderStatus) -> Self {
        Self { status }
    }
}
