//! The one async client session that [`Director`](crate::Director) and
//! [`FileDaemon`](crate::FileDaemon) are: sending, reading responses, reconnecting and
//! closing are written once here; what only a director offers (API modes, prompts, the
//! welcome) lives in `director.rs`, the file daemon's hello in `file_daemon.rs`.

use crate::config::Config;
use crate::connection::{Connection, ResponseEnd};
use crate::error::Result;
use crate::reply::{collect, Reply};
use crate::socket::{deadline_after, Waiting};
use crate::stream::{Part, ResponseStream};
use crate::transport::TlsInfo;
use bareos_proto::{ApiMode, Peer, SessionState};
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tracing::{debug, Instrument};

mod sealed {
    pub trait Sealed {}
}

/// The kind of daemon a [`Session`] talks to: [`DirectorPeer`] or [`FileDaemonPeer`].
pub trait PeerKind: sealed::Sealed + Send + Sync + 'static {
    /// The peer as the protocol crate names it.
    const PEER: Peer;
    /// The client's type name, for `Debug`.
    const TYPE_NAME: &'static str;
    /// What the name we log in with is called, for `Debug`.
    const LOGIN_FIELD: &'static str;
}

/// A Director, reached as a console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectorPeer {}

/// A File Daemon, reached as a director.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileDaemonPeer {}

impl sealed::Sealed for DirectorPeer {}
impl sealed::Sealed for FileDaemonPeer {}

impl PeerKind for DirectorPeer {
    const PEER: Peer = Peer::Director;
    const TYPE_NAME: &'static str = "Director";
    const LOGIN_FIELD: &'static str = "console";
}

impl PeerKind for FileDaemonPeer {
    const PEER: Peer = Peer::FileDaemon;
    const TYPE_NAME: &'static str = "FileDaemon";
    const LOGIN_FIELD: &'static str = "director";
}

/// An open, logged-in session with a daemon of kind `P`; used through its names
/// [`Director`](crate::Director) and [`FileDaemon`](crate::FileDaemon).
pub struct Session<P: PeerKind> {
    pub(crate) conn: Connection,
    peer: PhantomData<P>,
}

impl<P: PeerKind> std::fmt::Debug for Session<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(P::TYPE_NAME)
            .field("address", &self.conn.config().get_address())
            .field(P::LOGIN_FIELD, &self.conn.config().get_name())
            .field("encrypted", &self.is_encrypted())
            .finish_non_exhaustive()
    }
}

impl<P: PeerKind> Session<P> {
    /// Connects and logs in. A director connection switches to JSON when the config
    /// asks for it ([`Config::json`]).
    pub async fn connect(config: Config) -> Result<Self> {
        Self::open(config, Waiting::Reactor).await
    }

    /// Connects and logs in, waiting for the socket as `waiting` says.
    pub(crate) async fn open(config: Config, waiting: Waiting) -> Result<Self> {
        let conn = Connection::open(&config, P::PEER, waiting).await?;
        let mut session = Session {
            conn,
            peer: PhantomData,
        };
        if P::PEER == Peer::Director && config.json {
            session.enable_json_mode().await?;
        }
        Ok(session)
    }

    /// Runs a command and returns its whole result. A director's response ends on its
    /// protocol signals (EOD in API 0, MAIN_PROMPT in API 1/2) or at a prompt (see
    /// [`Reply::prompt`]); a file daemon's by its own rules (see
    /// [`FileDaemon`](crate::FileDaemon)).
    pub async fn call(&mut self, command: &str) -> Result<Reply> {
        let span = self.conn.command_span(command);
        async {
            let deadline = self.send_new_command(command).await?;
            collect(&mut self.conn, deadline).await
        }
        .instrument(span)
        .await
    }

    /// Runs a command and returns its result as text (lossy UTF-8).
    pub async fn call_text(&mut self, command: &str) -> Result<String> {
        Ok(self.call(command).await?.text().into_owned())
    }

    /// Runs a command and hands its result to the caller chunk by chunk, with constant
    /// memory, for huge outputs.
    pub async fn stream(&mut self, command: &str) -> Result<ResponseStream<'_>> {
        let deadline = self.send_new_command(command).await?;
        Ok(ResponseStream::new(&mut self.conn, deadline))
    }

    /// Runs a command and passes each chunk of the result to `sink`.
    pub async fn call_streaming<F>(&mut self, command: &str, mut sink: F) -> Result<ResponseEnd>
    where
        F: FnMut(&[u8]) -> Result<()>,
    {
        let mut stream = self.stream(command).await?;
        while let Some(chunk) = stream.next_chunk().await? {
            sink(&chunk)?;
        }
        Ok(stream.end().cloned().unwrap_or(ResponseEnd::Complete))
    }

    /// Sends one line without reading the response, for callers that read it themselves
    /// with [`Session::next_chunk`], [`Session::next_part`] or [`Session::read_response`]
    /// (low-level use, e.g. a line-by-line console). When a director waits at a prompt,
    /// the line is the answer to it; otherwise it is a new command (an unread previous
    /// response is discarded).
    pub async fn send(&mut self, line: &str) -> Result<()> {
        if self.conn.session().state() == SessionState::AwaitingInput {
            self.conn.send_answer(line).await?;
        } else {
            self.send_new_command(line).await?;
        }
        Ok(())
    }

    /// The response in progress (after [`Session::send`]), chunk by chunk. It ends at
    /// once when no response is outstanding (idle, or waiting at a prompt).
    pub fn response(&mut self) -> ResponseStream<'_> {
        let busy = self.response_outstanding();
        let deadline = self.call_deadline();
        let mut stream = ResponseStream::new(&mut self.conn, deadline);
        if !busy {
            stream.finish();
        }
        stream
    }

    /// The next chunk of the response in progress (see [`Session::response`]); `None`
    /// once it has ended or when none is outstanding.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        self.response().next_chunk().await
    }

    /// The next data frame or signal of the response in progress (see
    /// [`ResponseStream::next_part`]); `None` once it has ended or when none is
    /// outstanding.
    pub async fn next_part(&mut self) -> Result<Option<Part>> {
        self.response().next_part().await
    }

    /// Reads the rest of the response in progress (after [`Session::send`]); an empty
    /// [`Reply`] when none is outstanding.
    pub async fn read_response(&mut self) -> Result<Reply> {
        if !self.response_outstanding() {
            return Ok(Reply::empty());
        }
        let deadline = self.call_deadline();
        collect(&mut self.conn, deadline).await
    }

    /// Re-establishes the session after a lost connection: new login with the same
    /// settings (and, for a director, the same API mode). Never repeats a command.
    pub async fn reconnect(&mut self) -> Result<()> {
        let mut config = self.conn.config().clone();
        config.json |= self.conn.session().api_mode() == ApiMode::Json;
        let waiting = self.conn.waiting();
        self.conn.close().await;
        *self = Self::open(config, waiting).await?;
        Ok(())
    }

    /// Ends the session politely: `quit` to a director (with a short drain), TERMINATE
    /// to a file daemon, then TLS close_notify.
    pub async fn close(mut self) {
        self.conn.close().await;
    }

    /// Whether the link is TLS encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.conn.tls_info().is_some()
    }

    /// The negotiated TLS cipher and version, `None` on cleartext.
    pub fn cipher(&self) -> Option<&TlsInfo> {
        self.conn.tls_info()
    }

    /// The configuration this connection was made with (after a protocol fallback, with
    /// protocol 1 and cleartext).
    pub fn config(&self) -> &Config {
        self.conn.config()
    }

    /// Sets the deadline of each following call (see [`Config::call_timeout`]).
    pub fn set_call_timeout(&mut self, timeout: Option<Duration>) {
        self.conn.set_call_timeout(timeout);
    }

    /// The (local, peer) addresses of the TCP connection.
    pub fn addresses(&self) -> std::io::Result<(SocketAddr, SocketAddr)> {
        self.conn.addresses()
    }

    /// The file descriptor of the TCP socket (to wait for it with `poll`; read and write
    /// only through this client).
    pub fn raw_fd(&self) -> i32 {
        self.conn.raw_fd()
    }

    /// Whether data from the peer arrives within `wait` (nothing is consumed).
    pub async fn has_data(&mut self, wait: Duration) -> Result<bool> {
        self.conn.wait_readable(wait).await
    }

    /// Whether bytes already received wait to be read (no system call needed for the
    /// next chunk to start); a caller that buffers its own output can flush it when
    /// this is false, before a read that may wait for the network.
    pub fn has_buffered_data(&self) -> bool {
        self.conn.has_buffered_data()
    }

    /// Whether a response is outstanding. After `quit` a director may still send a last
    /// document (API 2) before it ends the session: that is a response too.
    fn response_outstanding(&self) -> bool {
        matches!(
            self.conn.session().state(),
            SessionState::Busy | SessionState::Quitting
        )
    }

    /// A fresh call deadline for reading a response whose command was sent earlier.
    fn call_deadline(&self) -> Option<Instant> {
        self.conn.config().call_timeout.map(deadline_after)
    }

    /// Sends a new command, after reading to its end and discarding a response left
    /// unread (a dropped stream, a `send` without a read).
    async fn send_new_command(&mut self, command: &str) -> Result<Option<Instant>> {
        if self.conn.session().state() == SessionState::Busy {
            debug!("discarding the rest of an unread response");
            let mut stream = ResponseStream::new(&mut self.conn, None);
            while stream.next_chunk().await?.is_some() {}
        }
        self.conn.send_command(command).await
    }
}
