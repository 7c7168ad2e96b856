//! The test-only end of a browser checkout: what `IMP.request_pay` leaves behind once the
//! buyer finishes (or abandons) the PG's window. Built in Rust with [`Checkout`]'s
//! methods, or read from the admin API's JSON body (`POST /__mock/checkout`).

use serde::{Deserialize, Deserializer};
use serde_json::{Number, Value};

use crate::amount::Amount;
use crate::card_rules::{Card, CardOutcome, PG_UNREACHABLE_REASON, Unusable, read_card};
use crate::error::MockError;
use crate::ids::Ids;
use crate::state::{
    Bank, Buyer, NaverOrder, Payment, State, Status, Store, Vbank, checkout_channel,
};
use crate::webhooks::WebhookEvent;

/// How the checkout ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Outcome {
    /// The buyer paid.
    #[default]
    Paid,
    /// The payment failed (the buyer gave up, the card was refused).
    Failed,
    /// A virtual account was issued, waiting for the deposit.
    VbankReady,
}

/// A checkout to complete with [`MockServer::checkout`](crate::MockServer::checkout).
///
/// ```
/// use portone_mock::Checkout;
///
/// let c = Checkout::paid("order-1", 15000)
///     .pay_method("card")
///     .name("Coffee beans 1kg")
///     .buyer_name("홍길동")
///     .tier("A1B");
/// # let _ = c;
/// ```
///
/// It also reads the admin API's body (`POST /__mock/checkout`, see the crate's README):
/// the fields are named as PortOne names them (`merchant_uid`, `amount`, `outcome`,
/// `buyer_name`, `notice_url`, `card_number`, ...), and unknown ones are refused.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[must_use]
pub struct Checkout {
    #[serde(deserialize_with = "non_empty")]
    merchant_uid: String,
    /// A number, or a string holding one.
    #[serde(deserialize_with = "number")]
    amount: Number,
    #[serde(default)]
    outcome: Outcome,
    pay_method: Option<String>,
    pg: Option<String>,
    sandbox: Option<bool>,
    tier: Option<String>,
    name: Option<String>,
    buyer_name: Option<String>,
    buyer_email: Option<String>,
    buyer_tel: Option<String>,
    currency: Option<String>,
    #[serde(default)]
    escrow: bool,
    /// A string, or any JSON (kept as its text, as PortOne does).
    #[serde(default, deserialize_with = "json_text")]
    custom_data: Option<String>,
    fail_reason: Option<String>,
    /// One URL or a list.
    #[serde(default, rename = "notice_url", deserialize_with = "urls")]
    notice_urls: Vec<String>,
    /// What [`Checkout::card`] read of the number (never the number), or why it is
    /// unusable. Read from a `Value`, so that no error message ever quotes it.
    #[serde(default, rename = "card_number", deserialize_with = "card")]
    card: Option<Result<Card, Unusable>>,
}

fn non_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    if text.is_empty() {
        return Err(serde::de::Error::custom("must not be empty"));
    }
    Ok(text)
}

fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => Some(n),
        Value::String(s) => serde_json::from_str::<Number>(s.trim()).ok(),
        _ => None,
    }
    .ok_or_else(|| serde::de::Error::custom("must be a number"))
}

fn json_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

fn urls<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let wrong = || serde::de::Error::custom("must be a URL or a list of URLs");
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::String(url) => Ok(vec![url]),
        Value::Array(urls) => urls
            .into_iter()
            .map(|u| match u {
                Value::String(url) => Ok(url),
                _ => Err(wrong()),
            })
            .collect(),
        _ => Err(wrong()),
    }
}

fn card<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Result<Card, Unusable>>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(number) => Ok(Some(read_card(&number))),
        _ => Err(serde::de::Error::custom("must be a string")),
    }
}

impl Checkout {
    fn new(merchant_uid: impl Into<String>, amount: impl Into<Number>, outcome: Outcome) -> Self {
        Checkout {
            merchant_uid: merchant_uid.into(),
            amount: amount.into(),
            outcome,
            pay_method: None,
            pg: None,
            sandbox: None,
            tier: None,
            name: None,
            buyer_name: None,
            buyer_email: None,
            buyer_tel: None,
            currency: None,
            escrow: false,
            custom_data: None,
            fail_reason: None,
            notice_urls: Vec::new(),
            card: None,
        }
    }

    /// The buyer paid. If `merchant_uid` was prepared (`POST /payments/prepare`) with
    /// another amount, the payment fails instead, as PortOne blocks it.
    pub fn paid(merchant_uid: impl Into<String>, amount: impl Into<Number>) -> Self {
        Checkout::new(merchant_uid, amount, Outcome::Paid)
    }

    /// The payment failed (the buyer closed the window, the card was refused).
    pub fn failed(merchant_uid: impl Into<String>, amount: impl Into<Number>) -> Self {
        Checkout::new(merchant_uid, amount, Outcome::Failed)
    }

    /// A virtual account was issued and waits for the buyer's deposit
    /// ([`MockServer::deposit`](crate::MockServer::deposit)). The pay method is `vbank`.
    pub fn vbank_ready(merchant_uid: impl Into<String>, amount: impl Into<Number>) -> Self {
        Checkout::new(merchant_uid, amount, Outcome::VbankReady).pay_method("vbank")
    }

    /// `card` (default), `trans`, `vbank`, `phone`, `point`, ...
    pub fn pay_method(mut self, pay_method: &str) -> Self {
        self.pay_method = Some(pay_method.to_owned());
        self
    }

    /// The PG, as `IMP.request_pay`'s `pg`: `provider` or `provider.pg_id` (`kakaopay`,
    /// `naverpay`, `html5_inicis.INIpayTest` for the test channel). Default: the account's
    /// first channel (`html5_inicis`).
    pub fn pg(mut self, pg: &str) -> Self {
        self.pg = Some(pg.to_owned());
        self
    }

    /// Marks the payment as made on a test channel: `GET /payments/{imp_uid}` then hides it
    /// unless `include_sandbox=true`.
    pub fn sandbox(mut self, sandbox: bool) -> Self {
        self.sandbox = Some(sandbox);
        self
    }

    /// The sub-merchant (agency accounts): `Some("A1B")`, `"A1B"` or `None`.
    pub fn tier<'a>(mut self, tier: impl Into<Option<&'a str>>) -> Self {
        self.tier = tier.into().map(str::to_owned);
        self
    }

    /// The order name.
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }

    /// The buyer's name.
    pub fn buyer_name(mut self, name: &str) -> Self {
        self.buyer_name = Some(name.to_owned());
        self
    }

    /// The buyer's e-mail address.
    pub fn buyer_email(mut self, email: &str) -> Self {
        self.buyer_email = Some(email.to_owned());
        self
    }

    /// The buyer's phone number.
    pub fn buyer_tel(mut self, tel: &str) -> Self {
        self.buyer_tel = Some(tel.to_owned());
        self
    }

    /// The currency (default `KRW`).
    pub fn currency(mut self, currency: &str) -> Self {
        self.currency = Some(currency.to_owned());
        self
    }

    /// An escrow payment (needed for `/escrows/logis`).
    pub fn escrow(mut self, escrow: bool) -> Self {
        self.escrow = escrow;
        self
    }

    /// `custom_data`, a string (PortOne stores JSON as a string).
    pub fn custom_data(mut self, custom_data: &str) -> Self {
        self.custom_data = Some(custom_data.to_owned());
        self
    }

    /// The `fail_reason` of a failed checkout.
    pub fn fail_reason(mut self, reason: &str) -> Self {
        self.fail_reason = Some(reason.to_owned());
        self
    }

    /// Where PortOne notifies of this payment (`IMP.request_pay`'s `notice_url`) in place
    /// of the builder's [`webhook_url`](crate::MockServerBuilder::webhook_url); each call
    /// adds one URL.
    pub fn notice_url(mut self, url: &str) -> Self {
        self.notice_urls.push(url.to_owned());
        self
    }

    /// The card the buyer pays with (a card payment): its number picks the card company
    /// and the masked `card_number`, and a test card of [`cards`](crate::cards) that the
    /// issuer declines (or whose PG does not answer) makes a checkout meant to be paid
    /// fail, with the card's `fail_reason`. The number is read here and not kept. Without
    /// it, a card payment is made with an approved KB국민카드.
    pub fn card(mut self, number: &str) -> Self {
        self.card = Some(read_card(number));
        self
    }

    /// Records the payment and notifies of it (not of a failed one); returns its `imp_uid`.
    pub(crate) fn apply(self, state: &mut State) -> Result<String, MockError> {
        if let Some(tier) = &self.tier
            && let Some(why) = state.tier_refusal(tier)
        {
            return Err(MockError::Tier(format!("{tier}: {why}")));
        }
        let amount = Amount::from_number(&self.amount)
            .filter(|a| !a.is_negative())
            .ok_or_else(|| MockError::InvalidAmount(self.amount.to_string()))?;
        let card = match self.card {
            Some(Err(why)) => return Err(MockError::InvalidCard(why.reason().to_owned())),
            Some(Ok(card)) => Some(card),
            None => None,
        };
        let mut t = state.tenant(&self.tier);
        let (outcome, fail_reason) = (self.outcome, self.fail_reason);
        let mut p = Payment::new(t.ids.imp_uid(), self.merchant_uid, amount, t.now);
        let channel = checkout_channel(self.pg.as_deref());
        let (provider, pg_id) = match &self.pg {
            // A PG the account has no channel for: use it as given.
            Some(pg) if !pg.starts_with(channel.pg_provider) => {
                let (p, i) = pg.split_once('.').unwrap_or((pg, "mock"));
                (p.to_owned(), i.to_owned())
            }
            _ => (channel.pg_provider.to_owned(), channel.pg_id.to_owned()),
        };
        p.pay_method = self.pay_method.unwrap_or_else(|| "card".into());
        if outcome == Outcome::VbankReady {
            p.pay_method = "vbank".into();
        }
        p.pg_provider = provider;
        p.pg_tid = format!("{pg_id}{}", t.ids.digits(16));
        p.pg_id = pg_id;
        p.sandbox = self.sandbox.unwrap_or(channel.sandbox);
        p.escrow = self.escrow;
        p.name = self.name;
        p.buyer = Buyer {
            name: self.buyer_name,
            email: self.buyer_email,
            tel: self.buyer_tel,
            ..Buyer::default()
        };
        p.custom_data = self.custom_data;
        p.user_agent = Some("Mozilla/5.0 (portone-mock checkout)".into());
        p.notice_urls = self.notice_urls;
        if let Some(c) = self.currency {
            p.currency = c;
        }
        let declined = pay_with(&mut p, card, t.now, t.ids);
        let refused = prepared_mismatch(t.store, &p).or(declined);
        settle(&mut p, outcome, refused, fail_reason, t.now, t.ids);
        if p.pg_provider == "naverpay" && p.status == Status::Paid {
            let order = naver_order(&p, t.now, t.ids);
            t.store.naver.insert(p.imp_uid.clone(), vec![order]);
        }
        let event = match p.status {
            Status::Paid => Some(WebhookEvent::Paid),
            Status::Ready if p.vbank.is_some() => Some(WebhookEvent::VbankIssued),
            _ => None,
        };
        let imp_uid = p.imp_uid.clone();
        t.store.insert_payment(p);
        if let Some(event) = event {
            t.notify(event, &imp_uid);
        }
        Ok(imp_uid)
    }
}

/// Fills in what the pay method leaves on the payment; returns why the card's issuer
/// declined it, if it did.
fn pay_with(p: &mut Payment, card: Option<Card>, now: i64, ids: &mut Ids) -> Option<String> {
    match p.pay_method.as_str() {
        "card" => {
            let card = card.or_else(|| {
                // Without a card: an approved KB국민카드.
                read_card("5365-1019-0000-3397").ok().map(|c| Card {
                    outcome: CardOutcome::Approve,
                    ..c
                })
            })?;
            p.card = Some(card.info);
            match card.outcome {
                CardOutcome::Approve => None,
                CardOutcome::Decline(reason) => Some(reason.to_owned()),
                CardOutcome::PgUnreachable => Some(PG_UNREACHABLE_REASON.to_owned()),
            }
        }
        "trans" => {
            p.bank = Some(Bank {
                code: "004".into(),
                name: "KB국민은행".into(),
            });
            None
        }
        "vbank" => {
            p.vbank = Some(Vbank {
                code: "004".into(),
                name: "KB국민은행".into(),
                num: format!("X{}", ids.digits(13)),
                holder: "(주)포트원".into(),
                date: now + 3 * 24 * 3600,
                issued_at: now,
            });
            None
        }
        _ => None,
    }
}

/// PortOne's refusal of a payment whose `merchant_uid` was prepared with another amount
/// (or currency).
fn prepared_mismatch(store: &Store, p: &Payment) -> Option<String> {
    let prepared = store.prepares.get(&p.merchant_uid)?;
    let currency_differs = prepared.currency.as_ref().is_some_and(|c| *c != p.currency);
    (prepared.amount != p.amount || currency_differs).then(|| {
        format!(
            "사전 등록된 결제정보와 일치하지 않습니다. (사전등록금액: {}, 결제요청금액: {})",
            prepared.amount, p.amount
        )
    })
}

/// Ends the payment as the checkout says, unless it was refused.
fn settle(
    p: &mut Payment,
    outcome: Outcome,
    refused: Option<String>,
    fail_reason: Option<String>,
    now: i64,
    ids: &mut Ids,
) {
    match (outcome, refused) {
        (_, Some(reason)) => p.mark_failed(&reason, now),
        (Outcome::Failed, None) => {
            let reason = fail_reason
                .as_deref()
                .unwrap_or("사용자가 결제를 취소하셨습니다");
            p.mark_failed(reason, now);
        }
        // A paid virtual account is one whose buyer already deposited.
        (Outcome::Paid, None) if p.vbank.is_some() => {
            if p.deposit(now, ids).is_err() {
                p.mark_paid(now, ids);
            }
        }
        (Outcome::Paid, None) => p.mark_paid(now, ids),
        (Outcome::VbankReady, None) => {}
    }
}

/// The one Naver Pay product order of a paid `naverpay` checkout.
fn naver_order(p: &Payment, now: i64, ids: &mut Ids) -> NaverOrder {
    NaverOrder {
        product_order_id: format!("2{}", ids.digits(15)),
        status: "PAYED".into(),
        claim_type: None,
        claim_status: None,
        product_name: p.name.clone().unwrap_or_else(|| "상품".into()),
        amount: p.amount,
        buyer_name: p.buyer.name.clone().unwrap_or_else(|| "홍길동".into()),
        shipping_due: now + 3 * 24 * 3600,
    }
}
