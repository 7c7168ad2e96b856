//! Scheduled payments: scheduling, unscheduling, rescheduling, and the schedule itself.

use super::buyer::Buyer;
use super::money::checked_amounts;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::de::{absent, json_text, lenient, parse_json_text};
use super::setters::{buyer_setters, json_text_setters, setters};
use super::subscribe::PaymentExtra;
use super::{
    CashReceiptType, Currency, InvalidRequest, PaymentStatus, PgProvider, ProductType,
    ScheduleStatus, Sensitive, UnixTime, money, time,
};

/// A scheduled payment (spec: `ScheduleResultAnnotation`).
///
/// The spec's definition requires no field, and one odd element must not make a whole
/// listing undecodable, so every field reads what PortOne sends or leaves out: the ids are
/// `""` when absent, `schedule_at` is `0`, `amount` is zero, `currency` is KRW and
/// `schedule_status` is `Other("")`. PortOne itself sends the ids, time, amount and status.
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Schedule {
    /// Billing key id; `""` if PortOne leaves it out.
    pub customer_uid: String,
    /// Order id of the scheduled payment; `""` if PortOne leaves it out.
    pub merchant_uid: String,
    /// PortOne's id of the payment, once executed.
    pub imp_uid: Option<String>,
    /// PG that executed the payment.
    pub pg_provider: Option<PgProvider>,
    /// PG merchant id that executed the payment.
    pub pg_id: Option<String>,
    /// The merchant's buyer id.
    pub customer_id: Option<String>,
    /// When the payment is due (`0` if PortOne leaves it out, the spec's default).
    pub schedule_at: UnixTime,
    /// When it was executed; `None` until then.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub executed_at: Option<UnixTime>,
    /// When it was revoked; `None` unless revoked.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub revoked_at: Option<UnixTime>,
    /// Amount to charge.
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
    /// Currency (KRW when absent).
    pub currency: Currency,
    /// Order name.
    pub name: Option<String>,
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
    /// Extra data: JSON inside a string. See [`Schedule::custom_data`].
    #[serde(default, deserialize_with = "json_text")]
    #[serde_with(skip_apply)]
    pub custom_data: Option<String>,
    /// Scheduled, executed or revoked; `Other("")` if PortOne leaves it out.
    pub schedule_status: ScheduleStatus,
    /// Outcome of the executed payment; `None` (JSON `null`) until executed.
    pub payment_status: Option<PaymentStatus>,
    /// Why the payment failed.
    pub fail_reason: Option<String>,
    /// Promotion applied.
    pub promotion_id: Option<String>,
}

impl Schedule {
    /// Decodes `custom_data`; `None` when there is none.
    ///
    /// # Errors
    ///
    /// The inner `Result` fails when the text is not JSON of type `T`.
    pub fn custom_data<T: DeserializeOwned>(&self) -> Option<Result<T, serde_json::Error>> {
        parse_json_text(self.custom_data.as_deref())
    }
}

/// One payment to schedule (spec: `ScheduleAnnotation`), an item of
/// [`SchedulePayments`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct ScheduledPayment {
    merchant_uid: String,
    schedule_at: UnixTime,
    #[serde(with = "crate::model::money")]
    amount: Decimal,
    name: String,
    #[serde(flatten)]
    optional: ScheduledPaymentOptional,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(ScheduledPayment, |r| r.optional.currency.as_ref(), [
    "amount" => Some(r.amount),
    "tax_free" => r.optional.tax_free,
    "vat_amount" => r.optional.vat_amount,
]);

/// The optional fields of [`ScheduledPayment`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::apply(Option<Decimal> => #[serde(with = "crate::model::money::option")])]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct ScheduledPaymentOptional {
    currency: Option<Currency>,
    tax_free: Option<Decimal>,
    vat_amount: Option<Decimal>,
    #[serde(flatten)]
    buyer: Buyer,
    custom_data: Option<String>,
    notice_url: Option<String>,
    product_type: Option<ProductType>,
    cash_receipt_type: Option<CashReceiptType>,
    card_quota: Option<u32>,
    interest_free_by_merchant: Option<bool>,
    use_card_point: Option<bool>,
    product_count: Option<u32>,
    browser_ip: Option<String>,
    extra: Option<PaymentExtra>,
    bypass: Option<String>,
    promotion_id: Option<String>,
}

impl ScheduledPayment {
    /// Charge `amount` for order `merchant_uid`, named `name`, at `schedule_at`.
    pub fn new(
        merchant_uid: impl Into<String>,
        schedule_at: impl Into<UnixTime>,
        amount: impl Into<Decimal>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            merchant_uid: merchant_uid.into(),
            schedule_at: schedule_at.into(),
            amount: amount.into(),
            name: name.into(),
            optional: ScheduledPaymentOptional::default(),
        }
    }

    setters! { in optional;
        /// Currency (PortOne's default is KRW).
        currency: Currency,
        /// Tax-free amount.
        tax_free: Decimal,
        /// VAT amount.
        vat_amount: Decimal,
        /// Webhook URL called after the payment runs.
        notice_url: String,
        /// Physical goods or digital content.
        product_type: ProductType,
        /// Who the cash receipt is for (Toss Pay).
        cash_receipt_type: CashReceiptType,
        /// Instalment months (`0` or unset: lump sum).
        card_quota: u32,
        /// Interest-free instalments paid by the merchant.
        interest_free_by_merchant: bool,
        /// Pay partly with card points.
        use_card_point: bool,
        /// Number of products.
        product_count: u32,
        /// Buyer's browser IP.
        browser_ip: String,
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

    /// Naver Pay's date of use completion (`YYYYMMDD`), sent as `extra.naverUseCfm`.
    #[must_use]
    pub fn naver_use_cfm(mut self, date: impl Into<String>) -> Self {
        self.optional.extra = Some(PaymentExtra {
            naver_use_cfm: Some(date.into()),
        });
        self
    }
}

/// Body of `POST /subscribe/payments/schedule` (operation `schedule`): schedules payments
/// on a billing key, issuing it first when card data is given. Card data is redacted in
/// `Debug`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchedulePayments {
    customer_uid: String,
    schedules: Vec<ScheduledPayment>,
    #[serde(flatten)]
    optional: SchedulePaymentsOptional,
}

/// The optional fields of [`SchedulePayments`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct SchedulePaymentsOptional {
    customer_id: Option<String>,
    #[serde(with = "crate::model::money::option")]
    checking_amount: Option<Decimal>,
    card_number: Option<Sensitive<String>>,
    expiry: Option<Sensitive<String>>,
    birth: Option<Sensitive<String>>,
    pwd_2digit: Option<Sensitive<String>>,
    cvc: Option<Sensitive<String>>,
    channel_key: Option<String>,
}

impl SchedulePayments {
    /// Schedules `schedules` on the billing key `customer_uid`.
    pub fn new(
        customer_uid: impl Into<String>,
        schedules: impl IntoIterator<Item = ScheduledPayment>,
    ) -> Self {
        Self {
            customer_uid: customer_uid.into(),
            schedules: schedules.into_iter().collect(),
            optional: SchedulePaymentsOptional::default(),
        }
    }

    /// Adds one more payment to schedule.
    #[must_use]
    pub fn schedule(mut self, payment: ScheduledPayment) -> Self {
        self.schedules.push(payment);
        self
    }

    setters! { in optional;
        /// The merchant's buyer id.
        customer_id: String,
        /// Amount charged and refunded at once to check the card (`0`: no check).
        checking_amount: Decimal,
        /// Card number (`dddd-dddd-dddd-dddd`) to issue the billing key from. Redacted in
        /// `Debug`.
        card_number: Sensitive<String>,
        /// Card expiry (`YYYY-MM`). Redacted in `Debug`.
        expiry: Sensitive<String>,
        /// Card holder's birth date (`YYMMDD`) or business number. Redacted in `Debug`.
        birth: Sensitive<String>,
        /// First two digits of the card password. Redacted in `Debug`.
        pwd_2digit: Sensitive<String>,
        /// Card verification code. Redacted in `Debug`.
        cvc: Sensitive<String>,
        /// Channel to issue the billing key through.
        channel_key: String,
    }
}

/// Body of `POST /subscribe/payments/unschedule` (operation `unschedule`).
///
/// PortOne revokes **every** schedule of the customer when no `merchant_uid` is sent, so
/// each meaning has its own constructor, and a list of orders cannot be empty:
/// [`all`](Self::all) revokes every schedule of a billing key,
/// [`listed`](Self::listed) the listed orders of a billing key, and
/// [`by_merchant_uids`](Self::by_merchant_uids) the listed orders whatever their billing
/// key (no `customer_uid` is sent, as the spec allows).
///
/// ```
/// use portone::model::{InvalidRequest, Unschedule};
///
/// let everything = Unschedule::all("customer-42");
/// let some = Unschedule::listed("customer-42", ["order-3", "order-4"])?;
/// let by_order = Unschedule::by_merchant_uids(["order-5"])?;
/// assert_eq!(by_order.customer_uid(), None);
/// assert_eq!(
///     Unschedule::listed("customer-42", Vec::<String>::new()),
///     Err(InvalidRequest::NoMerchantUids)
/// );
/// assert_eq!(
///     Unschedule::by_merchant_uids(Vec::<String>::new()),
///     Err(InvalidRequest::NoMerchantUids)
/// );
/// # Ok::<(), InvalidRequest>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unschedule {
    customer_uid: Option<String>,
    merchant_uid: Option<Vec<String>>,
}

impl Unschedule {
    /// Revokes every pending schedule of the billing key `customer_uid`.
    pub fn all(customer_uid: impl Into<String>) -> Self {
        Self {
            customer_uid: Some(customer_uid.into()),
            merchant_uid: None,
        }
    }

    /// Revokes the schedules of the listed orders of the billing key `customer_uid`.
    ///
    /// # Errors
    ///
    /// [`InvalidRequest::NoMerchantUids`] when the list is empty: sent as is, it would
    /// revoke every schedule.
    pub fn listed<I>(
        customer_uid: impl Into<String>,
        merchant_uids: I,
    ) -> Result<Self, InvalidRequest>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Ok(Self {
            customer_uid: Some(customer_uid.into()),
            merchant_uid: Some(non_empty_list(merchant_uids)?),
        })
    }

    /// Revokes the schedules of the listed orders, whichever billing key they belong to:
    /// only `merchant_uid` is sent.
    ///
    /// # Errors
    ///
    /// [`InvalidRequest::NoMerchantUids`] when the list is empty: a body with neither
    /// `customer_uid` nor `merchant_uid` names nothing to revoke.
    pub fn by_merchant_uids<I>(merchant_uids: I) -> Result<Self, InvalidRequest>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Ok(Self {
            customer_uid: None,
            merchant_uid: Some(non_empty_list(merchant_uids)?),
        })
    }

    /// Whether this revokes every schedule of the customer.
    pub fn is_all(&self) -> bool {
        self.merchant_uid.is_none()
    }

    /// The billing key whose schedules are revoked; `None` when revoking by order ids
    /// alone.
    pub fn customer_uid(&self) -> Option<&str> {
        self.customer_uid.as_deref()
    }

    /// The orders whose schedules are revoked; `None` when revoking every schedule.
    pub fn merchant_uids(&self) -> Option<&[String]> {
        self.merchant_uid.as_deref()
    }
}

/// The listed order ids, refusing an empty list.
fn non_empty_list<I>(merchant_uids: I) -> Result<Vec<String>, InvalidRequest>
where
    I: IntoIterator,
    I::Item: Into<String>,
{
    let merchant_uids: Vec<String> = merchant_uids.into_iter().map(Into::into).collect();
    if merchant_uids.is_empty() {
        Err(InvalidRequest::NoMerchantUids)
    } else {
        Ok(merchant_uids)
    }
}

/// Body of `PUT /subscribe/payments/schedule/{merchant_uid}` (operation
/// `updateScheduleByMid`) and `POST .../{merchant_uid}/reschedule` (operation
/// `rescheduleByMid`): the new due time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reschedule {
    schedule_at: UnixTime,
}

impl Reschedule {
    /// Moves the payment to `schedule_at`.
    pub fn new(schedule_at: impl Into<UnixTime>) -> Self {
        Self {
            schedule_at: schedule_at.into(),
        }
    }
}
