//! When a call is sent again, and how long to wait first.
//!
//! V1 has no idempotency key: a POST that may have reached the server (a timeout, a reset
//! after sending) is never re-sent, because it may have moved money. Idempotent calls are
//! re-sent on connect errors, timeouts, resets, 502, 503 and 504; every call is re-sent when
//! the connection failed before the request left.
//!
//! Retries are paid from a [`RetryBudget`] shared by a client and its tier views, so that an
//! outage does not multiply the traffic sent to a server that is already failing.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use reqwest::StatusCode;

use crate::error::Error;
use crate::observe;

/// How often and how patiently failed calls are retried.
///
/// The default retries twice, waiting a random time up to 100 ms, then up to 200 ms
/// ("full jitter"), capped at 2 s; a `Retry-After` from the server is honoured up to the cap.
/// Retries are paid from the default [`RetryBudget`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    budget: Option<RetryBudget>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            budget: Some(RetryBudget::default()),
        }
    }
}

impl RetryPolicy {
    /// A policy with `max_retries` retries after the first attempt and the default delays.
    #[must_use]
    pub fn new(max_retries: u32) -> Self {
        Self {
            max_retries,
            ..Self::default()
        }
    }

    /// No retries at all.
    #[must_use]
    pub fn disabled() -> Self {
        Self::new(0)
    }

    /// The cap of the first wait; each later one doubles it.
    #[must_use]
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between attempts.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Pays retries from `budget`, shared by the client built with this policy and all its
    /// tier views.
    #[must_use]
    pub fn budget(mut self, budget: RetryBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Retries every call up to [`max_retries`](Self::max_retries) times whatever the others
    /// did: during an outage, the client then sends `1 + max_retries` requests per call.
    #[must_use]
    pub fn without_budget(mut self) -> Self {
        self.budget = None;
        self
    }

    /// How many retries follow the first attempt.
    #[must_use]
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The budget retries are paid from, if any.
    #[must_use]
    pub fn retry_budget(&self) -> Option<&RetryBudget> {
        self.budget.as_ref()
    }

    /// The wait before retry number `retry` (1-based).
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_delay);
        }
        let exp = self
            .base_delay
            .saturating_mul(1 << retry.saturating_sub(1).min(16))
            .min(self.max_delay);
        let millis = u64::try_from(exp.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(rand::random_range(0..=millis))
    }
}

/// What retries cost, after the AWS SDKs' "standard" retry mode: a bucket of tokens shared by
/// a client and its tier views. A retry takes [`retry_cost`](Self::retry_cost) tokens, a
/// retry after a timeout [`timeout_retry_cost`](Self::timeout_retry_cost); a retry the
/// bucket cannot pay is not made, and the caller gets the error of the attempt that failed.
/// The first attempt of a call is never refused. An answer the server gave (any status below
/// 500) puts back the cost of the retry that obtained it, or
/// [`success_refund`](Self::success_refund) tokens for a first attempt, up to the capacity.
///
/// The default (capacity 500, cost 5, timeout cost 10, refund 1) allows 100 retries in a row
/// with nothing succeeding in between: during an outage, `N` calls send at most `N + 100`
/// requests instead of `3N`, and as the server recovers, every 5 answers buy one retry
/// back. A refused retry is logged as an `INFO` event, `"retry refused: the retry budget is
/// spent"`, inside the call's `portone.request` span.
///
/// ```
/// use portone_core::{RetryBudget, RetryPolicy};
///
/// let policy = RetryPolicy::default().budget(RetryBudget::new(100).retry_cost(10));
/// assert_eq!(policy.retry_budget().map(RetryBudget::capacity), Some(100));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryBudget {
    capacity: u32,
    retry_cost: u32,
    timeout_retry_cost: u32,
    success_refund: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self {
            capacity: 500,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }
    }
}

impl RetryBudget {
    /// A bucket of `capacity` tokens, full at the start, with the default costs.
    #[must_use]
    pub fn new(capacity: u32) -> Self {
        Self {
            capacity,
            ..Self::default()
        }
    }

    /// The tokens a retry takes; default 5.
    #[must_use]
    pub fn retry_cost(mut self, cost: u32) -> Self {
        self.retry_cost = cost;
        self
    }

    /// The tokens a retry after a timeout takes; default 10. A timeout ties up a connection
    /// and the server's work for the whole timeout, so it is the more expensive failure.
    #[must_use]
    pub fn timeout_retry_cost(mut self, cost: u32) -> Self {
        self.timeout_retry_cost = cost;
        self
    }

    /// The tokens a first attempt answered by the server puts back; default 1.
    #[must_use]
    pub fn success_refund(mut self, refund: u32) -> Self {
        self.success_refund = refund;
        self
    }

    /// How many tokens the bucket holds when full.
    #[must_use]
    pub fn capacity(&self) -> u32 {
        self.capacity
    }
}

/// The tokens left in a client's [`RetryBudget`].
#[derive(Debug)]
pub(crate) struct Bucket {
    budget: RetryBudget,
    available: AtomicU32,
}

impl Bucket {
    pub(crate) fn new(budget: RetryBudget) -> Self {
        Self {
            budget,
            available: AtomicU32::new(budget.capacity),
        }
    }

    /// Takes the price of a retry after a timeout (`timeout`) or another failure, if the
    /// bucket holds that much; returns the price taken.
    pub(crate) fn withdraw(&self, timeout: bool) -> Result<u32, u32> {
        let cost = if timeout {
            self.budget.timeout_retry_cost
        } else {
            self.budget.retry_cost
        };
        let taken = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                available.checked_sub(cost)
            });
        if observe::ON
            && let Ok(before) = taken
        {
            observe::budget(before - cost);
        }
        taken.map(|_| cost)
    }

    /// Puts tokens back after an answer: the price of the retry that obtained it (`paid`),
    /// or the refund of a first attempt.
    pub(crate) fn deposit(&self, paid: Option<u32>) {
        let amount = paid.unwrap_or(self.budget.success_refund);
        if amount == 0 {
            return;
        }
        let capacity = self.budget.capacity;
        // A full bucket, the steady state, is only read.
        if self.available.load(Ordering::Relaxed) >= capacity {
            return;
        }
        let topped_up = |available: u32| available.saturating_add(amount).min(capacity);
        let before =
            self.available
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                    Some(topped_up(available))
                });
        if observe::ON
            && let Ok(before) = before
        {
            observe::budget(topped_up(before));
        }
    }

    #[cfg(test)]
    fn available(&self) -> u32 {
        self.available.load(Ordering::Acquire)
    }
}

/// Why an attempt brought no answer.
#[derive(Debug)]
pub(crate) enum Failure {
    /// reqwest could not send the request or read the answer.
    Http(reqwest::Error),
    /// The whole answer did not arrive within this timeout.
    Timeout(Duration),
    /// The answer, with this status, came from another URL than the one asked.
    Redirected(StatusCode),
}

impl Failure {
    pub(crate) fn is_timeout(&self) -> bool {
        match self {
            Failure::Timeout(_) => true,
            Failure::Http(e) => e.is_timeout(),
            Failure::Redirected(_) => false,
        }
    }

    /// Whether the attempt may be made again: see [`retryable_error`].
    pub(crate) fn is_retryable(&self, idempotent: bool) -> bool {
        match self {
            Failure::Http(e) => retryable_error(e, idempotent),
            Failure::Timeout(_) => idempotent,
            Failure::Redirected(_) => false,
        }
    }

    /// The caller's error, after the last attempt of a call that is `idempotent` or not.
    pub(crate) fn into_error(self, idempotent: bool) -> Error {
        match self {
            Failure::Http(source) => Error::Transport {
                outcome_unknown: !idempotent && may_have_left(&source),
                source,
            },
            Failure::Timeout(after) => Error::Timeout {
                after,
                outcome_unknown: !idempotent,
            },
            Failure::Redirected(status) => crate::envelope::unexpected(status, b"redirected"),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Http(e) => e.fmt(f),
            Failure::Timeout(after) => write!(f, "no answer within {after:?}"),
            Failure::Redirected(status) => write!(f, "redirected with {status}"),
        }
    }
}

/// Statuses that mean "the server did not handle it; try again later".
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
    )
}

/// Whether a transport error may be retried. A connect error happened before anything was
/// sent, so it is safe for every call; anything later only for idempotent ones.
pub(crate) fn retryable_error(error: &reqwest::Error, idempotent: bool) -> bool {
    if error.is_connect() {
        return true;
    }
    // A body cut short by a reset reaches us from `Response::bytes` as a decode error (the
    // client decodes JSON itself, so reqwest decodes nothing else).
    idempotent && (error.is_timeout() || error.is_request() || error.is_body() || error.is_decode())
}

/// Whether the request may have reached the server before `error`: everything but a failed
/// connection or a request that could not be built.
pub(crate) fn may_have_left(error: &reqwest::Error) -> bool {
    !(error.is_connect() || error.is_builder())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_are_capped() {
        let policy = RetryPolicy::default();
        for _ in 0..100 {
            assert!(policy.delay(1, None) <= Duration::from_millis(100));
            assert!(policy.delay(2, None) <= Duration::from_millis(200));
            assert!(policy.delay(30, None) <= Duration::from_secs(2));
        }
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(60))),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn the_bucket_pays_what_it_holds_and_never_overflows() {
        let bucket = Bucket::new(RetryBudget::new(20).retry_cost(5).timeout_retry_cost(10));
        assert_eq!(bucket.withdraw(true), Ok(10));
        assert_eq!(bucket.withdraw(false), Ok(5));
        assert_eq!(bucket.withdraw(true), Err(5), "a timeout retry needs 10");
        assert_eq!(bucket.withdraw(false), Ok(5));
        assert_eq!(bucket.withdraw(false), Err(0));
        bucket.deposit(None);
        assert_eq!(bucket.available(), 1);
        bucket.deposit(Some(10));
        assert_eq!(bucket.available(), 11);
        for _ in 0..100 {
            bucket.deposit(Some(5));
        }
        assert_eq!(bucket.available(), 20);
    }

    #[test]
    fn the_default_budget_allows_a_hundred_retries_in_a_row() {
        let bucket = Bucket::new(RetryBudget::default());
        let paid = std::iter::from_fn(|| bucket.withdraw(false).ok()).count();
        assert_eq!(paid, 100);
    }

    #[test]
    fn only_gateway_statuses_are_retried() {
        assert!(retryable_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(retryable_status(StatusCode::BAD_GATEWAY));
        assert!(retryable_status(StatusCode::GATEWAY_TIMEOUT));
        assert!(!retryable_status(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(!retryable_status(StatusCode::NOT_FOUND));
    }
}
