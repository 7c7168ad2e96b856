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
use crate::request::{Execute, RawResponse, Request};
use crate::retry::{self, Bucket, RetryPolicy};
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
        let span = tracing::info_span!(
            "portone.request",
            method = %request.method(),
            route = request.route(),
            tier = tier.as_ref().map(Tier::as_str),
            status = field::Empty,
            code = field::Empty,
            attempt = field::Empty,
            duration_ms = field::Empty,
        );
        let started = Instant::now();
        let mut request = request;
        let body = request.take_body();
        let result = self
            .send(tier.as_ref(), &request, body, &span)
            .await
            .and_then(|raw| {
                span.record("status", raw.status.as_u16());
                finish(raw)
            });
        if decodes {
            match &result {
                Ok(_) | Err(Error::Declined(_)) => span.record("code", 0),
                Err(Error::Api(e)) => span.record("code", e.code),
                Err(_) => &span,
            };
        }
        span.record(
            "duration_ms",
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        );
        if let Err(e) = &result {
            tracing::debug!(parent: &span, error = %e, "portone call failed");
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
    ) -> Result<RawResponse> {
        let url = Url::parse(&request.url_after(&self.base))
            .map_err(|e| Error::InvalidRequest(RequestError::Url(e)))?;
        let timeout = request.timeout().unwrap_or(self.timeout);
        let mut attempts = 0;
        let mut token = self.token(span).await?;
        for refreshed in [false, true] {
            let raw = self
                .transmit(&url, request.is_idempotent(), span, &mut attempts, || {
                    let mut builder = self.http.request(request.method().clone(), url.clone());
                    if !request.headers().is_empty() {
                        // First, so that the client's own headers are added after them.
                        builder = builder.headers(request.headers().clone());
                    }
                    builder = builder
                        .header(header::ACCEPT, JSON)
                        .header(header::USER_AGENT, self.user_agent.clone())
                        .header(self.token_header.name(), token.header_value().clone())
                        .timeout(timeout);
                    if let Some(tier) = tier {
                        builder = builder.header(TIER, tier.header_value().clone());
                    }

                    if let Some(body) = &body {
                        builder = builder
                            .header(header::CONTENT_TYPE, JSON_UTF8)
                            .body(body.clone());
                    }
                    builder
                })
                .await?;
            if raw.status != StatusCode::UNAUTHORIZED || refreshed {
                return Ok(raw);
            }
            tracing::debug!(parent: span, "token refused; refreshing once");
            self.tokens.invalidate(&token);
            token = self.token(span).await?;
        }
        unreachable!("the loop returns on its second pass")
    }

    /// Sends, retrying within the policy and its budget: idempotent calls on 502/503/504,
    /// timeouts and resets; every call when the connection could not be made.
    async fn transmit(
        &self,
        url: &Url,
        idempotent: bool,
        span: &tracing::Span,
        attempts: &mut u32,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<RawResponse> {
        let mut retries = 0;
        // What the last retry cost, given back if it obtains an answer.
        let mut paid = None;
        loop {
            *attempts += 1;
            span.record("attempt", *attempts);
            let (outcome, retry_after) = match build().send().await {
                Ok(response) => {
                    let status = response.status();
                    if response.url() != url {
                        // Only a handed-in reqwest client can follow redirects; refuse
                        // whatever the other server said.
                        return Err(envelope::unexpected(status, b"redirected"));
                    }
                    let retry_after = retry_after(response.headers());
                    match response.bytes().await {
                        Ok(body) => (Ok(RawResponse { status, body }), retry_after),
                        Err(e) => (Err(e), None),
                    }
                }
                Err(e) => (Err(e), None),
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
                Err(e) => retry::retryable_error(e, idempotent),
            };
            let retry = retryable
                && retries < self.retry.max_retries()
                && self.pay_for_retry(&outcome, span, *attempts, &mut paid);
            if !retry {
                return outcome.map_err(|source| Error::Transport {
                    outcome_unknown: !idempotent && retry::may_have_left(&source),
                    source,
                });
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
        outcome: &Result<RawResponse, reqwest::Error>,
        span: &tracing::Span,
        attempts: u32,
        paid: &mut Option<u32>,
    ) -> bool {
        let Some(bucket) = &self.budget else {
            return true;
        };
        let timeout = matches!(outcome, Err(e) if e.is_timeout());
        match bucket.withdraw(timeout) {
            Ok(cost) => {
                *paid = Some(cost);
                true
            }
            Err(available) => {
                tracing::info!(
                    parent: span,
                    attempt = attempts,
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
        Box::pin(
            self.tokens
                .get(|| self.clock.now(), || self.fetch_token(call)),
        )
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
            status = field::Empty,
            attempt = field::Empty
        );
        let sent_at = self.clock.now();
        let mut attempts = 0;
        let raw = self
            .transmit(&self.token_url, true, &span, &mut attempts, || {
                self.http
                    .post(self.token_url.clone())
                    .header(header::ACCEPT, JSON)
                    .header(header::CONTENT_TYPE, JSON_UTF8)
                    .header(header::USER_AGENT, self.user_agent.clone())
                    .timeout(self.timeout)
                    .body(body.clone())
            })
            .await?;
        span.record("status", raw.status.as_u16());
        let grant: Grant = raw.decode()?;
        Token::new(grant, sent_at, self.token_header).ok_or_else(|| {
            envelope::unexpected(raw.status, b"access_token is not a valid header value")
        })
    }
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
