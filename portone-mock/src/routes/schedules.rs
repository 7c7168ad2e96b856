//! Scheduled payments: create, revoke, look up, move, and retry after a failure. The
//! mock clock runs them (see `MockServer::advance`).

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::Value;

use super::billing::{charge_answer, issue};
use super::extract::{BodyParams, Caller, PathParams, QueryParams};
use super::lists::{page_of, paging};
use crate::amount::Amount;
use crate::params::Params;
use crate::reply::{Answer, Reply, missing};
use crate::shared::Shared;
use crate::state::{
    ALREADY_PAID, Buyer, NO_CUSTOMER, Refusal, Schedule, ScheduleStatus, Store, execute,
    resolve_channel,
};

const NO_SCHEDULE: &str = "결제예약 정보가 존재하지 않습니다.";
/// Listings span at most about three months.
const MAX_SPAN: i64 = 92 * 24 * 3600;

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/subscribe/payments/schedule", get(by_range).post(schedule))
        .route("/subscribe/payments/unschedule", post(unschedule))
        .route(
            "/subscribe/payments/schedule/{merchant_uid}",
            get(one).put(update),
        )
        .route(
            "/subscribe/payments/schedule/{merchant_uid}/reschedule",
            post(reschedule),
        )
        .route(
            "/subscribe/payments/schedule/{merchant_uid}/retry",
            post(retry),
        )
        .route(
            "/subscribe/payments/schedule/customers/{customer_uid}",
            get(by_customer),
        )
        .route(
            "/subscribe/customers/{customer_uid}/schedules",
            get(by_customer),
        )
}

/// One entry of `schedules[]`.
fn parse_entry(
    body: &Params,
    customer_uid: &str,
    customer_id: Option<String>,
    entry: &Value,
) -> Result<Schedule, Reply> {
    let map = entry
        .as_object()
        .cloned()
        .ok_or_else(|| Reply::bad_request("schedules 의 각 항목은 object 여야 합니다."))?;
    let p = body.nested(map);
    Ok(Schedule {
        customer_uid: customer_uid.to_owned(),
        customer_id,
        merchant_uid: p.required("merchant_uid")?,
        imp_uid: None,
        pg_provider: None,
        pg_id: None,
        schedule_at: p.required_int("schedule_at")?,
        executed_at: 0,
        revoked_at: 0,
        amount: p.positive_amount("amount")?,
        tax_free: p.non_negative_amount("tax_free")?.unwrap_or(Amount::ZERO),
        currency: p.string("currency").unwrap_or_else(|| "KRW".into()),
        name: p.string("name"),
        buyer: Buyer {
            name: p.string("buyer_name"),
            email: p.string("buyer_email"),
            tel: p.string("buyer_tel"),
            addr: p.string("buyer_addr"),
            postcode: p.string("buyer_postcode"),
        },
        custom_data: p.json_text("custom_data"),
        card_quota: p.int("card_quota")?.unwrap_or(0),
        status: ScheduleStatus::Scheduled,
        payment_status: None,
        fail_reason: None,
        promotion_id: p.string("promotion_id"),
        notice_urls: p.notice_urls(),
    })
}

/// Schedules payments with a billing key; a new `customer_uid` needs card data and gets a
/// key first. All or nothing: one bad entry refuses the request.
async fn schedule(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    let customer_uid = p.required("customer_uid")?;
    let entries = p.array("schedules").ok_or_else(|| missing("schedules"))?;
    if entries.is_empty() {
        return Err(missing("schedules"));
    }
    let mut new: Vec<Schedule> = entries
        .iter()
        .map(|e| parse_entry(&p, &customer_uid, p.string("customer_id"), e))
        .collect::<Result<_, _>>()?;
    // A key that exists decides the channel; a `channel_key` only has to be the account's.
    resolve_channel(None, p.string("channel_key").as_deref(), "payment", 1)?;
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    for (i, sched) in new.iter().enumerate() {
        let m = &sched.merchant_uid;
        if sched.schedule_at <= s.now {
            return Err(Reply::refused(format!(
                "결제예약시각(schedule_at)은 현재 시각 이후여야 합니다: {m}"
            )));
        }
        let taken =
            s.store.schedules.contains_key(m) || new[..i].iter().any(|x| &x.merchant_uid == m);
        if taken {
            return Err(Reply::refused(format!(
                "이미 예약된 merchant_uid 입니다: {m}"
            )));
        }
        if s.store.merchant_uid_settled(m) {
            return Err(Reply::refused(format!("{ALREADY_PAID} ({m})")));
        }
    }
    if !s.store.customers.contains_key(&customer_uid) {
        if p.string("card_number").is_none() {
            return Err(Reply::refused(NO_CUSTOMER));
        }
        issue(s.store, s.now, &customer_uid, &p, false)?;
    }
    if let Some(c) = s.store.customers.get(&customer_uid) {
        for sched in &mut new {
            sched.pg_provider = Some(c.channel.pg_provider.into());
            sched.pg_id = Some(c.channel.pg_id.into());
        }
    }
    let body: Vec<Value> = new.iter().map(Schedule::to_json).collect();
    for sched in new {
        s.store.schedules.insert(sched.merchant_uid.clone(), sched);
    }
    Ok(Reply::ok(Value::Array(body)))
}

/// Revokes the listed `merchant_uid`s, or every pending schedule of `customer_uid` when
/// none is listed.
async fn unschedule(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    let customer_uid = p.string("customer_uid");
    let merchant_uids = p.strings("merchant_uid");
    if customer_uid.is_none() && merchant_uids.is_empty() {
        return Err(missing("customer_uid"));
    }
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let wanted: Vec<String> = s
        .store
        .schedules
        .values()
        .filter(|sched| {
            sched.status == ScheduleStatus::Scheduled
                && customer_uid
                    .as_ref()
                    .is_none_or(|c| &sched.customer_uid == c)
                && (merchant_uids.is_empty() || merchant_uids.contains(&sched.merchant_uid))
        })
        .map(|sched| sched.merchant_uid.clone())
        .collect();
    let mut revoked = Vec::new();
    for merchant_uid in wanted {
        if let Some(sched) = s.store.schedules.get_mut(&merchant_uid) {
            sched.status = ScheduleStatus::Revoked;
            sched.revoked_at = s.now;
            revoked.push(sched.to_json());
        }
    }
    if revoked.is_empty() {
        return Err(Reply::refused("취소할 예약결제 기록이 존재하지 않습니다."));
    }
    Ok(Reply::ok(Value::Array(revoked)))
}

fn find<'a>(store: &'a mut Store, merchant_uid: &str) -> Result<&'a mut Schedule, Reply> {
    store
        .schedule_mut(merchant_uid)
        .ok_or_else(|| Reply::not_found(NO_SCHEDULE))
}

async fn one(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(merchant_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    Ok(Reply::ok(find(s.store, &merchant_uid)?.to_json()))
}

fn future_time(p: &Params, now: i64) -> Result<i64, Reply> {
    let at = p.required_int("schedule_at")?;
    if at <= now {
        return Err(Reply::bad_request(
            "결제예약시각(schedule_at)은 현재 시각 이후여야 합니다.",
        ));
    }
    Ok(at)
}

/// Moves a pending schedule.
async fn update(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(merchant_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let at = future_time(&p, s.now)?;
    let sched = find(s.store, &merchant_uid)?;
    if sched.status != ScheduleStatus::Scheduled {
        return Err(Reply::bad_request(
            "이미 실행되었거나 취소된 결제예약입니다.",
        ));
    }
    sched.schedule_at = at;
    Ok(Reply::ok(sched.to_json()))
}

/// Schedules again a schedule that failed or was revoked.
async fn reschedule(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(merchant_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let at = future_time(&p, s.now)?;
    let sched = find(s.store, &merchant_uid)?;
    if !sched.can_retry() {
        return Err(Reply::bad_request(
            "결제에 실패했거나 취소된 결제예약만 재예약할 수 있습니다.",
        ));
    }
    sched.status = ScheduleStatus::Scheduled;
    sched.schedule_at = at;
    sched.executed_at = 0;
    sched.revoked_at = 0;
    sched.imp_uid = None;
    sched.payment_status = None;
    sched.fail_reason = None;
    Ok(Reply::ok(sched.to_json()))
}

/// Runs a failed or revoked schedule now. Answers the payment with `code` 0 whether it was
/// paid or declined: its `status` says which. A run that got no decision (PG unreachable)
/// is `code` -1, like any charge.
async fn retry(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(merchant_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    let sched = s
        .store
        .schedules
        .get(&merchant_uid)
        .ok_or_else(|| Reply::not_found(NO_SCHEDULE))?;
    if !sched.can_retry() {
        return Err(Reply::bad_request(
            "결제에 실패했거나 취소된 결제예약만 재시도할 수 있습니다.",
        ));
    }
    if !s.store.customers.contains_key(&sched.customer_uid) {
        return Err(Reply::not_found(NO_CUSTOMER));
    }
    let now = s.now;
    match execute(&mut s, &merchant_uid, now) {
        (Some(imp_uid), refusal) => charge_answer(s.store, &imp_uid, refusal),
        (None, refusal) => Err(Reply::refused(refusal.map_or(NO_CUSTOMER, Refusal::reason))),
    }
}

fn status_param(q: &Params, key: &str) -> Result<Option<ScheduleStatus>, Reply> {
    q.string(key)
        .map(|s| {
            ScheduleStatus::parse(&s)
                .ok_or_else(|| Reply::bad_request(format!("유효하지 않은 {key} 입니다: {s}")))
        })
        .transpose()
}

fn span(q: &Params, from_key: &str, to_key: &str) -> Result<(i64, i64), Reply> {
    let from = q.required_int(from_key)?;
    let to = q.required_int(to_key)?;
    if from > to || to - from > MAX_SPAN {
        return Err(Reply::bad_request("조회기간은 최대 3개월까지 가능합니다."));
    }
    Ok((from, to))
}

/// `sorting`: only the schedule's own `scheduled` (oldest first); without it, newest
/// first. Anything else is a bad parameter.
fn oldest_first(q: &Params) -> Result<bool, Reply> {
    match q.string("sorting").as_deref() {
        None => Ok(false),
        Some("scheduled") => Ok(true),
        Some(other) => Err(Reply::bad_request(format!(
            "유효하지 않은 sorting 입니다: {other} (scheduled 만 가능합니다)"
        ))),
    }
}

/// `from <= schedule_at < to`, newest first unless `oldest_first`. Ties keep the order the
/// schedules were made in.
fn listing(
    store: &Store,
    (from, to): (i64, i64),
    status: Option<ScheduleStatus>,
    customer_uid: Option<&str>,
    oldest_first: bool,
) -> Vec<Value> {
    let mut list: Vec<&Schedule> = store
        .schedules
        .values()
        .filter(|s| (from..to).contains(&s.schedule_at))
        .filter(|s| status.is_none_or(|w| s.status == w))
        .filter(|s| customer_uid.is_none_or(|c| s.customer_uid == c))
        .collect();
    if !oldest_first {
        list.reverse();
    }
    list.sort_by(|a, b| {
        let o = a.schedule_at.cmp(&b.schedule_at);
        if oldest_first { o } else { o.reverse() }
    });
    list.into_iter().map(Schedule::to_json).collect()
}

/// A page `{total, previous, next, list}`, as PortOne's Java SDK decodes these listings
/// (the spec says a bare array; see the crate docs). `limit` defaults to 20, at most 1000.
async fn by_range(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    QueryParams(q): QueryParams,
) -> Answer {
    let range = span(&q, "schedule_from", "schedule_to")?;
    let status = status_param(&q, "schedule_status")?;
    let (page, limit) = paging(&q, 20)?;
    let oldest_first = oldest_first(&q)?;
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let items = listing(s.store, range, status, None, oldest_first);
    Ok(Reply::ok(page_of(items, page, limit)))
}

/// Paged like [`by_range`], 20 a page (these routes take no `limit`).
async fn by_customer(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(customer_uid): PathParams<String>,
    QueryParams(q): QueryParams,
) -> Answer {
    let range = span(&q, "from", "to")?;
    let status = status_param(&q, "schedule-status")?;
    let (page, _) = paging(&q, 20)?;
    let oldest_first = oldest_first(&q)?;
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let items = listing(s.store, range, status, Some(&customer_uid), oldest_first);
    Ok(Reply::ok(page_of(items, page, 20)))
}
