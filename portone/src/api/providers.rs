//! Calls specific to one payment provider: Naver Pay, PAYCO, Paymentwall, Benepia,
//! convenience-store payments and KCP Quick Pay.

use crate::model::{
    ApproveNaverReturn, BenepiaPoint, CancelNaverOrders, ChangePaycoOrderStatus,
    ConfirmNaverPayment, IssueCvsPayment, KcpQuickAutoPayKey, KcpQuickFidoRelease, KcpQuickMember,
    KcpQuickPrepare, NaverCashAmount, NaverProductOrder, NaverProductOrderIds, NaverReview,
    NaverReviewType, NaverReviews, PayWithBenepiaPoint, PayWithKcpQuickAutoPay,
    PayWithKcpQuickMoney, PaycoStatus, Payment, PaymentwallDeliveryResult, QueryBenepiaPoint,
    RegisterPaymentwallDelivery, RejectNaverReturn, ReleaseKcpQuickFido, RequestNaverReturn,
    ShipNaverExchange, ShipNaverOrders, UnixTime, WithholdNaverReturn,
};

/// Naver Pay orders, returns, exchanges, points and reviews (spec tag `naver`).
#[portone::api]
pub trait NaverPay {
    /// Cancels (refunds) product orders of an order-type Naver Pay payment.
    /// Operation `naverCancelProductOrder`.
    #[post("/payments/<imp_uid>/naver/cancel")]
    async fn cancel_naver_orders(
        &self,
        imp_uid: &str,
        #[body] request: &CancelNaverOrders,
    ) -> crate::Result<Vec<NaverProductOrder>>;

    /// Approves the buyer's cancellation request. Operation `naverApproveCancelProductOrder`.
    #[post("/payments/<imp_uid>/naver/approve-cancel")]
    async fn approve_naver_cancellation(
        &self,
        imp_uid: &str,
        #[body] request: &NaverProductOrderIds,
    ) -> crate::Result<Vec<NaverProductOrder>>;

    /// Marks product orders as shipped. Operation `naverShipProductOrder` (`ship`).
    #[post("/payments/<imp_uid>/naver/ship")]
    async fn ship_naver_orders(
        &self,
        imp_uid: &str,
        #[body] request: &ShipNaverOrders,
    ) -> crate::Result<Vec<NaverProductOrder>>;

    /// Ships the replacement of an approved exchange.
    /// Operation `naverShipProductOrder` (`ship-exchanged`).
    #[post("/payments/<imp_uid>/naver/ship-exchanged")]
    async fn ship_naver_exchange(
        &self,
        imp_uid: &str,
        #[body] request: &ShipNaverExchange,
    ) -> crate::Result<Vec<NaverProductOrder>>;

    /// Marks the returned goods of an approved exchange as collected.
    /// Operation `naverCollectProductOrder`.
    #[post("/payments/<imp_uid>/naver/collect-exchanged")]
    async fn collect_naver_exchange(
        &self,
        imp_uid: &str,
        #[body] request: &NaverProductOrderIds,
    ) -> crate::Result<Vec<NaverProductOrder>>;

    /// Confirms product orders for dispatch. Operation `naverPlaceProductOrder`.
    #[post("/payments/<imp_uid>/naver/place")]
    async fn place_naver_orders(
        &self,
        imp_uid: &str,
        #[body] request: &NaverProductOrderIds,
    ) -> crate::Result<Vec<NaverProductOrder>>;

    /// Requests a return on the buyer's behalf. Operation `naverRequestReturnProductOrder`.
    #[post("/payments/<imp_uid>/naver/request-return")]
    async fn request_naver_return(
        &self,
        imp_uid: &str,
        #[body] request: &RequestNaverReturn,
    ) -> crate::Result<Vec<NaverProductOrder>>;

    /// Approves a return. Operation `naverApproveReturnProductOrder`.
    #[post("/payments/<imp_uid>/naver/approve-return")]
    async fn approve_naver_return(
        &self,
        imp_uid: &str,
        #[body] request: &ApproveNaverReturn,
    ) -> crate::Result<Vec<NaverProductOrder>>;

    /// Rejects a return. Operation `naverRejectReturnProductOrder`.
    #[post("/payments/<imp_uid>/naver/reject-return")]
    async fn reject_naver_return(
        &self,
        imp_uid: &str,
        #[body] request: &RejectNaverReturn,
    ) -> crate::Result<Vec<NaverProductOrder>>;

    /// Withholds a return. Operation `naverWithholdReturnProductOrder`.
    #[post("/payments/<imp_uid>/naver/withhold-return")]
    async fn withhold_naver_return(
        &self,
        imp_uid: &str,
        #[body] request: &WithholdNaverReturn,
    ) -> crate::Result<Vec<NaverProductOrder>>;

    /// Releases a withheld return. Operation `naverResolveReturnProductOrder`.
    #[post("/payments/<imp_uid>/naver/resolve-return")]
    async fn resolve_naver_return(
        &self,
        imp_uid: &str,
        #[body] request: &NaverProductOrderIds,
    ) -> crate::Result<Vec<NaverProductOrder>>;

    /// Deposits the buyer's Naver points of a payment-type Naver Pay payment.
    /// Operation `naverDepositPoint`.
    #[post("/payments/<imp_uid>/naver/point")]
    async fn deposit_naver_points(&self, imp_uid: &str) -> crate::Result<()>;

    /// Confirms an escrow order of a payment-type Naver Pay payment.
    /// Operation `naverConfirmPayment`.
    #[post("/payments/<imp_uid>/naver/confirm")]
    async fn confirm_naver_payment(
        &self,
        imp_uid: &str,
        #[body] request: &ConfirmNaverPayment,
    ) -> crate::Result<()>;

    /// Lists the product orders of a payment. Operation `getProductOrders`.
    #[get("/payments/<imp_uid>/naver/product-orders")]
    async fn naver_product_orders(&self, imp_uid: &str) -> crate::Result<Vec<NaverProductOrder>>;

    /// Looks up one product order by Naver's product order id.
    /// Operation `getProductOrderSingle`.
    #[get("/naver/product-orders/<product_order_id>")]
    async fn naver_product_order(&self, product_order_id: &str)
    -> crate::Result<NaverProductOrder>;

    /// Lists buyers' reviews in a time range. `channel_key` is an option
    /// ([`NaverReviews`]): only the 2026-03 revision of the spec lists it (as a form field
    /// of this GET, sent as a query parameter when set), and PortOne's own SDKs do not send
    /// it. Operation `getReviews`.
    #[get("/naver/reviews")]
    async fn naver_reviews(
        &self,
        #[query] from: UnixTime,
        #[query] to: UnixTime,
        #[query] review_type: NaverReviewType,
        #[query(flatten)] options: &NaverReviews,
    ) -> crate::Result<Vec<NaverReview>>;

    /// The amount of a payment eligible for a cash receipt. Operation `queryCashAmount`.
    #[get("/payments/<imp_uid>/naver/cash-amount")]
    async fn naver_cash_amount(&self, imp_uid: &str) -> crate::Result<NaverCashAmount>;
}

/// PAYCO order status (spec tag `payco`).
#[portone::api]
pub trait Payco {
    /// Changes the order status of a PAYCO payment. Operation `changeOrderStatus`.
    #[post("/payco/orders/status/<imp_uid>")]
    async fn change_payco_order_status(
        &self,
        imp_uid: &str,
        #[body] request: &ChangePaycoOrderStatus,
    ) -> crate::Result<PaycoStatus>;
}

/// Paymentwall deliveries (spec tag `paymentwall`).
#[portone::api]
pub trait Paymentwall {
    /// Registers the delivery of a Paymentwall payment. Operation `paymentwall_delivery`.
    #[post("/paymentwall/delivery")]
    async fn register_paymentwall_delivery(
        &self,
        #[body] request: &RegisterPaymentwallDelivery,
    ) -> crate::Result<PaymentwallDeliveryResult>;
}

/// Benepia points (spec tag `benepia`).
#[portone::api]
pub trait Benepia {
    /// Looks up a member's Benepia points. A POST that only reads, so it is retried like a
    /// GET. Operation `queryBenepiaPoint`.
    #[post("/benepia/point", idempotent)]
    async fn benepia_points(
        &self,
        #[body] request: &QueryBenepiaPoint,
    ) -> crate::Result<BenepiaPoint>;

    /// Pays with Benepia points. Moves money. Operation `payBenepiaPoint`.
    ///
    /// `Ok` only for a `paid` payment. A refusal is
    /// [`Error::Declined`](crate::Error::Declined) (PortOne answers it with `code: 0` and a
    /// `failed` payment); any other status (`ready`: the PG has not decided) is
    /// [`Error::Unsettled`](crate::Error::Unsettled).
    ///
    /// On an error with [`is_outcome_unknown`](crate::Error::is_outcome_unknown) (a timeout,
    /// a lost answer, a `5xx`, an unsettled payment), PortOne may have taken the points: resolve it
    /// by its `merchant_uid` ([`resolve_charge`](crate::resolve::Resolution::resolve_charge))
    /// before deciding, and never send the call again blindly.
    #[post("/benepia/payment", charge)]
    async fn pay_with_benepia_points(
        &self,
        #[body] request: &PayWithBenepiaPoint,
    ) -> crate::Result<Payment>;
}

/// Convenience-store payments (spec tag `cvs`).
#[portone::api]
pub trait ConvenienceStore {
    /// Issues a payment number to pay at a convenience store. Operation `issueCvsPayment`.
    /// Never sent twice.
    ///
    /// `Ok` only for a `ready` payment (the number is issued); a `failed` one is
    /// [`Error::Declined`](crate::Error::Declined), any other status
    /// [`Error::Unsettled`](crate::Error::Unsettled).
    ///
    /// On an error with [`is_outcome_unknown`](crate::Error::is_outcome_unknown) (a timeout,
    /// a lost answer), PortOne may have issued it: look the payment up by its `merchant_uid`
    /// ([`find_payment`](crate::api::PaymentsExt::find_payment)) before deciding, and never
    /// send the call again blindly.
    #[post("/cvs")]
    async fn issue_cvs_payment(&self, #[body] request: &IssueCvsPayment) -> crate::Result<Payment>;

    /// Revokes an unpaid convenience-store payment number. Operation `revokeCvsPayment`.
    /// Not retried after it may have reached PortOne: on an error with
    /// [`is_outcome_unknown`](crate::Error::is_outcome_unknown), look the payment up.
    #[delete("/cvs/<imp_uid>")]
    async fn revoke_cvs_payment(&self, imp_uid: &str) -> crate::Result<Payment>;
}

/// KCP Quick Pay: members, prepaid money and automatic payments (spec tag `kcpquick`).
#[portone::api]
pub trait KcpQuick {
    /// Deletes a KCP Quick Pay member. Operation `member_delete`.
    #[delete("/kcpquick/members/<member_id>")]
    async fn delete_kcp_quick_member(
        &self,
        member_id: &str,
        #[query] site_code: &str,
        #[query] partner_type: &str,
        #[query] partner_subtype: &str,
    ) -> crate::Result<KcpQuickMember>;

    /// Pays with KCP prepaid money. Moves money. Operation `payWithMoney`.
    ///
    /// `Ok` only for a `paid` payment. A refusal is
    /// [`Error::Declined`](crate::Error::Declined) (PortOne answers it with `code: 0` and a
    /// `failed` payment); any other status (`ready`: the PG has not decided) is
    /// [`Error::Unsettled`](crate::Error::Unsettled).
    ///
    /// On an error with [`is_outcome_unknown`](crate::Error::is_outcome_unknown) (a timeout,
    /// a lost answer, a `5xx`, an unsettled payment), PortOne may have taken the money: resolve it
    /// by its `merchant_uid` ([`resolve_charge`](crate::resolve::Resolution::resolve_charge))
    /// before deciding, and never send the call again blindly.
    #[post("/kcpquick/payment/money", charge)]
    async fn pay_with_kcp_money(
        &self,
        #[body] request: &PayWithKcpQuickMoney,
    ) -> crate::Result<Payment>;

    /// Changes a prepared KCP prepaid-money transaction. Operation `prepare_update`.
    #[put("/kcpquick/prepare/<merchant_uid>")]
    async fn update_kcp_prepare(
        &self,
        merchant_uid: &str,
        #[body] request: &KcpQuickPrepare,
    ) -> crate::Result<serde_json::Value>;

    /// Prepares a KCP prepaid-money transaction. Operation `prepare_create`.
    #[post("/kcpquick/prepare/<merchant_uid>")]
    async fn create_kcp_prepare(
        &self,
        merchant_uid: &str,
        #[body] request: &KcpQuickPrepare,
    ) -> crate::Result<serde_json::Value>;

    /// Pays with a KCP Quick Pay automatic-payment key. Moves money.
    /// Operation `payWithAutoPaymentKey`.
    ///
    /// `Ok` only for a `paid` payment. A refusal is
    /// [`Error::Declined`](crate::Error::Declined) (PortOne answers it with `code: 0` and a
    /// `failed` payment); any other status (`ready`: the PG has not decided) is
    /// [`Error::Unsettled`](crate::Error::Unsettled).
    ///
    /// On an error with [`is_outcome_unknown`](crate::Error::is_outcome_unknown) (a timeout,
    /// a lost answer, a `5xx`, an unsettled payment), PortOne may have charged the key: resolve it
    /// by its `merchant_uid` ([`resolve_charge`](crate::resolve::Resolution::resolve_charge))
    /// before deciding, and never send the call again blindly.
    #[post("/kcpquick/payment/autopay", charge)]
    async fn pay_with_kcp_autopay(
        &self,
        #[body] request: &PayWithKcpQuickAutoPay,
    ) -> crate::Result<Payment>;

    /// Deletes a KCP Quick Pay automatic-payment key. Operation `deleteAutoPayKey`.
    #[delete("/kcpquick/autopay/<customer_uid>")]
    async fn delete_kcp_autopay_key(&self, customer_uid: &str)
    -> crate::Result<KcpQuickAutoPayKey>;

    /// Turns off biometric (FIDO) authentication of a member. Operation `releaseFido`.
    #[post("/kcpquick/members/<member_id>/fido/release")]
    async fn release_kcp_fido(
        &self,
        member_id: &str,
        #[body] request: &ReleaseKcpQuickFido,
    ) -> crate::Result<KcpQuickFidoRelease>;
}
