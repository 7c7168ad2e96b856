//! What the server's tasks and every `MockServer` handle share: the state behind its one
//! lock, the faults, the webhook outbox, and the settings fixed at start.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::Method;

use crate::admin::access::Access;
use crate::faults::{self, Fault, Rule};
use crate::persist::{Db, StateError};
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
    /// The state file, if the server has one; locked while the state's lock is held.
    db: Option<Mutex<Db>>,
}

impl Shared {
    pub(crate) fn new(state: State, quirks: bool, admin: Access, db: Option<Db>) -> Shared {
        Shared {
            db: db.map(Mutex::new),
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

    /// Writes every change of the state to the state file, if there is one; the caller
    /// holds the state's lock, so that nothing changes in between.
    pub(crate) fn commit_locked(&self, state: &mut State) -> Result<(), StateError> {
        match &self.db {
            Some(db) => db
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .commit(state),
            None => Ok(()),
        }
    }

    /// [`commit_locked`](Self::commit_locked), taking the lock; a server without a state
    /// file takes no lock at all.
    pub(crate) fn commit(&self) -> Result<(), StateError> {
        if self.db.is_none() {
            return Ok(());
        }
        self.commit_locked(&mut self.lock())
    }

    /// `MockServer::advance`: re-sends waiting on the clock see it move, and the state
    /// file has the clock and the schedules that ran.
    pub(crate) fn advance(&self, by: Duration) -> Result<(), StateError> {
        let mut st = self.lock();
        st.clock.advance(by);
        st.run_due();
        self.commit_locked(&mut st)
    }

    /// `MockServer::reset`: re-sends waiting on the clock look again, and find their
    /// delivery gone; the state file forgets every record.
    pub(crate) fn reset(&self) -> Result<(), StateError> {
        self.faults().clear();
        let mut st = self.lock();
        st.reset();
        if let Some(db) = &self.db {
            db.lock().unwrap_or_else(PoisonError::into_inner).wipe()?;
        }
        self.commit_locked(&mut st)
    }
}
