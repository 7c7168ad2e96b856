//! The low-level request API: a [`Request`] built from literal path chunks, path values,
//! query pairs, a JSON body and headers, and the [`Execute`] trait that sends it.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::encode;
use crate::envelope;
use crate::error::{Error, RequestError, Result};

/// A request whose path, query, headers and body are already encoded: building it is where
/// every mistake in the arguments shows up, so a `Request` that exists can be sent as is.
///
/// ```
/// use portone_core::{Method, Request};
///
/// let request = Request::builder(Method::GET, "/payments/find/<merchant_uid>")
///     .path("/payments/find")
///     .segment("order/1")
///     .query("sorting", "-paid")
///     .build()?;
/// assert_eq!(request.path(), "/payments/find/order%2F1");
/// # Ok::<(), portone_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Request {
    method: Method,
    route: &'static str,
    path: String,
    query: Vec<(Cow<'static, str>, String)>,
    headers: HeaderMap,
    body: Option<Bytes>,
    timeout: Option<Duration>,
    idempotent: bool,
}

impl Request {
    /// Starts a request. `route` is the template it came from (`/payments/<imp_uid>`),
    /// used in traces and logs in place of the concrete path.
    pub fn builder(method: Method, route: &'static str) -> RequestBuilder {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        RequestBuilder {
            request: Request {
                method,
                route,
                path: String::with_capacity(route.len() + 16),
                query: Vec::new(),
                headers: HeaderMap::new(),
                body: None,
                timeout: None,
                idempotent,
            },
            error: None,
        }
    }

    /// The HTTP method.
    #[must_use]
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The route template, such as `/payments/<imp_uid>`.
    #[must_use]
    pub fn route(&self) -> &'static str {
        self.route
    }

    /// The percent-encoded path, such as `/payments/a%2Fb`.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query pairs in order, not yet percent-encoded.
    #[must_use]
    pub fn query(&self) -> &[(Cow<'static, str>, String)] {
        &self.query
    }

    /// The headers this request adds to the client's own (token, `Tier`, content type).
    #[must_use]
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The JSON body, if any.
    #[must_use]
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The timeout of this call, overriding the client's.
    #[must_use]
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Whether the call may be sent again after it may have reached the server: true for
    /// GET, HEAD, PUT, DELETE and OPTIONS, or when marked so.
    #[must_use]
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The encoded path and query as they go on the wire: `/payments?imp_uid[]=a&page=2`.
    #[must_use]
    pub fn path_and_query(&self) -> String {
        self.url_after("")
    }

    /// Writes `path?query` after `base`.
    pub(crate) fn url_after(&self, base: &str) -> String {
        let mut url = String::with_capacity(base.len() + self.path.len() + 16 * self.query.len());
        url.push_str(base);
        url.push_str(&self.path);
        if !self.query.is_empty() {
            url.push('?');
            encode::write_query(&mut url, &self.query);
        }
        url
    }

    pub(crate) fn body_bytes(&self) -> Option<Bytes> {
        self.body.clone()
    }
}

impl fmt::Debug for Request {
    // Bodies can hold card data: only their size is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("route", &self.route)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .field("timeout", &self.timeout)
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

/// Builds a [`Request`]. Every method takes and returns the builder; the first mistake is
/// kept and returned by [`build`](Self::build), so a chain needs no `?` per step.
#[derive(Debug)]
#[must_use]
pub struct RequestBuilder {
    request: Request,
    error: Option<RequestError>,
}

impl RequestBuilder {
    /// Appends a literal chunk of the path, such as `/payments/find`. It is trusted as is:
    /// it comes from a template, never from a value (use [`segment`](Self::segment) for those).
    pub fn path(mut self, literal: &'static str) -> Self {
        self.request.path.push_str(literal);
        self
    }

    /// Appends `/` and `value` as exactly one percent-encoded segment. The value must
    /// serialize as a scalar; `""`, `"."`, `".."` and `None` are errors.
    pub fn segment<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        if self.error.is_none() {
            let route = self.request.route;
            match encode::segment(route, &mut self.request.path, value) {
                Ok(true) => {}
                Ok(false) => self.error = Some(RequestError::MissingSegment { route }),
                Err(e) => self.error = Some(e),
            }
        }
        self
    }

    /// Like [`segment`](Self::segment), but `None` appends nothing (an optional last segment).
    pub fn optional_segment<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        if self.error.is_none()
            && let Err(e) = encode::segment(self.request.route, &mut self.request.path, value)
        {
            self.error = Some(e);
        }
        self
    }

    /// Adds query pairs: a scalar is `name=value`, `None` nothing, a sequence one pair per
    /// element under `name` (`imp_uid[]=a&imp_uid[]=b`), and a struct or map one pair per
    /// field under the field's own name (then `name` is not used). Order is kept.
    pub fn query<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        if self.error.is_none()
            && let Err(e) = encode::query(name, &mut self.request.query, value)
        {
            self.error = Some(e);
        }
        self
    }

    /// Adds a header from a scalar value; `None` adds nothing.
    pub fn header<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        if self.error.is_some() {
            return self;
        }
        let result = encode::scalar(name, value).and_then(|text| {
            let Some(text) = text else { return Ok(()) };
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| RequestError::InvalidHeader(name.escape_debug().to_string()))?;
            let value = HeaderValue::try_from(text)
                .map_err(|_| RequestError::InvalidHeader(name.to_string()))?;
            self.request.headers.append(name, value);
            Ok(())
        });
        if let Err(e) = result {
            self.error = Some(e);
        }
        self
    }

    /// Sets the JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        if self.error.is_none() {
            match serde_json::to_vec(body) {
                Ok(bytes) => self.request.body = Some(Bytes::from(bytes)),
                Err(e) => self.error = Some(RequestError::Body(e)),
            }
        }
        self
    }

    /// Sets the timeout of this call, in place of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.request.timeout = Some(timeout);
        self
    }

    /// Marks the call as safe to send again after it may have reached the server (for a
    /// POST that only reads). Calls that move money must never be marked.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.request.idempotent = idempotent;
        self
    }

    /// Finishes the request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] with the first mistake met while building.
    pub fn build(self) -> Result<Request> {
        match self.error {
            Some(e) => Err(Error::InvalidRequest(e)),
            None => Ok(self.request),
        }
    }
}

/// An answer before its envelope is decoded.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The whole body.
    pub body: Bytes,
}

impl RawResponse {
    /// Decodes PortOne's envelope: `code == 0` gives the `response` as `T` (`()` and
    /// `Option<T>` accept `null`), anything else an error.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for a non-zero `code` (also with HTTP 200), [`Error::UnexpectedResponse`]
    /// for an error status without an envelope, [`Error::Decode`] naming the JSON path that
    /// did not fit `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T> {
        envelope::decode(self.status, &self.body)
    }
}

/// Sends [`Request`]s: implemented by [`Client`](crate::Client) (and so by its tier views)
/// and by anything users want in its place, such as a test double. Traits declared with
/// `#[portone::api]` are implemented for every `Execute` type.
///
/// The returned futures own what they need (`'static`), so they can be spawned.
pub trait Execute: Send + Sync {
    /// Sends the request and returns the raw answer; for [`Client`](crate::Client) after
    /// token handling, retries and the redirect check.
    fn execute(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<RawResponse>> + Send + 'static + use<Self>;

    /// Sends the request and decodes the envelope's `response` as `T`.
    fn call<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<T>> + Send + 'static + use<Self, T> {
        let response = self.execute(request);
        async move { response.await?.decode() }
    }
}
