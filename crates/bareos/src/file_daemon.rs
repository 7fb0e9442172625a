//! The async File Daemon client (acting as a director).

use crate::config::Config;
use crate::connection::Connection;
use crate::director::{collect, ResponseStream};
use crate::error::Result;
use crate::reply::Reply;
use crate::transport::TlsInfo;
use bareos_proto::{Peer, SessionState};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// A connection to a Bareos File Daemon, authenticated as a director.
///
/// Commands are split like a shell and spaces inside words are bashed, as the file daemon
/// expects (`Run Command="echo hi"`). Each command ends by the file daemon's own rules:
/// `status`, `.status`, `cancel` and `estimate` at EOD, the others with their one coded
/// line (`2000 OK ...`).
///
/// Security note: `Run ... When=2 Command=...` followed by `RunBeforeNow` runs a program
/// on the client host, within the file daemon's `AllowedScriptDirs`/`AllowedJobCommand`.
///
/// ```no_run
/// # async fn example() -> bareos::Result<()> {
/// use bareos::{Config, FileDaemon, Password};
/// let config = Config::file_daemon("client1.example.com")
///     .name("bareos-dir")
///     .password(Password::new("client-secret"));
/// let mut fd = FileDaemon::connect(config).await?;
/// println!("{}", fd.call("status").await?.text());
/// fd.close().await;
/// # Ok(())
/// # }
/// ```
pub struct FileDaemon {
    conn: Connection,
}

impl std::fmt::Debug for FileDaemon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileDaemon")
            .field("address", &self.conn.config().get_address())
            .field("director", &self.conn.config().get_name())
            .field("encrypted", &self.is_encrypted())
            .finish_non_exhaustive()
    }
}

impl FileDaemon {
    /// Connects and authenticates as the director named in the config.
    pub async fn connect(config: Config) -> Result<FileDaemon> {
        Ok(FileDaemon {
            conn: Connection::open(&config, Peer::FileDaemon).await?,
        })
    }

    /// Runs a command and returns its whole result.
    pub async fn call(&mut self, command: &str) -> Result<Reply> {
        let span = self.conn.command_span(command);
        async {
            let deadline = self.conn.send_command(command).await?;
            collect(&mut self.conn, deadline).await
        }
        .instrument(span)
        .await
    }

    /// Runs a command and reads its result chunk by chunk.
    pub async fn stream(&mut self, command: &str) -> Result<ResponseStream<'_>> {
        let deadline = self.conn.send_command(command).await?;
        Ok(ResponseStream::new(&mut self.conn, deadline))
    }

    /// Sends a command without reading its result; read it with
    /// [`FileDaemon::response`] or [`FileDaemon::read_response`] (low-level use).
    pub async fn send(&mut self, command: &str) -> Result<()> {
        self.conn.send_command(command).await?;
        Ok(())
    }

    /// The result in progress (after [`FileDaemon::send`]), chunk by chunk; ends at once
    /// when none is outstanding.
    pub fn response(&mut self) -> ResponseStream<'_> {
        let busy = self.conn.session().state() == SessionState::Busy;
        let deadline = self.conn.config().call_timeout.map(|t| Instant::now() + t);
        let mut stream = ResponseStream::new(&mut self.conn, deadline);
        if !busy {
            stream.finish();
        }
        stream
    }

    /// Reads the rest of the result in progress (after [`FileDaemon::send`]); an empty
    /// [`Reply`] when none is outstanding.
    pub async fn read_response(&mut self) -> Result<Reply> {
        if self.conn.session().state() != SessionState::Busy {
            return Ok(Reply {
                bytes: Vec::new(),
                end: crate::ResponseEnd::Complete,
                signals: Vec::new(),
            });
        }
        let deadline = self.conn.config().call_timeout.map(|t| Instant::now() + t);
        collect(&mut self.conn, deadline).await
    }

    /// The `2000 OK Hello ...` line the file daemon answered the login with.
    pub fn hello(&self) -> &str {
        &self.conn.session().welcome().text
    }

    /// Whether the link is TLS-PSK encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.conn.tls_info().is_some()
    }

    /// The negotiated TLS cipher and version, `None` on cleartext.
    pub fn cipher(&self) -> Option<&TlsInfo> {
        self.conn.tls_info()
    }

    /// Sets the deadline of each following call (see [`Config::call_timeout`]).
    pub fn set_call_timeout(&mut self, timeout: Option<Duration>) {
        self.conn.set_call_timeout(timeout);
    }

    /// The (local, peer) addresses of the TCP connection.
    pub fn addresses(&self) -> std::io::Result<(SocketAddr, SocketAddr)> {
        self.conn.addresses()
    }

    /// The file descriptor of the TCP socket (to wait for it with `poll`).
    pub fn raw_fd(&self) -> i32 {
        self.conn.raw_fd()
    }

    /// Whether data from the file daemon arrives within `wait` (nothing is consumed).
    pub async fn has_data(&mut self, wait: Duration) -> Result<bool> {
        self.conn.wait_readable(wait).await
    }

    /// Re-establishes the session; never repeats a command.
    pub async fn reconnect(&mut self) -> Result<()> {
        let config = self.conn.config().clone();
        self.conn.close().await;
        *self = FileDaemon::connect(config).await?;
        Ok(())
    }

    /// Ends the session (TERMINATE, TLS close_notify).
    pub async fn close(mut self) {
        self.conn.close().await;
    }
}
