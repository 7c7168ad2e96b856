//! [`MockServerBuilder`]: a server's settings, and its start.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, watch};

use crate::admin::access::Access;
use crate::clock::Clock;
use crate::mock_server::{Inner, MockServer};
use crate::persist::{Db, Loaded, StateError};
use crate::shared::Shared;
use crate::state::{self, State, Tier};
use crate::token::Tokens;
use crate::webhooks::{self, Outbox, WebhookFormat};
use crate::{server, webhooks::deliver};

impl MockServer {
    /// Starts a server with the default credentials and no tiers.
    ///
    /// # Panics
    ///
    /// When it cannot bind a port on `127.0.0.1`, or outside a tokio runtime; see
    /// [`MockServerBuilder::try_start`].
    pub async fn start() -> MockServer {
        MockServer::builder().start().await
    }

    /// A builder for credentials, agency tiers and the clock.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }
}

/// A state file opened and read by [`MockServerBuilder::state_file`], until the server
/// that starts with it takes it.
type HeldState = Arc<Mutex<Option<(Db, Loaded)>>>;

/// Configures a [`MockServer`] before it starts.
#[derive(Clone)]
#[must_use]
pub struct MockServerBuilder {
    addr: SocketAddr,
    api_key: String,
    api_secret: String,
    admin_token: Option<String>,
    tiers: Option<Vec<Tier>>,
    frozen_clock: bool,
    live_quirks: bool,
    webhook_url: Option<String>,
    webhook_format: Option<WebhookFormat>,
    webhook_resend: Option<bool>,
    /// The state file, opened and read; taken by the server that starts with it.
    state: Option<HeldState>,
}

// Hand-written: the secret stays out of logs.
impl fmt::Debug for MockServerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServerBuilder")
            .field("addr", &self.addr)
            .field("api_key", &self.api_key)
            .field(
                "admin_token",
                &self.admin_token.as_ref().map(|_| "<redacted>"),
            )
            .field("tiers", &self.tiers)
            .field("frozen_clock", &self.frozen_clock)
            .field("live_quirks", &self.live_quirks)
            .field("webhook_url", &self.webhook_url)
            .field("webhook_format", &self.webhook_format)
            .field("webhook_resend", &self.webhook_resend)
            .field("state_file", &self.state.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            api_key: MockServer::API_KEY.to_owned(),
            api_secret: MockServer::API_SECRET.to_owned(),
            admin_token: None,
            tiers: None,
            frozen_clock: false,
            live_quirks: false,
            webhook_url: None,
            webhook_format: None,
            webhook_resend: None,
            state: None,
        }
    }
}

impl MockServerBuilder {
    /// The address to listen on; `127.0.0.1:0` (any free port on the loopback) unless set.
    /// Port 0 picks a free port: [`MockServer::addr`] and [`MockServer::base_url`] tell
    /// which.
    ///
    /// On an address other than a loopback one (`0.0.0.0` included), the admin API
    /// (`/__mock/`) is refused unless [`admin_token`](Self::admin_token) is set: anyone
    /// who reaches the port could otherwise make payments and read what clients sent.
    ///
    /// ```
    /// use portone_mock::MockServer;
    ///
    /// let on_8080 = MockServer::builder().bind(([127, 0, 0, 1], 8080));
    /// # let _ = on_8080;
    /// ```
    pub fn bind(mut self, addr: impl Into<SocketAddr>) -> Self {
        self.addr = addr.into();
        self
    }

    /// Requires this token on every admin request (`/__mock/`), as
    /// `Authorization: Bearer <token>` or, for a browser opening the pay page,
    /// `?admin_token=<token>`; and opens the admin API on a non-loopback address. It is
    /// compared in constant time and never logged.
    pub fn admin_token(mut self, token: &str) -> Self {
        self.admin_token = Some(token.to_owned());
        self
    }

    /// Keeps the server's state in the SQLite database at `path` (`--state FILE`): the
    /// server starts with what it holds (payments, billing keys, schedules and the rest,
    /// the agency's tiers, added to the builder's, the id counter, the webhook settings the
    /// builder does not set, and the clock, which goes on from where it stood, frozen there
    /// with [`frozen_clock`](Self::frozen_clock)), and writes every change to it before it
    /// answers, so that a crash loses nothing. A missing or empty file becomes a new state
    /// file. The file is opened, checked and read now, and held by this builder's server
    /// alone: a second server of the same builder cannot start.
    ///
    /// # Errors
    ///
    /// [`StateError::NotDatabase`] for a file that is not a SQLite database (a JSON state
    /// file of an earlier portone-mock included), [`StateError::Foreign`] for another
    /// program's database, [`StateError::UnsupportedVersion`] for a newer schema (each
    /// left as it is), [`StateError::InUse`] when another server has it open,
    /// [`StateError::Invalid`] for a record that does not decode, [`StateError::Io`] or
    /// [`StateError::Database`] when it cannot be opened or read.
    pub fn state_file(mut self, path: impl AsRef<Path>) -> Result<Self, StateError> {
        let opened = Db::open(path.as_ref())?;
        self.state = Some(Arc::new(Mutex::new(Some(opened))));
        Ok(self)
    }

    /// The only `imp_key`/`imp_secret` pair getToken accepts.
    pub fn credentials(mut self, api_key: &str, api_secret: &str) -> Self {
        api_key.clone_into(&mut self.api_key);
        api_secret.clone_into(&mut self.api_secret);
        self
    }

    /// Makes the account an agency whose sub-merchants have these tier codes (exactly 3
    /// upper-case letters or digits). Requests may then carry `Tier: <code>`; each tier sees
    /// only its own data.
    pub fn agency<I, S>(mut self, tier_codes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let tiers = self.tiers.get_or_insert_with(Vec::new);
        for code in tier_codes {
            let code = code.as_ref().to_owned();
            let name = format!("하위상점 {code}");
            tiers.push(Tier { code, name });
        }
        self
    }

    /// Adds one tier with a name (`GET /tiers/{tier_code}` returns it); makes the account an
    /// agency.
    pub fn tier(mut self, code: &str, name: &str) -> Self {
        self.tiers.get_or_insert_with(Vec::new).push(Tier {
            code: code.to_owned(),
            name: name.to_owned(),
        });
        self
    }

    /// Stops the mock clock from following real time: it then moves only on
    /// [`MockServer::advance`], which makes timestamps exact in assertions.
    pub fn frozen_clock(mut self) -> Self {
        self.frozen_clock = true;
        self
    }

    /// Serves bodies the way PortOne's live server writes them rather than the way its spec
    /// describes them, so that a client is tested against what it will really decode. Off
    /// by default.
    ///
    /// Each payment, schedule and billing key is served in one [`BodyShape`](crate::BodyShape), picked by a
    /// stable hash of its `merchant_uid` (payments, schedules) or `customer_uid` (billing
    /// keys): the same id gets the same shape in every run, and [`BodyShape::of`](crate::BodyShape::of) tells a
    /// test which. The shapes copy real bodies PortOne users published (the crate's
    /// `tests/fixtures/`):
    ///
    /// - fields missing on older records: `sandbox`, `promotion`, `card_issuer_*`,
    ///   `card_publisher_*`, an empty `deposit_history` ([`BodyShape::Y2024`](crate::BodyShape::Y2024) and older);
    ///   `cancel_history[].cancellation_id`, a schedule's `pg_provider`, `pg_id`,
    ///   `promotion_id` ([`BodyShape::Y2023`](crate::BodyShape::Y2023) and older); `emb_pg_provider`,
    ///   `customer_uid_usage`, and every billing-key field but `card_name`, `customer_*`,
    ///   `inserted` and `updated` ([`BodyShape::Y2021`](crate::BodyShape::Y2021));
    /// - `""` where others send `null`: `apply_num` ([`BodyShape::Y2023`](crate::BodyShape::Y2023) and older),
    ///   `buyer_addr` ([`BodyShape::Y2021`](crate::BodyShape::Y2021));
    /// - `card_type: null`, card payments included ([`BodyShape::Y2023`](crate::BodyShape::Y2023) and older);
    /// - `previous: false` instead of `0` on the first page of every paged list.
    ///
    /// Numbers are never sent as strings: no published body shows PortOne doing that.
    pub fn live_quirks(mut self, on: bool) -> Self {
        self.live_quirks = on;
        self
    }

    /// The account's notification URL, as set in PortOne's console: where webhooks go for
    /// payments that name no `notice_url` of their own. Without it (and without a
    /// `notice_url`), nothing is sent.
    pub fn webhook_url(mut self, url: &str) -> Self {
        self.webhook_url = Some(url.to_owned());
        self
    }

    /// How notifications are encoded: JSON (the default) or a form, as chosen in PortOne's
    /// console.
    pub fn webhook_format(mut self, format: WebhookFormat) -> Self {
        self.webhook_format = Some(format);
        self
    }

    /// Re-sending, as the merchant can ask PortOne for: after a network error or a `5xx`,
    /// a notification is sent again up to 5 times, one minute apart on the mock clock
    /// (so [`MockServer::advance`] drives re-sends). Off by default: each is sent once.
    pub fn webhook_resend(mut self, on: bool) -> Self {
        self.webhook_resend = Some(on);
        self
    }

    /// Starts the server.
    ///
    /// # Panics
    ///
    /// When [`try_start`](Self::try_start) fails.
    pub async fn start(self) -> MockServer {
        self.try_start()
            .await
            .unwrap_or_else(|e| panic!("portone-mock could not start: {e}"))
    }

    /// Starts the server.
    ///
    /// # Errors
    ///
    /// When called outside a tokio runtime, when a tier code is not 3 upper-case letters
    /// or digits, when the admin token is empty, or when the address cannot be bound.
    pub async fn try_start(self) -> io::Result<MockServer> {
        tokio::runtime::Handle::try_current().map_err(|e| {
            io::Error::other(format!("MockServer must start inside a tokio runtime: {e}"))
        })?;
        if self.admin_token.as_deref().is_some_and(str::is_empty) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the admin token is empty: it would let anyone in",
            ));
        }
        let (db, loaded) = self.take_state()?;
        let webhooks = self.webhook_settings(loaded.as_ref());
        let tiers = merge_tiers(
            self.tiers,
            loaded.as_ref().and_then(|l| l.agency.as_deref()),
        );
        if let Some(bad) = tiers
            .iter()
            .flatten()
            .find(|t| !state::valid_tier_code(&t.code))
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "tier code `{}` is not 3 upper-case letters or digits",
                    bad.code
                ),
            ));
        }
        let http = deliver::http_client().map_err(io::Error::other)?;
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let tokens = Tokens::new(self.api_key.clone(), self.api_secret.clone());
        let clock = Arc::new(Clock::new(self.frozen_clock));
        let (queue, queued) = mpsc::unbounded_channel();
        let outbox = Arc::new(Outbox::new(&webhooks, clock.clone(), Some(queue)));
        let tracked = db.is_some();
        let mut state = State::new(tokens, tiers, clock, outbox.clone(), webhooks.url, tracked);
        if let Some(loaded) = loaded {
            loaded.restore(&mut state);
        }
        let access = Access::new(addr, self.admin_token);
        let shared = Arc::new(Shared::new(state, self.live_quirks, access, db));
        // The settings of this start (tiers, webhooks) are in the file before any request.
        shared.commit().map_err(io::Error::other)?;
        let router = server::router(shared.clone());
        let (stop_accepting, stop_rx) = watch::channel(false);
        let (stopped_tx, stopped) = watch::channel(false);
        tokio::spawn(server::accept_loop(
            listener,
            shared.clone(),
            router,
            stop_rx,
            stopped_tx,
        ));
        let (stop_webhooks, stop) = oneshot::channel();
        tokio::spawn(deliver::dispatch(outbox, http, queued, stop));
        tracing::debug!(%addr, "portone-mock listening");
        Ok(MockServer {
            inner: Arc::new(Inner {
                addr,
                shared,
                api_key: self.api_key,
                api_secret: self.api_secret,
                stop: stop_accepting,
                stopped,
                stop_webhooks: Mutex::new(Some(stop_webhooks)),
            }),
        })
    }
}

impl MockServerBuilder {
    /// The state file this builder opened, taken by the server that starts with it.
    fn take_state(&self) -> io::Result<(Option<Db>, Option<Loaded>)> {
        let Some(slot) = &self.state else {
            return Ok((None, None));
        };
        let (db, loaded) = slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .ok_or_else(|| {
                io::Error::other("this builder's state file is held by a server it started already")
            })?;
        Ok((Some(db), Some(loaded)))
    }

    /// The webhook settings: the builder's, else the state file's, else the defaults.
    fn webhook_settings(&self, loaded: Option<&Loaded>) -> webhooks::Config {
        let saved = loaded.and_then(|l| l.webhooks.clone()).unwrap_or_default();
        webhooks::Config {
            url: self.webhook_url.clone().or(saved.url),
            format: self.webhook_format.unwrap_or(saved.format),
            resend: self.webhook_resend.unwrap_or(saved.resend),
        }
    }
}

/// The builder's tiers and a state file's, the builder's name winning for a code in both;
/// `None` when neither makes the account an agency.
fn merge_tiers(builder: Option<Vec<Tier>>, saved: Option<&[Tier]>) -> Option<Vec<Tier>> {
    let Some(saved) = saved else {
        return builder;
    };
    let mut tiers = builder.unwrap_or_default();
    for t in saved {
        if !tiers.iter().any(|b| b.code == t.code) {
            tiers.push(t.clone());
        }
    }
    Some(tiers)
}
