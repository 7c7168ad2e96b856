//! Money in and out: `POST /payments/cancel` and the amount pre-registration
//! (`/payments/prepare`) that guards checkouts.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::json;

use super::extract::{BodyParams, Caller, PathParams};
use crate::reply::{Answer, Reply};
use crate::shared::Shared;
use crate::state::{CancelRequest, Prepared, Status};
use crate::webhooks::WebhookEvent;

/// PortOne's answer for a cancel of an unknown payment (with HTTP 200).
const NOTHING_TO_CANCEL: &str = "취소할 결제건이 존재하지 않습니다.";
const NO_PREPARE: &str = "사전등록된 결제정보가 존재하지 않습니다.";

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/payments/cancel", post(cancel))
        .route("/payments/prepare", post(prepare).put(update_prepare))
        .route("/payments/prepare/{merchant_uid}", get(get_prepare))
}

/// Full when `amount` is omitted or 0, partial otherwise. A `checksum` that is not the
/// current refundable balance, an amount over it, a cancel of an unknown or unpaid payment:
/// all refused with HTTP 200 and `code` 1. The payment turns `cancelled` only when nothing
/// is left.
async fn cancel(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    // Zero (or nothing) is PortOne's full refund; below zero is no amount at all.
    let req = CancelRequest {
        amount: p.non_negative_amount("amount")?,
        tax_free: p.non_negative_amount("tax_free")?,
        checksum: p.non_negative_amount("checksum")?,
        reason: p.string("reason"),
        has_refund_account: ["refund_holder", "refund_bank", "refund_account"]
            .iter()
            .all(|k| p.string(k).is_some()),
    };
    let imp_uid = p.string("imp_uid");
    let merchant_uid = p.string("merchant_uid");
    // Off by default: PortOne only records the notification of an API cancel.
    let notify = p.bool("enable_webhook") == Some(true);
    if imp_uid.is_none() && merchant_uid.is_none() {
        // NOTES.md, "Answers observed on the live server": a message ending
        // `지정해주셔야합니다.`.
        return Err(Reply::bad_request(
            "imp_uid 또는 merchant_uid 중 하나를 지정해주셔야합니다.",
        ));
    }
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    // `imp_uid` wins when both are given; a `merchant_uid` names its latest paid payment.
    let target = match (&imp_uid, &merchant_uid) {
        (Some(id), _) => s.store.payment(id).map(|p| p.imp_uid.clone()),
        (None, Some(m)) => {
            let list = s.store.by_merchant_uid(m);
            list.iter()
                .find(|p| p.status == Status::Paid)
                .or(list.first())
                .map(|p| p.imp_uid.clone())
        }
        (None, None) => None,
    };
    let Some(target) = target else {
        return Err(Reply::refused(NOTHING_TO_CANCEL));
    };
    let payment = s
        .store
        .payment_mut(&target)
        .ok_or_else(|| Reply::refused(NOTHING_TO_CANCEL))?;
    payment.cancel(&req, s.now, s.ids).map_err(Reply::refused)?;
    let body = payment.to_json();
    if payment.status == Status::Cancelled
        && let Some(orders) = s.store.naver.get_mut(&target)
    {
        for o in orders {
            "CANCELED".clone_into(&mut o.status);
            o.claim_type = Some("ADMIN_CANCEL".into());
            o.claim_status = Some("ADMIN_CANCEL_DONE".into());
        }
    }
    if notify {
        s.notify(WebhookEvent::Cancelled, &target);
    }
    Ok(Reply::ok(body))
}

fn prepare_json(merchant_uid: &str, prepared: &Prepared) -> serde_json::Value {
    json!({
        "merchant_uid": merchant_uid,
        "amount": prepared.amount.to_json(),
        "currency": prepared.currency,
    })
}

/// Registers the amount a checkout of `merchant_uid` must have; once per `merchant_uid`.
async fn prepare(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    let merchant_uid = p.required("merchant_uid")?;
    let prepared = Prepared {
        amount: p.positive_amount("amount")?,
        currency: p.string("currency"),
    };
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    if s.store.prepares.contains_key(&merchant_uid) {
        // The words merchants' code branches on (`code: 1`, HTTP 200), as recorded.
        return Err(Reply::refused(
            "결제정보 사전등록에 실패하였습니다(이미 등록된 merchant_uid입니다).",
        ));
    }
    let body = prepare_json(&merchant_uid, &prepared);
    s.store.prepares.insert(merchant_uid, prepared);
    Ok(Reply::ok(body))
}

async fn update_prepare(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    let merchant_uid = p.required("merchant_uid")?;
    let prepared = Prepared {
        amount: p.positive_amount("amount")?,
        currency: p.string("currency"),
    };
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let slot = s
        .store
        .prepares
        .get_mut(&merchant_uid)
        .ok_or_else(|| Reply::not_found(NO_PREPARE))?;
    *slot = prepared;
    Ok(Reply::ok(prepare_json(&merchant_uid, slot)))
}

async fn get_prepare(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(merchant_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let prepared = s
        .store
        .prepares
        .get(&merchant_uid)
        .ok_or_else(|| Reply::not_found(NO_PREPARE))?;
    Ok(Reply::ok(prepare_json(&merchant_uid, prepared)))
}
