//! The low-level request API: a [`Request`] built from literal path chunks, path values,
//! query pairs, a JSON body and headers, and the [`Execute`] trait that sends it.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use percent_encoding::percent_decode_str;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::encode;
use crate::envelope;
use crate::error::{Error, RequestError, Result};
use crate::money::Money;
use crate::money_routes;

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
/// assert_eq!(request.path_and_query(), "/payments/find/order%2F1?sorting=-paid");
/// # Ok::<(), portone_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Request {
    method: Method,
    route: &'static str,
    /// The path, then `?` and the encoded query if there is one. A literal path stays
    /// borrowed: most routes need no allocation for it.
    target: Cow<'static, str>,
    path_len: usize,
    /// Rare (only `#[header]` arguments), so boxed: a smaller `Request` is cheaper to move
    /// through the builder chain.
    headers: Option<Box<HeaderMap>>,
    body: Option<Vec<u8>>,
    timeout: Option<Duration>,
    idempotent: bool,
    money: Money,
}

/// What decoding an answer needs to know about its call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallKind {
    idempotent: bool,
    money: Money,
}

impl Request {
    /// Starts a request. `route` is the template it came from (`/payments/<imp_uid>`),
    /// used in traces and logs in place of the concrete path.
    #[inline(always)]
    pub fn builder(method: Method, route: &'static str) -> RequestBuilder {
        // Not DELETE: PortOne's DELETEs revoke something (a virtual account, a receipt, a
        // billing key), and a second one after a lost answer would turn that success into a
        // "not found".
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::OPTIONS
        );
        RequestBuilder {
            request: Request {
                method,
                route,
                target: Cow::Borrowed(""),
                path_len: 0,
                headers: None,
                body: None,
                timeout: None,
                idempotent,
                money: Money::Untouched,
            },
            query_start: None,
            money: None,
            idempotent_asked: false,
            routed: false,
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
        &self.target[..self.path_len]
    }

    /// The encoded path and query as they go on the wire: `/payments?imp_uid[]=a&page=2`.
    #[must_use]
    pub fn path_and_query(&self) -> &str {
        &self.target
    }

    /// The query pairs in order, decoded again (for inspection, such as in a test double).
    #[must_use]
    pub fn query(&self) -> Vec<(String, String)> {
        let Some(query) = self.target.get(self.path_len + 1..) else {
            return Vec::new();
        };
        let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
        query
            .split('&')
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(key), decode(value))
            })
            .collect()
    }

    /// The headers this request adds to the client's own (token, `Tier`, content type).
    #[must_use]
    pub fn headers(&self) -> &HeaderMap {
        static NONE: std::sync::LazyLock<HeaderMap> = std::sync::LazyLock::new(HeaderMap::new);
        self.headers.as_deref().unwrap_or(&NONE)
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
    /// GET, HEAD, PUT and OPTIONS, or when marked so. Never for a call that moves money.
    #[must_use]
    pub fn is_idempotent(&self) -> bool {
        self.idempotent && !self.money.moves_money()
    }

    /// What the call does with money: see [`Money`].
    #[must_use]
    pub fn money(&self) -> Money {
        self.money
    }

    /// Whether the call creates a payment ([`Money::Charges`] or [`Money::Issues`]), whose
    /// answer is a success only with the status the call settles as.
    #[must_use]
    pub fn is_charge(&self) -> bool {
        self.money.settles_as().is_some()
    }

    pub(crate) fn kind(&self) -> CallKind {
        CallKind {
            idempotent: self.is_idempotent(),
            money: self.money,
        }
    }

    /// Takes the body out, as the cheaply clonable bytes every attempt sends.
    pub(crate) fn take_body(&mut self) -> Option<Bytes> {
        self.body.take().map(Bytes::from)
    }
}

impl fmt::Debug for Request {
    // Bodies can hold card data: only their size is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("route", &self.route)
            .field("target", &self.target)
            .field("headers", &self.headers().keys().collect::<Vec<_>>())
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field("timeout", &self.timeout)
            .field("idempotent", &self.is_idempotent())
            .field("money", &self.money)
            .finish()
    }
}

/// Builds a [`Request`]. Every method takes and returns the builder; the first mistake is
/// kept and returned by [`build`](Self::build), so a chain needs no `?` per step.
#[derive(Debug)]
#[must_use]
pub struct RequestBuilder {
    request: Request,
    /// Where the query starts in the target, once a query argument was given. Generated
    /// code gives the path first, so the query is written straight after it.
    query_start: Option<usize>,
    /// What the caller said the call does with money; `None` leaves it to the route.
    money: Option<Money>,
    /// Whether the caller asked for the call to be sent again after a lost answer.
    idempotent_asked: bool,
    /// Whether the money rule came from the route already (generated code), so that
    /// `build` need not look the route up.
    routed: bool,
    error: Option<Box<RequestError>>,
}

impl RequestBuilder {
    /// The path as an owned string, sized once for the whole route.
    #[inline(always)]
    fn path_mut(&mut self) -> &mut String {
        if let Cow::Borrowed(literal) = self.request.target {
            let mut owned = String::with_capacity(self.request.route.len() + 32);
            owned.push_str(literal);
            self.request.target = Cow::Owned(owned);
        }
        self.request.target.to_mut()
    }

    /// Runs `write` on the path: at the end of the target, or, if a query was written
    /// already (a hand-written builder may do that), before it.
    fn write_path<R>(&mut self, write: impl FnOnce(&mut String) -> R) -> R {
        let start = self.query_start;
        let target = self.path_mut();
        let Some(start) = start else {
            return write(target);
        };
        let query = target.split_off(start);
        let result = write(target);
        let new_start = target.len();
        target.push_str(&query);
        self.query_start = Some(new_start);
        result
    }

    /// Appends a literal chunk of the path, such as `/payments/find`. It is trusted as is:
    /// it comes from a template, never from a value (use [`segment`](Self::segment) for those).
    #[inline(always)]
    pub fn path(mut self, literal: &'static str) -> Self {
        if self.request.target.is_empty() {
            self.request.target = Cow::Borrowed(literal);
        } else {
            self.write_path(|path| path.push_str(literal));
        }
        self
    }

    /// Appends `/` and `value` as exactly one percent-encoded segment. The value must
    /// serialize as a scalar; `""`, `"."`, `".."` and `None` are errors.
    #[inline(always)]
    pub fn segment<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        if self.error.is_none() {
            let route = self.request.route;
            match self.write_path(|path| encode::segment(route, path, value)) {
                Ok(true) => {}
                Ok(false) => self.error = Some(Box::new(RequestError::MissingSegment { route })),
                Err(e) => self.error = Some(Box::new(e)),
            }
        }
        self
    }

    /// Like [`segment`](Self::segment), but `None` appends nothing (an optional last segment).
    #[inline(always)]
    pub fn optional_segment<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        if self.error.is_none() {
            let route = self.request.route;
            if let Err(e) = self.write_path(|path| encode::segment(route, path, value)) {
                self.error = Some(Box::new(e));
            }
        }
        self
    }

    /// Adds query pairs: a scalar is `name=value`, `None` nothing, a sequence one pair per
    /// element under `name` (`imp_uid[]=a&imp_uid[]=b`), and a struct or map one pair per
    /// field under the field's own name (then `name` is not used). Order is kept.
    #[inline(always)]
    pub fn query<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        if self.error.is_none() {
            let start = match self.query_start {
                Some(start) => start,
                None => *self.query_start.insert(self.request.target.len()),
            };
            if let Err(e) = encode::query(name, self.path_mut(), start, value) {
                self.error = Some(Box::new(e));
            }
        }
        self
    }

    /// Adds a header from a scalar value; `None` adds nothing. `Authorization`,
    /// `X-ImpTokenHeader`, `Tier` and `Content-Type` are the client's and refused here: use
    /// [`TokenHeader`](crate::TokenHeader) and [`Client::with_tier`](crate::Client::with_tier).
    #[inline(always)]
    pub fn header<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        if self.error.is_some() {
            return self;
        }
        let result = encode::scalar(name, value).and_then(|text| {
            let Some(text) = text else { return Ok(()) };
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| RequestError::InvalidHeader(name.escape_debug().to_string()))?;
            // The client owns these: a second token or tier would be ambiguous.
            if matches!(
                name.as_str(),
                "authorization" | "x-imptokenheader" | "tier" | "content-type"
            ) {
                return Err(RequestError::ReservedHeader(name.to_string()));
            }
            let value = HeaderValue::try_from(text)
                .map_err(|_| RequestError::InvalidHeader(name.to_string()))?;
            self.request
                .headers
                .get_or_insert_with(Box::default)
                .append(name, value);
            Ok(())
        });
        if let Err(e) = result {
            self.error = Some(Box::new(e));
        }
        self
    }

    /// Sets the JSON body.
    #[inline(always)]
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        if self.error.is_none() {
            match serde_json::to_vec(body) {
                Ok(bytes) => self.request.body = Some(bytes),
                Err(e) => self.error = Some(Box::new(RequestError::Body(e))),
            }
        }
        self
    }

    /// Sets the timeout of this call, in place of the client's.
    #[inline(always)]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.request.timeout = Some(timeout);
        self
    }

    /// Marks the call as safe to send again after it may have reached the server (for a
    /// POST that only reads). A route that moves money refuses it when the request is built
    /// ([`RequestError::RetriedMoneyRoute`]): a second refund or charge cannot be undone.
    #[inline(always)]
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.request.idempotent = idempotent;
        self.idempotent_asked = idempotent;
        self
    }

    /// Marks the call as a charge ([`Money::Charges`]): a payment with a billing key or card
    /// data, on a route PortOne does not document (the documented ones are known and marked
    /// when the request is built). The answer is `Ok` only for a `paid` payment: PortOne
    /// answers a card company's refusal with `code: 0` and a `failed` payment, which is
    /// [`Error::Declined`](crate::Error::Declined), and any other status is
    /// [`Error::Unsettled`](crate::Error::Unsettled). A charge is never sent twice.
    ///
    /// ```
    /// use portone_core::{Method, Money, Request};
    ///
    /// let request = Request::builder(Method::POST, "/subscribe/payments/foreign")
    ///     .path("/subscribe/payments/foreign")
    ///     .json(&serde_json::json!({"merchant_uid": "order-1", "amount": 1000}))
    ///     .charge(true)
    ///     .build()?;
    /// assert_eq!(request.money(), Money::Charges);
    /// assert!(!request.is_idempotent());
    /// # Ok::<(), portone_core::Error>(())
    /// ```
    #[inline(always)]
    pub fn charge(self, charge: bool) -> Self {
        self.money(if charge {
            Money::Charges
        } else {
            Money::Untouched
        })
    }

    /// Says what the call does with money ([`Money`]), for a route PortOne does not document.
    /// On a route it documents, the route's own rule applies whatever is said here.
    #[inline(always)]
    pub fn money(mut self, money: Money) -> Self {
        self.money = Some(money);
        self
    }

    /// What generated code calls: the rule `#[portone::api]` already read from the route, so
    /// that building the request need not look the route up again. (Where a placeholder of
    /// the template may stand for the literal of a money route, `/payments/<action>`, the
    /// macro calls [`money`](Self::money) instead, and the path sent decides.)
    #[doc(hidden)]
    #[inline(always)]
    pub fn money_of_route(mut self, money: Money) -> Self {
        self.request.money = money;
        self.money = None;
        self.routed = true;
        self
    }

    /// Finishes the request. A route PortOne documents as moving money (or an undocumented
    /// one older SDKs call, such as `POST /subscribe/payments/foreign`) gets its own
    /// [`Money`] rule, whatever [`charge`](Self::charge) or [`money`](Self::money) said.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] with the first mistake met while building, or
    /// [`RequestError::RetriedMoneyRoute`] for [`idempotent`](Self::idempotent) on a call that
    /// moves money.
    #[inline(always)]
    pub fn build(mut self) -> Result<Request> {
        if let Some(e) = self.error {
            return Err(Error::InvalidRequest(*e));
        }
        self.request.path_len = self.query_start.unwrap_or(self.request.target.len());
        if !self.routed {
            self.request.money = money_routes::lookup(&self.request.method, self.request.path())
                .or(self.money)
                .unwrap_or(Money::Untouched);
            if self.idempotent_asked && self.request.money.moves_money() {
                return Err(Error::InvalidRequest(RequestError::RetriedMoneyRoute {
                    route: self.request.route,
                }));
            }
        }
        Ok(self.request)
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

    /// Decodes the answer to a call of this kind: a call that creates a payment is `Ok`
    /// only with the status that settles it ([`Error::Declined`] for `failed`,
    /// [`Error::Unsettled`] for anything else), and an answer that fails to decode, or a
    /// `5xx`, after a call that is not retried says the outcome is unknown.
    pub(crate) fn decode_as<T: DeserializeOwned>(&self, kind: CallKind) -> Result<T> {
        let result = match kind.money.settles_as() {
            Some(settles_as) => envelope::decode_charge(self.status, &self.body, settles_as),
            None => envelope::decode(self.status, &self.body),
        };
        if kind.idempotent {
            result
        } else {
            result.map_err(Error::after_unretried_send)
        }
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

    /// Sends the request and decodes the envelope's `response` as `T`: a call that creates a
    /// payment is `Ok` only when the payment is settled ([`Money`]), and a decoding failure
    /// or a `5xx` after a call that is not retried is marked as an unknown outcome
    /// ([`Error::is_outcome_unknown`]).
    fn call<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<T>> + Send + 'static + use<Self, T> {
        let kind = request.kind();
        let response = self.execute(request);
        async move { response.await?.decode_as(kind) }
    }

    /// PortOne's clock now, in Unix seconds: where a listing whose end the caller left open
    /// ends. [`Client`](crate::Client) reads it from its token (getToken answers PortOne's
    /// `now`; a token is fetched first if none is cached), so a machine whose clock is off
    /// does not cut the listing short. This default reads this machine's clock.
    ///
    /// # Errors
    ///
    /// The client's: [`Error::Auth`](crate::Error::Auth) when no token can be had.
    fn portone_time(&self) -> impl Future<Output = Result<i64>> + Send + 'static + use<Self> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| {
                i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
            });
        std::future::ready(Ok(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_route_is_not_copied() {
        let request = Request::builder(Method::POST, "/payments/cancel")
            .path("/payments/cancel")
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(request.target, Cow::Borrowed("/payments/cancel")));
        assert!(request.query().is_empty());
    }

    #[test]
    fn path_given_after_the_query_still_goes_before_it() {
        let request = Request::builder(Method::GET, "/a/<x>/b")
            .path("/a")
            .query("page", &2)
            .query("none", &None::<u8>)
            .segment("x y")
            .path("/b")
            .query("q", "v")
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(request.path(), "/a/x%20y/b");
        assert_eq!(request.path_and_query(), "/a/x%20y/b?page=2&q=v");
        assert_eq!(
            request.query(),
            [
                ("page".to_owned(), "2".to_owned()),
                ("q".to_owned(), "v".to_owned())
            ]
        );
    }

    #[test]
    fn headers_the_client_owns_are_refused() {
        for name in ["Authorization", "X-ImpTokenHeader", "tier", "Content-Type"] {
            let request = Request::builder(Method::GET, "/a")
                .path("/a")
                .header(name, "x")
                .build();
            assert!(
                matches!(
                    request,
                    Err(Error::InvalidRequest(RequestError::ReservedHeader(_)))
                ),
                "{name}"
            );
        }
        let request = Request::builder(Method::GET, "/a")
            .path("/a")
            .header("X-Request-Id", "r1")
            .header("X-None", &None::<&str>)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(request.headers().len(), 1);
    }

    #[test]
    fn a_money_route_built_by_hand_keeps_its_rule() {
        let build = |method: Method, path: &'static str| Request::builder(method, path).path(path);
        let again = build(Method::POST, "/subscribe/payments/again").build();
        assert_eq!(again.map(|r| r.money()).ok(), Some(Money::Charges));
        // The route's rule wins over what the caller said.
        let cancel = build(Method::POST, "/payments/cancel/")
            .charge(true)
            .build();
        assert_eq!(cancel.map(|r| r.money()).ok(), Some(Money::Moves));
        let vbank = build(Method::POST, "/vbanks").charge(true).build();
        assert_eq!(vbank.map(|r| r.money()).ok(), Some(Money::Issues));
        // A PUT that moves money is never sent twice, though PUTs are otherwise.
        let modify = build(Method::PUT, "/vbanks").segment("imp_1").build();
        assert!(modify.is_ok_and(|r| !r.is_idempotent() && r.money() == Money::Moves));
        // Asking to send it twice is refused before anything is sent.
        for request in [
            build(Method::POST, "/payments/cancel").idempotent(true),
            build(Method::POST, "/a/route/of/mine")
                .charge(true)
                .idempotent(true),
        ] {
            assert!(matches!(
                request.build(),
                Err(Error::InvalidRequest(
                    RequestError::RetriedMoneyRoute { .. }
                ))
            ));
        }
        // Elsewhere the caller decides.
        let mine = build(Method::POST, "/a/route/of/mine")
            .money(Money::Issues)
            .build();
        assert_eq!(mine.map(|r| r.money()).ok(), Some(Money::Issues));
        let read = build(Method::POST, "/benepia/point")
            .idempotent(true)
            .build();
        assert!(read.is_ok_and(|r| r.is_idempotent() && r.money() == Money::Untouched));
    }

    #[test]
    fn a_generated_template_that_turns_out_a_money_route_gets_its_rule() {
        // What `#[post("/payments/<action>", idempotent)]` builds for `action = "cancel"`:
        // the macro leaves the rule to the path sent.
        let generated = |action: &str, idempotent: bool| {
            Request::builder(Method::POST, "/payments/<action>")
                .path("/payments")
                .segment(action)
                .idempotent(idempotent)
                .money(Money::Untouched)
                .build()
        };
        assert!(matches!(
            generated("cancel", true),
            Err(Error::InvalidRequest(RequestError::RetriedMoneyRoute {
                route: "/payments/<action>"
            }))
        ));
        let cancel = generated("cancel", false);
        assert!(cancel.is_ok_and(|r| r.money() == Money::Moves && !r.is_idempotent()));
        let other = generated("prepare", true);
        assert!(other.is_ok_and(|r| r.money() == Money::Untouched && r.is_idempotent()));
        // A rule the template already gave stands.
        let declared = Request::builder(Method::POST, "/subscribe/payments/<how>")
            .path("/subscribe/payments")
            .segment("again")
            .money_of_route(Money::Charges)
            .build();
        assert!(declared.is_ok_and(|r| r.money() == Money::Charges));
    }

    #[test]
    fn only_none_queries_leave_no_question_mark() {
        let request = Request::builder(Method::GET, "/a")
            .path("/a")
            .query("x", &None::<u8>)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(request.path_and_query(), "/a");
        assert_eq!(request.path(), "/a");
    }
}
