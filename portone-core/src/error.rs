//! The one error type of the client, sorted by where the failure happened.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// The result of every fallible call of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong, sorted by where it happened: building the client or the
/// request (nothing was sent), getting a token, the transport, PortOne saying no, decoding.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client configuration is not usable; no request was made.
    #[error("invalid client configuration")]
    Config(#[source] ConfigError),

    /// A request could not be built from its arguments; nothing was sent.
    #[error("invalid request")]
    InvalidRequest(#[source] RequestError),

    /// No access token could be obtained from `POST /users/getToken`. The source says why
    /// (refused credentials, a server error, a timeout); it never contains the API secret.
    /// Shared between the callers that waited on the same failed attempt.
    #[error("could not get an access token")]
    Auth(#[source] Arc<Error>),

    /// The request could not be sent, or its answer not received (connection refused or
    /// reset, connect timeout, TLS).
    #[error("transport error")]
    Transport {
        /// What reqwest said.
        #[source]
        source: reqwest::Error,
        /// Whether the request may have reached PortOne and been processed: it was not
        /// retried, and the failure came after it may have left (a timeout, a reset). See
        /// [`Error::is_outcome_unknown`].
        outcome_unknown: bool,
    },

    /// The whole answer did not arrive within the call's timeout (the client's, or the
    /// request's own), counted from when the attempt started.
    #[error("no answer within {after:?}")]
    Timeout {
        /// The timeout that ran out.
        after: Duration,
        /// Whether the request may have reached PortOne and been processed: it was not
        /// retried. See [`Error::is_outcome_unknown`].
        outcome_unknown: bool,
    },

    /// PortOne answered with a non-zero `code`, or an error status with the usual envelope.
    #[error("portone refused the request")]
    Api(#[source] ApiError),

    /// A charge reached the card company, which refused it: PortOne answered `code: 0` with
    /// a payment whose `status` is `failed`. Nothing was paid. The failed payment (its
    /// `imp_uid`, `merchant_uid` and `fail_reason`) is in [`Declined`].
    #[error("the payment was declined")]
    Declined(#[source] Box<Declined>),

    /// A non-success answer without PortOne's envelope, such as an HTML page from a proxy,
    /// or a redirect (which the client never follows).
    #[error("unexpected answer with status {status}")]
    UnexpectedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body, at most 512 bytes, for diagnosis.
        excerpt: String,
        /// Whether PortOne may have processed the request: a `5xx` from a proxy in front of
        /// PortOne, on a call that is not retried. See [`Error::is_outcome_unknown`].
        outcome_unknown: bool,
    },

    /// The answer was PortOne's envelope, but its `response` did not fit the expected type.
    #[error("could not decode the response at `{path}`")]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The JSON path that failed, such as `response.amount` (`.` for the whole body).
        path: String,
        /// What serde said.
        #[source]
        source: serde_json::Error,
        /// The ids found in the `response` that did not decode, to reconcile with.
        record: Option<Box<RecordIds>>,
        /// Whether PortOne did what was asked (it answered `code: 0`) on a call that changes
        /// something, so that only the answer is lost: a refund that happened. See
        /// [`Error::is_outcome_unknown`].
        outcome_unknown: bool,
    },

    /// A webhook notification could not be read: an unknown content type, a body that is not
    /// JSON or a form, a missing `imp_uid`. Nothing was sent. The body comes from anyone who
    /// can reach the URL, so the error quotes at most a short, sanitised excerpt of it.
    #[error("invalid webhook notification")]
    Webhook(#[source] WebhookError),
}

impl Error {
    /// The HTTP status of the answer this error came from, if there was one.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Declined(d) => Some(d.status),
            Error::UnexpectedResponse { status, .. } | Error::Decode { status, .. } => {
                Some(*status)
            }
            Error::Transport { source, .. } => source.status(),
            Error::Auth(e) => e.status(),
            Error::Config(_)
            | Error::InvalidRequest(_)
            | Error::Webhook(_)
            | Error::Timeout { .. } => None,
        }
    }

    /// PortOne's `code`, when PortOne answered with its envelope.
    #[must_use]
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api(e) => Some(e.code),
            Error::Auth(e) => e.code(),
            _ => None,
        }
    }

    /// PortOne's `message`, when PortOne answered with one.
    #[must_use]
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.message.as_deref(),
            Error::Auth(e) => e.message(),
            _ => None,
        }
    }

    /// Whether PortOne said the thing asked for does not exist: HTTP 404, or a refusal
    /// in PortOne's words for "no such record". The live server answers some unknown ids
    /// with HTTP 200 and `code` 1 although its spec says 404 (an unknown `customer_uid`:
    /// `요청하신 customer_uid(..)로 등록된 정보를 찾을 수 없습니다.`; an unknown payment to
    /// cancel: `취소할 결제건이 존재하지 않습니다.`; `등록된 고객정보가 없습니다.`).
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        /// The phrases of PortOne's "no such record" messages, as observed.
        const NOT_FOUND: [&str; 3] = ["존재하지 않", "찾을 수 없", "등록된 고객정보가 없"];
        match self {
            Error::Api(e) if e.status == StatusCode::NOT_FOUND => true,
            Error::Api(e) if e.code != 0 && e.status.is_success() => e
                .message
                .as_deref()
                .is_some_and(|m| NOT_FOUND.iter().any(|phrase| m.contains(phrase))),
            _ => false,
        }
    }

    /// Whether the credentials or the token were refused (HTTP 401), after the client's
    /// own refresh and retry.
    #[must_use]
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Whether the call timed out ([`Error::Timeout`], or a connect timeout), including while
    /// getting a token.
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Transport { source, .. } => source.is_timeout(),
            Error::Auth(e) => e.is_timeout(),
            _ => false,
        }
    }

    /// Whether getting an access token failed.
    #[must_use]
    pub fn is_auth(&self) -> bool {
        matches!(self, Error::Auth(_))
    }

    /// Whether the card company refused a charge ([`Error::Declined`]): nothing was paid, and
    /// the failed payment says why.
    #[must_use]
    pub fn is_declined(&self) -> bool {
        matches!(self, Error::Declined(_))
    }

    /// The refused charge, when this is [`Error::Declined`].
    #[must_use]
    pub fn declined(&self) -> Option<&Declined> {
        match self {
            Error::Declined(d) => Some(d),
            _ => None,
        }
    }

    /// Whether PortOne may have done what was asked although this call failed, so that the
    /// caller cannot know the result without asking again.
    ///
    /// `true` for:
    /// - a timeout or a lost connection after the request may have left, on a call that is
    ///   not retried (a POST that moves money, a `DELETE` that revokes something);
    /// - a `5xx` answer without PortOne's envelope (a proxy's page) on such a call;
    /// - a `2xx` answer with `code: 0` whose `response` did not decode, on such a call:
    ///   PortOne did it (a refund happened), only the answer is lost.
    ///
    /// `false` for everything PortOne refused or never received (a non-zero `code`, a `4xx`,
    /// a refused connection, a request that could not be built, a failed getToken, a
    /// declined charge) and for lookups and other calls the client retries.
    ///
    /// On `true`, do not repeat the call blindly: look the payment up (by `merchant_uid`
    /// with `find_payment`, or by `imp_uid`) and decide from what PortOne has.
    #[must_use]
    pub fn is_outcome_unknown(&self) -> bool {
        match self {
            Error::Transport {
                outcome_unknown, ..
            }
            | Error::Timeout {
                outcome_unknown, ..
            }
            | Error::UnexpectedResponse {
                outcome_unknown, ..
            }
            | Error::Decode {
                outcome_unknown, ..
            } => *outcome_unknown,
            _ => false,
        }
    }

    /// The ids of the record this error is about, where the answer carried them: the
    /// declined payment, or the `response` that did not decode.
    #[must_use]
    pub fn record(&self) -> Option<RecordIds> {
        match self {
            Error::Declined(d) => Some(RecordIds {
                imp_uid: d.imp_uid.clone(),
                merchant_uid: d.merchant_uid.clone(),
                customer_uid: d.customer_uid.clone(),
            }),
            Error::Decode { record, .. } => record.as_deref().cloned(),
            _ => None,
        }
    }

    /// The same error marked as coming from a call the client does not retry, after the
    /// request may have reached PortOne: see [`Error::is_outcome_unknown`].
    pub(crate) fn after_unretried_send(mut self) -> Self {
        match &mut self {
            Error::Decode {
                outcome_unknown, ..
            } => *outcome_unknown = true,
            Error::UnexpectedResponse {
                status,
                outcome_unknown,
                ..
            } => *outcome_unknown = status.is_server_error(),
            _ => {}
        }
        self
    }
}

/// What identifies a record in an answer: enough to look it up again and reconcile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordIds {
    /// PortOne's payment id (`imp_...`).
    pub imp_uid: Option<String>,
    /// The merchant's order id.
    pub merchant_uid: Option<String>,
    /// The billing key's id.
    pub customer_uid: Option<String>,
}

/// A charge the card company refused: PortOne's `code: 0` answer with a payment whose
/// `status` is `failed`.
///
/// The failed payment itself is [`payment`](Self::payment):
/// `declined.payment::<portone::model::Payment>()`.
pub struct Declined {
    /// PortOne's id of the failed payment.
    pub imp_uid: Option<String>,
    /// The merchant's order id.
    pub merchant_uid: Option<String>,
    /// The billing key the charge used, when the answer names one.
    pub customer_uid: Option<String>,
    /// Why, in the card company's words (`잔액부족`, `한도초과`, ...).
    pub fail_reason: Option<String>,
    /// The HTTP status (200).
    pub status: StatusCode,
    /// The envelope's `response`: the failed payment, as PortOne sent it.
    response: Box<RawValue>,
}

impl Declined {
    pub(crate) fn new(
        status: StatusCode,
        ids: RecordIds,
        fail_reason: Option<String>,
        response: Box<RawValue>,
    ) -> Self {
        let RecordIds {
            imp_uid,
            merchant_uid,
            customer_uid,
        } = ids;
        Self {
            imp_uid,
            merchant_uid,
            customer_uid,
            fail_reason,
            status,
            response,
        }
    }

    /// The failed payment, decoded as `T` (for the ready-made methods,
    /// `portone::model::Payment`).
    ///
    /// # Errors
    ///
    /// When the payment does not decode as `T`.
    pub fn payment<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.response.get())
    }
}

impl fmt::Debug for Declined {
    // The payment is left out: it holds the buyer's details.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Declined")
            .field("imp_uid", &self.imp_uid)
            .field("merchant_uid", &self.merchant_uid)
            .field("customer_uid", &self.customer_uid)
            .field("fail_reason", &self.fail_reason)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("declined")?;
        if let Some(merchant_uid) = &self.merchant_uid {
            write!(f, " `{merchant_uid}`")?;
        }
        match &self.fail_reason {
            Some(reason) => write!(f, ": {reason}"),
            None => f.write_str(" without a reason"),
        }
    }
}

impl std::error::Error for Declined {}

/// PortOne's own refusal: the `{code, message}` of its envelope and the HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("code {code} with status {status}: {}", message.as_deref().unwrap_or("(no message)"))]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status; PortOne also answers refusals with 200.
    pub status: StatusCode,
    /// PortOne's `code`: never 0 here, except for an error status with a success code.
    pub code: i64,
    /// PortOne's `message`, usually Korean.
    pub message: Option<String>,
    /// What the answer carried beside `code`, `message` and `response`, such as the PG's own
    /// `error: {code, message}` that KCP adds when a quick-pay FIDO release fails.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    /// A refusal with nothing beside `code` and `message`.
    #[must_use]
    pub fn new(status: StatusCode, code: i64, message: Option<String>) -> Self {
        Self {
            status,
            code,
            message,
            extra: serde_json::Map::new(),
        }
    }

    /// A field PortOne sent beside the envelope's own, such as `error`.
    #[must_use]
    pub fn extra(&self, name: &str) -> Option<&serde_json::Value> {
        self.extra.get(name)
    }
}

/// Why the client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No API key was given.
    #[error("the api key is missing")]
    MissingApiKey,
    /// No API secret was given.
    #[error("the api secret is missing")]
    MissingApiSecret,
    /// An environment variable that `from_env` needs is not set or not Unicode.
    #[error("environment variable `{0}` is not set or not valid unicode")]
    MissingEnv(&'static str),
    /// The base URL could not be parsed.
    #[error("the base url is not a valid url")]
    BaseUrl(#[source] url::ParseError),
    /// The base URL is not usable: not `https`, `http` to a host that is not loopback, or it
    /// carries credentials, a query or a fragment.
    #[error("the base url `{0}` is not allowed: use https, or http only to a loopback host")]
    InsecureBaseUrl(String),
    /// The user agent suffix is not a valid header value.
    #[error("the user agent suffix is not a valid header value")]
    UserAgent,
    /// The default tier is not a valid tier code.
    #[error("invalid default tier")]
    Tier(#[source] RequestError),
    /// The HTTP client could not be built.
    #[error("could not build the http client")]
    Http(#[source] reqwest::Error),
}

/// Why a request could not be built. Nothing was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// A path value was empty, `.` or `..`, which would change the route.
    #[error("path value for `{route}` is `{value}`, which would not be one path segment")]
    DotOrEmptySegment {
        /// The route template.
        route: &'static str,
        /// The offending value: `""`, `"."` or `".."`.
        value: &'static str,
    },
    /// A required path value was `None`.
    #[error("path value for `{route}` is missing")]
    MissingSegment {
        /// The route template.
        route: &'static str,
    },
    /// A value that must be a single scalar (a path segment, a header, a query element) was not.
    #[error("`{name}` must be a string, number, bool or unit enum variant, not {found}")]
    NotAScalar {
        /// The parameter, query or header name (`path` for a path segment).
        name: String,
        /// What the value serialized as.
        found: &'static str,
    },
    /// A header name or value cannot be sent.
    #[error("header `{0}` has an invalid name or value")]
    InvalidHeader(String),
    /// A header the client sets itself (token, tier, content type) was given as an argument.
    #[error("header `{0}` is set by the client and cannot be given per call")]
    ReservedHeader(String),
    /// The body could not be serialized to JSON.
    #[error("the body could not be serialized")]
    Body(#[source] serde_json::Error),
    /// A tier code that is not exactly 3 characters of `A-Z` and `0-9`.
    #[error("tier code {0:?} is not 3 characters of A-Z and 0-9")]
    InvalidTier(String),
    /// A request type refused its arguments (an empty list where empty would mean "all",
    /// a refund of zero, ...).
    #[error("an argument was refused")]
    Argument(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The encoded path and query did not form a URL with the base URL.
    #[error("the request url could not be formed")]
    Url(#[source] url::ParseError),
    /// A value's own `Serialize` implementation failed.
    #[error("a value could not be serialized: {0}")]
    Serialize(String),
}

/// Why a webhook notification could not be read ([`Error::Webhook`]).
///
/// Anyone can POST to a webhook URL, so these messages never quote more than a short
/// excerpt of what was sent, with control characters escaped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The content type is neither JSON nor `application/x-www-form-urlencoded`.
    #[error(
        "unsupported content type `{0}`: expected application/json or application/x-www-form-urlencoded"
    )]
    ContentType(String),
    /// The body was sent as JSON but is not JSON.
    #[error("the body is not valid json")]
    Json(#[source] serde_json::Error),
    /// The body is JSON but not an object.
    #[error("the json body is not an object")]
    NotAnObject,
    /// A field the notification cannot do without is absent, `null` or empty.
    #[error("`{0}` is missing")]
    MissingField(&'static str),
    /// A field is there but cannot be what it should: not text, too long, or holding
    /// control characters.
    #[error("`{field}` {problem}")]
    InvalidField {
        /// The field's name.
        field: &'static str,
        /// What is wrong with it, such as `is not a string`.
        problem: &'static str,
    },
}

impl From<WebhookError> for Error {
    fn from(e: WebhookError) -> Self {
        Error::Webhook(e)
    }
}

impl From<RequestError> for Error {
    fn from(e: RequestError) -> Self {
        Error::InvalidRequest(e)
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(status: StatusCode, code: i64, message: &str) -> Error {
        Error::Api(ApiError::new(status, code, Some(message.to_owned())))
    }

    #[test]
    fn not_found_is_a_404_or_portone_saying_there_is_no_such_record() {
        let ok = StatusCode::OK;
        assert!(refusal(StatusCode::NOT_FOUND, -1, "anything").is_not_found());
        for message in [
            "존재하지 않는 결제정보입니다.",
            "취소할 결제건이 존재하지 않습니다.",
            "요청하신 customer_uid(c-1)로 등록된 정보를 찾을 수 없습니다.",
            "등록된 고객정보가 없습니다.",
        ] {
            assert!(refusal(ok, 1, message).is_not_found(), "{message}");
        }
        // Other refusals on 200 are not "not found", nor is a server error in those words.
        for message in [
            "checksum이 일치하지 않습니다.",
            "이미 결제된 merchant_uid입니다.",
        ] {
            assert!(!refusal(ok, 1, message).is_not_found(), "{message}");
        }
        let server = refusal(StatusCode::INTERNAL_SERVER_ERROR, -1, "존재하지 않는 PG");
        assert!(!server.is_not_found());
    }
}
