//! What the mock's PG makes of a card: the number read once to decide the outcome and
//! mask it, the expiry checked on the mock clock. The test cards of [`crate::cards`] pick
//! the outcomes; the number, expiry, birth date, password digits and CVC are never kept.

use serde::{Deserialize, Serialize};

use crate::cards;
use crate::clock::kst_year_month;

/// PortOne's refusal of what is not a card number (not 13 to 19 digits, or failing the
/// Luhn check), before any PG is asked. NOTES.md, "Answers observed on the live server":
/// `1111-1111-1111-1111`, `1234-1234-1234-1234` and `4092-0230-1234-1234` were refused
/// with this text, before their expiry was looked at, and no payment was recorded.
pub(crate) const NOT_A_CARD_NUMBER: &str = "유효하지않은 카드번호를 입력하셨습니다.";
/// The PG's refusal of a card number it has no BIN for (its message on a failed billing
/// key).
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

/// Why a card cannot be used, and who said so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unusable {
    /// PortOne's own check: not a card number. No PG was asked, so nothing is recorded.
    NotACardNumber,
    /// The PG's refusal (no such BIN, an expiry it rejects), in its words: the attempt is
    /// recorded, `failed`.
    ByPg(&'static str),
}

impl Unusable {
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Unusable::NotACardNumber => NOT_A_CARD_NUMBER,
            Unusable::ByPg(reason) => reason,
        }
    }
}

/// A card as the PG sees it: what it shows of it, and how its payments end.
#[derive(Clone, Debug)]
pub(crate) struct Card {
    pub(crate) info: CardInfo,
    pub(crate) outcome: CardOutcome,
}

/// The test cards (`crate::cards`) whose payments do not go through, and how they end:
/// a number whose digits end like one of them ends the same way.
const OUTCOMES: [(&str, CardOutcome); 4] = [
    (cards::INSUFFICIENT_FUNDS, CardOutcome::Decline("잔액부족")),
    (cards::LIMIT_EXCEEDED, CardOutcome::Decline("한도초과")),
    (
        cards::LOST_OR_STOLEN,
        CardOutcome::Decline("분실/도난 카드"),
    ),
    (cards::PG_UNREACHABLE, CardOutcome::PgUnreachable),
];

/// The card companies of the stand-in BIN table below: code and name.
const CARD_COMPANIES: [(&str, &str); 5] = [
    ("366", "신한카드"),
    ("381", "KB국민카드"),
    ("361", "BC카드"),
    ("365", "삼성카드"),
    ("367", "현대카드"),
];

fn digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// The test cards whose ending decides an outcome (`crate::cards`): a number ending like
/// one of them is taken as that test card, Luhn check or not, so that the documented
/// numbers keep working.
const TEST_CARDS: [&str; 5] = [
    cards::INVALID_NUMBER,
    cards::INSUFFICIENT_FUNDS,
    cards::LIMIT_EXCEEDED,
    cards::LOST_OR_STOLEN,
    cards::PG_UNREACHABLE,
];

/// The Luhn check every card number passes.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2 == 1, d * 2) {
                (false, _) => d,
                (true, twice) if twice > 9 => twice - 9,
                (true, twice) => twice,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether `digits` end with the last four digits of the test card `card`.
fn ends_like(digits: &str, card: &str) -> bool {
    let card = self::digits(card);
    digits.ends_with(&card[card.len().saturating_sub(4)..])
}

/// Reads a card number (`dddd-dddd-dddd-dddd`, separators optional), checked as PortOne
/// checks it first: 13 to 19 digits passing the Luhn check (a test card's ending passes
/// too), else [`Unusable::NotACardNumber`]; then the PG refuses digits ending like
/// [`cards::INVALID_NUMBER`].
pub(crate) fn read_card(number: &str) -> Result<Card, Unusable> {
    let digits = digits(number);
    let well_formed = number
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
    let test_card = TEST_CARDS.iter().any(|card| ends_like(&digits, card));
    if !well_formed || !(13..=19).contains(&digits.len()) || !(test_card || luhn(&digits)) {
        return Err(Unusable::NotACardNumber);
    }
    if ends_like(&digits, cards::INVALID_NUMBER) {
        return Err(Unusable::ByPg(INVALID_CARD_REASON));
    }
    let outcome = OUTCOMES
        .iter()
        .find(|(card, _)| ends_like(&digits, card))
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
    Ok(Card {
        info: CardInfo {
            code,
            name,
            masked,
            card_type,
        },
        outcome,
    })
}

/// Checks a card `expiry`: `YYYY-MM` (PortOne's documented form; nothing shows it taking
/// another), valid through the end of that month in Korea. `now` is unix seconds.
pub(crate) fn check_expiry(expiry: &str, now: i64) -> Result<(), Unusable> {
    let b = expiry.trim().as_bytes();
    let number = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .map(|d| d.iter().fold(0_i64, |n, x| n * 10 + i64::from(x - b'0')))
    };
    let (Some(year), Some(month)) = (number(0..4), number(5..7)) else {
        return Err(Unusable::ByPg(MALFORMED_EXPIRY_REASON));
    };
    if b.len() != 7 || b[4] != b'-' || !(1..=12).contains(&month) {
        return Err(Unusable::ByPg(MALFORMED_EXPIRY_REASON));
    }
    if (year, month) < kst_year_month(now) {
        return Err(Unusable::ByPg(EXPIRED_CARD_REASON));
    }
    Ok(())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_classifies() {
        let card = read_card("4111-1111-1111-1111").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(card.info.masked, "411111******1111");
        assert_eq!(card.outcome, CardOutcome::Approve);
        assert_eq!(card.info.name, "신한카드");
        let outcome = |n: &str| read_card(n).map(|c| c.outcome);
        assert_eq!(
            outcome("5555 0000 0000 0051"),
            Ok(CardOutcome::Decline("잔액부족"))
        );
        assert_eq!(
            outcome(cards::LIMIT_EXCEEDED),
            Ok(CardOutcome::Decline("한도초과"))
        );
        assert_eq!(
            outcome(cards::LOST_OR_STOLEN),
            Ok(CardOutcome::Decline("분실/도난 카드"))
        );
        assert_eq!(
            outcome(cards::PG_UNREACHABLE),
            Ok(CardOutcome::PgUnreachable)
        );
        assert_eq!(
            read_card("4000-0000-0000-0002").err(),
            Some(Unusable::ByPg(INVALID_CARD_REASON))
        );
        // The numbers PortOne refused as not card numbers (NOTES.md), and other shapes.
        for bad in [
            "1111-1111-1111-1111",
            "1234-1234-1234-1234",
            "4092-0230-1234-1234",
            "1234",
            "4111x1111x1111x1111",
        ] {
            assert_eq!(
                read_card(bad).err(),
                Some(Unusable::NotACardNumber),
                "{bad}"
            );
        }
        // Luhn-valid numbers of no test card are approved.
        assert_eq!(outcome("5365-1019-0000-3397"), Ok(CardOutcome::Approve));
    }

    #[test]
    fn expiry_is_yyyy_mm_and_not_past() {
        // 2026-07-15 00:00 UTC.
        let now = 1_784_073_600;
        assert!(check_expiry("2026-07", now).is_ok());
        assert!(check_expiry("2030-12", now).is_ok());
        assert_eq!(
            check_expiry("2026-06", now),
            Err(Unusable::ByPg(EXPIRED_CARD_REASON))
        );
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
                Err(Unusable::ByPg(MALFORMED_EXPIRY_REASON)),
                "{bad}"
            );
        }
    }
}
