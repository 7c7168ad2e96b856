//! Tier codes of agency sub-merchants.

use std::fmt;
use std::str::FromStr;

use reqwest::header::HeaderValue;

use crate::error::RequestError;

/// The code of an agency's sub-merchant, sent as the `Tier` header: exactly 3 characters,
/// upper-case `A-Z` or `0-9`. A `Tier` that exists is valid, so an invalid code is never sent.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Tier {
    code: [u8; 3],
    header: HeaderValue,
}

impl Tier {
    /// Checks a tier code.
    ///
    /// # Errors
    ///
    /// [`RequestError::InvalidTier`] unless `code` is exactly 3 characters of `A-Z` and `0-9`.
    pub fn new(code: &str) -> Result<Self, RequestError> {
        let bytes = code.as_bytes();
        let valid = bytes.len() == 3
            && bytes
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !valid {
            return Err(RequestError::InvalidTier(code.to_owned()));
        }
        let code = [bytes[0], bytes[1], bytes[2]];
        let header = HeaderValue::from_bytes(&code)
            .map_err(|_| RequestError::InvalidTier(code.escape_ascii().to_string()))?;
        Ok(Self { code, header })
    }

    /// The code, such as `"A1B"`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored (checked in `new`).
        std::str::from_utf8(&self.code).unwrap_or_default()
    }

    pub(crate) fn header_value(&self) -> &HeaderValue {
        &self.header
    }
}

impl FromStr for Tier {
    type Err = RequestError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Tier").field(&self.as_str()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_three_upper_alphanumerics() {
        for code in ["A1B", "000", "ZZZ"] {
            let tier = Tier::new(code).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(tier.as_str(), code);
            assert_eq!(tier.header_value().as_bytes(), code.as_bytes());
        }
    }

    #[test]
    fn refuses_everything_else() {
        for code in [
            "",
            "A1",
            "A1BC",
            "a1b",
            "A-B",
            "A B",
            "가나다",
            "A1\n",
            "ÀBC",
        ] {
            assert!(Tier::new(code).is_err(), "{code:?} accepted");
        }
    }
}
