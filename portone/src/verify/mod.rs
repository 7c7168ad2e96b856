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
//! | [`Failed`](Verdict::Failed) | `failed`: nothing was paid | let the buyer try again |
//! | [`Pending`](Verdict::Pending) | `ready` without a virtual account, or a status this version does not know | nothing yet |
//! | [`Mismatch`](Verdict::Mismatch) | another amount, currency or order, a test-channel payment, or no such payment | never ship: PortOne's guide calls it a forgery |
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

use std::fmt;
use std::future::Future;

use rust_decimal::Decimal;

use crate::model::{Currency, PayMethod, Payment, PaymentStatus, UnixTime};
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

fn is_vbank(payment: &Payment) -> bool {
    payment.pay_method == Some(PayMethod::Vbank) || payment.vbank_num.is_some()
}

/// What PortOne's record of a payment means for an order. See the
/// [module documentation](self) for what to do with each.
///
/// `Display` gives a one-line summary without the buyer's details.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Verdict {
    /// Paid with the order's amount and currency, and nothing refunded: ship it, once.
    Paid {
        /// The payment as PortOne has it.
        payment: Box<Payment>,
    },
    /// A virtual account was issued for the order's amount and waits for the buyer's
    /// deposit: nothing is paid yet. Do not ship, and do not cancel the order before the
    /// account's due time.
    VbankIssued {
        /// Where the buyer pays.
        account: VirtualAccount,
        /// The payment as PortOne has it.
        payment: Box<Payment>,
    },
    /// Refunded, fully (PortOne says `cancelled`) or partly (PortOne still says `paid`).
    Cancelled {
        /// How much was refunded in all (`cancel_amount`); zero for a virtual account
        /// revoked before any deposit.
        cancelled: Decimal,
        /// Whether nothing is left of the payment.
        full: bool,
        /// The payment as PortOne has it.
        payment: Box<Payment>,
    },
    /// The payment failed: nothing was paid.
    Failed {
        /// Why, in PortOne's or the card company's words.
        reason: Option<String>,
        /// The payment as PortOne has it.
        payment: Box<Payment>,
    },
    /// Not paid, not failed: the buyer has not finished (`ready` without a virtual
    /// account), or PortOne answered a status this version does not know. Nothing to do
    /// yet.
    Pending {
        /// The payment as PortOne has it.
        payment: Box<Payment>,
    },
    /// PortOne's record does not fit the order, or PortOne has no such payment: never
    /// ship. PortOne's guide calls this a forgery.
    Mismatch(Mismatch),
}

impl Verdict {
    /// The payment PortOne answered with; `None` when it has no such payment.
    #[must_use]
    pub fn payment(&self) -> Option<&Payment> {
        match self {
            Verdict::Paid { payment }
            | Verdict::VbankIssued { payment, .. }
            | Verdict::Cancelled { payment, .. }
            | Verdict::Failed { payment, .. }
            | Verdict::Pending { payment } => Some(payment),
            Verdict::Mismatch(m) => m.payment(),
        }
    }

    /// Whether the order is paid in full and can be shipped: [`Verdict::Paid`].
    #[must_use]
    pub fn is_paid(&self) -> bool {
        matches!(self, Verdict::Paid { .. })
    }

    /// Whether this is a [`Verdict::Mismatch`]: a forgery by PortOne's definition.
    #[must_use]
    pub fn is_mismatch(&self) -> bool {
        matches!(self, Verdict::Mismatch(_))
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Paid { payment } => {
                write!(f, "paid {} {}", payment.amount, payment.currency)
            }
            Verdict::VbankIssued { account, payment } => write!(
                f,
                "virtual account issued for {} {}: {account}",
                payment.amount, payment.currency
            ),
            Verdict::Cancelled {
                cancelled,
                full,
                payment,
            } => write!(
                f,
                "{} cancelled: {cancelled} of {} {} refunded",
                if *full { "fully" } else { "partly" },
                payment.amount,
                payment.currency
            ),
            Verdict::Failed { reason, .. } => {
                write!(
                    f,
                    "failed: {}",
                    reason.as_deref().unwrap_or("no reason given")
                )
            }
            Verdict::Pending { payment } => write!(f, "not paid yet ({})", payment.status),
            Verdict::Mismatch(m) => write!(f, "mismatch: {m}"),
        }
    }
}

/// How PortOne's record contradicts the order. Every case means: do not ship.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Mismatch {
    /// PortOne has no payment with this `imp_uid` (HTTP 404): a made-up id.
    UnknownPayment {
        /// The id that was looked up.
        imp_uid: String,
    },
    /// The payment belongs to another order: a real, cheaper payment presented for this
    /// one.
    MerchantUid {
        /// This order's id.
        expected: String,
        /// The payment, whose `merchant_uid` is another.
        payment: Box<Payment>,
    },
    /// The payment is in another currency.
    Currency {
        /// This order's currency.
        expected: Currency,
        /// The payment.
        payment: Box<Payment>,
    },
    /// The payment's amount is not the order's: an amount changed in the browser.
    Amount {
        /// What the order costs.
        expected: Decimal,
        /// The payment, with the amount PortOne has.
        payment: Box<Payment>,
    },
    /// A payment on a test channel (`sandbox: true`): no money moved. See
    /// [`Order::accept_test_payments`].
    TestPayment {
        /// The payment.
        payment: Box<Payment>,
    },
}

impl Mismatch {
    /// The payment PortOne answered with; `None` for [`Mismatch::UnknownPayment`].
    #[must_use]
    pub fn payment(&self) -> Option<&Payment> {
        match self {
            Mismatch::UnknownPayment { .. } => None,
            Mismatch::MerchantUid { payment, .. }
            | Mismatch::Currency { payment, .. }
            | Mismatch::Amount { payment, .. }
            | Mismatch::TestPayment { payment } => Some(payment),
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::UnknownPayment { imp_uid } => {
                write!(f, "portone has no payment `{imp_uid}`")
            }
            Mismatch::MerchantUid { expected, payment } => write!(
                f,
                "payment `{}` belongs to order `{}`, not `{expected}`",
                payment.imp_uid, payment.merchant_uid
            ),
            Mismatch::Currency { expected, payment } => write!(
                f,
                "payment `{}` is in {}, the order in {expected}",
                payment.imp_uid, payment.currency
            ),
            Mismatch::Amount { expected, payment } => write!(
                f,
                "payment `{}` is {} {}, the order costs {expected}",
                payment.imp_uid, payment.amount, payment.currency
            ),
            Mismatch::TestPayment { payment } => write!(
                f,
                "payment `{}` was made on a test channel: no money moved",
                payment.imp_uid
            ),
        }
    }
}

/// A virtual account waiting for the buyer's deposit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VirtualAccount {
    /// The bank's standard code (`vbank_code`).
    pub bank_code: Option<String>,
    /// The bank's name (`vbank_name`).
    pub bank_name: Option<String>,
    /// The account number (`vbank_num`).
    pub number: Option<String>,
    /// The account holder's name (`vbank_holder`).
    pub holder: Option<String>,
    /// The deposit deadline (`vbank_date`).
    pub due: Option<UnixTime>,
}

impl VirtualAccount {
    fn of(payment: &Payment) -> Self {
        VirtualAccount {
            bank_code: payment.vbank_code.clone(),
            bank_name: payment.vbank_name.clone(),
            number: payment.vbank_num.clone(),
            holder: payment.vbank_holder.clone(),
            due: payment.vbank_date,
        }
    }
}

impl fmt::Display for VirtualAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let or_unknown = |v: &Option<String>| v.clone().unwrap_or_else(|| "?".into());
        write!(
            f,
            "{} {} ({})",
            or_unknown(&self.bank_name),
            or_unknown(&self.number),
            or_unknown(&self.holder)
        )?;
        match self.due {
            Some(due) => write!(f, ", due at unix time {}", due.as_secs()),
            None => Ok(()),
        }
    }
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
}

impl<E: Execute + ?Sized> Verification for E {}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use serde_json::{Value, json};

    use super::{Mismatch, Order, Verdict};
    use crate::model::{Currency, Payment};

    fn payment(changes: Value) -> Payment {
        let mut body = json!({
            "imp_uid": "imp_100000000001",
            "merchant_uid": "order-1",
            "pay_method": "card",
            "amount": 15000,
            "cancel_amount": 0,
            "currency": "KRW",
            "status": "paid",
            "sandbox": false,
        });
        if let (Value::Object(body), Value::Object(changes)) = (&mut body, changes) {
            body.extend(changes);
        }
        serde_json::from_value(body).unwrap_or_else(|e| panic!("{e}"))
    }

    fn check(order: &Order, changes: Value) -> Verdict {
        order.check(payment(changes))
    }

    #[test]
    fn paid_with_the_orders_amount_is_paid() {
        let order = Order::new("order-1", 15_000);
        let verdict = check(&order, json!({}));
        assert!(verdict.is_paid(), "{verdict:?}");
        assert_eq!(verdict.to_string(), "paid 15000 KRW");
        // The amount is compared by value, as PortOne writes it.
        assert!(check(&order, json!({"amount": 15000.00})).is_paid());
        assert!(check(&order, json!({"amount": "15000"})).is_paid());
        let usd = Order::new("order-1", Decimal::new(1999, 2)).currency("USD");
        assert!(check(&usd, json!({"amount": 19.99, "currency": "USD"})).is_paid());
    }

    #[test]
    fn any_difference_from_the_order_is_a_mismatch() {
        let order = Order::new("order-1", 15_000);
        let amount = check(&order, json!({"amount": 100}));
        assert!(
            matches!(&amount, Verdict::Mismatch(Mismatch::Amount { expected, payment })
                if *expected == Decimal::from(15_000) && payment.amount == Decimal::from(100)),
            "{amount:?}"
        );
        assert_eq!(
            amount.to_string(),
            "mismatch: payment `imp_100000000001` is 100 KRW, the order costs 15000"
        );
        // One won more is as wrong as one less; a fraction of a won too.
        assert!(check(&order, json!({"amount": 15001})).is_mismatch());
        assert!(check(&order, json!({"amount": 15000.01})).is_mismatch());
        let other = check(&order, json!({"merchant_uid": "order-cheap"}));
        assert!(matches!(
            other,
            Verdict::Mismatch(Mismatch::MerchantUid { .. })
        ));
        let currency = check(&order, json!({"currency": "USD"}));
        assert!(matches!(
            currency,
            Verdict::Mismatch(Mismatch::Currency {
                expected: Currency::Krw,
                ..
            })
        ));
        // A missing currency is KRW, as PortOne means it.
        assert!(check(&order, json!({"currency": null})).is_paid());
        // A mismatch wins over every status: a failed or cancelled payment of another
        // amount is still not this order's.
        assert!(check(&order, json!({"amount": 100, "status": "failed"})).is_mismatch());
        assert!(check(&order, json!({"amount": 100, "status": "cancelled"})).is_mismatch());
    }

    #[test]
    fn a_test_channel_payment_counts_only_when_the_order_allows_it() {
        let order = Order::new("order-1", 15_000);
        let verdict = check(&order, json!({"sandbox": true}));
        assert!(matches!(
            verdict,
            Verdict::Mismatch(Mismatch::TestPayment { .. })
        ));
        assert!(verdict.payment().is_some());
        let test_env = order.accept_test_payments(true);
        assert!(check(&test_env, json!({"sandbox": true})).is_paid());
    }

    #[test]
    fn each_status_has_its_verdict() {
        let order = Order::new("order-1", 15_000);
        let partial = check(&order, json!({"cancel_amount": 5000}));
        assert!(matches!(
            partial,
            Verdict::Cancelled { cancelled, full: false, .. } if cancelled == Decimal::from(5_000)
        ));
        assert_eq!(
            partial.to_string(),
            "partly cancelled: 5000 of 15000 KRW refunded"
        );
        let full = check(
            &order,
            json!({"cancel_amount": 15000, "status": "cancelled"}),
        );
        assert!(matches!(full, Verdict::Cancelled { full: true, .. }));
        let failed = check(
            &order,
            json!({"status": "failed", "fail_reason": "한도초과"}),
        );
        assert_eq!(failed.to_string(), "failed: 한도초과");
        let vbank = check(
            &order,
            json!({"status": "ready", "pay_method": "vbank", "vbank_code": "004",
                   "vbank_name": "KB국민은행", "vbank_num": "X123", "vbank_holder": "(주)포트원",
                   "vbank_date": 1_800_000_000}),
        );
        let Verdict::VbankIssued { account, .. } = &vbank else {
            panic!("{vbank:?}");
        };
        assert_eq!(account.number.as_deref(), Some("X123"));
        assert_eq!(account.due.map(|d| d.as_secs()), Some(1_800_000_000));
        assert_eq!(
            vbank.to_string(),
            "virtual account issued for 15000 KRW: KB국민은행 X123 ((주)포트원), due at unix time 1800000000"
        );
        let ready = check(&order, json!({"status": "ready"}));
        assert!(matches!(ready, Verdict::Pending { .. }));
        let unknown = check(&order, json!({"status": "partial_cancelled"}));
        assert_eq!(unknown.to_string(), "not paid yet (partial_cancelled)");
        // An absent status is not `paid`.
        assert!(matches!(
            check(&order, json!({"status": null})),
            Verdict::Pending { .. }
        ));
    }
}
