//! Every argument kind and verb option, under `#![deny(warnings)]`.
#![deny(warnings)]

use std::future::Future;

use portone::{Client, Endpoint, Location, Money, Param};
use serde::{Deserialize, Serialize};

/// A payment, trimmed to what this test reads.
#[derive(Debug, Deserialize)]
pub struct Payment {
    /// PortOne's id.
    pub imp_uid: String,
}

/// A payment status, as a path segment.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Paid.
    Paid,
}

/// Paging, as a query struct whose fields become pairs.
#[derive(Debug, Serialize)]
pub struct Paging {
    /// From 1.
    pub page: u32,
    /// Omitted when `None`.
    pub limit: Option<u32>,
}

/// A request body.
#[derive(Debug, Serialize)]
pub struct Body {
    /// The payment it is about.
    pub imp_uid: String,
}

/// Endpoints of the test.
#[portone::api]
pub trait Billing {
    /// A path parameter.
    #[get("/payments/<imp_uid>")]
    async fn payment(&self, imp_uid: &str) -> portone::Result<Payment>;

    /// An optional last segment, a query struct and a renamed query key.
    #[get("/payments/findAll/<merchant_uid>/<status?>")]
    async fn find(
        &self,
        merchant_uid: &str,
        status: Option<Status>,
        #[query(flatten)] paging: Option<&Paging>,
        #[query("sorting")] order: Option<&str>,
    ) -> portone::Result<Vec<Payment>>;

    /// A repeated query key.
    #[get("/payments")]
    async fn payments(
        &self,
        #[query("imp_uid[]")] imp_uids: &[String],
    ) -> portone::Result<Vec<Payment>>;

    /// A body, on a POST that only reads, marked idempotent.
    #[post("/benepia/point", idempotent)]
    async fn points(&self, #[body] request: &Body) -> portone::Result<serde_json::Value>;

    /// Scalar queries, an optional header, a timeout, and a route PortOne does not document.
    #[get("/vbanks/holder", timeout_ms = 5000, undocumented)]
    async fn holder(
        &self,
        #[query] bank_code: &str,
        #[query] bank_num: &str,
        #[header("X-Request-Id")] id: Option<&str>,
    ) -> portone::Result<serde_json::Value>;

    /// The other verbs, a keyword argument name and a named lifetime.
    #[put("/things/<type>", undocumented)]
    async fn put<'a>(
        &'a self,
        r#type: u32,
        #[body] body: &'a serde_json::Value,
    ) -> portone::Result<()>;

    /// `patch`.
    #[patch("/things/<id>", undocumented)]
    async fn patch(&self, id: u64, #[body] body: serde_json::Value) -> portone::Result<()>;

    /// `delete`, compiled only where `cfg` says.
    #[cfg(not(any()))]
    #[delete("/subscribe/customers/<customer_uid>")]
    async fn delete_customer(&self, customer_uid: String) -> portone::Result<serde_json::Value>;

    /// A charge: a `failed` payment in the answer is `Error::Declined`.
    #[post("/subscribe/payments/again", charge)]
    async fn again(&self, #[body] request: &Body) -> portone::Result<Payment>;

    /// Never compiled: not in the trait, not in `ENDPOINTS`.
    #[cfg(any())]
    #[get("/gone", undocumented)]
    async fn gone(&self) -> portone::Result<()>;
}

/// The returned future owns everything: the arguments can be dropped before it runs.
fn spawnable(
    client: &Client,
) -> impl Future<Output = portone::Result<Vec<Payment>>> + Send + 'static {
    let merchant_uid = String::from("order/1");
    let order = String::from("-paid");
    let paging = Paging {
        page: 1,
        limit: None,
    };
    client.find(
        &merchant_uid,
        Some(Status::Paid),
        Some(&paging),
        Some(&order),
    )
}

/// Any `Execute` type gets the methods; generic code can name the trait as a bound, and the
/// future is `'static` even when `E` is not known to be.
fn generic<E: Billing>(
    executor: &E,
) -> impl Future<Output = portone::Result<()>> + Send + 'static + use<E> {
    executor.patch(1, serde_json::json!({}))
}

fn main() {
    let _ = (spawnable, generic::<Client>);
    let endpoints: &[Endpoint] = <Client as Billing>::ENDPOINTS;
    let names: Vec<_> = endpoints.iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        [
            "payment",
            "find",
            "payments",
            "points",
            "holder",
            "put",
            "patch",
            "delete_customer",
            "again"
        ]
    );
    assert_eq!(
        endpoints[1],
        Endpoint {
            name: "find",
            method: "GET",
            template: "/payments/findAll/<merchant_uid>/<status?>",
            params: &[
                Param {
                    name: "merchant_uid",
                    key: "merchant_uid",
                    location: Location::Path
                },
                Param {
                    name: "status",
                    key: "status",
                    location: Location::OptionalPath
                },
                Param {
                    name: "paging",
                    key: "",
                    location: Location::QueryFields
                },
                Param {
                    name: "order",
                    key: "sorting",
                    location: Location::Query
                },
            ],
            timeout_ms: None,
            idempotent: true,
            money: Money::Untouched,
        }
    );
    assert_eq!(endpoints[2].params[0].key, "imp_uid[]");
    assert!(endpoints[3].idempotent && endpoints[3].params[0].location == Location::Body);
    assert_eq!(endpoints[4].timeout_ms, Some(5000));
    assert_eq!(endpoints[4].params[2].key, "X-Request-Id");
    assert_eq!(endpoints[5].params[0].name, "type");
    assert!(!endpoints[6].idempotent);
    assert!(!endpoints[7].idempotent && endpoints[7].method == "DELETE");
    assert!(endpoints[8].money == Money::Charges && !endpoints[8].idempotent);
    assert_eq!(endpoints[7].money, Money::Untouched);
}
