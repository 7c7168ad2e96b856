//! Virtual accounts issued by API: requests, deposits and the account holder lookup.

use super::buyer::Buyer;
use super::money::checked_amounts;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::de::{absent, lenient};
use super::money;
use super::setters::{buyer_setters, json_text_setters, list_setters, setters};
use super::{ProductType, Sensitive, UnixTime};

/// One deposit into a fixed unlimited virtual account (spec: `VbankDepositAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct VbankDeposit {
    /// The PG's approval number of the deposit.
    pub pg_tid: Option<String>,
    /// Amount deposited.
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
    /// Depositor's name.
    pub depositor_name: Option<String>,
    /// When the deposit arrived.
    pub deposited_at: UnixTime,
}

/// The holder of a bank account (spec: `VbankHolderAnnotation`), the answer of the
/// undocumented `GET /vbanks/holder`.
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct VbankHolder {
    /// Account holder's name.
    pub bank_holder: String,
}

/// Body of `POST /vbanks` (operation `createVbank`): issues a virtual account without a
/// payment window. The `pg_api_key` query parameter is not part of the body.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct CreateVbank {
    channel_key: String,
    merchant_uid: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    vbank_code: String,
    vbank_due: UnixTime,
    #[serde(flatten)]
    optional: CreateVbankOptional,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(CreateVbank, |r| None, [
    "amount" => Some(r.amount),
    "tax_free" => r.optional.tax_free,
    "vat_amount" => r.optional.vat_amount,
]);

/// The optional fields of [`CreateVbank`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::apply(Option<Decimal> => #[serde(with = "crate::model::money::option")])]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct CreateVbankOptional {
    product_type: Option<ProductType>,
    vbank_num: Option<String>,
    vbank_holder: Option<String>,
    vbank_key: Option<String>,
    name: Option<String>,
    #[serde(flatten)]
    buyer: Buyer,
    business_registration_number: Option<String>,
    notice_url: Option<Vec<String>>,
    custom_data: Option<String>,
    tax_free: Option<Decimal>,
    vat_amount: Option<Decimal>,
    product_count: Option<u32>,
    escrow_password: Option<Sensitive<String>>,
    fixed_unlimited_vbank: Option<bool>,
}

impl CreateVbank {
    /// A virtual account of `vbank_code`'s bank for `amount`, to be paid before
    /// `vbank_due`, through the channel `channel_key`.
    pub fn new(
        channel_key: impl Into<String>,
        merchant_uid: impl Into<String>,
        amount: impl Into<Decimal>,
        vbank_code: impl Into<String>,
        vbank_due: impl Into<UnixTime>,
    ) -> Self {
        Self {
            channel_key: channel_key.into(),
            merchant_uid: merchant_uid.into(),
            amount: amount.into(),
            vbank_code: vbank_code.into(),
            vbank_due: vbank_due.into(),
            optional: CreateVbankOptional::default(),
        }
    }

    setters! { in optional;
        /// Physical goods or digital content.
        product_type: ProductType,
        /// A fixed account number to use (PG agreement needed).
        vbank_num: String,
        /// Account holder name shown to the buyer.
        vbank_holder: String,
        /// Key matching a fixed virtual account to the buyer (Toss Payments; PG agreement
        /// needed).
        vbank_key: String,
        /// Order name.
        name: String,
        /// Buyer's business registration number.
        business_registration_number: String,
        /// Tax-free amount.
        tax_free: Decimal,
        /// VAT amount.
        vat_amount: Decimal,
        /// Number of products.
        product_count: u32,
        /// Escrow password for Hecto Financial fixed accounts. Redacted in `Debug`.
        escrow_password: Sensitive<String>,
        /// Issue a fixed unlimited virtual account.
        fixed_unlimited_vbank: bool,
    }

    buyer_setters!(optional);

    list_setters! { in optional;
        /// Webhook URLs for the deposit notification, instead of the console's.
        notice_url,
    }

    json_text_setters! { in optional;
        /// Extra data stored with the payment, sent as a JSON string.
        custom_data / custom_data_raw,
    }
}

/// Body of `PUT /vbanks/{imp_uid}` (operation `modifyVbank`): changes the amount or the
/// deadline of an issued virtual account.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(remote = "Self")]
pub struct ModifyVbank {
    #[serde(with = "crate::model::money::option")]
    amount: Option<Decimal>,
    vbank_due: Option<UnixTime>,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(ModifyVbank, |r| None, [
    "amount" => r.amount,
]);

impl ModifyVbank {
    /// A change of nothing yet; set the amount, the deadline or both.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// New amount to deposit.
        amount: Decimal,
        /// New deposit deadline.
        vbank_due: UnixTime,
    }
}
