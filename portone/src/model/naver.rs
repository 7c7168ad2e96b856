//! Naver Pay: product orders, claims (cancel, return, exchange), reviews, cash amounts.
//!
//! Every product-order action applies to all product orders of the payment unless
//! `product_order_ids` narrows it; an empty list is refused rather than sent, because
//! PortOne would read it as "all".

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::de::{absent, lenient, object};
use super::enums::open_enum;
use super::money::checked_amounts;
use super::setters::setters;
use super::{InvalidRequest, Requester, Sensitive, UnixTime};
use super::{money, time};

pub use super::naver_codes::{
    NaverCancelReason, NaverDeliveryCompany, NaverDeliveryMethod, NaverReturnDeliveryMethod,
    NaverReturnReason, NaverWithholdReason,
};

/// A Naver Pay product order (spec: `NaverProductOrderAnnotation`).
///
/// Status and claim values are Naver's own codes, kept as text.
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct NaverProductOrder {
    /// Naver's product order id.
    #[serde(deserialize_with = "crate::model::de::token")]
    #[serde_with(skip_apply)]
    pub product_order_id: String,
    /// Naver's product order status.
    pub product_order_status: String,
    /// Kind of claim (cancel, return, exchange...).
    pub claim_type: Option<String>,
    /// Status of the claim.
    pub claim_status: Option<String>,
    /// Product id.
    pub product_id: String,
    /// Product name.
    pub product_name: String,
    /// Product option id; `None` for a product without options.
    pub product_option_id: Option<String>,
    /// Product option name; `None` for a product without options.
    pub product_option_name: Option<String>,
    /// Product amount.
    #[serde(serialize_with = "money::option::serialize")]
    pub product_amount: Option<Decimal>,
    /// Shipping fee.
    #[serde(serialize_with = "money::option::serialize")]
    pub delivery_amount: Option<Decimal>,
    /// Quantity.
    pub quantity: u32,
    /// Who ordered.
    #[serde(default, deserialize_with = "object")]
    #[serde_with(skip_apply)]
    pub orderer: Option<NaverOrderer>,
    /// Where to ship.
    #[serde(default, deserialize_with = "object")]
    #[serde_with(skip_apply)]
    pub shipping_address: Option<NaverAddress>,
    /// Shipping note.
    pub shipping_memo: Option<String>,
    /// Shipping deadline.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub shipping_due: Option<UnixTime>,
    /// Personal customs clearance code, for imports. Redacted in `Debug`.
    pub individual_code: Option<Sensitive<String>>,
}

/// Who placed a Naver Pay order (spec: `NaverOrderer`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct NaverOrderer {
    /// Name.
    pub name: String,
    /// Naver id.
    pub id: String,
    /// Phone number.
    pub tel: String,
}

/// A Naver Pay shipping address (spec: `NaverAddress`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct NaverAddress {
    /// Base address.
    pub base: String,
    /// Address detail.
    pub detail: Option<String>,
    /// Postcode.
    pub postcode: String,
    /// Phone number.
    pub tel1: String,
    /// Second phone number.
    pub tel2: Option<String>,
    /// Receiver's name.
    pub name: String,
}

/// A Naver Pay review (spec: `NaverReviewAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct NaverReview {
    /// Review id.
    #[serde(deserialize_with = "crate::model::de::token")]
    #[serde_with(skip_apply)]
    pub review_id: String,
    /// Satisfaction: `0`-`2` for general reviews, `10`-`13` for premium ones.
    pub score: String,
    /// Title.
    pub title: String,
    /// Text.
    pub content: Option<String>,
    /// Product order id.
    pub product_order_id: String,
    /// Product id.
    pub product_id: String,
    /// Product name.
    pub product_name: String,
    /// Product option.
    pub product_option_name: Option<String>,
    /// Writer's Naver id.
    pub writer: String,
    /// When it was written.
    pub created_at: UnixTime,
    /// When it was last edited.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub modified_at: Option<UnixTime>,
}

/// The cash-receipt-eligible amounts of a Naver Pay payment (spec:
/// `NaverCashAmountAnnotation`).
#[serde_with::apply(
    _ => #[serde(default = "absent", deserialize_with = "lenient")],
    Decimal => #[serde(serialize_with = "money::serialize")],
)]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct NaverCashAmount {
    /// Total.
    pub amount_total: Decimal,
    /// Paid with Naver points.
    pub amount_by_npoint: Decimal,
    /// Paid with the primary means.
    pub amount_by_primary: Decimal,
    /// Supply value.
    pub amount_supply: Decimal,
    /// VAT.
    pub amount_vat: Decimal,
}

open_enum! {
    /// Kind of Naver Pay reviews to list (`review_type` query parameter).
    pub enum NaverReviewType {
        /// General reviews (`general`).
        General = "general",
        /// Premium reviews (`premium`).
        Premium = "premium",
    }
}

/// Generates the `product_order_ids` narrowing setter of a Naver request.
macro_rules! product_order_ids {
    () => {
        /// Applies the action to these product orders only, instead of all of the payment.
        ///
        /// # Errors
        ///
        /// [`InvalidRequest::NoProductOrderIds`] when the list is empty: sent as is, it
        /// would mean every product order.
        pub fn product_order_ids<I>(mut self, ids: I) -> Result<Self, InvalidRequest>
        where
            I: IntoIterator,
            I::Item: Into<String>,
        {
            let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
            if ids.is_empty() {
                return Err(InvalidRequest::NoProductOrderIds);
            }
            self.product_order_id = Some(ids);
            Ok(self)
        }
    };
}

/// Body of the Naver Pay actions that take only product orders: `approve-cancel`
/// (`naverApproveCancelProductOrder`), `collect-exchanged` (`naverCollectProductOrder`),
/// `place` (`naverPlaceProductOrder`) and `resolve-return`
/// (`naverResolveReturnProductOrder`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct NaverProductOrderIds {
    product_order_id: Option<Vec<String>>,
}

impl NaverProductOrderIds {
    /// Every product order of the payment.
    pub fn all() -> Self {
        Self::default()
    }

    product_order_ids!();
}

/// Body of `POST /payments/{imp_uid}/naver/cancel` (operation `naverCancelProductOrder`):
/// a refund. PortOne reads a body without `product_order_id` as every product order of the
/// payment, so that is said by name ([`all`](Self::all)), and a list is never empty
/// ([`product_order_ids`](Self::product_order_ids)).
///
/// ```
/// use portone::model::CancelNaverOrders;
///
/// let everything = CancelNaverOrders::all();
/// let one = CancelNaverOrders::all().product_order_ids(["2026120712345678"])?;
/// # let _ = (everything, one);
/// # Ok::<(), portone::model::InvalidRequest>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CancelNaverOrders {
    product_order_id: Option<Vec<String>>,
    reason: Option<NaverCancelReason>,
}

impl CancelNaverOrders {
    /// Cancels (refunds) every product order of the payment; narrow it with
    /// [`product_order_ids`](Self::product_order_ids).
    pub fn all() -> Self {
        Self {
            product_order_id: None,
            reason: None,
        }
    }

    product_order_ids!();

    setters! {
        /// Why (PortOne's default is `PRODUCT_UNSATISFIED`).
        reason: NaverCancelReason,
    }
}

/// Body of `POST /payments/{imp_uid}/naver/ship` (operation `naverShipProductOrder`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShipNaverOrders {
    delivery_method: NaverDeliveryMethod,
    dispatched_at: UnixTime,
    product_order_id: Option<Vec<String>>,
    delivery_company: Option<NaverDeliveryCompany>,
    tracking_number: Option<String>,
}

impl ShipNaverOrders {
    /// Every product order of the payment was sent by `delivery_method` at
    /// `dispatched_at`. With [`NaverDeliveryMethod::Delivery`], set the company and the
    /// tracking number too.
    pub fn new(delivery_method: NaverDeliveryMethod, dispatched_at: impl Into<UnixTime>) -> Self {
        Self {
            delivery_method,
            dispatched_at: dispatched_at.into(),
            product_order_id: None,
            delivery_company: None,
            tracking_number: None,
        }
    }

    product_order_ids!();

    setters! {
        /// Carrier (required for `DELIVERY`).
        delivery_company: NaverDeliveryCompany,
        /// Tracking number (required for `DELIVERY`).
        tracking_number: String,
    }
}

/// Body of `POST /payments/{imp_uid}/naver/ship-exchanged` (the second operation named
/// `naverShipProductOrder`): re-ships exchanged goods.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShipNaverExchange {
    delivery_method: NaverDeliveryMethod,
    product_order_id: Option<Vec<String>>,
    delivery_company: Option<NaverDeliveryCompany>,
    tracking_number: Option<String>,
}

impl ShipNaverExchange {
    /// The exchanged goods of every product order were re-sent by `delivery_method`.
    pub fn new(delivery_method: NaverDeliveryMethod) -> Self {
        Self {
            delivery_method,
            product_order_id: None,
            delivery_company: None,
            tracking_number: None,
        }
    }

    product_order_ids!();

    setters! {
        /// Carrier (required for `DELIVERY`).
        delivery_company: NaverDeliveryCompany,
        /// Tracking number (required for `DELIVERY`).
        tracking_number: String,
    }
}

/// Body of `POST /payments/{imp_uid}/naver/request-return` (operation
/// `naverRequestReturnProductOrder`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestNaverReturn {
    delivery_method: NaverReturnDeliveryMethod,
    product_order_id: Option<Vec<String>>,
    reason: Option<NaverReturnReason>,
    delivery_company: Option<NaverDeliveryCompany>,
    tracking_number: Option<String>,
}

impl RequestNaverReturn {
    /// Every product order comes back by `delivery_method`.
    pub fn new(delivery_method: NaverReturnDeliveryMethod) -> Self {
        Self {
            delivery_method,
            product_order_id: None,
            reason: None,
            delivery_company: None,
            tracking_number: None,
        }
    }

    product_order_ids!();

    setters! {
        /// Why (PortOne's default is `INTENT_CHANGED`).
        reason: NaverReturnReason,
        /// Carrier of the return.
        delivery_company: NaverDeliveryCompany,
        /// Tracking number of the return.
        tracking_number: String,
    }
}

/// Body of `POST /payments/{imp_uid}/naver/approve-return` (operation
/// `naverApproveReturnProductOrder`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ApproveNaverReturn {
    product_order_id: Option<Vec<String>>,
    memo: Option<String>,
}

impl ApproveNaverReturn {
    /// Approves the return of every product order.
    pub fn new() -> Self {
        Self::default()
    }

    product_order_ids!();

    setters! {
        /// Note to the buyer.
        memo: String,
    }
}

/// Body of `POST /payments/{imp_uid}/naver/reject-return` (operation
/// `naverRejectReturnProductOrder`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectNaverReturn {
    memo: String,
    product_order_id: Option<Vec<String>>,
}

impl RejectNaverReturn {
    /// Rejects the return of every product order, telling the buyer `memo`.
    pub fn new(memo: impl Into<String>) -> Self {
        Self {
            memo: memo.into(),
            product_order_id: None,
        }
    }

    product_order_ids!();
}

/// Body of `POST /payments/{imp_uid}/naver/withhold-return` (operation
/// `naverWithholdReturnProductOrder`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self")]
pub struct WithholdNaverReturn {
    memo: String,
    product_order_id: Option<Vec<String>>,
    reason: Option<NaverWithholdReason>,
    #[serde(with = "crate::model::money::option")]
    extra_charge: Option<Decimal>,
}

// Amounts are checked against the currency when the request is serialized, before sending.
checked_amounts!(WithholdNaverReturn, |r| None, [
    "extra_charge" => r.extra_charge,
]);

impl WithholdNaverReturn {
    /// Withholds the return of every product order, telling the buyer `memo`.
    pub fn new(memo: impl Into<String>) -> Self {
        Self {
            memo: memo.into(),
            product_order_id: None,
            reason: None,
            extra_charge: None,
        }
    }

    product_order_ids!();

    setters! {
        /// Why (PortOne's default is `ETC`).
        reason: NaverWithholdReason,
        /// Extra charge to the buyer (default 0).
        extra_charge: Decimal,
    }
}

/// Body of `POST /payments/{imp_uid}/naver/confirm` (operation `naverConfirmPayment`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ConfirmNaverPayment {
    requester: Option<Requester>,
}

impl ConfirmNaverPayment {
    /// Confirms the purchase as the merchant (PortOne's default requester).
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Who confirms: the merchant (`admin`) or the buyer (`customer`).
        requester: Requester,
    }
}

/// Body of `GET /naver/reviews` (operation `getReviews`): the spec puts the channel key
/// in the form data of this `GET`; `from`, `to` and `review_type` are query parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NaverReviewsChannel {
    channel_key: String,
}

impl NaverReviewsChannel {
    /// Reviews of the Naver Pay order channel `channel_key`.
    pub fn new(channel_key: impl Into<String>) -> Self {
        Self {
            channel_key: channel_key.into(),
        }
    }
}
