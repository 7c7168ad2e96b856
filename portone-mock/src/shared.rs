//! What the server's tasks and every `MockServer` handle share: the state behind its one
//! lock, the faults, the webhook outbox, and the settings fixed at start.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::Method;

use crate::admin::access::Access;
use crate::faults::{self, Fault, Rule};
use crate::state::State;
use crate::webhooks::Outbox;

pub(crate) struct Shared {
    state: Mutex<State>,
    /// Apart from the state: a fault decides how a request is read before it is logged.
    faults: Mutex<Vec<Rule>>,
    /// The state's outbox, read without its lock.
    pub(crate) outbox: Arc<Outbox>,
    /// `MockServerBuilder::live_quirks`: fixed at start.
    pub(crate) quirks: bool,
    /// Who may use the admin API (`/__mock/`).
    pub(crate) admin: Access,
}

impl Shared {
    pub(crate) fn new(state: State, quirks: bool, admin: Access) -> Shared {
        Shared {
            outbox: state.outbox.clone(),
            state: Mutex::new(state),
            faults: Mutex::new(Vec::new()),
            quirks,
            admin,
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while locked cannot leave the state half-written in a way that matters
        // to tests more than losing the server would.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, Vec<Rule>> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes one use of the first fault that applies to the request.
    pub(crate) fn take_fault(&self, method: &Method, path: &str) -> Option<Fault> {
        faults::take(&mut self.faults(), method, path)
    }

    /// `MockServer::advance`: re-sends waiting on the clock see it move.
    pub(crate) fn advance(&self, by: Duration) {
        let mut st = self.lock();
        st.clock.advance(by);
        st.run_due();
    }

    /// `MockServer::reset`: re-sends waiting on the clock look again, and find their
    /// delivery gone.
    pub(crate) fn reset(&self) {
        self.lock().reset();
        self.faults().clear();
    }
}
