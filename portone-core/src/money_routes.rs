//! The routes that move money, so that a request built by hand keeps PortOne's money rules:
//! every route of the vendored spec that moves money or changes a schedule, and the
//! undocumented ones older SDKs still call.
//!
//! The table is generated (`tests/src/money_table.rs`, from the same list that marks the
//! routes in `#[portone::api]`'s spec table); `tests/tests/spec_table.rs` fails when it
//! drifts.

use reqwest::Method;

use crate::money::Money;
use crate::money::Money::{Charges, Issues, Moves};

// Generated: one route a line.
#[rustfmt::skip]
mod table;

/// One route that moves money: its method, its path in PortOne's notation (`{name}` for a
/// placeholder) and its rule.
pub(crate) struct Route {
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    pub(crate) money: Money,
}

/// The rule of the route `path` (percent-encoded, without the query) for `method`, when it
/// is one that moves money. A trailing slash is ignored, as PortOne's server ignores it.
pub(crate) fn lookup(method: &Method, path: &str) -> Option<Money> {
    // Reads never move money: the common case costs one comparison.
    if *method == Method::GET {
        return None;
    }
    let path = match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed,
        _ => path,
    };
    table::ROUTES
        .iter()
        .find(|route| route.method == method.as_str() && fits(path, route.path))
        .map(|route| route.money)
}

/// Whether `path` is `route`: literal segments equal, any one non-empty segment where the
/// route has a `{placeholder}`.
fn fits(path: &str, route: &str) -> bool {
    let mut given = path.split('/');
    let mut wanted = route.split('/');
    loop {
        match (given.next(), wanted.next()) {
            (None, None) => return true,
            (Some(segment), Some(expected)) => {
                let fits = if expected.starts_with('{') {
                    !segment.is_empty()
                } else {
                    segment == expected
                };
                if !fits {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_routes_are_found_by_their_path() {
        let post = Method::POST;
        assert_eq!(lookup(&post, "/payments/cancel"), Some(Moves));
        assert_eq!(lookup(&post, "/payments/cancel/"), Some(Moves));
        assert_eq!(lookup(&post, "/subscribe/payments/again"), Some(Charges));
        assert_eq!(
            lookup(&post, "/subscribe/payments/schedule/order%2F1/retry"),
            Some(Charges)
        );
        assert_eq!(lookup(&post, "/subscribe/payments/foreign"), Some(Charges));
        assert_eq!(lookup(&post, "/vbanks"), Some(Issues));
        assert_eq!(lookup(&Method::DELETE, "/vbanks/imp_1"), Some(Moves));
        assert_eq!(lookup(&Method::PUT, "/vbanks/imp_1"), Some(Moves));
        // Not money, or not this method, or not this shape.
        assert_eq!(lookup(&Method::GET, "/payments/cancel"), None);
        assert_eq!(lookup(&post, "/payments/prepare"), None);
        assert_eq!(lookup(&post, "/payments/cancel/extra"), None);
        assert_eq!(lookup(&Method::DELETE, "/vbanks/"), None);
        assert_eq!(lookup(&post, "/subscribe/payments/schedule//retry"), None);
        assert_eq!(lookup(&post, "/"), None);
    }
}
