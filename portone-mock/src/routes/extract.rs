//! What handlers take from a request, each refusal in PortOne's envelope: the caller (after
//! the token and tier checks), and the parameters of the path, the query and the body.

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;

use crate::params::Params;
use crate::reply::Reply;
use crate::shared::Shared;

/// A request that passed the token and tier checks.
#[derive(Debug)]
pub(crate) struct Caller {
    /// The tier the request acts for: `None` for the account itself.
    pub(crate) tier: Option<String>,
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

impl FromRequestParts<Arc<Shared>> for Caller {
    type Rejection = Reply;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Arc<Shared>,
    ) -> Result<Self, Self::Rejection> {
        let st = shared.lock();
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
        Ok(Caller {
            tier,
            user_agent: parts
                .headers
                .get("user-agent")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}

/// Path parameters, percent-decoded; an undecodable one answers the envelope.
pub(crate) struct PathParams<T>(pub(crate) T);

impl<T> FromRequestParts<Arc<Shared>> for PathParams<T>
where
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = Reply;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Arc<Shared>,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, shared)
            .await
            .map(|p| PathParams(p.0))
            .map_err(|e| Reply::bad_request(e.body_text()))
    }
}

/// The query string's parameters.
pub(crate) struct QueryParams(pub(crate) Params);

impl FromRequestParts<Arc<Shared>> for QueryParams {
    type Rejection = Reply;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &Arc<Shared>,
    ) -> Result<Self, Self::Rejection> {
        Ok(QueryParams(Params::from_query(parts.uri.query())))
    }
}

/// The body's parameters (JSON or form-encoded).
pub(crate) struct BodyParams(pub(crate) Params);

impl FromRequest<Arc<Shared>> for BodyParams {
    type Rejection = Reply;

    async fn from_request(req: Request, _: &Arc<Shared>) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = axum::body::to_bytes(req.into_body(), usize::MAX)
            .await
            .map_err(|_| Reply::bad_request("요청 본문을 읽을 수 없습니다."))?;
        Params::from_body(content_type.as_deref(), &bytes).map(BodyParams)
    }
}
