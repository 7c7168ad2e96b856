//! Turning an unknown outcome into a known one, in one call.
//!
//! When a charge or a refund fails with [`is_outcome_unknown`](crate::Error::is_outcome_unknown)
//! (a timeout, a lost connection, a `5xx`, a charge answered `ready`), PortOne may have acted.
//! Sending the call again could charge or refund twice, and giving up could lose a payment
//! that happened. [`Resolution`] looks PortOne up, with backoff, until the payment is final
//! or a deadline passes:
//!
//! | After | Call | Answers |
//! |---|---|---|
//! | a charge (`pay_again`, `pay_onetime`, `retry_schedule`, ...) | [`resolve_charge`](Resolution::resolve_charge)`(merchant_uid, ..)` | [`ChargeOutcome`]: paid, declined, cancelled, not received, still pending |
//! | a refund (`cancel_payment`) | [`resolve_refund`](Resolution::resolve_refund)`(&request, ..)` | [`RefundOutcome`]: refunded, not received, diverged |
//!
//! "Not received" means PortOne has no trace of the call at the deadline. For a charge,
//! sending it again **under the same `merchant_uid`** is then safe: PortOne refuses a second
//! payment of a paid `merchant_uid`, so a charge that lands late cannot be paid twice. Never
//! charge again under a new order id after an unknown outcome. For a refund, sending the same
//! request again is safe when it carries its `checksum`: PortOne refuses a cancel whose
//! checksum no longer matches the refundable balance.
//!
//! ```no_run
//! use portone::model::AgainPayment;
//! use portone::prelude::*;
//! use portone::resolve::{ChargeOutcome, Resolve};
//!
//! # async fn run(client: portone::Client) -> portone::Result<()> {
//! let request = AgainPayment::new("customer-1", "order-1", 9_900, "Monthly plan");
//! match client.pay_again(&request).await {
//!     Ok(payment) => println!("paid {}", payment.imp_uid),
//!     Err(e) if e.is_outcome_unknown() => {
//!         match client.resolve_charge("order-1", &Resolve::new()).await? {
//!             ChargeOutcome::Paid { payment } => println!("paid {}", payment.imp_uid),
//!             ChargeOutcome::NotReceived => println!("safe to send again as order-1"),
//!             other => println!("not paid: {other}"),
//!         }
//!     }
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! The waits between lookups go through [`Resolve::pause_with`], so a test can move a mock
//! clock instead of sleeping; the deadline counts that waiting, not the lookups themselves
//! (each lookup is bounded by the client's timeout).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use rust_decimal::Decimal;

use crate::api::{Payments, PaymentsExt, order_attempts};
use crate::model::{CancelPayment, Payment, PaymentLookup, PaymentStatus};
use crate::{Error, Execute, RequestError, Result};

/// The future a custom pause returns.
type PauseFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// How long and how often to look PortOne up: [`deadline`](Self::deadline) (30 s of waiting
/// by default), the first wait (1 s) doubling up to [`max_delay`](Self::max_delay) (8 s), and
/// what a wait is ([`pause_with`](Self::pause_with), `tokio::time::sleep` by default).
#[derive(Clone)]
#[must_use]
pub struct Resolve {
    deadline: Duration,
    first_delay: Duration,
    max_delay: Duration,
    pause: Option<Arc<dyn Fn(Duration) -> PauseFuture + Send + Sync>>,
    known_attempts: Vec<String>,
}

impl Resolve {
    /// The defaults: 30 s of waiting in all, waits of 1 s doubling up to 8 s.
    pub fn new() -> Self {
        Self {
            deadline: Duration::from_secs(30),
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(8),
            pause: None,
            known_attempts: Vec::new(),
        }
    }

    /// How long to wait in all, between lookups, before answering with what PortOne has
    /// (still pending, or not received). Zero looks once.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The first wait; each next one doubles, up to [`max_delay`](Self::max_delay).
    pub fn first_delay(mut self, delay: Duration) -> Self {
        self.first_delay = delay;
        self
    }

    /// The longest wait between two lookups.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// What a wait is, in place of `tokio::time::sleep`: for a test, moving a mock's clock
    /// (so that nothing waits on the wall clock), or for a runtime of your own.
    pub fn pause_with<F, Fut>(mut self, pause: F) -> Self
    where
        F: Fn(Duration) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.pause = Some(Arc::new(move |delay| Box::pin(pause(delay))));
        self
    }

    /// Attempts of the order the caller already knows the end of (an earlier declined
    /// charge under the same `merchant_uid`): [`resolve_charge`](Resolution::resolve_charge)
    /// judges only the others, so an old decline is not taken for the lost charge's.
    pub fn after_attempts<I>(mut self, imp_uids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.known_attempts
            .extend(imp_uids.into_iter().map(Into::into));
        self
    }

    /// The waits, in order, within the deadline.
    fn delays(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        let (first, max) = (self.first_delay, self.max_delay.max(self.first_delay));
        let mut left = self.deadline;
        let mut next = first;
        std::iter::from_fn(move || {
            if left.is_zero() {
                return None;
            }
            let delay = next.min(left).max(Duration::from_millis(1)).min(left);
            left -= delay;
            next = next.saturating_mul(2).min(max);
            Some(delay)
        })
    }

    fn pause(&self, delay: Duration) -> PauseFuture {
        match &self.pause {
            Some(pause) => pause(delay),
            None => Box::pin(tokio::time::sleep(delay)),
        }
    }
}

impl Default for Resolve {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Resolve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolve")
            .field("deadline", &self.deadline)
            .field("first_delay", &self.first_delay)
            .field("max_delay", &self.max_delay)
            .field("custom_pause", &self.pause.is_some())
            .field("known_attempts", &self.known_attempts)
            .finish()
    }
}

/// What became of a charge whose outcome was unknown.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ChargeOutcome {
    /// An attempt of the order is paid: the order is paid (once; see
    /// [`verify_order`](crate::verify::Verification::verify_order) to catch a double payment).
    Paid {
        /// The paid attempt.
        payment: Box<Payment>,
    },
    /// The card company refused it: nothing was paid.
    Declined {
        /// Why, in the card company's words.
        reason: Option<String>,
        /// The failed attempt.
        payment: Box<Payment>,
    },
    /// The attempt was paid and is refunded since: nothing is held.
    Cancelled {
        /// The cancelled attempt.
        payment: Box<Payment>,
    },
    /// PortOne has no payment for the `merchant_uid` at the deadline: the charge never
    /// arrived. Sending it again under the same `merchant_uid` is safe (PortOne refuses a
    /// second payment of a paid `merchant_uid`); under a new one it is not.
    NotReceived,
    /// Still `ready` (the PG has not decided) at the deadline: look again later.
    Pending {
        /// The pending attempt.
        payment: Box<Payment>,
    },
}

impl ChargeOutcome {
    /// The payment the outcome is about; `None` when PortOne has none.
    #[must_use]
    pub fn payment(&self) -> Option<&Payment> {
        match self {
            ChargeOutcome::Paid { payment }
            | ChargeOutcome::Declined { payment, .. }
            | ChargeOutcome::Cancelled { payment }
            | ChargeOutcome::Pending { payment } => Some(payment),
            ChargeOutcome::NotReceived => None,
        }
    }

    /// Whether the order is paid.
    #[must_use]
    pub fn is_paid(&self) -> bool {
        matches!(self, ChargeOutcome::Paid { .. })
    }
}

impl fmt::Display for ChargeOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChargeOutcome::Paid { payment } => write!(f, "paid as `{}`", payment.imp_uid),
            ChargeOutcome::Declined { reason, .. } => write!(
                f,
                "declined: {}",
                reason.as_deref().unwrap_or("no reason given")
            ),
            ChargeOutcome::Cancelled { payment } => {
                write!(f, "paid as `{}` and cancelled since", payment.imp_uid)
            }
            ChargeOutcome::NotReceived => f.write_str("portone never received it"),
            ChargeOutcome::Pending { payment } => {
                write!(f, "still pending as `{}`", payment.imp_uid)
            }
        }
    }
}

/// What became of a refund whose outcome was unknown, judged by the payment's refundable
/// balance against the refund's `checksum` (the balance before it).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RefundOutcome {
    /// The balance is what the refund leaves: it happened.
    Refunded {
        /// The payment after the refund.
        payment: Box<Payment>,
    },
    /// The balance is still the checksum at the deadline: the refund never arrived, and the
    /// same request (with its checksum) is safe to send again.
    NotReceived {
        /// The payment, not refunded.
        payment: Box<Payment>,
    },
    /// The balance is neither: something else refunded part of the payment. Decide by hand.
    Diverged {
        /// The refundable balance PortOne has.
        refundable: Decimal,
        /// The payment.
        payment: Box<Payment>,
    },
}

impl RefundOutcome {
    /// The payment as PortOne has it.
    #[must_use]
    pub fn payment(&self) -> &Payment {
        match self {
            RefundOutcome::Refunded { payment }
            | RefundOutcome::NotReceived { payment }
            | RefundOutcome::Diverged { payment, .. } => payment,
        }
    }
}

impl fmt::Display for RefundOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefundOutcome::Refunded { payment } => write!(
                f,
                "refunded: {} of {} left",
                payment.cancellable_amount(),
                payment.amount
            ),
            RefundOutcome::NotReceived { .. } => f.write_str("portone never received it"),
            RefundOutcome::Diverged { refundable, .. } => write!(
                f,
                "the refundable balance is {refundable}, which this refund does not explain"
            ),
        }
    }
}

/// Why a refund cannot be resolved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
enum ResolveError {
    #[error(
        "a refund is resolved against its `checksum` (the refundable balance before it): set one"
    )]
    NoChecksum,
}

/// Resolves unknown outcomes. Implemented for [`Client`](crate::Client), its tier views and
/// every cloneable [`Execute`] type; in the [prelude](crate::prelude). See the
/// [module documentation](self).
pub trait Resolution: Execute + Clone + 'static {
    /// Looks up every attempt of the order `merchant_uid`
    /// (`GET /payments/findAll/{merchant_uid}`) until one is final or `options`' deadline
    /// passes. A paid attempt wins over the others; otherwise the latest attempt decides.
    ///
    /// # Errors
    ///
    /// When no lookup succeeded by the deadline (the last lookup's error), or at once when a
    /// lookup is refused for a reason waiting cannot change (credentials, a bad request).
    fn resolve_charge(
        &self,
        merchant_uid: &str,
        options: &Resolve,
    ) -> impl Future<Output = Result<ChargeOutcome>> + Send + 'static + use<Self> {
        let client = self.clone();
        let merchant_uid = merchant_uid.to_owned();
        let options = options.clone();
        async move {
            let look = || async {
                let attempts = order_attempts(&client, &merchant_uid).await?;
                Ok(judge_charge(attempts, &options.known_attempts))
            };
            poll(&options, look).await
        }
    }

    /// Looks up the payment `request` refunds (by its `imp_uid`, else the latest attempt of
    /// its `merchant_uid` that was paid, as a cancel by order id refunds it) until its
    /// refundable balance shows the refund or `options`' deadline passes. The
    /// request must carry its [`checksum`](CancelPayment::checksum): the balance before the
    /// refund, from your own records.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the request has no checksum (nothing was sent); when no
    /// lookup succeeded by the deadline; at once when a lookup is refused for a reason
    /// waiting cannot change.
    fn resolve_refund(
        &self,
        request: &CancelPayment,
        options: &Resolve,
    ) -> impl Future<Output = Result<RefundOutcome>> + Send + 'static + use<Self> {
        let client = self.clone();
        let target = request.target();
        let options = options.clone();
        async move {
            let (imp_uid, merchant_uid, amount, checksum) = target;
            let Some(before) = checksum else {
                return Err(Error::InvalidRequest(RequestError::Argument(Box::new(
                    ResolveError::NoChecksum,
                ))));
            };
            // A full refund (no amount) leaves nothing.
            let after = amount.map_or(Decimal::ZERO, |amount| before - amount);
            let look = || async {
                let payment = match (&imp_uid, &merchant_uid) {
                    (Some(imp_uid), _) => {
                        let lookup = PaymentLookup::new().include_sandbox(true);
                        client.payment_with(imp_uid, &lookup).await?
                    }
                    (None, Some(merchant_uid)) => refunded_attempt(&client, merchant_uid).await?,
                    (None, None) => {
                        return Err(Error::InvalidRequest(RequestError::Argument(
                            "the refund names no payment".into(),
                        )));
                    }
                };
                let refundable = payment.cancellable_amount();
                let payment = Box::new(payment);
                Ok(if refundable == after {
                    Judged::Final(RefundOutcome::Refunded { payment })
                } else if refundable == before {
                    Judged::Waiting(RefundOutcome::NotReceived { payment })
                } else {
                    Judged::Final(RefundOutcome::Diverged {
                        refundable,
                        payment,
                    })
                })
            };
            poll(&options, look).await
        }
    }
}

impl<E: Execute + Clone + 'static> Resolution for E {}

/// What one lookup says.
enum Judged<T> {
    /// The outcome is known.
    Final(T),
    /// Not yet: what to answer if the deadline passes now.
    Waiting(T),
}

/// Looks up, then waits and looks again while the outcome is not final, within the
/// deadline; at the deadline, answers with what the last successful lookup said. A failed
/// lookup counts as "no news" unless waiting cannot change it.
async fn poll<T, L, Fut>(options: &Resolve, mut look: L) -> Result<T>
where
    L: FnMut() -> Fut,
    Fut: Future<Output = Result<Judged<T>>>,
{
    let mut last = match look().await {
        Ok(Judged::Final(outcome)) => return Ok(outcome),
        Ok(Judged::Waiting(outcome)) => Ok(outcome),
        Err(e) if is_lasting(&e) => return Err(e),
        Err(e) => Err(e),
    };
    for delay in options.delays() {
        options.pause(delay).await;
        match look().await {
            Ok(Judged::Final(outcome)) => return Ok(outcome),
            Ok(Judged::Waiting(outcome)) => last = Ok(outcome),
            Err(e) if is_lasting(&e) => return Err(e),
            // A lookup that failed in passing keeps what an earlier one said.
            Err(e) if last.is_err() => last = Err(e),
            Err(_) => {}
        }
    }
    last
}

/// Whether a failed lookup would fail the same way again: refused credentials, a request
/// PortOne refuses as malformed, a request that could not be built.
fn is_lasting(error: &Error) -> bool {
    match error {
        Error::Config(_) | Error::InvalidRequest(_) => true,
        Error::Auth(inner) => inner.is_unauthorized(),
        Error::Api(e) => e.status.is_client_error() && !e.kind().is_not_found(),
        _ => false,
    }
}

/// The outcome of a charge from every attempt of its order: a paid attempt wins; else a
/// `ready` one is waited on; else the latest attempt the caller did not already know of
/// decides; none at all is "not received", also waited on.
fn judge_charge(attempts: Vec<Payment>, known: &[String]) -> Judged<ChargeOutcome> {
    let mut attempts: Vec<Payment> = attempts
        .into_iter()
        .filter(|p| !known.contains(&p.imp_uid))
        .collect();
    if let Some(paid) = take_latest(&mut attempts, |p| p.status == PaymentStatus::Paid) {
        return Judged::Final(ChargeOutcome::Paid { payment: paid });
    }
    if let Some(ready) = take_latest(&mut attempts, |p| p.status == PaymentStatus::Ready) {
        return Judged::Waiting(ChargeOutcome::Pending { payment: ready });
    }
    match take_latest(&mut attempts, |_| true) {
        None => Judged::Waiting(ChargeOutcome::NotReceived),
        Some(payment) => Judged::Final(match payment.status {
            PaymentStatus::Failed => ChargeOutcome::Declined {
                reason: payment.fail_reason.clone(),
                payment,
            },
            PaymentStatus::Cancelled => ChargeOutcome::Cancelled { payment },
            // A status this version does not know is not final.
            _ => return Judged::Waiting(ChargeOutcome::Pending { payment }),
        }),
    }
}

/// The attempt of the order `merchant_uid` that a cancel by order id refunds: the latest
/// that was paid (a full refund leaves it cancelled), not a later failed checkout of the same
/// order, which the latest-attempt lookup would answer. PortOne's own answer when it has
/// none.
async fn refunded_attempt<E: Execute + ?Sized>(client: &E, merchant_uid: &str) -> Result<Payment> {
    let mut attempts = order_attempts(client, merchant_uid).await?;
    let held = |p: &Payment| matches!(p.status, PaymentStatus::Paid | PaymentStatus::Cancelled);
    match take_latest(&mut attempts, held).or_else(|| take_latest(&mut attempts, |_| true)) {
        Some(payment) => Ok(*payment),
        None => client.find_payment(merchant_uid).await,
    }
}

/// The latest attempt (by start time) that `wanted` accepts.
fn take_latest(
    attempts: &mut Vec<Payment>,
    wanted: impl Fn(&Payment) -> bool,
) -> Option<Box<Payment>> {
    let index = attempts
        .iter()
        .enumerate()
        .filter(|(_, p)| wanted(p))
        .max_by_key(|(_, p)| p.started_at.map(|t| t.as_secs()))
        .map(|(i, _)| i)?;
    Some(Box::new(attempts.swap_remove(index)))
}
