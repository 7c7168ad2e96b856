//! The optional query parameters of the ready-made calls, one value per operation.
//!
//! A call takes positionally only what PortOne requires (ids in the path, a listing's time
//! range); everything optional is set by name on a value built with `new()` (or `Default`)
//! and chained setters, and an unset option is not sent, so PortOne's default applies.
//!
//! ```no_run
//! use portone::model::{PaymentStatusFilter, PaymentsByStatus, Sorting};
//! use portone::prelude::*;
//!
//! # async fn run(client: portone::Client) -> portone::Result<()> {
//! let page = client
//!     .payments_by_status(
//!         PaymentStatusFilter::Paid,
//!         &PaymentsByStatus::new().limit(100).sorting(Sorting::PaidDesc),
//!     )
//!     .await?;
//! # Ok(()) }
//! ```

use serde::Serialize;

use super::setters::{list_setters, setters};
use super::{PaymentStatus, Requester, ScheduleSorting, ScheduleStatus, Sorting, UnixTime};

/// Declares an options value: a struct of `Option` fields, each sent under its serde name
/// only when set, with `new()` and one by-value `#[must_use]` setter per field. A field's
/// doc comment documents its setter; a `#[serde(..)]` after it (a wire name that is not a
/// Rust name, or `skip` for a value that goes in the path) is kept. A setter takes the
/// field's type as is, so that `.limit(100)` infers `u32`; `as into` makes it take
/// `impl Into<T>` instead (`setters!`), for strings and timestamps.
macro_rules! query_options {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $(#[serde($($serde:tt)*)])*
                $field:ident : $ty:ty $(as $conv:ident)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
        pub struct $name {
            $(
                $(#[serde($($serde)*)])*
                #[serde(skip_serializing_if = "Option::is_none")]
                $field: Option<$ty>,
            )*
        }

        impl $name {
            /// No option set: PortOne's defaults apply.
            #[must_use]
            pub fn new() -> Self {
                Self::default()
            }

            $(
                query_options!(@setter [$($conv)?] $(#[doc = $doc])* $field: $ty);
            )*
        }
    };
    (@setter [] $(#[doc = $doc:literal])* $field:ident : $ty:ty) => {
        $(#[doc = $doc])*
        #[must_use]
        pub fn $field(mut self, value: $ty) -> Self {
            self.$field = ::core::option::Option::Some(value);
            self
        }
    };
    (@setter [into] $(#[doc = $doc:literal])* $field:ident : $ty:ty) => {
        setters! { $(#[doc = $doc])* $field: $ty }
    };
}

query_options! {
    /// Options of [`payment_with`](crate::api::Payments::payment_with)
    /// (operation `getPaymentByImpUid`). [`payment`](crate::api::PaymentsExt::payment) and
    /// [`payment_including_sandbox`](crate::api::PaymentsExt::payment_including_sandbox) are
    /// the two common settings.
    ///
    /// ```
    /// use portone::model::PaymentLookup;
    ///
    /// let sandbox_too = PaymentLookup::new().include_sandbox(true);
    /// assert_ne!(sandbox_too, PaymentLookup::default());
    /// ```
    pub struct PaymentLookup {
        /// Also find payments of test channels, which PortOne hides by default since
        /// 2026-01-26 (`include_sandbox`).
        include_sandbox: bool,
    }
}

/// The ids of [`payments`](crate::api::Payments::payments), a lookup of several payments
/// (operation `getPaymentListByImpUid`): PortOne's ids, merchant order ids, or both. Each
/// list is sent as repeated bracket keys (`imp_uid[]=a&imp_uid[]=b`).
///
/// ```
/// use portone::model::PaymentsByIds;
///
/// let ids = PaymentsByIds::new()
///     .imp_uids(["imp_1", "imp_2"])
///     .merchant_uids(["order-7"]);
/// # let _ = ids;
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PaymentsByIds {
    #[serde(rename = "imp_uid[]")]
    imp_uids: Option<Vec<String>>,
    #[serde(rename = "merchant_uid[]")]
    merchant_uids: Option<Vec<String>>,
}

impl PaymentsByIds {
    /// No id yet: name at least one, PortOne answers an empty lookup with an error.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    list_setters! {
        /// PortOne's payment ids to look up (`imp_uid[]`).
        imp_uids,
        /// Merchant order ids to look up (`merchant_uid[]`).
        merchant_uids,
    }
}

query_options! {
    /// Options of [`find_payment_with`](crate::api::PaymentsExt::find_payment_with), the
    /// latest payment of a merchant order id (operation `getPaymentByMerchantUid`).
    ///
    /// ```
    /// use portone::model::{FindPayment, PaymentStatus, Sorting};
    ///
    /// let latest_paid = FindPayment::new()
    ///     .payment_status(PaymentStatus::Paid)
    ///     .sorting(Sorting::PaidDesc);
    /// # let _ = latest_paid;
    /// ```
    pub struct FindPayment {
        /// Only payments in this status; any status when unset. Sent as the last path
        /// segment (`/payments/find/{merchant_uid}/{payment_status}`).
        #[serde(skip)]
        payment_status: PaymentStatus,
        /// Which payment counts as the latest (`sorting`); PortOne's default is
        /// [`Sorting::StartedDesc`].
        sorting: Sorting,
    }
}

query_options! {
    /// Options of [`find_all_payments`](crate::api::PaymentsExt::find_all_payments) and
    /// [`find_all_payments_stream`](crate::api::PaymentPages::find_all_payments_stream),
    /// every payment of a merchant order id (operation `getAllPaymentsByMerchantUid`).
    /// A stream ignores `page` (it walks them all) and asks for 100 a page unless `limit`
    /// says otherwise.
    ///
    /// ```
    /// use portone::model::{FindAllPayments, PaymentStatus};
    ///
    /// let failed = FindAllPayments::new().payment_status(PaymentStatus::Failed).limit(50);
    /// # let _ = failed;
    /// ```
    pub struct FindAllPayments {
        /// Only payments in this status; any status when unset. Sent as the last path
        /// segment (`/payments/findAll/{merchant_uid}/{payment_status}`).
        #[serde(skip)]
        payment_status: PaymentStatus,
        /// The page to fetch, from 1 (`page`).
        page: u32,
        /// Payments per page, PortOne's default 20, at most 1000 (`limit`).
        limit: u32,
        /// Order of the list (`sorting`); PortOne's default is [`Sorting::StartedDesc`].
        sorting: Sorting,
    }
}

query_options! {
    /// Options of [`payments_by_status`](crate::api::Payments::payments_by_status) and
    /// [`payments_by_status_stream`](crate::api::PaymentPages::payments_by_status_stream)
    /// (operation `getPaymentsByStatus`). PortOne lists at most 90 days at a time. A stream
    /// ignores `page` (it walks them all) and asks for 100 a page unless `limit` says
    /// otherwise.
    ///
    /// ```
    /// use portone::model::{PaymentsByStatus, Sorting, UnixTime};
    ///
    /// let last_week = PaymentsByStatus::new()
    ///     .from(UnixTime::from_secs(1_700_000_000))
    ///     .to(1_700_604_800)
    ///     .limit(100)
    ///     .sorting(Sorting::PaidDesc);
    /// # let _ = last_week;
    /// ```
    pub struct PaymentsByStatus {
        /// The page to fetch, from 1 (`page`).
        page: u32,
        /// Payments per page, PortOne's default 20, at most 1000 (`limit`).
        limit: u32,
        /// Start of the time range, by the time each payment was requested (`from`).
        from: UnixTime as into,
        /// End of the time range (`to`).
        to: UnixTime as into,
        /// Order of the list (`sorting`); PortOne's default is [`Sorting::StartedDesc`].
        sorting: Sorting,
    }
}

query_options! {
    /// Options of [`schedules_by_range`](crate::api::Subscriptions::schedules_by_range) and
    /// [`schedules_by_range_stream`](crate::api::PaymentPages::schedules_by_range_stream)
    /// (operation `findSchedulesByRange`); the time range itself is required, so it is
    /// passed to the call. A stream ignores `page` (it walks them all) and asks for 100 a
    /// page unless `limit` says otherwise.
    ///
    /// ```
    /// use portone::model::{ScheduleSorting, ScheduleStatus, SchedulesByRange};
    ///
    /// let due = SchedulesByRange::new()
    ///     .schedule_status(ScheduleStatus::Scheduled)
    ///     .sorting(ScheduleSorting::ScheduledAsc);
    /// # let _ = due;
    /// ```
    pub struct SchedulesByRange {
        /// Only schedules in this status (`schedule_status`).
        schedule_status: ScheduleStatus,
        /// The page to fetch, from 1 (`page`).
        page: u32,
        /// Schedules per page, PortOne's default 20 (`limit`).
        limit: u32,
        /// Order of the list (`sorting`); unset, the latest schedule time comes first.
        sorting: ScheduleSorting,
    }
}

query_options! {
    /// Options of the scheduled payments of one billing key (operation
    /// `findSchedulesByCustomer`, under both of its routes):
    /// [`schedules_by_customer`](crate::api::Subscriptions::schedules_by_customer),
    /// [`billing_key_schedules`](crate::api::BillingKeys::billing_key_schedules) and their
    /// streams, which ignore `page`. The time range is required, so it is passed to the call.
    ///
    /// ```
    /// use portone::model::{ScheduleStatus, SchedulesByCustomer};
    ///
    /// let revoked = SchedulesByCustomer::new().schedule_status(ScheduleStatus::Revoked);
    /// # let _ = revoked;
    /// ```
    pub struct SchedulesByCustomer {
        /// The page to fetch, from 1 (`page`).
        page: u32,
        /// Only schedules in this status (`schedule-status`, with a hyphen on this route).
        #[serde(rename = "schedule-status")]
        schedule_status: ScheduleStatus,
    }
}

query_options! {
    /// Options of [`billing_key_payments`](crate::api::BillingKeys::billing_key_payments)
    /// and [`billing_key_payments_stream`](crate::api::PaymentPages::billing_key_payments_stream),
    /// which ignores `page` (operation `customer_payments`).
    ///
    /// ```
    /// use portone::model::BillingKeyPayments;
    ///
    /// let second_page = BillingKeyPayments::new().page(2);
    /// # let _ = second_page;
    /// ```
    pub struct BillingKeyPayments {
        /// The page to fetch, from 1 (`page`).
        page: u32,
    }
}

query_options! {
    /// Options of [`delete_billing_key`](crate::api::BillingKeys::delete_billing_key)
    /// (operation `customer_delete`).
    ///
    /// ```
    /// use portone::model::{DeleteBillingKey, Requester};
    ///
    /// let by_buyer = DeleteBillingKey::new()
    ///     .reason("the buyer closed the account")
    ///     .requester(Requester::Customer);
    /// # let _ = by_buyer;
    /// ```
    pub struct DeleteBillingKey {
        /// Why the billing key is deleted (`reason`).
        reason: String as into,
        /// Who asked for it (`extra[requester]`); PortOne's default is
        /// [`Requester::Admin`].
        #[serde(rename = "extra[requester]")]
        requester: Requester,
    }
}

query_options! {
    /// Options of the virtual-account calls
    /// [`create_vbank`](crate::api::VirtualAccounts::create_vbank) and
    /// [`revoke_vbank`](crate::api::VirtualAccounts::revoke_vbank) (operations `createVbank`,
    /// `revokeVbank`).
    ///
    /// ```
    /// use portone::model::VbankOptions;
    ///
    /// let second_mid = VbankOptions::new().pg_api_key("the PG account's API key");
    /// # let _ = second_mid;
    /// ```
    pub struct VbankOptions {
        /// Which of the merchant's PG accounts (MIDs) to use, by its API key, when there
        /// are several (`pg_api_key`).
        pg_api_key: String as into,
    }
}

query_options! {
    /// Options of [`naver_reviews`](crate::api::NaverPay::naver_reviews) (operation
    /// `getReviews`). Only the 2026-03 revision of PortOne's spec lists `channel_key` (as a
    /// form field of this GET), and PortOne's own SDKs, updated against that revision, do
    /// not send it: it is sent only when set.
    ///
    /// ```
    /// use portone::model::NaverReviews;
    ///
    /// let one_channel = NaverReviews::new().channel_key("channel-key-naverpay");
    /// # let _ = one_channel;
    /// ```
    pub struct NaverReviews {
        /// The Naver Pay channel whose reviews to list (`channel_key`).
        channel_key: String as into,
    }
}

impl FindPayment {
    /// The status to send in the path, if any.
    pub(crate) fn status(&self) -> Option<PaymentStatus> {
        self.payment_status.clone()
    }
}

impl FindAllPayments {
    /// The status to send in the path, if any.
    pub(crate) fn status(&self) -> Option<PaymentStatus> {
        self.payment_status.clone()
    }

    /// The same options for a stream: `page` set to `page`, `limit` to 100 if unset.
    pub(crate) fn for_page(&self, page: u32) -> Self {
        let mut options = self.clone().page(page);
        options.limit.get_or_insert(STREAM_LIMIT);
        options
    }
}

impl PaymentsByStatus {
    /// The same options for a stream: `page` set to `page`, `limit` to 100 if unset.
    pub(crate) fn for_page(&self, page: u32) -> Self {
        let mut options = self.clone().page(page);
        options.limit.get_or_insert(STREAM_LIMIT);
        options
    }

    /// The same options for one page of a walk by time: the slice `from..=to`, sorted as
    /// the walk reads the list.
    pub(crate) fn for_slice(&self, from: i64, to: i64, page: u32, sorting: Sorting) -> Self {
        self.for_page(page).from(from).to(to).sorting(sorting)
    }

    /// The items a stream asks for per page.
    pub(crate) fn stream_limit(&self) -> u32 {
        self.limit.unwrap_or(STREAM_LIMIT)
    }

    /// The time range asked for, in seconds; `None` where PortOne's default applies.
    pub(crate) fn range(&self) -> (Option<i64>, Option<i64>) {
        (
            self.from.map(UnixTime::as_secs),
            self.to.map(UnixTime::as_secs),
        )
    }

    /// The order asked for, if any.
    pub(crate) fn asked_sorting(&self) -> Option<&Sorting> {
        self.sorting.as_ref()
    }
}

impl SchedulesByRange {
    /// The same options for a stream: `page` set to `page`, `limit` to 100 if unset.
    pub(crate) fn for_page(&self, page: u32) -> Self {
        let mut options = self.clone().page(page);
        options.limit.get_or_insert(STREAM_LIMIT);
        options
    }

    /// The same options for one page of a walk by time, with the walk's order (`None`:
    /// PortOne's default, the latest first).
    pub(crate) fn for_slice(&self, page: u32, sorting: Option<ScheduleSorting>) -> Self {
        let mut options = self.for_page(page);
        options.sorting = sorting;
        options
    }

    /// The items a stream asks for per page.
    pub(crate) fn stream_limit(&self) -> u32 {
        self.limit.unwrap_or(STREAM_LIMIT)
    }

    /// The order asked for, if any.
    pub(crate) fn asked_sorting(&self) -> Option<&ScheduleSorting> {
        self.sorting.as_ref()
    }
}

impl SchedulesByCustomer {
    /// The same options for a stream: `page` set to `page`.
    pub(crate) fn for_page(&self, page: u32) -> Self {
        self.clone().page(page)
    }
}

impl BillingKeyPayments {
    /// The same options for a stream: `page` set to `page`.
    pub(crate) fn for_page(&self, page: u32) -> Self {
        self.clone().page(page)
    }
}

/// Items a stream asks for per page when the caller sets no `limit`: five times PortOne's
/// default, so a walk makes fewer round trips, and well under its maximum of 1000.
const STREAM_LIMIT: u32 = 100;

#[cfg(test)]
mod tests {
    use super::*;

    fn query<T: Serialize>(value: &T) -> serde_json::Value {
        serde_json::to_value(value).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn unset_options_send_nothing() {
        assert_eq!(query(&PaymentsByStatus::new()), serde_json::json!({}));
        assert_eq!(query(&FindPayment::new()), serde_json::json!({}));
        assert_eq!(query(&PaymentsByIds::new()), serde_json::json!({}));
    }

    #[test]
    fn wire_names_and_the_path_status_left_out() {
        let options = FindAllPayments::new()
            .payment_status(PaymentStatus::Paid)
            .page(2)
            .sorting(Sorting::UpdatedAsc);
        assert_eq!(
            query(&options),
            serde_json::json!({"page": 2, "sorting": "updated"})
        );
        assert_eq!(options.status(), Some(PaymentStatus::Paid));
        let options = SchedulesByCustomer::new().schedule_status(ScheduleStatus::Executed);
        assert_eq!(
            query(&options),
            serde_json::json!({"schedule-status": "executed"})
        );
        let options = DeleteBillingKey::new().requester(Requester::Customer);
        assert_eq!(
            query(&options),
            serde_json::json!({"extra[requester]": "customer"})
        );
    }

    #[test]
    fn a_stream_page_keeps_the_caller_s_limit_or_asks_for_100() {
        let set = PaymentsByStatus::new().limit(7).page(9).for_page(3);
        assert_eq!(set, PaymentsByStatus::new().limit(7).page(3));
        let unset = SchedulesByRange::new().for_page(1);
        assert_eq!(unset, SchedulesByRange::new().page(1).limit(100));
    }
}
