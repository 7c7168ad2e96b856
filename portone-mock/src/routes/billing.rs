//! Billing keys (`/subscribe/customers`) and non-authenticated card payments
//! (`/subscribe/payments/onetime`, `/subscribe/payments/again`).

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde_json::Value;

use super::extract::{BodyParams, Caller, PathParams, QueryParams};
use super::lists::{multi, page_of, paging};
use crate::card_rules::{Card, NOT_A_CARD_NUMBER, Unusable, check_expiry, read_card};
use crate::params::Params;
use crate::reply::{Answer, Reply};
use crate::shared::Shared;
use crate::state::{
    ALREADY_PAID, Buyer, Channel, Charge, Customer, Funding, ISSUE_FAILED, NO_CUSTOMER,
    PAYMENT_FAILED, Refusal, Store, Tenant, charge, resolve_channel,
};
use crate::webhooks::WebhookEvent;

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/subscribe/customers", get(many))
        .route(
            "/subscribe/customers/{customer_uid}",
            get(one).post(save).delete(delete),
        )
        .route(
            "/subscribe/customers/{customer_uid}/payments",
            get(payments),
        )
        .route("/subscribe/payments/onetime", post(onetime))
        .route("/subscribe/payments/foreign", post(foreign))
        .route("/subscribe/payments/again", post(again))
}

/// The card in `p` as the PG sees it: `Ok` with what it is and how its payments end, or
/// `Err` with the PG's reason when the number or the `expiry` cannot be used. Missing
/// fields are a 400.
fn card_of(p: &Params, now: i64) -> Result<Result<Card, Unusable>, Reply> {
    let number = p.required("card_number")?;
    let expiry = p.required("expiry")?;
    Ok(read_card(&number).and_then(|card| check_expiry(&expiry, now).map(|()| card)))
}

/// The channel a billing key or card payment in `p` goes through (the billing channel by
/// default); an unknown `channel_key` or `pg` is refused.
fn billing_channel(p: &Params) -> Result<&'static Channel, Reply> {
    resolve_channel(
        p.string("pg").as_deref(),
        p.string("channel_key").as_deref(),
        "payment",
        1,
    )
}

/// Issues (or replaces) the billing key `customer_uid` from the card in `p`. The card
/// number is read to decide and mask; nothing secret is kept. Card data the PG cannot use
/// (a bad number, an `expiry` malformed or past) is refused with HTTP 200 and `code` -1,
/// as PortOne answers it.
pub(super) fn issue(
    store: &mut Store,
    now: i64,
    customer_uid: &str,
    p: &Params,
    buyer_fallback: bool,
) -> Result<(), Reply> {
    let channel = billing_channel(p)?;
    let card = card_of(p, now)?.map_err(|why| {
        Reply::fail(
            StatusCode::OK,
            -1,
            format!("{ISSUE_FAILED} {}", why.reason()),
        )
    })?;
    // `onetime` saves the buyer as the key's customer.
    let field = |customer: &str, buyer: &str| {
        p.string(customer)
            .or_else(|| buyer_fallback.then(|| p.string(buyer)).flatten())
    };
    let inserted = store
        .customers
        .get(customer_uid)
        .map_or(now, |c| c.inserted);
    store.customers.insert(
        customer_uid.to_owned(),
        Customer {
            customer_uid: customer_uid.to_owned(),
            channel,
            customer_id: p.string("customer_id"),
            card: card.info,
            outcome: card.outcome,
            name: field("customer_name", "buyer_name"),
            tel: field("customer_tel", "buyer_tel"),
            email: field("customer_email", "buyer_email"),
            addr: field("customer_addr", "buyer_addr"),
            postcode: field("customer_postcode", "buyer_postcode"),
            inserted,
            updated: now,
        },
    );
    Ok(())
}

async fn save(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(customer_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    issue(s.store, s.now, &customer_uid, &p, false)?;
    customer_json(s.store, &customer_uid)
}

/// PortOne's answer for an unknown `customer_uid` on `GET` and `DELETE`: HTTP 200 with
/// `code` 1, as observed on the live server (the spec says 404).
fn unknown_customer(customer_uid: &str) -> Reply {
    Reply::refused(format!(
        "요청하신 customer_uid({customer_uid})로 등록된 정보를 찾을 수 없습니다."
    ))
}

fn customer_json(store: &Store, customer_uid: &str) -> Answer {
    store
        .customers
        .get(customer_uid)
        .map(|c| Reply::ok(c.to_json()))
        .ok_or_else(|| unknown_customer(customer_uid))
}

async fn one(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(customer_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    customer_json(s.store, &customer_uid)
}

/// Deletes the key (its schedules stay and will fail for want of it) and returns it.
async fn delete(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(customer_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    s.store
        .customers
        .remove(&customer_uid)
        .map(|c| Reply::ok(c.to_json()))
        .ok_or_else(|| unknown_customer(&customer_uid))
}

/// `?customer_uid[]=a&customer_uid[]=b`: 200, 207 for some, 404 for none.
async fn many(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    QueryParams(q): QueryParams,
) -> Answer {
    let asked = q.strings("customer_uid");
    if asked.is_empty() {
        return Err(Reply::bad_request("customer_uid[] 파라메터가 필요합니다."));
    }
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let found: Vec<Value> = asked
        .iter()
        .filter_map(|uid| s.store.customers.get(uid))
        .map(Customer::to_json)
        .collect();
    Ok(multi(found, asked.len(), NO_CUSTOMER))
}

/// Payments made with one key, newest first, 20 a page.
async fn payments(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(customer_uid): PathParams<String>,
    QueryParams(q): QueryParams,
) -> Answer {
    let (page, _) = paging(&q, 20)?;
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let items: Vec<Value> = s
        .store
        .payments
        .values()
        .rev()
        .filter(|p| p.customer_uid.as_deref() == Some(customer_uid.as_str()))
        .map(|p| p.to_json())
        .collect();
    if items.is_empty() && !s.store.customers.contains_key(&customer_uid) {
        return Err(Reply::not_found(NO_CUSTOMER));
    }
    Ok(Reply::ok(page_of(items, page, 20)))
}

fn buyer(p: &Params) -> Buyer {
    Buyer {
        name: p.string("buyer_name"),
        email: p.string("buyer_email"),
        tel: p.string("buyer_tel"),
        addr: p.string("buyer_addr"),
        postcode: p.string("buyer_postcode"),
    }
}

/// The charge a request describes, minus the card.
pub(super) fn charge_of(
    p: &Params,
    merchant_uid: String,
    caller: &Caller,
    usage: Option<&'static str>,
) -> Result<Charge, Reply> {
    Ok(Charge {
        merchant_uid,
        amount: p.positive_amount("amount")?,
        tax_free: p.non_negative_amount("tax_free")?.unwrap_or_default(),
        currency: p.string("currency").unwrap_or_else(|| "KRW".into()),
        name: p.string("name"),
        buyer: buyer(p),
        custom_data: p.json_text("custom_data"),
        card_quota: p.int("card_quota")?.unwrap_or(0),
        user_agent: caller.user_agent.clone(),
        customer_uid: p.string("customer_uid"),
        usage,
        notice_urls: p.notice_urls(),
    })
}

/// Answers a charge as PortOne does: `code` 0 with the payment whether it was paid or the
/// card company declined it (its `status` says which); `code` -1 with no payment when the
/// charge got no decision (bad card data, PG unreachable). A paid charge is notified; a
/// failed one, like a failed checkout, is not.
pub(super) fn charged(s: &mut Tenant<'_>, imp_uid: &str, refusal: Option<Refusal>) -> Answer {
    if refusal.is_none() {
        s.notify(WebhookEvent::Paid, imp_uid);
    }
    charge_answer(s.store, imp_uid, refusal)
}

/// [`charged`] without the notification: the answer of a schedule's retry, whose run
/// notified already.
pub(super) fn charge_answer(store: &Store, imp_uid: &str, refusal: Option<Refusal>) -> Answer {
    match refusal {
        Some(Refusal::NoDecision(reason)) => Err(Reply::fail(
            StatusCode::OK,
            -1,
            format!("{PAYMENT_FAILED} {reason}"),
        )),
        Some(Refusal::Declined(_)) | None => payment_reply(store, imp_uid),
    }
}

/// PortOne's prefix of a one-time payment whose card data PortOne itself refused.
const CARD_CHECK_FAILED: &str = "카드정보 인증에 실패하였습니다.";
/// PortOne's answer to `again` for a `customer_uid` that has no billing key.
const UNKNOWN_BUYER: &str = "등록되지 않은 구매자입니다.";

/// Pays with card data. With `customer_uid`, the card is also saved as that billing key.
/// Every attempt a PG saw is recorded, `failed` when it did not go through.
async fn onetime(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    pay_with_card(&caller, &shared, &p, false)
}

/// `POST /subscribe/payments/foreign` (undocumented; PortOne's Python and Node clients
/// still call it): a one-time payment with a card issued abroad, the same body as
/// `onetime` without the Korean-only fields (`birth`, `pwd_2digit`, instalments in
/// `card_quota`, which are not read), and the same refusals.
async fn foreign(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    pay_with_card(&caller, &shared, &p, true)
}

fn pay_with_card(caller: &Caller, shared: &Shared, p: &Params, abroad: bool) -> Answer {
    let merchant_uid = p.required("merchant_uid")?;
    let customer_uid = p.string("customer_uid");
    let usage = customer_uid.as_ref().map(|_| "issue");
    let mut req = charge_of(p, merchant_uid.clone(), caller, usage)?;
    if abroad {
        req.card_quota = 0;
    }
    let channel = billing_channel(p)?;
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    let card = card_of(p, s.now)?;
    // NOTES.md, "Answers observed on the live server": a number that fails PortOne's own
    // check (length, digits, Luhn) is refused with `code` -1, whatever its expiry, and no
    // payment is recorded: no PG was asked.
    if let Err(Unusable::NotACardNumber) = card {
        return Err(Reply::fail(
            StatusCode::OK,
            -1,
            format!("{CARD_CHECK_FAILED} {NOT_A_CARD_NUMBER}"),
        ));
    }
    if s.store.merchant_uid_settled(&merchant_uid) {
        return Err(Reply::refused(ALREADY_PAID));
    }
    if let (Some(uid), Ok(_)) = (&customer_uid, &card) {
        issue(s.store, s.now, uid, p, true)?;
    }
    let funding = match &card {
        Ok(card) => Funding::Card(&card.info, card.outcome),
        Err(why) => Funding::InvalidCard(why.reason()),
    };
    let (imp_uid, refusal) = charge(s.store, s.ids, channel, funding, req, s.now);
    charged(&mut s, &imp_uid, refusal)
}

pub(super) fn payment_reply(store: &Store, imp_uid: &str) -> Answer {
    store
        .payment(imp_uid)
        .map(|p| Reply::ok(p.to_json()))
        .ok_or_else(|| Reply::not_found(super::payments::NO_PAYMENT))
}

/// Pays with a saved billing key. An unknown `customer_uid` records nothing.
async fn again(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    let customer_uid = p.required("customer_uid")?;
    // NOTES.md, "Answers observed on the live server": the customer is checked before
    // `name` is required, and an unknown one is `등록되지 않은 구매자입니다.` on HTTP 200,
    // with `code` 1 when `name` was sent and -1 when it was not (both recorded).
    if !shared
        .lock()
        .tenant(&caller.tier)
        .store
        .customers
        .contains_key(&customer_uid)
    {
        let code = if p.string("name").is_some() { 1 } else { -1 };
        return Err(Reply::fail(StatusCode::OK, code, UNKNOWN_BUYER));
    }
    let merchant_uid = p.required("merchant_uid")?;
    p.required("name")?;
    let mut req = charge_of(&p, merchant_uid.clone(), &caller, Some("payment"))?;
    // The key decides the channel; a `channel_key` only has to be one of the account's.
    resolve_channel(None, p.string("channel_key").as_deref(), "payment", 1)?;
    let mut st = shared.lock();
    let mut s = st.tenant(&caller.tier);
    // Deleted since the check above.
    let Some(customer) = s.store.customers.get(&customer_uid).cloned() else {
        return Err(Reply::refused(UNKNOWN_BUYER));
    };
    if s.store.merchant_uid_settled(&merchant_uid) {
        return Err(Reply::refused(ALREADY_PAID));
    }
    customer.fill_buyer(&mut req.buyer);
    let (imp_uid, refusal) = charge(
        s.store,
        s.ids,
        customer.channel,
        Funding::Card(&customer.card, customer.outcome),
        req,
        s.now,
    );
    charged(&mut s, &imp_uid, refusal)
}
