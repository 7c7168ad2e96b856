//! Cards and billing keys. Card data is read once to decide the outcome and mask the
//! number; the number, expiry, birth date, password digits and CVC are never stored.

use serde_json::{Value, json};

use super::payment::{Buyer, Payment};
use super::{Channel, Store};
use crate::amount::Amount;
use crate::ids::Ids;

/// Why PortOne refuses a card number it cannot use (its message on a failed billing key).
pub(crate) const INVALID_CARD_REASON: &str =
    "[F112]유효하지않은 카드번호를 입력하셨습니다. (card_bin 없음)";
/// Why a card with no funds is declined at payment time.
pub(crate) const INSUFFICIENT_FUNDS_REASON: &str = "[F113]잔액이 부족합니다. (잔액부족)";
/// Prefix of a failed billing-key issue.
pub(crate) const ISSUE_FAILED: &str = "카드정보 인증 및 빌키 발급에 실패하였습니다.";
/// Prefix of a declined payment.
pub(crate) const PAYMENT_FAILED: &str = "카드 승인에 실패하였습니다.";

/// What a payment response says about the card; no secret in it.
#[derive(Clone, Debug)]
pub(crate) struct CardInfo {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) masked: String,
    /// 0 credit, 1 check.
    pub(crate) card_type: i64,
}

/// How the issuer treats payments with a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CardOutcome {
    Approve,
    InsufficientFunds,
}

/// Reads a card number (`dddd-dddd-dddd-dddd`, separators optional). `Err` with PortOne's
/// reason when the number is unusable: not 13–19 digits, or digits ending in `0002`.
pub(crate) fn card_info(number: &str) -> Result<(CardInfo, CardOutcome), &'static str> {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let well_formed = number
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
    if !well_formed || !(13..=19).contains(&digits.len()) || digits.ends_with("0002") {
        return Err(INVALID_CARD_REASON);
    }
    let outcome = if digits.ends_with("0051") {
        CardOutcome::InsufficientFunds
    } else {
        CardOutcome::Approve
    };
    // A stand-in for the BIN table: the leading digit picks a Korean card company.
    let (code, name) = match digits.as_bytes()[0] {
        b'4' => ("366", "신한카드"),
        b'5' => ("381", "KB국민카드"),
        b'9' => ("361", "BC카드"),
        b'3' => ("365", "삼성카드"),
        _ => ("367", "현대카드"),
    };
    let masked = format!(
        "{}{}{}",
        &digits[..6],
        "*".repeat(digits.len() - 10),
        &digits[digits.len() - 4..]
    );
    let card_type = i64::from(digits.as_bytes()[1] % 2 == 1);
    Ok((
        CardInfo {
            code,
            name,
            masked,
            card_type,
        },
        outcome,
    ))
}

/// A billing key.
#[derive(Clone, Debug)]
pub(crate) struct Customer {
    pub(crate) customer_uid: String,
    pub(crate) channel: &'static Channel,
    pub(crate) customer_id: Option<String>,
    pub(crate) card: CardInfo,
    pub(crate) outcome: CardOutcome,
    pub(crate) name: Option<String>,
    pub(crate) tel: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) addr: Option<String>,
    pub(crate) postcode: Option<String>,
    pub(crate) inserted: i64,
    pub(crate) updated: i64,
}

impl Customer {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "customer_uid": self.customer_uid,
            "pg_provider": self.channel.pg_provider,
            "pg_id": self.channel.pg_id,
            "sandbox": self.channel.sandbox,
            "customer_id": self.customer_id,
            "card_name": self.card.name,
            "card_code": self.card.code,
            "card_issuer_code": self.card.code,
            "card_issuer_name": self.card.name,
            "card_publisher_code": self.card.code,
            "card_publisher_name": self.card.name,
            "card_number": self.card.masked,
            "card_type": self.card.card_type,
            "customer_name": self.name,
            "customer_tel": self.tel,
            "customer_email": self.email,
            "customer_addr": self.addr,
            "customer_postcode": self.postcode,
            "inserted": self.inserted,
            "updated": self.updated,
        })
    }

    /// The buyer of a payment made with this key, where the request named none.
    pub(crate) fn fill_buyer(&self, buyer: &mut Buyer) {
        let fill = |slot: &mut Option<String>, from: &Option<String>| {
            if slot.is_none() {
                slot.clone_from(from);
            }
        };
        fill(&mut buyer.name, &self.name);
        fill(&mut buyer.tel, &self.tel);
        fill(&mut buyer.email, &self.email);
        fill(&mut buyer.addr, &self.addr);
        fill(&mut buyer.postcode, &self.postcode);
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
}

/// What pays for a charge.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Funding<'a> {
    /// A card, and how its issuer answers.
    Card(&'a CardInfo, CardOutcome),
    /// A card number the PG refuses.
    InvalidCard,
    /// Points or money a partner holds (Benepia, KCP Quick Pay): always approved.
    Points,
}

/// Makes the payment, paid or declined, and records it. Returns its `imp_uid` and, for a
/// decline, the PG's reason.
pub(crate) fn charge(
    store: &mut Store,
    ids: &mut Ids,
    channel: &Channel,
    funding: Funding<'_>,
    c: Charge,
    now: i64,
) -> (String, Option<&'static str>) {
    let mut p = Payment::new(ids.imp_uid(), c.merchant_uid, c.amount, now);
    p.pay_method = match funding {
        Funding::Points => "point",
        Funding::Card(..) | Funding::InvalidCard => "card",
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
    let failure = match funding {
        Funding::InvalidCard => Some(INVALID_CARD_REASON),
        Funding::Points => None,
        Funding::Card(info, outcome) => {
            p.card = Some(info.clone());
            (outcome == CardOutcome::InsufficientFunds).then_some(INSUFFICIENT_FUNDS_REASON)
        }
    };
    match failure {
        Some(reason) => p.mark_failed(reason, now),
        None => p.mark_paid(now, ids),
    }
    let imp_uid = p.imp_uid.clone();
    store.insert_payment(p);
    (imp_uid, failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_classifies() {
        let (info, outcome) = card_info("4111-1111-1111-1111").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(info.masked, "411111******1111");
        assert_eq!(outcome, CardOutcome::Approve);
        assert_eq!(info.name, "신한카드");
        assert_eq!(
            card_info("5555 0000 0000 0051").map(|x| x.1),
            Ok(CardOutcome::InsufficientFunds)
        );
        assert_eq!(
            card_info("4000-0000-0000-0002").err(),
            Some(INVALID_CARD_REASON)
        );
        assert!(card_info("1234").is_err());
        assert!(card_info("4111x1111x1111x1111").is_err());
    }
}
