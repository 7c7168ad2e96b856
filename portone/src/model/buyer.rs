//! The buyer's details, the same five optional fields in every request that pays.

use serde::Serialize;

/// `buyer_name`, `buyer_email`, `buyer_tel`, `buyer_addr` and `buyer_postcode`, flattened
/// into the request's JSON body; set through each request type's `buyer_*` setters.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Buyer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) buyer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) buyer_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) buyer_tel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) buyer_addr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) buyer_postcode: Option<String>,
}
