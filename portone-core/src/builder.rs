//! [`ClientBuilder`]: credentials, base URL, token header, default tier, timeouts, the HTTP
//! client, retries and the clock.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::client::{Client, DEFAULT_BASE_URL, Inner};
use crate::clock::{Clock, SystemClock};
use crate::error::{ConfigError, Result};
use crate::retry::{Bucket, RetryPolicy};
use crate::tier::Tier;
use crate::token::{TokenCache, TokenHeader};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const USER_AGENT: &str = concat!("portone-rs/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`]. Made by [`Client::builder`].
#[must_use]
pub struct ClientBuilder {
    api_key: Option<String>,
    api_secret: Option<SecretString>,
    base_url: Option<String>,
    token_header: TokenHeader,
    tier: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent_suffix: Option<String>,
    http: Option<HttpClient>,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
}

/// How the user handed in the HTTP client, if they did.
enum HttpClient {
    Ready(reqwest::Client),
    Builder(Box<reqwest::ClientBuilder>),
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            api_key: None,
            api_secret: None,
            base_url: None,
            token_header: TokenHeader::default(),
            tier: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent_suffix: None,
            http: None,
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field(
                "api_secret",
                &self.api_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("base_url", &self.base_url)
            .field("token_header", &self.token_header)
            .field("tier", &self.tier)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder filled from `PORTONE_API_KEY`, `PORTONE_API_SECRET` and the optional
    /// `PORTONE_TIER` and `PORTONE_BASE_URL`; further settings can follow.
    ///
    /// # Errors
    ///
    /// [`Error::Config`](crate::Error::Config) when the key or the secret is not set.
    pub fn from_env() -> Result<Self> {
        let var = |name: &'static str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let key = var("PORTONE_API_KEY").ok_or(ConfigError::MissingEnv("PORTONE_API_KEY"))?;
        let secret =
            var("PORTONE_API_SECRET").ok_or(ConfigError::MissingEnv("PORTONE_API_SECRET"))?;
        let mut builder = Self::default().api_key(key).api_secret(secret);
        if let Some(tier) = var("PORTONE_TIER") {
            builder = builder.tier(tier);
        }
        if let Some(base) = var("PORTONE_BASE_URL") {
            builder = builder.base_url(base);
        }
        Ok(builder)
    }

    /// The REST API key (`imp_key`).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The REST API secret (`imp_secret`). It is held as a secret and only ever written
    /// into the getToken body.
    pub fn api_secret(mut self, secret: impl Into<String>) -> Self {
        self.api_secret = Some(SecretString::from(secret.into()));
        self
    }

    /// Where to send requests; default [`DEFAULT_BASE_URL`]. Plain `http` is accepted only
    /// for loopback hosts (a local mock server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Which header carries the token; default `Authorization: Bearer`.
    pub fn token_header(mut self, header: TokenHeader) -> Self {
        self.token_header = header;
        self
    }

    /// A tier sent on every API call, for an agency working for one sub-merchant.
    pub fn tier(mut self, code: impl Into<String>) -> Self {
        self.tier = Some(code.into());
        self
    }

    /// The total time a call may take, per attempt; default 30 s. A request's own timeout wins.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time to establish a connection; default 10 s. Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Text appended to the `User-Agent` (`portone-rs/0.1.0 <suffix>`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Uses an existing `reqwest::Client` (its pool, proxy and TLS settings), shared with
    /// the rest of the application.
    ///
    /// It must be built with `redirect(reqwest::redirect::Policy::none())`: a client that
    /// follows redirects carries `X-ImpTokenHeader` (and, on a 307, the body) to whatever
    /// server a redirect names before this crate sees the answer, which it then refuses.
    /// [`http_client_builder`](Self::http_client_builder) makes that impossible.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(HttpClient::Ready(client));
        self
    }

    /// Builds the `reqwest::Client` from `builder` (your proxy, TLS, pool settings), with
    /// redirects off and no `Referer`, whatever the builder said.
    pub fn http_client_builder(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(HttpClient::Builder(Box::new(builder)));
        self
    }

    /// The retry policy; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The clock token lifetimes are measured on; for tests.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Builds the client. No request is made until the first call.
    ///
    /// # Errors
    ///
    /// [`Error::Config`](crate::Error::Config) for a missing key or secret, a base URL that is not https (or http
    /// to loopback), an invalid default tier or user agent, or an HTTP client that cannot be built.
    pub fn build(self) -> Result<Client> {
        let api_key = self.api_key.ok_or(ConfigError::MissingApiKey)?;
        let api_secret = self.api_secret.ok_or(ConfigError::MissingApiSecret)?;
        if api_key.is_empty() {
            return Err(ConfigError::MissingApiKey.into());
        }
        if api_secret.expose_secret().is_empty() {
            return Err(ConfigError::MissingApiSecret.into());
        }
        let base = parse_base(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let base_url = Url::parse(&base).map_err(ConfigError::BaseUrl)?;
        let base_is_root = base_url.path() == "/";
        let token_url =
            Url::parse(&format!("{base}/users/getToken")).map_err(ConfigError::BaseUrl)?;
        let tier = self
            .tier
            .as_deref()
            .map(Tier::new)
            .transpose()
            .map_err(ConfigError::Tier)?;
        let user_agent = match &self.user_agent_suffix {
            Some(suffix) => HeaderValue::try_from(format!("{USER_AGENT} {suffix}"))
                .map_err(|_| ConfigError::UserAgent)?,
            None => HeaderValue::from_static(USER_AGENT),
        };
        let http = match self.http {
            Some(HttpClient::Ready(http)) => http,
            Some(HttpClient::Builder(builder)) => (*builder)
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .build()
                .map_err(ConfigError::Http)?,
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(ConfigError::Http)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                base_url,
                base_is_root,
                token_url,
                api_key,
                api_secret,
                token_header: self.token_header,
                tokens: TokenCache::default(),
                clock: self.clock,
                budget: self.retry.retry_budget().copied().map(Bucket::new),
                retry: self.retry,
                timeout: self.timeout,
                user_agent,
            }),
            tier,
        })
    }
}

/// Checks and normalizes the base URL (no trailing `/`).
fn parse_base(text: &str) -> Result<String, ConfigError> {
    let url = Url::parse(text).map_err(ConfigError::BaseUrl)?;
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    let clean = url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none();
    if !scheme_ok || !clean {
        return Err(ConfigError::InsecureBaseUrl(
            url.origin().ascii_serialization(),
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn base_urls() {
        let ok = [
            ("https://api.iamport.kr", "https://api.iamport.kr"),
            ("https://api.iamport.kr/", "https://api.iamport.kr"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://localhost:1/v1/", "http://localhost:1/v1"),
            ("http://[::1]:9", "http://[::1]:9"),
        ];
        for (input, want) in ok {
            assert_eq!(parse_base(input).ok().as_deref(), Some(want), "{input}");
        }
        let refused = [
            "http://api.iamport.kr",
            "http://10.0.0.1",
            "ftp://127.0.0.1",
            "https://user:pw@api.iamport.kr",
            "https://api.iamport.kr/?x=1",
            "not a url",
        ];
        for input in refused {
            assert!(parse_base(input).is_err(), "{input}");
        }
    }

    #[test]
    fn missing_credentials_and_bad_tier_are_config_errors() {
        let missing = Client::builder().api_key("k").build();
        assert!(matches!(
            missing,
            Err(Error::Config(ConfigError::MissingApiSecret))
        ));
        let tier = Client::builder()
            .api_key("k")
            .api_secret("s")
            .tier("a1")
            .build();
        assert!(matches!(tier, Err(Error::Config(ConfigError::Tier(_)))));
    }
}
