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
    fn sub_second_advances_accumulate() {
        let mut c = Clock::new(true);
        let t = c.now_ms();
        c.advance(Duration::from_millis(600));
        c.advance(Duration::from_millis(600));
        assert_eq!(c.now_ms(), t + 1200);
    }
}
