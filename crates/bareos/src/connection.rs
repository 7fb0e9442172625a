//! Drives a [`ClientSession`] over a [`Transport`] with deadlines: the part of the client
//! shared by director and file daemon connections.

use crate::config::{Config, TlsMode};
use crate::error::{Error, Kind, Result};
use crate::redact::redact_command;
use crate::socket::{deadline_after, within, Deadline, Waiting};
use crate::transport::{connect_tcp, handshake_tls, TlsInfo, Transport};
use bareos_proto::hello::ResourceType;
use bareos_proto::FrameDecoder;
use bareos_proto::{
    ClientSession, Event, Frame, PamPrompt, PamStyle, Password, Peer, Prompt, ProtocolVersion,
    SessionConfig, SessionState,
};
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tracing::{debug, warn, Instrument};

/// How a response ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseEnd {
    /// The response is complete; the connection is ready for the next command.
    Complete,
    /// The peer waits for input at a prompt; answer it (or cancel with `.`).
    Prompt(Prompt),
    /// The session ended (after `quit`).
    Closed,
}

const READ_BUFFER: usize = 64 * 1024;

/// Why a connection this client closed is no longer usable.
const CLOSED_BY_CLIENT: &str = "the connection was closed";

/// A failed connection attempt, and whether its login ran in cleartext.
struct OpenFailure {
    error: Error,
    cleartext: bool,
}

impl OpenFailure {
    /// Only a director's refusal of a cleartext protocol-2 hello, before any password
    /// was checked, is a reason to try protocol 1 (never a wrong password, never after
    /// TLS-PSK, never when TLS is required).
    fn allows_protocol_fallback(&self, config: &Config, peer: Peer) -> bool {
        config.protocol_fallback
            && peer == Peer::Director
            && config.protocol == ProtocolVersion::V2
            && config.tls != TlsMode::Required
            && self.cleartext
            && self.error.is_refused_before_auth()
    }
}

pub(crate) struct Connection {
    io: FrameReader,
    session: ClientSession,
    config: Config,
    broken: Option<String>,
    tls: Option<TlsInfo>,
    span: tracing::Span,
    waiting: Waiting,
}

impl Connection {
    /// Connects, runs TLS-PSK as configured, and logs in; with
    /// [`Config::protocol_fallback`], a refused cleartext protocol-2 login is retried
    /// once with protocol 1. The socket is waited for as `waiting` says.
    pub(crate) async fn open(config: &Config, peer: Peer, waiting: Waiting) -> Result<Connection> {
        let password = config.validate()?.clone();
        let span = tracing::info_span!(
            "bareos.connection",
            address = %config.address,
            port = config.port,
            name = %config.get_name(),
        );
        async {
            match Connection::open_once(config, peer, &password, waiting).await {
                Ok(connection) => Ok(connection),
                Err(failure) if failure.allows_protocol_fallback(config, peer) => {
                    warn!(
                        "login with protocol version 2 in cleartext refused before authentication ({}); trying protocol version 1",
                        failure.error
                    );
                    let mut retry = config.clone();
                    retry.protocol = ProtocolVersion::V1;
                    retry.tls = TlsMode::Disabled;
                    Connection::open_once(&retry, peer, &password, waiting)
                        .await
                        .map_err(|second| {
                            debug!("protocol version 1 failed too: {}", second.error);
                            failure.error
                        })
                }
                Err(failure) => Err(failure.error),
            }
        }
        .instrument(span)
        .await
    }

    async fn open_once(
        config: &Config,
        peer: Peer,
        password: &Password,
        waiting: Waiting,
    ) -> std::result::Result<Connection, OpenFailure> {
        let kind = match peer {
            Peer::Director => ResourceType::Console,
            Peer::FileDaemon => ResourceType::Director,
        };
        let before_login = |error| OpenFailure {
            error,
            cleartext: false,
        };
        let transport = match config.tls {
            TlsMode::Disabled => {
                Transport::Plain(connect_tcp(config, waiting).await.map_err(before_login)?)
            }
            TlsMode::Required => {
                let tcp = connect_tcp(config, waiting).await.map_err(before_login)?;
                handshake_tls(tcp, config, kind, password.key())
                    .await
                    .map_err(before_login)?
            }
            TlsMode::Prefer => {
                let tcp = connect_tcp(config, waiting).await.map_err(before_login)?;
                match handshake_tls(tcp, config, kind, password.key()).await {
                    Ok(transport) => transport,
                    Err(error) if error.kind() == Kind::Tls => {
                        warn!(
                            "TLS handshake failed ({error}); falling back to cleartext as TlsMode::Prefer allows: this connection is NOT encrypted"
                        );
                        Transport::Plain(connect_tcp(config, waiting).await.map_err(before_login)?)
                    }
                    Err(error) => return Err(before_login(error)),
                }
            }
        };
        let tls = transport.tls_info();
        match &tls {
            Some(info) => {
                debug!(cipher = %info.cipher, version = %info.version, peer_certificate = ?info.peer_certificate, "TLS established")
            }
            None => debug!("cleartext connection"),
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let session = ClientSession::new(SessionConfig {
            peer,
            name: config.get_name().to_string(),
            password: password.clone(),
            protocol: config.protocol,
            pam: config.pam.clone(),
            pam_interactive: config.pam_conversation.is_some(),
            encrypted: tls.is_some(),
            allow_cleartext_pam: config.allow_cleartext_pam,
            challenge_random: rand::random(),
            unix_time: now,
        });
        let cleartext = tls.is_none();
        let mut connection = Connection {
            io: FrameReader::new(transport),
            session,
            config: config.clone(),
            broken: None,
            tls,
            span: tracing::Span::current(),
            waiting,
        };
        match connection.login().await {
            Ok(()) => Ok(connection),
            Err(error) => Err(OpenFailure {
                error: crate::tls_cert::refine_login_error(
                    config,
                    error,
                    connection.tls.as_ref(),
                    connection.io.received > 0,
                ),
                cleartext,
            }),
        }
    }

    async fn login(&mut self) -> Result<()> {
        let mut deadline = deadline_after(self.config.login_timeout);
        loop {
            self.flush_output(Some(deadline)).await?;
            if let Some(prompt) = self.session.pam_prompt().cloned() {
                if self.pam_exchange(prompt, deadline).await? {
                    // Each answer starts a new login deadline, as bconsole's timer does.
                    deadline = deadline_after(self.config.login_timeout);
                    continue;
                }
                // It was a message: the frame that follows moves the session on.
            }
            let frame = self.read_frame(Some(deadline), "during login").await?;
            let event = match frame {
                Some(frame) => self.session.handle_frame(frame),
                None => self.session.handle_eof(),
            };
            match event {
                Ok(Event::LoggedIn) => {
                    self.flush_output(Some(deadline)).await?;
                    let welcome = self.session.welcome();
                    debug!(director = %welcome.director, version = %welcome.version, "logged in");
                    return Ok(());
                }
                Ok(_) => continue,
                Err(error) => {
                    // Tell the peer why we leave (e.g. "1999 Authorization failed.").
                    let _ = self.flush_output(Some(deadline)).await;
                    return Err(error.into());
                }
            }
        }
    }

    /// One PAM message of the director: an echo-on text followed at once by more (or by
    /// the end) was an info or error text; anything else is a prompt for the
    /// conversation to answer. Returns whether an answer was sent.
    async fn pam_exchange(&mut self, prompt: PamPrompt, deadline: Instant) -> Result<bool> {
        let Some(conversation) = self.config.pam_conversation.clone() else {
            return Err(Error::new(
                Kind::Usage,
                "a PAM prompt without a PAM conversation",
            ));
        };
        if prompt.may_be_message() {
            let quiet = self
                .config
                .text_input_quiet
                .min(deadline.saturating_duration_since(Instant::now()));
            if self.wait_readable(quiet).await? {
                debug!("PAM text shown");
                conversation.0.message(&prompt.text);
                return Ok(false);
            }
        }
        debug!(echo = prompt.style == PamStyle::EchoOn, "PAM prompt");
        let time_left = deadline.saturating_duration_since(Instant::now());
        let ask = tokio::task::spawn_blocking(move || conversation.0.answer(&prompt, time_left));
        let answer = match tokio::time::timeout(time_left, ask).await {
            Err(_) => return Err(Error::timeout("waiting for the answer to a PAM prompt")),
            Ok(Err(join)) => {
                return Err(Error::new(
                    Kind::Pam,
                    format!("the PAM conversation failed: {join}"),
                ))
            }
            Ok(Ok(Err(why))) => {
                return Err(Error::new(
                    Kind::Pam,
                    format!("PAM prompt not answered: {why}"),
                ))
            }
            Ok(Ok(Ok(answer))) => answer,
        };
        self.session.answer_pam(&answer)?;
        debug!("PAM prompt answered");
        Ok(true)
    }

    /// A span for one command, child of the connection's span; secrets redacted.
    pub(crate) fn command_span(&self, command: &str) -> tracing::Span {
        tracing::debug_span!(parent: &self.span, "bareos.command", command = %redact_command(command))
    }

    pub(crate) fn session(&self) -> &ClientSession {
        &self.session
    }

    pub(crate) fn tls_info(&self) -> Option<&TlsInfo> {
        self.tls.as_ref()
    }

    /// How this connection waits for its socket (a reconnection waits the same way).
    pub(crate) fn waiting(&self) -> Waiting {
        self.waiting
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// Changes the deadline of the calls that follow.
    pub(crate) fn set_call_timeout(&mut self, timeout: Option<Duration>) {
        self.config.call_timeout = timeout;
    }

    /// The addresses of the TCP connection: (local, peer).
    pub(crate) fn addresses(&self) -> std::io::Result<(SocketAddr, SocketAddr)> {
        self.io.transport.tcp().addresses()
    }

    /// The socket's file descriptor (for `select`-style waiting by low-level callers).
    pub(crate) fn raw_fd(&self) -> i32 {
        use std::os::fd::{AsFd, AsRawFd};
        self.io.transport.tcp().as_fd().as_raw_fd()
    }

    /// Whether bytes already received wait in the frame decoder: the next frame may come
    /// without waiting for the network.
    pub(crate) fn has_buffered_data(&self) -> bool {
        self.io.decoder.buffered() > 0
    }

    /// Whether data (or EOF) arrives within `wait`, without consuming it: bytes read
    /// stay in the frame decoder.
    pub(crate) async fn wait_readable(&mut self, wait: Duration) -> Result<bool> {
        self.check_usable()?;
        if self.io.decoder.buffered() > 0 {
            return Ok(true);
        }
        let io = &mut self.io;
        let buffer = &mut io.buffer;
        match within(&mut io.transport, Some(wait), async |t| {
            t.read(buffer).await
        })
        .await
        {
            None => Ok(false),
            Some(Ok(n)) => {
                io.decoder.push(&io.buffer[..n]);
                Ok(true)
            }
            Some(Err(error)) => {
                let error = lost(error);
                self.mark_broken(&error);
                Err(error)
            }
        }
    }

    fn check_usable(&self) -> Result<()> {
        if self.broken.is_none() && self.session.state() == SessionState::Closed {
            let message = match self.session.peer() {
                Peer::Director => "the session has ended (quit); reconnect",
                Peer::FileDaemon => "the file daemon ended the session (it does after an unknown or failed command); reconnect",
            };
            return Err(Error::new(Kind::ConnectionLost, message));
        }
        match &self.broken {
            Some(reason) => Err(Error::new(
                Kind::ConnectionLost,
                format!("the connection is no longer usable ({reason}); reconnect"),
            )),
            None => Ok(()),
        }
    }

    fn mark_broken(&mut self, error: &Error) {
        if self.broken.is_none() {
            self.broken = Some(error.to_string());
        }
    }

    /// Sends a command; read its response with [`Connection::next_event`].
    pub(crate) async fn send_command(&mut self, command: &str) -> Result<Option<Instant>> {
        self.check_usable()?;
        let deadline = self.config.call_timeout.map(deadline_after);
        self.session.send_command(command)?;
        debug!("command sent");
        self.flush_output(deadline).await?;
        Ok(deadline)
    }

    /// Answers a prompt; read the rest of the response with [`Connection::next_event`].
    pub(crate) async fn send_answer(&mut self, answer: &str) -> Result<Option<Instant>> {
        self.check_usable()?;
        let deadline = self.config.call_timeout.map(deadline_after);
        self.session.answer(answer)?;
        debug!("prompt answered");
        self.flush_output(deadline).await?;
        Ok(deadline)
    }

    /// Reads until something the caller must see: data, the end, a prompt.
    pub(crate) async fn next_event(&mut self, deadline: Option<Instant>) -> Result<Event> {
        self.check_usable()?;
        let result = self.next_event_inner(deadline).await;
        if let Err(error) = &result {
            self.mark_broken(error);
        }
        result
    }

    async fn next_event_inner(&mut self, deadline: Option<Instant>) -> Result<Event> {
        loop {
            let frame = if self.session.text_input_pending() {
                let quiet = deadline_after(self.config.text_input_quiet);
                let limit = deadline.map_or(quiet, |d| d.min(quiet));
                match self.read_frame_until(limit).await {
                    Ok(frame) => frame,
                    Err(error)
                        if error.is_timeout() && deadline.map_or(true, |d| Instant::now() < d) =>
                    {
                        if let Some(prompt) = self.session.input_quiet() {
                            return Ok(Event::Prompt(prompt));
                        }
                        continue;
                    }
                    Err(error) => return Err(error),
                }
            } else {
                self.read_frame(deadline, "waiting for the response")
                    .await?
            };
            let event = match frame {
                Some(frame) => self.session.handle_frame(frame)?,
                None => self.session.handle_eof()?,
            };
            self.flush_output(deadline).await?;
            match event {
                Event::Continue => continue,
                Event::Signal(signal) => {
                    tracing::trace!(parent: &self.span, signal = %signal, "signal");
                    return Ok(Event::Signal(signal));
                }
                other => return Ok(other),
            }
        }
    }

    /// Ends the session: `quit` (director) or TERMINATE (file daemon), a short drain, and
    /// TLS close_notify.
    /// Closing again does nothing.
    pub(crate) async fn close(&mut self) {
        if self.broken.as_deref() == Some(CLOSED_BY_CLIENT) {
            return;
        }
        if self.broken.is_some() || self.session.state() == SessionState::Closed {
            self.io.transport.shutdown_tls().await;
            return;
        }
        let expects_close = self.session.close();
        let deadline = deadline_after(Duration::from_millis(500));
        if self.flush_output(Some(deadline)).await.is_ok() && expects_close {
            while let Ok(Some(_)) = self.read_frame(Some(deadline), "closing").await {}
        }
        self.io.transport.shutdown_tls().await;
        self.broken = Some(CLOSED_BY_CLIENT.to_string());
    }

    async fn flush_output(&mut self, deadline: Option<Instant>) -> Result<()> {
        if !self.session.has_output() {
            return Ok(());
        }
        let bytes = self.session.take_output();
        let limit = self.limit(deadline);
        let write = async |stream: &mut Transport| {
            stream.write_all(&bytes).await?;
            stream.flush().await
        };
        let result = within(&mut self.io.transport, limit, write)
            .await
            .unwrap_or_else(|| Err(std::io::ErrorKind::TimedOut.into()));
        result.map_err(|error| {
            let error = if error.kind() == std::io::ErrorKind::TimedOut {
                Error::timeout("sending to the peer")
            } else {
                Error::new(
                    Kind::ConnectionLost,
                    format!("connection lost while sending: {error}"),
                )
            };
            self.mark_broken(&error);
            error
        })
    }

    /// The time left for one read: the read timeout, capped by the deadline.
    fn limit(&self, deadline: Option<Instant>) -> Option<Duration> {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        match (self.config.read_timeout, left) {
            (Some(read), Some(left)) => Some(read.min(left)),
            (read, left) => read.or(left),
        }
    }

    async fn read_frame_until(&mut self, until: Instant) -> Result<Option<Frame>> {
        if let Some(frame) = self.io.buffered_frame()? {
            return Ok(Some(frame));
        }
        let left = until.saturating_duration_since(Instant::now());
        match within(&mut self.io, Some(left), async |io| io.read_frame().await).await {
            Some(result) => result,
            None => Err(Error::timeout("waiting for more of a prompt")),
        }
    }

    /// One frame, `None` at a clean EOF.
    async fn read_frame(&mut self, deadline: Option<Instant>, what: &str) -> Result<Option<Frame>> {
        // A frame already received needs no timer (most frames, when they are small).
        match self.io.buffered_frame() {
            Ok(Some(frame)) => return Ok(Some(frame)),
            Ok(None) => {}
            Err(error) => {
                self.mark_broken(&error);
                return Err(error);
            }
        }
        let limit = self.limit(deadline);
        let result = match within(&mut self.io, limit, async |io| io.read_frame().await).await {
            Some(result) => result,
            None => Err(Error::timeout(format!(
                "after {:?} without data from the peer {what}",
                limit.unwrap_or_default()
            ))),
        };
        if let Err(error) = &result {
            self.mark_broken(error);
        }
        result
    }
}

impl Deadline for FrameReader {
    fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.transport.set_deadline(deadline);
    }
}

/// Reads frames through the sans-IO decoder. Cancel-safe: bytes read before a timeout
/// stay in the decoder, so a timed-out read (the API-1 quiet period) loses nothing.
struct FrameReader {
    transport: Transport,
    decoder: FrameDecoder,
    buffer: Vec<u8>,
    /// Bytes received so far.
    received: u64,
}

impl FrameReader {
    fn new(transport: Transport) -> Self {
        FrameReader {
            transport,
            decoder: FrameDecoder::new(),
            buffer: vec![0; READ_BUFFER],
            received: 0,
        }
    }

    /// A complete frame already received, without reading.
    fn buffered_frame(&mut self) -> Result<Option<Frame>> {
        Ok(self.decoder.next_frame()?)
    }

    /// One frame, `Ok(None)` on EOF between frames, an error on EOF inside a frame.
    async fn read_frame(&mut self) -> Result<Option<Frame>> {
        loop {
            if let Some(frame) = self.decoder.next_frame()? {
                return Ok(Some(frame));
            }
            let n = self.transport.read(&mut self.buffer).await.map_err(lost)?;
            if n == 0 {
                return match self.decoder.buffered() {
                    0 => Ok(None),
                    partial => Err(Error::new(
                        Kind::ConnectionLost,
                        format!("connection lost in the middle of a frame ({partial} bytes of it received)"),
                    )),
                };
            }
            self.received += n as u64;
            self.decoder.push(&self.buffer[..n]);
        }
    }
}

fn lost(error: std::io::Error) -> Error {
    Error::new(Kind::ConnectionLost, format!("connection lost: {error}")).with_source(error)
}

/// Returns the end of a response from an event, if it is one.
pub(crate) fn end_of(event: &Event) -> Option<ResponseEnd> {
    match event {
        Event::End(_) | Event::FinalData(_) => Some(ResponseEnd::Complete),
        Event::Prompt(prompt) => Some(ResponseEnd::Prompt(prompt.clone())),
        Event::Closed => Some(ResponseEnd::Closed),
        _ => None,
    }
}
