//! Every answer in PortOne's envelope, `{"code", "message", "response"}`, encoded the way
//! PortOne's PHP server encodes it: non-ASCII as `\uXXXX` and `/` as `\/`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The content type PortOne answers with.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; charset=UTF-8";

/// One answer: an HTTP status and the envelope.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) code: i64,
    pub(crate) message: Option<String>,
    pub(crate) response: Value,
}

/// What handlers return: `Err` carries a refusal so `?` works.
pub(crate) type Answer = Result<Reply, Reply>;

impl Reply {
    /// `200`, `code` 0.
    pub(crate) fn ok(response: Value) -> Reply {
        Reply {
            status: StatusCode::OK,
            code: 0,
            message: None,
            response,
        }
    }

    pub(crate) fn fail(status: StatusCode, code: i64, message: impl Into<String>) -> Reply {
        Reply {
            status,
            code,
            message: Some(message.into()),
            response: Value::Null,
        }
    }

    /// `400`, `code` -1: a parameter is missing or malformed.
    pub(crate) fn bad_request(message: impl Into<String>) -> Reply {
        Reply::fail(StatusCode::BAD_REQUEST, -1, message)
    }

    /// `404`, `code` -1.
    pub(crate) fn not_found(message: impl Into<String>) -> Reply {
        Reply::fail(StatusCode::NOT_FOUND, -1, message)
    }

    /// `200` with `code` 1: PortOne's way of saying no to a well-formed request.
    pub(crate) fn refused(message: impl Into<String>) -> Reply {
        Reply::fail(StatusCode::OK, 1, message)
    }

    /// `401`, `code` -1.
    pub(crate) fn unauthorized() -> Reply {
        Reply::fail(StatusCode::UNAUTHORIZED, -1, "Unauthorized")
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> Reply {
        self.status = status;
        self
    }

    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Reply {
        self.message = Some(message.into());
        self
    }

    pub(crate) fn envelope(&self) -> Value {
        json!({ "code": self.code, "message": self.message, "response": self.response })
    }
}

/// A missing parameter, in PortOne's words.
pub(crate) fn missing(name: &str) -> Reply {
    Reply::bad_request(format!("{name} 파라메터가 누락되었습니다."))
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        json_response(self.status, &self.envelope())
    }
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut res = (status, php_json(body)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    res
}

/// Serializes like PHP's `json_encode`: non-ASCII escaped as `\uXXXX` (UTF-16 units) and `/`
/// as `\/`. Both occur only inside strings, so escaping the compact output char by char is
/// exact.
pub(crate) fn php_json(value: &Value) -> String {
    php_escape(&value.to_string())
}

/// [`php_json`] for JSON already written compactly by serde.
pub(crate) fn php_escape(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() + compact.len() / 4);
    let mut units = [0u16; 2];
    for c in compact.chars() {
        if c == '/' {
            out.push_str("\\/");
        } else if c.is_ascii() {
            out.push(c);
        } else {
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_php() {
        let v = json!({"m": "존재 a/b 😀"});
        let s = php_json(&v);
        assert_eq!(s, r#"{"m":"\uc874\uc7ac a\/b \ud83d\ude00"}"#);
        let back: Value = serde_json::from_str(&s).unwrap_or_default();
        assert_eq!(back, v);
    }

    #[test]
    fn envelope_shape() {
        let r = Reply::refused("no");
        assert_eq!(
            r.envelope(),
            json!({"code": 1, "message": "no", "response": null})
        );
        assert_eq!(r.status, StatusCode::OK);
    }
}
