//! The buyer's details, the same five optional fields in every request that pays.

use serde::Serialize;

/// `buyer_name`, `buyer_email`, `buyer_tel`, `buyer_addr` and `buyer_postcode`, flattened
/// into the request's JSON body; set through each request type's `buyer_*` setters.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Buyer {
    pub(crate) buyer_name: Option<String>,
    pub(crate) buyer_email: Option<String>,
    pub(crate) buyer_tel: Option<String>,
    pub(crate) buyer_addr: Option<String>,
    pub(crate) buyer_postcode: Option<String>,
}
