//! Endpoints as data: what `#[portone::api]` declared, for introspection and tests.

/// One declared endpoint: every trait made with `#[portone::api]` lists its methods in
/// `<Client as Trait>::ENDPOINTS`, in declaration order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// The Rust method name.
    pub name: &'static str,
    /// The HTTP method: `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// The path template exactly as written, such as `/payments/find/<merchant_uid>/<status?>`.
    pub template: &'static str,
    /// The arguments and where each goes.
    pub params: &'static [Param],
    /// The timeout given in the attribute, in milliseconds.
    pub timeout_ms: Option<u64>,
    /// Whether the call may be retried after it may have reached the server.
    pub idempotent: bool,
    /// What the call does with money: the route's own rule for the routes PortOne documents
    /// as moving money, otherwise what the declaration says (`charge`).
    pub money: crate::Money,
}

impl Endpoint {
    /// The parameters at `location`.
    pub fn params_at(&self, location: Location) -> impl Iterator<Item = &'static Param> + use<> {
        self.params.iter().filter(move |p| p.location == location)
    }
}

/// One argument of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The Rust argument name.
    pub name: &'static str,
    /// The name on the wire: the placeholder, query key (`imp_uid[]`) or header name;
    /// empty for a body and for a struct of query fields.
    pub key: &'static str,
    /// Where the value goes.
    pub location: Location,
}

/// Where an argument goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A `<name>` path segment.
    Path,
    /// A `<name?>` last path segment, omitted when `None`.
    OptionalPath,
    /// A query parameter (or, for a struct, its fields).
    Query,
    /// A struct whose fields are query parameters, under their serde names:
    /// `#[query(flatten)]`.
    QueryFields,
    /// A header.
    Header,
    /// The JSON body.
    Body,
}
