//! Virtual accounts issued by API (`/vbanks`), the account-holder lookup older SDKs call
//! (`GET /vbanks/holder`, outside the current spec), and convenience-store payments (`/cvs`).

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::{delete, get, post, put};
use serde_json::json;

use super::billing::payment_reply;
use super::extract::{BodyParams, Caller, PathParams, QueryParams};
use super::payments::NO_PAYMENT;
use crate::codes;
use crate::params::Params;
use crate::reply::{Answer, Reply};
use crate::shared::Shared;
use crate::state::{ALREADY_PAID, Buyer, Payment, Status, Tenant, Vbank, resolve_channel};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/vbanks", post(create))
        .route("/vbanks/holder", get(holder))
        .route("/vbanks/{imp_uid}", put(modify).delete(revoke))
        .route("/cvs", post(create_cvs))
        .route("/cvs/{imp_uid}", delete(revoke_cvs))
}

/// A `ready` payment created by API, waiting for the buyer's money.
fn new_ready(
    s: &mut Tenant<'_>,
    p: &Params,
    caller: &Caller,
    pay_method: &str,
) -> Result<Payment, Reply> {
    let merchant_uid = p.required("merchant_uid")?;
    let amount = p.positive_amount("amount")?;
    let channel = resolve_channel(
        p.string("pg").as_deref(),
        p.string("channel_key").as_deref(),
        "payment",
        0,
    )?;
    let tax_free = p.non_negative_amount("tax_free")?.unwrap_or_default();
    if s.store.merchant_uid_settled(&merchant_uid) {
        return Err(Reply::refused(ALREADY_PAID));
    }
    let mut pay = Payment::new(s.ids.imp_uid(), merchant_uid, amount, s.now);
    pay.pay_method = pay_method.into();
    pay.channel = "api".into();
    pay.pg_provider = channel.pg_provider.into();
    pay.pg_id = channel.pg_id.into();
    pay.pg_tid = format!("{}{}", channel.pg_id, s.ids.digits(16));
    pay.sandbox = channel.sandbox;
    pay.name = p.string("name");
    pay.tax_free = tax_free;
    pay.custom_data = p.json_text("custom_data");
    pay.notice_urls = p.notice_urls();
    pay.user_agent.clone_from(&caller.user_agent);
    pay.buyer = Buyer {
        name: p.string("buyer_name"),
        email: p.string("buyer_email"),
        tel: p.string("buyer_tel"),
        addr: p.string("buyer_addr"),
        postcode: p.string("buyer_postcode"),
    };
    Ok(pay)
}

/// Issues a virtual account (`vbank_code`, `vbank_due` required).
async fn create(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    let code = p.required("vbank_code")?;
    let due = p.required_int("vbank_due")?;
    let bank = codes::bank_name(&code)
        .ok_or_else(|| Reply::bad_request(format!("유효하지 않은 은행코드입니다: {code}")))?;
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    if due <= s.now {
        return Err(Reply::bad_request(
            "입금기한(vbank_due)은 현재 시각 이후여야 합니다.",
        ));
    }
    let mut pay = new_ready(&mut s, &p, &caller, "vbank")?;
    pay.vbank = Some(Vbank {
        code: code.clone(),
        name: bank.into(),
        num: p
            .string("vbank_num")
            .unwrap_or_else(|| format!("X{}", s.ids.digits(13))),
        holder: p
            .string("vbank_holder")
            .unwrap_or_else(|| "(주)포트원".into()),
        date: due,
        issued_at: s.now,
    });
    let imp_uid = pay.imp_uid.clone();
    s.store.insert_payment(pay);
    payment_reply(s.store, &imp_uid)
}

fn ready_of<'a>(
    s: &'a mut Tenant<'_>,
    imp_uid: &str,
    pay_method: &str,
) -> Result<&'a mut Payment, Reply> {
    let pay = s
        .store
        .payment_mut(imp_uid)
        .ok_or_else(|| Reply::not_found(NO_PAYMENT))?;
    if pay.pay_method != pay_method || pay.status != Status::Ready {
        return Err(Reply::bad_request(format!(
            "입금대기(ready) 상태의 {pay_method} 결제건이 아닙니다."
        )));
    }
    Ok(pay)
}

/// Changes the amount or the due time of a virtual account not yet paid.
async fn modify(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    let amount = match p.raw("amount") {
        Some(_) => Some(p.positive_amount("amount")?),
        None => None,
    };
    let due = p.int("vbank_due")?;
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    let now = s.now;
    let pay = ready_of(&mut s, &imp_uid, "vbank")?;
    if let Some(a) = amount {
        pay.amount = a;
    }
    if let (Some(d), Some(v)) = (due, pay.vbank.as_mut()) {
        v.date = d;
    }
    pay.updated_at = now;
    Ok(Reply::ok(pay.to_json()))
}

fn revoke_ready(
    shared: &Shared,
    caller: &Caller,
    imp_uid: &str,
    pay_method: &str,
    reason: &str,
) -> Answer {
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    let now = s.now;
    let pay = ready_of(&mut s, imp_uid, pay_method)?;
    pay.status = Status::Cancelled;
    pay.cancelled_at = now;
    pay.updated_at = now;
    pay.cancel_reason = Some(reason.into());
    Ok(Reply::ok(pay.to_json()))
}

/// Revokes a virtual account not yet paid; the payment becomes `cancelled`.
async fn revoke(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    revoke_ready(&shared, &caller, &imp_uid, "vbank", "가상계좌 발급취소")
}

/// The holder of a bank account.
async fn holder(_caller: Caller, QueryParams(q): QueryParams) -> Answer {
    let code = q.required("bank_code")?;
    let num = q.required("bank_num")?;
    if codes::bank_name(&code).is_none() || !num.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return Err(Reply::not_found("계좌정보 조회에 실패하였습니다."));
    }
    Ok(Reply::ok(json!({ "bank_holder": "홍길동" })))
}

/// A convenience-store payment waiting for the buyer.
async fn create_cvs(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    let pay = new_ready(&mut s, &p, &caller, "cvs")?;
    let imp_uid = pay.imp_uid.clone();
    s.store.insert_payment(pay);
    payment_reply(s.store, &imp_uid)
}

async fn revoke_cvs(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    revoke_ready(&shared, &caller, &imp_uid, "cvs", "편의점 결제 발급취소")
}
