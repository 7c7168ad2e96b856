//! The routes, one module per area of the API, and what every protected route shares:
//! token and tier checks, parameters, paging.

mod auth;
mod billing;
mod cancel;
mod certifications;
mod codes;
mod escrow;
mod naver;
mod partners;
mod payments;
mod receipts;
mod schedules;
mod vbanks;

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde_json::{Value, json};

use crate::Shared;
use crate::params::Params;
use crate::reply::Reply;
use crate::state::Scope;

/// The router's state.
pub(crate) type App = Arc<Shared>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(auth::routes())
        .merge(payments::routes())
        .merge(cancel::routes())
        .merge(billing::routes())
        .merge(schedules::routes())
        .merge(vbanks::routes())
        .merge(receipts::routes())
        .merge(certifications::routes())
        .merge(escrow::routes())
        .merge(codes::routes())
        .merge(naver::routes())
        .merge(partners::routes())
        .nest(crate::admin::PREFIX, crate::admin::routes(shared.clone()))
        .fallback(|| async {
            Reply::not_found("요청하신 API를 찾을 수 없습니다. (Not Found)")
        })
        .method_not_allowed_fallback(|| async {
            Reply::fail(
                StatusCode::METHOD_NOT_ALLOWED,
                -1,
                "허용되지 않는 HTTP METHOD 입니다.",
            )
        })
        .with_state(shared)
}

/// A request that passed the token and tier checks.
#[derive(Debug)]
pub(crate) struct Auth {
    /// The tier the request acts for.
    pub(crate) scope: Scope,
    pub(crate) user_agent: Option<String>,
}

/// The token, from `Authorization: Bearer T`, `Authorization: T` or `X-ImpTokenHeader: T`;
/// `Authorization` wins when both are sent.
fn token(parts: &Parts) -> Option<&str> {
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    if let Some(auth) = header("authorization") {
        let token = match auth.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => auth,
        };
        return Some(token);
    }
    header("x-imptokenheader")
}

impl FromRequestParts<App> for Auth {
    type Rejection = Reply;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let st = app.lock();
        let now = st.clock.now();
        if !token(parts).is_some_and(|t| st.tokens.is_valid(t, now)) {
            return Err(Reply::unauthorized());
        }
        let tier = parts
            .headers
            .get("tier")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
            .filter(|t| !t.is_empty());
        if let Some(tier) = &tier
            && let Some(why) = st.tier_refusal(tier)
        {
            return Err(Reply::bad_request(why));
        }
        Ok(Auth {
            scope: tier,
            user_agent: parts
                .headers
                .get("user-agent")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}

/// Path parameters, percent-decoded; an undecodable one answers the envelope.
pub(crate) struct Path<T>(pub(crate) T);

impl<T> FromRequestParts<App> for Path<T>
where
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = Reply;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, app)
            .await
            .map(|p| Path(p.0))
            .map_err(|e| Reply::bad_request(e.body_text()))
    }
}

/// The query string's parameters.
pub(crate) struct Query(pub(crate) Params);

impl FromRequestParts<App> for Query {
    type Rejection = Reply;

    async fn from_request_parts(parts: &mut Parts, _: &App) -> Result<Self, Self::Rejection> {
        Ok(Query(Params::from_query(parts.uri.query())))
    }
}

/// The body's parameters (JSON or form-encoded).
pub(crate) struct Body(pub(crate) Params);

impl FromRequest<App> for Body {
    type Rejection = Reply;

    async fn from_request(req: Request, _: &App) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = axum::body::to_bytes(req.into_body(), usize::MAX)
            .await
            .map_err(|_| Reply::bad_request("요청 본문을 읽을 수 없습니다."))?;
        Params::from_body(content_type.as_deref(), &bytes).map(Body)
    }
}

/// `page` (from 1) and `limit` (default 20, at most 1000) from a query.
pub(crate) fn paging(q: &Params, default_limit: i64) -> Result<(usize, usize), Reply> {
    let page = q.int("page")?.unwrap_or(1);
    let limit = q.int("limit")?.unwrap_or(default_limit);
    if page < 1 {
        return Err(Reply::bad_request("page 는 1 이상이어야 합니다."));
    }
    if !(1..=1000).contains(&limit) {
        return Err(Reply::bad_request("limit 은 1 이상 1000 이하여야 합니다."));
    }
    Ok((
        usize::try_from(page).unwrap_or(usize::MAX),
        usize::try_from(limit).unwrap_or(1000),
    ))
}

/// One page of `items` as `{total, previous, next, list}`.
pub(crate) fn page_of(items: Vec<Value>, page: usize, limit: usize) -> Value {
    let total = items.len();
    let start = (page - 1).saturating_mul(limit);
    let list: Vec<Value> = items.into_iter().skip(start).take(limit).collect();
    let next = if start.saturating_add(limit) < total {
        page + 1
    } else {
        0
    };
    json!({ "total": total, "previous": page - 1, "next": next, "list": list })
}

/// Answers a multi-lookup: 200 when all were found, 207 when some, 404 when none.
pub(crate) fn multi(found: Vec<Value>, asked: usize, not_found: &str) -> Reply {
    if found.is_empty() {
        return Reply::not_found(not_found);
    }
    let partial = found.len() < asked;
    let reply = Reply::ok(Value::Array(found));
    if partial {
        reply.with_status(StatusCode::MULTI_STATUS)
    } else {
        reply
    }
}
