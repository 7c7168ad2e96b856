//! Verifying a payment against the merchant's own order, the check every integration must
//! make before it ships anything.
//!
//! The browser's redirect hands your server an `imp_uid`, and a webhook POSTs one; neither
//! is signed, and the buyer controls the browser. [`Verification`] looks the payment up at
//! PortOne (`GET /payments/{imp_uid}`) and compares what PortOne has with what **your own
//! records** say the order is (an [`Order`]: its `merchant_uid`, amount and currency), and
//! answers with a [`Verdict`]:
//!
//! | Verdict | PortOne has | Do |
//! |---|---|---|
//! | [`Paid`](Verdict::Paid) | `paid`, this order's id, amount and currency, nothing refunded | ship (once) |
//! | [`VbankIssued`](Verdict::VbankIssued) | a virtual account waiting for the deposit | show the account; wait |
//! | [`Cancelled`](Verdict::Cancelled) | refunded fully, or partly (still `paid` at PortOne) | stop or adjust the order |
//! | [`Failed`](Verdict::Failed) | `failed`: nothing was paid | let the buyer try again (judged by the order, see below) |
//! | [`Pending`](Verdict::Pending) | `ready` without a virtual account, or a status this version does not know | nothing yet |
//! | [`Mismatch`](Verdict::Mismatch) | another amount, currency or order, a test-channel payment, or no such payment | never ship: PortOne's guide calls it a forgery |
//! | [`DoublePayment`](Verdict::DoublePayment) | two or more attempts of the order are `paid` ([`verify_order`](Verification::verify_order) only) | ship once, refund the others |
//!
//! # One attempt, or the order
//!
//! An order can have several attempts under its `merchant_uid`: a buyer who tries again
//! after a decline, a charge retried after an unknown outcome. [`verify_payment`] and
//! [`verify_notification`] judge **one attempt** (the `imp_uid` given);
//! [`verify_order`](Verification::verify_order) looks up **every attempt** and judges the
//! order: `Paid` when one attempt is paid, whatever the others say. Use the order's verdict
//! before telling a buyer to try again or cancelling an order: a late `failed` notification
//! for the first attempt of an order that the second attempt paid is `Failed` for that
//! attempt, and `Paid` for the order.
//!
//! [`verify_payment`]: Verification::verify_payment
//! [`verify_notification`]: Verification::verify_notification
//!
//! A verdict describes the payment as PortOne has it **now**, whatever the notification
//! claimed: the same notification gives the same verdict however often it arrives, and a
//! late or replayed one cannot undo what happened since (a late `ready` for a virtual
//! account that was paid since reads [`Paid`](Verdict::Paid)). Still make your own handling
//! idempotent: ship an order once, however many `Paid` verdicts you see.
//!
//! A lookup that fails (a timeout, a `5xx`, refused credentials) is an `Err`, never a
//! verdict: answer the webhook with a `5xx` so that PortOne sends it again, or try later.
//! Only PortOne saying it has no such payment is a verdict
//! ([`Mismatch::UnknownPayment`]).
//!
//! **A webhook that never arrives is normal** (PortOne sends it once by default, and it can
//! be lost): never cancel an order because its webhook is late. Before giving up on an
//! order, verify its `imp_uid` (from the browser's redirect) or find it by `merchant_uid`
//! and decide from what PortOne has.
//!
//! # Test channels
//!
//! The lookup asks with `include_sandbox=true`, so that a payment made on a test channel is
//! found and named for what it is rather than reported as unknown. Such a payment moved no
//! money, and a buyer can pick the test channel in a tampered browser if the account has
//! one, so it is a [`Mismatch::TestPayment`] unless the order says
//! [`accept_test_payments`](Order::accept_test_payments()) (for your own test environment).
//!
//! ```no_run
//! use portone::prelude::*;
//! use portone::verify::{Order, Verdict};
//!
//! # async fn on_redirect(client: &portone::Client, imp_uid: &str) -> portone::Result<()> {
//! let order = Order::new("order-1001", 15_000); // from your database, not the browser
//! match client.verify_payment(imp_uid, &order).await? {
//!     Verdict::Paid { .. } => println!("ship order-1001"),
//!     Verdict::VbankIssued { account, .. } => println!("pay into {account}"),
//!     Verdict::Mismatch(forgery) => eprintln!("do not ship: {forgery}"),
//!     other => println!("not paid: {other}"),
//! }
//! # Ok(()) }
//! ```

use std::future::Future;

use rust_decimal::Decimal;

mod verdict;

pub use verdict::{Mismatch, Verdict, VirtualAccount};

use crate::api::order_attempts;
use crate::model::{Currency, PayMethod, Payment, PaymentStatus};
use crate::webhook::Notification;
use crate::{Execute, Method, Request};

/// What the merchant's own records say an order is: its `merchant_uid`, the amount it
/// costs and its currency (KRW unless set). Build it from your database, never from the
/// browser or the notification.
///
/// ```
/// use portone::verify::Order;
/// use rust_decimal::Decimal;
///
/// let krw = Order::new("order-1", 15_000);
/// let usd = Order::new("order-2", Decimal::new(1999, 2)).currency("USD");
/// assert_eq!(usd.amount.to_string(), "19.99");
/// # let _ = krw;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct Order {
    /// The order id, as sent to PortOne at checkout.
    pub merchant_uid: String,
    /// What the order costs.
    pub amount: Decimal,
    /// The order's currency; KRW unless set with [`currency`](Self::currency()).
    pub currency: Currency,
    /// Whether a payment on a test channel counts; see
    /// [`accept_test_payments`](Self::accept_test_payments()).
    pub accept_test_payments: bool,
}

impl Order {
    /// An order of `amount` in KRW.
    pub fn new(merchant_uid: impl Into<String>, amount: impl Into<Decimal>) -> Self {
        Order {
            merchant_uid: merchant_uid.into(),
            amount: amount.into(),
            currency: Currency::Krw,
            accept_test_payments: false,
        }
    }

    /// The order's currency, when it is not KRW (`"USD"`, `Currency::Usd`).
    pub fn currency(mut self, currency: impl Into<Currency>) -> Self {
        self.currency = currency.into();
        self
    }

    /// Whether a payment on a test channel (`sandbox: true`, no money moved) counts. Off by
    /// default: turn it on only in your own test environment.
    pub fn accept_test_payments(mut self, accept: bool) -> Self {
        self.accept_test_payments = accept;
        self
    }

    /// The verdict on `payment` for this order. The payment must be what PortOne answered
    /// to a lookup, never something built from a notification or the browser: use
    /// [`Verification`], which looks it up.
    pub fn check(&self, payment: Payment) -> Verdict {
        let payment = Box::new(payment);
        if payment.merchant_uid != self.merchant_uid {
            return Verdict::Mismatch(Mismatch::MerchantUid {
                expected: self.merchant_uid.clone(),
                payment,
            });
        }
        if payment.currency != self.currency {
            return Verdict::Mismatch(Mismatch::Currency {
                expected: self.currency.clone(),
                payment,
            });
        }
        // `Decimal` equality is by value: 15000 equals 15000.00.
        if payment.amount != self.amount {
            return Verdict::Mismatch(Mismatch::Amount {
                expected: self.amount,
                payment,
            });
        }
        if payment.sandbox && !self.accept_test_payments {
            return Verdict::Mismatch(Mismatch::TestPayment { payment });
        }
        match payment.status {
            // A partial refund leaves the payment `paid` at PortOne.
            PaymentStatus::Paid if payment.cancel_amount > Decimal::ZERO => Verdict::Cancelled {
                cancelled: payment.cancel_amount,
                full: payment.cancel_amount >= payment.amount,
                payment,
            },
            PaymentStatus::Paid => Verdict::Paid { payment },
            PaymentStatus::Cancelled => Verdict::Cancelled {
                cancelled: payment.cancel_amount,
                full: true,
                payment,
            },
            PaymentStatus::Failed => Verdict::Failed {
                reason: payment.fail_reason.clone(),
                payment,
            },
            PaymentStatus::Ready if is_vbank(&payment) => Verdict::VbankIssued {
                account: VirtualAccount::of(&payment),
                payment,
            },
            _ => Verdict::Pending { payment },
        }
    }
}

impl Order {
    /// The verdict on the order from **every** attempt PortOne has for its `merchant_uid`
    /// (the attempts must be what PortOne answered, as
    /// [`verify_order`](Verification::verify_order) looks them up).
    ///
    /// [`Verdict::Paid`] when one attempt is paid with the order's amount and currency,
    /// whatever the others say (an earlier failed try, a late notification for it);
    /// [`Verdict::DoublePayment`] when two or more hold the buyer's money; otherwise the
    /// verdict of the attempt that matters most: one paid with another amount or currency
    /// (a [`Mismatch`]), then a refund, a virtual account waiting, a pending one, another
    /// mismatch, and a failure last (the latest of each); [`Mismatch::UnknownOrder`] when
    /// there is none.
    pub fn check_attempts(&self, attempts: Vec<Payment>) -> Verdict {
        let holds_money = |p: &Payment| {
            p.status == PaymentStatus::Paid && (!p.sandbox || self.accept_test_payments)
        };
        let mut held: Vec<Payment> = attempts
            .iter()
            .filter(|p| holds_money(p))
            .cloned()
            .collect();
        if held.len() > 1 {
            held.sort_by_key(|p| p.paid_at.or(p.started_at).map(|t| t.as_secs()));
            return Verdict::DoublePayment { payments: held };
        }
        attempts
            .into_iter()
            .map(|payment| {
                let started = payment.started_at.map(|t| t.as_secs());
                let paid = payment.status == PaymentStatus::Paid;
                let verdict = self.check(payment);
                let rank = match &verdict {
                    Verdict::Paid { .. } => 0,
                    Verdict::Mismatch(_) if paid => 1,
                    Verdict::Cancelled { .. } => 2,
                    Verdict::VbankIssued { .. } => 3,
                    Verdict::Pending { .. } => 4,
                    Verdict::Mismatch(_) | Verdict::DoublePayment { .. } => 5,
                    Verdict::Failed { .. } => 6,
                };
                // The lowest rank wins; within a rank, the latest attempt.
                (rank, std::cmp::Reverse(started), verdict)
            })
            .min_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))
            .map_or_else(
                || {
                    Verdict::Mismatch(Mismatch::UnknownOrder {
                        merchant_uid: self.merchant_uid.clone(),
                    })
                },
                |(_, _, verdict)| verdict,
            )
    }
}

fn is_vbank(payment: &Payment) -> bool {
    payment.pay_method == Some(PayMethod::Vbank) || payment.vbank_num.is_some()
}

/// The route of the lookup, as the ready-made `Payments::payment` declares it.
const LOOKUP_ROUTE: &str = "/payments/<imp_uid>";

/// Looks payments up and judges them against orders. Implemented for [`Client`](crate::Client),
/// its tier views and every [`Execute`] type; in the [prelude](crate::prelude).
///
/// See the [module documentation](self).
pub trait Verification: Execute {
    /// Looks `imp_uid` up (`GET /payments/{imp_uid}?include_sandbox=true`) and judges the
    /// payment against `order`. Use it for the `imp_uid` the browser hands back after a
    /// checkout, and before cancelling an order whose webhook never came.
    ///
    /// # Errors
    ///
    /// When the lookup fails: a transport error or timeout, a `5xx`, refused credentials, an
    /// answer that does not decode. PortOne answering that it has no such payment is not
    /// an error but [`Mismatch::UnknownPayment`].
    fn verify_payment(
        &self,
        imp_uid: &str,
        order: &Order,
    ) -> impl Future<Output = crate::Result<Verdict>> + Send + 'static + use<Self> {
        let order = order.clone();
        let imp_uid = imp_uid.to_owned();
        // An id that cannot be one path segment ("", ".", "..") names no payment.
        let lookup = Request::builder(Method::GET, LOOKUP_ROUTE)
            .path("/payments")
            .segment(&imp_uid)
            .query("include_sandbox", &true)
            .build()
            .ok()
            .map(|request| self.call::<Payment>(request));
        async move {
            let unknown = |imp_uid| Ok(Verdict::Mismatch(Mismatch::UnknownPayment { imp_uid }));
            let Some(lookup) = lookup else {
                return unknown(imp_uid);
            };
            match lookup.await {
                Ok(payment) => Ok(order.check(payment)),
                Err(e) if e.is_not_found() => unknown(imp_uid),
                Err(e) => Err(e),
            }
        }
    }

    /// [`verify_payment`](Self::verify_payment) for the notification's `imp_uid`. Nothing
    /// else of the notification is used: its `status` and `merchant_uid` are claims. Look
    /// your order up by the notification's `merchant_uid` if you like; a notification that
    /// names the wrong order is then a [`Mismatch::MerchantUid`].
    ///
    /// # Errors
    ///
    /// As [`verify_payment`](Self::verify_payment).
    fn verify_notification(
        &self,
        notification: &Notification,
        order: &Order,
    ) -> impl Future<Output = crate::Result<Verdict>> + Send + 'static + use<Self> {
        self.verify_payment(&notification.imp_uid, order)
    }

    /// Looks up every attempt of the order (`GET /payments/findAll/{merchant_uid}`, all
    /// pages) and judges the order, not one attempt ([`Order::check_attempts`]): `Paid` when
    /// one attempt is paid with the order's amount and currency, whatever the others say,
    /// and [`Verdict::DoublePayment`] when two hold the buyer's money.
    ///
    /// Use it where an order can have several attempts (a buyer who retries after a
    /// decline, charges retried under the same `merchant_uid`), and for webhooks of such
    /// orders: a late `failed` notification for the first attempt of an order the second
    /// attempt paid then reads `Paid`, where
    /// [`verify_notification`](Self::verify_notification) would read the failed attempt.
    ///
    /// # Errors
    ///
    /// As [`verify_payment`](Self::verify_payment). PortOne having no payment for the order
    /// is not an error but [`Mismatch::UnknownOrder`].
    fn verify_order(
        &self,
        order: &Order,
    ) -> impl Future<Output = crate::Result<Verdict>> + Send + 'static + use<Self>
    where
        Self: Clone + 'static,
    {
        let client = self.clone();
        let order = order.clone();
        async move {
            let attempts = order_attempts(&client, &order.merchant_uid).await?;
            Ok(order.check_attempts(attempts))
        }
    }
}

impl<E: Execute + ?Sized> Verification for E {}

#[cfg(test)]
mod tests;
