//! What the check against PortOne's spec accepts, under `#![deny(warnings)]`: placeholders of
//! the user's own names, the optional last segment written three ways, the spec's array and
//! bracket query names, a struct of query parameters, a GET's form field sent as a query
//! parameter, and routes PortOne does not document marked `undocumented`.
#![deny(warnings)]

use portone::{Client, Location};
use serde::Serialize;

/// A time range, sent as the query parameters `from` and `to`.
#[derive(Debug, Serialize)]
pub struct Range {
    /// Unix seconds.
    pub from: u64,
    /// Unix seconds.
    pub to: u64,
}

/// Routes checked against the spec.
#[portone::api]
pub trait Checked {
    /// `{imp_uid}` is `<id>` here: placeholders match by position.
    #[get("/payments/<id>")]
    async fn payment(
        &self,
        id: &str,
        #[query] include_sandbox: Option<bool>,
    ) -> portone::Result<serde_json::Value>;

    /// The optional `{payment_status}` as `<status?>`.
    #[get("/payments/find/<order>/<status?>")]
    async fn find(
        &self,
        order: &str,
        status: Option<&str>,
        #[query] sorting: Option<&str>,
    ) -> portone::Result<serde_json::Value>;

    /// The optional `{payment_status}` always sent.
    #[get("/payments/find/<order>/<status>")]
    async fn find_in(&self, order: &str, status: &str) -> portone::Result<serde_json::Value>;

    /// The optional `{payment_status}` left out.
    #[get("/payments/findAll/<order>")]
    async fn find_all(
        &self,
        order: &str,
        #[query] page: Option<u32>,
        #[query] limit: Option<u32>,
    ) -> portone::Result<serde_json::Value>;

    /// PHP-style array names, as the spec spells them.
    #[get("/payments")]
    async fn payments(
        &self,
        #[query("imp_uid[]")] imp_uids: &[&str],
        #[query("merchant_uid[]")] merchant_uids: &[&str],
    ) -> portone::Result<serde_json::Value>;

    /// A bracketed name.
    #[delete("/subscribe/customers/<uid>")]
    async fn delete_customer(
        &self,
        uid: &str,
        #[query("extra[requester]")] requester: Option<&str>,
    ) -> portone::Result<serde_json::Value>;

    /// A struct of query parameters sends the required `from` and `to`; a hyphenated name.
    #[get("/subscribe/customers/<uid>/schedules")]
    async fn schedules(
        &self,
        uid: &str,
        #[query(flatten)] range: &Range,
        #[query("schedule-status")] status: Option<&str>,
    ) -> portone::Result<serde_json::Value>;

    /// The spec lists `channel_key` as a form field of this GET: it is a query parameter.
    #[get("/naver/reviews")]
    async fn reviews(
        &self,
        #[query] channel_key: &str,
        #[query] review_type: &str,
        #[query(flatten)] range: &Range,
    ) -> portone::Result<serde_json::Value>;

    /// Body fields all optional: no body is fine.
    #[post("/subscribe/payments/unschedule")]
    async fn unschedule_all(&self) -> portone::Result<serde_json::Value>;

    /// Hidden from PortOne's docs, served anyway.
    #[get("/vbanks/holder", undocumented)]
    async fn holder(
        &self,
        #[query] bank_code: &str,
        #[query] bank_num: &str,
    ) -> portone::Result<serde_json::Value>;

    /// Never documented.
    #[post("/subscribe/payments/foreign", undocumented)]
    async fn pay_foreign(
        &self,
        #[body] request: &serde_json::Value,
    ) -> portone::Result<serde_json::Value>;

    /// Documented with another verb only.
    #[put("/tiers/<code>", timeout_ms = 3000, undocumented)]
    async fn rename_tier(
        &self,
        code: &str,
        #[body] request: &serde_json::Value,
    ) -> portone::Result<serde_json::Value>;
}

fn main() {
    let endpoints = <Client as Checked>::ENDPOINTS;
    assert_eq!(endpoints.len(), 12);
    let schedules = endpoints
        .iter()
        .find(|e| e.name == "schedules")
        .map(|e| e.params)
        .unwrap_or_default();
    assert_eq!(schedules[1].location, Location::QueryFields);
    assert_eq!(schedules[1].key, "");
    assert_eq!(schedules[2].key, "schedule-status");
}
