//! Partner integrations PortOne relays: Benepia points, KCP Quick Pay, Payco order
//! status, Paymentwall delivery, partner sales slips. Answers are schema-valid; payments
//! they make are kept like any other.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, post};
use serde_json::json;

use super::billing::{charge_of, charged};
use super::extract::{BodyParams, Caller, PathParams, QueryParams};
use super::payments::NO_PAYMENT;
use crate::params::Params;
use crate::reply::{Answer, Reply};
use crate::shared::Shared;
use crate::state::{
    ALREADY_PAID, CHANNELS, Channel, Funding, NO_CUSTOMER, Payment, Status, Tenant, charge,
    partner_channel,
};

/// The Benepia channel; a `channel_key` sent must be its key.
fn benepia(p: &Params) -> Result<&'static Channel, Reply> {
    partner_channel("benepia", p.string("channel_key").as_deref())
}

/// The KCP Quick Pay channel; a `channel_key` sent must be its key.
fn kcp_quick(p: &Params) -> Result<&'static Channel, Reply> {
    partner_channel("kcp_quick", p.string("channel_key").as_deref())
}

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/benepia/point", post(benepia_point))
        .route("/benepia/payment", post(benepia_payment))
        .route("/kcpquick/members/{member_id}", delete(kcp_member_delete))
        .route(
            "/kcpquick/members/{member_id}/fido/release",
            post(kcp_fido_release),
        )
        .route("/kcpquick/payment/money", post(kcp_money))
        .route("/kcpquick/payment/autopay", post(kcp_autopay))
        .route(
            "/kcpquick/autopay/{customer_uid}",
            delete(kcp_autopay_delete),
        )
        .route(
            "/kcpquick/prepare/{merchant_uid}",
            post(kcp_prepare).put(kcp_prepare_update),
        )
        .route("/payco/orders/status/{imp_uid}", post(payco_status))
        .route("/paymentwall/delivery", post(paymentwall_delivery))
        .route("/partners/receipts/{imp_uid}", post(partner_receipts))
}

async fn benepia_point(_caller: Caller, BodyParams(p): BodyParams) -> Answer {
    p.required("benepia_user")?;
    p.required("benepia_password")?;
    benepia(&p)?;
    Ok(Reply::ok(json!({ "point": 50000 })))
}

/// A payment with a partner's points on `channel`, made now.
fn paid_now(
    s: &mut Tenant<'_>,
    channel: &Channel,
    p: &Params,
    caller: &Caller,
) -> Result<String, Reply> {
    let merchant_uid = p.required("merchant_uid")?;
    if s.store.merchant_uid_settled(&merchant_uid) {
        return Err(Reply::refused(ALREADY_PAID));
    }
    let req = charge_of(p, merchant_uid, caller, None)?;
    let (imp_uid, _) = charge(s.store, s.ids, channel, Funding::Points, req, s.now);
    Ok(imp_uid)
}

async fn benepia_payment(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    p.required("benepia_user")?;
    p.required("benepia_password")?;
    p.required("name")?;
    let channel = benepia(&p)?;
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    let imp_uid = paid_now(&mut s, channel, &p, &caller)?;
    charged(&mut s, &imp_uid, None)
}

fn kcp_member(member_id: &str, now: i64) -> serde_json::Value {
    let channel = kcp_quick(&Params::default()).unwrap_or(&CHANNELS[0]);
    json!({
        "member_id": member_id,
        "pg_provider": channel.pg_provider,
        "pg_id": channel.pg_id,
        "inserted": now,
        "updated": now,
    })
}

async fn kcp_member_delete(
    _caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(member_id): PathParams<String>,
    QueryParams(q): QueryParams,
) -> Answer {
    for key in ["site_code", "partner_type", "partner_subtype"] {
        q.required(key)?;
    }
    let now = shared.lock().clock.now();
    Ok(Reply::ok(kcp_member(&member_id, now)))
}

async fn kcp_fido_release(
    _caller: Caller,
    PathParams(member_id): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    kcp_quick(&p)?;
    Ok(Reply::ok(json!({ "member_id": member_id }))
        .with_message("생체인증 사용이 정상적으로 해제되었습니다."))
}

/// Pays with Quick Pay money: completes `imp_uid` when it is a ready payment, otherwise
/// makes a new one.
async fn kcp_money(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    for key in ["member_id", "name", "imp_uid"] {
        p.required(key)?;
    }
    let imp_uid = p.required("imp_uid")?;
    let channel = kcp_quick(&p)?;
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    let now = s.now;
    let ids = &mut *s.ids;
    if let Some(pay) = s
        .store
        .payment_mut(&imp_uid)
        .filter(|x| x.status == Status::Ready)
    {
        pay.pay_method = "point".into();
        pay.mark_paid(now, ids);
        let urls = p.notice_urls();
        if !urls.is_empty() {
            pay.notice_urls = urls;
        }
        return charged(&mut s, &imp_uid, None);
    }
    let imp_uid = paid_now(&mut s, channel, &p, &caller)?;
    charged(&mut s, &imp_uid, None)
}

/// Pays with a Quick Pay auto-payment key (a billing key). A card the issuer refuses
/// answers `code` 0 with the `failed` payment, as every charge does.
async fn kcp_autopay(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    let customer_uid = p.required("customer_uid")?;
    let merchant_uid = p.required("merchant_uid")?;
    p.required("name")?;
    p.required("buyer_name")?;
    let req = charge_of(&p, merchant_uid.clone(), &caller, Some("payment"))?;
    let channel = kcp_quick(&p)?;
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    let Some(customer) = s.store.customers.get(&customer_uid).cloned() else {
        return Err(Reply::refused(NO_CUSTOMER));
    };
    if s.store.merchant_uid_settled(&merchant_uid) {
        return Err(Reply::refused(ALREADY_PAID));
    }
    let (imp_uid, refusal) = charge(
        s.store,
        s.ids,
        channel,
        Funding::Card(&customer.card, customer.outcome),
        req,
        s.now,
    );
    charged(&mut s, &imp_uid, refusal)
}

async fn kcp_autopay_delete(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(customer_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    s.store
        .customers
        .remove(&customer_uid)
        .ok_or_else(|| Reply::not_found(NO_CUSTOMER))?;
    Ok(Reply::ok(json!({ "customer_uid": customer_uid }))
        .with_message("자동결제 키가 정상적으로 삭제되었습니다."))
}

fn kcp_prepare_params(p: &Params) -> Result<(), Reply> {
    for key in ["btid", "cust_ip", "code_verifier"] {
        p.required(key)?;
    }
    Ok(())
}

async fn kcp_prepare(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(merchant_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    kcp_prepare_params(&p)?;
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    if s.store.kcp_prepares.contains_key(&merchant_uid) {
        return Err(Reply::fail(
            StatusCode::CONFLICT,
            -1,
            "이미 등록된 merchant_uid 입니다.",
        ));
    }
    s.store.kcp_prepares.insert(merchant_uid.clone(), ());
    Ok(Reply::ok(json!({ "merchant_uid": merchant_uid })))
}

async fn kcp_prepare_update(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(merchant_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    kcp_prepare_params(&p)?;
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    if !s.store.kcp_prepares.contains_key(&merchant_uid) {
        return Err(Reply::not_found("사전등록된 결제정보가 존재하지 않습니다."));
    }
    Ok(Reply::ok(json!({ "merchant_uid": merchant_uid })))
}

fn existing(shared: &Shared, caller: &Caller, imp_uid: &str) -> Result<Payment, Reply> {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    s.store
        .payment(imp_uid)
        .cloned()
        .ok_or_else(|| Reply::not_found(NO_PAYMENT))
}

async fn payco_status(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    let status = p.required("status")?;
    if !matches!(
        status.as_str(),
        "DELIVERY_START" | "PURCHASE_DECISION" | "CANCELED"
    ) {
        return Err(Reply::bad_request(format!(
            "유효하지 않은 status 입니다: {status}"
        )));
    }
    existing(&shared, &caller, &imp_uid)?;
    Ok(Reply::ok(json!({ "status": status })))
}

async fn paymentwall_delivery(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    for key in [
        "imp_uid",
        "merchant_uid",
        "type",
        "status",
        "estimated_delivery_datetime",
        "estimated_update_datetime",
        "refundable",
        "shipping_address_email",
    ] {
        p.required(key)?;
    }
    existing(&shared, &caller, &p.required("imp_uid")?)?;
    Ok(Reply::ok(
        json!({ "error_code": 0, "error": "", "notices": [] }),
    ))
}

/// Registers sub-merchant sales slips (`data[]` with registration number, name, amount).
async fn partner_receipts(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    let data = p
        .array("data")
        .filter(|d| !d.is_empty())
        .ok_or_else(|| crate::reply::missing("data"))?;
    for entry in &data {
        let entry = p.nested(entry.as_object().cloned().unwrap_or_default());
        entry.required("business_registration_number")?;
        entry.required("company_name")?;
        entry.positive_amount("amount")?;
    }
    let pay = existing(&shared, &caller, &imp_uid)?;
    Ok(Reply::ok(json!({
        "receipt_url": format!("https://mockpg.portone.invalid/partner-receipt/{}", pay.pg_tid),
    })))
}
