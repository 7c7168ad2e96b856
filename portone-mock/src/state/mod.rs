//! The server's state: one account with its tokens and tiers, and per tier the payments,
//! billing keys, schedules and records that tier can see.
//!
//! [`State`] is everything behind the server's one lock; [`Tenant`] is one tier's view of
//! it, which handlers work through; [`Store`] holds that tier's records. The files below
//! hold the records and the rules that change them, and import neither this file nor the
//! layers above.

mod billing;
mod channels;
mod customer;
mod payment;
mod records;
mod schedule;
mod store;
mod table;
mod tenant;

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub(crate) use billing::{Charge, Funding, ISSUE_FAILED, PAYMENT_FAILED, Refusal, charge};
pub(crate) use channels::{CHANNELS, Channel, checkout_channel, partner_channel, resolve_channel};
pub(crate) use customer::Customer;
pub(crate) use payment::{Bank, Buyer, CancelRequest, Payment, Status, Vbank};
pub(crate) use records::{Certification, EscrowLogis, NaverOrder, Receipt, ReceiptFor};
pub(crate) use schedule::{ALREADY_PAID, NO_CUSTOMER, Schedule, ScheduleStatus, execute};
pub(crate) use store::{Prepared, Row, Store};
pub(crate) use tenant::{Notices, Tenant};

use crate::amount::Amount;
use crate::clock::Clock;
use crate::error::MockError;
use crate::ids::Ids;
use crate::request_log::{RecordedRequest, RequestLog};
use crate::token::Tokens;
use crate::webhooks::{self, Outbox, WebhookEvent};

/// A sub-merchant of an agency account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Tier {
    pub(crate) code: String,
    pub(crate) name: String,
}

/// Everything behind the server's one lock.
pub(crate) struct State {
    pub(crate) clock: Arc<Clock>,
    pub(crate) tokens: Tokens,
    /// `None` for an ordinary account; the tiers of an agency account.
    pub(crate) agency: Option<Vec<Tier>>,
    pub(crate) ids: Ids,
    /// Each tier's records; `None` is the account's own.
    pub(crate) stores: HashMap<Option<String>, Store>,
    pub(crate) log: RequestLog,
    pub(crate) outbox: Arc<Outbox>,
    /// The account's notification URL (PortOne's console setting).
    webhook_url: Option<String>,
    /// Whether a state file learns of every change (see `crate::persist`).
    tracked: bool,
}

impl State {
    pub(crate) fn new(
        tokens: Tokens,
        agency: Option<Vec<Tier>>,
        clock: Arc<Clock>,
        outbox: Arc<Outbox>,
        webhook_url: Option<String>,
        tracked: bool,
    ) -> State {
        State {
            tracked,
            clock,
            tokens,
            agency,
            ids: Ids::new(),
            stores: HashMap::new(),
            log: RequestLog::default(),
            outbox,
            webhook_url,
        }
    }

    /// The view of tier `tier` (`None`: the account itself) that handlers work through.
    pub(crate) fn tenant(&mut self, tier: &Option<String>) -> Tenant<'_> {
        let tracked = self.tracked;
        Tenant {
            store: self
                .stores
                .entry(tier.clone())
                .or_insert_with(|| Store::new(tracked)),
            ids: &mut self.ids,
            now: self.clock.now(),
            tier: tier.clone(),
            notices: Notices {
                outbox: &self.outbox,
                account_url: self.webhook_url.as_deref(),
            },
        }
    }

    /// The webhook settings the server started with.
    pub(crate) fn webhook_settings(&self) -> webhooks::Config {
        webhooks::Config {
            url: self.webhook_url.clone(),
            format: self.outbox.format(),
            resend: self.outbox.resend(),
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

    /// Forgets every record, request, webhook delivery and the token, and puts the
    /// clock back to real time (frozen again if it was): the server as it started, but
    /// for its settings. Ids keep counting, so no `imp_uid` is ever handed out twice.
    pub(crate) fn reset(&mut self) {
        self.clock.reset();
        self.tokens.forget();
        self.stores.clear();
        self.log.clear();
        self.outbox.clear();
    }

    /// Payment `imp_uid`, whichever tier it is in.
    pub(crate) fn find_payment(&self, imp_uid: &str) -> Option<&Payment> {
        self.stores
            .values()
            .find_map(|store| store.payment(imp_uid))
    }

    /// The tier whose store holds payment `imp_uid`.
    fn tier_of(&self, imp_uid: &str) -> Option<Option<String>> {
        self.stores
            .iter()
            .find(|(_, store)| store.payment(imp_uid).is_some())
            .map(|(tier, _)| tier.clone())
    }

    /// A buyer's deposit into a ready virtual account, wherever (whichever tier) it is.
    pub(crate) fn deposit(&mut self, imp_uid: &str) -> Result<(), MockError> {
        let tier = self
            .tier_of(imp_uid)
            .ok_or_else(|| MockError::UnknownPayment(imp_uid.to_owned()))?;
        let mut s = self.tenant(&tier);
        let p = s
            .store
            .payment_mut(imp_uid)
            .ok_or_else(|| MockError::UnknownPayment(imp_uid.to_owned()))?;
        p.deposit(s.now, s.ids).map_err(MockError::NotReadyVbank)?;
        s.notify(WebhookEvent::VbankDeposited, imp_uid);
        Ok(())
    }

    /// A cancel made in PortOne's console, wherever the payment is: full without `amount`.
    /// Returns the cancellation's id.
    pub(crate) fn console_cancel(
        &mut self,
        imp_uid: &str,
        amount: Option<Amount>,
    ) -> Result<String, MockError> {
        let tier = self
            .tier_of(imp_uid)
            .ok_or_else(|| MockError::UnknownPayment(imp_uid.to_owned()))?;
        let mut s = self.tenant(&tier);
        let p = s
            .store
            .payment_mut(imp_uid)
            .ok_or_else(|| MockError::UnknownPayment(imp_uid.to_owned()))?;
        let request = CancelRequest {
            amount,
            reason: Some("관리자 콘솔에서 취소".into()),
            // The console's form asks for the refund account of a virtual account itself.
            has_refund_account: true,
            ..CancelRequest::default()
        };
        p.cancel(&request, s.now, s.ids)
            .map_err(MockError::CancelRefused)?;
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
        let notices = Notices {
            outbox: &self.outbox,
            account_url: self.webhook_url.as_deref(),
        };
        for (tier, store) in &mut self.stores {
            schedule::run_due(&mut Tenant {
                store,
                ids: &mut self.ids,
                now,
                tier: tier.clone(),
                notices,
            });
        }
    }

    /// A request arrived: it is logged, and the schedules that came due run before it is
    /// routed.
    pub(crate) fn arrive(&mut self, request: RecordedRequest) {
        self.log.record(request);
        self.run_due();
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
    fn tier_codes() {
        assert!(valid_tier_code("A1B"));
        assert!(!valid_tier_code("a1b"));
        assert!(!valid_tier_code("A1BC"));
    }
}
