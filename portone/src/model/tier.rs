//! Sub-merchants (tiers) of an agency account.

use super::de::{absent, lenient};
use serde::{Deserialize, Serialize};

/// A sub-merchant of an agency account (spec: `TierAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TierInfo {
    /// The tier code, sent as the `Tier` header.
    #[serde_with(skip_apply)]
    pub tier_code: String,
    /// The sub-merchant's name.
    pub tier_name: String,
}
