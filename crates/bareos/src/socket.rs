//! The TCP socket under a session. It acknowledges received data at once
//! (`TCP_QUICKACK`), and it waits in one of two ways: in the tokio reactor (the async
//! clients), or in its own blocking system calls, bounded by socket timeouts (the
//! blocking clients, whose private runtime has nothing else to run). Either way a time
//! limit is put on an operation in one place, [`within`].

use std::future::{poll_fn, Future};
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::os::fd::{AsFd, BorrowedFd};
use std::pin::{pin, Pin};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::task::{unconstrained, Unconstrained};
use tokio::time::{sleep_until, Sleep};

/// How a session waits for its socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Waiting {
    /// In the tokio reactor, so that other tasks run meanwhile.
    Reactor,
    /// In the socket's own blocking `recv` and `send`: no readiness poll (`epoll_wait`)
    /// before each of them. Only for a runtime that runs nothing but this session.
    Blocking,
}

/// The TCP stream under a session: acknowledges received data at once. The daemons write
/// each frame (or TLS record) with its own `write` and leave Nagle's algorithm on, so a
/// delayed ACK of one piece holds the next back for ~40 ms (the second frame of a
/// response; the TLS 1.3 session tickets after the handshake).
///
/// Linux delays ACKs only in its "interactive" mode, which it enters when this side
/// sends data shortly after receiving some, and leaves when `TCP_QUICKACK` is set (or a
/// delayed ACK times out). Reading never re-enters it, so the option is set once before
/// the first read after each write, not before every read.
pub(crate) struct QuickAckTcp {
    socket: Socket,
    /// Data was written since the option was last set.
    rearm: bool,
}

enum Socket {
    Reactor(TcpStream),
    Blocking(BlockingTcp),
}

impl QuickAckTcp {
    /// Wraps a connected stream, to wait for it as `waiting` says; the first read arms
    /// the option.
    pub(crate) fn new(tcp: TcpStream, waiting: Waiting) -> io::Result<Self> {
        let socket = match waiting {
            Waiting::Reactor => Socket::Reactor(tcp),
            Waiting::Blocking => Socket::Blocking(BlockingTcp::new(tcp)?),
        };
        Ok(QuickAckTcp {
            socket,
            rearm: true,
        })
    }

    /// The (local, peer) addresses.
    pub(crate) fn addresses(&self) -> io::Result<(SocketAddr, SocketAddr)> {
        match &self.socket {
            Socket::Reactor(tcp) => Ok((tcp.local_addr()?, tcp.peer_addr()?)),
            Socket::Blocking(blocking) => {
                Ok((blocking.tcp.local_addr()?, blocking.tcp.peer_addr()?))
            }
        }
    }

    fn arm_quickack(&self) {
        #[cfg(target_os = "linux")]
        {
            let _ = socket2::SockRef::from(self).set_quickack(true);
        }
    }
}

impl AsFd for QuickAckTcp {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match &self.socket {
            Socket::Reactor(tcp) => tcp.as_fd(),
            Socket::Blocking(blocking) => blocking.tcp.as_fd(),
        }
    }
}

/// A stream whose operations a deadline can bound: what [`within`] needs of a blocking
/// socket under it (the reactor needs nothing but the timer).
pub(crate) trait Deadline {
    /// Tells the socket when the operations that follow must give up (`None`: never).
    fn set_deadline(&mut self, deadline: Option<Instant>);
}

impl Deadline for QuickAckTcp {
    fn set_deadline(&mut self, deadline: Option<Instant>) {
        if let Socket::Blocking(blocking) = &mut self.socket {
            blocking.deadline = deadline;
        }
    }
}

impl<S: Deadline> Deadline for tokio_openssl::SslStream<S> {
    fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.get_mut().set_deadline(deadline);
    }
}

/// How far ahead a deadline is put for a limit too long to represent as an instant (a
/// `Duration::MAX` timeout): a hundred years.
const FAR_FUTURE: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// The instant `limit` from now (in a hundred years for a longer limit).
pub(crate) fn deadline_after(limit: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(limit).unwrap_or(now + FAR_FUTURE)
}

/// Runs `op` on `stream` for at most `limit` (`None`: as long as it takes); `None` when
/// the time ran out first. The tokio timer ends the wait in the reactor; a blocking
/// socket, told the same deadline, returns to that timer when it passes.
pub(crate) async fn within<S: Deadline, R>(
    stream: &mut S,
    limit: Option<Duration>,
    op: impl AsyncFnOnce(&mut S) -> R,
) -> Option<R> {
    let Some(limit) = limit else {
        stream.set_deadline(None);
        return Some(op(stream).await);
    };
    let deadline = deadline_after(limit);
    stream.set_deadline(Some(deadline));
    let result = {
        let mut op = pin!(op(stream));
        // The timer is made only once the operation has to wait: never, when what it
        // needs has arrived (a blocking socket waits in its first poll). It is polled
        // outside tokio's budget, so that an operation which spends the budget on every
        // poll cannot keep it from firing.
        let mut timer = pin!(None::<Unconstrained<Sleep>>);
        poll_fn(|cx| {
            if let Poll::Ready(result) = op.as_mut().poll(cx) {
                return Poll::Ready(Some(result));
            }
            if timer.is_none() {
                timer.set(Some(unconstrained(sleep_until(deadline.into()))));
            }
            match timer.as_mut().as_pin_mut() {
                Some(timer) => timer.poll(cx).map(|()| None),
                None => Poll::Pending,
            }
        })
        .await
    };
    stream.set_deadline(None);
    result
}

impl AsyncRead for QuickAckTcp {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.rearm {
            this.arm_quickack();
            this.rearm = false;
        }
        match &mut this.socket {
            Socket::Reactor(tcp) => Pin::new(tcp).poll_read(cx, buf),
            Socket::Blocking(blocking) => {
                let unfilled = buf.initialize_unfilled();
                let read = blocking.call(Direction::Receive, |mut tcp| tcp.read(unfilled));
                read.map_ok(|n| buf.advance(n))
            }
        }
    }
}

impl AsyncWrite for QuickAckTcp {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = match &mut this.socket {
            Socket::Reactor(tcp) => Pin::new(tcp).poll_write(cx, buf),
            Socket::Blocking(blocking) => blocking.call(Direction::Send, |mut tcp| tcp.write(buf)),
        };
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.rearm = true;
        }
        result
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().socket {
            Socket::Reactor(tcp) => Pin::new(tcp).poll_flush(cx),
            Socket::Blocking(_) => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().socket {
            Socket::Reactor(tcp) => Pin::new(tcp).poll_shutdown(cx),
            Socket::Blocking(blocking) => {
                Poll::Ready(blocking.tcp.shutdown(std::net::Shutdown::Write))
            }
        }
    }
}

/// The longest socket timeout set for a far deadline: a wait that long is checked
/// against the deadline again, so one timeout serves every call until the last step.
const TIMEOUT_STEP: Duration = Duration::from_secs(1);

/// How much later than its deadline a call may give up, so that calls made one after
/// the other under one deadline (or one read limit) need no new timeout each.
const TIMEOUT_SLACK: Duration = Duration::from_millis(1);

#[derive(Clone, Copy)]
enum Direction {
    Receive,
    Send,
}

/// A socket in blocking mode, whose calls give up at the deadline.
struct BlockingTcp {
    tcp: std::net::TcpStream,
    deadline: Option<Instant>,
    /// The socket's `SO_RCVTIMEO`, `None` for none.
    receive_timeout: Option<Duration>,
    /// The socket's `SO_SNDTIMEO`, `None` for none.
    send_timeout: Option<Duration>,
}

impl BlockingTcp {
    fn new(tcp: TcpStream) -> io::Result<Self> {
        let tcp = tcp.into_std()?;
        tcp.set_nonblocking(false)?;
        Ok(BlockingTcp {
            tcp,
            deadline: None,
            receive_timeout: None,
            send_timeout: None,
        })
    }

    /// Runs `op` (one `recv` or `send`), waiting at most until the deadline. At the
    /// deadline it returns `Pending` without a wake-up: the timer of [`within`] that set
    /// the deadline ends the operation.
    fn call(
        &mut self,
        direction: Direction,
        mut op: impl FnMut(&std::net::TcpStream) -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        loop {
            let left = self
                .deadline
                .map(|deadline| deadline.saturating_duration_since(Instant::now()));
            if left == Some(Duration::ZERO) {
                return self.call_without_waiting(op);
            }
            let applied = match direction {
                Direction::Receive => &mut self.receive_timeout,
                Direction::Send => &mut self.send_timeout,
            };
            if !timeout_fits(*applied, left) {
                let timeout = left.map(|left| left.min(TIMEOUT_STEP));
                let set = match direction {
                    Direction::Receive => self.tcp.set_read_timeout(timeout),
                    Direction::Send => self.tcp.set_write_timeout(timeout),
                };
                if let Err(error) = set {
                    return Poll::Ready(Err(error));
                }
                *applied = timeout;
            }
            match op(&self.tcp) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    // The descriptor is shared with whoever asked for it (`raw_fd`); if
                    // they made it non-blocking, it goes back to blocking mode rather
                    // than spin.
                    match socket2::SockRef::from(&self.tcp).nonblocking() {
                        Ok(false) => {}
                        Ok(true) => match self.tcp.set_nonblocking(false) {
                            Ok(()) => continue,
                            Err(error) => return Poll::Ready(Err(error)),
                        },
                        Err(error) => return Poll::Ready(Err(error)),
                    }
                    // Otherwise the socket timeout passed: look at the deadline again.
                    if left.is_none() {
                        return Poll::Ready(Err(error));
                    }
                }
                result => return Poll::Ready(result),
            }
        }
    }

    /// At the deadline: one more try that does not wait (what is there is still taken,
    /// as the reactor polls once before its timer fires), then `Pending`.
    fn call_without_waiting(
        &mut self,
        mut op: impl FnMut(&std::net::TcpStream) -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        if let Err(error) = self.tcp.set_nonblocking(true) {
            return Poll::Ready(Err(error));
        }
        let result = op(&self.tcp);
        let restored = self.tcp.set_nonblocking(false);
        match (result, restored) {
            (_, Err(error)) => Poll::Ready(Err(error)),
            (Err(error), Ok(())) if error.kind() == io::ErrorKind::WouldBlock => Poll::Pending,
            (result, Ok(())) => Poll::Ready(result),
        }
    }
}

/// Whether the socket timeout `applied` bounds a call that must end within `left`
/// (`None`: no bound), close enough that it need not be set again: no later than the
/// deadline (give or take [`TIMEOUT_SLACK`]), and either at it or a whole step.
fn timeout_fits(applied: Option<Duration>, left: Option<Duration>) -> bool {
    match (applied, left) {
        (None, None) => true,
        (Some(applied), Some(left)) => {
            applied <= left + TIMEOUT_SLACK
                && (applied + TIMEOUT_SLACK >= left || applied >= TIMEOUT_STEP)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_timeout_is_kept_while_it_ends_by_the_deadline() {
        // No deadline: no timeout, and the other way round.
        assert!(timeout_fits(None, None));
        assert!(!timeout_fits(Some(TIMEOUT_STEP), None));
        assert!(!timeout_fits(None, Some(TIMEOUT_STEP)));
        // A whole step serves every far deadline; the last step is set exactly.
        assert!(timeout_fits(Some(TIMEOUT_STEP), Some(60 * TIMEOUT_STEP)));
        assert!(!timeout_fits(Some(TIMEOUT_STEP), Some(TIMEOUT_STEP / 2)));
        assert!(timeout_fits(Some(200 * MS), Some(200 * MS - MS / 2)));
        assert!(!timeout_fits(Some(200 * MS), Some(190 * MS)));
        // A short timeout for a far deadline would wake for nothing.
        assert!(!timeout_fits(Some(200 * MS), Some(10 * TIMEOUT_STEP)));
    }

    /// A blocking socket connected to a peer that accepts and then neither reads nor
    /// writes, with the peer's end (kept open).
    async fn blocking_pair() -> (QuickAckTcp, std::net::TcpStream) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let tcp = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (peer, _) = listener.accept().unwrap();
        (QuickAckTcp::new(tcp, Waiting::Blocking).unwrap(), peer)
    }

    #[tokio::test]
    async fn a_blocking_send_to_a_peer_that_never_reads_ends_at_the_deadline() {
        use tokio::io::AsyncWriteExt;
        let (mut socket, _peer) = blocking_pair().await;
        let chunk = vec![0u8; 1 << 20];
        let limit = Duration::from_millis(300);
        let started = Instant::now();
        // The socket buffers fill up within a few chunks; then the send waits.
        let sent = within(&mut socket, Some(limit), async |s| {
            for _ in 0..1024 {
                s.write_all(&chunk).await?;
            }
            io::Result::Ok(())
        })
        .await;
        let took = started.elapsed();
        assert!(sent.is_none(), "the peer took 1 GiB without reading");
        assert!(
            took >= limit && took < limit + Duration::from_millis(700),
            "{took:?}"
        );
    }

    #[tokio::test]
    async fn a_blocking_receive_ends_at_the_deadline_and_then_waits_without_one() {
        use tokio::io::AsyncReadExt;
        let (mut socket, mut peer) = blocking_pair().await;
        let mut buffer = [0u8; 16];
        let limit = Duration::from_millis(200);
        let started = Instant::now();
        let read = within(&mut socket, Some(limit), async |s| {
            s.read(&mut buffer).await
        })
        .await;
        let took = started.elapsed();
        assert!(read.is_none());
        assert!(
            took >= limit && took < limit + Duration::from_millis(700),
            "{took:?}"
        );
        // The deadline is gone with its operation: the next read waits for the data.
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            peer.write_all(b"late").unwrap();
            peer
        });
        let read = within(&mut socket, None, async |s| s.read(&mut buffer).await).await;
        assert_eq!(read.unwrap().unwrap(), 4);
        assert_eq!(&buffer[..4], b"late");
        drop(writer.join().unwrap());
    }
}
