//! Receiving PortOne's webhooks: the notification PortOne POSTs, and where it comes from.
//!
//! PortOne V1 POSTs `{imp_uid, merchant_uid, status}` (and `cancellation_id` for a cancel)
//! to the merchant's URL when a payment is approved, a virtual account is issued or paid, a
//! scheduled payment is attempted, or a payment is cancelled in the console (or through
//! `/payments/cancel` with `enable_webhook`). The console chooses JSON or a form body.
//!
//! **A notification carries no signature**: anyone who knows the URL can POST one. Its body
//! is a hint that something happened to `imp_uid`, never the truth about it. Read it with
//! [`Notification::parse`], then let [`Verification`](crate::verify::Verification) look
//! the payment up and compare it with your own order before you act:
//!
//! ```no_run
//! use portone::prelude::*;
//! use portone::verify::{Order, Verdict};
//! use portone::webhook::Notification;
//!
//! # async fn handle(client: &portone::Client, content_type: &str, body: &[u8]) -> portone::Result<()> {
//! let notification = Notification::parse(content_type, body)?;
//! // Your own records say what the order costs; never the notification.
//! let order = Order::new(notification.merchant_uid.clone(), 15_000);
//! match client.verify_notification(&notification, &order).await? {
//!     Verdict::Paid { .. } => { /* ship, once: the same notification can come again */ }
//!     Verdict::Mismatch(why) => eprintln!("forged or tampered: {why}"),
//!     other => println!("{other}"),
//! }
//! # Ok(()) }
//! ```
//!
//! Answer `200` once the notification is handled, whatever the verdict: with re-sending on,
//! PortOne sends it again (up to 5 times, a minute apart) only after a network error or a
//! `5xx`. Answer a `5xx` when the lookup failed, so that it comes again.
//!
//! PortOne sends each notification once by default, and a notification can be lost, come
//! twice, or arrive before or after the buyer's browser returns. A webhook that never
//! arrives is normal: before cancelling an order for want of one, look the payment up
//! ([`Verification::verify_payment`](crate::verify::Verification::verify_payment)).
//!
//! # One attempt, or the order
//!
//! [`verify_notification`](crate::verify::Verification::verify_notification) judges the
//! attempt the notification names. When an order can have several attempts under its
//! `merchant_uid` (a buyer who tries again after a decline, a charge retried after an
//! unknown outcome), judge the order with
//! [`verify_order`](crate::verify::Verification::verify_order): a late `failed`
//! notification for the first attempt of an order the second attempt paid is then `Paid`,
//! not a reason to ask the buyer to pay again.
//!
//! # Agency accounts: which sub-merchant
//!
//! A notification does not say which sub-merchant (tier) a payment belongs to, and an
//! agency's own view of PortOne does not see its sub-merchants' payments: looked up without
//! the tier, a real payment is [`Mismatch::UnknownPayment`](crate::verify::Mismatch::UnknownPayment).
//! Give each sub-merchant its own webhook URL that names its tier (in PortOne's console for
//! the sub-merchant, or as the checkout's `notice_url`), such as
//! `https://shop.example/portone/webhook/A1B`, and verify with that tier's view:
//!
//! ```no_run
//! use axum::body::Bytes;
//! use axum::extract::{Path, State};
//! use axum::http::{HeaderMap, StatusCode, header};
//! use portone::prelude::*;
//! use portone::verify::Order;
//! use portone::webhook::Notification;
//!
//! /// `POST /portone/webhook/{tier}`: one URL per sub-merchant.
//! async fn webhook(
//!     State(agency): State<portone::Client>,
//!     Path(tier): Path<String>,
//!     headers: HeaderMap,
//!     body: Bytes,
//! ) -> StatusCode {
//!     let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
//!     let Ok(notification) = Notification::parse(content_type.unwrap_or(""), &body) else {
//!         return StatusCode::BAD_REQUEST;
//!     };
//!     // A tier code that is not one is refused before anything is sent.
//!     let Ok(shop) = agency.with_tier(&tier) else {
//!         return StatusCode::NOT_FOUND;
//!     };
//!     let order = Order::new(notification.merchant_uid.clone(), 15_000); // your records
//!     match shop.verify_order(&order).await {
//!         Ok(verdict) if verdict.is_paid() => { /* ship once */ }
//!         Ok(_) => { /* record the verdict */ }
//!         Err(_) => return StatusCode::INTERNAL_SERVER_ERROR, // PortOne re-sends after a 5xx
//!     }
//!     StatusCode::OK
//! }
//!
//! let app: axum::Router<portone::Client> =
//!     axum::Router::new().route("/portone/webhook/{tier}", axum::routing::post(webhook));
//! # let _ = app;
//! ```
//!
//! `cargo run --example agency_tiers` shows the same verification on `portone-mock`: the
//! tier's view finds the sub-merchant's payment, the agency's own view does not.
//!
//! With the `axum` feature, [`Notification`] is also an axum extractor.

#[cfg(feature = "axum")]
mod axum;
mod parse;

use std::net::{IpAddr, Ipv4Addr};

use crate::model::PaymentStatus;

#[cfg(feature = "axum")]
pub use self::axum::NotificationRejection;

/// A webhook notification, as PortOne sends it (`imp_uid`, `merchant_uid`, `status` and,
/// for a cancel, `cancellation_id`).
///
/// What it says is unverified: look the payment up before acting on it (see the
/// [module documentation](self)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Notification {
    /// PortOne's id of the payment (`imp_...`); never empty.
    pub imp_uid: String,
    /// The merchant's order id; empty if the notification left it out.
    pub merchant_uid: String,
    /// The status the notification claims: `ready` (a virtual account was issued), `paid`,
    /// `failed` (a scheduled payment), `cancelled`, or any other text, kept. `Other("")`
    /// when the notification left it out. PortOne says `cancelled` for a partial cancel
    /// too, while the payment itself stays `paid`.
    pub status: PaymentStatus,
    /// The id of the cancellation, on a cancel notification.
    pub cancellation_id: Option<String>,
}

impl Notification {
    /// A notification with these values, such as for a test of a receiver.
    pub fn new(
        imp_uid: impl Into<String>,
        merchant_uid: impl Into<String>,
        status: impl Into<PaymentStatus>,
    ) -> Self {
        Notification {
            imp_uid: imp_uid.into(),
            merchant_uid: merchant_uid.into(),
            status: status.into(),
            cancellation_id: None,
        }
    }

    /// The same notification with a `cancellation_id`.
    #[must_use]
    pub fn with_cancellation_id(mut self, cancellation_id: impl Into<String>) -> Self {
        self.cancellation_id = Some(cancellation_id.into());
        self
    }

    /// Reads a notification from the request's `Content-Type` header and body.
    ///
    /// Takes `application/json` (also `text/json` and `application/*+json`) and
    /// `application/x-www-form-urlencoded`, in any case, with or without parameters such as
    /// `; charset=UTF-8` (the body is read as UTF-8). Fields other than the four are ignored;
    /// a field may be a string or, in JSON, a number, and `null` or `""` count as absent.
    ///
    /// ```
    /// use portone::model::PaymentStatus;
    /// use portone::webhook::Notification;
    ///
    /// let json = br#"{"imp_uid":"imp_1234","merchant_uid":"order-1","status":"paid"}"#;
    /// let n = Notification::parse("application/json; charset=utf-8", json)?;
    /// assert_eq!((n.imp_uid.as_str(), n.status), ("imp_1234", PaymentStatus::Paid));
    ///
    /// let form = b"imp_uid=imp_1234&merchant_uid=order-1&status=cancelled&cancellation_id=c1";
    /// let n = Notification::parse("application/x-www-form-urlencoded", form)?;
    /// assert_eq!(n.cancellation_id.as_deref(), Some("c1"));
    ///
    /// assert!(Notification::parse("text/plain", json).is_err());
    /// # Ok::<(), portone::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Webhook`](crate::Error::Webhook) for any other content type, a JSON body that
    /// is not a JSON object, a missing or empty `imp_uid`, and a field that is not text,
    /// holds control characters or is longer than 1024 bytes. Never a panic, whatever the
    /// bytes.
    pub fn parse(content_type: &str, body: &[u8]) -> crate::Result<Notification> {
        parse::notification(content_type, body).map_err(crate::Error::Webhook)
    }
}

/// The addresses PortOne sends V1 webhooks from, as PortOne documents them.
pub const PORTONE_WEBHOOK_IPS: [Ipv4Addr; 3] = [
    Ipv4Addr::new(52, 78, 100, 19),
    Ipv4Addr::new(52, 78, 48, 223),
    Ipv4Addr::new(52, 78, 5, 241),
];

/// Whether `ip` is one of the addresses PortOne sends webhooks from
/// ([`PORTONE_WEBHOOK_IPS`]); an IPv4-mapped IPv6 address (`::ffff:52.78.100.19`, as a
/// dual-stack socket reports IPv4 peers) counts as its IPv4 address.
///
/// This is defence in depth, **not verification**: it keeps out casual noise, but a
/// notification from one of these addresses is still only a hint, and PortOne may add
/// addresses. Always verify the payment ([`Verification`](crate::verify::Verification)).
///
/// Pass the address of the TCP peer. Behind a proxy or load balancer that is the proxy;
/// the client's address is then in `X-Forwarded-For` or `Forwarded`, which anyone can
/// write: trust only the entry your own proxy appended, never the whole header.
///
/// ```
/// use std::net::IpAddr;
/// use portone::webhook::is_portone_webhook_ip;
///
/// assert!(is_portone_webhook_ip("52.78.100.19".parse::<IpAddr>()?));
/// assert!(is_portone_webhook_ip("::ffff:52.78.5.241".parse::<IpAddr>()?));
/// assert!(!is_portone_webhook_ip("127.0.0.1".parse::<IpAddr>()?));
/// # Ok::<(), std::net::AddrParseError>(())
/// ```
#[must_use]
pub fn is_portone_webhook_ip(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => PORTONE_WEBHOOK_IPS.contains(&v4),
        IpAddr::V6(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use super::*;

    #[test]
    fn only_portones_three_addresses_are_portones() {
        for ip in PORTONE_WEBHOOK_IPS {
            assert!(is_portone_webhook_ip(IpAddr::V4(ip)));
            assert!(is_portone_webhook_ip(IpAddr::V6(ip.to_ipv6_mapped())));
            // The compatible (not mapped) form is another address.
            assert!(!is_portone_webhook_ip(IpAddr::V6(ip.to_ipv6_compatible())));
        }
        for other in [
            Ipv4Addr::new(52, 78, 100, 20),
            Ipv4Addr::new(52, 78, 5, 240),
            Ipv4Addr::LOCALHOST,
            Ipv4Addr::UNSPECIFIED,
        ] {
            assert!(!is_portone_webhook_ip(IpAddr::V4(other)), "{other}");
        }
        assert!(!is_portone_webhook_ip(IpAddr::V6(Ipv6Addr::LOCALHOST)));
    }
}
