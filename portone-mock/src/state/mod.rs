//! The server's state: one account with its tokens and tiers, and per tier the payments,
//! billing keys, schedules and records that tier can see.

mod billing;
mod payment;
mod records;
mod schedule;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

pub(crate) use billing::{
    CardInfo, CardOutcome, Charge, Customer, Funding, ISSUE_FAILED, PAYMENT_FAILED,
    PG_UNREACHABLE_REASON, Refusal, card_info, charge, check_expiry,
};
pub(crate) use payment::{Buyer, CancelRequest, Payment, Status, Vbank};
pub(crate) use records::{Certification, EscrowLogis, NaverOrder, Receipt};
pub(crate) use schedule::{NO_CUSTOMER, Schedule, ScheduleStatus, execute};

use crate::clock::Clock;
use crate::faults::Rule;
use crate::ids::Ids;
use crate::record::RecordedRequest;
use crate::token::Tokens;
use crate::webhooks::{WebhookEvent, Webhooks};

/// The tier a request acts for: `None` for the account itself.
pub(crate) type Scope = Option<String>;

/// A sub-merchant of an agency account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Tier {
    pub(crate) code: String,
    pub(crate) name: String,
}

/// A PG channel configured on the account (`GET /users/pg`).
#[derive(Clone, Debug)]
pub(crate) struct Channel {
    pub(crate) pg_provider: &'static str,
    pub(crate) pg_id: &'static str,
    pub(crate) sandbox: bool,
    pub(crate) kind: &'static str,
    pub(crate) name: &'static str,
    pub(crate) key: &'static str,
}

/// The channels every mock account has. The first is the default for browser checkouts,
/// the second for API (non-authenticated) payments and billing keys; the third is a test
/// channel whose payments are `sandbox`. The partner channels serve their own routes
/// (Benepia, KCP Quick Pay, Naver Pay).
pub(crate) const CHANNELS: [Channel; 7] = [
    Channel {
        pg_provider: "html5_inicis",
        pg_id: "MOIportone",
        sandbox: false,
        kind: "payment",
        name: "KG이니시스",
        key: "channel-key-mock-inicis",
    },
    Channel {
        pg_provider: "nice_v2",
        pg_id: "iamport01m",
        sandbox: false,
        kind: "payment",
        name: "나이스페이 정기결제",
        key: "channel-key-mock-nice-v2",
    },
    Channel {
        pg_provider: "html5_inicis",
        pg_id: "INIpayTest",
        sandbox: true,
        kind: "payment",
        name: "KG이니시스 테스트",
        key: "channel-key-mock-sandbox",
    },
    Channel {
        pg_provider: "danal",
        pg_id: "A010002002",
        sandbox: false,
        kind: "certification",
        name: "다날 본인인증",
        key: "channel-key-mock-danal",
    },
    Channel {
        pg_provider: "benepia",
        pg_id: "benepia_mock",
        sandbox: false,
        kind: "payment",
        name: "베네피아",
        key: "channel-key-mock-benepia",
    },
    Channel {
        pg_provider: "kcp_quick",
        pg_id: "IX0XX",
        sandbox: false,
        kind: "payment",
        name: "KCP 퀵페이",
        key: "channel-key-mock-kcp-quick",
    },
    Channel {
        pg_provider: "naverpay",
        pg_id: "np_mock",
        sandbox: false,
        kind: "payment",
        name: "네이버페이",
        key: "channel-key-mock-naverpay",
    },
];

/// The PG codes a `pg` parameter may name: the `pg_provider` values of PortOne's V1 spec
/// and PG guide (the same set as the client's `PgProvider`), plus the partner PGs this
/// mock serves. A `pg` whose code is not here names no PG at all and is refused.
pub(crate) const KNOWN_PGS: [&str; 34] = [
    "html5_inicis",
    "inicis",
    "inicis_unified",
    "kcp",
    "kcp_billing",
    "kcp_quick",
    "kcp_v2",
    "nice",
    "nice_v2",
    "kicc",
    "ksnet",
    "smartro",
    "smartro_v2",
    "tosspayments",
    "tosspay_v2",
    "toss_brandpay",
    "daou",
    "settle",
    "settle_acc",
    "settle_firm",
    "welcome",
    "uplus",
    "danal",
    "danal_tpay",
    "mobilians",
    "galaxia",
    "kakaopay",
    "naverpay",
    "naverco",
    "payco",
    "chai",
    "paymentwall",
    "paypal_v2",
    "benepia",
];

/// Picks a channel as PortOne does: `channel_key` first, then `pg` as `provider` or
/// `provider.pg_id`; a known PG the account has no channel for falls back to `default`,
/// as PortOne's spec documents for `pg`.
///
/// Refuses (400, `code` -1) a `channel_key` that is no channel of the account or not of
/// `kind` (`payment`, `certification`), and a `pg` whose code is no PG at all.
pub(crate) fn resolve_channel(
    pg: Option<&str>,
    channel_key: Option<&str>,
    kind: &str,
    default: usize,
) -> Result<&'static Channel, crate::reply::Reply> {
    if let Some(key) = channel_key {
        return CHANNELS
            .iter()
            .find(|c| c.key == key && c.kind == kind)
            .ok_or_else(|| {
                crate::reply::Reply::bad_request(format!(
                    "등록되지 않은 채널키(channel_key)입니다: {key}"
                ))
            });
    }
    let Some(pg) = pg else {
        return Ok(&CHANNELS[default]);
    };
    let (provider, id) = pg.split_once('.').map_or((pg, None), |(p, i)| (p, Some(i)));
    if !KNOWN_PGS.contains(&provider) {
        return Err(crate::reply::Reply::bad_request(format!(
            "유효하지 않은 pg 파라메터입니다: {pg}"
        )));
    }
    Ok(CHANNELS
        .iter()
        .find(|c| c.kind == kind && c.pg_provider == provider && id.is_none_or(|i| c.pg_id == i))
        .unwrap_or(&CHANNELS[default]))
}

/// The channel a checkout (the browser SDK) uses: like [`resolve_channel`], but a test
/// may name any PG there (the mock then records the payment under that PG).
pub(crate) fn checkout_channel(pg: Option<&str>) -> &'static Channel {
    pg.and_then(|pg| {
        let (provider, id) = pg.split_once('.').map_or((pg, None), |(p, i)| (p, Some(i)));
        CHANNELS.iter().find(|c| {
            c.kind == "payment" && c.pg_provider == provider && id.is_none_or(|i| c.pg_id == i)
        })
    })
    .unwrap_or(&CHANNELS[0])
}

/// The channel of a partner route (`benepia`, `kcp_quick`): the `channel_key`, when sent,
/// must be that partner's.
pub(crate) fn partner_channel(
    provider: &str,
    channel_key: Option<&str>,
) -> Result<&'static Channel, crate::reply::Reply> {
    let own = CHANNELS
        .iter()
        .find(|c| c.pg_provider == provider)
        .unwrap_or(&CHANNELS[0]);
    match channel_key {
        Some(key) if key != own.key => {
            resolve_channel(None, Some(key), "payment", 0)?;
            Err(crate::reply::Reply::bad_request(format!(
                "{provider} 채널의 채널키(channel_key)가 아닙니다: {key}"
            )))
        }
        _ => Ok(own),
    }
}

/// What one tier can see. Saved by `--state` (see `crate::persist`), but for
/// certifications: they hold personal data (a birth date, a phone number) that no file
/// should keep.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct Store {
    pub(crate) payments: Vec<Payment>,
    #[serde(skip)]
    index: HashMap<String, usize>,
    pub(crate) prepares: BTreeMap<String, (crate::amount::Amount, Option<String>)>,
    pub(crate) customers: BTreeMap<String, Customer>,
    pub(crate) schedules: Vec<Schedule>,
    pub(crate) receipts: BTreeMap<String, Receipt>,
    pub(crate) external_receipts: BTreeMap<String, Receipt>,
    #[serde(skip)]
    pub(crate) certifications: BTreeMap<String, Certification>,
    pub(crate) escrows: BTreeMap<String, EscrowLogis>,
    pub(crate) naver: BTreeMap<String, Vec<NaverOrder>>,
    pub(crate) kcp_prepares: BTreeSet<String>,
}

impl Store {
    /// Rebuilds the `imp_uid` index after the payments were read from a file.
    pub(crate) fn reindex(&mut self) {
        self.index = self
            .payments
            .iter()
            .enumerate()
            .map(|(i, p)| (p.imp_uid.clone(), i))
            .collect();
    }

    pub(crate) fn insert_payment(&mut self, p: Payment) -> &mut Payment {
        let i = self.payments.len();
        self.index.insert(p.imp_uid.clone(), i);
        self.payments.push(p);
        &mut self.payments[i]
    }

    pub(crate) fn payment(&self, imp_uid: &str) -> Option<&Payment> {
        self.index.get(imp_uid).map(|&i| &self.payments[i])
    }

    pub(crate) fn payment_mut(&mut self, imp_uid: &str) -> Option<&mut Payment> {
        self.index.get(imp_uid).map(|&i| &mut self.payments[i])
    }

    /// Payments of one `merchant_uid`, newest first.
    pub(crate) fn by_merchant_uid(&self, merchant_uid: &str) -> Vec<&Payment> {
        self.payments
            .iter()
            .rev()
            .filter(|p| p.merchant_uid == merchant_uid)
            .collect()
    }

    /// Whether `merchant_uid` already has a payment that went through (a new one is refused).
    pub(crate) fn merchant_uid_settled(&self, merchant_uid: &str) -> bool {
        self.by_merchant_uid(merchant_uid)
            .iter()
            .any(|p| matches!(p.status, Status::Paid | Status::Cancelled))
    }

    pub(crate) fn schedule_mut(&mut self, merchant_uid: &str) -> Option<&mut Schedule> {
        self.schedules
            .iter_mut()
            .find(|s| s.merchant_uid == merchant_uid)
    }
}

/// Everything behind the server's one lock.
pub(crate) struct State {
    pub(crate) clock: Clock,
    pub(crate) tokens: Tokens,
    /// `None` for an ordinary account; the tiers of an agency account.
    pub(crate) agency: Option<Vec<Tier>>,
    pub(crate) ids: Ids,
    pub(crate) stores: HashMap<Scope, Store>,
    pub(crate) log: Vec<RecordedRequest>,
    pub(crate) get_token_calls: usize,
    pub(crate) faults: Vec<Rule>,
    pub(crate) webhooks: Webhooks,
}

/// A tier's store together with what handlers need beside it.
pub(crate) struct Scoped<'a> {
    pub(crate) store: &'a mut Store,
    pub(crate) ids: &'a mut Ids,
    pub(crate) now: i64,
    /// The tier the store belongs to.
    pub(crate) tier: Scope,
    pub(crate) webhooks: &'a mut Webhooks,
}

impl Scoped<'_> {
    /// PortOne's notification of `event` on payment `imp_uid`, if it exists.
    pub(crate) fn notify(&mut self, event: WebhookEvent, imp_uid: &str) {
        if let Some(p) = self.store.payment(imp_uid) {
            self.webhooks.payment_event(event, p, &self.tier, self.now);
        }
    }
}

impl State {
    pub(crate) fn new(
        tokens: Tokens,
        agency: Option<Vec<Tier>>,
        frozen: bool,
        webhooks: Webhooks,
    ) -> State {
        State {
            clock: Clock::new(frozen),
            tokens,
            agency,
            ids: Ids::new(),
            stores: HashMap::new(),
            log: Vec::new(),
            get_token_calls: 0,
            faults: Vec::new(),
            webhooks,
        }
    }

    pub(crate) fn scoped(&mut self, scope: &Scope) -> Scoped<'_> {
        let now = self.clock.now();
        Scoped {
            store: self.stores.entry(scope.clone()).or_default(),
            ids: &mut self.ids,
            now,
            tier: scope.clone(),
            webhooks: &mut self.webhooks,
        }
    }

    /// Why a tier cannot be used, if it cannot.
    pub(crate) fn tier_refusal(&self, tier: &str) -> Option<&'static str> {
        match &self.agency {
            None => Some("하위 상점(Tier) 권한이 없는 계정입니다. Tier 헤더를 제거해주세요."),
            Some(_) if !valid_tier_code(tier) => {
                Some("Tier 코드는 알파벳 대문자 또는 숫자 3자리여야 합니다.")
            }
            Some(tiers) if !tiers.iter().any(|t| t.code == tier) => {
                Some("등록되지 않은 하위 상점(Tier) 코드입니다.")
            }
            Some(_) => None,
        }
    }

    /// Forgets every record, request, fault, webhook delivery and the token, and puts the
    /// clock back to real time (frozen again if it was): the server as it started, but
    /// for its settings. Ids keep counting, so no `imp_uid` is ever handed out twice.
    pub(crate) fn reset(&mut self) {
        self.clock = Clock::new(self.clock.is_frozen());
        self.tokens.forget();
        self.stores.clear();
        self.log.clear();
        self.get_token_calls = 0;
        self.faults.clear();
        self.webhooks.clear();
    }

    /// Payment `imp_uid`, whichever tier it is in.
    pub(crate) fn find_payment(&self, imp_uid: &str) -> Option<&Payment> {
        self.stores
            .values()
            .find_map(|store| store.payment(imp_uid))
    }

    /// The tier whose store holds payment `imp_uid`.
    fn tier_of(&self, imp_uid: &str) -> Option<Scope> {
        self.stores
            .iter()
            .find(|(_, store)| store.payment(imp_uid).is_some())
            .map(|(scope, _)| scope.clone())
    }

    /// A buyer's deposit into a ready virtual account, wherever (whichever tier) it is.
    pub(crate) fn deposit(&mut self, imp_uid: &str) -> Result<(), crate::MockError> {
        let tier = self
            .tier_of(imp_uid)
            .ok_or_else(|| crate::MockError::UnknownPayment(imp_uid.to_owned()))?;
        let mut s = self.scoped(&tier);
        let p = s
            .store
            .payment_mut(imp_uid)
            .ok_or_else(|| crate::MockError::UnknownPayment(imp_uid.to_owned()))?;
        p.deposit(s.now, s.ids)
            .map_err(crate::MockError::NotReadyVbank)?;
        s.notify(WebhookEvent::VbankDeposited, imp_uid);
        Ok(())
    }

    /// A cancel made in PortOne's console, wherever the payment is: full without `amount`.
    /// Returns the cancellation's id.
    pub(crate) fn console_cancel(
        &mut self,
        imp_uid: &str,
        amount: Option<crate::amount::Amount>,
    ) -> Result<String, crate::MockError> {
        let tier = self
            .tier_of(imp_uid)
            .ok_or_else(|| crate::MockError::UnknownPayment(imp_uid.to_owned()))?;
        let mut s = self.scoped(&tier);
        let p = s
            .store
            .payment_mut(imp_uid)
            .ok_or_else(|| crate::MockError::UnknownPayment(imp_uid.to_owned()))?;
        let request = CancelRequest {
            amount,
            reason: Some("관리자 콘솔에서 취소".into()),
            // The console's form asks for the refund account of a virtual account itself.
            has_refund_account: true,
            ..CancelRequest::default()
        };
        p.cancel(&request, s.now, s.ids)
            .map_err(crate::MockError::CancelRefused)?;
        let id = p
            .cancel_history
            .last()
            .map(|c| c.cancellation_id.clone())
            .unwrap_or_default();
        s.notify(WebhookEvent::ConsoleCancelled, imp_uid);
        Ok(id)
    }

    /// Runs every schedule whose time has come, in every tier, oldest first.
    pub(crate) fn run_due(&mut self) {
        let now = self.clock.now();
        for (tier, store) in &mut self.stores {
            schedule::run_due(store, &mut self.ids, &mut self.webhooks, tier, now);
        }
    }
}

pub(crate) fn valid_tier_code(code: &str) -> bool {
    code.len() == 3
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_choice() {
        let pick = |pg, key| resolve_channel(pg, key, "payment", 1).map(|c| c.pg_id);
        assert_eq!(pick(None, None).ok(), Some("iamport01m"));
        assert_eq!(
            pick(Some("html5_inicis.INIpayTest"), None).ok(),
            Some("INIpayTest")
        );
        assert_eq!(
            pick(None, Some("channel-key-mock-sandbox")).ok(),
            Some("INIpayTest")
        );
        // A PG the account has no channel for: the default, as the spec says.
        assert_eq!(pick(Some("kcp"), None).ok(), Some("iamport01m"));
        // No PG at all, an unknown key, a key of another kind: refused.
        assert!(pick(Some("nope"), None).is_err());
        assert!(pick(None, Some("channel-key-nope")).is_err());
        assert!(pick(None, Some("channel-key-mock-danal")).is_err());
        assert!(partner_channel("benepia", Some("channel-key-mock-inicis")).is_err());
        assert!(partner_channel("benepia", Some("channel-key-mock-benepia")).is_ok());
        assert_eq!(checkout_channel(Some("nope")).pg_id, "MOIportone");
    }

    #[test]
    fn the_crate_docs_list_the_channels_and_pgs() {
        let docs = include_str!("../lib.rs");
        for c in &CHANNELS {
            let row = format!("| `{}` | `{}` | `{}` |", c.key, c.pg_provider, c.pg_id);
            assert!(docs.contains(&row), "{row}");
        }
        let listed = docs
            .split("must name a PG PortOne knows:")
            .nth(1)
            .and_then(|rest| rest.split("(the `pg_provider` values").next())
            .unwrap_or_default()
            .replace("//!", "");
        let listed: Vec<&str> = listed
            .split(',')
            .map(|c| c.trim().trim_matches('`'))
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(listed, KNOWN_PGS);
    }

    #[test]
    fn tier_codes() {
        assert!(valid_tier_code("A1B"));
        assert!(!valid_tier_code("a1b"));
        assert!(!valid_tier_code("A1BC"));
    }
}
