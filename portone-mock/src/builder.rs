//! [`MockServerBuilder`]: a server's settings, and its start.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, watch};

use crate::admin::access::Access;
use crate::clock::Clock;
use crate::mock_server::{Inner, MockServer};
use crate::persist::{self, StateError};
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
    webhooks: webhooks::Config,
    saved: Option<Arc<persist::Loaded>>,
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
            .field("webhooks", &self.webhooks)
            .field("state_loaded", &self.saved.is_some())
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
            webhooks: webhooks::Config::default(),
            saved: None,
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

    /// Starts the server with the records of a state file written by
    /// [`MockServer::save_state`]: payments, billing keys, schedules and the rest, the
    /// agency's tiers (added to the builder's), the id counter, and the clock, which goes
    /// on from where it stood (frozen there with [`frozen_clock`](Self::frozen_clock)).
    /// The file is read and checked now.
    ///
    /// # Errors
    ///
    /// [`StateError::Io`] when it cannot be read ([`StateError::is_not_found`] for a file
    /// that does not exist), [`StateError::NotJson`], [`StateError::Foreign`] for a file
    /// that is not a portone-mock state file, [`StateError::UnsupportedVersion`], and
    /// [`StateError::Invalid`] for one whose records do not hold together.
    pub fn load_state(mut self, path: impl AsRef<Path>) -> Result<Self, StateError> {
        self.saved = Some(Arc::new(persist::read(path.as_ref())?));
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
    /// Each payment, schedule and billing key is served in one [`BodyShape`], picked by a
    /// stable hash of its `merchant_uid` (payments, schedules) or `customer_uid` (billing
    /// keys): the same id gets the same shape in every run, and [`BodyShape::of`] tells a
    /// test which. The shapes copy real bodies PortOne users published (the crate's
    /// `tests/fixtures/`):
    ///
    /// - fields missing on older records: `sandbox`, `promotion`, `card_issuer_*`,
    ///   `card_publisher_*`, an empty `deposit_history` ([`BodyShape::Y2024`] and older);
    ///   `cancel_history[].cancellation_id`, a schedule's `pg_provider`, `pg_id`,
    ///   `promotion_id` ([`BodyShape::Y2023`] and older); `emb_pg_provider`,
    ///   `customer_uid_usage`, and every billing-key field but `card_name`, `customer_*`,
    ///   `inserted` and `updated` ([`BodyShape::Y2021`]);
    /// - `""` where others send `null`: `apply_num` ([`BodyShape::Y2023`] and older),
    ///   `buyer_addr` ([`BodyShape::Y2021`]);
    /// - `card_type: null`, card payments included ([`BodyShape::Y2023`] and older);
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
        self.webhooks.url = Some(url.to_owned());
        self
    }

    /// How notifications are encoded: JSON (the default) or a form, as chosen in PortOne's
    /// console.
    pub fn webhook_format(mut self, format: WebhookFormat) -> Self {
        self.webhooks.format = format;
        self
    }

    /// Re-sending, as the merchant can ask PortOne for: after a network error or a `5xx`,
    /// a notification is sent again up to 5 times, one minute apart on the mock clock
    /// (so [`MockServer::advance`] drives re-sends). Off by default: each is sent once.
    pub fn webhook_resend(mut self, on: bool) -> Self {
        self.webhooks.resend = on;
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
        let saved_tiers = self.saved.as_deref().and_then(persist::Loaded::tiers);
        let tiers = merge_tiers(self.tiers, saved_tiers);
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
        let outbox = Arc::new(Outbox::new(&self.webhooks, clock.clone(), Some(queue)));
        let mut state = State::new(tokens, tiers, clock, outbox.clone(), self.webhooks.url);
        if let Some(saved) = &self.saved {
            saved.restore(&mut state);
        }
        let access = Access::new(addr, self.admin_token);
        let shared = Arc::new(Shared::new(state, self.live_quirks, access));
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
