//! PortOne's `{code, message, response}` envelope.

use reqwest::StatusCode;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer};
use serde_json::value::RawValue;

use crate::error::{ApiError, Error, Result};

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
            });
        }
        Err(_) => return Err(unexpected(status, body)),
    };
    let Some(code) = envelope.code else {
        return Err(unexpected(status, body));
    };
    if code != 0 || !status.is_success() {
        return Err(Error::Api(ApiError {
            status,
            code,
            message: envelope.message,
        }));
    }
    let raw = envelope.response.map_or("null", RawValue::get);
    // Tracking the path allocates a String per object key, so it runs only to explain a
    // failure: decoding the same text again fails at the same place.
    serde_json::from_str(raw).map_err(|first| explain::<T>(status, raw, first))
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
    Error::Decode {
        status,
        path,
        source,
    }
}

pub(crate) fn unexpected(status: StatusCode, body: &[u8]) -> Error {
    let cut = body.len().min(EXCERPT_LEN);
    Error::UnexpectedResponse {
        status,
        excerpt: String::from_utf8_lossy(&body[..cut]).into_owned(),
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
        let Some(Error::UnexpectedResponse { status, excerpt }) = err else {
            panic!("{err:?}")
        };
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        assert!(excerpt.starts_with("<html>"));
        assert_eq!(excerpt.len(), EXCERPT_LEN);
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
