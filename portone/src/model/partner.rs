//! Sales slips of sub-merchants for a payment (`/partners/receipts/{imp_uid}`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::de::{absent, lenient};
use super::money::checked_amounts;
use super::setters::setters;

/// The result of registering sub-merchant receipts (spec: `PartnerReceiptResultAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PartnerReceiptResult {
    /// URL of the sales slip.
    pub receipt_url: Option<String>,
}

/// One sub-merchant's part of a payment (spec: `PartnerReceiptsAnnotation`).
#[serde_with::apply(Option<Decimal> => #[serde(with = "crate::model::money::option")])]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct PartnerReceipt {
    business_registration_number: String,
    company_name: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    tax_free: Option<Decimal>,
    vat_amount: Option<Decimal>,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(PartnerReceipt, |r| None, [
    "amount" => Some(r.amount),
    "tax_free" => r.tax_free,
    "vat_amount" => r.vat_amount,
]);

impl PartnerReceipt {
    /// `amount` of the payment belongs to the sub-merchant `company_name`.
    pub fn new(
        business_registration_number: impl Into<String>,
        company_name: impl Into<String>,
        amount: impl Into<Decimal>,
    ) -> Self {
        Self {
            business_registration_number: business_registration_number.into(),
            company_name: company_name.into(),
            amount: amount.into(),
            tax_free: None,
            vat_amount: None,
        }
    }

    setters! {
        /// Tax-free part of the amount.
        tax_free: Decimal,
        /// VAT part of the amount.
        vat_amount: Decimal,
    }
}

/// Body of `POST /partners/receipts/{imp_uid}` (operation `partner`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssuePartnerReceipts {
    data: Vec<PartnerReceipt>,
}

impl IssuePartnerReceipts {
    /// Registers the sub-merchants' parts of the payment.
    pub fn new(receipts: impl IntoIterator<Item = PartnerReceipt>) -> Self {
        Self {
            data: receipts.into_iter().collect(),
        }
    }
}
