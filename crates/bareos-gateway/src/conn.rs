//! Serving HTTP connections with limits (HTTP/1.1 and HTTP/2, plain or TLS):
//!
//! - at most `max_connections` connections at once; when they are all taken, the oldest
//!   idle keep-alive connection is closed for a new client, and if none is idle the new
//!   client waits (the accept loop waits for a free slot, further clients wait in the
//!   listen backlog);
//! - at most `max_connections_per_address` connections of one client address (IPv6: one
//!   /64) at once; a further one gets a 503 and is closed right away;
//! - a request head must arrive completely within `header_read_timeout` from its first
//!   byte (from the accept, for the first request of a connection); the TLS handshake has
//!   the same limit; a connection that does not make it is closed (slowloris);
//! - a request body must arrive completely within `body_read_timeout` from its head, and
//!   a request must be answered within `request_timeout` (else a JSON 503; a request
//!   still running `header_read_timeout` later has its connection closed);
//! - a keep-alive connection without a request in progress for `keep_alive_timeout` is
//!   shut down gracefully, and closed if that does not finish within
//!   `header_read_timeout`;
//! - on shutdown, the listener is closed, every connection is shut down gracefully
//!   (requests in progress finish, idle connections close), and whatever is left after
//!   `shutdown_timeout` is closed.
//!
//! The timeouts are enforced by a watchdog per connection that sees the bytes read, the
//! requests in progress and whether their bodies are complete, not by hyper's header
//! timer: that one also runs while a keep-alive connection is idle, which would make the
//! idle limit the header limit.

use axum::body::Bytes;
use axum::response::IntoResponse;
use axum::Router;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv6Addr};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify, Semaphore};
use tower::ServiceExt;

/// The limits of the HTTP connections.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Connections of one client address at once.
    pub max_connections_per_address: usize,
    /// Time for a request head (and for the TLS handshake).
    pub header_read_timeout: Duration,
    /// Time for a request body, from the end of its head.
    pub body_read_timeout: Duration,
    /// Time for a request, from the end of its head to its answer.
    pub request_timeout: Duration,
    /// Time a keep-alive connection may stay idle.
    pub keep_alive_timeout: Duration,
    /// Time requests in progress get to finish on shutdown.
    pub shutdown_timeout: Duration,
}

impl Limits {
    /// The limits of a configuration.
    pub fn of(config: &crate::config::GatewayConfig) -> Self {
        let seconds = |s: u64| Duration::from_secs(s.max(1));
        Limits {
            max_connections: config.max_connections.max(1),
            max_connections_per_address: config.max_connections_per_address.max(1),
            header_read_timeout: seconds(config.header_read_timeout_seconds),
            body_read_timeout: seconds(config.body_read_timeout_seconds),
            request_timeout: seconds(config.request_timeout_seconds),
            keep_alive_timeout: seconds(config.keep_alive_timeout_seconds),
            shutdown_timeout: Duration::from_secs(config.shutdown_timeout_seconds),
        }
    }
}

/// The address of the client of a request (a request extension); for IPv6 the /64
/// network, which one host usually has to itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    /// The client key of a peer address.
    pub fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => ClientAddress(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientAddress(IpAddr::V4(v4)),
                None => {
                    let s = v6.segments();
                    ClientAddress(IpAddr::V6(Ipv6Addr::new(
                        s[0], s[1], s[2], s[3], 0, 0, 0, 0,
                    )))
                }
            },
        }
    }
}

/// One request in progress.
struct RequestActivity {
    began: Instant,
    body_pending: bool,
}

/// What the watchdog of a connection knows.
struct Activity {
    /// Requests handed to the router and not answered yet.
    requests: HashMap<u64, RequestActivity>,
    next_request: u64,
    /// Requests answered on this connection.
    served: u64,
    /// When the first byte of a request head not yet complete arrived.
    head_started: Option<Instant>,
    /// When the connection last became idle.
    idle_since: Instant,
}

/// The activity of a connection, and a wake-up for its watchdog when a request begins
/// (its deadlines may be earlier than the one the watchdog sleeps until).
#[derive(Clone)]
struct Tracker(Arc<Mutex<Activity>>, Arc<Notify>);

/// Marks one request in progress until dropped.
struct InProgress {
    tracker: Tracker,
    id: u64,
}

impl Drop for InProgress {
    fn drop(&mut self) {
        let mut a = self.tracker.lock();
        a.requests.remove(&self.id);
        a.served += 1;
        if a.requests.is_empty() {
            a.idle_since = Instant::now();
        }
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
        Tracker(
            Arc::new(Mutex::new(Activity {
                requests: HashMap::new(),
                next_request: 0,
                served: 0,
                head_started: Some(now),
                idle_since: now,
            })),
            Arc::new(Notify::new()),
        )
    }

    fn lock(&self) -> MutexGuard<'_, Activity> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Bytes arrived: between requests, they start a request head.
    fn read(&self) {
        let mut a = self.lock();
        if a.requests.is_empty() && a.head_started.is_none() {
            a.head_started = Some(Instant::now());
        }
    }

    /// A complete request head: the router has the request.
    fn begin(&self, body_pending: bool) -> InProgress {
        let mut a = self.lock();
        let id = a.next_request;
        a.next_request += 1;
        a.requests.insert(
            id,
            RequestActivity {
                began: Instant::now(),
                body_pending,
            },
        );
        a.head_started = None;
        self.1.notify_one();
        InProgress {
            tracker: self.clone(),
            id,
        }
    }

    /// The body of a request was read completely (or given up by the handler).
    fn body_done(&self, id: u64) {
        if let Some(r) = self.lock().requests.get_mut(&id) {
            r.body_pending = false;
        }
    }

    /// Since when the connection is an idle keep-alive connection (it served a request,
    /// has none in progress and no request head started), if it is one.
    fn idle_keep_alive_since(&self) -> Option<Instant> {
        let a = self.lock();
        (a.served > 0 && a.requests.is_empty() && a.head_started.is_none()).then_some(a.idle_since)
    }

    fn verdict(&self, limits: &Limits, now: Instant) -> Verdict {
        let a = self.lock();
        // Bytes may arrive while the watchdog sleeps: look again at least this often.
        let mut wake = now + limits.header_read_timeout;
        if let Some(started) = a.head_started {
            let deadline = started + limits.header_read_timeout;
            if now >= deadline {
                return Verdict::Close;
            }
            wake = wake.min(deadline);
        }
        for r in a.requests.values() {
            let mut deadlines = vec![r.began + limits.request_timeout + limits.header_read_timeout];
            if r.body_pending {
                deadlines.push(r.began + limits.body_read_timeout);
            }
            for deadline in deadlines {
                if now >= deadline {
                    return Verdict::Close;
                }
                wake = wake.min(deadline);
            }
        }
        if a.requests.is_empty() && a.head_started.is_none() {
            let deadline = a.idle_since + limits.keep_alive_timeout;
            if now >= deadline {
                return Verdict::Idle;
            }
            wake = wake.min(deadline);
        }
        Verdict::Wait(wake)
    }
}

/// A request body that tells the watchdog when it has been read completely (or dropped).
struct TrackedBody {
    inner: Incoming,
    tracker: Tracker,
    id: u64,
    done: bool,
}

impl TrackedBody {
    fn finish(&mut self) {
        if !self.done {
            self.done = true;
            self.tracker.body_done(self.id);
        }
    }
}

impl Body for TrackedBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let result = Pin::new(&mut self.inner).poll_frame(cx);
        match &result {
            Poll::Ready(None) | Poll::Ready(Some(Err(_))) => self.finish(),
            Poll::Ready(Some(Ok(_))) if self.inner.is_end_stream() => self.finish(),
            _ => {}
        }
        result
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for TrackedBody {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A stream that tells its tracker when bytes arrive, and gives the answers hyper makes
/// itself (a request head it cannot parse: 400, an over-long URI: 414, too many or too
/// large headers: 431) the JSON error body every other error has.
///
/// An answer head written when every request handed to the router already has its
/// answer (counting heads, without the informational `1xx` ones) can only be one of
/// hyper's own; it is replaced by the same status with a JSON body. The gateway's own
/// bodies are JSON, HTML or metrics text, so a body never starts with `HTTP/1.`.
struct Watched<T> {
    inner: T,
    tracker: Tracker,
    /// Answer heads written so far (without `1xx`).
    heads_written: u64,
    /// Bytes of a replaced answer still to be written.
    pending: Vec<u8>,
}

impl<T> Watched<T> {
    fn new(inner: T, tracker: Tracker) -> Self {
        Watched {
            inner,
            tracker,
            heads_written: 0,
            pending: Vec::new(),
        }
    }

    /// Whether `buf` starts an answer head (not an informational `1xx` one).
    fn starts_head(buf: &[u8]) -> bool {
        buf.starts_with(b"HTTP/1.") && buf.get(9) != Some(&b'1')
    }

    /// If the head at the start of `buf` is one of hyper's own errors (every request
    /// handed to the router already has its answer head written), the JSON answer that
    /// replaces it.
    fn replacement(&self, buf: &[u8]) -> Option<Vec<u8>> {
        if self.heads_written < self.tracker.lock().next_request {
            return None;
        }
        let status = std::str::from_utf8(buf.get(9..12)?)
            .ok()?
            .parse::<u16>()
            .ok()?;
        let status = axum::http::StatusCode::from_u16(status).ok()?;
        let detail = status.canonical_reason().unwrap_or("error");
        let body = serde_json::json!({ "detail": detail }).to_string();
        Some(
            format!(
                "HTTP/1.1 {} {detail}\r\ncontent-type: application/json\r\nx-content-type-options: nosniff\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
                status.as_u16(),
                body.len()
            )
            .into_bytes(),
        )
    }
}

impl<T: AsyncWrite + Unpin> Watched<T> {
    /// Writes what is left of a replaced answer.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            match Pin::new(&mut self.inner).poll_write(cx, &self.pending) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => {
                    self.pending.drain(..n);
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
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
        let this = &mut *self;
        ready!(this.poll_pending(cx))?;
        if !Self::starts_head(buf) {
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        }
        if let Some(answer) = this.replacement(buf) {
            // hyper's own answer (a head without a body) is taken as written.
            this.heads_written += 1;
            this.pending = answer;
            let _ = this.poll_pending(cx);
            return Poll::Ready(Ok(buf.len()));
        }
        let written = Pin::new(&mut this.inner).poll_write(cx, buf);
        // A head counts once it is (partly) written: a retry after Pending is the same one.
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            this.heads_written += 1;
        }
        written
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.poll_pending(cx))?;
        // The first non-empty slice decides whether an answer head starts here.
        let head = bufs
            .iter()
            .find(|b| !b.is_empty())
            .filter(|first| Self::starts_head(first));
        let Some(first) = head else {
            return Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        };
        if let Some(answer) = this.replacement(first) {
            let taken = first.len();
            this.heads_written += 1;
            this.pending = answer;
            let _ = this.poll_pending(cx);
            return Poll::Ready(Ok(taken));
        }
        let written = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            this.heads_written += 1;
        }
        written
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The connections being served: per client address, and their trackers (to find the
/// oldest idle one when all slots are taken).
#[derive(Default)]
struct Registry {
    inner: Mutex<RegistryInner>,
}

#[derive(Default)]
struct RegistryInner {
    next: u64,
    connections: HashMap<u64, Registered>,
    per_address: HashMap<ClientAddress, usize>,
}

struct Registered {
    tracker: Tracker,
    evict: Arc<Notify>,
}

/// A connection's place in the registry, given up when dropped.
struct Registration {
    registry: Arc<Registry>,
    id: u64,
    address: ClientAddress,
    tracker: Tracker,
    evict: Arc<Notify>,
}

impl Registry {
    fn lock(&self) -> MutexGuard<'_, RegistryInner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a connection of `address`, unless that address has `cap` already.
    fn admit(self: &Arc<Self>, address: ClientAddress, cap: usize) -> Option<Registration> {
        let mut inner = self.lock();
        let count = inner.per_address.entry(address).or_insert(0);
        if *count >= cap {
            return None;
        }
        *count += 1;
        inner.next += 1;
        let id = inner.next;
        let tracker = Tracker::new();
        let evict = Arc::new(Notify::new());
        inner.connections.insert(
            id,
            Registered {
                tracker: tracker.clone(),
                evict: evict.clone(),
            },
        );
        Some(Registration {
            registry: self.clone(),
            id,
            address,
            tracker,
            evict,
        })
    }

    /// Tells the oldest idle keep-alive connection to close; whether there was one.
    fn evict_oldest_idle(&self) -> bool {
        let inner = self.lock();
        let oldest = inner
            .connections
            .values()
            .filter_map(|c| c.tracker.idle_keep_alive_since().map(|since| (since, c)))
            .min_by_key(|(since, _)| *since);
        match oldest {
            Some((_, c)) => {
                c.evict.notify_one();
                true
            }
            None => false,
        }
    }

    fn len(&self) -> usize {
        self.lock().connections.len()
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut inner = self.registry.lock();
        inner.connections.remove(&self.id);
        if let Some(count) = inner.per_address.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                inner.per_address.remove(&self.address);
            }
        }
    }
}

/// The phases of the server, seen by every connection.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    Serving,
    /// Shut down gracefully: finish the requests in progress, take no new ones.
    Draining,
    /// Close now.
    Closing,
}

/// The answer to a client over the per-address limit (plain HTTP only).
const TOO_MANY_CONNECTIONS: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nx-content-type-options: nosniff\r\nconnection: close\r\ncontent-length: 53\r\n\r\n{\"detail\":\"too many connections from your address\"}\r\n";

/// Accepts connections until `shutdown` completes (then drains them, see the module
/// documentation) or the listener fails for good; HTTPS when `tls` is given.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let registry = Arc::new(Registry::default());
    let (phase_tx, phase) = watch::channel(Phase::Serving);
    let mut builder = Builder::new(TokioExecutor::new());
    // The watchdog enforces the header timeout; hyper's timer is not used (see above).
    builder.http1().header_read_timeout(None);
    let builder = Arc::new(builder);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) if is_per_connection_error(&e) => continue,
                Err(e) => {
                    // E.g. too many open files: wait instead of spinning.
                    tracing::error!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let address = ClientAddress::of(peer.ip());
        let Some(registration) = registry.admit(address, limits.max_connections_per_address) else {
            tracing::debug!(%peer, "too many connections from this address");
            if tls.is_none() {
                let _ = stream.try_write(TOO_MANY_CONNECTIONS);
            }
            continue;
        };
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                registry.evict_oldest_idle();
                tokio::select! {
                    slot = slots.clone().acquire_owned() => match slot {
                        Ok(slot) => slot,
                        Err(_) => return Ok(()),
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let builder = builder.clone();
        let tls = tls.clone();
        let phase = phase.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let served = Served {
                router,
                limits,
                address,
                phase,
            };
            match tls {
                None => served.connection(stream, &builder, registration).await,
                Some(acceptor) => {
                    let handshake = acceptor.accept(stream);
                    match tokio::time::timeout(limits.header_read_timeout, handshake).await {
                        Ok(Ok(stream)) => served.connection(stream, &builder, registration).await,
                        Ok(Err(e)) => tracing::debug!("TLS handshake: {e}"),
                        Err(_) => tracing::debug!("TLS handshake timed out"),
                    }
                }
            }
        });
    }
    drop(listener);
    let open = registry.len();
    tracing::info!(connections = open, "shutting down: no new connections");
    let _ = phase_tx.send(Phase::Draining);
    let deadline = Instant::now() + limits.shutdown_timeout;
    while registry.len() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let left = registry.len();
    if left > 0 {
        tracing::warn!(
            connections = left,
            "shutdown: closing connections still busy"
        );
    }
    let _ = phase_tx.send(Phase::Closing);
    // Give the connection tasks a moment to see it and close.
    let deadline = Instant::now() + Duration::from_secs(1);
    while registry.len() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok(())
}

fn is_per_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// What serving one connection needs.
struct Served {
    router: Router,
    limits: Limits,
    address: ClientAddress,
    phase: watch::Receiver<Phase>,
}

impl Served {
    /// Serves one connection under its watchdog.
    async fn connection<T>(
        mut self,
        stream: T,
        builder: &Builder<TokioExecutor>,
        registration: Registration,
    ) where
        T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let limits = self.limits;
        let tracker = registration.tracker.clone();
        let io = TokioIo::new(Watched::new(stream, tracker.clone()));
        let requests = tracker.clone();
        let router = self.router.clone();
        let address = self.address;
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let in_progress = requests.begin(!request.body().is_end_stream());
            let id = in_progress.id;
            let router = router.clone();
            let tracker = requests.clone();
            async move {
                let mut request = request.map(|inner| {
                    axum::body::Body::new(TrackedBody {
                        inner,
                        tracker,
                        id,
                        done: false,
                    })
                });
                request.extensions_mut().insert(address);
                let request = crate::server::rewrite_prefix(request);
                let response =
                    match tokio::time::timeout(limits.request_timeout, router.oneshot(request))
                        .await
                    {
                        Ok(response) => response,
                        Err(_) => {
                            let mut response = crate::error::ApiError::new(
                                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                                "the request took too long",
                            )
                            .into_response();
                            response.headers_mut().insert(
                                axum::http::header::X_CONTENT_TYPE_OPTIONS,
                                axum::http::HeaderValue::from_static("nosniff"),
                            );
                            Ok(response)
                        }
                    };
                drop(in_progress);
                response
            }
        });
        let conn = builder.serve_connection(io, service);
        tokio::pin!(conn);
        // Since when a graceful shutdown runs, and whether it is bounded (idle) or not
        // (server shutdown: bounded by the server).
        let mut shutting_down: Option<(Instant, bool)> = None;
        let evict = registration.evict.clone();
        if *self.phase.borrow() != Phase::Serving {
            return;
        }
        loop {
            let now = Instant::now();
            let mut wake = match tracker.verdict(&limits, now) {
                Verdict::Close => return,
                Verdict::Idle if shutting_down.is_none() => {
                    conn.as_mut().graceful_shutdown();
                    shutting_down = Some((now, true));
                    now + limits.header_read_timeout
                }
                Verdict::Idle => now + limits.header_read_timeout,
                Verdict::Wait(at) => at,
            };
            if let Some((since, true)) = shutting_down {
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
                () = tracker.1.notified() => {}
                () = evict.notified() => {
                    if tracker.idle_keep_alive_since().is_some() {
                        tracing::debug!("closing an idle connection for a new client");
                        return;
                    }
                }
                changed = self.phase.changed() => {
                    let phase = if changed.is_ok() { *self.phase.borrow() } else { Phase::Closing };
                    match phase {
                        Phase::Closing => return,
                        Phase::Draining => {
                            if shutting_down.is_none() {
                                conn.as_mut().graceful_shutdown();
                            }
                            shutting_down = Some((now, false));
                        }
                        Phase::Serving => {}
                    }
                }
            }
        }
    }
}
