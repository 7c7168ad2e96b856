//! Escrow shipping (`/escrows/logis/{imp_uid}`): register once, then read or change.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Map, Value};

use super::extract::{BodyParams, Caller, PathParams};
use super::payments::NO_PAYMENT;
use crate::params::Params;
use crate::reply::{Answer, Reply, missing};
use crate::shared::Shared;
use crate::state::{EscrowLogis, Tenant};

const NOT_REGISTERED: &str = "등록된 배송정보가 존재하지 않습니다.";

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new().route(
        "/escrows/logis/{imp_uid}",
        get(one).post(register).put(modify),
    )
}

fn conflict(message: &str) -> Reply {
    Reply::fail(StatusCode::CONFLICT, -1, message)
}

/// `logis` with `company`, `invoice` and `sent_at` (all required), plus `sender` and
/// `receiver` objects.
fn logis_of(p: &Params) -> Result<Map<String, Value>, Reply> {
    for key in ["sender", "receiver"] {
        p.object(key).ok_or_else(|| missing(key))?;
    }
    let logis = p.object("logis").ok_or_else(|| missing("logis"))?;
    let inner = p.nested(logis.clone());
    inner.required("company")?;
    inner.required("invoice")?;
    inner.required_int("sent_at")?;
    let mut logis = logis;
    if let Ok(Some(sent)) = inner.int("sent_at") {
        logis.insert("sent_at".into(), Value::from(sent));
    }
    Ok(logis)
}

/// The escrow payment `imp_uid`, or why it cannot have shipping.
fn escrow_payment(s: &Tenant<'_>, imp_uid: &str) -> Result<(), Reply> {
    let pay = s
        .store
        .payment(imp_uid)
        .ok_or_else(|| Reply::not_found(NO_PAYMENT))?;
    if !pay.escrow {
        return Err(Reply::bad_request("에스크로 결제건이 아닙니다."));
    }
    Ok(())
}

async fn register(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    let logis = logis_of(&p)?;
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    escrow_payment(&s, &imp_uid)?;
    if s.store.escrows.contains_key(&imp_uid) {
        return Err(conflict("이미 배송정보 등록이 완료된 거래건입니다."));
    }
    let record = EscrowLogis {
        logis,
        applied_at: s.now,
    };
    let body = record.to_json();
    s.store.escrows.insert(imp_uid, record);
    Ok(Reply::ok(body))
}

async fn modify(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    let logis = logis_of(&p)?;
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    escrow_payment(&s, &imp_uid)?;
    let record = s
        .store
        .escrows
        .get_mut(&imp_uid)
        .ok_or_else(|| conflict(NOT_REGISTERED))?;
    record.logis = logis;
    record.applied_at = s.now;
    Ok(Reply::ok(record.to_json()))
}

async fn one(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    escrow_payment(&s, &imp_uid)?;
    s.store
        .escrows
        .get(&imp_uid)
        .map(|r| Reply::ok(r.to_json()))
        .ok_or_else(|| conflict(NOT_REGISTERED))
}
