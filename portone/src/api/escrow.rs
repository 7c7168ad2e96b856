//! Shipping information of escrow payments.

use crate::model::{EscrowLogis, RegisterEscrowLogis, UpdateEscrowLogis};

/// Shipping information of escrow payments (spec tag `escrow.logis`).
#[portone::api]
pub trait EscrowLogistics {
    /// Looks up the shipping information of an escrow payment. Operation `escrow_logis_get`.
    #[get("/escrows/logis/<imp_uid>")]
    async fn escrow_logistics(&self, imp_uid: &str) -> crate::Result<EscrowLogis>;

    /// Registers the shipping information of an escrow payment. Operation `escrow_logis_save`.
    #[post("/escrows/logis/<imp_uid>")]
    async fn register_escrow_logistics(
        &self,
        imp_uid: &str,
        #[body] request: &RegisterEscrowLogis,
    ) -> crate::Result<EscrowLogis>;

    /// Changes the shipping information of an escrow payment. Operation `escrow_logis_edit`.
    #[put("/escrows/logis/<imp_uid>")]
    async fn update_escrow_logistics(
        &self,
        imp_uid: &str,
        #[body] request: &UpdateEscrowLogis,
    ) -> crate::Result<EscrowLogis>;
}
