//! Billing keys (`/subscribe/customers`) and non-authenticated card payments
//! (`/subscribe/payments/onetime`, `/subscribe/payments/again`).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde_json::Value;

use super::{App, Auth, Body, Path, Query, multi, page_of, paging};
use crate::params::Params;
use crate::reply::{Answer, Reply};
use crate::state::{
    Buyer, Charge, Customer, Funding, ISSUE_FAILED, NO_CUSTOMER, PAYMENT_FAILED, Store, card_info,
    charge, pick_channel,
};

pub(super) fn routes() -> Router<App> {
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
        .route("/subscribe/payments/again", post(again))
}

/// Issues (or replaces) the billing key `customer_uid` from the card in `p`. The card
/// number is read to decide and mask; nothing secret is kept.
pub(super) fn issue(
    store: &mut Store,
    now: i64,
    customer_uid: &str,
    p: &Params,
    buyer_fallback: bool,
) -> Result<(), Reply> {
    let number = p.required("card_number")?;
    p.required("expiry")?;
    let (card, outcome) = card_info(&number)
        .map_err(|why| Reply::fail(StatusCode::OK, -1, format!("{ISSUE_FAILED} {why}")))?;
    let channel = pick_channel(
        p.string("pg").as_deref(),
        p.string("channel_key").as_deref(),
        1,
    );
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
            card,
            outcome,
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
    auth: Auth,
    State(app): State<App>,
    Path(customer_uid): Path<String>,
    Body(p): Body,
) -> Answer {
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    issue(s.store, s.now, &customer_uid, &p, false)?;
    customer_json(s.store, &customer_uid)
}

fn customer_json(store: &Store, customer_uid: &str) -> Answer {
    store
        .customers
        .get(customer_uid)
        .map(|c| Reply::ok(c.to_json()))
        .ok_or_else(|| Reply::not_found(NO_CUSTOMER))
}

async fn one(auth: Auth, State(app): State<App>, Path(customer_uid): Path<String>) -> Answer {
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    customer_json(s.store, &customer_uid)
}

/// Deletes the key (its schedules stay and will fail for want of it) and returns it.
async fn delete(auth: Auth, State(app): State<App>, Path(customer_uid): Path<String>) -> Answer {
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    s.store
        .customers
        .remove(&customer_uid)
        .map(|c| Reply::ok(c.to_json()))
        .ok_or_else(|| Reply::not_found(NO_CUSTOMER))
}

/// `?customer_uid[]=a&customer_uid[]=b`: 200, 207 for some, 404 for none.
async fn many(auth: Auth, State(app): State<App>, Query(q): Query) -> Answer {
    let asked = q.strings("customer_uid");
    if asked.is_empty() {
        return Err(Reply::bad_request("customer_uid[] 파라메터가 필요합니다."));
    }
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    let found: Vec<Value> = asked
        .iter()
        .filter_map(|uid| s.store.customers.get(uid))
        .map(Customer::to_json)
        .collect();
    Ok(multi(found, asked.len(), NO_CUSTOMER))
}

/// Payments made with one key, newest first, 20 a page.
async fn payments(
    auth: Auth,
    State(app): State<App>,
    Path(customer_uid): Path<String>,
    Query(q): Query,
) -> Answer {
    let (page, _) = paging(&q, 20)?;
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    let items: Vec<Value> = s
        .store
        .payments
        .iter()
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
    auth: &Auth,
    usage: Option<&'static str>,
) -> Result<Charge, Reply> {
    Ok(Charge {
        merchant_uid,
        amount: p.required_amount("amount")?,
        tax_free: p.amount("tax_free")?.unwrap_or_default(),
        currency: p.string("currency").unwrap_or_else(|| "KRW".into()),
        name: p.string("name"),
        buyer: buyer(p),
        custom_data: p.string("custom_data"),
        card_quota: p.int("card_quota")?.unwrap_or(0),
        user_agent: auth.user_agent.clone(),
        customer_uid: p.string("customer_uid"),
        usage,
    })
}

pub(super) const ALREADY_PAID: &str = "이미 결제가 완료된 merchant_uid 입니다.";

fn declined(reason: &str) -> Reply {
    Reply::fail(StatusCode::OK, -1, format!("{PAYMENT_FAILED} {reason}"))
}

/// Pays with card data. With `customer_uid`, the card is also saved as that billing key.
/// A declined card answers `code` -1 and leaves a `failed` payment.
async fn onetime(auth: Auth, State(app): State<App>, Body(p): Body) -> Answer {
    let merchant_uid = p.required("merchant_uid")?;
    let number = p.required("card_number")?;
    p.required("expiry")?;
    let customer_uid = p.string("customer_uid");
    let req = charge_of(
        &p,
        merchant_uid.clone(),
        &auth,
        customer_uid.as_ref().map(|_| "issue"),
    )?;
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    if s.store.merchant_uid_settled(&merchant_uid) {
        return Err(Reply::refused(ALREADY_PAID));
    }
    let card = card_info(&number).ok();
    if let (Some(uid), Some(_)) = (&customer_uid, &card) {
        issue(s.store, s.now, uid, &p, true)?;
    }
    let channel = pick_channel(
        p.string("pg").as_deref(),
        p.string("channel_key").as_deref(),
        1,
    );
    let (imp_uid, failure) = charge(
        s.store,
        s.ids,
        channel,
        card.as_ref()
            .map_or(Funding::InvalidCard, |(c, o)| Funding::Card(c, *o)),
        req,
        s.now,
    );
    if let Some(reason) = failure {
        return Err(declined(reason));
    }
    payment_reply(s.store, &imp_uid)
}

pub(super) fn payment_reply(store: &Store, imp_uid: &str) -> Answer {
    store
        .payment(imp_uid)
        .map(|p| Reply::ok(p.to_json()))
        .ok_or_else(|| Reply::not_found(super::payments::NO_PAYMENT))
}

/// Pays with a saved billing key. An unknown `customer_uid` answers `code` 1.
async fn again(auth: Auth, State(app): State<App>, Body(p): Body) -> Answer {
    let customer_uid = p.required("customer_uid")?;
    let merchant_uid = p.required("merchant_uid")?;
    p.required("name")?;
    let mut req = charge_of(&p, merchant_uid.clone(), &auth, Some("payment"))?;
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    let Some(customer) = s.store.customers.get(&customer_uid).cloned() else {
        return Err(Reply::refused(NO_CUSTOMER));
    };
    if s.store.merchant_uid_settled(&merchant_uid) {
        return Err(Reply::refused(ALREADY_PAID));
    }
    customer.fill_buyer(&mut req.buyer);
    let (imp_uid, failure) = charge(
        s.store,
        s.ids,
        customer.channel,
        Funding::Card(&customer.card, customer.outcome),
        req,
        s.now,
    );
    if let Some(reason) = failure {
        return Err(declined(reason));
    }
    payment_reply(s.store, &imp_uid)
}
