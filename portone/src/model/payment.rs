//! Payments: the payment object, its cancellations, paged lists and the balance.

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::de::{lenient_number, lenient_string, non_empty, null_as_default, parse_json_text};
use super::{
    CardType, Channel, Currency, CustomerUidUsage, PayMethod, PaymentStatus, PgProvider, UnixTime,
    VbankDeposit,
};

/// A payment (spec: `PaymentAnnotation`), the answer of most payment calls.
///
/// Fields the spec calls required but old or SDK-printed payloads omit (`cancel_amount`,
/// `sandbox`) default to zero and `false`; timestamps that are `0` until the event happens
/// are `None`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Payment {
    /// PortOne's transaction id (`imp_...`).
    pub imp_uid: String,
    /// The merchant's order id.
    pub merchant_uid: String,
    /// Payment method.
    #[serde(default, deserialize_with = "non_empty")]
    pub pay_method: Option<PayMethod>,
    /// Where the payment was made: PC, mobile or API.
    #[serde(default, deserialize_with = "non_empty")]
    pub channel: Option<Channel>,
    /// The PG that processed the payment.
    #[serde(default, deserialize_with = "non_empty")]
    pub pg_provider: Option<PgProvider>,
    /// The PG behind a hub-type PG, when there is one.
    #[serde(default, deserialize_with = "non_empty")]
    pub emb_pg_provider: Option<PgProvider>,
    /// The PG's transaction id.
    #[serde(default)]
    pub pg_tid: Option<String>,
    /// The PG merchant id (MID).
    #[serde(default)]
    pub pg_id: Option<String>,
    /// Whether this is a test payment. Absent before 2026: `false`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub sandbox: bool,
    /// Whether this is an escrow payment.
    #[serde(default, deserialize_with = "null_as_default")]
    pub escrow: bool,
    /// Approval number; some PGs send `""`.
    #[serde(default, deserialize_with = "lenient_string")]
    pub apply_num: Option<String>,
    /// Standard bank code, for account transfers.
    #[serde(default, deserialize_with = "lenient_string")]
    pub bank_code: Option<String>,
    /// Bank name, for account transfers.
    #[serde(default)]
    pub bank_name: Option<String>,
    /// Card company code (KFTC standard code).
    #[serde(default, deserialize_with = "lenient_string")]
    pub card_code: Option<String>,
    /// Card company name.
    #[serde(default)]
    pub card_name: Option<String>,
    /// Card issuer code.
    #[serde(default, deserialize_with = "lenient_string")]
    pub card_issuer_code: Option<String>,
    /// Card issuer name.
    #[serde(default)]
    pub card_issuer_name: Option<String>,
    /// Card publisher code.
    #[serde(default, deserialize_with = "lenient_string")]
    pub card_publisher_code: Option<String>,
    /// Card publisher name.
    #[serde(default)]
    pub card_publisher_name: Option<String>,
    /// Instalment months; `0` is a lump-sum payment.
    #[serde(default, deserialize_with = "lenient_number")]
    pub card_quota: Option<u32>,
    /// The masked card number, as the PG reports it.
    #[serde(default)]
    pub card_number: Option<String>,
    /// Credit or check card; `None` where the PG does not say.
    #[serde(default, deserialize_with = "non_empty")]
    pub card_type: Option<CardType>,
    /// Virtual account bank code.
    #[serde(default, deserialize_with = "lenient_string")]
    pub vbank_code: Option<String>,
    /// Virtual account bank name.
    #[serde(default)]
    pub vbank_name: Option<String>,
    /// Virtual account number.
    #[serde(default, deserialize_with = "lenient_string")]
    pub vbank_num: Option<String>,
    /// Virtual account holder.
    #[serde(default)]
    pub vbank_holder: Option<String>,
    /// Deadline of the virtual account deposit.
    #[serde(default, with = "crate::model::time::zero_as_none")]
    pub vbank_date: Option<UnixTime>,
    /// When the virtual account was issued.
    #[serde(default, with = "crate::model::time::zero_as_none")]
    pub vbank_issued_at: Option<UnixTime>,
    /// Order name.
    #[serde(default)]
    pub name: Option<String>,
    /// Amount paid.
    #[serde(with = "crate::model::money")]
    pub amount: Decimal,
    /// Amount cancelled so far. Absent in some SDK printouts: zero.
    #[serde(default, with = "crate::model::money")]
    pub cancel_amount: Decimal,
    /// Currency of `amount`.
    pub currency: Currency,
    /// Buyer's name.
    #[serde(default)]
    pub buyer_name: Option<String>,
    /// Buyer's email address.
    #[serde(default)]
    pub buyer_email: Option<String>,
    /// Buyer's phone number.
    #[serde(default, deserialize_with = "lenient_string")]
    pub buyer_tel: Option<String>,
    /// Buyer's address.
    #[serde(default)]
    pub buyer_addr: Option<String>,
    /// Buyer's postcode.
    #[serde(default, deserialize_with = "lenient_string")]
    pub buyer_postcode: Option<String>,
    /// The merchant's extra data: JSON inside a string. See [`Payment::custom_data`].
    #[serde(default, deserialize_with = "crate::model::de::json_text")]
    pub custom_data: Option<String>,
    /// User agent of the buyer's device.
    #[serde(default)]
    pub user_agent: Option<String>,
    /// Payment status.
    pub status: PaymentStatus,
    /// When the payment was requested.
    #[serde(default, with = "crate::model::time::zero_as_none")]
    pub started_at: Option<UnixTime>,
    /// When it was paid; `None` while not paid.
    #[serde(default, with = "crate::model::time::zero_as_none")]
    pub paid_at: Option<UnixTime>,
    /// When it failed; `None` unless it failed.
    #[serde(default, with = "crate::model::time::zero_as_none")]
    pub failed_at: Option<UnixTime>,
    /// When it was (last) cancelled; `None` unless cancelled.
    #[serde(default, with = "crate::model::time::zero_as_none")]
    pub cancelled_at: Option<UnixTime>,
    /// Why it failed.
    #[serde(default)]
    pub fail_reason: Option<String>,
    /// Why it was cancelled.
    #[serde(default)]
    pub cancel_reason: Option<String>,
    /// Sales slip URL.
    #[serde(default)]
    pub receipt_url: Option<String>,
    /// Every cancellation, full or partial.
    #[serde(default, deserialize_with = "null_as_default")]
    pub cancel_history: Vec<PaymentCancelHistory>,
    /// Deposits into a fixed unlimited virtual account.
    #[serde(default, deserialize_with = "null_as_default")]
    pub deposit_history: Vec<VbankDeposit>,
    /// Sales slip URLs of the cancellations.
    #[serde(default, deserialize_with = "null_as_default")]
    pub cancel_receipt_urls: Vec<String>,
    /// Whether a cash receipt was issued.
    #[serde(default, deserialize_with = "null_as_default")]
    pub cash_receipt_issued: bool,
    /// The billing key id used, if any.
    #[serde(default)]
    pub customer_uid: Option<String>,
    /// What the billing key was used for; `None` for an ordinary payment.
    #[serde(default, deserialize_with = "non_empty")]
    pub customer_uid_usage: Option<CustomerUidUsage>,
    /// The promotion applied, if any.
    #[serde(default)]
    pub promotion: Option<PaymentPromotion>,
}

impl Payment {
    /// Decodes `custom_data`, the JSON the merchant attached as a string. `None` when
    /// there is none (absent, `null` or empty).
    ///
    /// # Errors
    ///
    /// The inner `Result` fails when the text is not JSON of type `T`.
    pub fn custom_data<T: DeserializeOwned>(&self) -> Option<Result<T, serde_json::Error>> {
        parse_json_text(self.custom_data.as_deref())
    }

    /// What can still be refunded: `amount - cancel_amount`. Send it as the `checksum` of
    /// a partial cancel so that a retried or concurrent cancel cannot refund twice.
    pub fn cancellable_amount(&self) -> Decimal {
        self.amount - self.cancel_amount
    }
}

/// A promotion applied to a payment (spec: the inline `promotion` of `PaymentAnnotation`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentPromotion {
    /// Promotion id (`promotion-id-...`).
    #[serde(default)]
    pub id: Option<String>,
    /// Amount discounted from the order.
    #[serde(default, with = "crate::model::money::option")]
    pub discount: Option<Decimal>,
}

/// One cancellation of a payment (spec: `PaymentCancelAnnotation`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentCancelHistory {
    /// The PG's cancel transaction id.
    #[serde(default, deserialize_with = "lenient_string")]
    pub pg_tid: Option<String>,
    /// Amount refunded by this cancellation.
    #[serde(with = "crate::model::money")]
    pub amount: Decimal,
    /// When it was cancelled.
    pub cancelled_at: UnixTime,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
    /// Id of this cancellation; missing in payloads before 2024.
    #[serde(default)]
    pub cancellation_id: Option<String>,
    /// Sales slip URL of the cancellation.
    #[serde(default)]
    pub receipt_url: Option<String>,
}

/// A page of payments (spec: `PagedPaymentAnnotation`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentList {
    /// Number of payments across all pages.
    pub total: u64,
    /// Previous page number, `0` on the first page.
    pub previous: u32,
    /// Next page number, `0` on the last page.
    pub next: u32,
    /// The payments of this page.
    #[serde(default, deserialize_with = "null_as_default")]
    pub list: Vec<Payment>,
}

impl PaymentList {
    /// The next page to ask for, `None` on the last page.
    pub fn next_page(&self) -> Option<u32> {
        (self.next != 0).then_some(self.next)
    }

    /// The previous page, `None` on the first page.
    pub fn previous_page(&self) -> Option<u32> {
        (self.previous != 0).then_some(self.previous)
    }
}

/// The balance of a payment by means of payment (spec: `PaymentBalanceResponseAnnotation`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentBalance {
    /// Total remaining amount.
    #[serde(with = "crate::model::money")]
    pub amount: Decimal,
    /// Part paid with cash-receipt-eligible means.
    pub cash_receipt: BalanceAmounts,
    /// Part paid with the primary means.
    pub primary: BalanceAmounts,
    /// Part paid with secondary means (points...).
    pub secondary: BalanceAmounts,
    /// Discounts.
    pub discount: BalanceAmounts,
    /// How the balance changed over time.
    #[serde(default, deserialize_with = "null_as_default")]
    pub histories: Vec<BalanceHistory>,
}

/// Amounts of one part of a balance (spec: `PaymentBalanceAnnotation`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BalanceAmounts {
    /// Tax-free amount.
    #[serde(with = "crate::model::money")]
    pub tax_free: Decimal,
    /// Supply value.
    #[serde(with = "crate::model::money")]
    pub supply: Decimal,
    /// VAT.
    #[serde(with = "crate::model::money")]
    pub vat: Decimal,
    /// Service charge.
    #[serde(with = "crate::model::money")]
    pub service: Decimal,
}

/// One change of a balance (spec: `PaymentBalanceHistoriesAnnotation`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BalanceHistory {
    /// Cash-receipt-eligible part.
    pub cash_receipt: BalanceAmounts,
    /// Primary means.
    pub primary: BalanceAmounts,
    /// Secondary means.
    pub secondary: BalanceAmounts,
    /// Discounts.
    pub discount: BalanceAmounts,
    /// When this entry was recorded.
    #[serde(default, with = "crate::model::time::zero_as_none")]
    pub created: Option<UnixTime>,
}
