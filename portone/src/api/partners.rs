//! Sub-merchant transactions on receipts.

use crate::model::{IssuePartnerReceipts, PartnerReceiptResult};

/// Sub-merchant transactions on receipts (spec tag `partners`).
#[portone::api]
pub trait PartnerReceipts {
    /// Registers the sub-merchant transactions shown on a payment's receipt.
    /// Operation `partner`.
    #[post("/partners/receipts/<imp_uid>")]
    async fn register_partner_receipts(
        &self,
        imp_uid: &str,
        #[body] request: &IssuePartnerReceipts,
    ) -> crate::Result<PartnerReceiptResult>;
}
