//! The one error type of the client, sorted by where the failure happened.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;

pub use crate::charge::{Declined, RecordIds, Unsettled};
pub use crate::refusal::{ApiError, Refusal};

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
    #[error("could not get an access token{}", portone_said(.0))]
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
    /// [`ApiError::kind`] says which refusal it is. A `5xx` on a call the client does not
    /// retry (one that moves money) may have been acted on: see [`Error::is_outcome_unknown`].
    #[error("{}: {}", api_headline(.0), .0)]
    Api(ApiError),

    /// A charge reached the card company, which refused it: PortOne answered `code: 0` with
    /// a payment whose `status` is `failed`. Nothing was paid. The failed payment (its
    /// `imp_uid`, `merchant_uid` and `fail_reason`) is in [`Declined`].
    #[error("{0}")]
    Declined(Box<Declined>),

    /// A call that creates a payment ([`Money::Charges`](crate::Money::Charges) or
    /// [`Money::Issues`](crate::Money::Issues)) was answered with `code: 0` and a payment
    /// whose `status` is not the one that settles it (`paid` for a charge, `ready` for a
    /// virtual account): `ready` (the PG has not decided), `cancelled`, a status this version
    /// does not know, or none. The outcome is unknown ([`Error::is_outcome_unknown`]): look
    /// the payment up before deciding. The payment PortOne answered is in [`Unsettled`].
    #[error("{0}")]
    Unsettled(Box<Unsettled>),

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

/// The start of an [`Error::Api`] message: a `5xx` is no refusal, and on a call that moves
/// money its outcome is unknown.
fn api_headline(error: &ApiError) -> &'static str {
    if error.outcome_unknown {
        "portone failed, the outcome is unknown"
    } else if error.status.is_server_error() {
        "portone failed"
    } else {
        "portone refused the request"
    }
}

/// PortOne's `code` and `message` when it refused the getToken itself, so that `Display`
/// shows them as it does for [`Error::Api`]; nothing for a failure of another kind, which
/// the source says.
fn portone_said(error: &Error) -> String {
    match error {
        Error::Api(e) => format!(": {e}"),
        _ => String::new(),
    }
}

impl Error {
    /// The HTTP status of the answer this error came from, if there was one.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Declined(d) => Some(d.status),
            Error::Unsettled(u) => Some(u.status),
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

    /// Which refusal PortOne's answer is ([`Refusal`]), when PortOne refused with its envelope:
    /// also when it refused the credentials while the client got a token ([`Error::Auth`]),
    /// as [`code`](Self::code) and [`message`](Self::message) read them there too.
    #[must_use]
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            Error::Api(e) => Some(e.kind()),
            Error::Auth(e) => e.refusal(),
            _ => None,
        }
    }

    /// Whether PortOne said the thing asked for does not exist: HTTP 404, or a refusal
    /// in PortOne's words for "no such record" ([`Refusal::is_not_found`]). The live server
    /// answers some unknown ids with HTTP 200 and `code` 1 although its spec says 404 (an
    /// unknown `customer_uid`: `요청하신 customer_uid(..)로 등록된 정보를 찾을 수 없습니다.`; an
    /// unknown payment to cancel: `취소할 결제건이 존재하지 않습니다.`).
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        // Not through `Auth`: getToken finding nothing says nothing of the record asked for.
        matches!(self, Error::Api(e) if e.kind().is_not_found())
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
    /// - any `5xx` answer on such a call, with PortOne's envelope (`PG사 통신 실패`: the PG
    ///   may have acted) or without it (a proxy's page); PortOne's `code` and `message` stay
    ///   readable through [`code`](Self::code) and [`message`](Self::message);
    /// - a `2xx` answer with `code: 0` whose `response` did not decode, on such a call:
    ///   PortOne did it (a refund happened), only the answer is lost;
    /// - a charge answered with a payment that is neither paid nor failed
    ///   ([`Error::Unsettled`]).
    ///
    /// `false` for everything PortOne refused or never received (a non-zero `code` with a
    /// `2xx` or `4xx` status, a refused connection, a request that could not be built, a
    /// failed getToken, a declined charge) and for lookups and other calls the client
    /// retries.
    ///
    /// On `true`, do not repeat the call blindly: look the payment up and decide from what
    /// PortOne has; `portone::resolve` does that in one call.
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
            Error::Api(e) => e.outcome_unknown,
            Error::Unsettled(_) => true,
            _ => false,
        }
    }

    /// The ids of the record this error is about, where the answer carried them: the
    /// declined or unsettled payment, or the `response` that did not decode.
    #[must_use]
    pub fn record(&self) -> Option<RecordIds> {
        match self {
            Error::Declined(d) => Some(d.record()),
            Error::Unsettled(u) => Some(u.record()),
            Error::Decode { record, .. } => record.as_deref().cloned(),
            _ => None,
        }
    }

    /// The unsettled charge, when this is [`Error::Unsettled`].
    #[must_use]
    pub fn unsettled(&self) -> Option<&Unsettled> {
        match self {
            Error::Unsettled(u) => Some(u),
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
            // PortOne's own envelope on a 5xx (`PG사 통신 실패`) is no refusal: the PG may
            // have acted before PortOne lost its answer.
            Error::Api(e) => e.outcome_unknown = e.status.is_server_error(),
            _ => {}
        }
        self
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
    /// A call that moves money was marked to be sent again after a lost answer: PortOne's V1
    /// API has no idempotency key, so a second refund or charge would happen twice.
    #[error("`{route}` moves money and is never sent twice: it cannot be marked idempotent")]
    RetriedMoneyRoute {
        /// The route template.
        route: &'static str,
    },
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
            "등록되지 않은 구매자입니다.",
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

    #[test]
    fn refused_credentials_are_a_refusal_yet_never_a_missing_record() {
        let refused = Error::Auth(Arc::new(refusal(
            StatusCode::UNAUTHORIZED,
            -1,
            "아임포트 API 인증에 실패하였습니다.",
        )));
        assert_eq!(refused.refusal(), Some(Refusal::Unauthorized));
        // A getToken that finds nothing (a wrong base URL) must not read as "no such payment".
        let lost = Error::Auth(Arc::new(refusal(StatusCode::NOT_FOUND, -1, "Not Found")));
        assert_eq!(lost.refusal(), Some(Refusal::NotFound));
        assert!(!lost.is_not_found());
        // Display shows PortOne's code and message, as for a refusal of the call itself.
        assert_eq!(
            refused.to_string(),
            "could not get an access token: code -1 with status 401 Unauthorized: 아임포트 API 인증에 실패하였습니다."
        );
        let io = Error::Auth(Arc::new(Error::Timeout {
            after: Duration::from_secs(1),
            outcome_unknown: false,
        }));
        assert_eq!(io.to_string(), "could not get an access token");
    }

    #[test]
    fn a_server_error_after_an_unretried_send_is_an_unknown_outcome() {
        let pg = refusal(StatusCode::INTERNAL_SERVER_ERROR, -1, "PG사 통신 실패");
        assert!(
            !pg.is_outcome_unknown(),
            "unknown only once the call is known"
        );
        let pg = pg.after_unretried_send();
        assert!(pg.is_outcome_unknown());
        assert_eq!(
            (pg.code(), pg.message()),
            (Some(-1), Some("PG사 통신 실패"))
        );
        assert_eq!(
            pg.to_string(),
            "portone failed, the outcome is unknown: code -1 with status 500 Internal Server Error: PG사 통신 실패"
        );
        for known in [
            refusal(StatusCode::OK, 1, "취소할 결제건이 존재하지 않습니다."),
            refusal(
                StatusCode::BAD_REQUEST,
                -1,
                "amount 파라메터가 누락되었습니다.",
            ),
        ] {
            let known = known.after_unretried_send();
            assert!(!known.is_outcome_unknown(), "{known}");
            assert!(
                known
                    .to_string()
                    .starts_with("portone refused the request: code ")
            );
        }
    }
}
