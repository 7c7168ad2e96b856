//! The cancel (refund) request of `POST /payments/cancel`.

use rust_decimal::Decimal;
use serde::Serialize;

use super::money::checked_amounts;
use super::setters::setters;
use super::{Currency, InvalidRequest, Requester, Sensitive};

/// Body of `POST /payments/cancel` (operation `cancelPayment`).
///
/// A full and a partial refund are different constructors: PortOne treats a missing or
/// zero `amount` as "refund everything", so a partial refund cannot be built without an
/// amount above zero. Add [`checksum`](Self::checksum), the refundable balance you believe
/// in, so that a retried or concurrent cancel is refused instead of refunding twice.
///
/// ```
/// use portone::model::CancelPayment;
/// use rust_decimal::Decimal;
///
/// let full = CancelPayment::full_by_imp_uid("imp_123").reason("out of stock");
/// let partial = CancelPayment::partial_by_merchant_uid("order-1", Decimal::from(500))?
///     .checksum(Decimal::from(1500))
///     .reason("one item returned");
/// assert!(CancelPayment::partial_by_imp_uid("imp_123", Decimal::ZERO).is_err());
/// # Ok::<(), portone::model::InvalidRequest>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct CancelPayment {
    imp_uid: Option<String>,
    merchant_uid: Option<String>,
    #[serde(with = "crate::model::money::option")]
    amount: Option<Decimal>,
    #[serde(flatten)]
    optional: CancelPaymentOptional,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(CancelPayment, |r| r.optional.currency.as_ref(), [
    "amount" => r.amount,
    "tax_free" => r.optional.tax_free,
    "vat_amount" => r.optional.vat_amount,
    "checksum" => r.optional.checksum,
]);

/// The optional fields of [`CancelPayment`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::apply(Option<Decimal> => #[serde(with = "crate::model::money::option")])]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct CancelPaymentOptional {
    /// Not sent: PortOne knows the payment's currency. Only checks the amounts.
    #[serde(skip)]
    currency: Option<Currency>,
    tax_free: Option<Decimal>,
    vat_amount: Option<Decimal>,
    checksum: Option<Decimal>,
    reason: Option<String>,
    refund_holder: Option<String>,
    refund_bank: Option<String>,
    refund_account: Option<Sensitive<String>>,
    refund_tel: Option<String>,
    retain_promotion: Option<bool>,
    enable_webhook: Option<bool>,
    extra: Option<CancelExtra>,
}

/// The `extra` object of a cancel request.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct CancelExtra {
    requester: Requester,
}

impl CancelPayment {
    fn empty() -> Self {
        Self {
            imp_uid: None,
            merchant_uid: None,
            amount: None,
            optional: CancelPaymentOptional::default(),
        }
    }

    fn partial(mut self, amount: Decimal) -> Result<Self, InvalidRequest> {
        if amount <= Decimal::ZERO {
            return Err(InvalidRequest::NonPositiveCancelAmount);
        }
        self.amount = Some(amount);
        Ok(self)
    }

    /// Refunds the whole remaining amount of the payment `imp_uid`.
    pub fn full_by_imp_uid(imp_uid: impl Into<String>) -> Self {
        Self {
            imp_uid: Some(imp_uid.into()),
            ..Self::empty()
        }
    }

    /// Refunds the whole remaining amount of the payment of order `merchant_uid`.
    pub fn full_by_merchant_uid(merchant_uid: impl Into<String>) -> Self {
        Self {
            merchant_uid: Some(merchant_uid.into()),
            ..Self::empty()
        }
    }

    /// Refunds `amount` of the payment `imp_uid`.
    ///
    /// # Errors
    ///
    /// [`InvalidRequest::NonPositiveCancelAmount`] if `amount` is zero or less: PortOne
    /// would refund everything.
    pub fn partial_by_imp_uid(
        imp_uid: impl Into<String>,
        amount: impl Into<Decimal>,
    ) -> Result<Self, InvalidRequest> {
        Self::full_by_imp_uid(imp_uid).partial(amount.into())
    }

    /// Refunds `amount` of the payment of order `merchant_uid`.
    ///
    /// # Errors
    ///
    /// [`InvalidRequest::NonPositiveCancelAmount`] if `amount` is zero or less: PortOne
    /// would refund everything.
    pub fn partial_by_merchant_uid(
        merchant_uid: impl Into<String>,
        amount: impl Into<Decimal>,
    ) -> Result<Self, InvalidRequest> {
        Self::full_by_merchant_uid(merchant_uid).partial(amount.into())
    }

    /// The amount this request refunds, `None` for a full refund.
    pub fn amount(&self) -> Option<Decimal> {
        self.amount
    }

    setters! { in optional;
        /// The payment's currency, when it is not KRW. It is not sent (PortOne knows the
        /// payment's currency); the amounts are checked against it before sending, so that a
        /// refund of ₩1,000.5 is refused rather than left to PortOne. Without it, the amounts
        /// must be whole, as KRW's are.
        currency: Currency,
        /// The refundable balance before this refund, **from your own records** (what the
        /// order was paid, less what you have refunded), never from a lookup made just
        /// before: after a lost answer, a fresh lookup already shows the lost refund, and a
        /// retry built from it refunds a second time. PortOne refuses a cancel whose
        /// checksum is not the refundable balance, which makes a retry safe, and
        /// [`resolve_refund`](crate::resolve::Resolution::resolve_refund) tells a lost refund
        /// from one that never happened by it.
        checksum: Decimal,
        /// Tax-free part of the refunded amount (required by some PGs for tax-free sales).
        tax_free: Decimal,
        /// VAT part of the refunded amount (required if the payment set a VAT amount).
        vat_amount: Decimal,
        /// Why the payment is cancelled.
        reason: String,
        /// Refund account holder (virtual account refunds, KCP phone billing next-month
        /// refunds).
        refund_holder: String,
        /// Refund account bank code.
        refund_bank: String,
        /// Refund account number. Redacted in `Debug`.
        refund_account: Sensitive<String>,
        /// Refund account holder's phone number.
        refund_tel: String,
        /// Keep the promotion even if the remaining amount breaks its rules (default
        /// `false`).
        retain_promotion: bool,
        /// Send the cancel webhook to the merchant (default `false`).
        enable_webhook: bool,
    }

    /// Who asked for the cancel, for Naver Pay (`extra.requester`).
    #[must_use]
    pub fn requester(mut self, requester: Requester) -> Self {
        self.optional.extra = Some(CancelExtra { requester });
        self
    }

    /// What the resolver needs: the payment's ids, the amount and the checksum.
    pub(crate) fn target(
        &self,
    ) -> (
        Option<String>,
        Option<String>,
        Option<Decimal>,
        Option<Decimal>,
    ) {
        (
            self.imp_uid.clone(),
            self.merchant_uid.clone(),
            self.amount,
            self.optional.checksum,
        )
    }
}
