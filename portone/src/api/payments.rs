//! Payments: lookups, listings and cancellation (spec tag `payments`), and payment
//! validation by prepared amounts (spec tag `payments.validation`).

use crate::model::{
    CancelPayment, Payment, PaymentBalance, PaymentList, PaymentPrepare, PaymentStatus,
    PaymentStatusFilter, PreparePayment, Sorting, UnixTime,
};

/// Looking up, listing and cancelling payments.
#[portone::api]
pub trait Payments {
    /// Looks up one payment by PortOne's id. Test-channel payments are hidden unless
    /// `include_sandbox` is `true`. Operation `getPaymentByImpUid`.
    #[get("/payments/<imp_uid>")]
    async fn payment(
        &self,
        imp_uid: &str,
        #[query] include_sandbox: Option<bool>,
    ) -> crate::Result<Payment>;

    /// Looks up several payments by PortOne's ids and/or merchant order ids; answers with the
    /// ones found (HTTP 207 when only some are). Operation `getPaymentListByImpUid`.
    #[get("/payments")]
    async fn payments(
        &self,
        #[query("imp_uid[]")] imp_uids: &[&str],
        #[query("merchant_uid[]")] merchant_uids: &[&str],
    ) -> crate::Result<Vec<Payment>>;

    /// The detailed balance of a payment by means of payment. Operation `balanceByImpUid`.
    #[get("/payments/<imp_uid>/balance")]
    async fn payment_balance(&self, imp_uid: &str) -> crate::Result<PaymentBalance>;

    /// Finds the latest payment of a merchant order id, optionally in one status.
    /// Operation `getPaymentByMerchantUid`.
    #[get("/payments/find/<merchant_uid>/<payment_status?>")]
    async fn find_payment(
        &self,
        merchant_uid: &str,
        payment_status: Option<PaymentStatus>,
        #[query] sorting: Option<Sorting>,
    ) -> crate::Result<Payment>;

    /// Lists every payment of a merchant order id (retries included), optionally in one
    /// status. Operation `getAllPaymentsByMerchantUid`.
    #[get("/payments/findAll/<merchant_uid>/<payment_status?>")]
    async fn find_all_payments(
        &self,
        merchant_uid: &str,
        payment_status: Option<PaymentStatus>,
        #[query] page: Option<u32>,
        #[query] limit: Option<u32>,
        #[query] sorting: Option<Sorting>,
    ) -> crate::Result<PaymentList>;

    /// Lists payments in a status (or `all`), at most 90 days at a time.
    /// Operation `getPaymentsByStatus`.
    #[get("/payments/status/<payment_status>")]
    async fn payments_by_status(
        &self,
        payment_status: PaymentStatusFilter,
        #[query] page: Option<u32>,
        #[query] limit: Option<u32>,
        #[query] from: Option<UnixTime>,
        #[query] to: Option<UnixTime>,
        #[query] sorting: Option<Sorting>,
    ) -> crate::Result<PaymentList>;

    /// Cancels (refunds) a payment fully or partially. Moves money: never retried after it
    /// may have reached PortOne. Operation `cancelPayment`.
    ///
    /// On an error with [`is_outcome_unknown`](crate::Error::is_outcome_unknown) (a timeout,
    /// a lost answer), PortOne may have refunded it: look the payment up
    /// ([`payment`](crate::api::Payments::payment)) before deciding, and never
    /// send the call again blindly.
    /// A partial refund with a [`checksum`](crate::model::CancelPayment::checksum) is safe
    /// to send again: PortOne refuses it if the balance moved.
    #[post("/payments/cancel")]
    async fn cancel_payment(&self, #[body] request: &CancelPayment) -> crate::Result<Payment>;
}

/// Registering the amount of an order before checkout, so that PortOne refuses a checkout
/// whose amount was tampered with.
#[portone::api]
pub trait PaymentValidation {
    /// Registers the expected amount of a merchant order id. Operation `preparePayment`.
    #[post("/payments/prepare")]
    async fn prepare_payment(
        &self,
        #[body] request: &PreparePayment,
    ) -> crate::Result<PaymentPrepare>;

    /// Changes the registered amount of a merchant order id. Operation `editPreparePayment`.
    #[put("/payments/prepare")]
    async fn update_prepared_payment(
        &self,
        #[body] request: &PreparePayment,
    ) -> crate::Result<PaymentPrepare>;

    /// The registered amount of a merchant order id.
    /// Operation `getPaymentPrepareByMerchantUid`.
    #[get("/payments/prepare/<merchant_uid>")]
    async fn prepared_payment(&self, merchant_uid: &str) -> crate::Result<PaymentPrepare>;
}
