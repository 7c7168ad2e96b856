//! [`Client`] and its tier views: one call from span to decoded answer, tokens, retries.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{self, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::field;

use crate::builder::ClientBuilder;
use crate::clock::Clock;
use crate::envelope;
use crate::error::{Error, RequestError, Result};
use crate::observe::{self, Outcome, Resends, Template};
use crate::request::{Execute, RawResponse, Request};
use crate::retry::{self, Bucket, Failure, RetryPolicy};
use crate::tier::Tier;
use crate::token::{Grant, Token, TokenCache, TokenHeader};

/// PortOne V1's production address.
pub const DEFAULT_BASE_URL: &str = "https://api.iamport.kr";

const JSON: HeaderValue = HeaderValue::from_static("application/json");
const JSON_UTF8: HeaderValue = HeaderValue::from_static("application/json; charset=utf-8");
const TIER: HeaderName = HeaderName::from_static("tier");

/// A PortOne V1 client: credentials, a token cache and a connection pool.
///
/// Cheap to clone (an `Arc`): build one and reuse it everywhere. Views made with
/// [`with_tier`](Self::with_tier) share its token and pool.
///
/// ```no_run
/// # async fn run() -> portone_core::Result<()> {
/// let client = portone_core::Client::builder()
///     .api_key("imp_key")
///     .api_secret("imp_secret")
///     .build()?;
/// let sub_merchant = client.with_tier("A1B")?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    pub(crate) tier: Option<Tier>,
}

/// Everything a client and its views share. Built by [`ClientBuilder`](crate::ClientBuilder).
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    /// `base`, parsed.
    pub(crate) base_url: Url,
    /// Whether `base` has no path, so that API URLs can be parsed relative to `base_url`.
    pub(crate) base_is_root: bool,
    pub(crate) token_url: Url,
    pub(crate) api_key: String,
    pub(crate) api_secret: SecretString,
    pub(crate) token_header: TokenHeader,
    pub(crate) tokens: TokenCache,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) retry: RetryPolicy,
    /// The retry budget's tokens, shared by every view of the client.
    pub(crate) budget: Option<Bucket>,
    pub(crate) timeout: Duration,
    pub(crate) user_agent: HeaderValue,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured by `PORTONE_API_KEY`, `PORTONE_API_SECRET` and the optional
    /// `PORTONE_TIER` and `PORTONE_BASE_URL`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when a required variable is missing or a value is invalid.
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    /// A view of this client that sends `Tier: <code>` on every API call (not on getToken:
    /// one agency token serves all tiers), sharing the token cache and connection pool.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] unless `code` is exactly 3 characters of `A-Z` and `0-9`.
    pub fn with_tier(&self, code: &str) -> Result<Self> {
        Ok(self.with_tier_code(Tier::new(code)?))
    }

    /// Like [`with_tier`](Self::with_tier), with a tier checked already.
    #[must_use]
    pub fn with_tier_code(&self, tier: Tier) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            tier: Some(tier),
        }
    }

    /// A view that sends no `Tier` header.
    #[must_use]
    pub fn without_tier(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            tier: None,
        }
    }

    /// The tier this view sends, if any.
    #[must_use]
    pub fn tier(&self) -> Option<&Tier> {
        self.tier.as_ref()
    }

    /// The base URL requests go to, without a trailing `/`.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("api_key", &self.inner.api_key)
            .field("token_header", &self.inner.token_header)
            .field("tier", &self.tier)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("tokens", &self.inner.tokens)
            .finish_non_exhaustive()
    }
}

impl Execute for Client {
    fn execute(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<RawResponse>> + Send + 'static + use<> {
        Arc::clone(&self.inner).run(self.tier.clone(), request, false, Ok)
    }

    fn call<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<T>> + Send + 'static + use<T> {
        let kind = request.kind();
        Arc::clone(&self.inner).run(self.tier.clone(), request, true, move |raw| {
            raw.decode_as(kind)
        })
    }

    fn portone_time(&self) -> impl Future<Output = Result<i64>> + Send + 'static + use<> {
        let inner = Arc::clone(&self.inner);
        async move {
            let token = inner.token(&tracing::Span::none()).await?;
            Ok(token.portone_time(inner.clock.now()))
        }
    }
}

impl Inner {
    /// One call: a span, the send loop, then `finish` (decoding).
    ///
    /// The span is never entered: events name it as their parent instead. While a span is
    /// entered, whatever the HTTP stack spawns can capture it as `Span::current()` (hyper-util
    /// does with its `rt-tracing-exec-force` feature), and a pooled connection task holding
    /// it would keep it open long after the call returned.
    async fn run<R>(
        self: Arc<Self>,
        tier: Option<Tier>,
        request: Request,
        decodes: bool,
        finish: impl FnOnce(RawResponse) -> Result<R>,
    ) -> Result<R> {
        // OpenTelemetry's HTTP client conventions, and PortOne's own fields under
        // `portone.`; the values are only computed for a subscriber that wants the span.
        let span = tracing::info_span!(
            "portone.request",
            otel.kind = "client",
            otel.name = %format_args!(
                "{} {}",
                observe::method_name(request.method()),
                Template(request.route())
            ),
            http.request.method = observe::method_name(request.method()),
            url.template = %Template(request.route()),
            server.address = self.base_url.host_str(),
            server.port = self.base_url.port_or_known_default(),
            http.response.status_code = field::Empty,
            http.request.resend_count = field::Empty,
            "error.type" = field::Empty,
            portone.tier = tier.as_ref().map(Tier::as_str),
            portone.code = field::Empty,
            portone.attempt = field::Empty,
            duration_ms = field::Empty,
        );
        // Without a subscriber that wants the span or the metrics, the clock is not read.
        let started = (observe::ON || !span.is_disabled()).then(Instant::now);
        let mut request = request;
        let body = request.take_body();
        let mut tries = Tries::default();
        let result = self
            .send(tier.as_ref(), &request, body, &span, &mut tries)
            .await
            .and_then(|raw| {
                span.record("http.response.status_code", raw.status.as_u16());
                finish(raw)
            });
        if decodes {
            match &result {
                Ok(_) | Err(Error::Declined(_) | Error::Unsettled(_)) => {
                    span.record("portone.code", 0)
                }
                Err(Error::Api(e)) => span.record("portone.code", e.code),
                Err(_) => &span,
            };
        }
        let elapsed = started.map(|started| started.elapsed());
        if let Some(elapsed) = elapsed {
            span.record(
                "duration_ms",
                u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            );
        }
        if let Err(e) = &result {
            match e.status().filter(|status| status.as_u16() >= 400) {
                Some(status) => span.record("error.type", status.as_str()),
                None => span.record("error.type", Outcome::of(Some(e)).as_str()),
            };
            tracing::debug!(parent: &span, error = %e, "portone call failed");
        }
        if observe::ON {
            let resends = Resends {
                sent: tries.attempts.saturating_sub(1),
                refused: tries.refused,
            };
            let outcome = Outcome::of(result.as_ref().err());
            observe::call(request.method(), request.route(), outcome, elapsed, resends);
        }
        result
    }

    /// Sends an API call with the token; on 401 drops that token, gets another and sends the
    /// call once more (the server refused it, so this is safe for any method).
    async fn send(
        &self,
        tier: Option<&Tier>,
        request: &Request,
        body: Option<Bytes>,
        span: &tracing::Span,
        tries: &mut Tries,
    ) -> Result<RawResponse> {
        let to = To::Api(request.path_and_query());
        let timeout = request.timeout().unwrap_or(self.timeout);
        let idempotent = request.is_idempotent();
        let build = |token: &Token, url: Url| {
            let mut builder = self.http.request(request.method().clone(), url);
            if !request.headers().is_empty() {
                // First, so that the client's own headers are added after them.
                builder = builder.headers(request.headers().clone());
            }
            builder = builder
                .header(header::ACCEPT, JSON)
                .header(header::USER_AGENT, self.user_agent.clone())
                .header(self.token_header.name(), token.header_value().clone());
            if let Some(tier) = tier {
                builder = builder.header(TIER, tier.header_value().clone());
            }
            if let Some(body) = &body {
                builder = builder
                    .header(header::CONTENT_TYPE, JSON_UTF8)
                    .body(body.clone());
            }
            builder
        };
        let token = self.token(span).await?;
        let raw = self
            .transmit(to, idempotent, timeout, span, tries, |url| {
                build(&token, url)
            })
            .await?;
        if raw.status != StatusCode::UNAUTHORIZED {
            return Ok(raw);
        }
        tracing::debug!(parent: span, "token refused; refreshing once");
        self.tokens.invalidate(&token);
        let token = self.token(span).await?;
        self.transmit(to, idempotent, timeout, span, tries, |url| {
            build(&token, url)
        })
        .await
    }

    /// The URL of an attempt. Each attempt gets its own, built anew rather than cloned: the
    /// first one costs one allocation, and only retries cost another.
    fn url(&self, to: To<'_>) -> Result<Url> {
        let target = match to {
            To::Token => return Ok(self.token_url.clone()),
            To::Api(target) => target,
        };
        // Relative to the parsed base, the host is not parsed again for every call. Only a
        // target that is a plain absolute path qualifies: `//host` or `/\host` would name
        // another host, and a base with a path of its own must keep it.
        let plain =
            target.starts_with('/') && !matches!(target.as_bytes().get(1), Some(b'/' | b'\\'));
        let url = if self.base_is_root && plain {
            Url::options().base_url(Some(&self.base_url)).parse(target)
        } else {
            Url::parse(&format!("{}{target}", self.base))
        };
        url.map_err(|e| Error::InvalidRequest(RequestError::Url(e)))
    }

    /// Whether an answer came from where the request was sent: only a handed-in reqwest
    /// client can follow redirects, and what another server said is refused.
    fn answered_from(&self, to: To<'_>, url: &Url) -> bool {
        let target = match to {
            To::Token => return *url == self.token_url,
            To::Api(target) => target,
        };
        let text = url.as_str();
        if text.len() == self.base.len() + target.len()
            && text.starts_with(&self.base)
            && text.ends_with(target)
        {
            return true;
        }
        // The URL parser may have normalized the target: compare as URLs.
        self.url(to).is_ok_and(|sent| sent == *url)
    }

    /// Sends, retrying within the policy and its budget: idempotent calls on 502/503/504,
    /// timeouts and resets; every call when the connection could not be made.
    ///
    /// What is kept across an await is kept small: the call's future is moved whole into
    /// every task that runs it, and each layer of it is copied when it starts.
    async fn transmit(
        &self,
        to: To<'_>,
        idempotent: bool,
        timeout: Duration,
        span: &tracing::Span,
        tries: &mut Tries,
        build: impl Fn(Url) -> reqwest::RequestBuilder,
    ) -> Result<RawResponse> {
        let mut retries = 0;
        // What the last retry cost, given back if it obtains an answer.
        let mut paid = None;
        loop {
            tries.attempts += 1;
            span.record("portone.attempt", tries.attempts);
            if tries.attempts > 1 {
                span.record("http.request.resend_count", tries.attempts - 1);
            }
            // The timeout is the runtime's own rather than reqwest's: reqwest boxes a timer
            // and wraps the body for it on every request (4 allocations), and
            // `tokio::time::timeout` needs neither.
            let pending = build(self.url(to)?).send();
            let exchange = async {
                let (status, retry_after, body) = {
                    let response = pending.await.map_err(Failure::Http)?;
                    let status = response.status();
                    if !self.answered_from(to, response.url()) {
                        return Err(Failure::Redirected(status));
                    }
                    (status, retry_after(response.headers()), response.bytes())
                };
                let body = body.await.map_err(Failure::Http)?;
                Ok((RawResponse { status, body }, retry_after))
            };
            let (outcome, retry_after) = match tokio::time::timeout(timeout, exchange).await {
                Ok(Ok((raw, retry_after))) => (Ok(raw), retry_after),
                Ok(Err(Failure::Redirected(status))) => {
                    return Err(envelope::unexpected(status, b"redirected"));
                }
                Ok(Err(failure)) => (Err(failure), None),
                Err(_) => (Err(Failure::Timeout(timeout)), None),
            };
            let retryable = match &outcome {
                Ok(raw) => {
                    if let Some(bucket) = &self.budget
                        && !raw.status.is_server_error()
                    {
                        bucket.deposit(paid);
                    }
                    idempotent && retry::retryable_status(raw.status)
                }
                Err(failure) => failure.is_retryable(idempotent),
            };
            let retry = retryable
                && retries < self.retry.max_retries()
                && self.pay_for_retry(&outcome, span, tries, &mut paid);
            if !retry {
                return outcome.map_err(|failure| failure.into_error(idempotent));
            }
            retries += 1;
            let delay = self.retry.delay(retries, retry_after);
            match &outcome {
                Ok(raw) => {
                    tracing::debug!(parent: span, status = raw.status.as_u16(), ?delay, "retrying")
                }
                Err(e) => tracing::debug!(parent: span, error = %e, ?delay, "retrying"),
            }
            tokio::time::sleep(delay).await;
        }
    }

    /// Takes a retry's price from the budget, or says why the retry is not made.
    fn pay_for_retry(
        &self,
        outcome: &Result<RawResponse, Failure>,
        span: &tracing::Span,
        tries: &mut Tries,
        paid: &mut Option<u32>,
    ) -> bool {
        let Some(bucket) = &self.budget else {
            return true;
        };
        let timeout = matches!(outcome, Err(failure) if failure.is_timeout());
        match bucket.withdraw(timeout) {
            Ok(cost) => {
                *paid = Some(cost);
                true
            }
            Err(available) => {
                tries.refused = true;
                tracing::info!(
                    parent: span,
                    attempt = tries.attempts,
                    available,
                    timeout,
                    "retry refused: the retry budget is spent"
                );
                false
            }
        }
    }

    async fn token(&self, call: &tracing::Span) -> Result<Arc<Token>> {
        if let Some(token) = self.tokens.fresh(self.clock.now()) {
            return Ok(token);
        }
        // The refresh holds a whole getToken request in its state: boxed, so that every
        // call's future does not carry that weight for the rare call that refreshes.
        Box::pin(self.tokens.get(
            || self.clock.now(),
            || async {
                let token = self.fetch_token(call).await;
                if observe::ON {
                    observe::token(token.is_ok());
                }
                token
            },
        ))
        .await
    }

    /// `POST /users/getToken`. It returns the same token while one is valid, so it is
    /// retried like an idempotent call. It never carries `Tier`.
    async fn fetch_token(&self, call: &tracing::Span) -> Result<Token> {
        #[derive(Serialize)]
        struct Credentials<'a> {
            imp_key: &'a str,
            imp_secret: &'a str,
        }
        let body = serde_json::to_vec(&Credentials {
            imp_key: &self.api_key,
            imp_secret: self.api_secret.expose_secret(),
        })
        .map_err(|e| Error::InvalidRequest(RequestError::Body(e)))?;
        let body = Bytes::from(body);
        let span = tracing::info_span!(
            parent: call,
            "portone.get_token",
            otel.kind = "client",
            otel.name = "POST /users/getToken",
            http.request.method = "POST",
            url.template = "/users/getToken",
            server.address = self.token_url.host_str(),
            server.port = self.token_url.port_or_known_default(),
            http.response.status_code = field::Empty,
            http.request.resend_count = field::Empty,
            portone.attempt = field::Empty,
        );
        let sent_at = self.clock.now();
        let mut tries = Tries::default();
        let raw = self
            .transmit(To::Token, true, self.timeout, &span, &mut tries, |url| {
                self.http
                    .post(url)
                    .header(header::ACCEPT, JSON)
                    .header(header::CONTENT_TYPE, JSON_UTF8)
                    .header(header::USER_AGENT, self.user_agent.clone())
                    .body(body.clone())
            })
            .await?;
        span.record("http.response.status_code", raw.status.as_u16());
        let grant: Grant = raw.decode()?;
        Token::new(grant, sent_at, self.token_header).ok_or_else(|| {
            envelope::unexpected(raw.status, b"access_token is not a valid header value")
        })
    }
}

/// The attempts of one call, and whether the budget refused a retry.
#[derive(Debug, Default)]
struct Tries {
    attempts: u32,
    refused: bool,
}

/// Where a request goes.
#[derive(Debug, Clone, Copy)]
enum To<'a> {
    /// An API call: its path and query, after the base URL.
    Api(&'a str),
    /// `POST /users/getToken`.
    Token,
}

fn retry_after(headers: &header::HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn client(base: &str) -> Client {
        Client::builder()
            .api_key("key")
            .api_secret("secret")
            .base_url(base)
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    const BASES: [&str; 4] = [
        "http://127.0.0.1:8080",
        "https://api.iamport.kr",
        "http://localhost:1/v1",
        "https://api.iamport.kr/a/b/",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// The URL built relative to the parsed base is the one parsing the whole text
        /// gives, whatever the target holds, and its answer is recognized as its own.
        #[test]
        fn an_api_url_is_the_base_and_the_target_parsed_together(
            target in "/[a-zA-Z0-9/\\\\?#%.:@ \\[\\]가|^`{}~'=&+-]{0,24}",
            base in 0..BASES.len(),
        ) {
            // Built once: a client loads the system's certificates.
            static CLIENTS: std::sync::LazyLock<Vec<Client>> =
                std::sync::LazyLock::new(|| BASES.iter().map(|base| client(base)).collect());
            let inner = &CLIENTS[base].inner;
            let whole = Url::parse(&format!("{}{target}", inner.base));
            let built = inner.url(To::Api(&target));
            match (&whole, &built) {
                (Ok(whole), Ok(built)) => {
                    prop_assert_eq!(whole, built);
                    prop_assert_eq!(whole.host_str(), inner.base_url.host_str());
                    prop_assert!(inner.answered_from(To::Api(&target), built));
                }
                (Err(_), Err(_)) => {}
                _ => prop_assert!(false, "{:?} against {:?}", whole, built),
            }
        }
    }

    #[test]
    fn a_target_that_names_another_host_stays_on_the_base() {
        let client = client("https://api.iamport.kr");
        for target in ["//evil.example/x", "/\\evil.example/x", "/\\/evil.example"] {
            let url = client
                .inner
                .url(To::Api(target))
                .unwrap_or_else(|e| panic!("{target}: {e}"));
            assert_eq!(url.host_str(), Some("api.iamport.kr"), "{target}");
        }
        let other = Url::parse("https://evil.example/payments/x").unwrap_or_else(|e| panic!("{e}"));
        assert!(!client.inner.answered_from(To::Api("/payments/x"), &other));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = "sEcReT-value-123";
        let builder = Client::builder().api_key("key").api_secret(secret);
        assert!(!format!("{builder:?}").contains(secret));
        let client = builder.build().unwrap_or_else(|e| panic!("{e}"));
        let text = format!("{client:?} {:?}", client.with_tier("A1B"));
        assert!(!text.contains(secret), "{text}");
        assert!(text.contains("A1B"));
    }
}
