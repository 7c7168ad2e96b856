//! `POST /users/getToken`: the client does this by itself; these types are for callers who
//! want to see a token's lifetime or call the endpoint directly.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::de::{absent, lenient};
use super::sensitive::Sensitive;
use super::time::UnixTime;

/// The body of getToken (spec: the form fields of `getToken`).
#[derive(Clone, Serialize)]
pub struct GetToken {
    imp_key: String,
    imp_secret: Sensitive<String>,
}

impl GetToken {
    /// The REST API key and secret.
    pub fn new(imp_key: impl Into<String>, imp_secret: impl Into<String>) -> Self {
        Self {
            imp_key: imp_key.into(),
            imp_secret: Sensitive::new(imp_secret.into()),
        }
    }
}

impl fmt::Debug for GetToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetToken")
            .field("imp_key", &self.imp_key)
            .field("imp_secret", &self.imp_secret)
            .finish()
    }
}

/// An access token (spec: `AuthAnnotation`). `Debug` never shows the token.
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AccessToken {
    /// The token. Send it in a header; never log it.
    #[serde_with(skip_apply)]
    pub access_token: Sensitive<String>,
    /// The server's clock when it answered; `0` if PortOne leaves it out.
    pub now: UnixTime,
    /// When the token expires, on the server's clock; `0` (long expired) if PortOne leaves
    /// it out.
    pub expired_at: UnixTime,
}
