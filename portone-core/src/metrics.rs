//! The names of the metrics the client records through the [`metrics`](https://docs.rs/metrics)
//! facade (feature `metrics`), in Prometheus' style: whatever recorder the application
//! installs (a Prometheus exporter, an OpenTelemetry bridge) receives them. Without a
//! recorder, nothing is kept.
//!
//! | name | kind | labels |
//! | --- | --- | --- |
//! | [`portone_client_requests_total`](REQUESTS) | counter | `method`, `route`, `outcome` |
//! | [`portone_client_request_duration_seconds`](REQUEST_DURATION) | histogram | `method`, `route` |
//! | [`portone_client_token_requests_total`](TOKEN_REQUESTS) | counter | `outcome` (`ok`, `error`) |
//! | [`portone_client_retries_total`](RETRIES) | counter | `method`, `route` |
//! | [`portone_client_retries_refused_total`](RETRIES_REFUSED) | counter | `method`, `route` |
//! | [`portone_client_retry_budget_available`](BUDGET_AVAILABLE) | gauge | |
//!
//! `route` is the route template as OpenTelemetry writes it (`/payments/{imp_uid}`), never
//! a path with ids in it; `method` is the HTTP method. A call's `outcome` is one of:
//!
//! - `ok`: PortOne answered and the call succeeded (a charge: paid);
//! - `refused`: PortOne refused it (`code != 0`, or an error status with its envelope);
//! - `declined`: the card company refused a charge ([`Error::Declined`](crate::Error::Declined));
//! - `unsettled`: a charge answered with a payment that is not settled
//!   ([`Error::Unsettled`](crate::Error::Unsettled)): PortOne answered, the PG had not
//!   decided; apart from `outcome_unknown`, since it points at the PG and not at the
//!   network;
//! - `outcome_unknown`: PortOne may have acted and the answer does not say
//!   ([`Error::is_outcome_unknown`](crate::Error::is_outcome_unknown)): resolve these;
//! - `transport`: no answer from PortOne (connection, timeout, a proxy's page) on a call
//!   that was safe to fail;
//! - `error`: anything else (no token, a request that could not be built, an answer that
//!   did not decode).
//!
//! The retry budget's gauge is set whenever a retry takes from it or an answer gives back.

/// Calls, by `method`, `route` and `outcome`.
pub const REQUESTS: &str = "portone_client_requests_total";
/// How long calls took, in seconds, retries and token included, by `method` and `route`.
pub const REQUEST_DURATION: &str = "portone_client_request_duration_seconds";
/// `POST /users/getToken` requests the client made, by `outcome`.
pub const TOKEN_REQUESTS: &str = "portone_client_token_requests_total";
/// Retries sent, by `method` and `route`.
pub const RETRIES: &str = "portone_client_retries_total";
/// Retries the retry budget refused, by `method` and `route`.
pub const RETRIES_REFUSED: &str = "portone_client_retries_refused_total";
/// The tokens left in the retry budget ([`RetryBudget`](crate::RetryBudget)).
pub const BUDGET_AVAILABLE: &str = "portone_client_retry_budget_available";

/// Describes every metric (help text and unit) to the installed recorder, for exporters
/// that publish descriptions. Call it once, after installing the recorder.
pub fn describe() {
    use ::metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        REQUESTS,
        Unit::Count,
        "PortOne calls, by method, route and outcome"
    );
    describe_histogram!(
        REQUEST_DURATION,
        Unit::Seconds,
        "How long PortOne calls took, retries and token included"
    );
    describe_counter!(TOKEN_REQUESTS, Unit::Count, "getToken requests, by outcome");
    describe_counter!(RETRIES, Unit::Count, "Retries sent, by method and route");
    describe_counter!(
        RETRIES_REFUSED,
        Unit::Count,
        "Retries the retry budget refused, by method and route"
    );
    describe_gauge!(
        BUDGET_AVAILABLE,
        Unit::Count,
        "Tokens left in the retry budget"
    );
}
