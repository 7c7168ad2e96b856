//! Cards and billing keys. Card data is read once to decide the outcome and mask the
//! number; the number, expiry, birth date, password digits and CVC are never stored.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::payment::{Buyer, Payment};
use super::{Channel, Store};
use crate::amount::Amount;
use crate::ids::Ids;

/// Why PortOne refuses a card number it cannot use (its message on a failed billing key).
pub(crate) const INVALID_CARD_REASON: &str =
    "[F112]유효하지않은 카드번호를 입력하셨습니다. (card_bin 없음)";
/// Why PortOne refuses an `expiry` that is not `YYYY-MM`.
pub(crate) const MALFORMED_EXPIRY_REASON: &str =
    "[F114]유효기간 형식이 올바르지 않습니다. (YYYY-MM)";
/// Why PortOne refuses a card whose `expiry` has passed.
pub(crate) const EXPIRED_CARD_REASON: &str = "[F115]유효기간이 경과한 카드입니다.";
/// Why a payment got no answer from its PG.
pub(crate) const PG_UNREACHABLE_REASON: &str =
    "PG사 승인요청 중 통신장애가 발생하였습니다. (timeout)";
/// Prefix of a failed billing-key issue.
pub(crate) const ISSUE_FAILED: &str = "카드정보 인증 및 빌키 발급에 실패하였습니다.";
/// Prefix of a charge that got no decision (bad card data, PG unreachable).
pub(crate) const PAYMENT_FAILED: &str = "카드 승인에 실패하였습니다.";

/// What a payment response says about the card; no secret in it.
#[derive(Clone, Debug, Serialize)]
#[serde(into = "SavedCard")]
pub(crate) struct CardInfo {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) masked: String,
    /// 0 credit, 1 check.
    pub(crate) card_type: i64,
}

/// How payments with a card end. The PG's `fail_reason`s are written as Korean PGs
/// write them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "SavedOutcome")]
pub(crate) enum CardOutcome {
    Approve,
    /// The issuer refuses: a decision, so a `failed` payment answered with `code` 0.
    Decline(&'static str),
    /// The PG never answers: no decision, `code` -1.
    PgUnreachable,
}

/// The card companies of the stand-in BIN table below: code and name.
const CARD_COMPANIES: [(&str, &str); 5] = [
    ("366", "신한카드"),
    ("381", "KB국민카드"),
    ("361", "BC카드"),
    ("365", "삼성카드"),
    ("367", "현대카드"),
];

/// [`CardInfo`] in a state file: the company by its code alone.
#[derive(Serialize, Deserialize)]
struct SavedCard {
    code: String,
    masked: String,
    card_type: i64,
}

impl From<CardInfo> for SavedCard {
    fn from(c: CardInfo) -> SavedCard {
        SavedCard {
            code: c.code.to_owned(),
            masked: c.masked,
            card_type: c.card_type,
        }
    }
}

impl TryFrom<SavedCard> for CardInfo {
    type Error = String;

    fn try_from(c: SavedCard) -> Result<CardInfo, String> {
        let (code, name) = CARD_COMPANIES
            .iter()
            .find(|(code, _)| *code == c.code)
            .ok_or_else(|| format!("unknown card company code `{}`", c.code))?;
        Ok(CardInfo {
            code,
            name,
            masked: c.masked,
            card_type: c.card_type,
        })
    }
}

// By hand: a derived `Deserialize` of a type with `&'static str` fields would only read
// from `'static` input.
impl<'de> Deserialize<'de> for CardInfo {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CardInfo, D::Error> {
        CardInfo::try_from(SavedCard::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for CardOutcome {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CardOutcome, D::Error> {
        CardOutcome::try_from(SavedOutcome::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// [`CardOutcome`] in a state file.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SavedOutcome {
    Approve,
    Decline(String),
    PgUnreachable,
}

impl From<CardOutcome> for SavedOutcome {
    fn from(o: CardOutcome) -> SavedOutcome {
        match o {
            CardOutcome::Approve => SavedOutcome::Approve,
            CardOutcome::Decline(reason) => SavedOutcome::Decline(reason.to_owned()),
            CardOutcome::PgUnreachable => SavedOutcome::PgUnreachable,
        }
    }
}

impl TryFrom<SavedOutcome> for CardOutcome {
    type Error = String;

    fn try_from(o: SavedOutcome) -> Result<CardOutcome, String> {
        match o {
            SavedOutcome::Approve => Ok(CardOutcome::Approve),
            SavedOutcome::PgUnreachable => Ok(CardOutcome::PgUnreachable),
            SavedOutcome::Decline(reason) => OUTCOMES
                .iter()
                .find_map(|(_, o)| match o {
                    CardOutcome::Decline(r) if *r == reason => Some(*o),
                    _ => None,
                })
                .ok_or_else(|| format!("unknown decline reason `{reason}`")),
        }
    }
}

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

/// Last digits of the test cards (`crate::cards`) and what they do.
const OUTCOMES: [(&str, CardOutcome); 4] = [
    ("0051", CardOutcome::Decline("잔액부족")),
    ("0061", CardOutcome::Decline("한도초과")),
    ("0043", CardOutcome::Decline("분실/도난 카드")),
    ("0504", CardOutcome::PgUnreachable),
];

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
    let outcome = OUTCOMES
        .iter()
        .find(|(end, _)| digits.ends_with(end))
        .map_or(CardOutcome::Approve, |(_, o)| *o);
    // A stand-in for the BIN table: the leading digit picks a Korean card company.
    let (code, name) = CARD_COMPANIES[match digits.as_bytes()[0] {
        b'4' => 0,
        b'5' => 1,
        b'9' => 2,
        b'3' => 3,
        _ => 4,
    }];
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

/// Checks a card `expiry`: `YYYY-MM` (PortOne's documented form; nothing shows it taking
/// another), valid through the end of that month in Korea. `now` is unix seconds.
pub(crate) fn check_expiry(expiry: &str, now: i64) -> Result<(), &'static str> {
    let b = expiry.trim().as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .map(|d| d.iter().fold(0_i64, |n, x| n * 10 + i64::from(x - b'0')))
    };
    let (Some(year), Some(month)) = (digits(0..4), digits(5..7)) else {
        return Err(MALFORMED_EXPIRY_REASON);
    };
    if b.len() != 7 || b[4] != b'-' || !(1..=12).contains(&month) {
        return Err(MALFORMED_EXPIRY_REASON);
    }
    let (y, m) = kst_year_month(now);
    if (year, month) < (y, m) {
        return Err(EXPIRED_CARD_REASON);
    }
    Ok(())
}

/// The year and month in Korea (UTC+9) at unix time `now`.
fn kst_year_month(now: i64) -> (i64, i64) {
    // Howard Hinnant's civil_from_days.
    let z = (now + 9 * 3600).div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month)
}

/// A billing key: what PortOne shows of the card, never the card data itself.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Customer {
    pub(crate) customer_uid: String,
    #[serde(with = "crate::persist::channel_key")]
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
            Ok(CardOutcome::Decline("잔액부족"))
        );
        assert_eq!(
            card_info(crate::cards::LIMIT_EXCEEDED).map(|x| x.1),
            Ok(CardOutcome::Decline("한도초과"))
        );
        assert_eq!(
            card_info(crate::cards::LOST_OR_STOLEN).map(|x| x.1),
            Ok(CardOutcome::Decline("분실/도난 카드"))
        );
        assert_eq!(
            card_info(crate::cards::PG_UNREACHABLE).map(|x| x.1),
            Ok(CardOutcome::PgUnreachable)
        );
        assert_eq!(
            card_info("4000-0000-0000-0002").err(),
            Some(INVALID_CARD_REASON)
        );
        assert!(card_info("1234").is_err());
        assert!(card_info("4111x1111x1111x1111").is_err());
    }

    #[test]
    fn expiry_is_yyyy_mm_and_not_past() {
        // 2026-07-15 00:00 UTC.
        let now = 1_784_073_600;
        assert_eq!(kst_year_month(now), (2026, 7));
        // 2026-07-31 20:00 UTC is already August in Korea.
        assert_eq!(kst_year_month(1_785_528_000), (2026, 8));
        assert_eq!(kst_year_month(951_782_400), (2000, 2));
        assert!(check_expiry("2026-07", now).is_ok());
        assert!(check_expiry("2030-12", now).is_ok());
        assert_eq!(check_expiry("2026-06", now), Err(EXPIRED_CARD_REASON));
        for bad in [
            "202612",
            "2026/12",
            "26-12",
            "2026-13",
            "2026-00",
            "2026-1",
            "",
            "2026-12-01",
        ] {
            assert_eq!(
                check_expiry(bad, now),
                Err(MALFORMED_EXPIRY_REASON),
                "{bad}"
            );
        }
    }
}
