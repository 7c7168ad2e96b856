//! Shared pieces of the benchmarks: a minimal PortOne server on 127.0.0.1 answering with a
//! realistic payment, and the hand-written reqwest + serde client the generated one is
//! measured against.
//!
//! Run `cargo bench -p portone-benches` (criterion: per-call time, request building) and
//! `cargo run --release -p portone-benches --bin report` (allocations per call, 1000 cold
//! calls, throughput ratios); `benches/compile/run.sh` measures compile time.
//! `BENCHMARKS.md` at the root has the numbers and what was changed because of them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use portone::model::Payment;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, USER_AGENT};
use serde::Deserialize;

/// A real `GET /payments/{imp_uid}` answer (1393 bytes, as PortOne sent it).
pub const PAYMENT_ENVELOPE: &str = include_str!("../../tests/fixtures/payment-paid-card.json");

/// What the server counts.
#[derive(Debug, Default)]
pub struct Counters {
    /// `POST /users/getToken` requests received.
    pub get_token: AtomicUsize,
    /// `GET /payments/{imp_uid}` requests received.
    pub payments: AtomicUsize,
}

/// Starts the server on its own runtime thread; `token_delay` slows getToken down (to make
/// concurrent cold calls overlap).
///
/// # Panics
///
/// If no port on 127.0.0.1 can be bound: a benchmark cannot run without it.
pub fn start_server(token_delay: Duration) -> (SocketAddr, Arc<Counters>) {
    let counters = Arc::new(Counters::default());
    let (tx, rx) = std::sync::mpsc::channel();
    let state = Arc::clone(&counters);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind 127.0.0.1");
            tx.send(listener.local_addr().expect("local address"))
                .expect("report address");
            let token_state = Arc::clone(&state);
            let app = Router::new()
                .route(
                    "/users/getToken",
                    post(move || {
                        let state = Arc::clone(&token_state);
                        async move {
                            state.get_token.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(token_delay).await;
                            json(r#"{"code":0,"message":null,"response":{"access_token":"0123456789abcdef0123456789abcdef01234567","now":1700000000,"expired_at":1700001800}}"#)
                        }
                    }),
                )
                .route(
                    "/payments/{imp_uid}",
                    get(move || {
                        let state = Arc::clone(&state);
                        async move {
                            state.payments.fetch_add(1, Ordering::Relaxed);
                            json(PAYMENT_ENVELOPE)
                        }
                    }),
                );
            axum::serve(listener, app).await.expect("serve");
        });
    });
    let addr = rx.recv().expect("server address");
    (addr, counters)
}

fn json(body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], body)
}

/// A `portone::Client` for the server at `addr`.
///
/// # Panics
///
/// If the client cannot be built.
pub fn generated_client(addr: SocketAddr) -> portone::Client {
    portone::Client::builder()
        .api_key("bench_key")
        .api_secret("bench_secret")
        .base_url(format!("http://{addr}"))
        .build()
        .expect("client")
}

/// The baseline: what a careful user writes by hand with reqwest and serde: a fixed token
/// header, the same headers as the generated client, the path value percent-encoded, the
/// envelope decoded into the same `Payment` type and its code checked.
#[derive(Debug, Clone)]
pub struct Handwritten {
    http: reqwest::Client,
    base: String,
    auth: HeaderValue,
}

/// Errors of the hand-written client.
pub type HandError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Deserialize)]
struct Envelope<T> {
    code: i64,
    message: Option<String>,
    response: Option<T>,
}

#[derive(Deserialize)]
struct Grant {
    access_token: String,
}

impl Handwritten {
    /// Gets a token once, by hand.
    ///
    /// # Errors
    ///
    /// When getToken fails.
    pub async fn connect(addr: SocketAddr) -> Result<Self, HandError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let base = format!("http://{addr}");
        let body = http
            .post(format!("{base}/users/getToken"))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(r#"{"imp_key":"bench_key","imp_secret":"bench_secret"}"#)
            .send()
            .await?
            .bytes()
            .await?;
        let grant: Envelope<Grant> = serde_json::from_slice(&body)?;
        let token = grant.response.ok_or("no token")?.access_token;
        let mut auth = HeaderValue::try_from(format!("Bearer {token}"))?;
        auth.set_sensitive(true);
        Ok(Self { http, base, auth })
    }

    /// `GET /payments/{imp_uid}`, by hand.
    ///
    /// # Errors
    ///
    /// Transport, a non-zero code or a body that does not decode.
    pub async fn payment(&self, imp_uid: &str) -> Result<Payment, HandError> {
        let url = format!(
            "{}/payments/{}",
            self.base,
            utf8_percent_encode(imp_uid, NON_ALPHANUMERIC)
        );
        let response = self
            .http
            .get(url)
            .header(AUTHORIZATION, self.auth.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, HeaderValue::from_static("portone-rs/0.1.0"))
            .timeout(Duration::from_secs(30))
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        let envelope: Envelope<Payment> = serde_json::from_slice(&body)?;
        if envelope.code != 0 || !status.is_success() {
            return Err(format!("code {}: {:?}", envelope.code, envelope.message).into());
        }
        envelope.response.ok_or_else(|| "null response".into())
    }
}
