//! Payments: lookups, listings and cancellation (spec tag `payments`), and payment
//! validation by prepared amounts (spec tag `payments.validation`).

use std::future::Future;

use crate::model::{
    CancelPayment, FindAllPayments, FindPayment, Payment, PaymentBalance, PaymentList,
    PaymentLookup, PaymentPrepare, PaymentStatus, PaymentStatusFilter, PaymentsByIds,
    PaymentsByStatus, PreparePayment,
};
use crate::{Execute, Refusal, Result};

/// Looking up, listing and cancelling payments. The one-argument lookups and the lookups by
/// merchant order id are in [`PaymentsExt`].
#[portone::api]
pub trait Payments {
    /// Looks up one payment by PortOne's id, with options. Operation `getPaymentByImpUid`.
    /// The common forms are [`payment`](PaymentsExt::payment) and
    /// [`payment_including_sandbox`](PaymentsExt::payment_including_sandbox).
    #[get("/payments/<imp_uid>")]
    async fn payment_with(
        &self,
        imp_uid: &str,
        #[query(flatten)] options: &PaymentLookup,
    ) -> crate::Result<Payment>;

    /// Looks up several payments by PortOne's ids and/or merchant order ids; answers with the
    /// ones found (HTTP 207 when only some are). Operation `getPaymentListByImpUid`.
    #[get("/payments")]
    async fn payments(&self, #[query(flatten)] ids: &PaymentsByIds) -> crate::Result<Vec<Payment>>;

    /// The detailed balance of a payment by means of payment. Operation `balanceByImpUid`.
    #[get("/payments/<imp_uid>/balance")]
    async fn payment_balance(&self, imp_uid: &str) -> crate::Result<PaymentBalance>;

    /// Lists payments in a status (or `all`), one page at a time, at most 90 days at a
    /// time. Every page:
    /// [`payments_by_status_stream`](crate::api::PaymentPages::payments_by_status_stream).
    /// Operation `getPaymentsByStatus`.
    #[get("/payments/status/<payment_status>")]
    async fn payments_by_status(
        &self,
        payment_status: PaymentStatusFilter,
        #[query(flatten)] options: &PaymentsByStatus,
    ) -> crate::Result<PaymentList>;

    /// Cancels (refunds) a payment fully or partially. Moves money: never retried after it
    /// may have reached PortOne. Operation `cancelPayment`.
    ///
    /// On an error with [`is_outcome_unknown`](crate::Error::is_outcome_unknown) (a timeout,
    /// a lost answer), PortOne may have refunded it: look the payment up
    /// ([`payment`](PaymentsExt::payment)) before deciding, and never
    /// send the call again blindly.
    /// A partial refund with a [`checksum`](crate::model::CancelPayment::checksum) is safe
    /// to send again: PortOne refuses it if the balance moved.
    #[post("/payments/cancel")]
    async fn cancel_payment(&self, #[body] request: &CancelPayment) -> crate::Result<Payment>;
}

/// The prepare routes as PortOne has them; [`PaymentValidation`] adds what a retry needs.
/// Private, so the only way to them is through there.
#[portone::api]
pub(crate) trait Prepares {
    /// Operation `preparePayment`.
    #[post("/payments/prepare")]
    async fn prepare_payment(
        &self,
        #[body] request: &PreparePayment,
    ) -> crate::Result<PaymentPrepare>;

    /// Operation `editPreparePayment`.
    #[put("/payments/prepare")]
    async fn update_prepared_payment(
        &self,
        #[body] request: &PreparePayment,
    ) -> crate::Result<PaymentPrepare>;

    /// Operation `getPaymentPrepareByMerchantUid`.
    #[get("/payments/prepare/<merchant_uid>")]
    async fn prepared_payment(&self, merchant_uid: &str) -> crate::Result<PaymentPrepare>;
}

/// Registering the amount of an order before checkout, so that PortOne refuses a checkout
/// whose amount was tampered with. Implemented for every [`Execute`] type (`prepare_payment`
/// for the cloneable ones, such as [`Client`](crate::Client) and its tier views); in the
/// prelude.
pub trait PaymentValidation: Execute {
    /// Registers the expected amount of a merchant order id. Operation `preparePayment`.
    ///
    /// Safe to send again after a lost answer: PortOne refuses a second prepare of the same
    /// `merchant_uid` ([`Refusal::AlreadyPrepared`](crate::Refusal::AlreadyPrepared)), and
    /// when the amount it holds is this request's, that refusal is this call's own success,
    /// so the answer is `Ok` with what PortOne holds. With another amount the refusal stays:
    /// change a prepared amount with
    /// [`update_prepared_payment`](Self::update_prepared_payment).
    ///
    /// # Errors
    ///
    /// As any call; [`Refusal::AlreadyPrepared`](crate::Refusal::AlreadyPrepared) when the
    /// order is prepared with another amount.
    fn prepare_payment(
        &self,
        request: &PreparePayment,
    ) -> impl Future<Output = Result<PaymentPrepare>> + Send + 'static + use<Self>
    where
        Self: Clone + 'static,
    {
        let prepare = Prepares::prepare_payment(self, request);
        // The lookup is asked for only after a refusal: an executor may send a call as soon
        // as it is made, not only when its future is polled.
        let client = self.clone();
        let request = request.clone();
        async move {
            match prepare.await {
                Err(e) if e.refusal() == Some(Refusal::AlreadyPrepared) => {
                    match Prepares::prepared_payment(&client, request.merchant_uid()).await {
                        Ok(prepared) if request.is_registered_as(&prepared) => Ok(prepared),
                        _ => Err(e),
                    }
                }
                answer => answer,
            }
        }
    }

    /// Changes the registered amount of a merchant order id. Operation `editPreparePayment`.
    ///
    /// # Errors
    ///
    /// As any call.
    fn update_prepared_payment(
        &self,
        request: &PreparePayment,
    ) -> impl Future<Output = Result<PaymentPrepare>> + Send + 'static + use<Self> {
        Prepares::update_prepared_payment(self, request)
    }

    /// The registered amount of a merchant order id.
    /// Operation `getPaymentPrepareByMerchantUid`.
    ///
    /// # Errors
    ///
    /// As any call; not found when the order was never prepared.
    fn prepared_payment(
        &self,
        merchant_uid: &str,
    ) -> impl Future<Output = Result<PaymentPrepare>> + Send + 'static + use<Self> {
        Prepares::prepared_payment(self, merchant_uid)
    }
}

impl<C: Execute + ?Sized> PaymentValidation for C {}

/// The lookups by merchant order id as PortOne's routes have them: the optional status is
/// a path segment, which [`PaymentsExt`] takes from the options value so that no caller
/// writes a positional `None`. Private, so the only way to these routes is through there.
#[portone::api]
pub(crate) trait ByMerchantUid {
    /// Operation `getPaymentByMerchantUid`.
    #[get("/payments/find/<merchant_uid>/<payment_status?>")]
    async fn find_payment_with(
        &self,
        merchant_uid: &str,
        payment_status: Option<PaymentStatus>,
        #[query(flatten)] options: &FindPayment,
    ) -> crate::Result<Payment>;

    /// Operation `getAllPaymentsByMerchantUid`.
    #[get("/payments/findAll/<merchant_uid>/<payment_status?>")]
    async fn find_all_payments(
        &self,
        merchant_uid: &str,
        payment_status: Option<PaymentStatus>,
        #[query(flatten)] options: &FindAllPayments,
    ) -> crate::Result<PaymentList>;
}

/// The payment lookups in their common forms: by PortOne's id in one argument, and by
/// merchant order id with the status among the options. Implemented for every
/// [`Execute`] type, such as [`Client`](crate::Client) and its tier views; in the prelude.
///
/// ```no_run
/// use portone::model::{FindPayment, PaymentStatus};
/// use portone::prelude::*;
///
/// # async fn run(client: portone::Client) -> portone::Result<()> {
/// let payment = client.payment("imp_123456789012").await?;
/// let test_one = client.payment_including_sandbox("imp_123456789013").await?;
/// let latest = client.find_payment("order-1").await?;
/// let paid = client
///     .find_payment_with("order-1", &FindPayment::new().payment_status(PaymentStatus::Paid))
///     .await?;
/// # Ok(()) }
/// ```
pub trait PaymentsExt: Execute {
    /// Looks up one payment by PortOne's id. Payments of test channels are hidden (PortOne
    /// answers "not found"); see
    /// [`payment_including_sandbox`](Self::payment_including_sandbox).
    /// Operation `getPaymentByImpUid`.
    fn payment(
        &self,
        imp_uid: &str,
    ) -> impl Future<Output = Result<Payment>> + Send + 'static + use<Self> {
        self.payment_with(imp_uid, &PaymentLookup::new())
    }

    /// Looks up one payment by PortOne's id, payments of test channels included
    /// (`include_sandbox=true`). Operation `getPaymentByImpUid`.
    fn payment_including_sandbox(
        &self,
        imp_uid: &str,
    ) -> impl Future<Output = Result<Payment>> + Send + 'static + use<Self> {
        self.payment_with(imp_uid, &PaymentLookup::new().include_sandbox(true))
    }

    /// Finds the latest payment of a merchant order id, in any status.
    /// Operation `getPaymentByMerchantUid`.
    fn find_payment(
        &self,
        merchant_uid: &str,
    ) -> impl Future<Output = Result<Payment>> + Send + 'static + use<Self> {
        ByMerchantUid::find_payment_with(self, merchant_uid, None, &FindPayment::new())
    }

    /// Finds the latest payment of a merchant order id, optionally in one status and by
    /// another order. Operation `getPaymentByMerchantUid`.
    fn find_payment_with(
        &self,
        merchant_uid: &str,
        options: &FindPayment,
    ) -> impl Future<Output = Result<Payment>> + Send + 'static + use<Self> {
        ByMerchantUid::find_payment_with(self, merchant_uid, options.status(), options)
    }

    /// Lists the payments of a merchant order id (retries included), one page at a time,
    /// optionally in one status. Every page:
    /// [`find_all_payments_stream`](crate::api::PaymentPages::find_all_payments_stream).
    /// Operation `getAllPaymentsByMerchantUid`.
    fn find_all_payments(
        &self,
        merchant_uid: &str,
        options: &FindAllPayments,
    ) -> impl Future<Output = Result<PaymentList>> + Send + 'static + use<Self> {
        ByMerchantUid::find_all_payments(self, merchant_uid, options.status(), options)
    }
}

impl<C: Execute + ?Sized> PaymentsExt for C {}

/// Every attempt of the order `merchant_uid` (retries after a decline included): all pages
/// of `GET /payments/findAll/{merchant_uid}`, none when PortOne has no payment for it.
pub(crate) async fn order_attempts<E: Execute + ?Sized>(
    client: &E,
    merchant_uid: &str,
) -> Result<Vec<Payment>> {
    const PER_PAGE: u32 = 100;
    let mut attempts = Vec::new();
    let mut page = 1;
    loop {
        let options = FindAllPayments::new().page(page).limit(PER_PAGE);
        let list = match PaymentsExt::find_all_payments(client, merchant_uid, &options).await {
            Ok(list) => list,
            Err(e) if page == 1 && e.is_not_found() => return Ok(attempts),
            Err(e) => return Err(e),
        };
        let next = list.next_page();
        attempts.extend(list.list);
        match next {
            // A page that does not advance ends the walk: a confused server cannot loop it.
            Some(next) if next > page => page = next,
            _ => return Ok(attempts),
        }
    }
}
