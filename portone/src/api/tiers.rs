//! Agency sub-merchants.

use crate::model::TierInfo;

/// Agency sub-merchants (spec tag `tiers`).
#[portone::api]
pub trait Tiers {
    /// Looks up a sub-merchant by its tier code. Operation `GetTier`.
    #[get("/tiers/<tier_code>")]
    async fn tier_info(&self, tier_code: &str) -> crate::Result<TierInfo>;
}
