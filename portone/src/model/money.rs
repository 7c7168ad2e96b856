//! Money amounts as exact decimals, for `#[serde(with = "portone::model::money")]`.
//!
//! PortOne sends amounts (`amount`, `cancel_amount`, `tax_free`, `vat_amount`, ...) as JSON
//! numbers: integers for KRW, fractions for currencies with minor units. A float would turn
//! `0.1` into `0.1000000000000000055...`, so every amount is a [`Decimal`].
//!
//! Decoding accepts a JSON integer (exact, also beyond `i64`), a JSON float (read through
//! its shortest round-trip text, so `1000.5` is exactly `1000.5`) and a string such as
//! `"1000"` or `"12.50"`. Encoding writes a whole amount as a JSON integer and a fraction
//! as a JSON number, never as a string.
//!
//! serde_json reads a fractional number into an `f64` before any visitor sees it, so a
//! fraction with more than 15 significant digits may come back rounded; amounts that
//! large do not occur in payments. Integers are exact up to `u64::MAX`.
//!
//! ```
//! use portone::model::money;
//! use rust_decimal::Decimal;
//!
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Line {
//!     #[serde(with = "money")]
//!     price: Decimal,
//!     #[serde(default, with = "money::option")]
//!     discount: Option<Decimal>,
//! }
//!
//! let line: Line = serde_json::from_str(r#"{"price": 1000.5, "discount": null}"#).unwrap();
//! assert_eq!(line.price, Decimal::new(10005, 1));
//! assert_eq!(serde_json::to_string(&line).unwrap(), r#"{"price":1000.5,"discount":null}"#);
//! ```

use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::de::{Lenient, Scalar};
use super::{Currency, InvalidRequest};

/// Writes an amount as a JSON number.
///
/// # Errors
///
/// Fails only if the serializer does.
pub fn serialize<S: Serializer>(amount: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    let amount = amount.normalize();
    if amount.scale() == 0 {
        if let Some(int) = amount.to_i64() {
            return serializer.serialize_i64(int);
        }
        if let Some(int) = amount.to_u64() {
            return serializer.serialize_u64(int);
        }
    }
    let text = amount.to_string();
    // An f64 is written by serde_json with its shortest round-trip text, so it is exact
    // whenever that text is the decimal's own.
    if let Ok(float) = text.parse::<f64>()
        && float.is_finite()
        && float.to_string() == text
    {
        return serializer.serialize_f64(float);
    }
    // More digits than an f64 holds: hand serde_json the exact number text.
    match serde_json::value::RawValue::from_string(text) {
        Ok(raw) => raw.serialize(serializer),
        Err(error) => Err(serde::ser::Error::custom(error)),
    }
}

/// Reads an amount from a JSON integer, float or numeric string.
///
/// # Errors
///
/// Fails on `null`, `""`, non-numeric text, and numbers outside [`Decimal`]'s range.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    let scalar = Scalar::deserialize(deserializer)?;
    let found = match &scalar {
        Scalar::Null => "null",
        _ => "nothing",
    };
    <Decimal as Lenient>::read(scalar)
        .map_err(de::Error::custom)?
        .ok_or_else(|| de::Error::custom(format_args!("expected an amount, found {found}")))
}

/// The same for `Option<Decimal>`: `null`, an absent field (with `#[serde(default)]`),
/// `""` and `false` are `None`; `None` is written as `null`.
pub mod option {
    use rust_decimal::Decimal;
    use serde::{Deserializer, Serializer};

    /// Writes `Some` as a JSON number and `None` as `null`.
    ///
    /// # Errors
    ///
    /// Fails only if the serializer does.
    pub fn serialize<S: Serializer>(
        amount: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match amount {
            Some(amount) => super::serialize(amount, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads an optional amount.
    ///
    /// # Errors
    ///
    /// Fails on non-numeric text and numbers outside [`Decimal`]'s range.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        crate::model::de::lenient(deserializer)
    }
}

/// Refuses an amount with more decimal places than `currency` has (₩1,000.5): `None` is
/// KRW, PortOne's default. A currency this version does not know is not checked.
pub(crate) fn check_places(
    currency: Option<&Currency>,
    amounts: &[(&'static str, Option<Decimal>)],
) -> Result<(), InvalidRequest> {
    let currency = currency.unwrap_or(&Currency::Krw);
    let Some((code, places)) = currency.minor_units() else {
        return Ok(());
    };
    for &(field, amount) in amounts {
        if amount.is_some_and(|amount| amount.normalize().scale() > places) {
            return Err(InvalidRequest::FractionalAmount {
                field,
                currency: code,
                places,
            });
        }
    }
    Ok(())
}

/// `Serialize` for a request type derived with `#[serde(remote = "Self")]`: its amounts are
/// checked against its currency first ([`check_places`]), so that ₩1,000.5 is refused
/// when the request is built, before anything is sent.
///
/// `checked_amounts!(Type, |request| currency, ["amount" => Some(request.amount), ..])`,
/// where `currency` is an `Option<&Currency>` (`None`: KRW).
macro_rules! checked_amounts {
    ($ty:ty, |$this:ident| $currency:expr, [$($field:literal => $value:expr),* $(,)?]) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let $this = self;
                $crate::model::money::check_places($currency, &[$(($field, $value)),*])
                    .map_err(::serde::ser::Error::custom)?;
                // The inherent `serialize` that `#[serde(remote = "Self")]` derives.
                <$ty>::serialize(self, serializer)
            }
        }
    };
}

pub(crate) use checked_amounts;

/// Parses an amount's text exactly (`"1000"`, `" 12.50 "`, `"1e3"`).
pub(crate) fn parse_text(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|_| format!("`{text}` is not an amount"))
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Serialize};
    use std::str::FromStr;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Amounts {
        #[serde(with = "super")]
        amount: Decimal,
        #[serde(default, with = "super::option")]
        tax_free: Option<Decimal>,
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_default()
    }

    fn decode(json: &str) -> Result<Amounts, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn decodes_integers_floats_and_strings_exactly() -> Result<(), serde_json::Error> {
        assert_eq!(decode(r#"{"amount": 1000}"#)?.amount, dec("1000"));
        assert_eq!(decode(r#"{"amount": 1000.5}"#)?.amount, dec("1000.5"));
        assert_eq!(decode(r#"{"amount": 0.1}"#)?.amount, dec("0.1"));
        assert_eq!(decode(r#"{"amount": "1000"}"#)?.amount, dec("1000"));
        assert_eq!(decode(r#"{"amount": " 12.50 "}"#)?.amount, dec("12.50"));
        assert_eq!(
            decode(r#"{"amount": 18446744073709551615}"#)?.amount,
            dec("18446744073709551615")
        );
        assert_eq!(decode(r#"{"amount": -5}"#)?.amount, dec("-5"));
        Ok(())
    }

    #[test]
    fn optional_amounts_accept_null_absent_and_empty() -> Result<(), serde_json::Error> {
        assert_eq!(decode(r#"{"amount": 1}"#)?.tax_free, None);
        assert_eq!(decode(r#"{"amount": 1, "tax_free": null}"#)?.tax_free, None);
        assert_eq!(decode(r#"{"amount": 1, "tax_free": ""}"#)?.tax_free, None);
        assert_eq!(
            decode(r#"{"amount": 1, "tax_free": 0.5}"#)?.tax_free,
            Some(dec("0.5"))
        );
        Ok(())
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        assert!(decode(r#"{"amount": null}"#).is_err());
        assert!(decode(r#"{"amount": ""}"#).is_err());
        assert!(decode(r#"{"amount": "ten"}"#).is_err());
        assert!(decode(r#"{"amount": true}"#).is_err());
        assert!(decode(r#"{"amount": 1e300}"#).is_err());
        assert!(decode(r#"{"amount": 1, "tax_free": "x"}"#).is_err());
    }

    #[test]
    fn encodes_numbers_never_strings() -> Result<(), serde_json::Error> {
        let encode = |amount: &str, tax_free: Option<&str>| {
            serde_json::to_string(&Amounts {
                amount: dec(amount),
                tax_free: tax_free.map(dec),
            })
        };
        assert_eq!(encode("1000", None)?, r#"{"amount":1000,"tax_free":null}"#);
        assert_eq!(
            encode("1000.00", None)?,
            r#"{"amount":1000,"tax_free":null}"#
        );
        assert_eq!(
            encode("1000.5", Some("0.1"))?,
            r#"{"amount":1000.5,"tax_free":0.1}"#
        );
        assert_eq!(
            encode("18446744073709551615", None)?,
            r#"{"amount":18446744073709551615,"tax_free":null}"#
        );
        assert_eq!(
            encode("79228162514264337593543950335", None)?,
            r#"{"amount":79228162514264337593543950335,"tax_free":null}"#
        );
        assert_eq!(
            encode("1234567890123456789.123456789", None)?,
            r#"{"amount":1234567890123456789.123456789,"tax_free":null}"#
        );
        assert_eq!(
            encode("-0.25", None)?,
            r#"{"amount":-0.25,"tax_free":null}"#
        );
        Ok(())
    }

    #[test]
    fn a_fraction_is_refused_where_the_currency_has_none() {
        use crate::model::{AgainPayment, CancelPayment, CreateVbank, Currency, PreparePayment};

        let again = |amount: &str| AgainPayment::new("c", "m", dec(amount), "n");
        // KRW is the default: whole won only, however the amount is written.
        assert!(serde_json::to_value(again("1000")).is_ok());
        assert!(serde_json::to_value(again("1000.00")).is_ok());
        let err = serde_json::to_value(again("1000.5"))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("`amount` has a fraction, but KRW has no minor units")
        );
        let err = serde_json::to_value(again("1000").tax_free(dec("0.5"))).err();
        assert!(err.is_some_and(|e| e.to_string().contains("`tax_free`")));
        // Currencies with minor units take them, and no more.
        assert!(serde_json::to_value(again("10.50").currency(Currency::Usd)).is_ok());
        assert!(serde_json::to_value(again("10.505").currency(Currency::Usd)).is_err());
        assert!(serde_json::to_value(again("100.5").currency(Currency::Jpy)).is_err());
        // A currency this version does not know is PortOne's to judge.
        assert!(serde_json::to_value(again("10.505").currency("KWD")).is_ok());
        assert!(serde_json::to_value(PreparePayment::new("m", dec("9.9"))).is_err());
        // A refund is checked against the currency the caller names (KRW unless named), which
        // is not sent.
        let refund = CancelPayment::partial_by_imp_uid("imp_1", dec("0.5")).ok();
        assert!(
            refund
                .as_ref()
                .is_some_and(|r| serde_json::to_value(r).is_err())
        );
        let usd = refund.map(|r| serde_json::to_value(r.currency(Currency::Usd)));
        assert!(usd.as_ref().is_some_and(Result::is_ok));
        assert!(usd.is_some_and(|v| v.ok().is_some_and(|v| v.get("currency").is_none())));
        // Virtual accounts are in KRW.
        let vbank = CreateVbank::new("channel", "m", dec("1000.1"), "004", 1);
        assert!(serde_json::to_value(vbank).is_err());
    }

    #[test]
    fn round_trips_through_json_text() -> Result<(), serde_json::Error> {
        for text in ["0", "0.1", "1000.5", "12345678.99", "9007199254740993"] {
            let value = Amounts {
                amount: dec(text),
                tax_free: Some(dec(text)),
            };
            let back = decode(&serde_json::to_string(&value)?)?;
            assert_eq!(back, value, "{text}");
        }
        Ok(())
    }
}
