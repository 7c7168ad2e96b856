//! Scheduled payments, run when the mock clock passes their time.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::billing::{Charge, Funding, Refusal, charge};
use super::payment::{Buyer, Status};
use super::tenant::Tenant;
use crate::amount::Amount;
use crate::webhooks::WebhookEvent;

/// PortOne's reason when the billing key is gone.
pub(crate) const NO_CUSTOMER: &str = "등록된 고객정보가 없습니다.";
/// PortOne's reason when a `merchant_uid` was paid already.
pub(crate) const ALREADY_PAID: &str = "이미 결제가 완료된 merchant_uid 입니다.";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ScheduleStatus {
    Scheduled,
    Executed,
    Revoked,
}

impl ScheduleStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ScheduleStatus::Scheduled => "scheduled",
            ScheduleStatus::Executed => "executed",
            ScheduleStatus::Revoked => "revoked",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<ScheduleStatus> {
        match s {
            "scheduled" => Some(ScheduleStatus::Scheduled),
            "executed" => Some(ScheduleStatus::Executed),
            "revoked" => Some(ScheduleStatus::Revoked),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Schedule {
    pub(crate) customer_uid: String,
    pub(crate) customer_id: Option<String>,
    pub(crate) merchant_uid: String,
    pub(crate) imp_uid: Option<String>,
    pub(crate) pg_provider: Option<String>,
    pub(crate) pg_id: Option<String>,
    pub(crate) schedule_at: i64,
    pub(crate) executed_at: i64,
    pub(crate) revoked_at: i64,
    pub(crate) amount: Amount,
    pub(crate) tax_free: Amount,
    pub(crate) currency: String,
    pub(crate) name: Option<String>,
    pub(crate) buyer: Buyer,
    pub(crate) custom_data: Option<String>,
    pub(crate) card_quota: i64,
    pub(crate) status: ScheduleStatus,
    pub(crate) payment_status: Option<Status>,
    pub(crate) fail_reason: Option<String>,
    pub(crate) promotion_id: Option<String>,
    /// Where PortOne notifies of the run (`notice_url`).
    pub(crate) notice_urls: Vec<String>,
}

impl Schedule {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "customer_uid": self.customer_uid,
            "merchant_uid": self.merchant_uid,
            "imp_uid": self.imp_uid,
            "pg_provider": self.pg_provider,
            "pg_id": self.pg_id,
            "customer_id": self.customer_id,
            "schedule_at": self.schedule_at,
            "executed_at": self.executed_at,
            "revoked_at": self.revoked_at,
            "amount": self.amount.to_json(),
            "currency": self.currency,
            "name": self.name,
            "buyer_name": self.buyer.name,
            "buyer_email": self.buyer.email,
            "buyer_tel": self.buyer.tel,
            "buyer_addr": self.buyer.addr,
            "buyer_postcode": self.buyer.postcode,
            "custom_data": self.custom_data,
            "schedule_status": self.status.as_str(),
            "payment_status": self.payment_status.map(Status::as_str),
            "fail_reason": self.fail_reason,
            "promotion_id": self.promotion_id,
        })
    }

    /// Whether PortOne lets this schedule be retried or rescheduled: it failed or was
    /// revoked.
    pub(crate) fn can_retry(&self) -> bool {
        self.status == ScheduleStatus::Revoked
            || (self.status == ScheduleStatus::Executed
                && self.payment_status == Some(Status::Failed))
    }
}

/// Runs every due schedule of one tier, oldest first, each at its own time.
pub(crate) fn run_due(t: &mut Tenant<'_>) {
    let now = t.now;
    let mut due: Vec<(i64, usize, String)> = t
        .store
        .schedules
        .values()
        .enumerate()
        .filter(|(_, s)| s.status == ScheduleStatus::Scheduled && s.schedule_at <= now)
        .map(|(i, s)| (s.schedule_at, i, s.merchant_uid.clone()))
        .collect();
    due.sort_unstable();
    for (at, _, merchant_uid) in due {
        execute(t, &merchant_uid, at);
    }
}

/// Runs schedule `merchant_uid` at `at`: a payment with its billing key. Returns the payment's
/// `imp_uid` (`None` when no payment could be made: no billing key, `merchant_uid` already
/// paid) and, when it did not go through, how. Either way the schedule ends `executed` with
/// `payment_status` `paid` or `failed`, and PortOne notifies of a payment it made, paid or
/// failed.
pub(crate) fn execute(
    t: &mut Tenant<'_>,
    merchant_uid: &str,
    at: i64,
) -> (Option<String>, Option<Refusal>) {
    let store = &mut *t.store;
    let Some(s) = store.schedules.get(merchant_uid) else {
        return (None, Some(Refusal::NoDecision(NO_CUSTOMER)));
    };
    let Some(customer) = store.customers.get(&s.customer_uid).cloned() else {
        let Some(sched) = store.schedules.get_mut(merchant_uid) else {
            return (None, Some(Refusal::NoDecision(NO_CUSTOMER)));
        };
        sched.status = ScheduleStatus::Executed;
        sched.executed_at = at;
        sched.imp_uid = None;
        sched.payment_status = Some(Status::Failed);
        sched.fail_reason = Some(NO_CUSTOMER.into());
        return (None, Some(Refusal::NoDecision(NO_CUSTOMER)));
    };
    let mut buyer = s.buyer.clone();
    customer.fill_buyer(&mut buyer);
    let charge_req = Charge {
        merchant_uid: s.merchant_uid.clone(),
        amount: s.amount,
        tax_free: s.tax_free,
        currency: s.currency.clone(),
        name: s.name.clone(),
        buyer,
        custom_data: s.custom_data.clone(),
        card_quota: s.card_quota,
        user_agent: Some("sorry_not_supported_channel".into()),
        customer_uid: Some(s.customer_uid.clone()),
        usage: Some("payment.scheduled"),
        notice_urls: s.notice_urls.clone(),
    };
    let (imp_uid, failure) = if store.merchant_uid_settled(&charge_req.merchant_uid) {
        (None, Some(Refusal::NoDecision(ALREADY_PAID)))
    } else {
        let (imp_uid, failure) = charge(
            store,
            t.ids,
            customer.channel,
            Funding::Card(&customer.card, customer.outcome),
            charge_req,
            at,
        );
        (Some(imp_uid), failure)
    };
    let Some(sched) = store.schedules.get_mut(merchant_uid) else {
        return (imp_uid, failure);
    };
    sched.status = ScheduleStatus::Executed;
    sched.executed_at = at;
    sched.imp_uid.clone_from(&imp_uid);
    sched.pg_provider = Some(customer.channel.pg_provider.into());
    sched.pg_id = Some(customer.channel.pg_id.into());
    sched.payment_status = Some(if failure.is_some() {
        Status::Failed
    } else {
        Status::Paid
    });
    sched.fail_reason = failure.map(|f| f.reason().to_owned());
    let event = if failure.is_some() {
        WebhookEvent::ScheduleFailed
    } else {
        WebhookEvent::SchedulePaid
    };
    if let Some(p) = imp_uid.as_deref().and_then(|id| store.payment(id)) {
        t.notices.payment_event(event, p, &t.tier);
    }
    (imp_uid, failure)
}
