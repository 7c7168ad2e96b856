//! [`MockServer`]: the handle a test holds, and the test helpers on it (those of
//! webhooks are in [`webhooks`]).

mod webhooks;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{oneshot, watch};

use crate::checkout::Checkout;
use crate::error::{MockError, explain};
use crate::faults::{Fault, Rule};
use crate::persist::{self, StateError};
use crate::request_log::RecordedRequest;
use crate::shared::Shared;

/// A running PortOne V1 server, on `127.0.0.1` unless
/// [`MockServerBuilder::bind`](crate::MockServerBuilder::bind) says
/// otherwise.
///
/// Cheap to clone; the server stops when the last clone is dropped (or, letting requests
/// in flight finish, on [`shutdown`](MockServer::shutdown)). See the
/// [crate documentation](crate) for an example.
#[derive(Clone)]
pub struct MockServer {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) addr: SocketAddr,
    pub(crate) shared: Arc<Shared>,
    pub(crate) api_key: String,
    pub(crate) api_secret: String,
    /// `true` asks the accept loop to stop gracefully; dropped with the last handle, it
    /// ends the loop at once...
    pub(crate) stop: watch::Sender<bool>,
    /// ...which says here that it has.
    pub(crate) stopped: watch::Receiver<bool>,
    /// Sent or dropped, it ends the webhook sender, with every delivery still waiting.
    pub(crate) stop_webhooks: Mutex<Option<oneshot::Sender<()>>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.base_url())
            .field("api_key", &self.inner.api_key)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// The API key a server accepts unless the builder says otherwise.
    pub const API_KEY: &'static str = "mock_imp_key";
    /// The API secret a server accepts unless the builder says otherwise.
    pub const API_SECRET: &'static str = "mock_imp_secret_0123456789abcdef";
    /// The OTP that confirms a certification started with `POST /certifications/otp/request`.
    pub const CERTIFICATION_OTP: &'static str = "123456";

    /// `http://127.0.0.1:PORT`, without a trailing slash: the address the server listens
    /// on, where a client on this machine reaches it. A server bound to every interface
    /// (`0.0.0.0` or `::`) answers `http://127.0.0.1:PORT` (`http://[::1]:PORT`).
    #[must_use]
    pub fn base_url(&self) -> String {
        let addr = self.inner.addr;
        let ip = match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, addr.port()))
    }

    /// The address the server listens on.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// The `imp_key` the server accepts.
    #[must_use]
    pub fn api_key(&self) -> &str {
        &self.inner.api_key
    }

    /// The `imp_secret` the server accepts.
    #[must_use]
    pub fn api_secret(&self) -> &str {
        &self.inner.api_secret
    }

    /// Now on the mock clock, in unix seconds.
    #[must_use]
    pub fn now(&self) -> i64 {
        self.inner.shared.lock().clock.now()
    }

    /// Moves the mock clock forward, then runs every schedule that came due, each at its
    /// own `schedule_at`. Tokens expire by this clock, and webhook re-sends that came due
    /// are sent.
    pub fn advance(&self, by: Duration) {
        if let Err(e) = self.inner.shared.advance(by) {
            tracing::error!("portone-mock advance: {}", explain(&e));
        }
    }

    /// Every request received since the start or the last [`reset_log`](Self::reset_log),
    /// in arrival order, faulted ones included.
    #[must_use]
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.shared.lock().log.requests.clone()
    }

    /// How many `POST /users/getToken` requests arrived (faulted ones included).
    #[must_use]
    pub fn get_token_calls(&self) -> usize {
        self.inner.shared.lock().log.get_token_calls
    }

    /// Forgets the request log and the getToken count.
    pub fn reset_log(&self) {
        self.inner.shared.lock().log.clear();
    }

    /// Adds a fault; see [`Fault`].
    pub fn inject(&self, fault: Fault) {
        let remaining = fault.times;
        self.inner.shared.faults().push(Rule { fault, remaining });
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.inner.shared.faults().clear();
    }

    /// Completes a checkout as the browser SDK would and returns the payment's `imp_uid`.
    ///
    /// # Panics
    ///
    /// When [`try_checkout`](Self::try_checkout) fails: an unknown tier or a negative amount.
    pub fn checkout(&self, checkout: Checkout) -> String {
        self.try_checkout(checkout)
            .unwrap_or_else(|e| panic!("portone-mock checkout: {e}"))
    }

    /// Completes a checkout as the browser SDK would and returns the payment's `imp_uid`.
    ///
    /// # Errors
    ///
    /// [`MockError::Tier`] when the tier cannot be used by this account,
    /// [`MockError::InvalidAmount`] for a negative amount.
    pub fn try_checkout(&self, checkout: Checkout) -> Result<String, MockError> {
        let shared = &self.inner.shared;
        let mut st = shared.lock();
        let imp_uid = checkout.apply(&mut st)?;
        shared.commit_locked(&mut st).map_err(not_saved)?;
        Ok(imp_uid)
    }

    /// The buyer deposits into a `ready` virtual account, which becomes `paid`.
    ///
    /// # Panics
    ///
    /// When [`try_deposit`](Self::try_deposit) fails.
    pub fn deposit(&self, imp_uid: &str) {
        self.try_deposit(imp_uid)
            .unwrap_or_else(|e| panic!("portone-mock deposit: {e}"));
    }

    /// The buyer deposits into a `ready` virtual account, which becomes `paid`.
    ///
    /// # Errors
    ///
    /// [`MockError::UnknownPayment`] for an unknown `imp_uid`, [`MockError::NotReadyVbank`]
    /// when the payment is not a virtual account waiting for its deposit.
    pub fn try_deposit(&self, imp_uid: &str) -> Result<(), MockError> {
        let shared = &self.inner.shared;
        let mut st = shared.lock();
        st.deposit(imp_uid)?;
        shared.commit_locked(&mut st).map_err(not_saved)
    }

    /// Forgets every record (payments, billing keys, schedules, ... in every tier), the
    /// request log, the faults, the webhook deliveries and the access token, and puts the
    /// clock back to real time (frozen again if it was): the server as it started, with
    /// the same address and settings. Ids keep counting, so an `imp_uid` from before is
    /// never handed out again.
    pub fn reset(&self) {
        if let Err(e) = self.inner.shared.reset() {
            tracing::error!("portone-mock reset: {}", explain(&e));
        }
    }

    /// Stops the server gracefully: it accepts no more connections, lets the requests in
    /// flight finish (for at most 5 s; connections still busy then are closed), closes
    /// idle connections, and stops sending webhooks. Returns once all that is done.
    /// Handles stay usable for reading the state ([`requests`](Self::requests),
    /// [`save_state`](Self::save_state), ...). Calling it again returns at once.
    pub async fn shutdown(&self) {
        self.inner.stop.send_replace(true);
        let mut stopped = self.inner.stopped.clone();
        // An error means the accept loop is gone already: stopped either way.
        let _ = stopped.wait_for(|s| *s).await;
        let stop_webhooks = self
            .inner
            .stop_webhooks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(stop) = stop_webhooks {
            let _ = stop.send(());
        }
    }

    /// Writes a copy of the server's records and settings into the SQLite state file at
    /// `path`, which [`MockServerBuilder::state_file`](crate::MockServerBuilder::state_file)
    /// (or `--state`) starts from: a new file, or one of this mock's whose content it
    /// replaces, whole or not at all (one transaction). What is kept, and what is not
    /// (certifications, the access token, the request log, faults, webhook deliveries), is
    /// listed in the crate's README. Blocks while it writes.
    ///
    /// # Errors
    ///
    /// [`StateError::NotDatabase`], [`StateError::Foreign`] or
    /// [`StateError::UnsupportedVersion`] when a file is there that is not this build's
    /// state file (it is left alone), [`StateError::InUse`] when a server holds it,
    /// [`StateError::Io`] or [`StateError::Database`] when it cannot be written.
    pub fn save_state(&self, path: impl AsRef<Path>) -> Result<(), StateError> {
        persist::save(path.as_ref(), &self.inner.shared.lock())
    }
}

/// A change made but not written to the state file.
pub(crate) fn not_saved(e: StateError) -> MockError {
    MockError::NotSaved(explain(&e))
}
