//! What the declared traits cannot say by themselves: streams over paged listings, and the
//! explicit ways to unschedule.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::Stream;
use futures_util::stream;

use super::{BillingKeys, Payments, PaymentsExt, Subscriptions};
use crate::Result;
use crate::model::{
    BillingKeyPayments, FindAllPayments, Page, Payment, PaymentStatusFilter, PaymentsByStatus,
    Schedule, SchedulesByCustomer, SchedulesByRange, UnixTime, Unschedule,
};

/// Walks pages from `first` on, yielding every item in order; an error ends the stream
/// after it is yielded. A page that does not advance (`next` not above the current page)
/// ends the walk, so a confused server cannot make it loop; a bare list, which carries no
/// paging, is the only page.
pub(crate) fn walk<T, F, Fut>(first: u32, fetch: F) -> impl Stream<Item = Result<T>> + Send
where
    T: Send,
    F: FnMut(u32) -> Fut + Send,
    Fut: Future<Output = Result<Page<T>>> + Send,
{
    struct State<T, F> {
        next: Option<u32>,
        buffer: VecDeque<T>,
        fetch: F,
    }
    let state = State {
        next: Some(first.max(1)),
        buffer: VecDeque::new(),
        fetch,
    };
    stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), state));
            }
            let page = state.next.take()?;
            match (state.fetch)(page).await {
                Ok(list) => {
                    state.next = list.next_page().filter(|&next| next > page);
                    state.buffer.extend(list.list);
                }
                Err(error) => return Some((Err(error), state)),
            }
        }
    })
}

/// Streams over every page of the paged listings: payments and scheduled payments.
/// Implemented for every [`Payments`] + [`BillingKeys`] + [`Subscriptions`] type that can be
/// cloned into the stream, such as [`Client`](crate::Client).
///
/// Each stream takes the listing's own options value and walks every page from the first:
/// the options' `page` is ignored, and the streams whose listing has a `limit` ask for 100
/// items a page unless the options set another.
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
    /// Every payment in a status (or `all`), page by page. Operation `getPaymentsByStatus`.
    fn payments_by_status_stream(
        &self,
        payment_status: PaymentStatusFilter,
        options: &PaymentsByStatus,
    ) -> impl Stream<Item = Result<Payment>> + Send + 'static {
        let client = self.clone();
        let options = options.clone();
        walk(1, move |page| {
            client.payments_by_status(payment_status.clone(), &options.for_page(page))
        })
    }

    /// Every payment of a merchant order id, page by page, optionally in the options'
    /// status. Operation `getAllPaymentsByMerchantUid`.
    fn find_all_payments_stream(
        &self,
        merchant_uid: &str,
        options: &FindAllPayments,
    ) -> impl Stream<Item = Result<Payment>> + Send + 'static {
        let client = self.clone();
        let merchant_uid = merchant_uid.to_owned();
        let options = options.clone();
        walk(1, move |page| {
            PaymentsExt::find_all_payments(&client, &merchant_uid, &options.for_page(page))
        })
    }

    /// Every payment made with a billing key, page by page. Operation `customer_payments`.
    fn billing_key_payments_stream(
        &self,
        customer_uid: &str,
        options: &BillingKeyPayments,
    ) -> impl Stream<Item = Result<Payment>> + Send + 'static {
        let client = self.clone();
        let customer_uid = customer_uid.to_owned();
        let options = options.clone();
        walk(1, move |page| {
            client.billing_key_payments(&customer_uid, &options.for_page(page))
        })
    }

    /// Every scheduled payment due in a time range (at most 3 months), page by page.
    /// Operation `findSchedulesByRange`.
    fn schedules_by_range_stream(
        &self,
        schedule_from: UnixTime,
        schedule_to: UnixTime,
        options: &SchedulesByRange,
    ) -> impl Stream<Item = Result<Schedule>> + Send + 'static {
        let client = self.clone();
        let options = options.clone();
        walk(1, move |page| {
            client.schedules_by_range(schedule_from, schedule_to, &options.for_page(page))
        })
    }

    /// Every scheduled payment of a billing key in a time range, page by page.
    /// Operation `findSchedulesByCustomer` (under `/subscribe/payments/schedule`).
    fn schedules_by_customer_stream(
        &self,
        customer_uid: &str,
        from: UnixTime,
        to: UnixTime,
        options: &SchedulesByCustomer,
    ) -> impl Stream<Item = Result<Schedule>> + Send + 'static {
        let client = self.clone();
        let customer_uid = customer_uid.to_owned();
        let options = options.clone();
        walk(1, move |page| {
            client.schedules_by_customer(&customer_uid, from, to, &options.for_page(page))
        })
    }

    /// Every scheduled payment of a billing key in a time range, page by page.
    /// Operation `findSchedulesByCustomer` (under `/subscribe/customers`).
    fn billing_key_schedules_stream(
        &self,
        customer_uid: &str,
        from: UnixTime,
        to: UnixTime,
        options: &SchedulesByCustomer,
    ) -> impl Stream<Item = Result<Schedule>> + Send + 'static {
        let client = self.clone();
        let customer_uid = customer_uid.to_owned();
        let options = options.clone();
        walk(1, move |page| {
            client.billing_key_schedules(&customer_uid, from, to, &options.for_page(page))
        })
    }
}

impl<C: Payments + BillingKeys + Subscriptions + Clone + Send + Sync + 'static> PaymentPages for C {}

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
