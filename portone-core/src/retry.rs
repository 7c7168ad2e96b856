//! When a call is sent again, and how long to wait first.
//!
//! V1 has no idempotency key: a POST that may have reached the server (a timeout, a reset
//! after sending) is never re-sent, because it may have moved money. Idempotent calls are
//! re-sent on connect errors, timeouts, resets, 502, 503 and 504; every call is re-sent when
//! the connection failed before the request left.

use std::time::Duration;

use reqwest::StatusCode;

/// How often and how patiently failed calls are retried.
///
/// The default retries twice, waiting a random time up to 100 ms, then up to 200 ms
/// ("full jitter"), capped at 2 s; a `Retry-After` from the server is honoured up to the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
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

    /// How many retries follow the first attempt.
    #[must_use]
    pub fn max_retries(&self) -> u32 {
        self.max_retries
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
    fn only_gateway_statuses_are_retried() {
        assert!(retryable_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(retryable_status(StatusCode::BAD_GATEWAY));
        assert!(retryable_status(StatusCode::GATEWAY_TIMEOUT));
        assert!(!retryable_status(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(!retryable_status(StatusCode::NOT_FOUND));
    }
}
