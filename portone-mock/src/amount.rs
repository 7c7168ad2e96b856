//! Money as PortOne sends it: a JSON number, an integer for KRW, fractional for other
//! currencies. Arithmetic is decimal so that a partial refund of `10.10` out of `30.30`
//! leaves exactly `20.20`.

use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Number, Value};

/// An amount of money, kept exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Amount(Decimal);

impl Amount {
    pub(crate) const ZERO: Amount = Amount(Decimal::ZERO);

    /// Reads a JSON number, or a numeric string as form-encoded bodies carry it.
    pub(crate) fn from_json(value: &Value) -> Option<Amount> {
        match value {
            Value::Number(n) => Self::from_number(n),
            Value::String(s) => Self::parse(s.trim()),
            _ => None,
        }
    }

    pub(crate) fn from_number(n: &Number) -> Option<Amount> {
        Self::parse(&n.to_string())
    }

    pub(crate) fn parse(s: &str) -> Option<Amount> {
        Decimal::from_str(s)
            .or_else(|_| Decimal::from_scientific(s))
            .ok()
            .map(|d| Amount(d.normalize()))
    }

    #[cfg(test)]
    pub(crate) fn from_i64(n: i64) -> Amount {
        Amount(Decimal::from(n))
    }

    /// The JSON form: an integer when the amount is whole (as PortOne prints KRW).
    pub(crate) fn to_json(self) -> Value {
        let d = self.0.normalize();
        if d.scale() == 0
            && let Some(i) = d.to_i64()
        {
            return Value::from(i);
        }
        d.to_f64()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number)
    }

    pub(crate) fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub(crate) fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub(crate) fn plus(self, other: Amount) -> Amount {
        Amount(self.0 + other.0)
    }

    pub(crate) fn minus(self, other: Amount) -> Amount {
        Amount(self.0 - other.0)
    }

    /// The VAT included in a taxable amount: one eleventh, rounded to a whole unit.
    pub(crate) fn vat_part(self) -> Amount {
        Amount((self.0 / Decimal::from(11)).round())
    }

    pub(crate) fn clamp_zero(self) -> Amount {
        if self.is_negative() {
            Amount::ZERO
        } else {
            self
        }
    }
}

// Written as a decimal string in state files, so that nothing is lost to a float.
impl serde::Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        let text = String::deserialize(d)?;
        Amount::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not an amount")))
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.normalize().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_amounts_print_as_integers() {
        let a = Amount::from_json(&json!(1000)).unwrap_or_default();
        assert_eq!(a.to_json(), json!(1000));
        let b = Amount::from_json(&json!("1000.00")).unwrap_or_default();
        assert_eq!(b.to_json(), json!(1000));
    }

    #[test]
    fn fractional_arithmetic_is_exact() {
        let a = Amount::from_json(&json!(30.3)).unwrap_or_default();
        let b = Amount::from_json(&json!(10.1)).unwrap_or_default();
        assert_eq!(a.minus(b).to_json(), json!(20.2));
        assert_eq!(a.minus(b).minus(b).minus(b), Amount::ZERO);
    }

    #[test]
    fn rejects_non_numbers() {
        assert!(Amount::from_json(&json!("abc")).is_none());
        assert!(Amount::from_json(&json!(null)).is_none());
        assert_eq!(
            Amount::from_json(&json!("1e3")),
            Some(Amount::from_i64(1000))
        );
    }

    #[test]
    fn saved_as_exact_decimal_strings() {
        let a = Amount::from_json(&json!(30.3)).unwrap_or_default();
        let text = serde_json::to_string(&a).unwrap_or_default();
        assert_eq!(text, r#""30.3""#);
        let back: Option<Amount> = serde_json::from_str(&text).ok();
        assert_eq!(back, Some(a));
        assert!(serde_json::from_str::<Amount>(r#""lots""#).is_err());
    }

    #[test]
    fn vat_is_one_eleventh() {
        assert_eq!(Amount::from_i64(11000).vat_part(), Amount::from_i64(1000));
    }
}
