//! The HTTP side: an accept loop that serves each connection with hyper, so that a fault
//! can close or reset the very connection its request came on; and the pipeline every
//! request goes through (record, run due schedules, apply a fault, route). Admin requests
//! (`/__mock/`) skip all of that but the routing: no fault reaches them, and the log holds
//! only what a PortOne client sent.
//!
//! The handler runs in a task of its own: once a request is routed it is processed to the
//! end even if its client hangs up, as on a real server. What happens before routing (a
//! [`Fault::delay`](crate::Fault::delay)'s sleep) runs on the connection and ends with it.

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::Shared;
use crate::faults::FaultKind;
use crate::quirks;
use crate::record::RecordedRequest;
use crate::reply::{JSON_CONTENT_TYPE, Reply};

/// Largest request body read.
const BODY_LIMIT: usize = 16 << 20;
/// How long a cut body waits between its first half and the reset, so the half is flushed.
const CUT_PAUSE: Duration = Duration::from_millis(50);
/// How long a graceful shutdown waits for requests in flight: under the 10 s that
/// container runtimes leave between SIGTERM and SIGKILL, so the state file still gets
/// written after it.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

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
    stopped.send_replace(true);
}

/// Lets a request's pipeline end its own connection.
#[derive(Default)]
struct ConnCtl {
    kill: Notify,
    reset: AtomicBool,
}

impl ConnCtl {
    fn kill(&self, reset: bool) {
        self.reset.store(reset, Ordering::SeqCst);
        self.kill.notify_one();
    }
}

async fn connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    router: Router,
    mut draining: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let ctl = Arc::new(ConnCtl::default());
    let io = TokioIo::new(ConnIo {
        stream,
        ctl: ctl.clone(),
    });
    let svc_ctl = ctl.clone();
    let svc = service_fn(move |req| pipeline(req, shared.clone(), router.clone(), svc_ctl.clone()));
    let conn = http1::Builder::new().serve_connection(io, svc);
    let mut conn = std::pin::pin!(conn);
    let mut drained = *draining.borrow_and_update();
    if drained {
        conn.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            () = ctl.kill.notified() => break,
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
    ctl: Arc<ConnCtl>,
}

impl Drop for ConnIo {
    fn drop(&mut self) {
        if self.ctl.reset.load(Ordering::SeqCst) {
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
    ctl: Arc<ConnCtl>,
) -> Result<Response<Body>, Infallible> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    if crate::admin::is_admin_path(&path) {
        let request = Request::from_parts(parts, Body::new(body));
        return Ok(detached(router, request, false).await);
    }
    let fault = shared.take_fault(&parts.method, &path);
    let read_body = !matches!(
        fault.as_ref().map(|f| &f.kind),
        Some(FaultKind::Close {
            read_body: false,
            ..
        })
    );
    let (bytes, body_ok) = if read_body {
        match to_bytes(Body::new(body), BODY_LIMIT).await {
            Ok(b) => (b, true),
            Err(_) => (Bytes::new(), false),
        }
    } else {
        (Bytes::new(), true)
    };
    shared.record(RecordedRequest {
        method: parts.method.clone(),
        path,
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: bytes.clone(),
        fault: fault.as_ref().map(|f| f.name),
    });
    tracing::debug!(
        method = %parts.method,
        path = parts.uri.path(),
        fault = fault.as_ref().map(|f| f.name),
        "portone-mock request"
    );
    shared.lock().run_due();
    if !body_ok {
        return Ok(Reply::bad_request("요청 본문을 읽을 수 없습니다.").into_response_body());
    }
    let quirks = shared.quirks;
    let route = |bytes: Bytes| {
        let request = Request::from_parts(parts, Body::from(bytes));
        detached(router, request, quirks)
    };
    let Some(fault) = fault else {
        return Ok(route(bytes).await);
    };
    if let Some(after) = fault.after {
        tokio::time::sleep(after).await;
    }
    let response = match fault.kind {
        FaultKind::Delay(by) => {
            // On the connection: a client gone before the sleep ends takes the request with
            // it, unprocessed.
            tokio::time::sleep(by).await;
            route(bytes).await
        }
        FaultKind::DelayAfterProcessing(by) => {
            let res = route(bytes).await;
            tokio::time::sleep(by).await;
            res
        }
        FaultKind::Respond {
            status,
            content_type,
            body,
        } => {
            let mut res = Response::new(Body::from(body));
            *res.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                res.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            res
        }
        FaultKind::Close { reset, .. } => hang_up(&ctl, reset).await,
        FaultKind::DropResponse => {
            drop(route(bytes).await);
            hang_up(&ctl, true).await
        }
        FaultKind::ResetMidBody => {
            let (mut head, full) = collect(route(bytes).await).await;
            // The connection dies with the body: make that a reset, not a clean close.
            ctl.reset.store(true, Ordering::SeqCst);
            head.headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
            let half = full.slice(..full.len() / 2);
            let stream = futures_util::stream::unfold(0u8, move |step| {
                let half = half.clone();
                async move {
                    match step {
                        0 => Some((Ok(half), 1)),
                        1 => {
                            tokio::time::sleep(CUT_PAUSE).await;
                            Some((Err(io::Error::from(io::ErrorKind::ConnectionReset)), 2))
                        }
                        _ => None,
                    }
                }
            });
            Response::from_parts(head, Body::from_stream(stream))
        }
        FaultKind::MalformedJson => {
            let (mut head, full) = collect(route(bytes).await).await;
            head.status = StatusCode::OK;
            head.headers.remove(header::CONTENT_LENGTH);
            head.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(JSON_CONTENT_TYPE),
            );
            Response::from_parts(head, Body::from(full.slice(..full.len() / 2)))
        }
        FaultKind::WrongContentType => {
            let mut res = route(bytes).await;
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=UTF-8"),
            );
            res
        }
    };
    Ok(response)
}

/// Routes `request` in a task of its own: a client that hangs up (or times out) cannot
/// stop a handler half-way, so an effect is either not started or committed whole.
async fn detached(router: Router, request: Request<Body>, quirks: bool) -> Response<Body> {
    let handler = tokio::spawn(async move {
        let res = match router.oneshot(request).await {
            Ok(res) => res,
            Err(never) => match never {},
        };
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

async fn collect(res: Response<Body>) -> (axum::http::response::Parts, Bytes) {
    let (head, body) = res.into_parts();
    (head, to_bytes(body, usize::MAX).await.unwrap_or_default())
}

/// Ends the connection and never answers: the connection task drops this future.
async fn hang_up(ctl: &ConnCtl, reset: bool) -> Response<Body> {
    ctl.kill(reset);
    std::future::pending().await
}

impl Reply {
    fn into_response_body(self) -> Response<Body> {
        axum::response::IntoResponse::into_response(self)
    }
}
