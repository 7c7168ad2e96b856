//! PortOne's API, one module per area; what the handlers take from a request is in
//! [`extract`], list answers in [`lists`]. The server (`crate::server`) mounts these
//! routes beside the admin API.

mod auth;
mod billing;
mod cancel;
mod certifications;
mod codes;
mod escrow;
pub(crate) mod extract;
mod lists;
mod naver;
mod partners;
mod payments;
mod receipts;
mod schedules;
mod vbanks;

use std::sync::Arc;

use axum::Router;

use crate::shared::Shared;

/// Every route of PortOne's API.
pub(crate) fn api() -> Router<Arc<Shared>> {
    Router::new()
        .merge(auth::routes())
        .merge(payments::routes())
        .merge(cancel::routes())
        .merge(billing::routes())
        .merge(schedules::routes())
        .merge(vbanks::routes())
        .merge(receipts::routes())
        .merge(certifications::routes())
        .merge(escrow::routes())
        .merge(codes::routes())
        .merge(naver::routes())
        .merge(partners::routes())
}
