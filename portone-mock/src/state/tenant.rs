//! One tier's view of the state, what every handler works through: the tier's store, and
//! what it shares with the other tiers (the id counter, the clock's reading, the webhook
//! outbox).

use super::payment::Payment;
use super::store::Store;
use crate::ids::Ids;
use crate::webhooks::{Outbox, Webhook, WebhookEvent};

/// A tier's store together with what handlers need beside it.
pub(crate) struct Tenant<'a> {
    pub(crate) store: &'a mut Store,
    pub(crate) ids: &'a mut Ids,
    /// Now on the mock clock, read once for the whole request.
    pub(crate) now: i64,
    /// The tier the store belongs to: `None` for the account itself.
    pub(crate) tier: Option<String>,
    pub(crate) notices: Notices<'a>,
}

/// Where the state's notifications go: the outbox, and the account's URL for payments
/// that name none of their own.
#[derive(Clone, Copy)]
pub(crate) struct Notices<'a> {
    pub(crate) outbox: &'a Outbox,
    pub(crate) account_url: Option<&'a str>,
}

impl Notices<'_> {
    /// PortOne's notification of `event` on payment `p`, to each of the payment's
    /// `notice_url`s or else to the account's URL; nothing when there is neither.
    pub(crate) fn payment_event(self, event: WebhookEvent, p: &Payment, tier: &Option<String>) {
        let mut webhook = Webhook::new(&p.imp_uid, &p.merchant_uid, event.status());
        if matches!(
            event,
            WebhookEvent::Cancelled | WebhookEvent::ConsoleCancelled
        ) {
            webhook.cancellation_id = p.cancel_history.last().map(|c| c.cancellation_id.clone());
        }
        let urls: Vec<String> = if p.notice_urls.is_empty() {
            self.account_url.iter().map(|u| (*u).to_owned()).collect()
        } else {
            p.notice_urls.clone()
        };
        for url in urls {
            self.outbox.send(url, event, webhook.clone(), tier.clone());
        }
    }
}

impl Tenant<'_> {
    /// PortOne's notification of `event` on payment `imp_uid`, if it exists.
    pub(crate) fn notify(&mut self, event: WebhookEvent, imp_uid: &str) {
        if let Some(p) = self.store.payment(imp_uid) {
            self.notices.payment_event(event, p, &self.tier);
        }
    }
}
