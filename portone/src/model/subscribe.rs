//! Non-authenticated payments: one-time card payments and payments with a billing key.

use super::buyer::Buyer;
use super::money::checked_amounts;
use rust_decimal::Decimal;
use serde::Serialize;

use super::setters::{buyer_setters, json_text_setters, setters};
use super::{CashReceiptType, Currency, ProductType, Sensitive};

/// The `extra` object of subscription payments (spec: `SubscribePaymentExtra`, and the
/// inline `extra` of `ScheduleAnnotation`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub(crate) struct PaymentExtra {
    #[serde(rename = "naverUseCfm")]
    pub(crate) naver_use_cfm: Option<String>,
}

/// Body of `POST /subscribe/payments/onetime` (operation `onetime`): charges a card
/// directly, optionally keeping a billing key as `customer_uid`. Card data is redacted in
/// `Debug`.
///
/// This call moves money: never re-send it after a timeout, look the order up first.
///
/// ```
/// use portone::model::OnetimePayment;
///
/// let payment = OnetimePayment::new("order-1", 1000, "4092-0230-1234-5678", "2029-12")
///     .birth("880101")
///     .pwd_2digit("12")
///     .name("Monthly plan");
/// assert!(!format!("{payment:?}").contains("4092"));
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct OnetimePayment {
    merchant_uid: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    card_number: Sensitive<String>,
    expiry: Sensitive<String>,
    #[serde(flatten)]
    optional: OnetimePaymentOptional,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(OnetimePayment, |r| r.optional.currency.as_ref(), [
    "amount" => Some(r.amount),
    "tax_free" => r.optional.tax_free,
    "vat_amount" => r.optional.vat_amount,
    "vat" => r.optional.vat,
]);

/// The optional fields of [`OnetimePayment`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::apply(Option<Decimal> => #[serde(with = "crate::model::money::option")])]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct OnetimePaymentOptional {
    currency: Option<Currency>,
    tax_free: Option<Decimal>,
    vat_amount: Option<Decimal>,
    vat: Option<Decimal>,
    birth: Option<Sensitive<String>>,
    pwd_2digit: Option<Sensitive<String>>,
    cvc: Option<Sensitive<String>>,
    customer_uid: Option<String>,
    pg: Option<String>,
    #[serde(rename = "channelGroupId")]
    channel_group_id: Option<String>,
    name: Option<String>,
    #[serde(flatten)]
    buyer: Buyer,
    card_quota: Option<u32>,
    interest_free_by_merchant: Option<bool>,
    use_card_point: Option<bool>,
    custom_data: Option<String>,
    notice_url: Option<String>,
    browser_ip: Option<String>,
    secure_3d_charge_id: Option<String>,
    secure_3d_token: Option<Sensitive<String>>,
    product_type: Option<ProductType>,
    promotion_id: Option<String>,
    bypass: Option<String>,
}

impl OnetimePayment {
    /// Charges `amount` for order `merchant_uid` to the card `card_number`
    /// (`dddd-dddd-dddd-dddd`) expiring `expiry` (`YYYY-MM`).
    pub fn new(
        merchant_uid: impl Into<String>,
        amount: impl Into<Decimal>,
        card_number: impl Into<String>,
        expiry: impl Into<String>,
    ) -> Self {
        Self {
            merchant_uid: merchant_uid.into(),
            amount: amount.into(),
            card_number: Sensitive::new(card_number.into()),
            expiry: Sensitive::new(expiry.into()),
            optional: OnetimePaymentOptional::default(),
        }
    }

    setters! { in optional;
        /// Currency (PortOne's default is KRW).
        currency: Currency,
        /// Tax-free amount.
        tax_free: Decimal,
        /// VAT amount.
        vat_amount: Decimal,
        /// VAT amount, deprecated by PortOne in favour of `tax_free`.
        vat: Decimal,
        /// Card holder's birth date (`YYMMDD`), or a 10-digit business number for corporate
        /// cards. Redacted in `Debug`.
        birth: Sensitive<String>,
        /// First two digits of the card password. Redacted in `Debug`.
        pwd_2digit: Sensitive<String>,
        /// Card verification code. Redacted in `Debug`.
        cvc: Sensitive<String>,
        /// Keep the card as a billing key under this id.
        customer_uid: String,
        /// PG to use, when several are configured (`{pg}.{mid}`).
        pg: String,
        /// Smart routing group id, for a super billing key (`channelGroupId`).
        channel_group_id: String,
        /// Order name.
        name: String,
        /// Instalment months (`0` or unset: lump sum).
        card_quota: u32,
        /// Interest-free instalments paid by the merchant.
        interest_free_by_merchant: bool,
        /// Pay partly with card points.
        use_card_point: bool,
        /// Webhook URL for this payment, instead of the console's.
        notice_url: String,
        /// Buyer's browser IP.
        browser_ip: String,
        /// 3-D Secure charge id.
        secure_3d_charge_id: String,
        /// 3-D Secure token. Redacted in `Debug`.
        secure_3d_token: Sensitive<String>,
        /// Physical goods or digital content.
        product_type: ProductType,
        /// Promotion to apply.
        promotion_id: String,
    }

    buyer_setters!(optional);

    json_text_setters! { in optional;
        /// Extra data stored with the payment, sent as a JSON string.
        custom_data / custom_data_raw,
        /// PG-specific parameters, sent as a JSON string.
        bypass / bypass_raw,
    }
}

/// Body of `POST /subscribe/payments/again` (operation `again`): charges a billing key.
///
/// This call moves money: never re-send it after a timeout, look the order up first.
///
/// ```
/// use portone::model::AgainPayment;
///
/// let payment = AgainPayment::new("customer-42", "order-2", 9900, "Monthly plan")
///     .buyer_email("buyer@example.com");
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct AgainPayment {
    customer_uid: String,
    merchant_uid: String,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    name: String,
    #[serde(flatten)]
    optional: AgainPaymentOptional,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(AgainPayment, |r| r.optional.currency.as_ref(), [
    "amount" => Some(r.amount),
    "tax_free" => r.optional.tax_free,
    "vat_amount" => r.optional.vat_amount,
    "vat" => r.optional.vat,
]);

/// The optional fields of [`AgainPayment`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::apply(Option<Decimal> => #[serde(with = "crate::model::money::option")])]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct AgainPaymentOptional {
    currency: Option<Currency>,
    tax_free: Option<Decimal>,
    vat_amount: Option<Decimal>,
    vat: Option<Decimal>,
    #[serde(flatten)]
    buyer: Buyer,
    card_quota: Option<u32>,
    interest_free_by_merchant: Option<bool>,
    use_card_point: Option<bool>,
    custom_data: Option<String>,
    notice_url: Option<String>,
    browser_ip: Option<String>,
    product_type: Option<ProductType>,
    product_count: Option<u32>,
    cash_receipt_type: Option<CashReceiptType>,
    bypass: Option<String>,
    extra: Option<PaymentExtra>,
    promotion_id: Option<String>,
    channel_key: Option<String>,
}

impl AgainPayment {
    /// Charges `amount` for order `merchant_uid`, named `name`, to the billing key
    /// `customer_uid`.
    pub fn new(
        customer_uid: impl Into<String>,
        merchant_uid: impl Into<String>,
        amount: impl Into<Decimal>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            customer_uid: customer_uid.into(),
            merchant_uid: merchant_uid.into(),
            amount: amount.into(),
            name: name.into(),
            optional: AgainPaymentOptional::default(),
        }
    }

    setters! { in optional;
        /// Currency (PortOne's default is KRW).
        currency: Currency,
        /// Tax-free amount.
        tax_free: Decimal,
        /// VAT amount.
        vat_amount: Decimal,
        /// VAT amount, deprecated by PortOne in favour of `tax_free`.
        vat: Decimal,
        /// Instalment months (`0` or unset: lump sum).
        card_quota: u32,
        /// Interest-free instalments paid by the merchant.
        interest_free_by_merchant: bool,
        /// Pay partly with card points.
        use_card_point: bool,
        /// Webhook URL for this payment, instead of the console's.
        notice_url: String,
        /// Buyer's browser IP.
        browser_ip: String,
        /// Physical goods or digital content.
        product_type: ProductType,
        /// Number of products.
        product_count: u32,
        /// Who the cash receipt is for (`anonymous`: none; Toss Pay).
        cash_receipt_type: CashReceiptType,
        /// Promotion to apply.
        promotion_id: String,
        /// Channel to charge through.
        channel_key: String,
    }

    buyer_setters!(optional);

    json_text_setters! { in optional;
        /// Extra data stored with the payment, sent as a JSON string.
        custom_data / custom_data_raw,
        /// PG-specific parameters, sent as a JSON string.
        bypass / bypass_raw,
    }

    /// Naver Pay's date of use completion (`YYYYMMDD`), sent as `extra.naverUseCfm`.
    #[must_use]
    pub fn naver_use_cfm(mut self, date: impl Into<String>) -> Self {
        self.optional.extra = Some(PaymentExtra {
            naver_use_cfm: Some(date.into()),
        });
        self
    }
}
