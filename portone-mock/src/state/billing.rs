//! Billing keys and the non-authenticated card payments made with them or with card data
//! (`onetime`, `again`, a schedule's run, partner payments).

use super::channels::Channel;
use super::payment::{Buyer, Payment};
use super::store::Store;
use crate::amount::Amount;
use crate::card_rules::{CardInfo, CardOutcome, PG_UNREACHABLE_REASON};
use crate::ids::Ids;

/// Prefix of a failed billing-key issue.
pub(crate) const ISSUE_FAILED: &str = "카드정보 인증 및 빌키 발급에 실패하였습니다.";
/// Prefix of a charge that got no decision (bad card data, PG unreachable).
pub(crate) const PAYMENT_FAILED: &str = "카드 승인에 실패하였습니다.";

/// How a charge that did not go through ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The card company said no: PortOne answers `code` 0 with the `failed` payment.
    Declined(&'static str),
    /// Nobody decided (bad card data, PG unreachable): `code` -1, `response` null.
    NoDecision(&'static str),
}

impl Refusal {
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Refusal::Declined(r) | Refusal::NoDecision(r) => r,
        }
    }
}

/// One non-authenticated card payment (onetime, again, a schedule run).
#[derive(Debug)]
pub(crate) struct Charge {
    pub(crate) merchant_uid: String,
    pub(crate) amount: Amount,
    pub(crate) tax_free: Amount,
    pub(crate) currency: String,
    pub(crate) name: Option<String>,
    pub(crate) buyer: Buyer,
    pub(crate) custom_data: Option<String>,
    pub(crate) card_quota: i64,
    pub(crate) user_agent: Option<String>,
    pub(crate) customer_uid: Option<String>,
    pub(crate) usage: Option<&'static str>,
    /// Where PortOne notifies of the payment (`notice_url`).
    pub(crate) notice_urls: Vec<String>,
}

/// What pays for a charge.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Funding<'a> {
    /// A card, and how its issuer answers.
    Card(&'a CardInfo, CardOutcome),
    /// Card data the PG refuses (bad number, malformed or past expiry), with its reason.
    InvalidCard(&'static str),
    /// Points or money a partner holds (Benepia, KCP Quick Pay): always approved.
    Points,
}

/// Makes the payment, paid or not, and records it. Returns its `imp_uid` and, when it did
/// not go through, how.
pub(crate) fn charge(
    store: &mut Store,
    ids: &mut Ids,
    channel: &Channel,
    funding: Funding<'_>,
    c: Charge,
    now: i64,
) -> (String, Option<Refusal>) {
    let mut p = Payment::new(ids.imp_uid(), c.merchant_uid, c.amount, now);
    p.pay_method = match funding {
        Funding::Points => "point",
        Funding::Card(..) | Funding::InvalidCard(_) => "card",
    }
    .into();
    p.channel = "api".into();
    p.pg_provider = channel.pg_provider.into();
    p.pg_id = channel.pg_id.into();
    p.pg_tid = format!("{}{}", channel.pg_id, ids.digits(16));
    p.sandbox = channel.sandbox;
    p.tax_free = c.tax_free;
    p.currency = c.currency;
    p.name = c.name;
    p.buyer = c.buyer;
    p.custom_data = c.custom_data;
    p.card_quota = c.card_quota;
    p.user_agent = c.user_agent;
    p.customer_uid = c.customer_uid;
    p.customer_uid_usage = c.usage.map(str::to_owned);
    p.notice_urls = c.notice_urls;
    let failure = match funding {
        Funding::InvalidCard(reason) => Some(Refusal::NoDecision(reason)),
        Funding::Points => None,
        Funding::Card(info, outcome) => {
            p.card = Some(info.clone());
            match outcome {
                CardOutcome::Approve => None,
                CardOutcome::Decline(reason) => Some(Refusal::Declined(reason)),
                CardOutcome::PgUnreachable => Some(Refusal::NoDecision(PG_UNREACHABLE_REASON)),
            }
        }
    };
    match failure {
        Some(refusal) => p.mark_failed(refusal.reason(), now),
        None => p.mark_paid(now, ids),
    }
    let imp_uid = p.imp_uid.clone();
    store.insert_payment(p);
    (imp_uid, failure)
}
