//! Sub-merchants (tiers) of an agency account.

use super::de::{absent, lenient};
use serde::{Deserialize, Serialize};

/// A sub-merchant of an agency account (spec: `TierAnnotation`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TierInfo {
    /// The tier code, sent as the `Tier` header.
    pub tier_code: String,
    /// The sub-merchant's name.
    #[serde(default = "absent", deserialize_with = "lenient")]
    pub tier_name: String,
}
