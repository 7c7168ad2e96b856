//! Webhooks: the notifications PortOne POSTs to the merchant, and the record of every
//! delivery for tests to read.
//!
//! Below the state: the state builds a notification when a payment event happens (under
//! its lock, without waiting) and hands the [`Outbox`] only where it goes, what it says and
//! the tier; [`deliver`] sends it from a task of its own and writes each attempt back into
//! the outbox, reading the shared mock clock for re-sends.

pub(crate) mod deliver;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, mpsc};

use crate::clock::Clock;
use crate::reply::php_escape;

/// Attempts after the first when re-sending is on, as PortOne documents.
pub(crate) const RESENDS: usize = 5;
/// Time between re-sends, on the mock clock.
pub(crate) const RESEND_AFTER_MS: i64 = 60_000;

/// How notifications are encoded: PortOne's console lets the merchant choose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WebhookFormat {
    /// `application/json` (the default).
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

impl WebhookFormat {
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            WebhookFormat::Json => "application/json",
            WebhookFormat::Form => "application/x-www-form-urlencoded",
        }
    }
}

/// What a notification says: the body PortOne POSTs.
///
/// ```
/// use portone_mock::Webhook;
///
/// // A forged notification, for a receiver to refuse.
/// let forged = Webhook::new("imp_000000000000", "order-1", "paid");
/// let cancel = Webhook::new("imp_123412341234", "order-2", "cancelled").cancellation_id("c1");
/// # let _ = (forged, cancel);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Webhook {
    /// PortOne's id of the payment.
    pub imp_uid: String,
    /// The merchant's order id.
    pub merchant_uid: String,
    /// `ready`, `paid`, `failed` or `cancelled` (or anything a test wants to send).
    pub status: String,
    /// The cancellation's id, on a cancel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_id: Option<String>,
}

impl Webhook {
    /// A notification with these values and no `cancellation_id`.
    pub fn new(
        imp_uid: impl Into<String>,
        merchant_uid: impl Into<String>,
        status: impl Into<String>,
    ) -> Self {
        Webhook {
            imp_uid: imp_uid.into(),
            merchant_uid: merchant_uid.into(),
            status: status.into(),
            cancellation_id: None,
        }
    }

    /// The same notification with a `cancellation_id`.
    #[must_use]
    pub fn cancellation_id(mut self, cancellation_id: impl Into<String>) -> Self {
        self.cancellation_id = Some(cancellation_id.into());
        self
    }

    /// The body in `format`: JSON written like PortOne's PHP (`\uXXXX`, `\/`), or a form.
    fn encode(&self, format: WebhookFormat) -> String {
        match format {
            WebhookFormat::Json => {
                php_escape(&serde_json::to_string(self).unwrap_or_else(|_| "{}".into()))
            }
            WebhookFormat::Form => {
                let mut form = form_urlencoded::Serializer::new(String::new());
                form.append_pair("imp_uid", &self.imp_uid)
                    .append_pair("merchant_uid", &self.merchant_uid)
                    .append_pair("status", &self.status);
                if let Some(id) = &self.cancellation_id {
                    form.append_pair("cancellation_id", id);
                }
                form.finish()
            }
        }
    }
}

/// Why the mock sent a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WebhookEvent {
    /// A payment was approved (`paid`): a checkout, a one-time or billing-key payment, a
    /// partner payment.
    Paid,
    /// A checkout issued a virtual account (`ready`).
    VbankIssued,
    /// The buyer paid into a virtual account (`paid`).
    VbankDeposited,
    /// A scheduled payment ran and was paid (`paid`).
    SchedulePaid,
    /// A scheduled payment ran and failed (`failed`).
    ScheduleFailed,
    /// `POST /payments/cancel` with `enable_webhook: true` (`cancelled`, also for a partial
    /// cancel).
    Cancelled,
    /// A cancel in PortOne's console ([`MockServer::cancel_in_console`](crate::MockServer::cancel_in_console)).
    ConsoleCancelled,
    /// Sent by a test ([`MockServer::send_webhook`](crate::MockServer::send_webhook),
    /// [`MockServer::duplicate_webhook`](crate::MockServer::duplicate_webhook)).
    Test,
}

impl WebhookEvent {
    /// The `status` a notification of this event says.
    pub(crate) fn status(self) -> &'static str {
        match self {
            WebhookEvent::Paid | WebhookEvent::VbankDeposited | WebhookEvent::SchedulePaid => {
                "paid"
            }
            WebhookEvent::VbankIssued => "ready",
            WebhookEvent::ScheduleFailed => "failed",
            WebhookEvent::Cancelled | WebhookEvent::ConsoleCancelled | WebhookEvent::Test => {
                "cancelled"
            }
        }
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeliveryState {
    /// An attempt is due or on its way.
    Sending,
    /// An attempt failed; the next one is due at
    /// [`next_attempt_at`](WebhookDelivery::next_attempt_at) on the mock clock.
    Retrying,
    /// The receiver answered `2xx`.
    Delivered,
    /// No more attempts: the last one got no `2xx` (an error, a `5xx` with re-sending off
    /// or after the last re-send, or another status, which PortOne does not re-send).
    Failed,
}

/// One try at delivering a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WebhookAttempt {
    /// When it was sent, in unix seconds on the mock clock.
    pub at: i64,
    /// The HTTP status the receiver answered, if it answered.
    pub status: Option<u16>,
    /// Why no answer came (connection refused or reset, timeout), if none came.
    pub error: Option<String>,
}

impl WebhookAttempt {
    /// Whether the receiver answered `2xx`.
    #[must_use]
    pub fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// A notification the mock sent (or is sending), with every attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// Its number, from 1, in the order notifications were emitted.
    pub id: u64,
    /// Why it was sent.
    pub event: WebhookEvent,
    /// Where it was sent: the payment's `notice_url`, else the builder's
    /// [`webhook_url`](crate::MockServerBuilder::webhook_url).
    pub url: String,
    /// The `Content-Type` it was sent with.
    pub content_type: String,
    /// The body, exactly as sent.
    pub body: String,
    /// What the body says.
    pub webhook: Webhook,
    /// The agency tier of the payment, if any.
    pub tier: Option<String>,
    /// When it was emitted, in unix seconds on the mock clock.
    pub created_at: i64,
    /// Every attempt so far, oldest first.
    pub attempts: Vec<WebhookAttempt>,
    /// Where it stands.
    pub state: DeliveryState,
    /// When the next attempt is due (unix seconds, mock clock), while
    /// [`Retrying`](DeliveryState::Retrying).
    pub next_attempt_at: Option<i64>,
    /// [`next_attempt_at`](Self::next_attempt_at) to the millisecond.
    #[serde(skip)]
    due_ms: Option<i64>,
    /// How the body was encoded: a duplicate is encoded the same way.
    #[serde(skip)]
    format: WebhookFormat,
}

impl WebhookDelivery {
    /// The status of the last answer, if the last attempt got one.
    #[must_use]
    pub fn last_status(&self) -> Option<u16> {
        self.attempts.last().and_then(|a| a.status)
    }

    /// Whether nothing more will happen, or the next re-send is not due yet at `now_ms`.
    fn settled(&self, now_ms: i64) -> bool {
        match self.state {
            DeliveryState::Delivered | DeliveryState::Failed => true,
            DeliveryState::Retrying => self.due_ms.is_some_and(|due| due > now_ms),
            DeliveryState::Sending => false,
        }
    }
}

/// The webhook settings (the builder's, kept in the state file).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Config {
    /// The account's notification URL (the state's to use).
    pub(crate) url: Option<String>,
    pub(crate) format: WebhookFormat,
    pub(crate) resend: bool,
}

/// Every delivery, and the queue to the task that sends them.
#[derive(Debug)]
pub(crate) struct Outbox {
    format: WebhookFormat,
    resend: bool,
    clock: Arc<Clock>,
    deliveries: Mutex<Deliveries>,
    /// Told when a delivery settles (delivered, failed, waiting for a re-send).
    changed: Notify,
    /// `None` in unit tests, which start no sender.
    queue: Option<mpsc::UnboundedSender<u64>>,
}

#[derive(Debug, Default)]
struct Deliveries {
    list: Vec<WebhookDelivery>,
    /// Deliveries forgotten by a reset: ids keep counting from there, so that a sender
    /// still busy with a forgotten one never writes into a new one.
    forgotten: u64,
}

impl Deliveries {
    fn get_mut(&mut self, id: u64) -> Option<&mut WebhookDelivery> {
        let i = id
            .checked_sub(self.forgotten + 1)
            .and_then(|i| usize::try_from(i).ok())?;
        self.list.get_mut(i)
    }
}

/// What one attempt sends.
#[derive(Debug)]
pub(crate) struct Attempt {
    pub(crate) url: String,
    pub(crate) content_type: &'static str,
    pub(crate) body: String,
    pub(crate) first: bool,
    pub(crate) at: i64,
}

impl Outbox {
    pub(crate) fn new(
        config: &Config,
        clock: Arc<Clock>,
        queue: Option<mpsc::UnboundedSender<u64>>,
    ) -> Outbox {
        Outbox {
            format: config.format,
            resend: config.resend,
            clock,
            deliveries: Mutex::default(),
            changed: Notify::new(),
            queue,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Deliveries> {
        self.deliveries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    pub(crate) fn format(&self) -> WebhookFormat {
        self.format
    }

    pub(crate) fn resend(&self) -> bool {
        self.resend
    }

    /// Forgets every delivery; ids go on from where they were.
    pub(crate) fn clear(&self) {
        let mut d = self.lock();
        d.forgotten += u64::try_from(d.list.len()).unwrap_or(u64::MAX);
        d.list.clear();
    }

    /// Records a delivery of `webhook` to `url` in the configured format and hands it to
    /// the sender; returns its id.
    pub(crate) fn send(
        &self,
        url: String,
        event: WebhookEvent,
        webhook: Webhook,
        tier: Option<String>,
    ) -> u64 {
        self.send_as(self.format, url, event, webhook, tier)
    }

    fn send_as(
        &self,
        format: WebhookFormat,
        url: String,
        event: WebhookEvent,
        webhook: Webhook,
        tier: Option<String>,
    ) -> u64 {
        let now = self.clock.now();
        let id = {
            let mut d = self.lock();
            let id = d.forgotten + u64::try_from(d.list.len()).unwrap_or(u64::MAX) + 1;
            d.list.push(WebhookDelivery {
                id,
                event,
                url,
                content_type: format.content_type().to_owned(),
                body: webhook.encode(format),
                webhook,
                tier,
                created_at: now,
                attempts: Vec::new(),
                state: DeliveryState::Sending,
                next_attempt_at: None,
                due_ms: None,
                format,
            });
            id
        };
        if let Some(queue) = &self.queue {
            // The receiver is gone only when the server stops.
            let _ = queue.send(id);
        }
        id
    }

    /// The same notification to the same URL in the same format again, as a new delivery.
    pub(crate) fn duplicate(&self, id: u64) -> Option<u64> {
        let original = self.lock().get_mut(id)?.clone();
        Some(self.send_as(
            original.format,
            original.url,
            WebhookEvent::Test,
            original.webhook,
            original.tier,
        ))
    }

    pub(crate) fn all(&self) -> Vec<WebhookDelivery> {
        self.lock().list.clone()
    }

    /// Whether no attempt is on its way or due now.
    pub(crate) fn settled(&self) -> bool {
        let now_ms = self.clock.now_ms();
        self.lock().list.iter().all(|d| d.settled(now_ms))
    }

    /// How many deliveries there are, and whether all are settled.
    pub(crate) fn count_settled(&self) -> (usize, bool) {
        let now_ms = self.clock.now_ms();
        let d = self.lock();
        (d.list.len(), d.list.iter().all(|d| d.settled(now_ms)))
    }

    /// Told when a delivery settles.
    pub(crate) fn changed(&self) -> &Notify {
        &self.changed
    }

    /// Marks delivery `id` as being sent and says what to send; `None` once it is gone
    /// (forgotten by a reset).
    pub(crate) fn begin(&self, id: u64) -> Option<Attempt> {
        let at = self.clock.now();
        let mut deliveries = self.lock();
        let d = deliveries.get_mut(id)?;
        d.state = DeliveryState::Sending;
        d.next_attempt_at = None;
        d.due_ms = None;
        Some(Attempt {
            url: d.url.clone(),
            content_type: d.format.content_type(),
            body: d.body.clone(),
            first: d.attempts.is_empty(),
            at,
        })
    }

    /// Records `attempt`; returns when the next one is due (mock clock, ms), if there is
    /// one.
    pub(crate) fn finish(&self, id: u64, attempt: WebhookAttempt) -> Option<i64> {
        let now_ms = self.clock.now_ms();
        let due = {
            let mut deliveries = self.lock();
            let d = deliveries.get_mut(id)?;
            // PortOne re-sends after a network error or a 5xx, never after another answer.
            let retryable = attempt.status.is_none_or(|s| s >= 500);
            let delivered = attempt.delivered();
            d.attempts.push(attempt);
            if delivered {
                d.state = DeliveryState::Delivered;
                None
            } else if retryable && self.resend && d.attempts.len() <= RESENDS {
                let due = now_ms.saturating_add(RESEND_AFTER_MS);
                d.state = DeliveryState::Retrying;
                d.due_ms = Some(due);
                d.next_attempt_at = Some(due.div_euclid(1000));
                Some(due)
            } else {
                d.state = DeliveryState::Failed;
                None
            }
        };
        self.changed.notify_waiters();
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_as_portone_writes_them() {
        let w = Webhook::new("imp_1", "주문/1", "cancelled").cancellation_id("c1");
        assert_eq!(
            w.encode(WebhookFormat::Json),
            r#"{"imp_uid":"imp_1","merchant_uid":"\uc8fc\ubb38\/1","status":"cancelled","cancellation_id":"c1"}"#
        );
        assert_eq!(
            w.encode(WebhookFormat::Form),
            "imp_uid=imp_1&merchant_uid=%EC%A3%BC%EB%AC%B8%2F1&status=cancelled&cancellation_id=c1"
        );
        let paid = Webhook::new("imp_1", "m", "paid");
        assert_eq!(
            paid.encode(WebhookFormat::Json),
            r#"{"imp_uid":"imp_1","merchant_uid":"m","status":"paid"}"#
        );
    }

    fn outbox(config: &Config) -> Outbox {
        Outbox::new(config, Arc::new(Clock::new(true)), None)
    }

    fn send(outbox: &Outbox) -> u64 {
        outbox.send(
            "http://x".into(),
            WebhookEvent::Test,
            Webhook::new("i", "m", "paid"),
            None,
        )
    }

    #[test]
    fn a_delivery_is_settled_when_done_or_waiting_for_a_later_resend() {
        let outbox = outbox(&Config {
            resend: true,
            ..Config::default()
        });
        let id = send(&outbox);
        assert!(!outbox.settled());
        let failed = WebhookAttempt {
            at: 0,
            status: Some(503),
            error: None,
        };
        assert!(outbox.finish(id, failed.clone()).is_some());
        assert!(outbox.settled(), "the re-send is not due yet");
        outbox.clock().advance(std::time::Duration::from_secs(60));
        assert!(!outbox.settled(), "the re-send is due");
        let ok = WebhookAttempt {
            status: Some(200),
            ..failed
        };
        assert!(outbox.finish(id, ok).is_none());
        assert!(outbox.settled());
        assert!(outbox.begin(0).is_none() && outbox.begin(2).is_none());
    }

    #[test]
    fn ids_are_never_reused_after_a_clear() {
        let outbox = outbox(&Config::default());
        assert_eq!(send(&outbox), 1);
        assert_eq!(send(&outbox), 2);
        outbox.clear();
        assert!(outbox.begin(1).is_none() && outbox.begin(2).is_none());
        assert_eq!(send(&outbox), 3);
        assert_eq!(outbox.duplicate(3), Some(4));
        let ids: Vec<u64> = outbox.all().iter().map(|d| d.id).collect();
        assert_eq!(ids, vec![3, 4]);
    }

    #[test]
    fn a_duplicate_keeps_the_format() {
        let outbox = outbox(&Config {
            format: WebhookFormat::Form,
            ..Config::default()
        });
        let id = send(&outbox);
        let copy = outbox.duplicate(id).unwrap_or_default();
        let all = outbox.all();
        assert_eq!(all[1].id, copy);
        assert_eq!(all[1].content_type, "application/x-www-form-urlencoded");
        assert_eq!(all[1].body, all[0].body);
    }
}
