//! The access-token rules of `POST /users/getToken`, on the mock clock.
//!
//! A token lives 30 minutes. Asking again while it is valid returns the same token with the
//! same expiry, except in its final minute, when the expiry is pushed back 5 minutes. After
//! expiry a new token is issued and the old one is refused.

use crate::ids::Ids;

/// Lifetime of a fresh token.
pub(crate) const TOKEN_TTL: i64 = 30 * 60;
/// A getToken call with this many seconds or fewer left extends the token...
pub(crate) const EXTEND_WINDOW: i64 = 60;
/// ...by this much.
pub(crate) const EXTENSION: i64 = 5 * 60;

pub(crate) struct Tokens {
    key: String,
    secret: String,
    current: Option<Issued>,
}

// Hand-written so the secret and the token never reach a log.
impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("key", &self.key)
            .field("issued", &self.current.is_some())
            .finish_non_exhaustive()
    }
}

struct Issued {
    token: String,
    expired_at: i64,
}

/// A successful getToken: the token and its expiry in unix seconds.
pub(crate) struct Grant {
    pub(crate) token: String,
    pub(crate) expired_at: i64,
}

impl Tokens {
    pub(crate) fn new(key: String, secret: String) -> Tokens {
        Tokens {
            key,
            secret,
            current: None,
        }
    }

    /// `None` when the key or the secret is wrong. The key is matched without regard to
    /// ASCII case, as the live server does (both published Node clients passed their live
    /// tests with `imp_apiKey` for `imp_apikey`: NOTES.md); the secret is exact.
    pub(crate) fn get_token(
        &mut self,
        key: &str,
        secret: &str,
        now: i64,
        ids: &mut Ids,
    ) -> Option<Grant> {
        if !key.eq_ignore_ascii_case(&self.key) || secret != self.secret {
            return None;
        }
        match &mut self.current {
            Some(issued) if now < issued.expired_at => {
                if issued.expired_at - now <= EXTEND_WINDOW {
                    issued.expired_at += EXTENSION;
                }
            }
            _ => {
                self.current = Some(Issued {
                    token: ids.token(),
                    expired_at: now + TOKEN_TTL,
                });
            }
        }
        self.current.as_ref().map(|i| Grant {
            token: i.token.clone(),
            expired_at: i.expired_at,
        })
    }

    /// Forgets the current token: the next getToken issues a new one.
    pub(crate) fn forget(&mut self) {
        self.current = None;
    }

    /// Whether `token` is the current, unexpired token.
    pub(crate) fn is_valid(&self, token: &str, now: i64) -> bool {
        self.current
            .as_ref()
            .is_some_and(|i| i.token == token && now < i.expired_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> (Tokens, Ids) {
        (Tokens::new("k".into(), "s".into()), Ids::new())
    }

    #[test]
    fn same_token_and_expiry_while_valid() {
        let (mut t, mut ids) = tokens();
        let a = t
            .get_token("k", "s", 1000, &mut ids)
            .map(|g| (g.token, g.expired_at));
        let b = t
            .get_token("k", "s", 1500, &mut ids)
            .map(|g| (g.token, g.expired_at));
        assert_eq!(a, b);
        assert_eq!(a.map(|x| x.1), Some(1000 + TOKEN_TTL));
    }

    #[test]
    fn final_minute_extends_the_same_token() {
        let (mut t, mut ids) = tokens();
        let a = t.get_token("k", "s", 0, &mut ids).map(|g| g.token);
        let b = t.get_token("k", "s", TOKEN_TTL - 30, &mut ids);
        assert_eq!(
            b.as_ref().map(|g| g.expired_at),
            Some(TOKEN_TTL + EXTENSION)
        );
        assert_eq!(b.map(|g| g.token), a);
    }

    #[test]
    fn new_token_after_expiry_and_old_one_refused() {
        let (mut t, mut ids) = tokens();
        let a = t
            .get_token("k", "s", 0, &mut ids)
            .map(|g| g.token)
            .unwrap_or_default();
        assert!(t.is_valid(&a, TOKEN_TTL - 1));
        assert!(!t.is_valid(&a, TOKEN_TTL));
        let b = t
            .get_token("k", "s", TOKEN_TTL, &mut ids)
            .map(|g| g.token)
            .unwrap_or_default();
        assert_ne!(a, b);
        assert!(!t.is_valid(&a, TOKEN_TTL));
        assert!(t.is_valid(&b, TOKEN_TTL));
    }

    #[test]
    fn wrong_credentials() {
        let (mut t, mut ids) = tokens();
        assert!(
            t.get_token("K", "s", 0, &mut ids).is_some(),
            "the key's case is free"
        );
        assert!(
            t.get_token("k", "S", 0, &mut ids).is_none(),
            "the secret's is not"
        );
        assert!(t.get_token("k", "x", 0, &mut ids).is_none());
        assert!(t.get_token("x", "s", 0, &mut ids).is_none());
    }
}
