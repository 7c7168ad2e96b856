//! Procedural macros of [`portone`](https://docs.rs/portone). Use them through that crate:
//! `#[portone::api]`.
//!
//! The macro runs in stages, one file each: `attr` reads the attributes, `template` the
//! route templates, `ast` builds the model and checks each method's shape, `valid` checks how
//! the parts fit together and `spec/` each route against PortOne's spec (its `table`,
//! generated; `route` finds the route, `suggest` what a mistaken route or name may have
//! meant) and `money/` against PortOne's money rules (which routes move money, charge or
//! issue a payment; its `table` generated too), then `expand` writes the code, or `fallback`
//! writes a trait that still compiles next to the errors. Every path the generated code names
//! is in `paths`.

mod ast;
mod attr;
mod ctxt;
mod expand;
mod fallback;
mod money;
mod paths;
mod spec;
mod template;
mod valid;

use proc_macro::TokenStream;

/// Declares PortOne endpoints as the methods of a trait; the compiler checks each route.
///
/// Write a trait of `async fn`s, each with a verb and a path; the macro implements it for
/// every type that sends requests (the runtime's `Execute` trait): `portone::Client`, its
/// tier views (`client.with_tier("A1B")?`) and your own test doubles. Each route is checked
/// against PortOne's API ([below](#checked-against-portones-api)). This is how to reach a
/// route the crate does not cover, such as one PortOne stopped documenting:
///
/// ```no_run
/// use serde::Deserialize;
///
/// /// The answer of `GET /vbanks/holder`.
/// #[derive(Debug, Deserialize)]
/// pub struct Holder {
///     /// The account holder's name.
///     pub bank_holder: String,
/// }
///
/// /// Routes missing from PortOne's current documentation.
/// #[portone::api]
/// pub trait Legacy {
///     /// The holder of a bank account.
///     #[get("/vbanks/holder", timeout_ms = 5000, undocumented)]
///     async fn holder(
///         &self,
///         #[query] bank_code: &str,
///         #[query] bank_num: &str,
///     ) -> portone::Result<Holder>;
/// }
///
/// # async fn run() -> portone::Result<()> {
/// let client = portone::Client::from_env()?;
/// let holder = client.holder("004", "1234567890").await?;
/// println!("{}", holder.bank_holder);
/// # Ok(())
/// # }
/// ```
///
/// # Methods
///
/// Each method is `async fn name(&self, arguments..) -> portone::Result<T>;` with no body,
/// where `T` is what the envelope's `response` decodes into (`()` when it is `null`). It
/// carries exactly one verb attribute: `#[get("/path")]`, `#[post(..)]`, `#[put(..)]`,
/// `#[patch(..)]` or `#[delete(..)]`. Doc comments, `#[cfg]` and other attributes on the trait
/// and its methods are kept; a method removed by `#[cfg]` is also absent from [`ENDPOINTS`].
///
/// In the trait the macro emits, the method returns
/// `impl Future<Output = portone::Result<T>> + Send + 'static + use<Self>`: the request is
/// encoded when the method is called, so the future borrows neither the client nor the
/// arguments and can be given to `tokio::spawn` or returned from an axum handler, also from
/// code generic over the trait. A mistake in a value (an
/// empty path segment, an invalid header value) makes the future resolve to
/// `Error::InvalidRequest` without sending anything.
///
/// # The path
///
/// The path is a string starting with `/`. A segment `<name>` is filled by the argument of
/// that name; `<name?>`, only as the last segment, by an `Option` argument and left out when
/// it is `None`. A placeholder fills a whole segment. Values are percent-encoded into exactly
/// one segment each (a `/` in a `merchant_uid` stays inside its segment); `""`, `"."` and
/// `".."` are refused, since a server would read them as another route. Literal text may use
/// letters, digits and `-._~!$&'()*+,;=:@`, so it is sent exactly as written.
///
/// # Arguments
///
/// | Argument | Sent as |
/// |---|---|
/// | `imp_uid: &str` (no attribute) | the path segment `<imp_uid>`; any type that serializes as one scalar: strings, numbers, `bool`, unit enum variants |
/// | `status: Option<Status>` | the optional last segment `<status?>` |
/// | `#[query] page: u32` | `?page=1`; the key is the argument's name |
/// | `#[query("imp_uid[]")] ids: &[String]` | `?imp_uid[]=a&imp_uid[]=b`: a sequence repeats the key |
/// | `#[query] sorting: Option<&str>` | nothing when `None` |
/// | `#[query(flatten)] filter: &Filter` | a `Serialize` struct: one pair per field, under the fields' serde names |
/// | `#[header("X-Request-Id")] id: Option<&str>` | a header; nothing when `None` |
/// | `#[body] request: &CancelPayment` | the JSON body (not on `get` or `delete`); one per method |
///
/// Arguments are plain names (`imp_uid: &str`); a keyword works as a raw identifier
/// (`r#type: &str` fills `<type>`). Query pairs keep the order of the arguments.
///
/// For a route with many optional parameters, declare one `#[query(flatten)] options: &Options`
/// argument rather than a row of `Option`s: a `Serialize` struct of `Option` fields under
/// the wire names, which callers build with `Default` and setters. Mark the struct
/// `#[serde_with::skip_serializing_none]` (before its `derive`) so that an unset field is
/// not sent: one line for the struct, not `skip_serializing_if` on every field. Keep what
/// the route requires positional, so that the check against PortOne's spec sees it. The
/// ready-made API does this throughout:
///
/// ```
/// use portone::model::{PaymentStatusFilter, PaymentsByStatus, Sorting};
/// use portone::prelude::*;
///
/// # async fn run(client: portone::Client) -> portone::Result<()> {
/// // GET /payments/status/paid?limit=100&sorting=-paid
/// let page = client
///     .payments_by_status(
///         PaymentStatusFilter::Paid,
///         &PaymentsByStatus::new().limit(100).sorting(Sorting::PaidDesc),
///     )
///     .await?;
/// # Ok(()) }
/// ```
///
/// # Verb options
///
/// After the path, separated by commas:
///
/// - `timeout_ms = 5000`: this call's timeout in milliseconds, in place of the client's.
/// - `idempotent`: the call may be sent again when it may have reached the server, as the
///   client does for `get` and `put` (so it is refused on those). For a POST that only
///   reads; never for one that moves money, and refused on the routes PortOne's money moves
///   through (below). `delete` is not retried by default: PortOne's DELETEs revoke
///   something, and a second one after a lost answer would read "not found".
/// - `charge`: the call asks for a payment (with a billing key or card data), on a route
///   PortOne does not document. Its `Ok` then means paid: PortOne answers a card company's
///   refusal with `code: 0` and a payment whose `status` is `failed`, which is
///   `Err(portone::Error::Declined(..))`, and any other status is
///   `Err(portone::Error::Unsettled(..))`, an unknown outcome. A charge is never retried
///   after it may have reached the server. On `post`, `put` and `patch` only.
/// - `undocumented`: the route is one PortOne serves without documenting it; it is not
///   checked against the spec (see below), and must not be one the spec documents.
///
/// No other option exists: what the client does per call (tier, token header, retries) is
/// set on the `Client`.
///
/// # Money follows the route
///
/// The macro knows which of PortOne's routes move money: refunds, charges, schedules,
/// virtual accounts, Naver Pay cancellations and returns, escrow, and the undocumented
/// `POST /subscribe/payments/foreign` that older SDKs charge through. On those, the route's
/// own rule applies whatever the declaration says (`Endpoint::money`): a charge route
/// (`POST /subscribe/payments/again`, `onetime`, a schedule's `retry`, KCP Quick, Benepia)
/// is a charge without `charge`; `POST /vbanks` and `POST /cvs` are `Ok` only for a `ready`
/// payment; and none is ever sent twice. `idempotent` on such a route is a compile error
/// that names it, and so is `charge` on a documented route that charges nothing or
/// issues a payment to be made later:
///
/// ```text
/// `POST /payments/cancel` moves money and PortOne's V1 API has no idempotency key: a retry after a lost answer could move money twice; remove `idempotent`
/// `POST /vbanks` issues a payment the buyer makes later, settled by `ready` and not `paid`: remove `charge`
/// ```
///
/// # Checked against PortOne's API
///
/// The macro carries PortOne's V1 spec (the copy vendored in `portone`, compiled into the
/// macro as a table: nothing is read or fetched while you build) and checks every method
/// against it:
///
/// - The route exists with that verb. Placeholders match by position, not by name
///   (`<id>` fits `{imp_uid}`), and a literal segment must be PortOne's literal. The last
///   segment that PortOne marks optional (the status of `/payments/find/{merchant_uid}/{payment_status}`
///   and `findAll`) fits `<name?>`, `<name>`, or can be left out.
/// - Each `#[query]` is a query parameter the spec lists for that route, under its exact
///   name (`#[query("imp_uid[]")]`, `#[query("schedule-status")]`), and every parameter the
///   spec requires is sent. The form fields PortOne lists on a GET (`channel_key` of
///   `GET /naver/reviews`) count as query parameters, since a GET has no body.
/// - A `#[body]` is required where the spec has required body fields, and refused where it
///   lists none.
///
/// A mistake is a compile error on the route or the argument at fault, with what PortOne
/// documents instead:
///
/// ```text
/// no PortOne V1 route `GET /payments/{imp_uid}/balanse`; did you mean `GET /payments/{imp_uid}/balance`?
/// PortOne documents `GET` for `/payments/{imp_uid}`, not `POST`
/// PortOne documents no query parameter `include_sandbx` for `GET /payments/{imp_uid}`; did you mean `include_sandbox`?
/// PortOne requires the query parameters `from` and `to` for `GET /subscribe/customers/{customer_uid}/schedules`: add a `#[query]` argument for each
/// PortOne documents no body for `POST /payments/{imp_uid}/naver/point`: remove `#[body]`
/// ```
///
/// `#[query(flatten)] options: &Options` sends a struct's fields as the query parameters;
/// their names are serde's, which the macro cannot see, so they are not checked and may
/// send the required ones. A plain `#[query] options` is checked as a parameter named
/// `options` (the error suggests `flatten`).
///
/// A route PortOne serves but does not document is declared on purpose with
/// `undocumented`, which skips these checks for that method. When an earlier revision of
/// the spec listed the route, the error for the unmarked method says so:
///
/// ```text
/// no PortOne V1 route `GET /vbanks/holder`: last documented in the 2025-09 revision of PortOne's spec, hidden from its docs since 2026-03; mark it `undocumented` to declare it anyway
/// ```
///
/// `undocumented` on a route the spec documents is an error too, so the mark stays true when
/// PortOne documents the route later.
///
/// # Endpoints as data
///
/// The trait gets an associated constant `ENDPOINTS: &'static [portone::Endpoint]`, one
/// entry per method in declaration order, with the method name, the HTTP method, the template
/// as written, and each argument's name, wire name and location (`QueryFields` for a
/// `#[query(flatten)]` struct). Read it as
/// `<portone::Client as Legacy>::ENDPOINTS`, for instance to test that every route your code
/// declares exists in a spec.
///
/// # Equivalent code without the macro
///
/// For this declaration:
///
/// ```
/// # #[derive(serde::Deserialize)] pub struct Customer;
/// #[portone::api]
/// pub trait Billing {
///     /// A billing-key customer.
///     #[get("/subscribe/customers/<customer_uid>")]
///     async fn customer(&self, customer_uid: &str) -> portone::Result<Customer>;
/// }
/// ```
///
/// the macro writes this (with absolute paths into `portone`'s hidden runtime module):
///
/// ```
/// # #[derive(serde::Deserialize)] pub struct Customer;
/// use std::future::Future;
///
/// use portone::{Endpoint, Execute, Location, Method, Money, Param, Request};
///
/// pub trait Billing: Execute {
///     /// The endpoints this trait declares.
///     const ENDPOINTS: &'static [Endpoint] = &[Endpoint {
///         name: "customer",
///         method: "GET",
///         template: "/subscribe/customers/<customer_uid>",
///         params: &[Param {
///             name: "customer_uid",
///             key: "customer_uid",
///             location: Location::Path,
///         }],
///         timeout_ms: None,
///         idempotent: true,
///         money: Money::Untouched,
///     }];
///
///     /// A billing-key customer.
///     fn customer(
///         &self,
///         customer_uid: &str,
///     ) -> impl Future<Output = portone::Result<Customer>> + Send + 'static + use<Self>;
/// }
///
/// impl<C: Execute + ?Sized> Billing for C {
///     fn customer(
///         &self,
///         customer_uid: &str,
///     ) -> impl Future<Output = portone::Result<Customer>> + Send + 'static + use<C> {
///         // Everything is encoded now; the future owns the finished request.
///         let request = Request::builder(Method::GET, "/subscribe/customers/<customer_uid>")
///             .path("/subscribe/customers")
///             .segment(&customer_uid)
///             .money_of_route(Money::Untouched)
///             .build();
///         let sent = request.map(|request| self.call(request));
///         async move { sent?.await }
///     }
/// }
/// ```
///
/// # Renamed dependency
///
/// The generated code names `::portone`. When the dependency has another name
/// (`pay = { package = "portone", .. }`), say so: `#[pay::api(crate = "pay")]`, or any path
/// to the crate, such as `crate = "::my_sdk::portone"` for a re-export.
///
/// # Compile errors
///
/// Mistakes are reported together, each on the tokens at fault: a placeholder with no
/// argument or an argument used nowhere, two placeholders with one name, a method without a
/// verb or with two, an unknown option, a malformed path (no leading `/`, an unclosed `<`, an
/// empty `<>`, a placeholder that is not an identifier, `?` or `#` outside `<name?>`, a `.` or
/// `..` segment, text that needs percent-encoding), an optional placeholder that is not last
/// or whose argument is not an `Option`, two `#[body]` or one on `get`/`delete`, an empty query
/// or header name, a method that is not `async`, lacks `&self`, has a body, type parameters or
/// `impl Trait` arguments, an argument that is not a plain name, and every disagreement with
/// PortOne's spec above. The trait is still emitted next to the errors, so code using it
/// reports nothing more.
///
/// [`ENDPOINTS`]: #endpoints-as-data
#[proc_macro_attribute]
pub fn api(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::api(args.into(), input.into()).into()
}
