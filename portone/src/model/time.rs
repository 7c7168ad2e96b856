//! Unix timestamps as PortOne sends them: integer seconds, `0` for "not yet".

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::de::{Lenient, Scalar};

/// A point in time as whole seconds since 1970-01-01T00:00:00Z.
///
/// ```
/// use portone::model::UnixTime;
///
/// let paid_at = UnixTime::from(1_709_722_069);
/// assert_eq!(paid_at.as_secs(), 1_709_722_069);
/// assert!(paid_at.to_system_time().is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UnixTime(i64);

impl UnixTime {
    /// The timestamp for `secs` seconds since the epoch.
    pub const fn from_secs(secs: i64) -> Self {
        Self(secs)
    }

    /// Seconds since the epoch.
    pub const fn as_secs(self) -> i64 {
        self.0
    }

    /// The same instant as a [`SystemTime`], or `None` where the platform cannot
    /// represent it (not on Unix, where every `i64` fits).
    pub fn to_system_time(self) -> Option<SystemTime> {
        let magnitude = Duration::from_secs(self.0.unsigned_abs());
        if self.0 >= 0 {
            UNIX_EPOCH.checked_add(magnitude)
        } else {
            UNIX_EPOCH.checked_sub(magnitude)
        }
    }
}

impl From<i64> for UnixTime {
    fn from(secs: i64) -> Self {
        Self(secs)
    }
}

impl From<UnixTime> for i64 {
    fn from(time: UnixTime) -> Self {
        time.0
    }
}

/// A [`SystemTime`] too far from the epoch to fit in `i64` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnixTimeOutOfRange;

impl fmt::Display for UnixTimeOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("time is out of range for a unix timestamp")
    }
}

impl std::error::Error for UnixTimeOutOfRange {}

impl TryFrom<SystemTime> for UnixTime {
    type Error = UnixTimeOutOfRange;

    /// Truncates to whole seconds towards the past.
    fn try_from(time: SystemTime) -> Result<Self, Self::Error> {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs())
                .map(Self)
                .map_err(|_| UnixTimeOutOfRange),
            Err(before) => {
                let before = before.duration();
                let whole = i64::try_from(before.as_secs()).map_err(|_| UnixTimeOutOfRange)?;
                let secs = if before.subsec_nanos() > 0 {
                    whole.checked_add(1).ok_or(UnixTimeOutOfRange)?
                } else {
                    whole
                };
                Ok(Self(-secs))
            }
        }
    }
}

impl Serialize for UnixTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for UnixTime {
    /// Reads seconds from an integer, a whole float or a numeric string.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <Self as Lenient>::read(Scalar::deserialize(deserializer)?)
            .map_err(de::Error::custom)?
            .ok_or_else(|| de::Error::custom("expected a unix timestamp, found nothing"))
    }
}

/// Serde module for `Option<UnixTime>` fields where PortOne writes `0` for "not yet"
/// (`paid_at`, `failed_at`, `cancelled_at`, `vbank_date`, `executed_at`, `revoked_at`...).
///
/// `0`, `null`, `""`, `false` and (with `#[serde(default)]`) an absent field decode as
/// `None`; `None` encodes as `0`, the way PortOne writes it.
///
/// ```
/// use portone::model::{UnixTime, time};
///
/// #[derive(serde::Deserialize)]
/// struct Row {
///     #[serde(default, with = "time::zero_as_none")]
///     paid_at: Option<UnixTime>,
/// }
///
/// let row: Row = serde_json::from_str(r#"{"paid_at": 0}"#).unwrap();
/// assert_eq!(row.paid_at, None);
/// ```
pub mod zero_as_none {
    use serde::{Deserializer, Serializer};

    use super::UnixTime;

    /// Writes `None` as `0`.
    ///
    /// # Errors
    ///
    /// Fails only if the serializer does.
    pub fn serialize<S: Serializer>(
        time: &Option<UnixTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(time.map_or(0, UnixTime::as_secs))
    }

    /// Reads `0`, `null`, `""` and `false` as `None`.
    ///
    /// # Errors
    ///
    /// Fails on values that are not timestamps.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<UnixTime>, D::Error> {
        let time: Option<UnixTime> = crate::model::de::lenient(deserializer)?;
        Ok(time.filter(|time| time.0 != 0))
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use serde::{Deserialize, Serialize};

    use super::{UnixTime, zero_as_none};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        started_at: UnixTime,
        #[serde(default, with = "zero_as_none")]
        paid_at: Option<UnixTime>,
    }

    fn decode(json: &str) -> Result<Row, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn zero_null_empty_and_absent_are_none() -> Result<(), serde_json::Error> {
        for json in [
            r#"{"started_at": 1, "paid_at": 0}"#,
            r#"{"started_at": 1, "paid_at": null}"#,
            r#"{"started_at": 1, "paid_at": ""}"#,
            r#"{"started_at": 1}"#,
        ] {
            assert_eq!(decode(json)?.paid_at, None, "{json}");
        }
        assert_eq!(
            decode(r#"{"started_at": 1, "paid_at": 1709722069}"#)?.paid_at,
            Some(UnixTime::from(1_709_722_069))
        );
        assert_eq!(
            decode(r#"{"started_at": "1709722022", "paid_at": "5"}"#)?,
            Row {
                started_at: UnixTime::from(1_709_722_022),
                paid_at: Some(UnixTime::from(5)),
            }
        );
        Ok(())
    }

    #[test]
    fn rejects_non_timestamps() {
        assert!(decode(r#"{"started_at": null}"#).is_err());
        assert!(decode(r#"{"started_at": 1.5}"#).is_err());
        assert!(decode(r#"{"started_at": "soon"}"#).is_err());
        assert!(decode(r#"{"started_at": 18446744073709551615}"#).is_err());
    }

    #[test]
    fn none_encodes_as_zero() -> Result<(), serde_json::Error> {
        let row = Row {
            started_at: UnixTime::from(7),
            paid_at: None,
        };
        assert_eq!(
            serde_json::to_string(&row)?,
            r#"{"started_at":7,"paid_at":0}"#
        );
        Ok(())
    }

    #[test]
    fn converts_to_and_from_system_time() {
        let time = UnixTime::from(1_000);
        assert_eq!(
            time.to_system_time(),
            Some(UNIX_EPOCH + Duration::from_secs(1_000))
        );
        assert_eq!(
            UnixTime::from(-10).to_system_time(),
            UNIX_EPOCH.checked_sub(Duration::from_secs(10))
        );
        assert_eq!(
            UnixTime::try_from(UNIX_EPOCH + Duration::from_millis(1_999)),
            Ok(UnixTime::from(1))
        );
        let before = UNIX_EPOCH.checked_sub(Duration::from_millis(1_500));
        assert_eq!(before.map(UnixTime::try_from), Some(Ok(UnixTime::from(-2))));
        assert_eq!(i64::from(time), 1_000);
    }
}
