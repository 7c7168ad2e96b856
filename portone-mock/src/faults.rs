//! Fault injection: make a route misbehave the way networks, proxies and PortOne's own
//! edge do, so a client's handling of each failure can be tested.
//!
//! A [`Fault`] says what goes wrong; [`Fault::on`] picks the route and [`Fault::times`] how
//! often. Faults are tried in the order they were injected; the first one that matches a
//! request and has uses left applies. Every faulted request is still recorded in
//! [`MockServer::requests`](crate::MockServer::requests), with
//! [`RecordedRequest::fault`](crate::RecordedRequest::fault) naming the fault.

use std::future::Future;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, Method, Response, StatusCode, header};
use bytes::Bytes;
use tokio::sync::Notify;

use crate::reply::JSON_CONTENT_TYPE;

/// A way for one route to fail. Built by the constructors below, then narrowed with
/// [`on`](Fault::on), [`times`](Fault::times) and [`after`](Fault::after).
///
/// Faults marked *processed* let the server handle the request first (a cancel is
/// executed, a payment made), then spoil the answer: the client cannot know the outcome.
/// Processing runs to completion whatever the client does (hanging up, timing out), so
/// after such a fault the effect is always there. The others never reach the business
/// logic.
///
/// ```
/// use std::time::Duration;
/// use portone_mock::{Fault, Method};
///
/// // The first cancel is reset after the server processed it; later ones work.
/// let lost = Fault::drop_response().on(Method::POST, "/payments/cancel").times(1);
/// // The refund happens, but its answer comes after a 10 s client timeout.
/// let late = Fault::delay_after_processing(Duration::from_secs(30))
///     .on(Method::POST, "/payments/cancel");
/// // Every lookup answers a proxy's 504 after 2 s.
/// let slow = Fault::gateway_timeout()
///     .after(Duration::from_secs(2))
///     .on(Method::GET, "/payments/{imp_uid}");
/// # let _ = (lost, late, slow);
/// ```
#[derive(Clone, Debug)]
pub struct Fault {
    pub(crate) kind: FaultKind,
    pub(crate) name: &'static str,
    pub(crate) method: Option<Method>,
    pub(crate) path: Option<String>,
    pub(crate) times: Option<usize>,
    pub(crate) after: Option<Duration>,
}

#[derive(Clone, Debug)]
pub(crate) enum FaultKind {
    /// Sleep, then answer normally.
    Delay(Duration),
    /// Process, then sleep, then answer.
    DelayAfterProcessing(Duration),
    /// Answer this instead of processing.
    Respond {
        status: u16,
        content_type: String,
        body: Bytes,
    },
    /// Close (FIN) or reset (RST) the connection without answering; `read_body: false`
    /// closes before the body is read.
    Close { read_body: bool, reset: bool },
    /// Process, then reset the connection instead of answering.
    DropResponse,
    /// Process, then send the head and half the body, then reset.
    ResetMidBody,
    /// Process, then answer `200` with the JSON cut in half.
    MalformedJson,
    /// Process, then answer with a `text/html` content type.
    WrongContentType,
}

/// The HTML page a load balancer sends with a 502.
const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
const HTML_503: &str = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n";
const HTML_504: &str = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n";
const HTML: &str = "text/html";

impl Fault {
    fn new(name: &'static str, kind: FaultKind) -> Fault {
        Fault {
            kind,
            name,
            method: None,
            path: None,
            times: None,
            after: None,
        }
    }

    /// Waits `by`, then processes the request and answers normally: a slow network or a
    /// queue in front of PortOne.
    ///
    /// The wait comes *before* processing and belongs to the connection. A client that
    /// stays connected until it ends gets the normal answer. A client that closes the
    /// connection during the wait (a client timeout shorter than `by` does) takes the
    /// request with it: it is **not processed**, ever. For "processed, but the answer
    /// comes too late", see [`delay_after_processing`](Fault::delay_after_processing).
    #[must_use]
    pub fn delay(by: Duration) -> Fault {
        Fault::new("delay", FaultKind::Delay(by))
    }

    /// Processes the request to the end, then waits `by` before answering (processed). With
    /// `by` longer than the client's timeout, the operation happened but the client gave up
    /// first: the "processed, then the answer is late" case. The effect is committed
    /// before the wait starts, so a client that hangs up during the wait cannot undo it; a
    /// client that waits long enough gets the normal answer.
    #[must_use]
    pub fn delay_after_processing(by: Duration) -> Fault {
        Fault::new(
            "delay_after_processing",
            FaultKind::DelayAfterProcessing(by),
        )
    }

    /// Answers `status` with this body and content type, without processing. A status
    /// outside `100..=999` is sent as `502`.
    #[must_use]
    pub fn respond(status: u16, content_type: &str, body: impl Into<Bytes>) -> Fault {
        Fault::new(
            "respond",
            FaultKind::Respond {
                status,
                content_type: content_type.to_owned(),
                body: body.into(),
            },
        )
    }

    /// A load balancer's HTML `502 Bad Gateway` page.
    #[must_use]
    pub fn html_502() -> Fault {
        Fault::respond(502, HTML, HTML_502).named("html_502")
    }

    /// A load balancer's HTML `503 Service Temporarily Unavailable` page.
    #[must_use]
    pub fn service_unavailable() -> Fault {
        Fault::respond(503, HTML, HTML_503).named("service_unavailable")
    }

    /// A load balancer's HTML `504 Gateway Time-out` page; pair it with
    /// [`after`](Fault::after) for a slow one.
    #[must_use]
    pub fn gateway_timeout() -> Fault {
        Fault::respond(504, HTML, HTML_504).named("gateway_timeout")
    }

    /// `500` with the JSON envelope, as PortOne answers when a PG fails.
    #[must_use]
    pub fn internal_error() -> Fault {
        Fault::respond(
            500,
            JSON_CONTENT_TYPE,
            r#"{"code":-1,"message":"Internal Server Error","response":null}"#,
        )
        .named("internal_error")
    }

    /// `401` with the JSON envelope, as for an expired token. With `.times(1)` it is the
    /// "token expired in flight" case: the retry after a refresh succeeds.
    #[must_use]
    pub fn unauthorized() -> Fault {
        Fault::respond(
            401,
            JSON_CONTENT_TYPE,
            r#"{"code":-1,"message":"Unauthorized","response":null}"#,
        )
        .named("unauthorized")
    }

    /// Reads the whole request, then closes the connection (FIN) without answering. Not
    /// processed.
    #[must_use]
    pub fn close_connection() -> Fault {
        Fault::new(
            "close_connection",
            FaultKind::Close {
                read_body: true,
                reset: false,
            },
        )
    }

    /// Reads the whole request, then resets the connection (RST) without answering. Not
    /// processed.
    #[must_use]
    pub fn reset_connection() -> Fault {
        Fault::new(
            "reset_connection",
            FaultKind::Close {
                read_body: true,
                reset: true,
            },
        )
    }

    /// Closes the connection as soon as the request head arrives, before reading the body.
    /// The log holds the request with an empty body. Not processed.
    #[must_use]
    pub fn close_before_body() -> Fault {
        Fault::new(
            "close_before_body",
            FaultKind::Close {
                read_body: false,
                reset: false,
            },
        )
    }

    /// Processes the request to the end, then resets the connection instead of answering:
    /// the operation happened but the client never hears of it ("processed, then the
    /// answer is lost").
    #[must_use]
    pub fn drop_response() -> Fault {
        Fault::new("drop_response", FaultKind::DropResponse)
    }

    /// Processes the request, sends the head (with the full `Content-Length`) and half of
    /// the body, then resets the connection.
    #[must_use]
    pub fn reset_mid_body() -> Fault {
        Fault::new("reset_mid_body", FaultKind::ResetMidBody)
    }

    /// Processes the request, then answers `200` with the JSON body cut in half.
    #[must_use]
    pub fn malformed_json() -> Fault {
        Fault::new("malformed_json", FaultKind::MalformedJson)
    }

    /// Processes the request, then answers with its real body under
    /// `Content-Type: text/html`.
    #[must_use]
    pub fn wrong_content_type() -> Fault {
        Fault::new("wrong_content_type", FaultKind::WrongContentType)
    }

    fn named(mut self, name: &'static str) -> Fault {
        self.name = name;
        self
    }

    /// Applies only to `method` on `path`. `path` is exact (`/payments/cancel`) or a
    /// pattern whose `{name}` segments match any one segment (`/payments/{imp_uid}`; note
    /// that this also matches `/payments/cancel`). Without `on`, a fault applies to every
    /// request.
    #[must_use]
    pub fn on(mut self, method: Method, path: &str) -> Fault {
        self.method = Some(method);
        self.path = Some(path.to_owned());
        self
    }

    /// Applies to any method on `path` (see [`on`](Fault::on) for patterns).
    #[must_use]
    pub fn on_path(mut self, path: &str) -> Fault {
        self.method = None;
        self.path = Some(path.to_owned());
        self
    }

    /// Applies to the first `n` matching requests only; without it, to all of them.
    #[must_use]
    pub fn times(mut self, n: usize) -> Fault {
        self.times = Some(n);
        self
    }

    /// Waits `by` before the fault acts (for a `504` after a delay, or a slow reset).
    #[must_use]
    pub fn after(mut self, by: Duration) -> Fault {
        self.after = Some(by);
        self
    }

    /// The name recorded in [`RecordedRequest::fault`](crate::RecordedRequest::fault).
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub(crate) fn matches(&self, method: &Method, path: &str) -> bool {
        if self.method.as_ref().is_some_and(|m| m != method) {
            return false;
        }
        self.path.as_deref().is_none_or(|p| path_matches(p, path))
    }
}

/// How the admin API builds a fault of each `kind`.
#[derive(Clone, Copy)]
pub(crate) enum Make {
    /// Takes nothing.
    Plain(fn() -> Fault),
    /// Takes how long (`delay_ms`).
    Timed(fn(Duration) -> Fault),
    /// [`Fault::respond`]: a status, a content type and a body.
    Respond,
}

/// Every fault kind by name, as [`Fault`]'s constructors are named.
pub(crate) const KINDS: [(&str, Make); 15] = [
    ("delay", Make::Timed(Fault::delay)),
    (
        "delay_after_processing",
        Make::Timed(Fault::delay_after_processing),
    ),
    ("respond", Make::Respond),
    ("html_502", Make::Plain(Fault::html_502)),
    (
        "service_unavailable",
        Make::Plain(Fault::service_unavailable),
    ),
    ("gateway_timeout", Make::Plain(Fault::gateway_timeout)),
    ("internal_error", Make::Plain(Fault::internal_error)),
    ("unauthorized", Make::Plain(Fault::unauthorized)),
    ("close_connection", Make::Plain(Fault::close_connection)),
    ("reset_connection", Make::Plain(Fault::reset_connection)),
    ("close_before_body", Make::Plain(Fault::close_before_body)),
    ("drop_response", Make::Plain(Fault::drop_response)),
    ("reset_mid_body", Make::Plain(Fault::reset_mid_body)),
    ("malformed_json", Make::Plain(Fault::malformed_json)),
    ("wrong_content_type", Make::Plain(Fault::wrong_content_type)),
];

/// An injected fault and its remaining uses.
#[derive(Debug)]
pub(crate) struct Rule {
    pub(crate) fault: Fault,
    pub(crate) remaining: Option<usize>,
}

/// Takes one use of the first matching fault with uses left.
pub(crate) fn take(rules: &mut [Rule], method: &Method, path: &str) -> Option<Fault> {
    let rule = rules
        .iter_mut()
        .find(|r| r.remaining != Some(0) && r.fault.matches(method, path))?;
    if let Some(n) = &mut rule.remaining {
        *n -= 1;
    }
    Some(rule.fault.clone())
}

fn path_matches(pattern: &str, path: &str) -> bool {
    let pat: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    pat.len() == got.len()
        && pat.iter().zip(&got).all(|(p, g)| {
            (p.starts_with('{') && p.ends_with('}') && !g.is_empty()) || p == g || *p == decode(g)
        })
}

fn decode(segment: &str) -> String {
    let bytes: Vec<u8> =
        form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned().into_bytes())
            .unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// How long a cut body waits between its first half and the reset, so the half is flushed.
const CUT_PAUSE: Duration = Duration::from_millis(50);

/// Lets a request's fault end the connection it came on.
#[derive(Debug, Default)]
pub(crate) struct Hangup {
    kill: Notify,
    reset: AtomicBool,
}

impl Hangup {
    fn hang_up(&self, reset: bool) {
        self.reset.store(reset, Ordering::SeqCst);
        self.kill.notify_one();
    }

    /// Resolves when a fault ends the connection.
    pub(crate) async fn killed(&self) {
        self.kill.notified().await;
    }

    /// Whether the connection is to be reset (RST) rather than closed (FIN).
    pub(crate) fn resets(&self) -> bool {
        self.reset.load(Ordering::SeqCst)
    }
}

impl Fault {
    /// Whether the request's body is read at all before the fault acts.
    pub(crate) fn reads_body(&self) -> bool {
        !matches!(
            self.kind,
            FaultKind::Close {
                read_body: false,
                ..
            }
        )
    }

    /// Answers a request this fault applies to. `route` processes the request (to the end,
    /// whatever the client does) and answers it normally; whether it is called, and what
    /// becomes of its answer, is the fault's to say.
    pub(crate) async fn answer<Fut>(
        self,
        route: impl FnOnce() -> Fut,
        hangup: &Hangup,
    ) -> Response<Body>
    where
        Fut: Future<Output = Response<Body>>,
    {
        if let Some(after) = self.after {
            tokio::time::sleep(after).await;
        }
        match self.kind {
            FaultKind::Delay(by) => {
                // On the connection: a client gone before the sleep ends takes the request
                // with it, unprocessed.
                tokio::time::sleep(by).await;
                route().await
            }
            FaultKind::DelayAfterProcessing(by) => {
                let res = route().await;
                tokio::time::sleep(by).await;
                res
            }
            FaultKind::Respond {
                status,
                content_type,
                body,
            } => {
                let mut res = Response::new(Body::from(body));
                *res.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
                if let Ok(v) = HeaderValue::from_str(&content_type) {
                    res.headers_mut().insert(header::CONTENT_TYPE, v);
                }
                res
            }
            FaultKind::Close { reset, .. } => never_answer(hangup, reset).await,
            FaultKind::DropResponse => {
                drop(route().await);
                never_answer(hangup, true).await
            }
            FaultKind::ResetMidBody => reset_mid_body(route().await, hangup).await,
            FaultKind::MalformedJson => {
                let (mut head, full) = collect(route().await).await;
                head.status = StatusCode::OK;
                head.headers.remove(header::CONTENT_LENGTH);
                head.headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(JSON_CONTENT_TYPE),
                );
                Response::from_parts(head, Body::from(full.slice(..full.len() / 2)))
            }
            FaultKind::WrongContentType => {
                let mut res = route().await;
                res.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=UTF-8"),
                );
                res
            }
        }
    }
}

/// The head with the full `Content-Length` and half the body, then a reset.
async fn reset_mid_body(res: Response<Body>, hangup: &Hangup) -> Response<Body> {
    let (mut head, full) = collect(res).await;
    // The connection dies with the body: make that a reset, not a clean close.
    hangup.reset.store(true, Ordering::SeqCst);
    head.headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
    let half = full.slice(..full.len() / 2);
    let stream = futures_util::stream::unfold(0u8, move |step| {
        let half = half.clone();
        async move {
            match step {
                0 => Some((Ok(half), 1)),
                1 => {
                    tokio::time::sleep(CUT_PAUSE).await;
                    Some((Err(io::Error::from(io::ErrorKind::ConnectionReset)), 2))
                }
                _ => None,
            }
        }
    });
    Response::from_parts(head, Body::from_stream(stream))
}

async fn collect(res: Response<Body>) -> (axum::http::response::Parts, Bytes) {
    let (head, body) = res.into_parts();
    (head, to_bytes(body, usize::MAX).await.unwrap_or_default())
}

/// Ends the connection and never answers: the connection task drops this future.
async fn never_answer(hangup: &Hangup, reset: bool) -> Response<Body> {
    hangup.hang_up(reset);
    std::future::pending().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(path_matches("/payments/{imp_uid}", "/payments/imp_1"));
        assert!(path_matches("/payments/{imp_uid}", "/payments/cancel"));
        assert!(!path_matches(
            "/payments/{imp_uid}",
            "/payments/imp_1/balance"
        ));
        assert!(!path_matches("/payments/{imp_uid}", "/payments"));
        assert!(path_matches("/payments/cancel", "/payments/cancel"));
        assert!(path_matches("/payments/find/a b", "/payments/find/a%20b"));
        assert!(!path_matches("/payments/cancel", "/payments/prepare"));
    }

    #[test]
    fn the_table_names_each_kind_as_its_constructor_does() {
        for (name, make) in KINDS {
            let fault = match make {
                Make::Plain(f) => f(),
                Make::Timed(f) => f(Duration::from_millis(1)),
                Make::Respond => Fault::respond(418, "text/plain", ""),
            };
            assert_eq!(fault.name(), name);
        }
    }

    #[test]
    fn times_runs_out() {
        let mut rules = vec![
            Rule {
                fault: Fault::unauthorized().on(Method::GET, "/x").times(1),
                remaining: Some(1),
            },
            Rule {
                fault: Fault::html_502().on_path("/x"),
                remaining: None,
            },
        ];
        assert_eq!(
            take(&mut rules, &Method::GET, "/x").map(|f| f.name),
            Some("unauthorized")
        );
        assert_eq!(
            take(&mut rules, &Method::GET, "/x").map(|f| f.name),
            Some("html_502")
        );
        assert_eq!(
            take(&mut rules, &Method::POST, "/x").map(|f| f.name),
            Some("html_502")
        );
        assert!(take(&mut rules, &Method::GET, "/y").is_none());
    }
}
