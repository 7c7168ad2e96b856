//! Partner integrations PortOne relays: Benepia points, KCP Quick Pay, Payco order
//! status, Paymentwall delivery, partner sales slips. Answers are schema-valid; payments
//! they make are kept like any other.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, post};
use serde_json::json;

use super::billing::{ALREADY_PAID, charge_of, charged};
use super::payments::NO_PAYMENT;
use super::{App, Auth, Body, Path, Query};
use crate::params::Params;
use crate::reply::{Answer, Reply};
use crate::state::{
    Channel, Funding, NO_CUSTOMER, Payment, Scoped, Status, charge, partner_channel,
};
use crate::webhooks::notice_urls;

/// The Benepia channel; a `channel_key` sent must be its key.
fn benepia(p: &Params) -> Result<&'static Channel, Reply> {
    partner_channel("benepia", p.string("channel_key").as_deref())
}

/// The KCP Quick Pay channel; a `channel_key` sent must be its key.
fn kcp_quick(p: &Params) -> Result<&'static Channel, Reply> {
    partner_channel("kcp_quick", p.string("channel_key").as_deref())
}

pub(super) fn routes() -> Router<App> {
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

async fn benepia_point(_auth: Auth, Body(p): Body) -> Answer {
    p.required("benepia_user")?;
    p.required("benepia_password")?;
    benepia(&p)?;
    Ok(Reply::ok(json!({ "point": 50000 })))
}

/// A payment with a partner's points on `channel`, made now.
fn paid_now(
    s: &mut Scoped<'_>,
    channel: &Channel,
    p: &Params,
    auth: &Auth,
) -> Result<String, Reply> {
    let merchant_uid = p.required("merchant_uid")?;
    if s.store.merchant_uid_settled(&merchant_uid) {
        return Err(Reply::refused(ALREADY_PAID));
    }
    let req = charge_of(p, merchant_uid, auth, None)?;
    let (imp_uid, _) = charge(s.store, s.ids, channel, Funding::Points, req, s.now);
    Ok(imp_uid)
}

async fn benepia_payment(auth: Auth, State(app): State<App>, Body(p): Body) -> Answer {
    p.required("benepia_user")?;
    p.required("benepia_password")?;
    p.required("name")?;
    let channel = benepia(&p)?;
    let mut st = app.lock();
    let mut s = st.scoped(&auth.scope);
    let imp_uid = paid_now(&mut s, channel, &p, &auth)?;
    charged(&mut s, &imp_uid, None)
}

fn kcp_member(member_id: &str, now: i64) -> serde_json::Value {
    let channel = kcp_quick(&Params::default()).unwrap_or(&crate::state::CHANNELS[0]);
    json!({
        "member_id": member_id,
        "pg_provider": channel.pg_provider,
        "pg_id": channel.pg_id,
        "inserted": now,
        "updated": now,
    })
}

async fn kcp_member_delete(
    _auth: Auth,
    State(app): State<App>,
    Path(member_id): Path<String>,
    Query(q): Query,
) -> Answer {
    for key in ["site_code", "partner_type", "partner_subtype"] {
        q.required(key)?;
    }
    let now = app.lock().clock.now();
    Ok(Reply::ok(kcp_member(&member_id, now)))
}

async fn kcp_fido_release(_auth: Auth, Path(member_id): Path<String>, Body(p): Body) -> Answer {
    kcp_quick(&p)?;
    Ok(Reply::ok(json!({ "member_id": member_id }))
        .with_message("생체인증 사용이 정상적으로 해제되었습니다."))
}

/// Pays with Quick Pay money: completes `imp_uid` when it is a ready payment, otherwise
/// makes a new one.
async fn kcp_money(auth: Auth, State(app): State<App>, Body(p): Body) -> Answer {
    for key in ["member_id", "name", "imp_uid"] {
        p.required(key)?;
    }
    let imp_uid = p.required("imp_uid")?;
    let channel = kcp_quick(&p)?;
    let mut st = app.lock();
    let mut s = st.scoped(&auth.scope);
    let now = s.now;
    let ids = &mut *s.ids;
    if let Some(pay) = s
        .store
        .payment_mut(&imp_uid)
        .filter(|x| x.status == Status::Ready)
    {
        pay.pay_method = "point".into();
        pay.mark_paid(now, ids);
        let urls = notice_urls(&p);
        if !urls.is_empty() {
            pay.notice_urls = urls;
        }
        return charged(&mut s, &imp_uid, None);
    }
    let imp_uid = paid_now(&mut s, channel, &p, &auth)?;
    charged(&mut s, &imp_uid, None)
}

/// Pays with a Quick Pay auto-payment key (a billing key). A card the issuer refuses
/// answers `code` 0 with the `failed` payment, as every charge does.
async fn kcp_autopay(auth: Auth, State(app): State<App>, Body(p): Body) -> Answer {
    let customer_uid = p.required("customer_uid")?;
    let merchant_uid = p.required("merchant_uid")?;
    p.required("name")?;
    p.required("buyer_name")?;
    let req = charge_of(&p, merchant_uid.clone(), &auth, Some("payment"))?;
    let channel = kcp_quick(&p)?;
    let mut st = app.lock();
    let mut s = st.scoped(&auth.scope);
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
    auth: Auth,
    State(app): State<App>,
    Path(customer_uid): Path<String>,
) -> Answer {
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
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
    auth: Auth,
    State(app): State<App>,
    Path(merchant_uid): Path<String>,
    Body(p): Body,
) -> Answer {
    kcp_prepare_params(&p)?;
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    if !s.store.kcp_prepares.insert(merchant_uid.clone()) {
        return Err(Reply::fail(
            StatusCode::CONFLICT,
            -1,
            "이미 등록된 merchant_uid 입니다.",
        ));
    }
    Ok(Reply::ok(json!({ "merchant_uid": merchant_uid })))
}

async fn kcp_prepare_update(
    auth: Auth,
    State(app): State<App>,
    Path(merchant_uid): Path<String>,
    Body(p): Body,
) -> Answer {
    kcp_prepare_params(&p)?;
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    if !s.store.kcp_prepares.contains(&merchant_uid) {
        return Err(Reply::not_found("사전등록된 결제정보가 존재하지 않습니다."));
    }
    Ok(Reply::ok(json!({ "merchant_uid": merchant_uid })))
}

fn existing(app: &App, auth: &Auth, imp_uid: &str) -> Result<Payment, Reply> {
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    s.store
        .payment(imp_uid)
        .cloned()
        .ok_or_else(|| Reply::not_found(NO_PAYMENT))
}

async fn payco_status(
    auth: Auth,
    State(app): State<App>,
    Path(imp_uid): Path<String>,
    Body(p): Body,
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
    existing(&app, &auth, &imp_uid)?;
    Ok(Reply::ok(json!({ "status": status })))
}

async fn paymentwall_delivery(auth: Auth, State(app): State<App>, Body(p): Body) -> Answer {
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
    existing(&app, &auth, &p.required("imp_uid")?)?;
    Ok(Reply::ok(
        json!({ "error_code": 0, "error": "", "notices": [] }),
    ))
}

/// Registers sub-merchant sales slips (`data[]` with registration number, name, amount).
async fn partner_receipts(
    auth: Auth,
    State(app): State<App>,
    Path(imp_uid): Path<String>,
    Body(p): Body,
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
    let pay = existing(&app, &auth, &imp_uid)?;
    Ok(Reply::ok(json!({
        "receipt_url": format!("https://mockpg.portone.invalid/partner-receipt/{}", pay.pg_tid),
    })))
}
