//! The merchant's PG settings.

use crate::model::PgSetting;

/// The merchant's PG settings (spec tag `users`).
#[portone::api]
pub trait PgSettings {
    /// Every PG setting (MID) of the merchant. Operation `getPgSettingList`.
    #[get("/users/pg")]
    async fn pg_settings(&self) -> crate::Result<Vec<PgSetting>>;
}
