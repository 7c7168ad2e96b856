//! Reference data: bank and card codes, the account's PG channels, its tiers.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use super::extract::{Caller, PathParams};
use crate::codes::{BANKS, CARDS, bank_name, card_name};
use crate::reply::{Answer, Reply};
use crate::shared::Shared;
use crate::state::CHANNELS;

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/banks", get(banks))
        .route("/banks/{code}", get(bank))
        .route("/cards", get(cards))
        .route("/cards/{code}", get(card))
        .route("/users/pg", get(pg_settings))
        .route("/tiers/{tier_code}", get(tier))
}

fn code_list(table: &[(&str, &str)]) -> Value {
    table
        .iter()
        .map(|(code, name)| json!({ "code": code, "name": name }))
        .collect()
}

async fn banks(_caller: Caller) -> Answer {
    Ok(Reply::ok(code_list(&BANKS)))
}

async fn bank(_caller: Caller, PathParams(code): PathParams<String>) -> Answer {
    bank_name(&code)
        .map(|name| Reply::ok(json!({ "code": code, "name": name })))
        .ok_or_else(|| Reply::not_found("코드에 해당되는 은행정보를 찾을 수 없습니다."))
}

async fn cards(_caller: Caller) -> Answer {
    Ok(Reply::ok(code_list(&CARDS)))
}

async fn card(_caller: Caller, PathParams(code): PathParams<String>) -> Answer {
    card_name(&code)
        .map(|name| Reply::ok(json!({ "code": code, "name": name })))
        .ok_or_else(|| Reply::not_found("코드에 해당되는 카드사정보를 찾을 수 없습니다."))
}

async fn pg_settings(_caller: Caller) -> Answer {
    Ok(Reply::ok(
        CHANNELS
            .iter()
            .map(|c| {
                json!({
                    "pg_provider": c.pg_provider,
                    "pg_id": c.pg_id,
                    "sandbox": c.sandbox,
                    "type": c.kind,
                    "channel_name": c.name,
                    "channel_key": c.key,
                })
            })
            .collect(),
    ))
}

/// A tier of an agency account; 404 for anything else.
async fn tier(
    _caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(tier_code): PathParams<String>,
) -> Answer {
    let st = shared.lock();
    st.agency
        .iter()
        .flatten()
        .find(|t| t.code == tier_code)
        .map(|t| Reply::ok(json!({ "tier_code": t.code, "tier_name": t.name })))
        .ok_or_else(|| Reply::not_found("등록되지 않았거나 이미 삭제된 하위 상점(Tier)입니다."))
}
