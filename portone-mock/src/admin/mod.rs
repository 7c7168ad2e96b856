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

pub(crate) mod access;
mod fault_spec;
mod page;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use bytes::Bytes;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Number, Value, json};

use crate::checkout::Checkout;
use crate::error::MockError;
use crate::reply::{Answer, Reply};
use crate::request_log::RecordedRequest;
use crate::routes::extract::PathParams;
use crate::shared::Shared;
use crate::state::Payment;
use crate::webhooks::{Webhook, WebhookEvent};

/// Where the admin routes live: a prefix PortOne's API never uses.
pub(crate) const PREFIX: &str = "/__mock";

/// Whether a request's path is an admin route's (`/__mock` or below).
pub(crate) fn is_admin_path(path: &str) -> bool {
    path.strip_prefix(PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if let Some(refusal) = shared.admin.refuse(&parts) {
        return refusal;
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The admin routes, to be nested under [`PREFIX`].
pub(crate) fn routes(shared: Arc<Shared>) -> Router<Arc<Shared>> {
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
        .layer(middleware::from_fn_with_state(shared, guard))
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

/// A change made but not written to the state file.
fn not_written(e: &crate::persist::StateError) -> Reply {
    Reply::fail(
        StatusCode::INTERNAL_SERVER_ERROR,
        -1,
        format!(
            "portone-mock could not write its state file: {}",
            crate::error::explain(e)
        ),
    )
}

/// Completes `checkout` and answers the payment it made.
pub(crate) fn complete(shared: &Shared, checkout: Checkout) -> Answer {
    let mut st = shared.lock();
    let imp_uid = checkout.apply(&mut st).map_err(|e| refusal(&e))?;
    Ok(Reply::ok(
        st.find_payment(&imp_uid)
            .map_or(Value::Null, Payment::to_json),
    ))
}

async fn checkout(State(shared): State<Arc<Shared>>, body: Bytes) -> Answer {
    complete(&shared, parse(&body)?)
}

fn payment(shared: &Shared, imp_uid: &str) -> Value {
    shared
        .lock()
        .find_payment(imp_uid)
        .map_or(Value::Null, Payment::to_json)
}

async fn deposit(
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    shared.lock().deposit(&imp_uid).map_err(|e| refusal(&e))?;
    Ok(Reply::ok(payment(&shared, &imp_uid)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CancelSpec {
    amount: Option<Number>,
}

/// A cancel in PortOne's console: full without `amount`.
async fn console_cancel(
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
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
    let cancellation_id = shared
        .lock()
        .console_cancel(&imp_uid, amount)
        .map_err(|e| refusal(&e))?;
    let mut answer = payment(&shared, &imp_uid);
    answer["cancellation_id"] = Value::String(cancellation_id);
    Ok(Reply::ok(answer))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceSpec {
    seconds: f64,
}

/// Moves the clock, as `MockServer::advance`; answers the new `now`.
async fn advance(State(shared): State<Arc<Shared>>, body: Bytes) -> Answer {
    let spec: AdvanceSpec = parse(&body)?;
    let by = Duration::try_from_secs_f64(spec.seconds).map_err(|_| {
        Reply::bad_request("`seconds` must be a number of seconds, 0 or more (fractions allowed)")
    })?;
    shared.advance(by).map_err(|e| not_written(&e))?;
    Ok(Reply::ok(json!({ "now": shared.lock().clock.now() })))
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
async fn requests(State(shared): State<Arc<Shared>>) -> Answer {
    let st = shared.lock();
    Ok(Reply::ok(json!({
        "get_token_calls": st.log.get_token_calls,
        "requests": st.log.requests.iter().map(request_json).collect::<Vec<_>>(),
    })))
}

async fn forget_requests(State(shared): State<Arc<Shared>>) -> Answer {
    shared.lock().log.clear();
    Ok(Reply::ok(Value::Null))
}

async fn webhooks(State(shared): State<Arc<Shared>>) -> Answer {
    let outbox = &shared.outbox;
    let all = serde_json::to_value(outbox.all()).unwrap_or(Value::Null);
    Ok(Reply::ok(json!({
        "settled": outbox.settled(),
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
async fn send_webhook(State(shared): State<Arc<Shared>>, body: Bytes) -> Answer {
    let spec: WebhookSpec = parse(&body)?;
    if reqwest::Url::parse(&spec.url).is_err() {
        return Err(Reply::bad_request("`url` is not a URL"));
    }
    let mut webhook = Webhook::new(spec.imp_uid, spec.merchant_uid, spec.status);
    webhook.cancellation_id = spec.cancellation_id;
    let id = shared
        .outbox
        .send(spec.url, WebhookEvent::Test, webhook, None);
    Ok(Reply::ok(json!({ "id": id })))
}

async fn duplicate_webhook(
    State(shared): State<Arc<Shared>>,
    PathParams(id): PathParams<u64>,
) -> Answer {
    let new = shared
        .outbox
        .duplicate(id)
        .ok_or_else(|| refusal(&MockError::UnknownWebhook(id)))?;
    Ok(Reply::ok(json!({ "id": new })))
}

async fn reset(State(shared): State<Arc<Shared>>) -> Answer {
    shared.reset().map_err(|e| not_written(&e))?;
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
        for (kind, _) in crate::faults::KINDS {
            assert!(readme.contains(&format!("`{kind}`")), "{kind}");
        }
    }

    #[test]
    fn a_card_number_of_the_wrong_type_is_not_quoted() {
        let spec: Result<Checkout, _> =
            parse(br#"{"merchant_uid": "m", "amount": 1000, "card_number": 4111111111111111}"#);
        let err = spec
            .err()
            .map(|r| r.envelope().to_string())
            .unwrap_or_default();
        assert!(err.contains("card_number"), "{err}");
        assert!(!err.contains("4111"), "{err}");
    }
}
