//! Standard bank and card company codes.

use crate::model::StandardCode;

/// Standard bank and card company codes (spec tag `codes`).
#[portone::api]
pub trait Codes {
    /// Every card company code. Operation `allCardCodes`.
    #[get("/cards")]
    async fn card_codes(&self) -> crate::Result<Vec<StandardCode>>;

    /// One card company by its standard code. Operation `cardCodes`.
    #[get("/cards/<card_standard_code>")]
    async fn card_code(&self, card_standard_code: &str) -> crate::Result<StandardCode>;

    /// Every bank code. Operation `allBankCodes`.
    #[get("/banks")]
    async fn bank_codes(&self) -> crate::Result<Vec<StandardCode>>;

    /// One bank by its standard code. Operation `bankCodes`.
    #[get("/banks/<bank_standard_code>")]
    async fn bank_code(&self, bank_standard_code: &str) -> crate::Result<StandardCode>;
}
