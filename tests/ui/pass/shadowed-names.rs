//! The generated code names only absolute paths: a crate whose own `Result`, `Option`,
//! `Send`, `Future`, `Sized`, `Duration`, `serde` and `core` mean something else still
//! compiles, and `crate = "..."` reaches `portone` through a re-export.
#![deny(warnings)]
#![allow(dead_code, non_camel_case_types, clippy::upper_case_acronyms)]

/// `portone` re-exported under another name, as an SDK crate wrapping it would.
mod sdk {
    pub(crate) use ::portone as pay;
}

type Result<T> = (T, u8);
struct Option;
trait Send {}
trait Future {}
struct Sized;
struct Duration;
mod serde {}
mod core {}
struct Method;
struct Request;
struct GET;

/// Declared through the re-export.
#[sdk::pay::api(crate = "crate::sdk::pay")]
pub trait Legacy {
    /// A hidden route.
    #[get("/vbanks/holder", timeout_ms = 3000, undocumented)]
    async fn holder(
        &self,
        #[query] bank_code: &str,
        #[query] bank_num: &str,
        #[header("X-Request-Id")] id: ::core::option::Option<&str>,
    ) -> sdk::pay::Result<serde_json::Value>;

    /// An optional segment and a body.
    #[post("/payments/find/<merchant_uid>/<status?>", idempotent, undocumented)]
    async fn find(
        &self,
        merchant_uid: &str,
        status: ::core::option::Option<&str>,
        #[body] body: &serde_json::Value,
    ) -> sdk::pay::Result<()>;
}

fn main() {
    let endpoints = <sdk::pay::Client as Legacy>::ENDPOINTS;
    assert_eq!(endpoints.len(), 2);
    assert_eq!(endpoints[0].timeout_ms, ::core::option::Option::Some(3000));
    assert!(endpoints[1].idempotent);
}
