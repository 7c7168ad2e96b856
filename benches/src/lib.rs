//! Shared pieces of the benchmarks: a minimal PortOne server on 127.0.0.1 answering with a
//! realistic payment (a full one, or a smaller one with fewer fields), and the hand-written
//! reqwest + serde clients the generated one is measured against.
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
use serde::de::DeserializeOwned;

/// A real `GET /payments/{imp_uid}` answer (1393 bytes, as PortOne sent it).
pub const PAYMENT_ENVELOPE: &str = include_str!("../../tests/fixtures/payment-paid-card.json");

/// The same payment with 23 of its 48 fields (690 bytes): a small answer, where the fixed
/// cost of a call weighs more than decoding.
pub const SMALL_ENVELOPE: &str = include_str!("../fixtures/payment-small.json");

/// Which answer the server sends to `GET /payments/{imp_uid}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// [`PAYMENT_ENVELOPE`], decoded into `portone::model::Payment`.
    Full,
    /// [`SMALL_ENVELOPE`], decoded into [`PaymentSummary`].
    Small,
}

impl Size {
    /// Both sizes, full first.
    pub const ALL: [Size; 2] = [Size::Full, Size::Small];

    /// `full` or `small`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Size::Full => "full",
            Size::Small => "small",
        }
    }

    /// The size named `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Size> {
        Size::ALL.into_iter().find(|size| size.name() == name)
    }

    fn envelope(self) -> &'static str {
        match self {
            Size::Full => PAYMENT_ENVELOPE,
            Size::Small => SMALL_ENVELOPE,
        }
    }
}

/// The part of a payment a small application reads: the same struct on every side.
#[derive(Debug, Clone, Deserialize)]
pub struct PaymentSummary {
    /// PortOne's id.
    pub imp_uid: String,
    /// The merchant's order id.
    pub merchant_uid: String,
    /// The amount paid.
    pub amount: u64,
    /// `paid`, `ready`, ...
    pub status: String,
    /// Unix seconds.
    pub paid_at: i64,
    /// `card`, `vbank`, ...
    pub pay_method: String,
    /// `KRW`, ...
    pub currency: String,
}

/// A route declared the way a user declares one: the generated side of the small-answer
/// benches.
#[portone::api]
pub trait Summaries {
    /// `GET /payments/{imp_uid}` into [`PaymentSummary`].
    #[get("/payments/<imp_uid>")]
    async fn payment_summary(&self, imp_uid: &str) -> portone::Result<PaymentSummary>;
}

/// What the server counts.
#[derive(Debug, Default)]
pub struct Counters {
    /// `POST /users/getToken` requests received.
    pub get_token: AtomicUsize,
    /// `GET /payments/{imp_uid}` requests received.
    pub payments: AtomicUsize,
}

/// Starts the server answering with the full payment; see [`start_server_with`].
///
/// # Panics
///
/// If no port on 127.0.0.1 can be bound: a benchmark cannot run without it.
pub fn start_server(token_delay: Duration) -> (SocketAddr, Arc<Counters>) {
    start_server_with(Size::Full, token_delay)
}

/// Starts the server on its own runtime thread, answering lookups with the payment of
/// `size`; `token_delay` slows getToken down (to make concurrent cold calls overlap).
///
/// # Panics
///
/// If no port on 127.0.0.1 can be bound: a benchmark cannot run without it.
pub fn start_server_with(size: Size, token_delay: Duration) -> (SocketAddr, Arc<Counters>) {
    let envelope = size.envelope();
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
                            json(envelope)
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
/// header, the same headers as the generated client, the path value percent-encoded, a
/// 30 s timeout, the envelope decoded into the same type and its code checked.
#[derive(Debug, Clone)]
pub struct Handwritten {
    http: reqwest::Client,
    base: String,
    auth: HeaderValue,
    /// `None` for the naive baseline.
    timeout: Option<Duration>,
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
        Self::connect_with(addr, http, Some(Duration::from_secs(30))).await
    }

    /// The naive baseline: `reqwest::Client::new()`, no timeout, otherwise the same.
    ///
    /// # Errors
    ///
    /// When getToken fails.
    pub async fn connect_naive(addr: SocketAddr) -> Result<Self, HandError> {
        Self::connect_with(addr, reqwest::Client::new(), None).await
    }

    async fn connect_with(
        addr: SocketAddr,
        http: reqwest::Client,
        timeout: Option<Duration>,
    ) -> Result<Self, HandError> {
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
        Ok(Self {
            http,
            base,
            auth,
            timeout,
        })
    }

    /// `GET /payments/{imp_uid}`, by hand.
    ///
    /// # Errors
    ///
    /// Transport, a non-zero code or a body that does not decode.
    pub async fn payment(&self, imp_uid: &str) -> Result<Payment, HandError> {
        self.get_payment(imp_uid).await
    }

    /// `GET /payments/{imp_uid}` into [`PaymentSummary`], by hand.
    ///
    /// # Errors
    ///
    /// Transport, a non-zero code or a body that does not decode.
    pub async fn payment_summary(&self, imp_uid: &str) -> Result<PaymentSummary, HandError> {
        self.get_payment(imp_uid).await
    }

    async fn get_payment<T: DeserializeOwned>(&self, imp_uid: &str) -> Result<T, HandError> {
        let url = format!(
            "{}/payments/{}",
            self.base,
            utf8_percent_encode(imp_uid, NON_ALPHANUMERIC)
        );
        let mut request = self
            .http
            .get(url)
            .header(AUTHORIZATION, self.auth.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, HeaderValue::from_static("portone-rs/0.1.0"));
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        let response = request.send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        let envelope: Envelope<T> = serde_json::from_slice(&body)?;
        if envelope.code != 0 || !status.is_success() {
            return Err(format!("code {}: {:?}", envelope.code, envelope.message).into());
        }
        envelope.response.ok_or_else(|| "null response".into())
    }
}

/// Which client makes the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `portone::Client` through a generated method.
    Generated,
    /// [`Handwritten`], with its timeout.
    Handwritten,
    /// [`Handwritten::connect_naive`]: `reqwest::Client::new()`, no timeout.
    Naive,
}

impl Side {
    /// Every side, generated first.
    pub const ALL: [Side; 3] = [Side::Generated, Side::Handwritten, Side::Naive];

    /// `generated`, `handwritten` or `naive`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Side::Generated => "generated",
            Side::Handwritten => "handwritten",
            Side::Naive => "naive",
        }
    }

    /// The side named `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Side> {
        Side::ALL.into_iter().find(|side| side.name() == name)
    }
}

/// The three clients, connected to one server (each holds a token).
#[derive(Debug, Clone)]
pub struct Sides {
    /// The generated client.
    pub generated: portone::Client,
    /// The careful hand-written client.
    pub handwritten: Handwritten,
    /// The naive hand-written client.
    pub naive: Handwritten,
}

impl Sides {
    /// Connects the three clients to the server at `addr`.
    ///
    /// # Errors
    ///
    /// When a hand-written client's getToken fails.
    pub async fn connect(addr: SocketAddr) -> Result<Self, HandError> {
        Ok(Self {
            generated: generated_client(addr),
            handwritten: Handwritten::connect(addr).await?,
            naive: Handwritten::connect_naive(addr).await?,
        })
    }

    /// Makes `calls` lookups of `size` through `side`, from `width` concurrent tasks on
    /// `rt`. Each side's future is spawned as its own type, as an application would.
    ///
    /// # Panics
    ///
    /// When a call fails or a task panics: a benchmark that fails measures nothing.
    pub fn run(
        &self,
        rt: &tokio::runtime::Runtime,
        side: Side,
        size: Size,
        calls: usize,
        width: usize,
    ) {
        use portone::prelude::*;
        let uid = "imp_088022300265";
        match (side, size) {
            (Side::Generated, Size::Full) => {
                let c = self.generated.clone();
                spread(rt, calls, width, move || c.payment(uid));
            }
            (Side::Generated, Size::Small) => {
                let c = self.generated.clone();
                spread(rt, calls, width, move || c.payment_summary(uid));
            }
            (Side::Handwritten | Side::Naive, size) => {
                let c = if side == Side::Naive {
                    self.naive.clone()
                } else {
                    self.handwritten.clone()
                };
                match size {
                    Size::Full => spread(rt, calls, width, move || {
                        let c = c.clone();
                        async move { c.payment(uid).await }
                    }),
                    Size::Small => spread(rt, calls, width, move || {
                        let c = c.clone();
                        async move { c.payment_summary(uid).await }
                    }),
                }
            }
        }
    }
}

/// `calls` calls of `call` from `width` spawned tasks.
fn spread<F, Fut, T, E>(rt: &tokio::runtime::Runtime, calls: usize, width: usize, call: F)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: std::fmt::Debug + Send + 'static,
{
    rt.block_on(async {
        let tasks: Vec<_> = (0..width)
            .map(|w| {
                let call = call.clone();
                tokio::spawn(async move {
                    for _ in (w..calls).step_by(width) {
                        std::hint::black_box(call().await.expect("call"));
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("join");
        }
    });
}
