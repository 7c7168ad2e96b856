//! `POST /users/getToken`.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::json;

use super::extract::BodyParams;
use crate::reply::{Answer, Reply};
use crate::shared::Shared;

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/users/getToken", post(get_token))
}

/// Takes `imp_key` and `imp_secret` as JSON or form fields. A `Tier` header is ignored
/// here: tiers act per request, not per token.
async fn get_token(State(shared): State<Arc<Shared>>, BodyParams(p): BodyParams) -> Answer {
    let (Some(key), Some(secret)) = (p.string("imp_key"), p.string("imp_secret")) else {
        return Err(Reply::bad_request(
            "imp_key, imp_secret 파라메터가 누락되었습니다.",
        ));
    };
    let mut st = shared.lock();
    let now = st.clock.now();
    let st = &mut *st;
    let grant = st
        .tokens
        .get_token(&key, &secret, now, &mut st.ids)
        .ok_or_else(|| {
            Reply::fail(
                StatusCode::UNAUTHORIZED,
                -1,
                // NOTES.md, "Answers observed on the live server".
                "아임포트 API 인증에 실패하였습니다.",
            )
        })?;
    Ok(Reply::ok(json!({
        "access_token": grant.token,
        "now": now,
        "expired_at": grant.expired_at,
    })))
}
