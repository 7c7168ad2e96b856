//! The test helpers of webhooks on [`MockServer`]: the console's cancel, reading and
//! waiting for deliveries, forged and duplicate notifications.

use serde_json::Number;

use super::MockServer;
use crate::amount::Amount;
use crate::error::MockError;
use crate::webhooks::{Webhook, WebhookDelivery, WebhookEvent};

impl MockServer {
    /// Cancels a payment as the merchant would in PortOne's console, which notifies
    /// (`cancelled`, with the `cancellation_id`): fully without `amount`, else partly.
    /// Returns the cancellation's id.
    ///
    /// # Panics
    ///
    /// When [`try_cancel_in_console`](Self::try_cancel_in_console) fails.
    pub fn cancel_in_console(&self, imp_uid: &str, amount: Option<Number>) -> String {
        self.try_cancel_in_console(imp_uid, amount)
            .unwrap_or_else(|e| panic!("portone-mock cancel_in_console: {e}"))
    }

    /// Cancels a payment as the merchant would in PortOne's console; see
    /// [`cancel_in_console`](Self::cancel_in_console).
    ///
    /// # Errors
    ///
    /// [`MockError::UnknownPayment`] for an unknown `imp_uid`, [`MockError::InvalidAmount`]
    /// for an amount that is not a positive number, [`MockError::CancelRefused`] when
    /// PortOne would refuse the cancel (not paid, already cancelled, more than the balance).
    pub fn try_cancel_in_console(
        &self,
        imp_uid: &str,
        amount: Option<Number>,
    ) -> Result<String, MockError> {
        let amount = amount
            .map(|a| {
                Amount::from_number(&a)
                    .filter(|x| !x.is_negative() && !x.is_zero())
                    .ok_or_else(|| MockError::InvalidAmount(a.to_string()))
            })
            .transpose()?;
        let shared = &self.inner.shared;
        let mut st = shared.lock();
        let id = st.console_cancel(imp_uid, amount)?;
        shared.commit_locked(&mut st).map_err(super::not_saved)?;
        Ok(id)
    }

    /// Every webhook delivery so far, in the order they were emitted, with their attempts.
    #[must_use]
    pub fn webhooks(&self) -> Vec<WebhookDelivery> {
        self.inner.shared.outbox.all()
    }

    /// Waits until no webhook delivery is on its way or due (each is delivered, failed,
    /// or waiting for a re-send the mock clock has not reached), then returns them all.
    ///
    /// It waits on the deliveries themselves, never for a fixed time; wrap it in a
    /// timeout if a receiver may hang (PortOne's own timeouts, which the mock keeps, are
    /// 40 s for a first attempt and 15 s for a re-send).
    pub async fn webhooks_settled(&self) -> Vec<WebhookDelivery> {
        self.wait_for_webhooks(0).await
    }

    /// Waits until at least `count` deliveries exist and all are settled (see
    /// [`webhooks_settled`](Self::webhooks_settled)), then returns them all. A delivery
    /// that is never made keeps this waiting: wrap it in a timeout.
    pub async fn wait_for_webhooks(&self, count: usize) -> Vec<WebhookDelivery> {
        let outbox = &self.inner.shared.outbox;
        loop {
            let mut changed = std::pin::pin!(outbox.changed().notified());
            // Registered before the check: a delivery settling after it wakes the await.
            changed.as_mut().enable();
            let (made, settled) = outbox.count_settled();
            if made >= count && settled {
                return outbox.all();
            }
            changed.await;
        }
    }

    /// POSTs `webhook` to `url` as PortOne would (same format, timeouts and re-sending),
    /// recorded as a [`WebhookEvent::Test`] delivery: a forged notification, or one for a
    /// receiver's test. Returns the delivery's id.
    pub fn send_webhook(&self, url: &str, webhook: Webhook) -> u64 {
        self.inner
            .shared
            .outbox
            .send(url.to_owned(), WebhookEvent::Test, webhook, None)
    }

    /// Sends delivery `id`'s notification again, to the same URL in the same format, as
    /// PortOne can: a duplicate the receiver must handle idempotently. Returns the new
    /// delivery's id.
    ///
    /// # Errors
    ///
    /// [`MockError::UnknownWebhook`] when there is no delivery `id`.
    pub fn duplicate_webhook(&self, id: u64) -> Result<u64, MockError> {
        self.inner
            .shared
            .outbox
            .duplicate(id)
            .ok_or(MockError::UnknownWebhook(id))
    }
}
