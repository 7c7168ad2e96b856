//! Naver Pay product orders of a `naverpay` payment (one order per checkout): claims,
//! shipping, returns. Cancels and approved returns refund the order's amount.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::extract::{BodyParams, Caller, PathParams, QueryParams};
use super::lists::multi;
use super::payments::NO_PAYMENT;
use crate::amount::Amount;
use crate::params::Params;
use crate::reply::{Answer, Reply};
use crate::shared::Shared;
use crate::state::{CancelRequest, NaverOrder, Status, partner_channel};

const NO_ORDER: &str = "상품주문정보를 찾을 수 없습니다.";

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/payments/{imp_uid}/naver/cancel", post(cancel))
        .route(
            "/payments/{imp_uid}/naver/approve-cancel",
            post(approve_cancel),
        )
        .route("/payments/{imp_uid}/naver/ship", post(ship))
        .route(
            "/payments/{imp_uid}/naver/ship-exchanged",
            post(ship_exchanged),
        )
        .route(
            "/payments/{imp_uid}/naver/collect-exchanged",
            post(collect_exchanged),
        )
        .route("/payments/{imp_uid}/naver/place", post(place))
        .route(
            "/payments/{imp_uid}/naver/request-return",
            post(request_return),
        )
        .route(
            "/payments/{imp_uid}/naver/approve-return",
            post(approve_return),
        )
        .route(
            "/payments/{imp_uid}/naver/reject-return",
            post(reject_return),
        )
        .route(
            "/payments/{imp_uid}/naver/withhold-return",
            post(withhold_return),
        )
        .route(
            "/payments/{imp_uid}/naver/resolve-return",
            post(resolve_return),
        )
        .route("/payments/{imp_uid}/naver/point", post(point))
        .route("/payments/{imp_uid}/naver/confirm", post(confirm))
        .route("/payments/{imp_uid}/naver/product-orders", get(orders))
        .route("/payments/{imp_uid}/naver/cash-amount", get(cash_amount))
        .route("/naver/product-orders/{product_order_id}", get(order))
        .route("/naver/reviews", get(reviews))
}

/// What an action does to an order: its new status and claim, and whether it refunds.
struct Change {
    status: Option<&'static str>,
    claim: Option<(&'static str, &'static str)>,
    refund: bool,
}

const fn change(
    status: Option<&'static str>,
    claim: Option<(&'static str, &'static str)>,
    refund: bool,
) -> Change {
    Change {
        status,
        claim,
        refund,
    }
}

/// Applies `c` to the listed orders (all of the payment when none is listed): 200, 207 when
/// only some exist, 404 when none does.
fn act(shared: &Shared, caller: &Caller, imp_uid: &str, p: &Params, c: &Change) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    if s.store.payment(imp_uid).is_none() {
        return Err(Reply::not_found(NO_PAYMENT));
    }
    let Some(orders) = s.store.naver.get_mut(imp_uid) else {
        return Err(Reply::not_found("네이버페이 결제건이 아닙니다."));
    };
    let wanted = p.strings("product_order_id");
    let asked = if wanted.is_empty() {
        orders.len()
    } else {
        wanted.len()
    };
    let mut found = Vec::new();
    let mut refund = Amount::ZERO;
    for o in orders
        .iter_mut()
        .filter(|o| wanted.is_empty() || wanted.contains(&o.product_order_id))
    {
        if let Some(status) = c.status {
            status.clone_into(&mut o.status);
        }
        if let Some((kind, status)) = c.claim {
            o.claim_type = Some(kind.to_owned());
            o.claim_status = Some(status.to_owned());
        }
        if c.refund {
            refund = refund.plus(o.amount);
        }
        found.push(o.to_json());
    }
    if !refund.is_zero()
        && let Some(pay) = s.store.payment_mut(imp_uid)
        && pay.status == Status::Paid
    {
        let req = CancelRequest {
            amount: Some(refund.min(pay.cancellable())),
            reason: Some("네이버페이 주문 취소".into()),
            has_refund_account: true,
            ..CancelRequest::default()
        };
        pay.cancel(&req, s.now, s.ids).map_err(Reply::refused)?;
    }
    Ok(multi(found, asked, NO_ORDER))
}

macro_rules! action {
    ($name:ident, $change:expr $(, requires $($field:literal),+)?) => {
        async fn $name(
            caller: Caller,
            State(shared): State<Arc<Shared>>,
            PathParams(imp_uid): PathParams<String>,
            BodyParams(p): BodyParams,
        ) -> Answer {
            $($(p.required($field)?;)+)?
            act(&shared, &caller, &imp_uid, &p, &$change)
        }
    };
}

action!(
    cancel,
    change(Some("CANCELED"), Some(("CANCEL", "CANCEL_DONE")), true)
);
action!(
    approve_cancel,
    change(Some("CANCELED"), Some(("CANCEL", "CANCEL_DONE")), true)
);
action!(ship, change(Some("DELIVERING"), None, false), requires "delivery_method", "dispatched_at");
action!(
    ship_exchanged,
    change(Some("DELIVERING"), Some(("EXCHANGE", "EXCHANGE_REDELIVERING")), false),
    requires "delivery_method"
);
action!(
    collect_exchanged,
    change(None, Some(("EXCHANGE", "COLLECT_DONE")), false)
);
action!(place, change(Some("PAYED"), None, false));
action!(
    request_return,
    change(None, Some(("RETURN", "RETURN_REQUEST")), false),
    requires "delivery_method"
);
action!(
    approve_return,
    change(Some("RETURNED"), Some(("RETURN", "RETURN_DONE")), true)
);
action!(reject_return, change(None, Some(("RETURN", "RETURN_REJECT")), false), requires "memo");
action!(
    withhold_return,
    change(None, Some(("RETURN", "RETURN_HOLDBACK")), false),
    requires "memo"
);
action!(
    resolve_return,
    change(None, Some(("RETURN", "RETURN_REQUEST")), false)
);

fn naver_orders(shared: &Shared, caller: &Caller, imp_uid: &str) -> Result<Vec<Value>, Reply> {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    if s.store.payment(imp_uid).is_none() {
        return Err(Reply::not_found(NO_PAYMENT));
    }
    s.store
        .naver
        .get(imp_uid)
        .map(|orders| orders.iter().map(NaverOrder::to_json).collect())
        .ok_or_else(|| Reply::not_found("네이버페이 결제건이 아닙니다."))
}

/// Answers only `code` and `message`.
async fn point(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    naver_orders(&shared, &caller, &imp_uid)?;
    Ok(Reply::ok(Value::Null).with_message("포인트 적립이 요청되었습니다."))
}

async fn confirm(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    naver_orders(&shared, &caller, &imp_uid)?;
    Ok(Reply::ok(Value::Null).with_message("구매확정이 요청되었습니다."))
}

async fn orders(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    Ok(Reply::ok(Value::Array(naver_orders(
        &shared, &caller, &imp_uid,
    )?)))
}

async fn order(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(id): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    s.store
        .naver
        .values()
        .flatten()
        .find(|o| o.product_order_id == id)
        .map(|o| Reply::ok(o.to_json()))
        .ok_or_else(|| Reply::not_found(NO_ORDER))
}

/// No buyer writes reviews in the mock: an empty list, after the parameter checks.
async fn reviews(_caller: Caller, QueryParams(q): QueryParams) -> Answer {
    q.required_int("from")?;
    q.required_int("to")?;
    let kind = q.required("review_type")?;
    partner_channel("naverpay", q.string("channel_key").as_deref())?;
    if !matches!(kind.as_str(), "general" | "premium") {
        return Err(Reply::bad_request(
            "review_type 은 general 또는 premium 이어야 합니다.",
        ));
    }
    Ok(Reply::ok(json!([])))
}

async fn cash_amount(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let pay = s
        .store
        .payment(&imp_uid)
        .ok_or_else(|| Reply::not_found(NO_PAYMENT))?;
    let total = pay.cancellable();
    let vat = total.minus(pay.tax_free).clamp_zero().vat_part();
    Ok(Reply::ok(json!({
        "amount_total": total.to_json(),
        "amount_by_npoint": 0,
        "amount_by_primary": total.to_json(),
        "amount_supply": total.minus(vat).to_json(),
        "amount_vat": vat.to_json(),
    })))
}
