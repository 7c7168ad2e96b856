//! Every model of PortOne's V1 spec as serde types, re-exported flat:
//! `portone::model::Payment`, `portone::model::CancelPayment`, ...
//!
//! Response types decode what PortOne really sends, which is messier than the spec:
//! unknown fields are ignored, unknown enum values are kept in `Other`, money is an exact
//! [`Decimal`](rust_decimal::Decimal), `0` timestamps ("not yet") are `None`. Apart from the
//! ids a caller cannot do without (`imp_uid`, `merchant_uid`, `customer_uid` and their
//! like), every field tolerates being absent or `null`, `""` or PHP's `false` where a
//! number or an enum is expected, and numbers sent as strings, so one odd value never makes
//! a whole answer undecodable. What such a field reads as is its type's "nothing": `None`
//! for an `Option`, zero for an amount, a count or a timestamp, `false`, an empty list or
//! string, KRW for a currency and `Other("")` for another enum (not a known status, so
//! never `paid`). A value that is there but cannot mean what the field holds (`"ten"` as an
//! amount) is still an error naming the field. They are `#[non_exhaustive]`: read them, do
//! not build them. Each names the spec definition it comes from.
//!
//! Request types have a constructor taking the required fields and by-value setters for
//! the rest; absent options are not sent, and card data is redacted in `Debug`. The
//! optional query parameters of a call are one options value named after it
//! ([`PaymentsByStatus`], [`FindPayment`], ...), built the same way.
//!
//! ```
//! use portone::model::{Payment, PaymentStatus};
//!
//! let body = r#"{"imp_uid": "imp_1", "merchant_uid": "order-1", "amount": 1000.5,
//!     "currency": "USD", "status": "paid", "paid_at": 1709722069, "failed_at": 0}"#;
//! let payment: Payment = serde_json::from_str(body).unwrap();
//! assert_eq!(payment.status, PaymentStatus::Paid);
//! assert_eq!(payment.amount.to_string(), "1000.5");
//! assert_eq!(payment.failed_at, None);
//!
//! // An old record: no currency, the cancelled amount as text, `""` for a count.
//! let body = r#"{"imp_uid": "imp_2", "merchant_uid": "order-2", "amount": 1000,
//!     "cancel_amount": "0", "card_quota": "", "status": "paid"}"#;
//! let payment: Payment = serde_json::from_str(body).unwrap();
//! assert_eq!(payment.currency, portone::model::Currency::Krw);
//! assert!(payment.cancel_amount.is_zero() && payment.card_quota.is_none());
//! ```

mod de;
pub(crate) mod enums;
mod setters;

pub mod money;
pub mod time;

mod auth;
mod benepia;
mod buyer;
mod cancel;
mod certification;
mod codes;
mod customer;
mod cvs;
mod error;
mod escrow;
mod kcpquick;
mod naver;
mod naver_codes;
mod options;
mod page;
mod partner;
mod payco;
mod payment;
mod paymentwall;
mod pg;
mod prepare;
mod receipt;
mod schedule;
mod sensitive;
mod subscribe;
mod tier;
mod vbank;

pub use auth::{AccessToken, GetToken};
pub use benepia::{BenepiaPoint, PayWithBenepiaPoint, QueryBenepiaPoint};
pub use cancel::CancelPayment;
pub use certification::{
    Carrier, Certification, CertificationOtp, ConfirmCertificationOtp, Gender, OtpMethod,
    RequestCertificationOtp,
};
pub use codes::StandardCode;
pub use customer::{
    AnyBillingKey, BillingKey, FailedChannel, FailureType, IssueBillingKey, SucceededChannel,
    SuperBillingKey,
};
pub use cvs::IssueCvsPayment;
pub use enums::{
    CardType, CashReceiptType, Channel, Currency, CustomerUidUsage, IdentifierType, PayMethod,
    PaymentStatus, PaymentStatusFilter, PgProvider, ProductType, Requester, ScheduleSorting,
    ScheduleStatus, Sorting,
};
pub use error::InvalidRequest;
pub use escrow::{
    EscrowAddress, EscrowLogis, EscrowLogisInfo, EscrowProduct, EscrowReceiver, EscrowSender,
    RegisterEscrowLogis, UpdateEscrowLogis,
};
pub use kcpquick::{
    KcpQuickAutoPayKey, KcpQuickFidoError, KcpQuickFidoRelease, KcpQuickMember, KcpQuickPrepare,
    PayWithKcpQuickAutoPay, PayWithKcpQuickMoney, ReleaseKcpQuickFido,
};
pub use naver::{
    ApproveNaverReturn, CancelNaverOrders, ConfirmNaverPayment, NaverAddress, NaverCancelReason,
    NaverCashAmount, NaverDeliveryCompany, NaverDeliveryMethod, NaverOrderer, NaverProductOrder,
    NaverProductOrderIds, NaverReturnDeliveryMethod, NaverReturnReason, NaverReview,
    NaverReviewType, NaverReviewsChannel, NaverWithholdReason, RejectNaverReturn,
    RequestNaverReturn, ShipNaverExchange, ShipNaverOrders, WithholdNaverReturn,
};
pub use options::{
    BillingKeyPayments, DeleteBillingKey, FindAllPayments, FindPayment, NaverReviews,
    PaymentLookup, PaymentsByIds, PaymentsByStatus, SchedulesByCustomer, SchedulesByRange,
    VbankOptions,
};
pub use page::{Page, PaymentList, ScheduleList};
pub use partner::{IssuePartnerReceipts, PartnerReceipt, PartnerReceiptResult};
pub use payco::{ChangePaycoOrderStatus, PaycoOrderStatus, PaycoStatus};
pub use payment::{
    BalanceAmounts, BalanceHistory, Payment, PaymentBalance, PaymentCancelHistory, PaymentPromotion,
};
pub use paymentwall::{
    PaymentwallDeliveryResult, PaymentwallDeliveryStatus, PaymentwallProductType,
    RegisterPaymentwallDelivery,
};
pub use pg::{PgSetting, PgSettingType};
pub use prepare::{PaymentPrepare, PreparePayment};
pub use receipt::{ExternalReceipt, IssueExternalReceipt, IssueReceipt, Receipt};
pub use schedule::{Reschedule, Schedule, SchedulePayments, ScheduledPayment, Unschedule};
pub use sensitive::Sensitive;
pub use subscribe::{AgainPayment, OnetimePayment};
pub use tier::TierInfo;
pub use time::{UnixTime, UnixTimeOutOfRange};
pub use vbank::{CreateVbank, ModifyVbank, VbankDeposit, VbankHolder};
