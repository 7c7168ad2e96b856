//! What a walk asks for: time windows, how they are cut into slices, and the units of work
//! (one page each) that a walk queues.

use futures_util::future::BoxFuture;

use crate::Result;
use crate::model::{Page, UnixTime};

/// A time window in whole seconds, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) from: i64,
    pub(crate) to: i64,
}

impl Window {
    pub(crate) fn new(from: i64, to: i64) -> Self {
        Self { from, to }
    }

    pub(crate) fn is_empty(self) -> bool {
        self.from > self.to
    }

    pub(crate) fn contains(self, at: i64) -> bool {
        self.from <= at && at <= self.to
    }

    /// How many seconds it spans (0 when empty).
    fn seconds(self) -> i128 {
        (i128::from(self.to) - i128::from(self.from) + 1).max(0)
    }

    /// The part of the window the walk has not reached once it stands at second `at`,
    /// that second included (more of its records may follow).
    pub(crate) fn rest_at_second(self, at: i64, order: Order) -> Self {
        match order {
            Order::OldestFirst => Self::new(at, self.to),
            Order::NewestFirst => Self::new(self.from, at),
        }
    }

    /// The part of the window past second `at`.
    pub(crate) fn past_second(self, at: i64, order: Order) -> Self {
        match order {
            Order::OldestFirst => Self::new(at.saturating_add(1), self.to),
            Order::NewestFirst => Self::new(self.from, at.saturating_sub(1)),
        }
    }

    /// Whether standing at second `at` leaves less of the window to walk: `at` is inside
    /// it and past its first second. A page that ends anywhere else cannot be followed by
    /// time (the server did not keep to the window or the order).
    pub(crate) fn advances_to(self, at: i64, order: Order) -> bool {
        match order {
            Order::OldestFirst => self.from < at && at <= self.to,
            Order::NewestFirst => self.from <= at && at < self.to,
        }
    }

    /// The window narrowed to `span` (the times of the records that exist), in seconds.
    pub(crate) fn within(self, span: Window) -> Self {
        Self::new(self.from.max(span.from), self.to.min(span.to))
    }

    /// The window cut into `parts` slices of nearly equal length, in walk order.
    pub(crate) fn split(self, parts: u32, order: Order) -> Vec<Window> {
        let seconds = self.seconds();
        if seconds == 0 {
            return Vec::new();
        }
        let parts = i128::from(parts.max(1)).min(seconds);
        let at = |i: i128| {
            let second = i128::from(self.from) + seconds * i / parts;
            i64::try_from(second).unwrap_or(i64::MAX)
        };
        let mut slices: Vec<Window> = (0..parts)
            .map(|i| {
                Window::new(
                    at(i),
                    if i + 1 == parts {
                        self.to
                    } else {
                        at(i + 1) - 1
                    },
                )
            })
            .collect();
        if order == Order::NewestFirst {
            slices.reverse();
        }
        slices
    }
}

/// The order a walk reads a listing in, which is also the order it yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    OldestFirst,
    NewestFirst,
}

impl Order {
    pub(crate) fn reversed(self) -> Self {
        match self {
            Order::OldestFirst => Order::NewestFirst,
            Order::NewestFirst => Order::OldestFirst,
        }
    }
}

/// One request: page `page` of `window` (`None` for a listing without a time range), in
/// `order`, with `limit` records at most (`None`: the walk's page size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ask {
    pub(crate) window: Option<Window>,
    pub(crate) page: u32,
    pub(crate) order: Order,
    pub(crate) limit: Option<u32>,
}

/// What one queued page is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// The first page of a time slice; the rest of the slice follows from its last record.
    Slice(Window),
    /// The one record at the far end of what is left of the window (the last in walk
    /// order), asked for once the first page showed there is more than a page, so that the
    /// rest (`left` records, about) is cut where the records are.
    Probe { rest: Window, left: u64 },
    /// Page `page` of second `at`, which holds more records than a page; `pass` counts the
    /// walks of that second again after it changed under the walk.
    Second { at: i64, page: u32, pass: u8 },
    /// Page `page` of a listing walked by page number: one without a time range, or one
    /// whose records do not say where to continue; `last` is the last page planned in its
    /// run, after which the walk follows `next`.
    Pages {
        window: Option<Window>,
        page: u32,
        last: u32,
    },
}

impl Unit {
    pub(crate) fn ask(self, order: Order) -> Ask {
        let (window, page, order, limit) = match self {
            Unit::Slice(window) => (Some(window), 1, order, None),
            Unit::Probe { rest, .. } => (Some(rest), 1, order.reversed(), Some(1)),
            Unit::Second { at, page, .. } => (Some(Window::new(at, at)), page, order, None),
            Unit::Pages { window, page, .. } => (window, page, order, None),
        };
        Ask {
            window,
            page,
            order,
            limit,
        }
    }
}

/// Fetches the page an [`Ask`] names.
pub(crate) type Fetch<T> = Box<dyn Fn(Ask) -> BoxFuture<'static, Result<Page<T>>> + Send + Sync>;

/// A listing as a walk sees it.
pub(crate) struct Listing<T> {
    pub(crate) fetch: Fetch<T>,
    /// The record's identity, to never yield it twice.
    pub(crate) key: fn(&T) -> &str,
    /// The time the listing filters and sorts the record by; `None` for a listing walked by
    /// page number.
    pub(crate) clock: Option<fn(&T) -> Option<UnixTime>>,
    pub(crate) order: Order,
    /// Whether the listing can be asked for the other order (for [`Unit::Probe`]).
    pub(crate) reversible: bool,
    /// Records per page when the listing takes a `limit`; otherwise PortOne's own.
    pub(crate) page_size: Option<u32>,
    /// Where the walk starts: a window, or one that ends at PortOne's clock.
    pub(crate) range: Range,
}

impl Listing<crate::model::Payment> {
    /// A listing of payments without a time range, walked by page number, newest first.
    pub(crate) fn payments_by_page(fetch: Fetch<crate::model::Payment>) -> Self {
        Listing {
            fetch,
            key: |p| p.imp_uid.as_str(),
            clock: None,
            order: Order::NewestFirst,
            reversible: false,
            page_size: None,
            range: Range::None,
        }
    }
}

/// The window a listing is walked over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Range {
    /// No time range: walked by page number.
    None,
    /// A fixed window.
    Fixed(Window),
    /// Ends at PortOne's clock when the walk starts; starts at `from`, or `span` seconds
    /// before the end.
    UntilNow { from: Option<i64>, span: i64 },
}

impl Range {
    /// The window, once PortOne's clock is known (`now`).
    pub(crate) fn window(self, now: Option<i64>) -> Option<Window> {
        match self {
            Range::None => None,
            Range::Fixed(window) => Some(window),
            Range::UntilNow { from, span } => {
                let to = now.unwrap_or(i64::MAX);
                Some(Window::new(from.unwrap_or(to.saturating_sub(span)), to))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_the_window_once_in_walk_order() {
        let window = Window::new(10, 29);
        let oldest = window.split(3, Order::OldestFirst);
        assert_eq!(
            oldest,
            [
                Window::new(10, 15),
                Window::new(16, 22),
                Window::new(23, 29)
            ]
        );
        let newest = window.split(3, Order::NewestFirst);
        assert_eq!(newest.first(), Some(&Window::new(23, 29)));
        assert_eq!(newest.len(), 3);
        // Never more slices than seconds, and a one-second window is one slice.
        assert_eq!(Window::new(5, 6).split(10, Order::OldestFirst).len(), 2);
        assert_eq!(
            Window::new(5, 5).split(4, Order::NewestFirst),
            [Window::new(5, 5)]
        );
        assert!(Window::new(6, 5).split(4, Order::OldestFirst).is_empty());
        let wide = Window::new(i64::MIN, i64::MAX).split(4, Order::OldestFirst);
        assert_eq!(wide.first().map(|w| w.from), Some(i64::MIN));
        assert_eq!(wide.last().map(|w| w.to), Some(i64::MAX));
    }

    #[test]
    fn the_rest_of_a_window_keeps_the_second_the_walk_stands_on() {
        let window = Window::new(100, 200);
        assert_eq!(
            window.rest_at_second(150, Order::OldestFirst),
            Window::new(150, 200)
        );
        assert_eq!(
            window.rest_at_second(150, Order::NewestFirst),
            Window::new(100, 150)
        );
        assert_eq!(
            window.past_second(150, Order::NewestFirst),
            Window::new(100, 149)
        );
        assert!(window.advances_to(101, Order::OldestFirst));
        assert!(!window.advances_to(100, Order::OldestFirst));
        assert!(!window.advances_to(200, Order::NewestFirst));
        assert!(!window.advances_to(99, Order::NewestFirst));
    }

    #[test]
    fn a_probe_asks_for_one_record_from_the_other_end() {
        let probe = Unit::Probe {
            rest: Window::new(1, 2),
            left: 7,
        };
        let ask = probe.ask(Order::NewestFirst);
        assert_eq!(
            (ask.order, ask.limit, ask.page),
            (Order::OldestFirst, Some(1), 1)
        );
        let open = Range::UntilNow {
            from: None,
            span: 10,
        };
        assert_eq!(open.window(Some(100)), Some(Window::new(90, 100)));
    }
}
