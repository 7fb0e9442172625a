//! Serving HTTP connections with limits (HTTP/1.1 and HTTP/2, plain or TLS):
//!
//! - at most `max_connections` connections at once: the accept loop waits for a free
//!   slot, further clients wait in the listen backlog;
//! - a request head must arrive completely within `header_read_timeout` from its first
//!   byte (from the accept, for the first request of a connection); the TLS handshake has
//!   the same limit; a connection that does not make it is closed (slowloris);
//! - a keep-alive connection without a request in progress for `keep_alive_timeout` is
//!   shut down gracefully, and closed if that does not finish within
//!   `header_read_timeout`.
//!
//! The timeouts are enforced by a watchdog per connection that sees the bytes read and the
//! requests in progress, not by hyper's header timer: that one also runs while a
//! keep-alive connection is idle, which would make the idle limit the header limit.

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// The limits of the HTTP connections.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Time for a request head (and for the TLS handshake).
    pub header_read_timeout: Duration,
    /// Time a keep-alive connection may stay idle.
    pub keep_alive_timeout: Duration,
}

impl Limits {
    /// The limits of a configuration.
    pub fn of(config: &crate::config::GatewayConfig) -> Self {
        Limits {
            max_connections: config.max_connections.max(1),
            header_read_timeout: Duration::from_secs(config.header_read_timeout_seconds.max(1)),
            keep_alive_timeout: Duration::from_secs(config.keep_alive_timeout_seconds.max(1)),
        }
    }
}

/// What the watchdog of a connection knows.
struct Activity {
    /// Requests handed to the router and not answered yet.
    in_progress: usize,
    /// When the first byte of a request head not yet complete arrived.
    head_started: Option<Instant>,
    /// When the connection last became idle.
    idle_since: Instant,
}

#[derive(Clone)]
struct Tracker(Arc<Mutex<Activity>>);

/// Marks one request in progress until dropped.
struct InProgress(Tracker);

impl Drop for InProgress {
    fn drop(&mut self) {
        let mut a = self.0.lock();
        a.in_progress -= 1;
        a.idle_since = Instant::now();
    }
}

enum Verdict {
    /// Look again at this time.
    Wait(Instant),
    /// The idle keep-alive connection may go: shut it down gracefully.
    Idle,
    /// Close the connection now.
    Close,
}

impl Tracker {
    fn new() -> Self {
        let now = Instant::now();
        Tracker(Arc::new(Mutex::new(Activity {
            in_progress: 0,
            head_started: Some(now),
            idle_since: now,
        })))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Activity> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Bytes arrived: between requests, they start a request head.
    fn read(&self) {
        let mut a = self.lock();
        if a.in_progress == 0 && a.head_started.is_none() {
            a.head_started = Some(Instant::now());
        }
    }

    /// A complete request head: the router has the request.
    fn begin(&self) -> InProgress {
        let mut a = self.lock();
        a.in_progress += 1;
        a.head_started = None;
        InProgress(self.clone())
    }

    fn verdict(&self, limits: &Limits, now: Instant) -> Verdict {
        let a = self.lock();
        // Bytes may arrive while the watchdog sleeps: look again at least this often.
        let recheck = now + limits.header_read_timeout;
        if let Some(started) = a.head_started {
            let deadline = started + limits.header_read_timeout;
            if now >= deadline {
                return Verdict::Close;
            }
            return Verdict::Wait(deadline.min(recheck));
        }
        if a.in_progress == 0 {
            let deadline = a.idle_since + limits.keep_alive_timeout;
            if now >= deadline {
                return Verdict::Idle;
            }
            return Verdict::Wait(deadline.min(recheck));
        }
        Verdict::Wait(recheck)
    }
}

/// A stream that tells its tracker when bytes arrive.
struct Watched<T> {
    inner: T,
    tracker: Tracker,
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.tracker.read();
        }
        result
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Accepts connections until the listener fails for good; HTTPS when `tls` is given.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut builder = Builder::new(TokioExecutor::new());
    // The watchdog enforces the header timeout; hyper's timer is not used (see above).
    builder.http1().header_read_timeout(None);
    let builder = Arc::new(builder);
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Ok(());
        };
        let (stream, _peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) if is_per_connection_error(&e) => continue,
            Err(e) => {
                // E.g. too many open files: wait instead of spinning.
                tracing::error!("accept: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let builder = builder.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let _slot = slot;
            match tls {
                None => connection(stream, router, &builder, limits).await,
                Some(acceptor) => {
                    let handshake = acceptor.accept(stream);
                    match tokio::time::timeout(limits.header_read_timeout, handshake).await {
                        Ok(Ok(stream)) => connection(stream, router, &builder, limits).await,
                        Ok(Err(e)) => tracing::debug!("TLS handshake: {e}"),
                        Err(_) => tracing::debug!("TLS handshake timed out"),
                    }
                }
            }
        });
    }
}

fn is_per_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Serves one connection under its watchdog.
async fn connection<T>(stream: T, router: Router, builder: &Builder<TokioExecutor>, limits: Limits)
where
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let tracker = Tracker::new();
    let io = TokioIo::new(Watched {
        inner: stream,
        tracker: tracker.clone(),
    });
    let requests = tracker.clone();
    let service =
        hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            let in_progress = requests.begin();
            let router = router.clone();
            async move {
                let request = crate::server::rewrite_prefix(request.map(axum::body::Body::new));
                let response = router.oneshot(request).await;
                drop(in_progress);
                response
            }
        });
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut shutting_down: Option<Instant> = None;
    loop {
        let now = Instant::now();
        let mut wake = match tracker.verdict(&limits, now) {
            Verdict::Close => return,
            Verdict::Idle if shutting_down.is_none() => {
                conn.as_mut().graceful_shutdown();
                shutting_down = Some(now);
                now + limits.header_read_timeout
            }
            Verdict::Idle => now + limits.header_read_timeout,
            Verdict::Wait(at) => at,
        };
        if let Some(since) = shutting_down {
            let deadline = since + limits.header_read_timeout;
            if now >= deadline {
                return;
            }
            wake = wake.min(deadline);
        }
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!("connection: {e}");
                }
                return;
            }
            _ = tokio::time::sleep_until(wake.into()) => {}
        }
    }
}
