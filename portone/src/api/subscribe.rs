//! Payments without the checkout window: one-time and billing-key payments, and scheduled
//! payments (spec tag `subscribe`); billing keys (spec tag `subscribe.customer`).

use crate::model::{
    AgainPayment, AnyBillingKey, BillingKeyPayments, DeleteBillingKey, IssueBillingKey,
    OnetimePayment, Payment, PaymentList, Reschedule, Schedule, ScheduleList, SchedulePayments,
    SchedulesByCustomer, SchedulesByRange, UnixTime, Unschedule,
};

/// One-time and billing-key payments, and scheduled payments.
#[portone::api]
pub trait Subscriptions {
    /// Pays once with card data, without the checkout window (and, with a `customer_uid`,
    /// keeps the card as a billing key). Moves money. Operation `onetime`.
    ///
    /// `Ok` only for a `paid` payment. A card company's refusal is
    /// [`Error::Declined`](crate::Error::Declined) (PortOne answers it with `code: 0` and a
    /// `failed` payment); any other status (`ready`: the PG has not decided) is
    /// [`Error::Unsettled`](crate::Error::Unsettled).
    ///
    /// On an error with [`is_outcome_unknown`](crate::Error::is_outcome_unknown) (a timeout,
    /// a lost answer, a `5xx`, an unsettled payment), PortOne may have charged the card:
    /// resolve it by its `merchant_uid`
    /// ([`resolve_charge`](crate::resolve::Resolution::resolve_charge)) before deciding, and
    /// never send the call again blindly.
    #[post("/subscribe/payments/onetime", charge)]
    async fn pay_onetime(&self, #[body] request: &OnetimePayment) -> crate::Result<Payment>;

    /// Pays with a billing key. Moves money. Operation `again`.
    ///
    /// `Ok` only for a `paid` payment. A card company's refusal is
    /// [`Error::Declined`](crate::Error::Declined) (PortOne answers it with `code: 0` and a
    /// `failed` payment); any other status (`ready`: the PG has not decided) is
    /// [`Error::Unsettled`](crate::Error::Unsettled).
    ///
    /// On an error with [`is_outcome_unknown`](crate::Error::is_outcome_unknown) (a timeout,
    /// a lost answer, a `5xx`, an unsettled payment), PortOne may have charged the card:
    /// resolve it by its `merchant_uid`
    /// ([`resolve_charge`](crate::resolve::Resolution::resolve_charge)) before deciding, and
    /// never send the call again blindly.
    #[post("/subscribe/payments/again", charge)]
    async fn pay_again(&self, #[body] request: &AgainPayment) -> crate::Result<Payment>;

    /// Schedules payments with a billing key. Operation `schedule`.
    #[post("/subscribe/payments/schedule")]
    async fn schedule_payments(
        &self,
        #[body] request: &SchedulePayments,
    ) -> crate::Result<Vec<Schedule>>;

    /// Cancels all scheduled payments of a billing key ([`Unschedule::all`]), the listed
    /// ones of a billing key ([`Unschedule::listed`]) or the listed orders whatever their
    /// billing key ([`Unschedule::by_merchant_uids`]). Operation `unschedule`.
    #[post("/subscribe/payments/unschedule")]
    async fn unschedule_payments(
        &self,
        #[body] request: &Unschedule,
    ) -> crate::Result<Vec<Schedule>>;

    /// Lists scheduled payments due in a time range (at most 3 months), one page at a time,
    /// the latest schedule time first unless the options sort otherwise. Reads the paged
    /// answer PortOne sends and the bare array the spec describes. Every page:
    /// [`schedules_by_range_stream`](crate::api::PaymentPages::schedules_by_range_stream).
    /// Operation `findSchedulesByRange`.
    #[get("/subscribe/payments/schedule")]
    async fn schedules_by_range(
        &self,
        #[query] schedule_from: UnixTime,
        #[query] schedule_to: UnixTime,
        #[query(flatten)] options: &SchedulesByRange,
    ) -> crate::Result<ScheduleList>;

    /// Looks up a scheduled payment by its merchant order id. Operation `getScheduleByMid`.
    #[get("/subscribe/payments/schedule/<merchant_uid>")]
    async fn schedule(&self, merchant_uid: &str) -> crate::Result<Schedule>;

    /// Moves a scheduled payment to another time. Operation `updateScheduleByMid`.
    #[put("/subscribe/payments/schedule/<merchant_uid>")]
    async fn update_schedule(
        &self,
        merchant_uid: &str,
        #[body] request: &Reschedule,
    ) -> crate::Result<Schedule>;

    /// Schedules a failed scheduled payment again. Operation `rescheduleByMid`.
    #[post("/subscribe/payments/schedule/<merchant_uid>/reschedule")]
    async fn reschedule(
        &self,
        merchant_uid: &str,
        #[body] request: &Reschedule,
    ) -> crate::Result<Schedule>;

    /// Retries a failed scheduled payment now. Moves money. Operation `retryScheduleByMid`.
    ///
    /// `Ok` only for a `paid` payment. A card company's refusal is
    /// [`Error::Declined`](crate::Error::Declined) (PortOne answers it with `code: 0` and a
    /// `failed` payment); any other status (`ready`: the PG has not decided) is
    /// [`Error::Unsettled`](crate::Error::Unsettled).
    ///
    /// On an error with [`is_outcome_unknown`](crate::Error::is_outcome_unknown) (a timeout,
    /// a lost answer, a `5xx`, an unsettled payment), PortOne may have charged the card:
    /// resolve it by its `merchant_uid`
    /// ([`resolve_charge`](crate::resolve::Resolution::resolve_charge)) before deciding, and
    /// never send the call again blindly.
    #[post("/subscribe/payments/schedule/<merchant_uid>/retry", charge)]
    async fn retry_schedule(&self, merchant_uid: &str) -> crate::Result<Payment>;

    /// Lists the scheduled payments of a billing key in a time range, one page at a time,
    /// latest schedule time first. Reads the paged answer PortOne sends and the bare array
    /// the spec describes. Every page:
    /// [`schedules_by_customer_stream`](crate::api::PaymentPages::schedules_by_customer_stream).
    /// Operation `findSchedulesByCustomer` (under `/subscribe/payments/schedule`).
    #[get("/subscribe/payments/schedule/customers/<customer_uid>")]
    async fn schedules_by_customer(
        &self,
        customer_uid: &str,
        #[query] from: UnixTime,
        #[query] to: UnixTime,
        #[query(flatten)] options: &SchedulesByCustomer,
    ) -> crate::Result<ScheduleList>;
}

/// Billing keys: cards kept by PortOne for later payments.
#[portone::api]
pub trait BillingKeys {
    /// Looks up several billing keys; answers with the ones found (HTTP 207 when only some
    /// are). Operation `customer_view_multiple`.
    #[get("/subscribe/customers")]
    async fn billing_keys(
        &self,
        #[query("customer_uid[]")] customer_uids: &[&str],
    ) -> crate::Result<Vec<AnyBillingKey>>;

    /// Looks up a billing key. Operation `customer_view`.
    #[get("/subscribe/customers/<customer_uid>")]
    async fn billing_key(&self, customer_uid: &str) -> crate::Result<AnyBillingKey>;

    /// Issues (or replaces) a billing key from card data. Operation `customer_save`.
    #[post("/subscribe/customers/<customer_uid>")]
    async fn issue_billing_key(
        &self,
        customer_uid: &str,
        #[body] request: &IssueBillingKey,
    ) -> crate::Result<AnyBillingKey>;

    /// Deletes a billing key; [`DeleteBillingKey::new()`] sends no reason and lets PortOne
    /// record the merchant as the requester. Operation `customer_delete`.
    #[delete("/subscribe/customers/<customer_uid>")]
    async fn delete_billing_key(
        &self,
        customer_uid: &str,
        #[query(flatten)] options: &DeleteBillingKey,
    ) -> crate::Result<AnyBillingKey>;

    /// Lists the payments made with a billing key, one page at a time. Every page:
    /// [`billing_key_payments_stream`](crate::api::PaymentPages::billing_key_payments_stream).
    /// Operation `customer_payments`.
    #[get("/subscribe/customers/<customer_uid>/payments")]
    async fn billing_key_payments(
        &self,
        customer_uid: &str,
        #[query(flatten)] options: &BillingKeyPayments,
    ) -> crate::Result<PaymentList>;

    /// Lists the scheduled payments of a billing key in a time range, one page at a time,
    /// latest schedule time first. Reads the paged answer PortOne sends and the bare array
    /// the spec describes. Every page:
    /// [`billing_key_schedules_stream`](crate::api::PaymentPages::billing_key_schedules_stream).
    /// Operation `findSchedulesByCustomer` (under `/subscribe/customers`).
    #[get("/subscribe/customers/<customer_uid>/schedules")]
    async fn billing_key_schedules(
        &self,
        customer_uid: &str,
        #[query] from: UnixTime,
        #[query] to: UnixTime,
        #[query(flatten)] options: &SchedulesByCustomer,
    ) -> crate::Result<ScheduleList>;
}
