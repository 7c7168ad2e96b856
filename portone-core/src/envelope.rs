//! PortOne's `{code, message, response}` envelope.

use reqwest::StatusCode;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer};
use serde_json::value::RawValue;

use crate::error::{ApiError, Declined, Error, RecordIds, Result, Unsettled};

/// The most of a body kept in an error for an answer that is not PortOne's.
const EXCERPT_LEN: usize = 512;

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, deserialize_with = "lenient_code")]
    code: Option<i64>,
    #[serde(default, deserialize_with = "lenient_message")]
    message: Option<String>,
    /// PortOne's docs once showed `data` in its place.
    #[serde(borrow, default, alias = "data")]
    response: Option<&'a RawValue>,
}

/// The envelope with `response` decoded straight into `T`: one pass over the body, for
/// the common case of a success.
#[derive(Deserialize)]
struct Direct<T> {
    #[serde(default, deserialize_with = "lenient_code")]
    code: Option<i64>,
    #[serde(default = "Option::default", alias = "data")]
    response: Option<T>,
}

/// Decodes a body: `code == 0` on a success status gives `response` as `T`; `code != 0` is
/// [`Error::Api`] whatever the status (PortOne refuses with HTTP 200 too); an error status
/// without an envelope is [`Error::UnexpectedResponse`].
pub(crate) fn decode<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T> {
    if status.is_success()
        && let Ok(Direct {
            code: Some(0),
            response,
        }) = serde_json::from_slice::<Direct<T>>(body)
    {
        // `null` or no `response`: only types that accept null (`()`, `Option`) fit.
        if let Some(response) = response {
            return Ok(response);
        }
        if let Ok(nothing) = serde_json::from_str("null") {
            return Ok(nothing);
        }
    }
    // Anything else takes the careful way, which says precisely what went wrong.
    decode_slowly(status, body)
}

fn decode_slowly<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T> {
    let envelope: Envelope<'_> = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(source) if status.is_success() => {
            return Err(Error::Decode {
                status,
                path: ".".to_owned(),
                source,
                record: None,
                outcome_unknown: false,
            });
        }
        Err(_) => return Err(unexpected(status, body)),
    };
    let Some(code) = envelope.code else {
        return Err(unexpected(status, body));
    };
    if code != 0 || !status.is_success() {
        let mut refusal = ApiError::new(status, code, envelope.message);
        refusal.extra = extra_fields(body);
        return Err(Error::Api(refusal));
    }
    let raw = envelope.response.map_or("null", RawValue::get);
    serde_json::from_str(raw).or_else(|first| {
        // `()` says "nothing to read": whatever PortOne put in `response` is not an error.
        T::deserialize(unit::OnlyUnit).map_err(|_| {
            // Tracking the path allocates a String per object key, so it runs only to
            // explain a failure: decoding the same text again fails at the same place.
            explain::<T>(status, raw, first)
        })
    })
}

/// Decodes the answer to a call that creates a payment, which is a success only when the
/// payment's `status` is `settles_as` (`paid` for a charge, `ready` for a virtual account).
/// A `code: 0` answer whose `response.status` is `failed` is [`Error::Declined`] (the card
/// company refused); any other status, or none, is [`Error::Unsettled`]; both whether or
/// not the payment would decode as `T`. Refusals (`code != 0`) and error statuses decode as
/// any answer does.
pub(crate) fn decode_charge<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
    settles_as: &'static str,
) -> Result<T> {
    #[derive(Deserialize)]
    struct Attempt<'a> {
        #[serde(default, deserialize_with = "lenient_code")]
        code: Option<i64>,
        #[serde(borrow, default, alias = "data")]
        response: Option<&'a RawValue>,
    }
    #[derive(Deserialize, Default)]
    struct Outcome<'a> {
        #[serde(borrow, default, deserialize_with = "lenient_status")]
        status: Option<std::borrow::Cow<'a, str>>,
        #[serde(default, deserialize_with = "lenient_message")]
        fail_reason: Option<String>,
    }
    let attempt = match serde_json::from_slice::<Attempt<'_>>(body) {
        Ok(Attempt {
            code: Some(0),
            response,
        }) if status.is_success() => response,
        _ => return decode(status, body),
    };
    let raw = attempt.map_or("null", RawValue::get);
    // Only an object carries a status (serde would also read a struct from an array).
    let outcome = if raw.trim_start().starts_with('{') {
        serde_json::from_str::<Outcome<'_>>(raw).unwrap_or_default()
    } else {
        Outcome::default()
    };
    let owned = || {
        attempt.map_or_else(
            || RawValue::from_string("null".to_owned()),
            |raw| Ok(raw.to_owned()),
        )
    };
    match outcome.status.as_deref() {
        Some(settled) if settled == settles_as => decode(status, body),
        Some("failed") => Err(Error::Declined(Box::new(Declined::new(
            status,
            record_ids(raw),
            outcome.fail_reason,
            owned().map_err(|source| charge_undecodable(status, source))?,
        )))),
        other => Err(Error::Unsettled(Box::new(Unsettled::new(
            status,
            record_ids(raw),
            other.map(str::to_owned),
            settles_as,
            owned().map_err(|source| charge_undecodable(status, source))?,
        )))),
    }
}

/// Cannot happen (`null` and borrowed JSON text are valid JSON), but never a panic.
#[cold]
fn charge_undecodable(status: StatusCode, source: serde_json::Error) -> Error {
    Error::Decode {
        status,
        path: "response".to_owned(),
        source,
        record: None,
        outcome_unknown: true,
    }
}

/// The ids at the top of `response`, whatever else it holds.
fn record_ids(raw: &str) -> RecordIds {
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Ids {
        #[serde(deserialize_with = "lenient_message")]
        imp_uid: Option<String>,
        #[serde(deserialize_with = "lenient_message")]
        merchant_uid: Option<String>,
        #[serde(deserialize_with = "lenient_message")]
        customer_uid: Option<String>,
    }
    // Only an object names a record (serde would also read a struct from an array).
    if !raw.trim_start().starts_with('{') {
        return RecordIds::default();
    }
    let ids: Ids = serde_json::from_str(raw).unwrap_or_default();
    RecordIds {
        imp_uid: ids.imp_uid,
        merchant_uid: ids.merchant_uid,
        customer_uid: ids.customer_uid,
    }
}

/// Everything an error answer carries beside `code`, `message` and `response`.
fn extra_fields(body: &[u8]) -> serde_json::Map<String, serde_json::Value> {
    let mut fields: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(body).unwrap_or_default();
    for known in ["code", "message", "response", "data"] {
        fields.remove(known);
    }
    fields
}

mod unit {
    use serde::de::{self, Deserializer, Visitor};

    /// A deserializer that only gives a unit: `T::deserialize(OnlyUnit)` succeeds exactly
    /// when `T` is `()` or a unit struct, which is how the decoder tells "I read nothing"
    /// from `Option<T>` (which must still decode a non-null value).
    pub(super) struct OnlyUnit;

    impl<'de> Deserializer<'de> for OnlyUnit {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a unit type"))
        }

        fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            visitor.visit_unit()
        }

        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            visitor: V,
        ) -> Result<V::Value, Self::Error> {
            visitor.visit_unit()
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option newtype_struct seq tuple tuple_struct map struct enum identifier
            ignored_any
        }
    }
}

/// The decode error of `raw` as `T`, with the JSON path where it failed.
#[cold]
fn explain<T: DeserializeOwned>(status: StatusCode, raw: &str, first: serde_json::Error) -> Error {
    let mut deserializer = serde_json::Deserializer::from_str(raw);
    let (path, source) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => (e.path().to_string(), e.into_inner()),
        Ok(_) => (".".to_owned(), first),
    };
    let path = match path.as_str() {
        "." => "response".to_owned(),
        p if p.starts_with('[') => format!("response{p}"),
        p => format!("response.{p}"),
    };
    let record = record_ids(raw);
    Error::Decode {
        status,
        path,
        source,
        record: (record != RecordIds::default()).then(|| Box::new(record)),
        outcome_unknown: false,
    }
}

pub(crate) fn unexpected(status: StatusCode, body: &[u8]) -> Error {
    let cut = body.len().min(EXCERPT_LEN);
    Error::UnexpectedResponse {
        status,
        excerpt: String::from_utf8_lossy(&body[..cut]).into_owned(),
        outcome_unknown: false,
    }
}

/// `code` is an integer on the wire, but old docs showed a string: accept both.
fn lenient_code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Code<'a> {
        Int(i64),
        Str(&'a str),
    }
    match Option::<Code<'_>>::deserialize(d)? {
        None => Ok(None),
        Some(Code::Int(code)) => Ok(Some(code)),
        Some(Code::Str(text)) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom("code is not an integer")),
    }
}

/// A payment's `status` is a string; anything else counts as no status.
fn lenient_status<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<std::borrow::Cow<'de, str>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Status<'a> {
        #[serde(borrow)]
        Text(std::borrow::Cow<'a, str>),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Option::<Status<'de>>::deserialize(d)? {
        Some(Status::Text(text)) => Some(text),
        _ => None,
    })
}

/// `message` is a string or null; anything else is kept as its JSON text.
fn lenient_message<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match value {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Payment {
        imp_uid: String,
        amount: u64,
    }

    const OK: StatusCode = StatusCode::OK;

    #[test]
    fn success_gives_the_response() {
        let body = br#"{"code":0,"message":null,"response":{"imp_uid":"imp_1","amount":1000}}"#;
        let p: Payment = decode(OK, body).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.amount, 1000);
        let p: Payment = decode(StatusCode::MULTI_STATUS, body).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.imp_uid, "imp_1");
    }

    #[test]
    fn null_response_fits_unit_and_option_only() {
        let body = br#"{"code":0,"message":null,"response":null}"#;
        assert!(decode::<()>(OK, body).is_ok());
        assert_eq!(decode::<Option<Payment>>(OK, body).ok(), Some(None));
        assert!(decode::<()>(OK, br#"{"code":0}"#).is_ok());
        let err = decode::<Payment>(OK, body).err();
        assert!(matches!(err, Some(Error::Decode { ref path, .. }) if path == "response"));
    }

    #[test]
    fn nonzero_code_is_an_error_even_on_200() {
        let body = r#"{"code":1,"message":"취소할 결제건이 존재하지 않습니다.","response":null}"#;
        let err = decode::<Payment>(OK, body.as_bytes()).err();
        let Some(Error::Api(api)) = err else {
            panic!("not an api error: {err:?}")
        };
        assert_eq!((api.status, api.code), (OK, 1));
        assert_eq!(
            api.message.as_deref(),
            Some("취소할 결제건이 존재하지 않습니다.")
        );
    }

    #[test]
    fn string_code_and_data_alias_are_tolerated() {
        let err = decode::<()>(OK, br#"{"code":"-1","message":"x","data":null}"#).err();
        assert_eq!(err.and_then(|e| e.code()), Some(-1));
        let p: Payment = decode(OK, br#"{"code":"0","data":{"imp_uid":"i","amount":1}}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.amount, 1);
    }

    #[test]
    fn html_error_page_is_unexpected_with_an_excerpt() {
        let page = format!("<html>{}</html>", "x".repeat(2000));
        let err = decode::<()>(StatusCode::BAD_GATEWAY, page.as_bytes()).err();
        let Some(Error::UnexpectedResponse {
            status, excerpt, ..
        }) = err
        else {
            panic!("{err:?}")
        };
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        assert!(excerpt.starts_with("<html>"));
        assert_eq!(excerpt.len(), EXCERPT_LEN);
    }

    #[test]
    fn unit_accepts_any_response_but_option_still_checks_its_value() {
        let body = br#"{"code":0,"message":null,"response":{"anything":[1,2]}}"#;
        assert!(decode::<()>(OK, body).is_ok());
        assert!(decode::<()>(OK, br#"{"code":0,"response":"text"}"#).is_ok());
        let err = decode::<Option<Payment>>(OK, body).err();
        assert!(matches!(err, Some(Error::Decode { .. })), "{err:?}");
        // An error answer is still an error for `()`.
        assert!(decode::<()>(OK, br#"{"code":1,"message":"no","response":{}}"#).is_err());
    }

    #[test]
    fn what_portone_adds_beside_the_envelope_is_kept() {
        let body = br#"{"code":-1,"message":"fail","response":null,"error":{"code":"8888","message":"KCP says no"}}"#;
        let Some(Error::Api(api)) = decode::<()>(OK, body).err() else {
            panic!("not an api error")
        };
        assert_eq!(api.extra.len(), 1);
        assert_eq!(
            api.extra("error").and_then(|e| e["message"].as_str()),
            Some("KCP says no")
        );
        let Some(Error::Api(plain)) = decode::<()>(OK, br#"{"code":1,"message":"x"}"#).err() else {
            panic!("not an api error")
        };
        assert!(plain.extra.is_empty());
        assert_eq!(plain, ApiError::new(OK, 1, Some("x".to_owned())));
    }

    #[test]
    fn a_failed_charge_is_declined_with_its_ids_and_reason() {
        let body = r#"{"code":0,"message":null,"response":{"imp_uid":"imp_9","merchant_uid":"m-9","status":"failed","fail_reason":"한도초과","amount":"not a number"}}"#;
        let err = decode_charge::<Payment>(OK, body.as_bytes(), "paid").err();
        let Some(Error::Declined(declined)) = err else {
            panic!("{err:?}")
        };
        assert_eq!(declined.imp_uid.as_deref(), Some("imp_9"));
        assert_eq!(declined.merchant_uid.as_deref(), Some("m-9"));
        assert_eq!(declined.fail_reason.as_deref(), Some("한도초과"));
        // The payment did not fit `Payment`; the error still says what happened.
        assert!(declined.payment::<Payment>().is_err());
        assert_eq!(
            declined
                .payment::<serde_json::Value>()
                .ok()
                .map(|v| v["status"].clone()),
            Some("failed".into())
        );

        let paid = br#"{"code":0,"response":{"imp_uid":"imp_1","amount":5,"status":"paid"}}"#;
        let ok: Payment = decode_charge(OK, paid, "paid").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.amount, 5);
        // Refusals with a non-zero code stay `Api`: no decision was made.
        let refused = br#"{"code":-1,"message":"no key","response":null}"#;
        assert!(matches!(
            decode_charge::<Payment>(OK, refused, "paid").err(),
            Some(Error::Api(_))
        ));
        // A failed status on an error status is not a decision either.
        let odd = br#"{"code":0,"response":{"imp_uid":"i","status":"failed"}}"#;
        assert!(!matches!(
            decode_charge::<Payment>(StatusCode::INTERNAL_SERVER_ERROR, odd, "paid").err(),
            Some(Error::Declined(_))
        ));
    }

    #[test]
    fn a_charge_is_ok_only_with_the_status_that_settles_it() {
        for (response, found) in [
            (
                r#"{"imp_uid":"imp_1","merchant_uid":"m-1","amount":5,"status":"ready"}"#,
                Some("ready"),
            ),
            (
                r#"{"imp_uid":"imp_1","merchant_uid":"m-1","amount":5,"status":"cancelled"}"#,
                Some("cancelled"),
            ),
            (
                r#"{"imp_uid":"imp_1","merchant_uid":"m-1","amount":5,"status":"partial_paid"}"#,
                Some("partial_paid"),
            ),
            (
                r#"{"imp_uid":"imp_1","merchant_uid":"m-1","amount":5}"#,
                None,
            ),
            (
                r#"{"imp_uid":"imp_1","merchant_uid":"m-1","amount":5,"status":null}"#,
                None,
            ),
            (
                r#"{"imp_uid":"imp_1","merchant_uid":"m-1","amount":5,"status":7}"#,
                None,
            ),
            ("null", None),
            (r#"[{"status":"paid"}]"#, None),
        ] {
            let body = format!(r#"{{"code":0,"message":null,"response":{response}}}"#);
            let err = decode_charge::<Payment>(OK, body.as_bytes(), "paid").err();
            let Some(Error::Unsettled(unsettled)) = &err else {
                panic!("{response}: {err:?}")
            };
            assert_eq!(unsettled.payment_status.as_deref(), found, "{response}");
            assert_eq!(unsettled.expected, "paid");
            assert!(err.as_ref().is_some_and(Error::is_outcome_unknown));
            if response.starts_with('{') {
                assert_eq!(unsettled.imp_uid.as_deref(), Some("imp_1"));
                assert_eq!(
                    unsettled.payment::<Payment>().ok().map(|p| p.amount),
                    Some(5)
                );
            }
        }
        // A virtual account is settled by `ready`, and a `paid` one is not what was asked.
        let ready = br#"{"code":0,"response":{"imp_uid":"imp_2","amount":9,"status":"ready"}}"#;
        let issued: Payment = decode_charge(OK, ready, "ready").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(issued.imp_uid, "imp_2");
        let paid = br#"{"code":0,"response":{"imp_uid":"imp_2","amount":9,"status":"paid"}}"#;
        let err = decode_charge::<Payment>(OK, paid, "ready").err();
        assert!(
            matches!(err, Some(Error::Unsettled(ref u)) if u.expected == "ready"),
            "{err:?}"
        );
        let failed =
            br#"{"code":0,"response":{"imp_uid":"imp_2","status":"failed","fail_reason":"x"}}"#;
        assert!(matches!(
            decode_charge::<Payment>(OK, failed, "ready").err(),
            Some(Error::Declined(_))
        ));
    }

    #[test]
    fn a_decode_error_keeps_the_ids_it_could_read() {
        let body =
            br#"{"code":0,"response":{"imp_uid":"imp_5","merchant_uid":"m-5","amount":"x"}}"#;
        let err = decode::<Payment>(OK, body).err();
        let Some(Error::Decode {
            record,
            outcome_unknown,
            ..
        }) = err
        else {
            panic!("{err:?}")
        };
        let record = record.unwrap_or_else(|| panic!("no ids"));
        assert_eq!(record.imp_uid.as_deref(), Some("imp_5"));
        assert_eq!(record.merchant_uid.as_deref(), Some("m-5"));
        assert_eq!(record.customer_uid, None);
        // Whether the outcome is unknown depends on the call, which the client decides.
        assert!(!outcome_unknown);
        let err = decode::<Payment>(OK, br#"{"code":0,"response":[1]}"#).err();
        assert!(
            matches!(err, Some(Error::Decode { record: None, .. })),
            "{err:?}"
        );
    }

    #[test]
    fn decode_errors_name_the_path() {
        let body =
            br#"{"code":0,"response":[{"imp_uid":"a","amount":1},{"imp_uid":"b","amount":"x"}]}"#;
        let err = decode::<Vec<Payment>>(OK, body).err();
        assert!(
            matches!(err, Some(Error::Decode { ref path, .. }) if path == "response[1].amount"),
            "{err:?}"
        );
        let err = decode::<Payment>(OK, b"{\"code\":0,\"resp").err();
        assert!(matches!(err, Some(Error::Decode { .. })), "{err:?}");
    }
}
