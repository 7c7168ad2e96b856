//! The rows of the spec table (`table.rs`): what the spec says about each route.

use crate::attr::Verb;

/// One operation of the spec.
pub(crate) struct Operation {
    pub(crate) verb: Verb,
    /// As PortOne writes it: `/payments/find/{merchant_uid}/{payment_status}`.
    pub(crate) path: &'static str,
    /// Whether the last path segment may be left out.
    pub(crate) optional_last: bool,
    pub(crate) query: &'static [Field],
    /// The body fields; none when the operation takes no body.
    pub(crate) body: &'static [Field],
}

/// A query parameter or body field.
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) required: bool,
}

/// A required field (the table's shorthand).
pub(crate) const fn req(name: &'static str) -> Field {
    Field {
        name,
        required: true,
    }
}

/// An optional field (the table's shorthand).
pub(crate) const fn opt(name: &'static str) -> Field {
    Field {
        name,
        required: false,
    }
}

/// A route an earlier revision of the spec lists and the current one does not.
pub(crate) struct Former {
    pub(crate) verb: Verb,
    pub(crate) path: &'static str,
    /// How each revision of `REVISIONS` lists it.
    pub(crate) listed: &'static [Listing],
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listing {
    /// In the spec and in PortOne's docs.
    Shown,
    /// In the spec, marked `x-portone-hidden`: not in the docs.
    Hidden,
    /// Not in the spec.
    Absent,
}

/// Whether a segment of a spec path is a placeholder: `{imp_uid}`.
pub(crate) fn is_param(segment: &str) -> bool {
    segment.starts_with('{')
}
