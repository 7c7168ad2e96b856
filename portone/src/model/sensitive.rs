//! A wrapper that keeps secrets and personal identifiers out of `Debug` output.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that must never reach logs: card numbers, expiry dates, birth dates, card
/// passwords, CVCs, one-time codes, resident numbers and identity keys.
///
/// `Debug` prints `[redacted]` and there is no `Display`. Serialization is transparent:
/// the request body sent to PortOne carries the real value.
///
/// ```
/// use portone::model::Sensitive;
///
/// let cvc = Sensitive::new(String::from("123"));
/// assert_eq!(format!("{cvc:?}"), "[redacted]");
/// assert_eq!(cvc.expose(), "123");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a value.
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// Borrows the secret value. Call this only where the value is really needed.
    pub const fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Sensitive<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::Sensitive;

    #[test]
    fn debug_hides_the_value_even_nested() {
        let value: Option<Sensitive<String>> = Some("4111-1111-1111-1111".into());
        let printed = format!("{value:?} {value:#?}");
        assert!(!printed.contains("4111"), "{printed}");
        assert!(printed.contains("[redacted]"));
    }

    #[test]
    fn serde_is_transparent() {
        let value = Sensitive::from("12");
        assert_eq!(
            serde_json::to_string(&value).ok().as_deref(),
            Some("\"12\"")
        );
        let back: Result<Sensitive<String>, _> = serde_json::from_str("\"12\"");
        assert_eq!(back.ok(), Some(value));
    }
}
