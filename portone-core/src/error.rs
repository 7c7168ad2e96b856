//! The one error type of the client, sorted by where the failure happened.

use std::sync::Arc;

use reqwest::StatusCode;

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
    /// reset, timeout, TLS).
    #[error("transport error")]
    Transport(#[source] reqwest::Error),

    /// PortOne answered with a non-zero `code`, or an error status with the usual envelope.
    #[error("portone refused the request")]
    Api(#[source] ApiError),

    /// A non-success answer without PortOne's envelope, such as an HTML page from a proxy,
    /// or a redirect (which the client never follows).
    #[error("unexpected answer with status {status}")]
    UnexpectedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body, at most 512 bytes, for diagnosis.
        excerpt: String,
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
    },
}

impl Error {
    /// The HTTP status of the answer this error came from, if there was one.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedResponse { status, .. } | Error::Decode { status, .. } => {
                Some(*status)
            }
            Error::Transport(e) => e.status(),
            Error::Auth(e) => e.status(),
            Error::Config(_) | Error::InvalidRequest(_) => None,
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

    /// Whether PortOne said the thing asked for does not exist (HTTP 404).
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Api(e) if e.status == StatusCode::NOT_FOUND)
    }

    /// Whether the credentials or the token were refused (HTTP 401), after the client's
    /// own refresh and retry.
    #[must_use]
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Whether the call timed out (connect or total), including while getting a token.
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_timeout(),
            Error::Auth(e) => e.is_timeout(),
            _ => false,
        }
    }

    /// Whether getting an access token failed.
    #[must_use]
    pub fn is_auth(&self) -> bool {
        matches!(self, Error::Auth(_))
    }
}

/// PortOne's own refusal: the `{code, message}` of its envelope and the HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("code {code} with status {status}: {}", message.as_deref().unwrap_or("(no message)"))]
pub struct ApiError {
    /// The HTTP status; PortOne also answers refusals with 200.
    pub status: StatusCode,
    /// PortOne's `code`: never 0 here, except for an error status with a success code.
    pub code: i64,
    /// PortOne's `message`, usually Korean.
    pub message: Option<String>,
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
