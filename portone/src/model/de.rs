//! Lenient decoding helpers for what real PortOne payloads do beyond the spec:
//! `null` where a list or flag is expected, `""` where others send `null`, codes sent as
//! numbers, and `custom_data` sometimes arriving as an object instead of a JSON string.

use std::fmt;

use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer};

/// `null` (or, with `#[serde(default)]`, an absent field) becomes `T::default()`.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// A scalar read as text: strings as they are, integers and booleans printed.
pub(crate) struct Token(pub(crate) Option<String>);

struct TokenVisitor;

impl Visitor<'_> for TokenVisitor {
    type Value = Token;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Token, E> {
        Ok(Token(Some(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Token, E> {
        Ok(Token(Some(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Token, E> {
        Ok(Token(Some(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Token, E> {
        Ok(Token(Some(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Token, E> {
        Ok(Token(Some(v.to_string())))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Token, E> {
        Ok(Token(Some(v.to_string())))
    }

    fn visit_none<E: de::Error>(self) -> Result<Token, E> {
        Ok(Token(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Token, E> {
        Ok(Token(None))
    }
}

impl<'de> Deserialize<'de> for Token {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TokenVisitor)
    }
}

/// Reads a required open-enum value (string or number) as text.
pub(crate) fn token<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Token::deserialize(deserializer)?
        .0
        .ok_or_else(|| de::Error::custom("expected a string, found null"))
}

/// `Option<T>` for open enums: `null`, `""` and an absent field are `None`.
pub(crate) fn non_empty<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    let Token(text) = Token::deserialize(deserializer)?;
    Ok(text.filter(|text| !text.is_empty()).map(T::from))
}

/// `Option<String>` for codes that some PGs send as numbers (`apply_num`, `card_code`...).
/// `""` stays `Some("")`: it is what PortOne sent.
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Token::deserialize(deserializer).map(|token| token.0)
}

/// `custom_data` and `bypass`: a JSON string holding JSON, kept as the raw text. Some
/// payloads carry the object itself; it is kept as its JSON text so the typed accessor
/// reads both the same way.
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

/// `Option<T>` for numbers that some payloads send as strings: `null`, `""` and an absent
/// field are `None`.
pub(crate) fn lenient_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
{
    let Token(text) = Token::deserialize(deserializer)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format_args!("`{text}` is not a whole number"))),
    }
}
