//! Answers that list records: pages, and multi-lookups.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::params::Params;
use crate::reply::Reply;

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
