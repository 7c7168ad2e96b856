//! The admin API under `/__mock/`: over HTTP, what a Rust test does with [`MockServer`]'s
//! helpers, so that a test in any language can drive the mock. Answers come in PortOne's
//! envelope (`{code, message, response}`), with messages in English: they are the mock's
//! own, not PortOne's.
//!
//! Admin requests are not recorded in the request log, no fault applies to them, and
//! `live_quirks` never reshapes their answers. The pay page ([`page`]) is an admin route
//! too. Every route is documented, with a `curl` line, in the crate's README.
//!
//! [`MockServer`]: crate::MockServer

mod fault_spec;
mod page;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Number, Value, json};

use crate::MockError;
use crate::checkout::Checkout;
use crate::record::RecordedRequest;
use crate::reply::{Answer, Reply};
use crate::routes::{App, Path};
use crate::state::Payment;
use crate::webhooks::{Webhook, WebhookEvent};

/// Where the admin routes live: a prefix PortOne's API never uses.
pub(crate) const PREFIX: &str = "/__mock";

/// Whether a request's path is an admin route's (`/__mock` or below).
pub(crate) fn is_admin_path(path: &str) -> bool {
    path.strip_prefix(PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Who may use the admin API, fixed at start.
pub(crate) struct Access {
    addr: SocketAddr,
    token: Option<String>,
}

impl Access {
    pub(crate) fn new(addr: SocketAddr, token: Option<String>) -> Access {
        Access { addr, token }
    }

    /// The refusal of a request that may not use the admin API. Open on a loopback
    /// address; with a token, only to requests that carry it; refused otherwise, since
    /// anyone who reaches the port could make payments and read what clients sent
    /// (secrets included) in the request log.
    fn refuse(&self, parts: &Parts) -> Option<Response> {
        match &self.token {
            Some(want) => {
                let given = bearer(parts).or_else(|| query_token(parts));
                if given.is_some_and(|g| same(g.as_bytes(), want.as_bytes())) {
                    return None;
                }
                let mut res = Reply::fail(
                    StatusCode::UNAUTHORIZED,
                    -1,
                    "the admin API needs the admin token: send `Authorization: Bearer <token>` \
                     (or `?admin_token=<token>` from a browser)",
                )
                .into_response();
                res.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"portone-mock admin\""),
                );
                Some(res)
            }
            None if self.addr.ip().to_canonical().is_loopback() => None,
            None => Some(
                Reply::fail(
                    StatusCode::FORBIDDEN,
                    -1,
                    format!(
                        "the admin API is off: this server listens on {}, which is not a \
                         loopback address; start it with --admin-token to use it",
                        self.addr
                    ),
                )
                .into_response(),
            ),
        }
    }
}

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

fn query_token(parts: &Parts) -> Option<String> {
    form_urlencoded::parse(parts.uri.query()?.as_bytes())
        .find(|(k, _)| k == "admin_token")
        .map(|(_, v)| v.into_owned())
}

/// Compares in time that depends on the length only, not on where the first difference
/// is, so that the token cannot be guessed byte by byte from answer times.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && std::hint::black_box(a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y))) == 0
}

async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if let Some(refusal) = app.admin.refuse(&parts) {
        return refusal;
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The admin routes, to be nested under [`PREFIX`].
pub(crate) fn routes(app: App) -> Router<App> {
    Router::new()
        .route("/checkout", post(checkout))
        .route("/deposit/{imp_uid}", post(deposit))
        .route("/cancel/{imp_uid}", post(console_cancel))
        .route("/advance", post(advance))
        .route(
            "/faults",
            post(fault_spec::add)
                .delete(fault_spec::clear)
                .get(fault_spec::list),
        )
        .route("/requests", get(requests).delete(forget_requests))
        .route("/webhooks", get(webhooks).post(send_webhook))
        .route("/webhooks/{id}/duplicate", post(duplicate_webhook))
        .route("/reset", post(reset))
        .route("/pay", get(page::show).post(page::submit))
        .fallback(|| async {
            Reply::not_found(format!(
                "no such admin route; see the portone-mock README for those under {PREFIX}/"
            ))
        })
        .method_not_allowed_fallback(|| async {
            Reply::fail(
                StatusCode::METHOD_NOT_ALLOWED,
                -1,
                "this admin route does not take that method",
            )
        })
        .layer(middleware::from_fn_with_state(app, guard))
}

/// The body as JSON of type `T`; an empty body is `{}`. The content type is not looked at,
/// so that `curl -d '{...}'` works as it is.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Reply> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let mut json = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut json).map_err(|e| {
        let at = e.path().to_string();
        let why = e.into_inner();
        // `.` is the whole body: a syntax error, a missing or an unknown field.
        if at == "." {
            Reply::bad_request(format!("the body is not what this route takes: {why}"))
        } else {
            Reply::bad_request(format!("`{at}`: {why}"))
        }
    })
}

/// A [`MockError`] as an answer: what the caller sent is wrong (`400`), names nothing
/// known (`404`), or cannot be done in the record's state (`409`).
pub(crate) fn refusal(e: &MockError) -> Reply {
    let status = match e {
        MockError::UnknownPayment(_) | MockError::UnknownWebhook(_) => StatusCode::NOT_FOUND,
        MockError::NotReadyVbank(_) | MockError::CancelRefused(_) => StatusCode::CONFLICT,
        _ => StatusCode::BAD_REQUEST,
    };
    Reply::fail(status, -1, e.to_string())
}

/// How the checkout ends.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Outcome {
    /// The buyer paid.
    #[default]
    Paid,
    /// The payment failed (the buyer gave up, the card was refused).
    Failed,
    /// A virtual account was issued, waiting for the deposit.
    VbankReady,
}

/// `POST /__mock/checkout`, and what the pay page completes.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckoutSpec {
    pub(crate) merchant_uid: String,
    /// A number, or a string holding one.
    pub(crate) amount: Value,
    #[serde(default)]
    pub(crate) outcome: Outcome,
    pub(crate) pay_method: Option<String>,
    pub(crate) pg: Option<String>,
    pub(crate) sandbox: Option<bool>,
    pub(crate) tier: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) buyer_name: Option<String>,
    pub(crate) buyer_email: Option<String>,
    pub(crate) buyer_tel: Option<String>,
    pub(crate) currency: Option<String>,
    #[serde(default)]
    pub(crate) escrow: bool,
    /// A string, or any JSON (kept as its text, as PortOne does).
    pub(crate) custom_data: Option<Value>,
    pub(crate) fail_reason: Option<String>,
    /// One URL or a list.
    pub(crate) notice_url: Option<Value>,
    /// Read as a `Value`, so that no error message ever quotes it.
    pub(crate) card_number: Option<Value>,
}

impl CheckoutSpec {
    pub(crate) fn into_checkout(self) -> Result<Checkout, Reply> {
        let amount = match &self.amount {
            Value::Number(n) => Some(n.clone()),
            Value::String(s) => serde_json::from_str::<Number>(s.trim()).ok(),
            _ => None,
        }
        .ok_or_else(|| Reply::bad_request("`amount` must be a number"))?;
        let merchant_uid = self.merchant_uid;
        if merchant_uid.is_empty() {
            return Err(Reply::bad_request("`merchant_uid` must not be empty"));
        }
        let mut c = match self.outcome {
            Outcome::Paid => Checkout::paid(merchant_uid, amount),
            Outcome::Failed => Checkout::failed(merchant_uid, amount),
            Outcome::VbankReady => Checkout::vbank_ready(merchant_uid, amount),
        };
        if let Some(v) = &self.pay_method {
            c = c.pay_method(v);
        }
        if let Some(v) = &self.pg {
            c = c.pg(v);
        }
        if let Some(v) = self.sandbox {
            c = c.sandbox(v);
        }
        c = c.tier(self.tier.as_deref());
        if let Some(v) = &self.name {
            c = c.name(v);
        }
        if let Some(v) = &self.buyer_name {
            c = c.buyer_name(v);
        }
        if let Some(v) = &self.buyer_email {
            c = c.buyer_email(v);
        }
        if let Some(v) = &self.buyer_tel {
            c = c.buyer_tel(v);
        }
        if let Some(v) = &self.currency {
            c = c.currency(v);
        }
        c = c.escrow(self.escrow);
        match self.custom_data {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => c = c.custom_data(&s),
            Some(other) => c = c.custom_data(&other.to_string()),
        }
        if let Some(v) = &self.fail_reason {
            c = c.fail_reason(v);
        }
        match self.notice_url {
            None | Some(Value::Null) => {}
            Some(Value::String(url)) => c = c.notice_url(&url),
            Some(Value::Array(urls)) => {
                for url in urls {
                    let Value::String(url) = url else {
                        return Err(Reply::bad_request(
                            "`notice_url` must be a URL or a list of URLs",
                        ));
                    };
                    c = c.notice_url(&url);
                }
            }
            Some(_) => {
                return Err(Reply::bad_request(
                    "`notice_url` must be a URL or a list of URLs",
                ));
            }
        }
        match self.card_number {
            None | Some(Value::Null) => {}
            Some(Value::String(number)) => c = c.card(&number),
            Some(_) => return Err(Reply::bad_request("`card_number` must be a string")),
        }
        Ok(c)
    }
}

/// Completes `checkout` and answers the payment it made.
pub(crate) fn complete(app: &App, checkout: &Checkout) -> Answer {
    let mut st = app.lock();
    let imp_uid = checkout.apply(&mut st).map_err(|e| refusal(&e))?;
    Ok(Reply::ok(
        st.find_payment(&imp_uid)
            .map_or(Value::Null, Payment::to_json),
    ))
}

async fn checkout(State(app): State<App>, body: Bytes) -> Answer {
    let spec: CheckoutSpec = parse(&body)?;
    complete(&app, &spec.into_checkout()?)
}

fn payment(app: &App, imp_uid: &str) -> Value {
    app.lock()
        .find_payment(imp_uid)
        .map_or(Value::Null, Payment::to_json)
}

async fn deposit(State(app): State<App>, Path(imp_uid): Path<String>) -> Answer {
    app.lock().deposit(&imp_uid).map_err(|e| refusal(&e))?;
    Ok(Reply::ok(payment(&app, &imp_uid)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CancelSpec {
    amount: Option<Number>,
}

/// A cancel in PortOne's console: full without `amount`.
async fn console_cancel(
    State(app): State<App>,
    Path(imp_uid): Path<String>,
    body: Bytes,
) -> Answer {
    let spec: CancelSpec = parse(&body)?;
    let amount = spec
        .amount
        .map(|a| {
            crate::amount::Amount::from_number(&a)
                .filter(|x| !x.is_negative() && !x.is_zero())
                .ok_or_else(|| refusal(&MockError::InvalidAmount(a.to_string())))
        })
        .transpose()?;
    let cancellation_id = app
        .lock()
        .console_cancel(&imp_uid, amount)
        .map_err(|e| refusal(&e))?;
    let mut answer = payment(&app, &imp_uid);
    answer["cancellation_id"] = Value::String(cancellation_id);
    Ok(Reply::ok(answer))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceSpec {
    seconds: f64,
}

/// Moves the clock, as `MockServer::advance`; answers the new `now`.
async fn advance(State(app): State<App>, body: Bytes) -> Answer {
    let spec: AdvanceSpec = parse(&body)?;
    let by = Duration::try_from_secs_f64(spec.seconds).map_err(|_| {
        Reply::bad_request("`seconds` must be a number of seconds, 0 or more (fractions allowed)")
    })?;
    app.advance(by);
    Ok(Reply::ok(json!({ "now": app.lock().clock.now() })))
}

fn request_json(r: &RecordedRequest) -> Value {
    json!({
        "method": r.method.as_str(),
        "path": r.path,
        "query": r.query,
        "headers": r.headers,
        "body": r.body_text(),
        "fault": r.fault,
    })
}

/// The request log: everything PortOne clients sent, secrets included (which is why the
/// admin API is never open to other machines without a token).
async fn requests(State(app): State<App>) -> Answer {
    let st = app.lock();
    Ok(Reply::ok(json!({
        "get_token_calls": st.get_token_calls,
        "requests": st.log.iter().map(request_json).collect::<Vec<_>>(),
    })))
}

async fn forget_requests(State(app): State<App>) -> Answer {
    let mut st = app.lock();
    st.log.clear();
    st.get_token_calls = 0;
    Ok(Reply::ok(Value::Null))
}

async fn webhooks(State(app): State<App>) -> Answer {
    let st = app.lock();
    let all = serde_json::to_value(st.webhooks.all()).unwrap_or(Value::Null);
    Ok(Reply::ok(json!({
        "settled": st.webhooks.settled(st.clock.now_ms()),
        "deliveries": all,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookSpec {
    url: String,
    imp_uid: String,
    merchant_uid: String,
    status: String,
    cancellation_id: Option<String>,
}

/// A notification of the caller's own (a forgery, or a receiver's test).
async fn send_webhook(State(app): State<App>, body: Bytes) -> Answer {
    let spec: WebhookSpec = parse(&body)?;
    if reqwest::Url::parse(&spec.url).is_err() {
        return Err(Reply::bad_request("`url` is not a URL"));
    }
    let mut webhook = Webhook::new(spec.imp_uid, spec.merchant_uid, spec.status);
    webhook.cancellation_id = spec.cancellation_id;
    let mut st = app.lock();
    let now = st.clock.now();
    let id = st
        .webhooks
        .send(spec.url, WebhookEvent::Test, webhook, None, now);
    Ok(Reply::ok(json!({ "id": id })))
}

async fn duplicate_webhook(State(app): State<App>, Path(id): Path<u64>) -> Answer {
    let mut st = app.lock();
    let now = st.clock.now();
    let new = st
        .webhooks
        .duplicate(id, now)
        .ok_or_else(|| refusal(&MockError::UnknownWebhook(id)))?;
    Ok(Reply::ok(json!({ "id": new })))
}

async fn reset(State(app): State<App>) -> Answer {
    app.reset();
    Ok(Reply::ok(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_paths() {
        assert!(is_admin_path("/__mock"));
        assert!(is_admin_path("/__mock/checkout"));
        assert!(!is_admin_path("/__mockery"));
        assert!(!is_admin_path("/payments/__mock"));
    }

    #[test]
    fn the_readme_shows_every_route_with_curl() {
        let readme = include_str!("../../README.md");
        for route in [
            "POST /__mock/checkout",
            "POST /__mock/deposit/{imp_uid}",
            "POST /__mock/cancel/{imp_uid}",
            "POST /__mock/advance",
            "POST /__mock/faults",
            "GET /__mock/faults",
            "DELETE /__mock/faults",
            "GET /__mock/requests",
            "DELETE /__mock/requests",
            "GET /__mock/webhooks",
            "POST /__mock/webhooks",
            "POST /__mock/webhooks/{id}/duplicate",
            "POST /__mock/reset",
            "GET /__mock/pay",
            "POST /__mock/pay",
        ] {
            assert!(readme.contains(&format!("`{route}`")), "{route}");
            let (method, path) = route.split_once(' ').unwrap_or_default();
            let stem = path.split('{').next().unwrap_or_default();
            let curl = readme.lines().any(|l| {
                l.starts_with("curl")
                    && l.contains(stem)
                    && (method == "GET" && !l.contains("-X ") && !l.contains(" -d ")
                        || method == "POST" && (l.contains(" -d ") || l.contains("-X POST"))
                        || method == "DELETE" && l.contains("-X DELETE"))
            });
            // The pay page's POST is the form's, not a curl line.
            assert!(
                curl || route == "POST /__mock/pay",
                "no curl line for {route}"
            );
        }
        for kind in fault_spec::KINDS {
            assert!(readme.contains(&format!("`{kind}`")), "{kind}");
        }
    }

    #[test]
    fn token_comparison() {
        assert!(same(b"s3cret", b"s3cret"));
        assert!(!same(b"s3cret", b"s3creT"));
        assert!(!same(b"s3cret", b"s3cret!"));
        assert!(!same(b"", b"x"));
    }

    #[test]
    fn a_card_number_of_the_wrong_type_is_not_quoted() {
        let spec: Result<CheckoutSpec, _> =
            parse(br#"{"merchant_uid": "m", "amount": 1000, "card_number": 4111111111111111}"#);
        let err = spec
            .and_then(CheckoutSpec::into_checkout)
            .err()
            .map(|r| r.envelope().to_string())
            .unwrap_or_default();
        assert!(err.contains("card_number"), "{err}");
        assert!(!err.contains("4111"), "{err}");
    }
}
