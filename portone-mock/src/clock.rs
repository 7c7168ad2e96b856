//! The mock's clock, and the calendar in Korea (UTC+9) that card expiries and birth dates
//! are read in.
//!
//! The clock starts at real time and, unless frozen, ticks with it; tests move it forward
//! with `MockServer::advance` to expire tokens, run schedules and send webhook re-sends
//! without sleeping. One clock is shared by the state and the webhook sender: it can be
//! read and moved through a shared reference, and says on [`Clock::moved`] when it moves.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

/// Seconds Korea is ahead of UTC.
const KST: i64 = 9 * 3600;
const DAY: i64 = 86_400;

#[derive(Debug)]
pub(crate) struct Clock {
    reading: Mutex<Reading>,
    moved: watch::Sender<()>,
}

#[derive(Clone, Copy, Debug)]
struct Reading {
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

impl Reading {
    fn fresh(frozen: bool) -> Reading {
        Reading {
            offset_ms: 0,
            frozen_at_ms: frozen.then(real_ms),
        }
    }

    fn now_ms(self) -> i64 {
        self.frozen_at_ms
            .unwrap_or_else(real_ms)
            .saturating_add(self.offset_ms)
    }
}

impl Clock {
    pub(crate) fn new(frozen: bool) -> Clock {
        Clock {
            reading: Mutex::new(Reading::fresh(frozen)),
            moved: watch::Sender::new(()),
        }
    }

    fn reading(&self) -> Reading {
        *self.reading.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, reading: Reading) {
        *self.reading.lock().unwrap_or_else(PoisonError::into_inner) = reading;
        self.moved.send_replace(());
    }

    /// Goes on from a saved clock (`now_ms` and `offset_ms` when it was saved), never
    /// backwards: frozen at the saved time, or following real time with the saved offset,
    /// larger if real time is now behind the saved time.
    pub(crate) fn resume(&self, saved_now_ms: i64, saved_offset_ms: i64) {
        let reading = if self.is_frozen() {
            Reading {
                offset_ms: 0,
                frozen_at_ms: Some(saved_now_ms),
            }
        } else {
            Reading {
                offset_ms: saved_offset_ms.max(saved_now_ms.saturating_sub(real_ms())),
                frozen_at_ms: None,
            }
        };
        self.set(reading);
    }

    /// Back to real time (frozen again if it was).
    pub(crate) fn reset(&self) {
        self.set(Reading::fresh(self.is_frozen()));
    }

    /// What sets the clock apart from real time: the offset `advance` added, and where
    /// it is frozen.
    pub(crate) fn setting(&self) -> (i64, Option<i64>) {
        let r = self.reading();
        (r.offset_ms, r.frozen_at_ms)
    }

    /// What `advance` added.
    pub(crate) fn offset_ms(&self) -> i64 {
        self.reading().offset_ms
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.reading().now_ms()
    }

    /// Unix seconds on the mock clock.
    pub(crate) fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Whether the clock moves only on `advance`.
    pub(crate) fn is_frozen(&self) -> bool {
        self.reading().frozen_at_ms.is_some()
    }

    pub(crate) fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        let mut reading = self.reading();
        reading.offset_ms = reading.offset_ms.saturating_add(ms);
        self.set(reading);
    }

    /// Changes each time the clock is moved, reset or resumed.
    pub(crate) fn moved(&self) -> watch::Receiver<()> {
        self.moved.subscribe()
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Midnight in Korea of a date, as unix seconds.
pub(crate) fn kst_midnight(y: i64, m: i64, d: i64) -> i64 {
    days_from_civil(y, m, d) * DAY - KST
}

/// The year and month in Korea at unix time `now` (Howard Hinnant's `civil_from_days`).
pub(crate) fn kst_year_month(now: i64) -> (i64, i64) {
    let z = (now + KST).div_euclid(DAY) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_clock_moves_only_on_advance() {
        let c = Clock::new(true);
        let t = c.now();
        assert_eq!(c.now(), t);
        c.advance(Duration::from_secs(90));
        assert_eq!(c.now(), t + 90);
    }

    #[test]
    fn a_resumed_clock_never_goes_back() {
        let saved = real_ms() + 3_600_000;
        let frozen = Clock::new(true);
        frozen.resume(saved, 3_600_000);
        assert_eq!(frozen.now_ms(), saved);
        assert!(frozen.is_frozen());
        // Saved an hour ahead of real time: still at least there, and ticking.
        let ticking = Clock::new(false);
        ticking.resume(saved, 0);
        assert!(ticking.now_ms() >= saved);
        assert!(!ticking.is_frozen());
        // Saved in the past with a day's offset: the offset is kept.
        let day = 86_400_000;
        let kept = Clock::new(false);
        kept.resume(0, day);
        assert_eq!(kept.offset_ms(), day);
    }

    #[test]
    fn sub_second_advances_accumulate() {
        let c = Clock::new(true);
        let t = c.now_ms();
        c.advance(Duration::from_millis(600));
        c.advance(Duration::from_millis(600));
        assert_eq!(c.now_ms(), t + 1200);
    }

    #[test]
    fn moves_are_announced() {
        let c = Clock::new(true);
        let mut moved = c.moved();
        moved.borrow_and_update();
        c.advance(Duration::from_secs(1));
        assert!(moved.has_changed().unwrap_or(false));
    }

    #[test]
    fn korean_calendar() {
        // 2026-07-15 00:00 UTC.
        assert_eq!(kst_year_month(1_784_073_600), (2026, 7));
        // 2026-07-31 20:00 UTC is already August in Korea.
        assert_eq!(kst_year_month(1_785_528_000), (2026, 8));
        assert_eq!(kst_year_month(951_782_400), (2000, 2));
        // The danal fixture: 1990-01-01 → 631119600.
        assert_eq!(kst_midnight(1990, 1, 1), 631_119_600);
    }
}
