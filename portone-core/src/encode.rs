//! Turns argument values into path segments, query pairs and header values through their
//! `Serialize` implementation, so that enums, numbers, `Option`s, sequences and structs all
//! follow one set of rules without the caller converting anything.
//!
//! The rules: a scalar (string, char, bool, number, unit enum variant, newtype around one)
//! is one value; `None` is no value; a sequence is one value per element under the same name;
//! a struct or map (at the top of a query only) is one name per field. Anything else is a
//! [`RequestError`], reported before any I/O.

use std::borrow::Cow;
use std::fmt::{self, Display};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::ser::{self, Impossible, Serialize};

use crate::error::RequestError;

/// Everything but RFC 3986 "unreserved" characters is encoded, so a value can never add a
/// `/`, `?`, `#` or `%` of its own to the path.
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Query values: the same as a segment.
pub(crate) const QUERY_VALUE: &AsciiSet = SEGMENT;

/// Query names keep PHP's array brackets readable (`imp_uid[]=a`), as PortOne's own SDKs
/// send them.
pub(crate) const QUERY_KEY: &AsciiSet = &SEGMENT.remove(b'[').remove(b']');

/// Whether `byte` stays as it is in a segment or query value (RFC 3986 "unreserved").
fn unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Whether `byte` stays as it is in a query name: unreserved, or PHP's array brackets.
fn key_byte(byte: u8) -> bool {
    unreserved(byte) || matches!(byte, b'[' | b']')
}

/// Appends `text` percent-encoded with `set`; text that needs no encoding (most of it:
/// ids, enum values, names) is copied in one go instead of chunk by chunk.
fn push_encoded(out: &mut String, text: &str, set: &'static AsciiSet, keep: fn(u8) -> bool) {
    if text.bytes().all(keep) {
        out.push_str(text);
    } else {
        out.extend(utf8_percent_encode(text, set));
    }
}

/// Appends `"/" + value` to `path`, the value percent-encoded as exactly one segment.
/// Returns `Ok(false)` when the value was `None` (nothing appended).
pub(crate) fn segment<T: Serialize + ?Sized>(
    route: &'static str,
    path: &mut String,
    value: &T,
) -> Result<bool, RequestError> {
    let mut wrote = false;
    let mut sink = |_: &Key, text: &str| {
        if let Some(dots) = dot_or_empty(text) {
            return Err(RequestError::DotOrEmptySegment { route, value: dots });
        }
        path.push('/');
        push_encoded(path, text, SEGMENT, unreserved);
        wrote = true;
        Ok(())
    };
    value.serialize(Encoder::scalar(&Cow::Borrowed("path"), &mut sink))?;
    Ok(wrote)
}

/// `""`, `"."` and `".."` would vanish or climb a level once in a URL: the `url` crate (and
/// every server) resolves them, so `/payments/..` would silently become `/`.
fn dot_or_empty(text: &str) -> Option<&'static str> {
    match text {
        "" => Some(""),
        "." => Some("."),
        ".." => Some(".."),
        _ => None,
    }
}

/// Appends the query pairs of `value` under `name` (see the module docs) to `out`, encoded;
/// the query of `out` starts at `start` (the first pair writes the `?`).
pub(crate) fn query<T: Serialize + ?Sized>(
    name: &'static str,
    out: &mut String,
    start: usize,
    value: &T,
) -> Result<(), RequestError> {
    let mut sink = |key: &Key, text: &str| {
        out.push(if out.len() == start { '?' } else { '&' });
        push_encoded(out, key, QUERY_KEY, key_byte);
        out.push('=');
        push_encoded(out, text, QUERY_VALUE, unreserved);
        Ok(())
    };
    value.serialize(Encoder {
        key: &Cow::Borrowed(name),
        level: Level::Top,
        sink: &mut sink,
    })?;
    Ok(())
}

/// The scalar text of a header value, or `None`.
pub(crate) fn scalar<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<Option<String>, RequestError> {
    let mut text = None;
    let mut sink = |_: &Key, t: &str| {
        text = Some(t.to_owned());
        Ok(())
    };
    value.serialize(Encoder::scalar(&Cow::Borrowed(name), &mut sink))?;
    Ok(text)
}

type Key = Cow<'static, str>;
type Sink<'a> = dyn FnMut(&Key, &str) -> Result<(), RequestError> + 'a;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    /// A query argument: may be a struct or map of fields, or a sequence.
    Top,
    /// A field of a query struct: may be a sequence.
    Field,
    /// One value only.
    Scalar,
}

struct Encoder<'k, 's, 'a> {
    key: &'k Key,
    level: Level,
    sink: &'s mut Sink<'a>,
}

impl<'k, 's, 'a> Encoder<'k, 's, 'a> {
    fn scalar(key: &'k Key, sink: &'s mut Sink<'a>) -> Self {
        Self {
            key,
            level: Level::Scalar,
            sink,
        }
    }

    fn emit(self, text: &str) -> Result<(), RequestError> {
        (self.sink)(self.key, text)
    }

    fn not_scalar(&self, found: &'static str) -> RequestError {
        RequestError::NotAScalar {
            name: self.key.to_string(),
            found,
        }
    }
}

/// serde wants its own error type; it carries a [`RequestError`] through.
#[derive(Debug)]
pub(crate) struct EncodeError(RequestError);

impl Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Display::fmt(&self.0, f)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: Display>(msg: T) -> Self {
        EncodeError(RequestError::Serialize(msg.to_string()))
    }
}

impl From<RequestError> for EncodeError {
    fn from(e: RequestError) -> Self {
        EncodeError(e)
    }
}

impl From<EncodeError> for RequestError {
    fn from(e: EncodeError) -> Self {
        e.0
    }
}

/// Numbers are formatted on the stack; only a float too long for it (`1e300`) allocates.
struct StackText {
    buf: [u8; 48],
    len: usize,
}

impl fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn with_text<R>(value: impl Display, f: impl FnOnce(&str) -> R) -> R {
    let mut stack = StackText {
        buf: [0; 48],
        len: 0,
    };
    if fmt::Write::write_fmt(&mut stack, format_args!("{value}")).is_ok()
        && let Ok(text) = std::str::from_utf8(&stack.buf[..stack.len])
    {
        return f(text);
    }
    f(&value.to_string())
}

macro_rules! display_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, v: $ty) -> Result<(), EncodeError> {
                Ok(with_text(v, |text| self.emit(text))?)
            }
        )*
    };
}

impl<'k, 's, 'a> ser::Serializer for Encoder<'k, 's, 'a> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = Seq<'k, 's, 'a>;
    type SerializeTuple = Seq<'k, 's, 'a>;
    type SerializeTupleStruct = Impossible<(), EncodeError>;
    type SerializeTupleVariant = Impossible<(), EncodeError>;
    type SerializeMap = Fields<'s, 'a>;
    type SerializeStruct = Fields<'s, 'a>;
    type SerializeStructVariant = Impossible<(), EncodeError>;

    display_scalars! {
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128, serialize_f32: f32, serialize_f64: f64,
    }

    fn serialize_bool(self, v: bool) -> Result<(), EncodeError> {
        Ok(self.emit(if v { "true" } else { "false" })?)
    }

    fn serialize_char(self, v: char) -> Result<(), EncodeError> {
        Ok(self.emit(v.encode_utf8(&mut [0; 4]))?)
    }

    fn serialize_str(self, v: &str) -> Result<(), EncodeError> {
        Ok(self.emit(v)?)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), EncodeError> {
        Err(self.not_scalar("bytes").into())
    }

    fn serialize_none(self) -> Result<(), EncodeError> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), EncodeError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), EncodeError> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), EncodeError> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), EncodeError> {
        Ok(self.emit(variant)?)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), EncodeError> {
        Err(self.not_scalar("an enum variant with data").into())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, EncodeError> {
        if self.level == Level::Scalar {
            return Err(self.not_scalar("a sequence").into());
        }
        Ok(Seq {
            key: self.key,
            sink: self.sink,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, EncodeError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, EncodeError> {
        Err(self.not_scalar("a tuple struct").into())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, EncodeError> {
        Err(self.not_scalar("an enum variant with data").into())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, EncodeError> {
        if self.level != Level::Top {
            return Err(self.not_scalar("a map").into());
        }
        Ok(Fields {
            sink: self.sink,
            pending: None,
        })
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, EncodeError> {
        if self.level != Level::Top {
            return Err(self.not_scalar("a struct").into());
        }
        Ok(Fields {
            sink: self.sink,
            pending: None,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, EncodeError> {
        Err(self.not_scalar("an enum variant with data").into())
    }
}

/// The elements of a sequence: each one value under the sequence's name.
pub(crate) struct Seq<'k, 's, 'a> {
    key: &'k Key,
    sink: &'s mut Sink<'a>,
}

impl ser::SerializeSeq for Seq<'_, '_, '_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        value.serialize(Encoder::scalar(self.key, self.sink))
    }

    fn end(self) -> Result<(), EncodeError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Seq<'_, '_, '_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), EncodeError> {
        Ok(())
    }
}

/// The fields of a struct or map given as one query argument.
pub(crate) struct Fields<'s, 'a> {
    sink: &'s mut Sink<'a>,
    pending: Option<Key>,
}

impl Fields<'_, '_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: Key, value: &T) -> Result<(), EncodeError> {
        value.serialize(Encoder {
            key: &key,
            level: Level::Field,
            sink: self.sink,
        })
    }
}

impl ser::SerializeStruct for Fields<'_, '_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        self.field(Cow::Borrowed(key), value)
    }

    fn end(self) -> Result<(), EncodeError> {
        Ok(())
    }
}

impl ser::SerializeMap for Fields<'_, '_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), EncodeError> {
        let mut name = None;
        let mut sink = |_: &Key, text: &str| {
            name = Some(text.to_owned());
            Ok(())
        };
        key.serialize(Encoder::scalar(&Cow::Borrowed("map key"), &mut sink))?;
        let name = name.ok_or_else(|| RequestError::NotAScalar {
            name: "map key".to_owned(),
            found: "none",
        })?;
        self.pending = Some(Cow::Owned(name));
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        let key = self
            .pending
            .take()
            .ok_or_else(|| <EncodeError as ser::Error>::custom("map value without a key"))?;
        self.field(key, value)
    }

    fn end(self) -> Result<(), EncodeError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    fn pairs<T: Serialize + ?Sized>(name: &'static str, v: &T) -> Vec<(String, String)> {
        let mut out = String::new();
        query(name, &mut out, 0, v).unwrap_or_else(|e| panic!("{e}"));
        let out = out.trim_start_matches('?');
        let decode = |t: &str| {
            percent_encoding::percent_decode_str(t)
                .decode_utf8_lossy()
                .into_owned()
        };
        out.split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(k), decode(v))
            })
            .collect()
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[derive(Serialize)]
    #[serde(rename_all = "lowercase")]
    enum Status {
        Paid,
    }

    #[derive(Serialize)]
    struct Filter<'a> {
        page: u32,
        limit: Option<u32>,
        #[serde(rename = "imp_uid[]")]
        ids: &'a [&'a str],
        status: Status,
    }

    #[test]
    fn scalars_options_and_sequences() {
        assert_eq!(pairs("a", "x y"), vec![p("a", "x y")]);
        assert_eq!(pairs("a", &Some(true)), vec![p("a", "true")]);
        assert_eq!(pairs("a", &None::<u8>), vec![]);
        assert_eq!(pairs("a", &1.5f64), vec![p("a", "1.5")]);
        assert_eq!(pairs("s", &Status::Paid), vec![p("s", "paid")]);
        assert_eq!(
            pairs("imp_uid[]", &["a", "b"]),
            vec![p("imp_uid[]", "a"), p("imp_uid[]", "b")]
        );
        assert_eq!(
            pairs("x", &vec![Some(1), None, Some(3)]),
            vec![p("x", "1"), p("x", "3")]
        );
    }

    #[test]
    fn struct_fields_become_pairs_in_order() {
        let f = Filter {
            page: 2,
            limit: None,
            ids: &["a", "b"],
            status: Status::Paid,
        };
        assert_eq!(
            pairs("ignored", &f),
            vec![
                p("page", "2"),
                p("imp_uid[]", "a"),
                p("imp_uid[]", "b"),
                p("status", "paid")
            ]
        );
        let mut m = BTreeMap::new();
        m.insert("k", "v");
        assert_eq!(pairs("ignored", &m), vec![p("k", "v")]);
    }

    #[test]
    fn the_fast_paths_agree_with_the_encode_sets() {
        for byte in 0u8..=127 {
            let text = char::from(byte).to_string();
            let plain = |set| utf8_percent_encode(&text, set).to_string() == text;
            assert_eq!(unreserved(byte), plain(SEGMENT), "{byte}");
            assert_eq!(unreserved(byte), plain(QUERY_VALUE), "{byte}");
            assert_eq!(key_byte(byte), plain(QUERY_KEY), "{byte}");
        }
        for byte in 128u8..=255 {
            assert!(!unreserved(byte) && !key_byte(byte));
        }
    }

    #[test]
    fn nesting_is_refused() {
        let mut out = String::new();
        assert!(query("x", &mut out, 0, &[["a"]]).is_err());
        assert!(query("x", &mut out, 0, &[BTreeMap::from([("k", "v")])]).is_err());
        assert!(scalar("h", &["a"]).is_err());
    }

    #[test]
    fn segments_are_one_encoded_segment() {
        let cases = [
            ("a/b", "/a%2Fb"),
            ("?#", "/%3F%23"),
            ("a b", "/a%20b"),
            ("결제", "/%EA%B2%B0%EC%A0%9C"),
            ("...", "/..."),
            ("%2e%2e", "/%252e%252e"),
        ];
        for (value, want) in cases {
            let mut path = String::new();
            assert!(segment("/t/<v>", &mut path, value).unwrap_or_else(|e| panic!("{e}")));
            assert_eq!(path, want);
        }
        for bad in ["", ".", ".."] {
            let mut path = String::new();
            assert!(matches!(
                segment("/t/<v>", &mut path, bad),
                Err(RequestError::DotOrEmptySegment { .. })
            ));
            assert!(path.is_empty());
        }
        let mut path = String::new();
        assert_eq!(segment("/t", &mut path, &None::<&str>).ok(), Some(false));
        assert_eq!(segment("/t", &mut path, &Some(7)).ok(), Some(true));
        assert_eq!(path, "/7");
    }

    #[test]
    fn query_string_keeps_brackets_and_encodes_values() {
        let mut out = String::new();
        let result = query("imp_uid[]", &mut out, 0, &["a&b"])
            .and_then(|()| query("none", &mut out, 0, &None::<u8>))
            .and_then(|()| query("q", &mut out, 0, "가 +"))
            .and_then(|()| query("n", &mut out, 0, &-12.5f64));
        assert!(result.is_ok());
        assert_eq!(out, "?imp_uid[]=a%26b&q=%EA%B0%80%20%2B&n=-12.5");
    }
}
