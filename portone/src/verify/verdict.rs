//! The verdicts: what PortOne's record of a payment means for an order.

use std::fmt;

use rust_decimal::Decimal;

use crate::model::{Currency, Payment, UnixTime};

/// What PortOne's record of a payment means for an order. See the
/// [module documentation](super) for what to do with each.
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
    /// The order was paid more than once: two or more of its attempts hold the buyer's
    /// money (`paid` at PortOne, on a real channel). Ship once, and refund the others. Only
    /// [`verify_order`](super::Verification::verify_order) sees every attempt and can say
    /// this.
    DoublePayment {
        /// The paid attempts, the earliest first.
        payments: Vec<Payment>,
    },
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
            Verdict::DoublePayment { payments } => payments.first(),
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
            Verdict::DoublePayment { payments } => {
                write!(f, "paid {} times:", payments.len())?;
                for payment in payments {
                    write!(
                        f,
                        " `{}` ({} {})",
                        payment.imp_uid, payment.amount, payment.currency
                    )?;
                }
                Ok(())
            }
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
    /// PortOne has no payment at all for the order's `merchant_uid`: nobody paid it, and a
    /// notification that names it was made up.
    UnknownOrder {
        /// The order's id.
        merchant_uid: String,
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
    /// [`Order::accept_test_payments`](super::Order::accept_test_payments).
    TestPayment {
        /// The payment.
        payment: Box<Payment>,
    },
}

impl Mismatch {
    /// The payment PortOne answered with; `None` for [`Mismatch::UnknownPayment`] and
    /// [`Mismatch::UnknownOrder`].
    #[must_use]
    pub fn payment(&self) -> Option<&Payment> {
        match self {
            Mismatch::UnknownPayment { .. } | Mismatch::UnknownOrder { .. } => None,
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
            Mismatch::UnknownOrder { merchant_uid } => {
                write!(f, "portone has no payment for order `{merchant_uid}`")
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
    pub(super) fn of(payment: &Payment) -> Self {
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
