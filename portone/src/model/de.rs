//! Lenient decoding of what PortOne really sends.
//!
//! One mechanism for every response field that holds a single value: [`lenient`] reads the
//! JSON scalar once ([`Scalar`]) and the field's type says what it makes of it
//! ([`Lenient`]). The rules are the same everywhere:
//!
//! - an absent field and `null` read as the type's [`Lenient::absent`] value (`None`, zero,
//!   `false`, an empty string, KRW for a currency, `Other("")` for another enum);
//! - `""` and PHP's `false` where a number, an amount, a timestamp or an enum is expected
//!   read as absent too (`previous: false` on a page means "no previous page"), and so
//!   does a `0` timestamp (PortOne's "not yet": `paid_at: 0` is `None`);
//! - numbers that arrive as strings (`"0"`, `"1000"`, `"1.5"`) read as numbers, amounts into
//!   an exact [`Decimal`], and codes that arrive as numbers read as text;
//! - a value that is present but means nothing for the type (`"ten"` for an amount, `1.5`
//!   for a timestamp, an object for a name) is an error naming the field, never a silent
//!   default: an amount read wrong moves money wrong.
//!
//! Containers follow the same spirit: [`list`] reads `null`, `""`, `false` and `{}` as an
//! empty list and [`object`] reads `null`, `""`, `false` and `[]` (PHP's empty array) as
//! no object. `custom_data` may arrive as a JSON string or as the object itself
//! ([`json_text`]).
//!
//! A response type says the rule once, `#[serde_with::apply(_ => #[serde(default = "absent",
//! deserialize_with = "lenient")])]`, and marks `#[serde_with(skip_apply)]` the fields that
//! read otherwise (the ids it cannot do without, lists, objects, JSON text).

use std::fmt;
use std::marker::PhantomData;

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Sensitive, UnixTime};

/// A JSON scalar as it arrived, before the field's type reads it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer, exact.
    Int(i128),
    /// A number with a fraction or an exponent.
    Float(f64),
    /// A string.
    Text(String),
}

impl Scalar {
    /// The value as text, for types that read text: integers exactly, floats by their
    /// shortest round-trip text (`1000.5` stays `1000.5`), booleans as `true`/`false`.
    fn into_text(self) -> Option<String> {
        match self {
            Self::Null => None,
            Self::Bool(value) => Some(value.to_string()),
            Self::Int(value) => Some(value.to_string()),
            Self::Float(value) => Some(value.to_string()),
            Self::Text(text) => Some(text),
        }
    }

    /// `null`, `""` (or blank) and `false`: nothing, where a number or an enum is expected.
    fn is_nothing(&self) -> bool {
        match self {
            Self::Null | Self::Bool(false) => true,
            Self::Text(text) => text.trim().is_empty(),
            Self::Bool(true) | Self::Int(_) | Self::Float(_) => false,
        }
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number, a boolean or null")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Scalar, E> {
        Ok(Scalar::Int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Scalar, E> {
        // Beyond i128 no field can hold it; the text lets the type say so.
        Ok(i128::try_from(v).map_or_else(|_| Scalar::Text(v.to_string()), Scalar::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A response field type that reads leniently from a JSON scalar.
pub(crate) trait Lenient: Sized {
    /// The value of an absent field, of `null`, and of `""`/`false` where the type holds a
    /// number or an enum.
    fn absent() -> Self;

    /// Reads a value that is not `null`. `Ok(None)` means "nothing here" and becomes
    /// [`absent`](Lenient::absent); `Err` says why the value cannot be this type.
    fn read(scalar: Scalar) -> Result<Option<Self>, String>;
}

/// `#[serde(deserialize_with = "lenient")]`: reads any [`Lenient`] field.
pub(crate) fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    match Scalar::deserialize(deserializer)? {
        Scalar::Null => Ok(T::absent()),
        scalar => T::read(scalar)
            .map(|value| value.unwrap_or_else(T::absent))
            .map_err(de::Error::custom),
    }
}

/// `#[serde(default = "absent")]`: the value of a [`Lenient`] field that is not there.
pub(crate) fn absent<T: Lenient>() -> T {
    T::absent()
}

impl<T: Lenient> Lenient for Option<T> {
    fn absent() -> Self {
        None
    }

    fn read(scalar: Scalar) -> Result<Option<Self>, String> {
        T::read(scalar).map(|value| value.map(Some))
    }
}

impl<T: Lenient> Lenient for Sensitive<T> {
    fn absent() -> Self {
        Sensitive::new(T::absent())
    }

    fn read(scalar: Scalar) -> Result<Option<Self>, String> {
        // The value is a secret: the error must not repeat it.
        T::read(scalar)
            .map(|value| value.map(Sensitive::new))
            .map_err(|_| "the value has an unexpected form".to_owned())
    }
}

/// Text as sent; numbers (`apply_num`, `card_code`, postcodes) become their text, and `""`
/// stays `""` because that is what PortOne sent.
impl Lenient for String {
    fn absent() -> Self {
        String::new()
    }

    fn read(scalar: Scalar) -> Result<Option<Self>, String> {
        match scalar {
            Scalar::Bool(false) => Ok(None),
            other => Ok(other.into_text()),
        }
    }
}

/// `true`/`false`, `1`/`0`, and their text forms including PHP's `"Y"`/`"N"`.
impl Lenient for bool {
    fn absent() -> Self {
        false
    }

    fn read(scalar: Scalar) -> Result<Option<Self>, String> {
        match scalar {
            Scalar::Null => Ok(None),
            Scalar::Bool(value) => Ok(Some(value)),
            Scalar::Int(0) => Ok(Some(false)),
            Scalar::Int(1) => Ok(Some(true)),
            Scalar::Text(text) => match text.trim() {
                "" => Ok(None),
                "true" | "1" | "Y" | "y" => Ok(Some(true)),
                "false" | "0" | "N" | "n" => Ok(Some(false)),
                other => Err(format!("`{other}` is not a boolean")),
            },
            Scalar::Int(other) => Err(format!("`{other}` is not a boolean")),
            Scalar::Float(other) => Err(format!("`{other}` is not a boolean")),
        }
    }
}

/// Reads a whole number from an integer, a whole float or its text.
fn whole(scalar: Scalar, what: &str) -> Result<Option<i128>, String> {
    if scalar.is_nothing() {
        return Ok(None);
    }
    match scalar {
        Scalar::Int(value) => Ok(Some(value)),
        // Some PHP paths print `1700000000.0`.
        Scalar::Float(value) if value.fract() == 0.0 && value.abs() < 1e18 =>
        {
            #[allow(clippy::cast_possible_truncation)]
            Ok(Some(value as i128))
        }
        Scalar::Text(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("`{}` is not {what}", text.trim())),
        other => Err(format!(
            "`{}` is not {what}",
            other.into_text().unwrap_or_default()
        )),
    }
}

macro_rules! lenient_integer {
    ($($ty:ty),*) => {$(
        impl Lenient for $ty {
            fn absent() -> Self {
                0
            }

            fn read(scalar: Scalar) -> Result<Option<Self>, String> {
                whole(scalar, "a whole number")?
                    .map(|value| {
                        <$ty>::try_from(value)
                            .map_err(|_| format!("{value} is out of range for this field"))
                    })
                    .transpose()
            }
        }
    )*};
}

lenient_integer!(u32, u64, i64);

/// Timestamps: `0` is nothing, as PortOne writes it for an event that has not happened
/// (`paid_at: 0`), so an `Option<UnixTime>` field reads it as `None`.
impl Lenient for UnixTime {
    fn absent() -> Self {
        UnixTime::from_secs(0)
    }

    fn read(scalar: Scalar) -> Result<Option<Self>, String> {
        whole(scalar, "a unix timestamp")?
            .filter(|secs| *secs != 0)
            .map(|secs| {
                i64::try_from(secs)
                    .map(UnixTime::from_secs)
                    .map_err(|_| format!("timestamp {secs} is out of range"))
            })
            .transpose()
    }
}

/// Amounts: exact from integers and numeric text, from floats through their shortest
/// round-trip text, so `1000.5` is exactly `1000.5`.
impl Lenient for Decimal {
    fn absent() -> Self {
        Decimal::ZERO
    }

    fn read(scalar: Scalar) -> Result<Option<Self>, String> {
        if scalar.is_nothing() {
            return Ok(None);
        }
        match scalar {
            Scalar::Int(value) => Decimal::from_i128(value)
                .map(Some)
                .ok_or_else(|| format!("amount {value} is out of range")),
            Scalar::Float(value) if !value.is_finite() => {
                Err("amount is not a finite number".to_owned())
            }
            Scalar::Float(value) => super::money::parse_text(&value.to_string()).map(Some),
            Scalar::Text(text) => super::money::parse_text(&text).map(Some),
            other => Err(format!(
                "`{}` is not an amount",
                other.into_text().unwrap_or_default()
            )),
        }
    }
}

/// Reads an open enum: `""` and `false` are nothing, anything else is kept as text (numbers
/// printed), so unknown values survive in `Other`.
pub(crate) fn read_enum<T: From<String>>(scalar: Scalar) -> Result<Option<T>, String> {
    if scalar.is_nothing() {
        return Ok(None);
    }
    Ok(scalar.into_text().map(T::from))
}

/// Reads a required enum value standalone (outside a lenient field): any scalar but `null`.
pub(crate) fn token<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Scalar::deserialize(deserializer)?
        .into_text()
        .ok_or_else(|| de::Error::custom("expected a string, found null"))
}

/// `#[serde(deserialize_with = "list")]`: a list; `null`, `""`, `false` and `{}` are empty.
pub(crate) fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(ListVisitor(PhantomData))
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
        Vec::deserialize(SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        // PHP writes an empty list as `{}` when it was built as a map.
        match map.next_key::<IgnoredAny>()? {
            None => Ok(Vec::new()),
            Some(_) => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.trim().is_empty() {
            Ok(Vec::new())
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
        if v {
            Err(E::invalid_type(de::Unexpected::Bool(v), &self))
        } else {
            Ok(Vec::new())
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// `#[serde(deserialize_with = "object")]`: an optional nested object; `null`, `""`,
/// `false` and `[]` (PHP's empty array) are `None`.
pub(crate) fn object<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(ObjectVisitor(PhantomData))
}

/// `#[serde(deserialize_with = "object_or_default")]`: a nested object the parent cannot do
/// without; what [`object`] reads as `None` is `T::default()`.
pub(crate) fn object_or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    object(deserializer).map(Option::unwrap_or_default)
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<T>, A::Error> {
        match seq.next_element::<IgnoredAny>()? {
            None => Ok(None),
            Some(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<T>, E> {
        if v {
            Err(E::invalid_type(de::Unexpected::Bool(v), &self))
        } else {
            Ok(None)
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// `custom_data` and `bypass`: a JSON string holding JSON, kept as the raw text. Some
/// payloads carry the object itself; it is kept as its JSON text so the typed accessor
/// reads both the same way. Scalars are kept as their text.
pub(crate) fn json_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    match Option::<serde_json::Value>::deserialize(deserializer)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(text)) => Ok(Some(text)),
        Some(other) => Ok(Some(other.to_string())),
    }
}

/// Decodes the JSON held in a `custom_data`-like string; `None` when there is none.
pub(crate) fn parse_json_text<T: DeserializeOwned>(
    text: Option<&str>,
) -> Option<Result<T, serde_json::Error>> {
    text.filter(|text| !text.trim().is_empty())
        .map(serde_json::from_str)
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use serde::Deserialize;

    use super::{absent, lenient, list, object};
    use crate::model::{Currency, PaymentStatus, UnixTime};

    #[derive(Debug, Default, PartialEq, Deserialize)]
    struct Inner {
        #[serde(default = "absent", deserialize_with = "lenient")]
        id: Option<String>,
    }

    #[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
    #[derive(Debug, PartialEq, Deserialize)]
    struct Row {
        name: Option<String>,
        count: u32,
        quota: Option<u32>,
        amount: Decimal,
        at: UnixTime,
        flag: bool,
        status: PaymentStatus,
        currency: Currency,
        #[serde(default, deserialize_with = "list")]
        #[serde_with(skip_apply)]
        items: Vec<u32>,
        #[serde(default, deserialize_with = "object")]
        #[serde_with(skip_apply)]
        inner: Option<Inner>,
    }

    fn row(json: &str) -> Result<Row, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn absent_null_empty_and_false_read_as_absent() -> Result<(), serde_json::Error> {
        let expected = Row {
            name: None,
            count: 0,
            quota: None,
            amount: Decimal::ZERO,
            at: UnixTime::from(0),
            flag: false,
            status: PaymentStatus::Other(String::new()),
            currency: Currency::Krw,
            items: Vec::new(),
            inner: None,
        };
        assert_eq!(row("{}")?, expected);
        let nulls = r#"{"name": null, "count": null, "quota": null, "amount": null, "at": null,
            "flag": null, "status": null, "currency": null, "items": null, "inner": null}"#;
        assert_eq!(row(nulls)?, expected);
        let blanks = r#"{"count": "", "quota": " ", "amount": "", "at": "", "flag": "",
            "status": "", "currency": "", "items": "", "inner": ""}"#;
        assert_eq!(row(blanks)?, expected);
        let php = r#"{"name": false, "count": false, "quota": false, "amount": false,
            "at": false, "status": false, "currency": false, "items": false, "inner": [],
            "flag": false}"#;
        assert_eq!(row(php)?, expected);
        assert_eq!(row(r#"{"items": {}}"#)?.items, Vec::<u32>::new());
        Ok(())
    }

    #[test]
    fn numbers_as_strings_and_codes_as_numbers() -> Result<(), serde_json::Error> {
        let row = row(
            r#"{"name": 366, "count": "7", "quota": "0", "amount": "1.5",
            "at": "1709722069", "flag": "Y", "status": "paid", "currency": "USD",
            "items": [1, 2], "inner": {"id": 9}}"#,
        )?;
        assert_eq!(row.name.as_deref(), Some("366"));
        assert_eq!((row.count, row.quota), (7, Some(0)));
        assert_eq!(row.amount, Decimal::new(15, 1));
        assert_eq!(row.at, UnixTime::from(1_709_722_069));
        assert!(row.flag);
        assert_eq!(row.status, PaymentStatus::Paid);
        assert_eq!(row.currency, Currency::Usd);
        assert_eq!(row.items, [1, 2]);
        assert_eq!(row.inner.and_then(|i| i.id).as_deref(), Some("9"));
        Ok(())
    }

    #[test]
    fn whole_floats_are_timestamps_and_fractions_stay_exact() -> Result<(), serde_json::Error> {
        let row = row(r#"{"at": 1700000000.0, "amount": 1000.5, "count": 3.0}"#)?;
        assert_eq!(row.at, UnixTime::from(1_700_000_000));
        assert_eq!(row.amount.to_string(), "1000.5");
        assert_eq!(row.count, 3);
        Ok(())
    }

    #[test]
    fn present_nonsense_is_an_error_naming_the_value() {
        for (json, needle) in [
            (r#"{"amount": "ten"}"#, "ten"),
            (r#"{"at": 1.5}"#, "1.5"),
            (r#"{"count": -1}"#, "out of range"),
            (r#"{"count": "many"}"#, "many"),
            (r#"{"flag": "maybe"}"#, "maybe"),
            (r#"{"amount": true}"#, "true"),
            (r#"{"name": {"a": 1}}"#, "a string, a number"),
            (r#"{"items": "x"}"#, "a list"),
            (r#"{"inner": [1]}"#, "an object"),
        ] {
            let error = row(json).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(error.contains(needle), "{json}: {error}");
        }
    }

    #[test]
    fn empty_strings_stay_for_text_and_unknown_enum_values_survive() -> Result<(), serde_json::Error>
    {
        let row = row(r#"{"name": "", "status": "refund_pending"}"#)?;
        assert_eq!(row.name.as_deref(), Some(""));
        assert_eq!(row.status, PaymentStatus::Other("refund_pending".into()));
        Ok(())
    }
}
