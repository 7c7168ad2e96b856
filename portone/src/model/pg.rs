//! The merchant's PG settings (`/users/pg`).

use serde::{Deserialize, Serialize};

use super::PgProvider;
use super::de::{absent, lenient};
use super::enums::open_enum;

/// One PG configured for the merchant (spec: `PgSettingAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PgSetting {
    /// The PG.
    pub pg_provider: PgProvider,
    /// PG merchant id (MID).
    pub pg_id: String,
    /// Whether this is a test setting.
    pub sandbox: bool,
    /// What the setting is for (`type` on the wire).
    #[serde(rename = "type")]
    pub kind: PgSettingType,
    /// Channel name.
    pub channel_name: Option<String>,
    /// Channel key.
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
