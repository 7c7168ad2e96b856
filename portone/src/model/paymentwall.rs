//! Paymentwall delivery registration (`/paymentwall/delivery`).

use serde::{Deserialize, Serialize, Serializer};

use super::UnixTime;
use super::de::{absent, lenient, list};
use super::enums::open_enum;
use super::setters::setters;

/// Paymentwall's answer to a delivery registration (spec:
/// `PaymentwallDeliveryDetailAnnotation`, the `response` of
/// `PaymentwallDeliveryAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentwallDeliveryResult {
    /// Paymentwall's error code, if any.
    pub error_code: Option<i64>,
    /// Paymentwall's error message, if any.
    pub error: Option<String>,
    /// Notices from Paymentwall.
    #[serde(default, deserialize_with = "list")]
    #[serde_with(skip_apply)]
    pub notices: Vec<String>,
}

open_enum! {
    /// Kind of goods delivered (`type`).
    pub enum PaymentwallProductType {
        /// Physical goods (`physical`).
        Physical = "physical",
        /// Digital goods (`digital`).
        Digital = "digital",
    }
}

open_enum! {
    /// Delivery status (`status`).
    pub enum PaymentwallDeliveryStatus {
        /// Order placed (`order_placed`).
        OrderPlaced = "order_placed",
        /// Order shipped (`order_shipped`).
        OrderShipped = "order_shipped",
        /// On its way (`delivering`).
        Delivering = "delivering",
        /// Delivered (`delivered`).
        Delivered = "delivered",
    }
}

fn yes_no<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(if *value { "yes" } else { "no" })
}

/// Body of `POST /paymentwall/delivery` (operation `paymentwall_delivery`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterPaymentwallDelivery {
    imp_uid: String,
    merchant_uid: String,
    #[serde(rename = "type")]
    kind: PaymentwallProductType,
    status: PaymentwallDeliveryStatus,
    estimated_delivery_datetime: UnixTime,
    estimated_update_datetime: UnixTime,
    #[serde(serialize_with = "yes_no")]
    refundable: bool,
    shipping_address_email: String,
    #[serde(flatten)]
    optional: RegisterPaymentwallDeliveryOptional,
}

/// The optional fields of [`RegisterPaymentwallDelivery`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct RegisterPaymentwallDeliveryOptional {
    carrier_tracking_id: Option<String>,
    carrier_type: Option<String>,
    reason: Option<String>,
    details: Option<String>,
    shipping_address_country: Option<String>,
    shipping_address_city: Option<String>,
    shipping_address_zip: Option<String>,
    shipping_address_state: Option<String>,
    shipping_address_street: Option<String>,
    shipping_address_phone: Option<String>,
    shipping_address_firstname: Option<String>,
    shipping_address_lastname: Option<String>,
}

impl RegisterPaymentwallDelivery {
    /// Registers the delivery of payment `imp_uid` (order `merchant_uid`): `kind` of
    /// goods, now in `status`, expected at `estimated_delivery_datetime` (for digital
    /// goods, now), next update at `estimated_update_datetime`, whether it is
    /// `refundable`, and the buyer's `shipping_address_email`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        imp_uid: impl Into<String>,
        merchant_uid: impl Into<String>,
        kind: PaymentwallProductType,
        status: PaymentwallDeliveryStatus,
        estimated_delivery_datetime: impl Into<UnixTime>,
        estimated_update_datetime: impl Into<UnixTime>,
        refundable: bool,
        shipping_address_email: impl Into<String>,
    ) -> Self {
        Self {
            imp_uid: imp_uid.into(),
            merchant_uid: merchant_uid.into(),
            kind,
            status,
            estimated_delivery_datetime: estimated_delivery_datetime.into(),
            estimated_update_datetime: estimated_update_datetime.into(),
            refundable,
            shipping_address_email: shipping_address_email.into(),
            optional: RegisterPaymentwallDeliveryOptional::default(),
        }
    }

    setters! { in optional;
        /// Carrier's tracking id.
        carrier_tracking_id: String,
        /// Carrier name.
        carrier_type: String,
        /// Reason of the status.
        reason: String,
        /// Details.
        details: String,
        /// Shipping country.
        shipping_address_country: String,
        /// Shipping city.
        shipping_address_city: String,
        /// Shipping postcode.
        shipping_address_zip: String,
        /// Shipping state.
        shipping_address_state: String,
        /// Shipping street.
        shipping_address_street: String,
        /// Receiver's phone number.
        shipping_address_phone: String,
        /// Receiver's first name.
        shipping_address_firstname: String,
        /// Receiver's last name.
        shipping_address_lastname: String,
    }
}
