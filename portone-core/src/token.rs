//! Access tokens: fetched lazily from `POST /users/getToken`, cached, shared by every view of
//! a client, refreshed by a single caller at a time.
//!
//! PortOne's rules (NOTES): a token lives 30 minutes; asking again while it is valid returns
//! the same token and expiry; asking in its final 60 s extends it by 5 minutes. So the cache
//! refreshes in the final minute and not before: an earlier refresh is a wasted round trip
//! that changes nothing, and refreshing "when less than 5 minutes are left" would call
//! getToken on every request for 4 minutes. 60 s is also far more than a request takes to
//! reach the server, so a token is never sent after its expiry unless the clocks disagree by
//! more than that, which the 401 path then repairs.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};
use serde::Deserialize;

use crate::error::{Error, Result};

/// How long before expiry the token is refreshed.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Which header carries the token. PortOne accepts all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TokenHeader {
    /// `Authorization: Bearer <token>`, PortOne's current form.
    #[default]
    Bearer,
    /// `Authorization: <token>`, as older docs and SDKs send it.
    Raw,
    /// `X-ImpTokenHeader: <token>`, for infrastructure that owns `Authorization`.
    XImpTokenHeader,
}

impl TokenHeader {
    pub(crate) fn name(self) -> HeaderName {
        match self {
            TokenHeader::Bearer | TokenHeader::Raw => reqwest::header::AUTHORIZATION,
            TokenHeader::XImpTokenHeader => HeaderName::from_static("x-imptokenheader"),
        }
    }

    fn value(self, token: &str) -> Option<HeaderValue> {
        let mut value = match self {
            TokenHeader::Bearer => HeaderValue::try_from(format!("Bearer {token}")).ok()?,
            TokenHeader::Raw | TokenHeader::XImpTokenHeader => HeaderValue::from_str(token).ok()?,
        };
        value.set_sensitive(true);
        Some(value)
    }
}

/// The `response` of getToken.
#[derive(Deserialize)]
pub(crate) struct Grant {
    access_token: String,
    now: i64,
    expired_at: i64,
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("now", &self.now)
            .field("expired_at", &self.expired_at)
            .finish_non_exhaustive()
    }
}

/// A cached token: the ready header value (marked sensitive) and when to refresh it.
pub(crate) struct Token {
    header: HeaderValue,
    refresh_at: Instant,
    /// PortOne's clock when it granted the token (`now`), and our instant then: PortOne's
    /// clock later is the first plus our monotonic time since.
    granted: (i64, Instant),
}

impl Token {
    /// `sent_at` is when the getToken request left: the lifetime the server gave is counted
    /// from there, on our clock, so clock skew between the machines does not matter.
    pub(crate) fn new(grant: Grant, sent_at: Instant, header: TokenHeader) -> Option<Self> {
        let lifetime =
            Duration::from_secs(u64::try_from(grant.expired_at - grant.now).unwrap_or(0));
        let expires_at = sent_at + lifetime;
        // A token that came back with a minute or less left (the server did not extend it)
        // is used until it expires: asking again before then returns the same expiry, and
        // asking on every request would be a getToken storm.
        let refresh_at = if lifetime > REFRESH_MARGIN {
            expires_at - REFRESH_MARGIN
        } else {
            expires_at
        };
        Some(Self {
            header: header.value(&grant.access_token)?,
            refresh_at,
            granted: (grant.now, sent_at),
        })
    }

    /// PortOne's clock at `now` on ours, in Unix seconds, as the grant told it: no later
    /// than PortOne's own reading, by at most the getToken round trip.
    pub(crate) fn portone_time(&self, now: Instant) -> i64 {
        let (then, at) = self.granted;
        let since = now.saturating_duration_since(at).as_secs();
        then.saturating_add(i64::try_from(since).unwrap_or(i64::MAX))
    }

    pub(crate) fn header_value(&self) -> &HeaderValue {
        &self.header
    }

    fn is_fresh(&self, now: Instant) -> bool {
        now < self.refresh_at
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("refresh_at", &self.refresh_at)
            .finish_non_exhaustive()
    }
}

/// The cache. Reading a fresh token takes a read lock only; refreshing is single flight:
/// callers that find no fresh token queue on `refresh`, the first one fetches, the others
/// find its token when their turn comes. If the leader's future is dropped mid-fetch, the
/// next in the queue fetches instead.
#[derive(Default)]
pub(crate) struct TokenCache {
    current: RwLock<Option<Arc<Token>>>,
    refresh: tokio::sync::Mutex<Option<Arc<Error>>>,
    failures: AtomicU64,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("cached", &self.read().is_some())
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    fn read(&self) -> Option<Arc<Token>> {
        self.current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The cached token, if it is not due for a refresh at `now`.
    pub(crate) fn fresh(&self, now: Instant) -> Option<Arc<Token>> {
        self.read().filter(|token| token.is_fresh(now))
    }

    /// A fresh token, fetching one with `fetch` if needed.
    ///
    /// A failed fetch leaves the cache as it was (the next call tries again) and is handed,
    /// shared, to the callers that were already waiting for that attempt, so a refused
    /// secret costs one getToken per wave of callers and not one per caller.
    pub(crate) async fn get<F, Fut>(
        &self,
        now: impl Fn() -> Instant,
        fetch: F,
    ) -> Result<Arc<Token>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Token>>,
    {
        if let Some(token) = self.fresh(now()) {
            return Ok(token);
        }
        let failures_seen = self.failures.load(Ordering::Acquire);
        let mut last_failure = self.refresh.lock().await;
        if let Some(token) = self.fresh(now()) {
            return Ok(token);
        }
        if self.failures.load(Ordering::Acquire) != failures_seen
            && let Some(error) = last_failure.as_ref()
        {
            return Err(Error::Auth(Arc::clone(error)));
        }
        match fetch().await {
            Ok(token) => {
                let token = Arc::new(token);
                *self
                    .current
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Arc::clone(&token));
                *last_failure = None;
                Ok(token)
            }
            Err(error) => {
                let error = Arc::new(error);
                *last_failure = Some(Arc::clone(&error));
                self.failures.fetch_add(1, Ordering::AcqRel);
                Err(Error::Auth(error))
            }
        }
    }

    /// Forgets `token` after the server refused it, unless another caller already replaced it.
    pub(crate) fn invalidate(&self, token: &Arc<Token>) {
        let mut current = self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, token)) {
            *current = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(lifetime: i64) -> Grant {
        Grant {
            access_token: "a".repeat(40),
            now: 1_000,
            expired_at: 1_000 + lifetime,
        }
    }

    #[test]
    fn refreshes_only_in_the_final_minute() {
        let t0 = Instant::now();
        let Some(token) = Token::new(grant(1800), t0, TokenHeader::Bearer) else {
            panic!("token refused")
        };
        assert!(token.is_fresh(t0 + Duration::from_secs(1739)));
        assert!(!token.is_fresh(t0 + Duration::from_secs(1740)));
    }

    #[test]
    fn a_token_with_a_minute_or_less_left_is_used_until_it_expires() {
        let t0 = Instant::now();
        let Some(token) = Token::new(grant(30), t0, TokenHeader::Bearer) else {
            panic!("token refused")
        };
        assert!(token.is_fresh(t0 + Duration::from_secs(29)));
        assert!(!token.is_fresh(t0 + Duration::from_secs(30)));
    }

    #[test]
    fn header_forms_are_sensitive() {
        let forms = [
            (TokenHeader::Bearer, "authorization", "Bearer tok"),
            (TokenHeader::Raw, "authorization", "tok"),
            (TokenHeader::XImpTokenHeader, "x-imptokenheader", "tok"),
        ];
        for (form, name, value) in forms {
            let header = form.value("tok");
            assert_eq!(form.name().as_str(), name);
            assert_eq!(
                header.as_ref().map(HeaderValue::as_bytes),
                Some(value.as_bytes())
            );
            assert!(header.is_some_and(|h| h.is_sensitive()));
        }
        assert!(TokenHeader::Raw.value("bad\ntoken").is_none());
    }

    #[test]
    fn debug_shows_no_token() {
        let grant = grant(1800);
        assert!(!format!("{grant:?}").contains("aaaa"));
        let Some(token) = Token::new(grant, Instant::now(), TokenHeader::Raw) else {
            panic!("token refused")
        };
        assert!(!format!("{token:?}").contains("aaaa"));
    }
}
