//! What the declared traits cannot say by themselves: streams over paged listings, and the
//! explicit ways to unschedule.

use std::future::Future;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::walk::{Ask, Listing, Order, PageStream, Range, Window};
use super::{BillingKeys, Payments, PaymentsExt, Subscriptions};
use crate::Result;
use crate::model::{
    BillingKeyPayments, FindAllPayments, Payment, PaymentStatusFilter, PaymentsByStatus, Schedule,
    ScheduleList, ScheduleSorting, SchedulesByCustomer, SchedulesByRange, Sorting, UnixTime,
    Unschedule,
};

/// `/payments/status` lists at most 90 days; an open start is that long before the end.
const STATUS_SPAN: i64 = 90 * 24 * 3600;

/// Streams over every page of the paged listings: payments and scheduled payments.
/// Implemented for every [`Payments`] + [`BillingKeys`] + [`Subscriptions`] type that can be
/// cloned into the stream, such as [`Client`](crate::Client).
///
/// Each stream takes the listing's own options value and yields every record of the
/// listing, as a [`PageStream`]: the options' `page` is ignored, and the streams whose
/// listing has a `limit` ask for 100 items a page unless the options set another. Up to 4
/// pages are fetched at once ([`PageStream::concurrency`]).
///
/// # What a walk promises
///
/// The listings that take a time range (payments by status, the three schedule listings)
/// are walked by time, not by page number, so that records arriving or leaving during the
/// walk do not shift the pages:
///
/// - a record that is in the window when the walk starts and does not change until it
///   ends is yielded **exactly once**, however many records arrive or leave meanwhile and
///   however many share one second;
/// - a record that changes during the walk (a payment refunded or paid, a schedule run,
///   revoked or added) is yielded **at most once**, as it was when its page was fetched;
/// - records come in the listing's order, oldest or newest first as the options' sorting
///   says (newest first by default, as PortOne's); the same records in the same order
///   whatever the concurrency.
///
/// Where the payments' window is left open at its end, it ends at PortOne's clock when the
/// stream is first polled (for [`Client`](crate::Client), read from its token:
/// [`Execute::portone_time`](crate::Execute::portone_time)), and an open start is 90 days
/// before that end, as PortOne's own default.
///
/// The listings without a time range (`find_all_payments_stream`,
/// `billing_key_payments_stream`) are walked by page number: they never yield a record
/// twice, but a record can be missed if others leave the list during the walk. They are
/// short (one order, one billing key).
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use portone::model::{PaymentStatusFilter, PaymentsByStatus};
/// use portone::prelude::*;
///
/// # async fn run(client: portone::Client) -> portone::Result<()> {
/// let paid: Vec<_> = client
///     .payments_by_status_stream(PaymentStatusFilter::Paid, &PaymentsByStatus::new())
///     .try_collect()
///     .await?;
/// # Ok(()) }
/// ```
pub trait PaymentPages:
    Payments + BillingKeys + Subscriptions + Clone + Send + Sync + 'static
{
    /// Every payment in a status, walked by the time PortOne lists that status by: `paid`
    /// by the time paid, `ready` by the time started, `cancelled` by the time cancelled,
    /// `failed` by the time failed; each page is sorted by the same clock (`paid`,
    /// `started`, and `updated` for the last two, which PortOne has no sorting of their
    /// own for), so the options' `sorting` only chooses the direction. `all`, which PortOne
    /// times by each payment's own status, is walked as `ready`, `paid`, `cancelled` and
    /// `failed` one after the other. A status PortOne may add is walked by page number.
    /// Operation `getPaymentsByStatus`.
    fn payments_by_status_stream(
        &self,
        payment_status: PaymentStatusFilter,
        options: &PaymentsByStatus,
    ) -> PageStream<Payment> {
        let statuses = match payment_status {
            PaymentStatusFilter::All => vec![
                PaymentStatusFilter::Ready,
                PaymentStatusFilter::Paid,
                PaymentStatusFilter::Cancelled,
                PaymentStatusFilter::Failed,
            ],
            one => vec![one],
        };
        let listings: Vec<_> = statuses
            .into_iter()
            .map(|status| by_status(self.clone(), status, options.clone()))
            .collect();
        let open = listings
            .iter()
            .any(|l| matches!(l.range, Range::UntilNow { .. }));
        let now = open.then(|| self.portone_time().boxed());
        PageStream::new(listings, now)
    }

    /// Every payment of a merchant order id, optionally in the options' status, walked by
    /// page number (never one twice). Operation `getAllPaymentsByMerchantUid`.
    fn find_all_payments_stream(
        &self,
        merchant_uid: &str,
        options: &FindAllPayments,
    ) -> PageStream<Payment> {
        let client = self.clone();
        let merchant_uid = merchant_uid.to_owned();
        let options = options.clone();
        let listing = Listing::payments_by_page(Box::new(move |ask: Ask| {
            PaymentsExt::find_all_payments(&client, &merchant_uid, &options.for_page(ask.page))
                .boxed()
        }));
        PageStream::new(vec![listing], None)
    }

    /// Every payment made with a billing key, walked by page number (never one twice).
    /// Operation `customer_payments`.
    fn billing_key_payments_stream(
        &self,
        customer_uid: &str,
        options: &BillingKeyPayments,
    ) -> PageStream<Payment> {
        let client = self.clone();
        let customer_uid = customer_uid.to_owned();
        let options = options.clone();
        let listing = Listing::payments_by_page(Box::new(move |ask: Ask| {
            client
                .billing_key_payments(&customer_uid, &options.for_page(ask.page))
                .boxed()
        }));
        PageStream::new(vec![listing], None)
    }

    /// Every scheduled payment due in `schedule_from..schedule_to` (at most 3 months),
    /// walked by schedule time, newest first unless the options sort by
    /// [`ScheduleSorting::ScheduledAsc`]. Operation `findSchedulesByRange`.
    fn schedules_by_range_stream(
        &self,
        schedule_from: UnixTime,
        schedule_to: UnixTime,
        options: &SchedulesByRange,
    ) -> PageStream<Schedule> {
        let client = self.clone();
        let options = options.clone();
        let (order, by_time) = match options.asked_sorting() {
            None => (Order::NewestFirst, true),
            Some(ScheduleSorting::ScheduledAsc) => (Order::OldestFirst, true),
            Some(_) => (Order::NewestFirst, false),
        };
        let page_size = Some(options.stream_limit());
        let fetch = move |ask: Ask| {
            let Some(window) = ask.window else {
                let options = options.for_page(ask.page);
                return client
                    .schedules_by_range(schedule_from, schedule_to, &options)
                    .boxed();
            };
            let sorting =
                (ask.order == Order::OldestFirst).then_some(ScheduleSorting::ScheduledAsc);
            let mut options = options.for_slice(ask.page, sorting);
            if let Some(limit) = ask.limit {
                options = options.limit(limit);
            }
            let (from, to) = half_open(window);
            client.schedules_by_range(from, to, &options).boxed()
        };
        let listing = schedule_listing(
            Box::new(fetch),
            order,
            by_time.then(|| window_before(schedule_from, schedule_to)),
            by_time,
            page_size,
        );
        PageStream::new(vec![listing], None)
    }

    /// Every scheduled payment of a billing key due in `from..to`, walked by schedule time,
    /// newest first (this route takes no sorting). Operation `findSchedulesByCustomer`
    /// (under `/subscribe/payments/schedule`).
    fn schedules_by_customer_stream(
        &self,
        customer_uid: &str,
        from: UnixTime,
        to: UnixTime,
        options: &SchedulesByCustomer,
    ) -> PageStream<Schedule> {
        let fetch = move |client: &Self, customer_uid: &str, from, to, options: &_| {
            client
                .schedules_by_customer(customer_uid, from, to, options)
                .boxed()
        };
        of_billing_key(self.clone(), customer_uid, (from, to), options, fetch)
    }

    /// Every scheduled payment of a billing key due in `from..to`, walked by schedule time,
    /// newest first (this route takes no sorting). Operation `findSchedulesByCustomer`
    /// (under `/subscribe/customers`).
    fn billing_key_schedules_stream(
        &self,
        customer_uid: &str,
        from: UnixTime,
        to: UnixTime,
        options: &SchedulesByCustomer,
    ) -> PageStream<Schedule> {
        let fetch = move |client: &Self, customer_uid: &str, from, to, options: &_| {
            client
                .billing_key_schedules(customer_uid, from, to, options)
                .boxed()
        };
        of_billing_key(self.clone(), customer_uid, (from, to), options, fetch)
    }
}

impl<C: Payments + BillingKeys + Subscriptions + Clone + Send + Sync + 'static> PaymentPages for C {}

/// The walk of one status of `GET /payments/status/{status}`: by the clock PortOne lists
/// that status by, sorted by the same clock; a status without a known clock by page number.
fn by_status<C: Payments + Clone + Send + Sync + 'static>(
    client: C,
    status: PaymentStatusFilter,
    options: PaymentsByStatus,
) -> Listing<Payment> {
    type Clock = fn(&Payment) -> Option<UnixTime>;
    let clock: Option<(Clock, [Sorting; 2])> = match status {
        PaymentStatusFilter::Ready => Some((
            |p| p.started_at,
            [Sorting::StartedAsc, Sorting::StartedDesc],
        )),
        PaymentStatusFilter::Paid => Some((|p| p.paid_at, [Sorting::PaidAsc, Sorting::PaidDesc])),
        PaymentStatusFilter::Cancelled => Some((
            |p| p.cancelled_at,
            [Sorting::UpdatedAsc, Sorting::UpdatedDesc],
        )),
        PaymentStatusFilter::Failed => {
            Some((|p| p.failed_at, [Sorting::UpdatedAsc, Sorting::UpdatedDesc]))
        }
        _ => None,
    };
    let order = match options.asked_sorting() {
        Some(Sorting::StartedAsc | Sorting::PaidAsc | Sorting::UpdatedAsc) => Order::OldestFirst,
        Some(Sorting::Other(other)) if !other.starts_with('-') => Order::OldestFirst,
        _ => Order::NewestFirst,
    };
    let range = match (clock.is_some(), options.range()) {
        (false, _) => Range::None,
        (true, (from, Some(to))) => Range::Fixed(Window::new(
            from.unwrap_or(to.saturating_sub(STATUS_SPAN)),
            to,
        )),
        (true, (from, None)) => Range::UntilNow {
            from,
            span: STATUS_SPAN,
        },
    };
    let page_size = Some(options.stream_limit());
    let sortings = clock.as_ref().map(|(_, sortings)| sortings.clone());
    let fetch = move |ask: Ask| {
        let options = match (ask.window, &sortings) {
            (Some(window), Some([oldest, newest])) => {
                let sorting = match ask.order {
                    Order::OldestFirst => oldest.clone(),
                    Order::NewestFirst => newest.clone(),
                };
                let options = options.for_slice(window.from, window.to, ask.page, sorting);
                match ask.limit {
                    Some(limit) => options.limit(limit),
                    None => options,
                }
            }
            _ => options.for_page(ask.page),
        };
        client.payments_by_status(status.clone(), &options).boxed()
    };
    Listing {
        fetch: Box::new(fetch),
        key: |p| p.imp_uid.as_str(),
        clock: clock.map(|(clock, _)| clock),
        order,
        reversible: true,
        page_size,
        range,
    }
}

/// The scheduled payments of one billing key, by either of the two routes (`fetch`):
/// newest first, since neither takes a sorting, so no probe either.
fn of_billing_key<C, F>(
    client: C,
    customer_uid: &str,
    (from, to): (UnixTime, UnixTime),
    options: &SchedulesByCustomer,
    fetch: F,
) -> PageStream<Schedule>
where
    C: Send + Sync + 'static,
    F: Fn(
            &C,
            &str,
            UnixTime,
            UnixTime,
            &SchedulesByCustomer,
        ) -> BoxFuture<'static, Result<ScheduleList>>
        + Send
        + Sync
        + 'static,
{
    let customer_uid = customer_uid.to_owned();
    let options = options.clone();
    let page = move |ask: Ask| {
        let (from, to) = ask.window.map_or((from, to), half_open);
        fetch(
            &client,
            &customer_uid,
            from,
            to,
            &options.for_page(ask.page),
        )
    };
    let window = Some(window_before(from, to));
    let listing = schedule_listing(Box::new(page), Order::NewestFirst, window, false, None);
    PageStream::new(vec![listing], None)
}

/// A schedule listing: by schedule time over `window`, or by page number without one.
fn schedule_listing(
    fetch: super::walk::Fetch<Schedule>,
    order: Order,
    window: Option<Window>,
    reversible: bool,
    page_size: Option<u32>,
) -> Listing<Schedule> {
    Listing {
        fetch,
        key: |s| s.merchant_uid.as_str(),
        clock: window.map(|_| (|s: &Schedule| Some(s.schedule_at)) as fn(&Schedule) -> _),
        order,
        reversible,
        page_size,
        range: window.map_or(Range::None, Range::Fixed),
    }
}

/// The schedule listings' `from <= schedule_at < to` as a window of whole seconds.
fn window_before(from: UnixTime, to: UnixTime) -> Window {
    Window::new(from.as_secs(), to.as_secs().saturating_sub(1))
}

/// A window as the schedule listings take it: `from` included, `to` not.
fn half_open(window: Window) -> (UnixTime, UnixTime) {
    (
        UnixTime::from_secs(window.from),
        UnixTime::from_secs(window.to.saturating_add(1)),
    )
}

/// Unscheduling, said explicitly: cancelling every scheduled payment of a billing key,
/// cancelling listed ones of a billing key, and cancelling listed orders whatever their
/// billing key are different calls, so none happens by accident.
pub trait SubscriptionsExt: Subscriptions {
    /// Cancels **every** scheduled payment of a billing key.
    fn unschedule_all(
        &self,
        customer_uid: &str,
    ) -> impl Future<Output = Result<Vec<Schedule>>> + Send + use<Self> {
        self.unschedule_payments(&Unschedule::all(customer_uid))
    }

    /// Cancels the listed scheduled payments of a billing key. An empty list is refused
    /// (PortOne would read it as "all") and nothing is sent.
    fn unschedule_listed(
        &self,
        customer_uid: &str,
        merchant_uids: &[&str],
    ) -> impl Future<Output = Result<Vec<Schedule>>> + Send + use<Self> {
        let request = Unschedule::listed(customer_uid, merchant_uids.iter().copied());
        let call = request.map(|request| self.unschedule_payments(&request));
        async move {
            match call {
                Ok(call) => call.await,
                Err(invalid) => Err(invalid.into()),
            }
        }
    }

    /// Cancels the scheduled payments of the listed orders, whichever billing key they
    /// belong to (no `customer_uid` is sent). An empty list is refused and nothing is sent.
    fn unschedule_by_merchant_uids(
        &self,
        merchant_uids: &[&str],
    ) -> impl Future<Output = Result<Vec<Schedule>>> + Send + use<Self> {
        let request = Unschedule::by_merchant_uids(merchant_uids.iter().copied());
        let call = request.map(|request| self.unschedule_payments(&request));
        async move {
            match call {
                Ok(call) => call.await,
                Err(invalid) => Err(invalid.into()),
            }
        }
    }
}

impl<C: Subscriptions + ?Sized> SubscriptionsExt for C {}
