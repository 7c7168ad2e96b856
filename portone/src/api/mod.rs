//! The whole documented V1 API as ready-made traits, one per area of PortOne's spec.
//!
//! Every trait is declared with `#[portone::api]`, so it is implemented for
//! [`Client`], its tier views and any [`Execute`](crate::Execute) type;
//! `use portone::prelude::*;` brings them all into scope, with their extensions:
//! [`PaymentsExt`] (the one-argument lookups), [`PaymentPages`] (streams over every page)
//! and [`SubscriptionsExt`] (unscheduling, said explicitly).
//!
//! A call takes positionally only what PortOne requires; its optional query parameters are
//! one options value from [`model`](crate::model) named after the call, built with `new()`
//! and setters, so a call never reads `None, None, None`:
//!
//! ```no_run
//! use portone::model::{PaymentStatusFilter, PaymentsByStatus, Sorting};
//! use portone::prelude::*;
//!
//! # async fn run(client: portone::Client) -> portone::Result<()> {
//! let payment = client.payment("imp_123456789012").await?;
//! let page = client
//!     .payments_by_status(
//!         PaymentStatusFilter::All,
//!         &PaymentsByStatus::new().limit(100).sorting(Sorting::PaidDesc),
//!     )
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! [`ENDPOINTS`] lists every declared endpoint, for introspection.

mod auth;
mod certifications;
mod codes;
mod escrow;
mod paging;
mod partners;
mod payments;
mod pg_settings;
mod providers;
mod receipts;
mod subscribe;
mod tiers;
mod vbanks;
mod walk;

pub use auth::Authentication;
pub use certifications::Certifications;
pub use codes::Codes;
pub use escrow::EscrowLogistics;
pub use paging::{PaymentPages, SubscriptionsExt};
pub use partners::PartnerReceipts;
pub(crate) use payments::order_attempts;
pub use payments::{PaymentValidation, Payments, PaymentsExt};
pub use pg_settings::PgSettings;
pub use providers::{Benepia, ConvenienceStore, KcpQuick, NaverPay, Payco, Paymentwall};
pub use receipts::CashReceipts;
pub use subscribe::{BillingKeys, Subscriptions};
pub use tiers::Tiers;
pub use vbanks::VirtualAccounts;
pub use walk::{DEFAULT_CONCURRENCY, PageStream};

use crate::{Client, Endpoint};

/// Every endpoint of the ready-made traits, trait by trait, in declaration order.
pub const ENDPOINTS: &[&[Endpoint]] = &[
    <Client as Authentication>::ENDPOINTS,
    <Client as Payments>::ENDPOINTS,
    <Client as payments::ByMerchantUid>::ENDPOINTS,
    <Client as payments::Prepares>::ENDPOINTS,
    <Client as Subscriptions>::ENDPOINTS,
    <Client as BillingKeys>::ENDPOINTS,
    <Client as VirtualAccounts>::ENDPOINTS,
    <Client as CashReceipts>::ENDPOINTS,
    <Client as Certifications>::ENDPOINTS,
    <Client as EscrowLogistics>::ENDPOINTS,
    <Client as Codes>::ENDPOINTS,
    <Client as PgSettings>::ENDPOINTS,
    <Client as Tiers>::ENDPOINTS,
    <Client as PartnerReceipts>::ENDPOINTS,
    <Client as NaverPay>::ENDPOINTS,
    <Client as Payco>::ENDPOINTS,
    <Client as Paymentwall>::ENDPOINTS,
    <Client as Benepia>::ENDPOINTS,
    <Client as ConvenienceStore>::ENDPOINTS,
    <Client as KcpQuick>::ENDPOINTS,
];

/// Every endpoint of the ready-made traits, flattened.
pub fn endpoints() -> impl Iterator<Item = &'static Endpoint> {
    ENDPOINTS.iter().flat_map(|endpoints| endpoints.iter())
}
