//! Cash receipts, for PortOne payments and for payments made elsewhere ("external").

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::de::{absent, lenient};
use super::money::checked_amounts;
use super::setters::setters;
use super::{CashReceiptType, IdentifierType, PayMethod, ProductType, Sensitive, UnixTime};
use super::{money, time};

/// A cash receipt of a PortOne payment (spec: `ReceiptAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Receipt {
    /// PortOne's id of the payment.
    #[serde_with(skip_apply)]
    pub imp_uid: String,
    /// The PG's id of the receipt.
    pub receipt_tid: Option<String>,
    /// Approval number of the receipt.
    pub apply_num: Option<String>,
    /// Issued to a person or a business (`type` on the wire).
    #[serde(rename = "type")]
    pub kind: CashReceiptType,
    /// Amount on the receipt.
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
    /// VAT part of the amount.
    #[serde(serialize_with = "money::serialize")]
    pub vat: Decimal,
    /// Receipt URL.
    pub receipt_url: Option<String>,
    /// When it was issued.
    pub applied_at: UnixTime,
    /// When it was revoked; `None` unless revoked.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub cancelled_at: Option<UnixTime>,
}

/// A cash receipt of a payment made outside PortOne (spec: `ExternalReceiptAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ExternalReceipt {
    /// The merchant's order id.
    #[serde_with(skip_apply)]
    pub merchant_uid: String,
    /// The PG's id of the receipt.
    pub receipt_tid: Option<String>,
    /// Approval number of the receipt.
    pub apply_num: Option<String>,
    /// Issued to a person or a business (`type` on the wire).
    #[serde(rename = "type")]
    pub kind: CashReceiptType,
    /// Amount on the receipt.
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
    /// VAT part of the amount.
    #[serde(serialize_with = "money::serialize")]
    pub vat: Decimal,
    /// Receipt URL.
    pub receipt_url: Option<String>,
    /// When it was issued.
    pub applied_at: UnixTime,
    /// When it was revoked; `None` unless revoked.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub cancelled_at: Option<UnixTime>,
}

/// Body of `POST /receipts/{imp_uid}` (operation `issueReceipt`): issues a cash receipt
/// for a PortOne payment. The identifier (card, phone, resident or business number) is
/// redacted in `Debug`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct IssueReceipt {
    identifier: Sensitive<String>,
    #[serde(flatten)]
    optional: IssueReceiptOptional,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(IssueReceipt, |r| None, [
    "tax_free" => r.optional.tax_free,
    "vat" => r.optional.vat,
    "vat_amount" => r.optional.vat_amount,
]);

/// The optional fields of [`IssueReceipt`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::apply(Option<Decimal> => #[serde(with = "crate::model::money::option")])]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct IssueReceiptOptional {
    product_type: Option<ProductType>,
    identifier_type: Option<IdentifierType>,
    #[serde(rename = "type")]
    kind: Option<CashReceiptType>,
    company_tel: Option<String>,
    company_name: Option<String>,
    corp_reg_no: Option<String>,
    buyer_name: Option<String>,
    buyer_email: Option<String>,
    buyer_tel: Option<String>,
    tax_free: Option<Decimal>,
    vat: Option<Decimal>,
    vat_amount: Option<Decimal>,
}

impl IssueReceipt {
    /// A receipt for the holder of `identifier`: a cash receipt card, phone, resident or
    /// business registration number.
    pub fn new(identifier: impl Into<String>) -> Self {
        Self {
            identifier: Sensitive::new(identifier.into()),
            optional: IssueReceiptOptional::default(),
        }
    }

    setters! { in optional;
        /// Physical goods or digital content.
        product_type: ProductType,
        /// What `identifier` is (required by KICC and Hecto Financial).
        identifier_type: IdentifierType,
        /// Issue to a person (default) or a business (`type` on the wire).
        kind: CashReceiptType,
        /// Merchant's phone number.
        company_tel: String,
        /// Merchant's name.
        company_name: String,
        /// Merchant's business registration number.
        corp_reg_no: String,
        /// Buyer's name.
        buyer_name: String,
        /// Buyer's email address.
        buyer_email: String,
        /// Buyer's phone number.
        buyer_tel: String,
        /// Tax-free part of the amount (`0` if unset).
        tax_free: Decimal,
        /// VAT, deprecated by PortOne in favour of `tax_free`.
        vat: Decimal,
        /// VAT part of the amount, for merchants that set VAT themselves.
        vat_amount: Decimal,
    }
}

/// Body of `POST /receipts/external/{merchant_uid}` (operation `issueExternalReceipt`):
/// issues a cash receipt for a payment made outside PortOne. The identifier is redacted in
/// `Debug`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct IssueExternalReceipt {
    channel_key: String,
    name: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    identifier: Sensitive<String>,
    #[serde(flatten)]
    optional: IssueExternalReceiptOptional,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(IssueExternalReceipt, |r| None, [
    "amount" => Some(r.amount),
    "tax_free" => r.optional.tax_free,
    "vat_amount" => r.optional.vat_amount,
]);

/// The optional fields of [`IssueExternalReceipt`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::apply(Option<Decimal> => #[serde(with = "crate::model::money::option")])]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct IssueExternalReceiptOptional {
    product_type: Option<ProductType>,
    identifier_type: Option<IdentifierType>,
    #[serde(rename = "type")]
    kind: Option<CashReceiptType>,
    buyer_name: Option<String>,
    buyer_email: Option<String>,
    buyer_tel: Option<String>,
    tax_free: Option<Decimal>,
    vat_amount: Option<Decimal>,
    corp_reg_no: Option<String>,
    pay_method: Option<PayMethod>,
}

impl IssueExternalReceipt {
    /// A receipt of `amount` for the order named `name`, issued through `channel_key` to
    /// the holder of `identifier`.
    pub fn new(
        channel_key: impl Into<String>,
        name: impl Into<String>,
        amount: impl Into<Decimal>,
        identifier: impl Into<String>,
    ) -> Self {
        Self {
            channel_key: channel_key.into(),
            name: name.into(),
            amount: amount.into(),
            identifier: Sensitive::new(identifier.into()),
            optional: IssueExternalReceiptOptional::default(),
        }
    }

    setters! { in optional;
        /// Physical goods or digital content.
        product_type: ProductType,
        /// What `identifier` is.
        identifier_type: IdentifierType,
        /// Issue to a person (default) or a business (`type` on the wire).
        kind: CashReceiptType,
        /// Buyer's name.
        buyer_name: String,
        /// Buyer's email address.
        buyer_email: String,
        /// Buyer's phone number.
        buyer_tel: String,
        /// Tax-free part of the amount.
        tax_free: Decimal,
        /// VAT part of the amount.
        vat_amount: Decimal,
        /// Merchant's business registration number.
        corp_reg_no: String,
        /// How the buyer paid: `trans` or `vbank`.
        pay_method: PayMethod,
    }
}
