//! Cash receipts, for PortOne payments and for payments made elsewhere.

use crate::model::{ExternalReceipt, IssueExternalReceipt, IssueReceipt, Receipt};

/// Cash receipts, for PortOne payments and for payments made elsewhere (spec tag `receipts`).
#[portone::api]
pub trait CashReceipts {
    /// Looks up the cash receipt of a payment. Operation `getReceipt`.
    #[get("/receipts/<imp_uid>")]
    async fn receipt(&self, imp_uid: &str) -> crate::Result<Receipt>;

    /// Issues a cash receipt for a payment. Operation `issueReceipt`.
    #[post("/receipts/<imp_uid>")]
    async fn issue_receipt(
        &self,
        imp_uid: &str,
        #[body] request: &IssueReceipt,
    ) -> crate::Result<Receipt>;

    /// Revokes the cash receipt of a payment. Operation `revokeReceipt`.
    #[delete("/receipts/<imp_uid>")]
    async fn revoke_receipt(&self, imp_uid: &str) -> crate::Result<Receipt>;

    /// Looks up a cash receipt issued for a payment made elsewhere.
    /// Operation `getExternalReceipt`.
    #[get("/receipts/external/<merchant_uid>")]
    async fn external_receipt(&self, merchant_uid: &str) -> crate::Result<ExternalReceipt>;

    /// Issues a cash receipt for a payment made elsewhere. Operation `issueExternalReceipt`.
    #[post("/receipts/external/<merchant_uid>")]
    async fn issue_external_receipt(
        &self,
        merchant_uid: &str,
        #[body] request: &IssueExternalReceipt,
    ) -> crate::Result<ExternalReceipt>;

    /// Revokes a cash receipt issued for a payment made elsewhere.
    /// Operation `revokeExternalReceipt`.
    #[delete("/receipts/external/<merchant_uid>")]
    async fn revoke_external_receipt(&self, merchant_uid: &str) -> crate::Result<ExternalReceipt>;
}
