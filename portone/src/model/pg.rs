//! The merchant's PG settings (`/users/pg`).

use serde::{Deserialize, Serialize};

use super::PgProvider;
use super::de::{absent, lenient};
use super::enums::open_enum;

/// One PG configured for the merchant (spec: `PgSettingAnnotation`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PgSetting {
    /// The PG.
    #[serde(default = "absent", deserialize_with = "lenient")]
    pub pg_provider: PgProvider,
    /// PG merchant id (MID).
    #[serde(default = "absent", deserialize_with = "lenient")]
    pub pg_id: String,
    /// Whether this is a test setting.
    #[serde(default = "absent", deserialize_with = "lenient")]
    pub sandbox: bool,
    /// What the setting is for (`type` on the wire).
    #[serde(rename = "type", default = "absent", deserialize_with = "lenient")]
    pub kind: PgSettingType,
    /// Channel name.
    #[serde(default = "absent", deserialize_with = "lenient")]
    pub channel_name: Option<String>,
    /// Channel key.
    #[serde(default = "absent", deserialize_with = "lenient")]
    pub channel_key: Option<String>,
}

open_enum! {
    /// What a PG setting is for (`type` of a PG setting).
    pub enum PgSettingType {
        /// Payments through the payment window (`payment`).
        Payment = "payment",
        /// Payments by API: key-in and billing (`api_payment`).
        ApiPayment = "api_payment",
        /// Identity certification (`certification`).
        Certification = "certification",
    }
}
