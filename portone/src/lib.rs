//! A Rust client for the [PortOne](https://portone.io) (formerly iamport) V1 REST API at
//! `api.iamport.kr`.
//!
//! - [`Client`]: credentials, a token cache (fetched lazily, refreshed in its final minute,
//!   single flight, refreshed once on 401), the token header of your choice, agency `Tier`s,
//!   retries that never re-send a money-moving POST, and PortOne's envelope decoded into
//!   your type or a typed [`Error`].
//! - [`mod@api`]: all 80 documented operations as ready-made traits, with [`model`] types.
//! - [`macro@api`]: declare the endpoints you need, including routes PortOne never
//!   documented, as trait methods checked at compile time.
//! - [`verify`]: the check before shipping: a payment looked up and judged against your own
//!   order, with a typed verdict; [`webhook`]: PortOne's notifications, read from either
//!   body PortOne sends.
//!
//! ```no_run
//! use portone::prelude::*;
//!
//! // An undocumented route, declared by the user: the compiler checks the others against
//! // PortOne's spec.
//! #[portone::api]
//! pub trait Holders {
//!     #[get("/vbanks/holder", undocumented)]
//!     async fn vbank_holder(
//!         &self,
//!         #[query] bank_code: &str,
//!         #[query] bank_num: &str,
//!     ) -> portone::Result<portone::model::VbankHolder>;
//! }
//!
//! # async fn run() -> portone::Result<()> {
//! let client = portone::Client::from_env()?;
//! let payment = client.payment("imp_123456789012").await?;         // ready-made
//! let holder = client.vbank_holder("004", "1234567890").await?;   // declared above
//! # Ok(()) }
//! ```

extern crate self as portone;

pub mod api;
pub mod model;
pub mod resolve;
pub mod verify;
pub mod webhook;

pub use portone_core::*;
pub use portone_macros::api;

#[doc(hidden)]
pub use portone_core::__private;

/// The README's examples, compiled as doctests so that they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Everything needed to call PortOne: the client, the ready-made traits and their
/// extensions, payment verification, and the request trait.
pub mod prelude {
    pub use crate::api::{
        Authentication, Benepia, BillingKeys, CashReceipts, Certifications, Codes,
        ConvenienceStore, EscrowLogistics, KcpQuick, NaverPay, PartnerReceipts, Payco,
        PaymentPages, PaymentValidation, Payments, PaymentsExt, Paymentwall, PgSettings,
        Subscriptions, SubscriptionsExt, Tiers, VirtualAccounts,
    };
    pub use crate::resolve::Resolution;
    pub use crate::verify::Verification;
    pub use crate::{Client, Error, Execute, Refusal, Result};
}
