//! Virtual accounts issued by API, without the checkout window.

use crate::model::{CreateVbank, ModifyVbank, Payment, VbankOptions};

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
