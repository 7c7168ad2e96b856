//! Who may use the admin API: open on a loopback address, behind a token elsewhere.

use std::net::SocketAddr;

use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::reply::Reply;

/// Who may use the admin API, fixed at start.
pub(crate) struct Access {
    addr: SocketAddr,
    token: Option<String>,
}

impl Access {
    pub(crate) fn new(addr: SocketAddr, token: Option<String>) -> Access {
        Access { addr, token }
    }

    /// The refusal of a request that may not use the admin API. Open on a loopback
    /// address; with a token, only to requests that carry it; refused otherwise, since
    /// anyone who reaches the port could make payments and read what clients sent
    /// (secrets included) in the request log.
    pub(crate) fn refuse(&self, parts: &Parts) -> Option<Response> {
        match &self.token {
            Some(want) => {
                let given = bearer(parts).or_else(|| query_token(parts));
                if given.is_some_and(|g| same(g.as_bytes(), want.as_bytes())) {
                    return None;
                }
                let mut res = Reply::fail(
                    StatusCode::UNAUTHORIZED,
                    -1,
                    "the admin API needs the admin token: send `Authorization: Bearer <token>` \
                     (or `?admin_token=<token>` from a browser)",
                )
                .into_response();
                res.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"portone-mock admin\""),
                );
                Some(res)
            }
            None if self.addr.ip().to_canonical().is_loopback() => None,
            None => Some(
                Reply::fail(
                    StatusCode::FORBIDDEN,
                    -1,
                    format!(
                        "the admin API is off: this server listens on {}, which is not a \
                         loopback address; start it with --admin-token to use it",
                        self.addr
                    ),
                )
                .into_response(),
            ),
        }
    }
}

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

fn query_token(parts: &Parts) -> Option<String> {
    form_urlencoded::parse(parts.uri.query()?.as_bytes())
        .find(|(k, _)| k == "admin_token")
        .map(|(_, v)| v.into_owned())
}

/// Compares in time that depends on the length only, not on where the first difference
/// is, so that the token cannot be guessed byte by byte from answer times.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && std::hint::black_box(a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y))) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comparison() {
        assert!(same(b"s3cret", b"s3cret"));
        assert!(!same(b"s3cret", b"s3creT"));
        assert!(!same(b"s3cret", b"s3cret!"));
        assert!(!same(b"", b"x"));
    }
}
