//! Payments: the payment object, its cancellations, paged lists and the balance.

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::de::{absent, json_text, lenient, list, object, object_or_default, parse_json_text};
use super::{
    CardType, Channel, Currency, CustomerUidUsage, PayMethod, PaymentStatus, PgProvider, UnixTime,
    VbankDeposit, money, time,
};

/// A payment (spec: `PaymentAnnotation`), the answer of most payment calls.
///
/// Only `imp_uid` and `merchant_uid` must be present. Every other field reads what PortOne
/// sends or leaves out: absent and `null` are `None`, zero, `false` or an empty list (a
/// missing `currency` is KRW, a missing `status` is `Other("")`), `""` where a number or an
/// enum is expected is absent, numbers sent as strings are numbers, and timestamps that are
/// `0` until the event happens are `None`.
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Payment {
    /// PortOne's transaction id (`imp_...`).
    #[serde_with(skip_apply)]
    pub imp_uid: String,
    /// The merchant's order id.
    #[serde_with(skip_apply)]
    pub merchant_uid: String,
    /// Payment method.
    pub pay_method: Option<PayMethod>,
    /// Where the payment was made: PC, mobile or API.
    pub channel: Option<Channel>,
    /// The PG that processed the payment.
    pub pg_provider: Option<PgProvider>,
    /// The PG behind a hub-type PG, when there is one.
    pub emb_pg_provider: Option<PgProvider>,
    /// The PG's transaction id.
    pub pg_tid: Option<String>,
    /// The PG merchant id (MID).
    pub pg_id: Option<String>,
    /// Whether this is a test payment. Absent before 2026: `false`.
    pub sandbox: bool,
    /// Whether this is an escrow payment.
    pub escrow: bool,
    /// Approval number; some PGs send `""`.
    pub apply_num: Option<String>,
    /// Standard bank code, for account transfers.
    pub bank_code: Option<String>,
    /// Bank name, for account transfers.
    pub bank_name: Option<String>,
    /// Card company code (KFTC standard code).
    pub card_code: Option<String>,
    /// Card company name.
    pub card_name: Option<String>,
    /// Card issuer code.
    pub card_issuer_code: Option<String>,
    /// Card issuer name.
    pub card_issuer_name: Option<String>,
    /// Card publisher code.
    pub card_publisher_code: Option<String>,
    /// Card publisher name.
    pub card_publisher_name: Option<String>,
    /// Instalment months; `0` is a lump-sum payment.
    pub card_quota: Option<u32>,
    /// The masked card number, as the PG reports it.
    pub card_number: Option<String>,
    /// Credit or check card; `None` where the PG does not say.
    pub card_type: Option<CardType>,
    /// Virtual account bank code.
    pub vbank_code: Option<String>,
    /// Virtual account bank name.
    pub vbank_name: Option<String>,
    /// Virtual account number.
    pub vbank_num: Option<String>,
    /// Virtual account holder.
    pub vbank_holder: Option<String>,
    /// Deadline of the virtual account deposit.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub vbank_date: Option<UnixTime>,
    /// When the virtual account was issued.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub vbank_issued_at: Option<UnixTime>,
    /// Order name.
    pub name: Option<String>,
    /// Amount paid.
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
    /// Amount cancelled so far. Absent in some SDK printouts: zero.
    #[serde(serialize_with = "money::serialize")]
    pub cancel_amount: Decimal,
    /// Currency of `amount`; KRW when PortOne leaves it out.
    pub currency: Currency,
    /// Buyer's name.
    pub buyer_name: Option<String>,
    /// Buyer's email address.
    pub buyer_email: Option<String>,
    /// Buyer's phone number.
    pub buyer_tel: Option<String>,
    /// Buyer's address.
    pub buyer_addr: Option<String>,
    /// Buyer's postcode.
    pub buyer_postcode: Option<String>,
    /// The merchant's extra data: JSON inside a string. See [`Payment::custom_data`].
    #[serde(default, deserialize_with = "json_text")]
    #[serde_with(skip_apply)]
    pub custom_data: Option<String>,
    /// User agent of the buyer's device.
    pub user_agent: Option<String>,
    /// Payment status. Only `paid` means the money was taken; an absent status reads as
    /// `Other("")`, which is not `paid`.
    pub status: PaymentStatus,
    /// When the payment was requested.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub started_at: Option<UnixTime>,
    /// When it was paid; `None` while not paid.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub paid_at: Option<UnixTime>,
    /// When it failed; `None` unless it failed.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub failed_at: Option<UnixTime>,
    /// When it was (last) cancelled; `None` unless cancelled.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub cancelled_at: Option<UnixTime>,
    /// Why it failed.
    pub fail_reason: Option<String>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// Sales slip URL.
    pub receipt_url: Option<String>,
    /// Every cancellation, full or partial.
    #[serde(default, deserialize_with = "list")]
    #[serde_with(skip_apply)]
    pub cancel_history: Vec<PaymentCancelHistory>,
    /// Deposits into a fixed unlimited virtual account.
    #[serde(default, deserialize_with = "list")]
    #[serde_with(skip_apply)]
    pub deposit_history: Vec<VbankDeposit>,
    /// Sales slip URLs of the cancellations.
    #[serde(default, deserialize_with = "list")]
    #[serde_with(skip_apply)]
    pub cancel_receipt_urls: Vec<String>,
    /// Whether a cash receipt was issued.
    pub cash_receipt_issued: bool,
    /// The billing key id used, if any.
    pub customer_uid: Option<String>,
    /// What the billing key was used for; `None` for an ordinary payment.
    pub customer_uid_usage: Option<CustomerUidUsage>,
    /// The promotion applied, if any.
    #[serde(default, deserialize_with = "object")]
    #[serde_with(skip_apply)]
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
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentPromotion {
    /// Promotion id (`promotion-id-...`).
    pub id: Option<String>,
    /// Amount discounted from the order.
    #[serde(serialize_with = "money::option::serialize")]
    pub discount: Option<Decimal>,
}

/// One cancellation of a payment (spec: `PaymentCancelAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentCancelHistory {
    /// The PG's cancel transaction id.
    pub pg_tid: Option<String>,
    /// Amount refunded by this cancellation.
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
    /// When it was cancelled; `0` if PortOne leaves it out.
    pub cancelled_at: UnixTime,
    /// Why.
    pub reason: Option<String>,
    /// Id of this cancellation; missing in payloads before 2024.
    pub cancellation_id: Option<String>,
    /// Sales slip URL of the cancellation.
    pub receipt_url: Option<String>,
}

/// The balance of a payment by means of payment (spec: `PaymentBalanceResponseAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentBalance {
    /// Total remaining amount.
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
    /// Part paid with cash-receipt-eligible means.
    #[serde(default, deserialize_with = "object_or_default")]
    #[serde_with(skip_apply)]
    pub cash_receipt: BalanceAmounts,
    /// Part paid with the primary means.
    #[serde(default, deserialize_with = "object_or_default")]
    #[serde_with(skip_apply)]
    pub primary: BalanceAmounts,
    /// Part paid with secondary means (points...).
    #[serde(default, deserialize_with = "object_or_default")]
    #[serde_with(skip_apply)]
    pub secondary: BalanceAmounts,
    /// Discounts.
    #[serde(default, deserialize_with = "object_or_default")]
    #[serde_with(skip_apply)]
    pub discount: BalanceAmounts,
    /// How the balance changed over time.
    #[serde(default, deserialize_with = "list")]
    #[serde_with(skip_apply)]
    pub histories: Vec<BalanceHistory>,
}

/// Amounts of one part of a balance (spec: `PaymentBalanceAnnotation`); all zero when
/// PortOne leaves the part out.
#[serde_with::apply(
    _ => #[serde(default = "absent", deserialize_with = "lenient")],
    Decimal => #[serde(serialize_with = "money::serialize")],
)]
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BalanceAmounts {
    /// Tax-free amount.
    pub tax_free: Decimal,
    /// Supply value.
    pub supply: Decimal,
    /// VAT.
    pub vat: Decimal,
    /// Service charge.
    pub service: Decimal,
}

/// One change of a balance (spec: `PaymentBalanceHistoriesAnnotation`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BalanceHistory {
    /// Cash-receipt-eligible part.
    #[serde(default, deserialize_with = "object_or_default")]
    pub cash_receipt: BalanceAmounts,
    /// Primary means.
    #[serde(default, deserialize_with = "object_or_default")]
    pub primary: BalanceAmounts,
    /// Secondary means.
    #[serde(default, deserialize_with = "object_or_default")]
    pub secondary: BalanceAmounts,
    /// Discounts.
    #[serde(default, deserialize_with = "object_or_default")]
    pub discount: BalanceAmounts,
    /// When this entry was recorded.
    #[serde(default, with = "time::zero_as_none")]
    pub created: Option<UnixTime>,
}
