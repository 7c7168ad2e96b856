//! `POST /users/getToken` (spec tag `authenticate`).

use crate::model::{AccessToken, GetToken};

/// Access tokens. The client gets, caches and refreshes tokens by itself; this call is here
/// for completeness (to check credentials, or to see a token's lifetime).
#[portone::api]
pub trait Authentication {
    /// Gets an access token for a REST API key and secret. Operation `getToken`.
    #[post("/users/getToken", idempotent)]
    async fn get_token(&self, #[body] request: &GetToken) -> crate::Result<AccessToken>;
}
