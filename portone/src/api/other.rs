//! Virtual accounts, cash receipts, certifications, escrow logistics, standard codes, PG
//! settings, tiers and partner receipts.

use crate::model::{
    Certification, CertificationOtp, ConfirmCertificationOtp, CreateVbank, EscrowLogis,
    ExternalReceipt, IssueExternalReceipt, IssuePartnerReceipts, IssueReceipt, ModifyVbank,
    PartnerReceiptResult, Payment, PgSetting, Receipt, RegisterEscrowLogis,
    RequestCertificationOtp, StandardCode, TierInfo, UpdateEscrowLogis, VbankOptions,
};

/// Virtual accounts issued by API, without the checkout window (spec tag `vbanks`).
#[portone::api]
pub trait VirtualAccounts {
    /// Issues a virtual account; the payment is `ready` until the buyer deposits.
    /// Operation `createVbank`. Never sent twice.
    ///
    /// `Ok` only for a `ready` payment (the account is issued); a `failed` one is
    /// [`Error::Declined`](crate::Error::Declined), any other status
    /// [`Error::Unsettled`](crate::Error::Unsettled).
    ///
    /// On an error with [`is_outcome_unknown`](crate::Error::is_outcome_unknown) (a timeout,
    /// a lost answer), PortOne may have issued it: look the payment up by its `merchant_uid`
    /// ([`find_payment`](crate::api::PaymentsExt::find_payment)) before deciding, and never
    /// send the call again blindly.
    #[post("/vbanks")]
    async fn create_vbank(
        &self,
        #[body] request: &CreateVbank,
        #[query(flatten)] options: &VbankOptions,
    ) -> crate::Result<Payment>;

    /// Changes the amount or due date of an issued virtual account. Operation `modifyVbank`.
    #[put("/vbanks/<imp_uid>")]
    async fn modify_vbank(
        &self,
        imp_uid: &str,
        #[body] request: &ModifyVbank,
    ) -> crate::Result<Payment>;

    /// Revokes a virtual account that was not paid yet. Operation `revokeVbank`.
    /// Not retried after it may have reached PortOne: on an error with
    /// [`is_outcome_unknown`](crate::Error::is_outcome_unknown), look the payment up.
    #[delete("/vbanks/<imp_uid>")]
    async fn revoke_vbank(
        &self,
        imp_uid: &str,
        #[query(flatten)] options: &VbankOptions,
    ) -> crate::Result<Payment>;
}

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

/// Identity verification results and SMS one-time passwords (spec tag `certifications`).
#[portone::api]
pub trait Certifications {
    /// Looks up an identity verification. Operation `getCertification`.
    #[get("/certifications/<imp_uid>")]
    async fn certification(&self, imp_uid: &str) -> crate::Result<Certification>;

    /// Deletes the personal data of an identity verification. Operation `deleteCertification`.
    #[delete("/certifications/<imp_uid>")]
    async fn delete_certification(&self, imp_uid: &str) -> crate::Result<Certification>;

    /// Starts an identity verification by SMS one-time password. Operation `requestOTP`.
    #[post("/certifications/otp/request")]
    async fn request_otp(
        &self,
        #[body] request: &RequestCertificationOtp,
    ) -> crate::Result<CertificationOtp>;

    /// Completes an identity verification with the one-time password. Operation `confirmOTP`.
    #[post("/certifications/otp/confirm/<imp_uid>")]
    async fn confirm_otp(
        &self,
        imp_uid: &str,
        #[body] request: &ConfirmCertificationOtp,
    ) -> crate::Result<Certification>;
}

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

/// The merchant's PG settings (spec tag `users`).
#[portone::api]
pub trait PgSettings {
    /// Every PG setting (MID) of the merchant. Operation `getPgSettingList`.
    #[get("/users/pg")]
    async fn pg_settings(&self) -> crate::Result<Vec<PgSetting>>;
}

/// Agency sub-merchants (spec tag `tiers`).
#[portone::api]
pub trait Tiers {
    /// Looks up a sub-merchant by its tier code. Operation `GetTier`.
    #[get("/tiers/<tier_code>")]
    async fn tier_info(&self, tier_code: &str) -> crate::Result<TierInfo>;
}

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
