//! The HTTP side: the router (PortOne's API and the admin API), an accept loop that serves
//! each connection with hyper, so that a fault can close or reset the very connection its
//! request came on, and the pipeline every request goes through (take a fault, log it and
//! run due schedules under one lock, route; the fault's half is in `crate::faults`). Admin
//! requests (`/__mock/`) skip all of that but the routing: no fault reaches them, and the
//! log holds only what a PortOne client sent.
//!
//! The handler runs in a task of its own: once a request is routed it is processed to the
//! end even if its client hangs up, as on a real server. What happens before routing (a
//! [`Fault::delay`](crate::Fault::delay)'s sleep) runs on the connection and ends with it.

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::request::Parts;
use axum::http::{Request, Response, StatusCode, Uri};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::admin;
use crate::faults::{Fault, Hangup};
use crate::quirks;
use crate::reply::Reply;
use crate::request_log::RecordedRequest;
use crate::routes;
use crate::shared::Shared;

/// Largest request body read.
const BODY_LIMIT: usize = 16 << 20;
/// How long a graceful shutdown waits for requests in flight: under the 10 s that
/// container runtimes leave between SIGTERM and SIGKILL, so the state file still gets
/// written after it.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// PortOne's API and, under [`admin::PREFIX`], the admin API; unknown routes and wrong
/// methods answer in the envelope.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    routes::api()
        .nest(admin::PREFIX, admin::routes(shared.clone()))
        .fallback(|| async {
            Reply::not_found("요청하신 API를 찾을 수 없습니다. (Not Found)")
        })
        .method_not_allowed_fallback(|| async {
            Reply::fail(
                StatusCode::METHOD_NOT_ALLOWED,
                -1,
                "허용되지 않는 HTTP METHOD 입니다.",
            )
        })
        .with_state(shared)
}

/// Accepts until `stop` turns `true` (then lets the connections finish their requests, for
/// [`SHUTDOWN_GRACE`] at most) or its sender is dropped (then stops at once); aborts what
/// is left, and says so on `stopped`.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    router: Router,
    mut stop: watch::Receiver<bool>,
    stopped: watch::Sender<bool>,
) {
    let (drain, draining) = watch::channel(false);
    let mut conns = JoinSet::new();
    let graceful = loop {
        tokio::select! {
            changed = stop.changed() => match changed {
                Ok(()) if *stop.borrow_and_update() => break true,
                Ok(()) => {}
                Err(_) => break false,
            },
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    conns.spawn(connection(
                        stream,
                        shared.clone(),
                        router.clone(),
                        draining.clone(),
                    ));
                }
                // Out of file descriptors and the like: wait instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    };
    drop(listener);
    if graceful {
        drain.send_replace(true);
        let all_done = async { while conns.join_next().await.is_some() {} };
        if tokio::time::timeout(SHUTDOWN_GRACE, all_done)
            .await
            .is_err()
        {
            tracing::warn!(
                open = conns.len(),
                "portone-mock: connections still busy after the grace period are closed"
            );
        }
    }
    conns.shutdown().await;
    // The state (and its file) goes with the last handle once this says it stopped.
    drop(router);
    drop(shared);
    stopped.send_replace(true);
}

async fn connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    router: Router,
    mut draining: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let hangup = Arc::new(Hangup::default());
    let io = TokioIo::new(ConnIo {
        stream,
        hangup: hangup.clone(),
    });
    let svc_hangup = hangup.clone();
    let svc =
        service_fn(move |req| pipeline(req, shared.clone(), router.clone(), svc_hangup.clone()));
    let conn = http1::Builder::new().serve_connection(io, svc);
    let mut conn = std::pin::pin!(conn);
    let mut drained = *draining.borrow_and_update();
    if drained {
        conn.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            () = hangup.killed() => break,
            // Finishes the request in flight, if any, then closes.
            changed = draining.changed(), if !drained => {
                drained = true;
                if changed.is_ok() {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// The socket, which resets (RST) instead of closing (FIN) when its connection was killed
/// with `reset`.
struct ConnIo {
    stream: TcpStream,
    hangup: Arc<Hangup>,
}

impl Drop for ConnIo {
    fn drop(&mut self) {
        if self.hangup.resets() {
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for ConnIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

async fn pipeline(
    req: Request<Incoming>,
    shared: Arc<Shared>,
    router: Router,
    hangup: Arc<Hangup>,
) -> Result<Response<Body>, Infallible> {
    let (parts, body) = req.into_parts();
    if admin::is_admin_path(parts.uri.path()) {
        let request = Request::from_parts(routed(parts), Body::new(body));
        return Ok(detached(shared, router, request, false).await);
    }
    let fault = shared.take_fault(&parts.method, parts.uri.path());
    let (bytes, body_ok) = if fault.as_ref().is_none_or(Fault::reads_body) {
        match to_bytes(Body::new(body), BODY_LIMIT).await {
            Ok(b) => (b, true),
            Err(_) => (Bytes::new(), false),
        }
    } else {
        (Bytes::new(), true)
    };
    let fault_name = fault.as_ref().map(Fault::name);
    tracing::debug!(
        method = %parts.method,
        path = parts.uri.path(),
        fault = fault_name,
        "portone-mock request"
    );
    {
        let mut st = shared.lock();
        st.arrive(RecordedRequest::new(&parts, bytes.clone(), fault_name));
        // Schedules that ran are written even if the fault never lets the request reach
        // its route.
        if let Err(e) = shared.commit_locked(&mut st) {
            tracing::error!("portone-mock: {}", crate::error::explain(&e));
        }
    }
    if !body_ok {
        return Ok(Reply::bad_request("요청 본문을 읽을 수 없습니다.").into_response_body());
    }
    let quirks = shared.quirks;
    let route = move || {
        let request = Request::from_parts(routed(parts), Body::from(bytes));
        detached(shared, router, request, quirks)
    };
    Ok(match fault {
        None => route().await,
        Some(fault) => fault.answer(route, &hangup).await,
    })
}

/// The request as it is routed: without trailing slashes, which PortOne's server ignores
/// (NOTES.md, "Answers observed on the live server": PortOne's PHP client sends
/// `/payments/cancel/` on every refund, an older Node client `/payments/findAll/{m}/`). The
/// log keeps the path as it was sent.
fn routed(mut parts: Parts) -> Parts {
    let path = parts.uri.path();
    if path.len() > 1 && path.ends_with('/') {
        let trimmed = match path.trim_end_matches('/') {
            "" => "/",
            trimmed => trimmed,
        };
        let target = match parts.uri.query() {
            Some(q) => format!("{trimmed}?{q}"),
            None => trimmed.to_owned(),
        };
        if let Ok(uri) = target.parse::<Uri>() {
            parts.uri = uri;
        }
    }
    parts
}

/// Routes `request` in a task of its own: a client that hangs up (or times out) cannot
/// stop a handler half-way, so an effect is either not started or committed whole. The
/// state file has every change before the answer leaves; if it cannot be written, the
/// answer is a `500` that says so.
async fn detached(
    shared: Arc<Shared>,
    router: Router,
    request: Request<Body>,
    quirks: bool,
) -> Response<Body> {
    let handler = tokio::spawn(async move {
        let res = match router.oneshot(request).await {
            Ok(res) => res,
            Err(never) => match never {},
        };
        if let Err(e) = shared.commit() {
            let why = crate::error::explain(&e);
            tracing::error!("portone-mock: {why}");
            return Reply::fail(
                StatusCode::INTERNAL_SERVER_ERROR,
                -1,
                format!("portone-mock could not write its state file: {why}"),
            )
            .into_response_body();
        }
        if quirks {
            quirks::apply(res).await
        } else {
            res
        }
    });
    handler.await.unwrap_or_else(|_| {
        Reply::fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            -1,
            "Internal Server Error",
        )
        .into_response_body()
    })
}

impl Reply {
    fn into_response_body(self) -> Response<Body> {
        axum::response::IntoResponse::into_response(self)
    }
}
