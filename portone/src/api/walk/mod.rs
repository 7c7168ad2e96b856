//! Walks over paged listings: by time where the listing takes a time range, several pages
//! fetched at once, every record yielded in the listing's order.
//!
//! Why by time: page numbers index a list that moves. A payment that arrives at the head of
//! a newest-first list pushes every later record one place down, so the next page repeats
//! one; a payment that leaves the list (a `paid` one refunded) pulls them up, so the next
//! page skips one. A window of time does not move: each page after the first asks for the
//! window from the second of the last record seen, and the records of that second already
//! yielded are dropped.
//!
//! One second can hold more records than a page (a flash sale). Such a second is walked by
//! page number as a window of its own (`from = to = that second`): its pages are known from
//! the first one's `total`, so they are fetched side by side. A second is a window whose
//! records can still change during its walk (a refund takes one out and shifts the rest up,
//! so a page could skip one); so every page's `total` is compared with the first's, and when
//! the second changed under the walk it is walked again (up to [`MAX_PASSES`] times), its
//! records already yielded dropped.
//!
//! Why side by side: after the first page the walk knows how many records are left (the
//! page's `total`); when there are more than that page, it asks once for the record at the
//! far end of the window (a listing that fits a page costs one request), then cuts what is
//! left into time slices of about nine tenths of a page each and fetches their first pages
//! `concurrency` at a time. A slice whose first page is not all of it continues by
//! time, its pages queued before the slices that follow it. Pages are yielded in order, so
//! a page fetched ahead waits for the ones before it: at most `2 × concurrency` pages are
//! fetched ahead, which bounds the memory a walk holds. Dropping the stream drops the
//! requests in flight and nothing more is sent.

mod plan;

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesUnordered, Stream, StreamExt};

use plan::Unit;
pub(crate) use plan::{Ask, Fetch, Listing, Order, Range, Window};

use crate::model::Page;
use crate::{Error, Result, StatusCode};

/// Pages fetched at once unless [`PageStream::concurrency`] says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// How often one second that changed under the walk is walked again.
const MAX_PASSES: u8 = 3;
/// At most this many slices are planned at once, whatever the estimate.
const MAX_SLICES: u64 = 10_000;
/// A page size to plan with before any page said its own.
const FALLBACK_PAGE_SIZE: u32 = 20;

/// Every record of a paged listing, as a [`Stream`], from the streams of
/// [`PaymentPages`](crate::api::PaymentPages).
///
/// Up to [`concurrency`](Self::concurrency) pages (default 4) are fetched at once and every
/// record comes out in the listing's order. Nothing is sent before the stream is first
/// polled; dropping it drops the requests in flight and sends no more. The first error ends
/// the stream, after every record before it.
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use portone::model::{PaymentStatusFilter, PaymentsByStatus};
/// use portone::prelude::*;
///
/// # async fn run(client: portone::Client) -> portone::Result<()> {
/// let mut paid = client
///     .payments_by_status_stream(PaymentStatusFilter::Paid, &PaymentsByStatus::new())
///     .concurrency(8);
/// while let Some(payment) = paid.try_next().await? {
///     // match it against your orders
/// #   let _ = payment;
/// }
/// # Ok(()) }
/// ```
#[must_use = "a stream does nothing until polled"]
pub struct PageStream<T> {
    walks: VecDeque<Walk<T>>,
    concurrency: usize,
    now: Now,
    done: bool,
}

/// PortOne's clock, for a window left open at its end.
enum Now {
    Unneeded,
    Asking(BoxFuture<'static, Result<i64>>),
    Known(i64),
}

impl<T: Send + 'static> PageStream<T> {
    /// A stream over `listings`, walked one after the other. `now` tells PortOne's clock,
    /// where a listing's window ends there.
    pub(crate) fn new(
        listings: Vec<Listing<T>>,
        now: Option<BoxFuture<'static, Result<i64>>>,
    ) -> Self {
        Self {
            walks: listings.into_iter().map(Walk::new).collect(),
            concurrency: DEFAULT_CONCURRENCY,
            now: now.map_or(Now::Unneeded, Now::Asking),
            done: false,
        }
    }
}

impl<T> PageStream<T> {
    /// How many pages are fetched at once: [`DEFAULT_CONCURRENCY`] (4) unless set; `1`
    /// fetches one page at a time and plans no slices; `0` reads as `1`. The records and
    /// their order are the same whatever the setting; at most `2 × concurrency` pages are
    /// fetched ahead of the one being read.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// How many records the stream holds now: fetched, not yet yielded. At most
    /// `2 × concurrency + 1` pages of them.
    pub fn held(&self) -> usize {
        self.walks.front().map_or(0, Walk::held)
    }
}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("concurrency", &self.concurrency)
            .field("listings_left", &self.walks.len())
            .field("held", &self.held())
            .field(
                "in_flight",
                &self.walks.front().map_or(0, |w| w.running.len()),
            )
            .finish_non_exhaustive()
    }
}

// Every field is a box, a queue or a set: nothing is pinned in place.
impl<T> Unpin for PageStream<T> {}

impl<T: Send + 'static> Stream for PageStream<T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let now = match &mut this.now {
            Now::Unneeded => None,
            Now::Known(now) => Some(*now),
            Now::Asking(asking) => match asking.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(now)) => {
                    this.now = Now::Known(now);
                    Some(now)
                }
                Poll::Ready(Err(error)) => return this.fail(error),
            },
        };
        while let Some(walk) = this.walks.front_mut() {
            match walk.poll_next(cx, now, this.concurrency) {
                Poll::Ready(Some(Ok(item))) => return Poll::Ready(Some(Ok(item))),
                Poll::Ready(Some(Err(error))) => return this.fail(error),
                Poll::Ready(None) => {
                    this.walks.pop_front();
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        this.done = true;
        Poll::Ready(None)
    }
}

impl<T> PageStream<T> {
    fn fail(&mut self, error: Error) -> Poll<Option<Result<T>>> {
        self.done = true;
        self.walks.clear();
        Poll::Ready(Some(Err(error)))
    }
}

/// One page in the walk's queue.
struct Slot<T> {
    id: u64,
    unit: Unit,
    state: State<T>,
}

enum State<T> {
    Planned,
    Running,
    Ready(Result<Page<T>>),
}

/// A second walked by page number: what its first page said.
struct SecondPass {
    pages: u32,
    total: u64,
    moved: bool,
}

/// The walk of one listing.
struct Walk<T> {
    listing: Listing<T>,
    started: bool,
    concurrency: usize,
    /// The pages to yield, in order: planned, in flight or fetched.
    queue: VecDeque<Slot<T>>,
    running: FuturesUnordered<BoxFuture<'static, (u64, Result<Page<T>>)>>,
    next_id: u64,
    /// Records of the page at the head of the queue, admitted and not yet yielded.
    out: VecDeque<T>,
    /// The second of the last record yielded, and the ids yielded at that second.
    boundary: Option<(Option<i64>, HashSet<String>)>,
    /// Every id yielded by a walk by page number.
    seen: HashSet<String>,
    second: Option<SecondPass>,
    /// Where the records of the window are, once the probe said where the far end is.
    span: Option<Window>,
    /// Whether the probe was asked for (once per walk).
    probed: bool,
    /// The size of a full page, once one came.
    page_size: Option<u32>,
}

impl<T> Walk<T> {
    fn held(&self) -> usize {
        self.out.len()
            + self
                .queue
                .iter()
                .map(|slot| match &slot.state {
                    State::Ready(Ok(page)) => page.list.len(),
                    _ => 0,
                })
                .sum::<usize>()
    }
}

impl<T: Send + 'static> Walk<T> {
    fn new(listing: Listing<T>) -> Self {
        Self {
            listing,
            started: false,
            concurrency: DEFAULT_CONCURRENCY,
            queue: VecDeque::new(),
            running: FuturesUnordered::new(),
            next_id: 0,
            out: VecDeque::new(),
            boundary: None,
            seen: HashSet::new(),
            second: None,
            span: None,
            probed: false,
            page_size: None,
        }
    }

    fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
        now: Option<i64>,
        concurrency: usize,
    ) -> Poll<Option<Result<T>>> {
        self.concurrency = concurrency;
        if !self.started {
            self.started = true;
            self.start(now);
        }
        loop {
            if let Some(item) = self.out.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if self
                .queue
                .front()
                .is_some_and(|slot| matches!(slot.state, State::Ready(_)))
                && let Some(Slot {
                    unit,
                    state: State::Ready(result),
                    ..
                }) = self.queue.pop_front()
            {
                match result {
                    Ok(page) => self.take(unit, page),
                    Err(error) if past_the_end(unit, &error) => self.take_past_the_end(unit),
                    Err(error) => {
                        self.queue.clear();
                        self.running = FuturesUnordered::new();
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                continue;
            }
            if self.queue.is_empty() {
                return Poll::Ready(None);
            }
            self.launch();
            match self.running.poll_next_unpin(cx) {
                Poll::Ready(Some((id, result))) => {
                    if let Some(slot) = self.queue.iter_mut().find(|slot| slot.id == id) {
                        slot.state = State::Ready(result);
                    }
                }
                // `launch` always starts the head of the queue, so something runs.
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    fn start(&mut self, now: Option<i64>) {
        let first = match self.listing.range.window(now) {
            None => vec![Unit::Pages {
                window: None,
                page: 1,
                last: 1,
            }],
            Some(window) if window.is_empty() => Vec::new(),
            Some(window) if self.listing.clock.is_none() => vec![Unit::Pages {
                window: Some(window),
                page: 1,
                last: 1,
            }],
            Some(window) => vec![Unit::Slice(window)],
        };
        self.enqueue(first, false);
    }

    /// Queues `units`, in order, at the head of the queue or at its end.
    fn enqueue(&mut self, units: impl IntoIterator<Item = Unit>, at_head: bool) {
        let slots: Vec<Slot<T>> = units
            .into_iter()
            .map(|unit| {
                self.next_id += 1;
                Slot {
                    id: self.next_id,
                    unit,
                    state: State::Planned,
                }
            })
            .collect();
        if at_head {
            for slot in slots.into_iter().rev() {
                self.queue.push_front(slot);
            }
        } else {
            self.queue.extend(slots);
        }
    }

    /// Starts planned pages in queue order: at most `concurrency` in flight, and at most
    /// `2 × concurrency` fetched or in flight, except the head of the queue, which is what
    /// the reader waits for.
    fn launch(&mut self) {
        let ahead = 2 * self.concurrency;
        let mut running = self.running.len();
        let mut busy = running
            + self
                .queue
                .iter()
                .filter(|slot| matches!(slot.state, State::Ready(_)))
                .count();
        for (index, slot) in self.queue.iter_mut().enumerate() {
            if running >= self.concurrency || (index > 0 && busy >= ahead) {
                break;
            }
            if !matches!(slot.state, State::Planned) {
                continue;
            }
            let id = slot.id;
            let page = (self.listing.fetch)(slot.unit.ask(self.listing.order));
            self.running
                .push(page.map(move |result| (id, result)).boxed());
            slot.state = State::Running;
            running += 1;
            busy += 1;
        }
    }

    fn time(&self, record: &T) -> Option<i64> {
        self.listing
            .clock
            .and_then(|clock| clock(record))
            .map(|at| at.as_secs())
    }

    /// A page at the head of the queue: its records to yield, and what it says comes next.
    fn take(&mut self, unit: Unit, page: Page<T>) {
        let next = page.next_page();
        let total = page.total;
        let list = page.list;
        if next.is_some() && !list.is_empty() {
            self.page_size
                .get_or_insert(u32::try_from(list.len()).unwrap_or(u32::MAX));
        }
        match unit {
            Unit::Probe { rest, left } => {
                // The far end of what exists; the record itself comes again in its turn.
                // Nothing there: the rest of the window was empty when the walk started.
                let far = list.first().and_then(|far| self.time(far));
                self.span = Some(match (far, self.listing.order) {
                    (Some(far), Order::NewestFirst) => Window::new(far, i64::MAX),
                    (Some(far), Order::OldestFirst) => Window::new(i64::MIN, far),
                    (None, _) => Window::new(1, 0),
                });
                let slices = self.plan(rest, left);
                self.enqueue(slices, true);
            }
            Unit::Slice(window) => {
                let follow = if next.is_some() && !list.is_empty() {
                    self.after_slice(window, &list, total)
                } else {
                    Vec::new()
                };
                self.admit_by_time(list);
                self.enqueue(follow, true);
            }
            Unit::Second { at, page, pass } => {
                if page == 1 {
                    let pages = if next.is_some() {
                        pages_of(total, self.page_size()).max(2)
                    } else {
                        1
                    };
                    self.second = Some(SecondPass {
                        pages,
                        total,
                        moved: false,
                    });
                    self.enqueue(
                        (2..=pages).map(|page| Unit::Second { at, page, pass }),
                        true,
                    );
                } else if let Some(second) = self.second.as_mut()
                    && total != second.total
                {
                    second.moved = true;
                }
                self.admit_by_time(list);
                self.end_of_second(at, page, pass, next);
            }
            Unit::Pages { window, page, last } => {
                if page == 1 && next.is_some() {
                    let pages = pages_of(total, self.page_size()).max(2);
                    let more = (2..=pages).map(|page| Unit::Pages {
                        window,
                        page,
                        last: pages,
                    });
                    self.enqueue(more, true);
                } else if page >= last
                    && let Some(next) = next.filter(|&next| next > page)
                {
                    // More pages than the first one counted: on, one at a time.
                    let more = Unit::Pages {
                        window,
                        page: next,
                        last: next,
                    };
                    self.enqueue([more], true);
                }
                self.admit_once(list);
            }
        }
    }

    /// A page past the last one of a walk by page number: the list got shorter.
    fn take_past_the_end(&mut self, unit: Unit) {
        if let Unit::Second { at, page, pass } = unit {
            if let Some(second) = self.second.as_mut() {
                second.moved = true;
            }
            self.end_of_second(at, page, pass, None);
        }
    }

    /// After page `page` of second `at`: past the pages its first page counted, follow
    /// `next` one page at a time; at its end, walk the second again if it changed under the
    /// walk.
    fn end_of_second(&mut self, at: i64, page: u32, pass: u8, next: Option<u32>) {
        let Some(second) = self.second.as_mut() else {
            return;
        };
        if page < second.pages {
            return;
        }
        if let Some(next) = next.filter(|&next| next > page) {
            second.pages = next;
            self.enqueue(
                [Unit::Second {
                    at,
                    page: next,
                    pass,
                }],
                true,
            );
            return;
        }
        let again = second.moved && pass < MAX_PASSES;
        self.second = None;
        if again {
            let pass = pass + 1;
            self.enqueue([Unit::Second { at, page: 1, pass }], true);
        }
    }

    /// What follows the first page of a slice that did not hold all of it.
    fn after_slice(&mut self, window: Window, list: &[T], total: u64) -> Vec<Unit> {
        let order = self.listing.order;
        let first = list.first().and_then(|r| self.time(r));
        let last = list.last().and_then(|r| self.time(r));
        let len = u64::try_from(list.len()).unwrap_or(u64::MAX);
        match (first, last) {
            (Some(first), Some(last)) if first == last && window.contains(last) => {
                let mut follow = vec![Unit::Second {
                    at: last,
                    page: 1,
                    pass: 0,
                }];
                follow
                    .extend(self.plan(window.past_second(last, order), total.saturating_sub(len)));
                follow
            }
            (Some(_), Some(last)) if window.advances_to(last, order) => {
                let before = list.iter().filter(|r| self.time(r) != Some(last)).count();
                let left = total.saturating_sub(u64::try_from(before).unwrap_or(u64::MAX));
                self.plan_rest(window.rest_at_second(last, order), left)
            }
            // Records that do not say where to go on: the rest of the slice by page number.
            _ => vec![Unit::Pages {
                window: Some(window),
                page: 2,
                last: 2,
            }],
        }
    }

    /// What walks `rest`, about `left` records: slices; or first, when the walk cuts
    /// slices and has not yet, a probe for where the records end.
    fn plan_rest(&mut self, rest: Window, left: u64) -> Vec<Unit> {
        if self.concurrency > 1 && self.listing.reversible && !self.probed && !rest.is_empty() {
            self.probed = true;
            return vec![Unit::Probe { rest, left }];
        }
        self.plan(rest, left)
    }

    /// The slices to walk `rest` in, for about `left` records.
    fn plan(&self, rest: Window, left: u64) -> Vec<Unit> {
        let rest = self.span.map_or(rest, |span| rest.within(span));
        if rest.is_empty() {
            return Vec::new();
        }
        if self.concurrency <= 1 {
            return vec![Unit::Slice(rest)];
        }
        // Nine tenths of a page each, so that a slice seldom needs a second page.
        let fill = (u64::from(self.page_size()) * 9 / 10).max(1);
        let parts = left.div_ceil(fill).clamp(1, MAX_SLICES);
        rest.split(u32::try_from(parts).unwrap_or(1), self.listing.order)
            .into_iter()
            .map(Unit::Slice)
            .collect()
    }

    fn page_size(&self) -> u32 {
        self.listing
            .page_size
            .or(self.page_size)
            .unwrap_or(FALLBACK_PAGE_SIZE)
            .max(1)
    }

    /// Queues the records to yield, less those already yielded at the second the walk
    /// stands on: records come in time order, so a repeat can only be at that second.
    fn admit_by_time(&mut self, list: Vec<T>) {
        for record in list {
            let at = self.time(&record);
            let key = (self.listing.key)(&record).to_owned();
            let fresh = match &mut self.boundary {
                Some((second, ids)) if *second == at => ids.insert(key),
                _ => {
                    self.boundary = Some((at, HashSet::from([key])));
                    true
                }
            };
            if fresh {
                self.out.push_back(record);
            }
        }
    }

    /// Queues the records to yield, less any yielded before by page number or at the
    /// second the walk by time stands on (a slice that fell back to page numbers).
    fn admit_once(&mut self, list: Vec<T>) {
        for record in list {
            let key = (self.listing.key)(&record);
            let at_boundary = self
                .boundary
                .as_ref()
                .is_some_and(|(_, ids)| ids.contains(key));
            if !at_boundary && self.seen.insert(key.to_owned()) {
                self.out.push_back(record);
            }
        }
    }
}

/// How many pages of `size` hold `total` records.
fn pages_of(total: u64, size: u32) -> u32 {
    u32::try_from(total.div_ceil(u64::from(size.max(1)))).unwrap_or(u32::MAX)
}

/// Whether `error` answers a page past the last one of a walk by page number: PortOne
/// refuses those with HTTP 400, and the same query with an earlier page was accepted, so
/// the list got shorter since the walk counted its pages.
fn past_the_end(unit: Unit, error: &Error) -> bool {
    let later_page = match unit {
        Unit::Second { page, .. } | Unit::Pages { page, .. } => page > 1,
        Unit::Slice(_) | Unit::Probe { .. } => false,
    };
    later_page && matches!(error, Error::Api(_)) && error.status() == Some(StatusCode::BAD_REQUEST)
}
