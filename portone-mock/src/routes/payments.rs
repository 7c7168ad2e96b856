//! Payment lookups: by `imp_uid`, many at once, by `merchant_uid`, by status; and the
//! balance breakdown.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use super::extract::{Caller, PathParams, QueryParams};
use super::lists::{multi, page_of, paging};
use crate::amount::Amount;
use crate::params::Params;
use crate::reply::{Answer, Reply};
use crate::shared::Shared;
use crate::state::{Payment, Status, Store};

/// PortOne's answer for an unknown payment.
pub(crate) const NO_PAYMENT: &str = "존재하지 않는 결제정보입니다.";
/// PortOne's refusal of a `payment_status` it does not know (NOTES.md, "Answers observed
/// on the live server").
const UNKNOWN_STATUS: &str = "지원되지 않는 상태값입니다.";
/// `/payments/status` searches at most this span.
const MAX_SPAN: i64 = 90 * 24 * 3600;

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/payments", get(many))
        .route("/payments/{imp_uid}", get(one))
        .route("/payments/{imp_uid}/balance", get(balance))
        .route("/payments/find/{merchant_uid}", get(find))
        .route(
            "/payments/find/{merchant_uid}/{payment_status}",
            get(find_with_status),
        )
        .route("/payments/findAll/{merchant_uid}", get(find_all))
        .route(
            "/payments/findAll/{merchant_uid}/{payment_status}",
            get(find_all_with_status),
        )
        .route("/payments/status/{payment_status}", get(by_status))
}

/// Test-channel payments are hidden unless `include_sandbox=true`.
async fn one(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
    QueryParams(q): QueryParams,
) -> Answer {
    let include_sandbox = q.bool("include_sandbox").unwrap_or(false);
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    s.store
        .payment(&imp_uid)
        .filter(|p| include_sandbox || !p.sandbox)
        .map(|p| Reply::ok(p.to_json()))
        .ok_or_else(|| Reply::not_found(NO_PAYMENT))
}

/// `?imp_uid[]=..&merchant_uid[]=..`, at most 100 in all.
async fn many(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    QueryParams(q): QueryParams,
) -> Answer {
    let imp_uids = q.strings("imp_uid");
    let merchant_uids = q.strings("merchant_uid");
    let asked = imp_uids.len() + merchant_uids.len();
    if asked == 0 {
        return Err(Reply::bad_request(
            "imp_uid[] 또는 merchant_uid[] 파라메터가 필요합니다.",
        ));
    }
    if asked > 100 {
        return Err(Reply::bad_request(
            "한 번에 최대 100건까지 조회할 수 있습니다.",
        ));
    }
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let mut found: Vec<Value> = imp_uids
        .iter()
        .filter_map(|id| s.store.payment(id))
        .map(Payment::to_json)
        .collect();
    found.extend(
        merchant_uids
            .iter()
            .filter_map(|m| s.store.by_merchant_uid(m).first().map(|p| p.to_json())),
    );
    Ok(multi(found, asked, NO_PAYMENT))
}

fn status_filter(segment: Option<&str>) -> Result<Option<Status>, Reply> {
    match segment {
        None | Some("") => Ok(None),
        Some(s) => Status::parse(s)
            .map(Some)
            .ok_or_else(|| Reply::bad_request(UNKNOWN_STATUS)),
    }
}

/// Payments of one `merchant_uid` with the given status, sorted as asked.
fn of_merchant<'a>(
    store: &'a Store,
    merchant_uid: &str,
    status: Option<&str>,
    q: &Params,
) -> Result<Vec<&'a Payment>, Reply> {
    let status = status_filter(status)?;
    let list = store
        .payments
        .values()
        .enumerate()
        .filter(|(_, p)| p.merchant_uid == merchant_uid)
        .filter(|(_, p)| status.is_none_or(|s| p.status == s))
        .collect();
    sorted(list, q.string("sorting").as_deref())
}

/// Sorts by `started`, `paid` or `updated`, descending with a `-` (default `-started`).
/// Ties keep creation order (the index), so the newest comes first when descending.
fn sorted<'a>(
    mut list: Vec<(usize, &'a Payment)>,
    sorting: Option<&str>,
) -> Result<Vec<&'a Payment>, Reply> {
    let sorting = sorting.unwrap_or("-started");
    let (desc, key) = sorting
        .strip_prefix('-')
        .map_or((false, sorting), |k| (true, k));
    let key: fn(&Payment) -> i64 = match key {
        "started" => |p| p.started_at,
        "paid" => |p| p.paid_at,
        "updated" => |p| p.updated_at,
        _ => {
            return Err(Reply::bad_request(format!(
                "유효하지 않은 sorting 입니다: {sorting}"
            )));
        }
    };
    list.sort_by(|(i, a), (j, b)| {
        let o = key(a).cmp(&key(b)).then(i.cmp(j));
        if desc { o.reverse() } else { o }
    });
    Ok(list.into_iter().map(|(_, p)| p).collect())
}

fn find_impl(
    shared: &Shared,
    caller: &Caller,
    merchant_uid: &str,
    status: Option<&str>,
    q: &Params,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let list = of_merchant(s.store, merchant_uid, status, q)?;
    list.first()
        .map(|p| Reply::ok(p.to_json()))
        .ok_or_else(|| Reply::not_found(NO_PAYMENT))
}

async fn find(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(m): PathParams<String>,
    QueryParams(q): QueryParams,
) -> Answer {
    find_impl(&shared, &caller, &m, None, &q)
}

async fn find_with_status(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams((m, status)): PathParams<(String, String)>,
    QueryParams(q): QueryParams,
) -> Answer {
    find_impl(&shared, &caller, &m, Some(&status), &q)
}

fn find_all_impl(
    shared: &Shared,
    caller: &Caller,
    merchant_uid: &str,
    status: Option<&str>,
    q: &Params,
) -> Answer {
    let (page, limit) = paging(q, 20)?;
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let list = of_merchant(s.store, merchant_uid, status, q)?;
    if list.is_empty() {
        return Err(Reply::not_found(NO_PAYMENT));
    }
    let items = list.iter().map(|p| p.to_json()).collect();
    Ok(Reply::ok(page_of(items, page, limit)))
}

async fn find_all(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(m): PathParams<String>,
    QueryParams(q): QueryParams,
) -> Answer {
    find_all_impl(&shared, &caller, &m, None, &q)
}

async fn find_all_with_status(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams((m, status)): PathParams<(String, String)>,
    QueryParams(q): QueryParams,
) -> Answer {
    find_all_impl(&shared, &caller, &m, Some(&status), &q)
}

/// `all|ready|paid|cancelled|failed`, paged, within `from..=to` (at most 90 days; by default
/// the last 90 days), each payment timed by its current status.
async fn by_status(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(status): PathParams<String>,
    QueryParams(q): QueryParams,
) -> Answer {
    let wanted = match status.as_str() {
        "all" => None,
        other => Some(Status::parse(other).ok_or_else(|| Reply::bad_request(UNKNOWN_STATUS))?),
    };
    let (page, limit) = paging(&q, 20)?;
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let to = q.int("to")?.unwrap_or(s.now);
    let from = q.int("from")?.unwrap_or(to - MAX_SPAN);
    if from > to || to - from > MAX_SPAN {
        return Err(Reply::bad_request(
            "검색기간(from ~ to)은 최대 90일까지 가능합니다.",
        ));
    }
    let list = s
        .store
        .payments
        .values()
        .enumerate()
        .filter(|(_, p)| wanted.is_none_or(|w| p.status == w))
        .filter(|(_, p)| (from..=to).contains(&p.status_time()))
        .collect();
    let list = sorted(list, q.string("sorting").as_deref())?;
    if page > 1 && (page - 1).saturating_mul(limit) >= list.len() {
        return Err(Reply::bad_request("데이터 범위를 넘어선 page 입니다."));
    }
    let items = list.iter().map(|p| p.to_json()).collect();
    Ok(Reply::ok(page_of(items, page, limit)))
}

fn breakdown(amount: Amount, tax_free: Amount) -> Value {
    let taxable = amount.minus(tax_free).clamp_zero();
    let vat = taxable.vat_part();
    json!({
        "tax_free": tax_free.to_json(),
        "supply": taxable.minus(vat).to_json(),
        "vat": vat.to_json(),
        "service": 0,
    })
}

fn zero_breakdown() -> Value {
    json!({ "tax_free": 0, "supply": 0, "vat": 0, "service": 0 })
}

/// What is left of a payment, split by means; one history entry per change.
async fn balance(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let p = s
        .store
        .payment(&imp_uid)
        .ok_or_else(|| Reply::not_found(NO_PAYMENT))?;
    let history_entry = |left: Amount, at: i64| {
        json!({
            "cash_receipt": zero_breakdown(),
            "primary": breakdown(left, p.tax_free.min(left)),
            "secondary": zero_breakdown(),
            "discount": zero_breakdown(),
            "created": at,
        })
    };
    let mut histories = Vec::new();
    let mut left = Amount::ZERO;
    if p.paid_at > 0 {
        left = p.amount;
        histories.push(history_entry(left, p.paid_at));
        for c in &p.cancel_history {
            left = left.minus(c.amount);
            histories.push(history_entry(left, c.cancelled_at));
        }
    }
    Ok(Reply::ok(json!({
        "amount": left.to_json(),
        "cash_receipt": zero_breakdown(),
        "primary": breakdown(left, p.tax_free.min(left)),
        "secondary": zero_breakdown(),
        "discount": zero_breakdown(),
        "histories": histories,
    })))
}
