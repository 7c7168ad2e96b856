//! Cash receipts: for PortOne's own cash payments (`/receipts/{imp_uid}`) and for cash
//! sales made outside PortOne (`/receipts/external/{merchant_uid}`).

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::extract::{BodyParams, Caller, PathParams};
use super::payments::NO_PAYMENT;
use crate::amount::Amount;
use crate::params::Params;
use crate::reply::{Answer, Reply};
use crate::shared::Shared;
use crate::state::{Receipt, ReceiptFor, Status, Tenant, resolve_channel};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/receipts/{imp_uid}",
            get(get_receipt).post(issue).delete(revoke),
        )
        .route(
            "/receipts/external/{merchant_uid}",
            get(get_external)
                .post(issue_external)
                .delete(revoke_external),
        )
}

fn not_issued(imp_uid: &str) -> Reply {
    Reply::not_found(format!(
        "해당 아임포트 고유 번호({imp_uid})로 현금영수증을 발급 한 내역이 존재하지 않습니다."
    ))
}

fn new_receipt(
    s: &mut Tenant<'_>,
    issued_for: ReceiptFor,
    p: &Params,
    amount: Amount,
) -> Result<Receipt, Reply> {
    p.required("identifier")?;
    let tax_free = p.non_negative_amount("tax_free")?.unwrap_or_default();
    let vat = match p.non_negative_amount("vat_amount")? {
        Some(v) => v,
        None => amount.minus(tax_free).clamp_zero().vat_part(),
    };
    Ok(Receipt {
        issued_for,
        receipt_tid: format!("CR{}", s.ids.digits(18)),
        apply_num: s.ids.digits(9),
        kind: p.string("type").unwrap_or_else(|| "person".into()),
        amount,
        vat,
        applied_at: s.now,
        cancelled_at: 0,
    })
}

/// Issues a receipt for a paid cash payment (`vbank` or `trans`), for what is left of it.
async fn issue(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    let pay = s
        .store
        .payment(&imp_uid)
        .ok_or_else(|| Reply::not_found(NO_PAYMENT))?;
    if pay.status != Status::Paid {
        return Err(Reply::bad_request(
            "결제완료(paid) 상태의 결제건에만 현금영수증을 발급할 수 있습니다.",
        ));
    }
    if !matches!(pay.pay_method.as_str(), "vbank" | "trans") {
        return Err(Reply::bad_request(
            "현금성 거래(가상계좌, 계좌이체)에만 현금영수증을 발급할 수 있습니다.",
        ));
    }
    let left = pay.cancellable();
    if s.store
        .receipts
        .get(&imp_uid)
        .is_some_and(|r| r.cancelled_at == 0)
    {
        return Err(Reply::bad_request("이미 현금영수증이 발급된 결제건입니다."));
    }
    let receipt = new_receipt(&mut s, ReceiptFor::ImpUid(imp_uid.clone()), &p, left)?;
    let body = receipt.to_json();
    s.store.receipts.insert(imp_uid.clone(), receipt);
    if let Some(pay) = s.store.payment_mut(&imp_uid) {
        pay.cash_receipt_issued = true;
    }
    Ok(Reply::ok(body))
}

async fn get_receipt(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    s.store
        .receipts
        .get(&imp_uid)
        .map(|r| Reply::ok(r.to_json()))
        .ok_or_else(|| not_issued(&imp_uid))
}

async fn revoke(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let receipt = s
        .store
        .receipts
        .get_mut(&imp_uid)
        .filter(|r| r.cancelled_at == 0)
        .ok_or_else(|| Reply::bad_request("현금영수증이 발급된 적 없는 결제건입니다."))?;
    receipt.cancelled_at = s.now;
    let body = receipt.to_json();
    if let Some(pay) = s.store.payment_mut(&imp_uid) {
        pay.cash_receipt_issued = false;
    }
    Ok(Reply::ok(body))
}

/// Issues a receipt for a cash sale made outside PortOne (`name`, `amount`, `identifier`).
async fn issue_external(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(merchant_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    p.required("name")?;
    let amount = p.positive_amount("amount")?;
    resolve_channel(None, p.string("channel_key").as_deref(), "payment", 0)?;
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    if s.store
        .external_receipts
        .get(&merchant_uid)
        .is_some_and(|r| r.cancelled_at == 0)
    {
        return Err(Reply::bad_request(
            "이미 현금영수증이 발급된 merchant_uid 입니다.",
        ));
    }
    let receipt = new_receipt(
        &mut s,
        ReceiptFor::MerchantUid(merchant_uid.clone()),
        &p,
        amount,
    )?;
    let body = receipt.to_json();
    s.store.external_receipts.insert(merchant_uid, receipt);
    Ok(Reply::ok(body))
}

fn no_external(merchant_uid: &str) -> Reply {
    Reply::not_found(format!(
        "해당 주문번호({merchant_uid})로 현금영수증을 발급 한 내역이 존재하지 않습니다."
    ))
}

async fn get_external(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(merchant_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    s.store
        .external_receipts
        .get(&merchant_uid)
        .map(|r| Reply::ok(r.to_json()))
        .ok_or_else(|| no_external(&merchant_uid))
}

async fn revoke_external(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(merchant_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let receipt = s
        .store
        .external_receipts
        .get_mut(&merchant_uid)
        .filter(|r| r.cancelled_at == 0)
        .ok_or_else(|| no_external(&merchant_uid))?;
    receipt.cancelled_at = s.now;
    Ok(Reply::ok(receipt.to_json()))
}
