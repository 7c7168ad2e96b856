//! Webhooks: the notifications PortOne POSTs to the merchant, and the record of every
//! delivery for tests to read.
//!
//! The server's state emits a notification when a payment event happens (under its lock,
//! without waiting); [`deliver`] sends it from a task of its own and writes each attempt
//! back here.

mod api;
pub(crate) mod deliver;

use serde::Serialize;

use crate::reply::php_escape;
use crate::state::{Payment, Scope};

/// Attempts after the first when re-sending is on, as PortOne documents.
pub(crate) const RESENDS: usize = 5;
/// Time between re-sends, on the mock clock.
pub(crate) const RESEND_AFTER_MS: i64 = 60_000;

/// How notifications are encoded: PortOne's console lets the merchant choose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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
    fn content_type(self) -> &'static str {
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
    fn status(self) -> &'static str {
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

/// The builder's webhook settings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    pub(crate) url: Option<String>,
    pub(crate) format: WebhookFormat,
    pub(crate) resend: bool,
}

/// Every delivery, and the queue to the task that sends them.
#[derive(Debug, Default)]
pub(crate) struct Webhooks {
    pub(crate) config: Config,
    deliveries: Vec<WebhookDelivery>,
    /// Deliveries forgotten by a reset: ids keep counting from there, so that a sender
    /// still busy with a forgotten one never writes into a new one.
    forgotten: u64,
    /// `None` until the server started its sender.
    queue: Option<tokio::sync::mpsc::UnboundedSender<u64>>,
}

impl Webhooks {
    pub(crate) fn new(config: Config, queue: tokio::sync::mpsc::UnboundedSender<u64>) -> Webhooks {
        Webhooks {
            config,
            deliveries: Vec::new(),
            forgotten: 0,
            queue: Some(queue),
        }
    }

    /// Forgets every delivery; ids go on from where they were.
    pub(crate) fn clear(&mut self) {
        self.forgotten += u64::try_from(self.deliveries.len()).unwrap_or(u64::MAX);
        self.deliveries.clear();
    }

    fn index(&self, id: u64) -> Option<usize> {
        id.checked_sub(self.forgotten + 1)
            .and_then(|i| usize::try_from(i).ok())
    }

    /// PortOne's notification of `event` on payment `p`, to each of the payment's
    /// `notice_url`s or else to the configured URL; nothing when there is neither.
    pub(crate) fn payment_event(
        &mut self,
        event: WebhookEvent,
        p: &Payment,
        tier: &Scope,
        now: i64,
    ) {
        let mut webhook = Webhook::new(&p.imp_uid, &p.merchant_uid, event.status());
        if matches!(
            event,
            WebhookEvent::Cancelled | WebhookEvent::ConsoleCancelled
        ) {
            webhook.cancellation_id = p.cancel_history.last().map(|c| c.cancellation_id.clone());
        }
        let urls = if p.notice_urls.is_empty() {
            self.config.url.iter().cloned().collect()
        } else {
            p.notice_urls.clone()
        };
        for url in urls {
            self.send(url, event, webhook.clone(), tier.clone(), now);
        }
    }

    /// Records a delivery in the configured format and hands it to the sender; returns its
    /// id.
    pub(crate) fn send(
        &mut self,
        url: String,
        event: WebhookEvent,
        webhook: Webhook,
        tier: Scope,
        now: i64,
    ) -> u64 {
        let format = self.config.format;
        self.send_as(format, url, event, webhook, tier, now)
    }

    fn send_as(
        &mut self,
        format: WebhookFormat,
        url: String,
        event: WebhookEvent,
        webhook: Webhook,
        tier: Scope,
        now: i64,
    ) -> u64 {
        let id = self.forgotten + u64::try_from(self.deliveries.len()).unwrap_or(u64::MAX) + 1;
        self.deliveries.push(WebhookDelivery {
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
        });
        if let Some(queue) = &self.queue {
            // The receiver is gone only when the server stops.
            let _ = queue.send(id);
        }
        id
    }

    /// The same notification to the same URL in the same format again, as a new delivery.
    pub(crate) fn duplicate(&mut self, id: u64, now: i64) -> Option<u64> {
        let original = self.get(id)?.clone();
        let format = if original.content_type == WebhookFormat::Form.content_type() {
            WebhookFormat::Form
        } else {
            WebhookFormat::Json
        };
        Some(self.send_as(
            format,
            original.url,
            WebhookEvent::Test,
            original.webhook,
            original.tier,
            now,
        ))
    }

    pub(crate) fn get(&self, id: u64) -> Option<&WebhookDelivery> {
        self.index(id).and_then(|i| self.deliveries.get(i))
    }

    pub(crate) fn get_mut(&mut self, id: u64) -> Option<&mut WebhookDelivery> {
        self.index(id).and_then(|i| self.deliveries.get_mut(i))
    }

    pub(crate) fn all(&self) -> &[WebhookDelivery] {
        &self.deliveries
    }

    /// Whether no attempt is on its way or due at `now_ms`.
    pub(crate) fn settled(&self, now_ms: i64) -> bool {
        self.deliveries.iter().all(|d| d.settled(now_ms))
    }
}

/// The `notice_url` of a request: one URL, or a list (`/vbanks`, `/cvs`, Benepia take
/// arrays).
pub(crate) fn notice_urls(p: &crate::params::Params) -> Vec<String> {
    let list = p.strings("notice_url");
    if list.is_empty() {
        p.string("notice_url").into_iter().collect()
    } else {
        list
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

    #[test]
    fn a_delivery_is_settled_when_done_or_waiting_for_a_later_resend() {
        let mut hooks = Webhooks::default();
        let id = hooks.send(
            "http://x".into(),
            WebhookEvent::Test,
            Webhook::new("i", "m", "paid"),
            None,
            0,
        );
        assert!(!hooks.settled(0));
        if let Some(d) = hooks.get_mut(id) {
            d.state = DeliveryState::Retrying;
            d.due_ms = Some(60_000);
        }
        assert!(hooks.settled(59_999));
        assert!(!hooks.settled(60_000));
        if let Some(d) = hooks.get_mut(id) {
            d.state = DeliveryState::Failed;
        }
        assert!(hooks.settled(i64::MAX));
        assert!(hooks.get(0).is_none() && hooks.get(2).is_none());
    }

    #[test]
    fn ids_are_never_reused_after_a_clear() {
        let mut hooks = Webhooks::default();
        let send = |hooks: &mut Webhooks| {
            hooks.send(
                "http://x".into(),
                WebhookEvent::Test,
                Webhook::new("i", "m", "paid"),
                None,
                0,
            )
        };
        assert_eq!(send(&mut hooks), 1);
        assert_eq!(send(&mut hooks), 2);
        hooks.clear();
        assert!(hooks.get(1).is_none() && hooks.get(2).is_none());
        assert_eq!(send(&mut hooks), 3);
        assert_eq!(hooks.get(3).map(|d| d.id), Some(3));
        assert_eq!(hooks.all().len(), 1);
    }
}
