//! Sending notifications, as PortOne does: a POST with PortOne's timeouts, then, with
//! re-sending on, up to [`RESENDS`](super::RESENDS) more after a network error or a `5xx`, one minute
//! apart on the mock clock, so that `MockServer::advance` drives them.
//!
//! One task per delivery, owned by the dispatcher: when the server stops, every delivery
//! still waiting stops with it.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::CONTENT_TYPE;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinSet;

use super::{Outbox, WebhookAttempt};
use crate::error::explain;

/// PortOne waits 10 s to connect...
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// ...and 30 s for the answer of the first attempt...
const FIRST_TIMEOUT: Duration = Duration::from_secs(10 + 30);
/// ...and 15 s in all for a re-send.
const RESEND_TIMEOUT: Duration = Duration::from_secs(15);

/// The HTTP client every delivery of one server shares.
pub(crate) fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        // A receiver's redirect is its answer, not a new destination.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "portone-mock/",
            env!("CARGO_PKG_VERSION"),
            " webhook"
        ))
        .build()
}

/// Starts a delivery for each id the outbox queues, until `stop` fires or is dropped.
pub(crate) async fn dispatch(
    outbox: Arc<Outbox>,
    http: reqwest::Client,
    mut queue: mpsc::UnboundedReceiver<u64>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut deliveries = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            id = queue.recv() => match id {
                Some(id) => {
                    deliveries.spawn(deliver(outbox.clone(), http.clone(), id));
                }
                None => break,
            },
            Some(_) = deliveries.join_next(), if !deliveries.is_empty() => {}
        }
    }
    // Dropping `deliveries` aborts the ones still waiting for a re-send.
}

async fn deliver(outbox: Arc<Outbox>, http: reqwest::Client, id: u64) {
    let mut clock = outbox.clock().moved();
    while let Some(send) = outbox.begin(id) {
        let timeout = if send.first {
            FIRST_TIMEOUT
        } else {
            RESEND_TIMEOUT
        };
        let answer = http
            .post(&send.url)
            .header(CONTENT_TYPE, send.content_type)
            .body(send.body)
            .timeout(timeout)
            .send()
            .await;
        let attempt = match answer {
            Ok(response) => WebhookAttempt {
                at: send.at,
                status: Some(response.status().as_u16()),
                error: None,
            },
            Err(e) => WebhookAttempt {
                at: send.at,
                status: None,
                error: Some(describe(&e)),
            },
        };
        let Some(due_ms) = outbox.finish(id, attempt) else {
            return;
        };
        wait_until(&outbox, &mut clock, due_ms).await;
    }
}

/// Returns once the mock clock reaches `due_ms`: on `advance`, or as real time passes
/// when the clock is not frozen.
async fn wait_until(outbox: &Outbox, clock: &mut watch::Receiver<()>, due_ms: i64) {
    loop {
        // Marks the current clock as seen before reading it: an `advance` after this
        // line wakes the `changed()` below.
        clock.borrow_and_update();
        let (now_ms, frozen) = (outbox.clock().now_ms(), outbox.clock().is_frozen());
        if now_ms >= due_ms {
            return;
        }
        let real_wait = Duration::from_millis(u64::try_from(due_ms - now_ms).unwrap_or(0));
        tokio::select! {
            changed = clock.changed() => {
                // The sender lives as long as the clock: this cannot fail while we hold it.
                if changed.is_err() {
                    return;
                }
            }
            () = tokio::time::sleep(real_wait), if !frozen => {}
        }
    }
}

/// The error and its causes on one line: what a test reads to tell a refused connection
/// from a reset or a timeout.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else {
        "request"
    };
    format!("{kind}: {}", explain(e))
}
