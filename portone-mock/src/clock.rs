//! The mock's clock. It starts at real time and, unless frozen, ticks with it; tests move it
//! forward with `MockServer::advance` to expire tokens and run schedules without sleeping.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug)]
pub(crate) struct Clock {
    /// Milliseconds added to the base time by `advance`.
    offset_ms: i64,
    /// `Some(ms)` when the clock is frozen at that real time.
    frozen_at_ms: Option<i64>,
}

fn real_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Clock {
    pub(crate) fn new(frozen: bool) -> Clock {
        Clock {
            offset_ms: 0,
            frozen_at_ms: frozen.then(real_ms),
        }
    }

    /// A clock that goes on from a saved one (`now_ms` and `offset_ms` when it was saved) and
    /// never backwards: frozen at the saved time, or following real time with the saved
    /// offset, larger if real time is now behind the saved time.
    pub(crate) fn resumed(frozen: bool, saved_now_ms: i64, saved_offset_ms: i64) -> Clock {
        if frozen {
            return Clock {
                offset_ms: 0,
                frozen_at_ms: Some(saved_now_ms),
            };
        }
        Clock {
            offset_ms: saved_offset_ms.max(saved_now_ms.saturating_sub(real_ms())),
            frozen_at_ms: None,
        }
    }

    /// What `advance` added.
    pub(crate) fn offset_ms(&self) -> i64 {
        self.offset_ms
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.frozen_at_ms
            .unwrap_or_else(real_ms)
            .saturating_add(self.offset_ms)
    }

    /// Unix seconds on the mock clock.
    pub(crate) fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Whether the clock moves only on `advance`.
    pub(crate) fn is_frozen(&self) -> bool {
        self.frozen_at_ms.is_some()
    }

    pub(crate) fn advance(&mut self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms = self.offset_ms.saturating_add(ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_clock_moves_only_on_advance() {
        let mut c = Clock::new(true);
        let t = c.now();
        assert_eq!(c.now(), t);
        c.advance(Duration::from_secs(90));
        assert_eq!(c.now(), t + 90);
    }

    #[test]
    fn a_resumed_clock_never_goes_back() {
        let saved = real_ms() + 3_600_000;
        let frozen = Clock::resumed(true, saved, 3_600_000);
        assert_eq!(frozen.now_ms(), saved);
        assert!(frozen.is_frozen());
        // Saved an hour ahead of real time: still at least there, and ticking.
        let ticking = Clock::resumed(false, saved, 0);
        assert!(ticking.now_ms() >= saved);
        assert!(!ticking.is_frozen());
        // Saved in the past with a day's offset: the offset is kept.
        let day = 86_400_000;
        let kept = Clock::resumed(false, 0, day);
        assert_eq!(kept.offset_ms(), day);
    }

    #[test]
    fn sub_second_advances_accumulate() {
        let mut c = Clock::new(true);
        let t = c.now_ms();
        c.advance(Duration::from_millis(600));
        c.advance(Duration::from_millis(600));
        assert_eq!(c.now_ms(), t + 1200);
    }
}
