//! The async Director console client.

use crate::config::Config;
use crate::connection::{end_of, Connection, ResponseEnd};
use crate::error::{DirectorFailure, Error, Kind, Result};
use crate::redact::redact_command;
use crate::reply::Reply;
use crate::transport::TlsInfo;
use bareos_proto::jsonrpc::{parse_reply, JsonReply, JsonReplyError, API2_COMPACT_COMMAND};
use bareos_proto::message::Welcome;
use bareos_proto::{ApiMode, Event, Peer, ProtocolVersion, SessionState, Signal};
use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;
use std::time::Instant;
use tracing::{debug, Instrument};

/// A console connection to a Bareos Director.
///
/// ```no_run
/// # async fn example() -> bareos::Result<()> {
/// use bareos::{Config, Director, Password};
/// let config = Config::new("localhost").name("admin").password(Password::new("secret"));
/// let mut director = Director::connect(config).await?;
/// println!("{}", director.call("status director").await?.text());
/// let pools = director.call_json("list pools").await?;
/// println!("{pools:#}");
/// director.close().await;
/// # Ok(())
/// # }
/// ```
pub struct Director {
    conn: Connection,
}

impl std::fmt::Debug for Director {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Director")
            .field("address", &self.conn.config().get_address())
            .field("console", &self.conn.config().get_name())
            .field("encrypted", &self.is_encrypted())
            .finish_non_exhaustive()
    }
}

impl Director {
    /// Connects and logs in; switches to JSON when the config asks for it.
    pub async fn connect(config: Config) -> Result<Director> {
        let conn = Connection::open(&config, Peer::Director).await?;
        let mut director = Director { conn };
        if config.json {
            director.enable_json().await?;
        }
        Ok(director)
    }

    /// Runs a command and returns its whole result. Ends only on protocol signals (EOD in
    /// API 0, MAIN_PROMPT in API 1/2), or at a prompt (see [`Reply::prompt`]).
    pub async fn call(&mut self, command: &str) -> Result<Reply> {
        let span = self.conn.command_span(command);
        async {
            self.finish_previous().await?;
            let deadline = self.conn.send_command(command).await?;
            self.collect(deadline).await
        }
        .instrument(span)
        .await
    }

    /// Runs a command and returns its result as text (lossy UTF-8).
    pub async fn call_text(&mut self, command: &str) -> Result<String> {
        Ok(self.call(command).await?.text().into_owned())
    }

    /// Answers the prompt the director waits at and returns the rest of the response.
    pub async fn answer(&mut self, answer: &str) -> Result<Reply> {
        let deadline = self.conn.send_answer(answer).await?;
        self.collect(deadline).await
    }

    /// Cancels the prompt the director waits at (answers `.`).
    pub async fn cancel_prompt(&mut self) -> Result<Reply> {
        self.answer(".").await
    }

    /// Runs a command and hands its result to the caller frame by frame, with constant
    /// memory, for huge outputs.
    pub async fn stream(&mut self, command: &str) -> Result<ResponseStream<'_>> {
        self.finish_previous().await?;
        let deadline = self.conn.send_command(command).await?;
        Ok(ResponseStream {
            conn: &mut self.conn,
            deadline,
            end: None,
        })
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
        Ok(stream.end.clone().unwrap_or(ResponseEnd::Complete))
    }

    /// Sends one line without reading the response, for callers that read it themselves
    /// with [`Director::response`] or [`Director::read_response`] (low-level use, e.g. a
    /// line-by-line console). When the director waits at a prompt, the line is the answer
    /// to it; otherwise it is a new command (an unread previous response is discarded).
    pub async fn send(&mut self, line: &str) -> Result<()> {
        if self.at_prompt() {
            self.conn.send_answer(line).await?;
        } else {
            self.finish_previous().await?;
            self.conn.send_command(line).await?;
        }
        Ok(())
    }

    /// The response in progress (after [`Director::send`]), chunk by chunk. It ends at
    /// once when no response is outstanding (idle, or waiting at a prompt).
    pub fn response(&mut self) -> ResponseStream<'_> {
        // After `quit` the director may still send a last document (API 2) before it
        // ends the session: that is a response too.
        let busy = matches!(
            self.conn.session().state(),
            SessionState::Busy | SessionState::Quitting
        );
        let deadline = self.conn_deadline();
        ResponseStream {
            conn: &mut self.conn,
            deadline,
            end: if busy {
                None
            } else {
                Some(ResponseEnd::Complete)
            },
        }
    }

    /// Reads the rest of the response in progress (after [`Director::send`]); an empty
    /// [`Reply`] when none is outstanding.
    pub async fn read_response(&mut self) -> Result<Reply> {
        if !matches!(
            self.conn.session().state(),
            SessionState::Busy | SessionState::Quitting
        ) {
            return Ok(Reply {
                bytes: Vec::new(),
                end: ResponseEnd::Complete,
                signals: Vec::new(),
            });
        }
        let deadline = self.conn_deadline();
        self.collect(deadline).await
    }

    /// Switches the connection to compact JSON (API mode 2) if it is not already.
    pub async fn enable_json(&mut self) -> Result<()> {
        if self.api_mode() == ApiMode::Json {
            return Ok(());
        }
        let reply = self.call(API2_COMPACT_COMMAND).await?;
        if self.api_mode() != ApiMode::Json {
            return Err(Error::director(
                format!(
                    "the director refused to switch to JSON mode (is '.api' allowed for this console?): {}",
                    reply.text().trim()
                ),
                DirectorFailure {
                    messages: vec![reply.text().trim().to_string()],
                    error: None,
                    raw: Some(reply.into_bytes()),
                },
            ));
        }
        Ok(())
    }

    /// Runs a command in JSON mode and returns the whole envelope, plus any text that came
    /// before it. A JSON error envelope is returned as is, not as an `Err`.
    pub async fn call_json_reply(&mut self, command: &str) -> Result<JsonReply> {
        self.enable_json().await?;
        let reply = self.call(command).await?;
        if let ResponseEnd::Prompt(prompt) = reply.end() {
            let message = format!(
                "expected a JSON result, but the director stopped at a prompt: {}",
                prompt.text.trim()
            );
            return Err(Error::with_raw_reply(
                Kind::UnexpectedPrompt,
                message,
                reply.into_bytes(),
            ));
        }
        parse_reply(reply.bytes()).map_err(|error| {
            let message = match error {
                JsonReplyError::Empty => format!(
                    "expected a JSON-RPC document for '{}', got an empty reply",
                    redact_command(command)
                ),
                other => format!("{other} (for '{}')", redact_command(command)),
            };
            Error::invalid_reply(message, reply.into_bytes())
        })
    }

    /// Runs a command in JSON mode and returns its `result`; a JSON error becomes an
    /// [`Error`] with [`Error::is_director_error`] and the director's messages.
    pub async fn call_json(&mut self, command: &str) -> Result<Value> {
        let reply = self.call_json_reply(command).await?;
        if let Some(error) = reply.error() {
            let messages = error.error_messages();
            let text = if messages.is_empty() {
                error.message.clone()
            } else {
                messages.join("; ")
            };
            return Err(Error::director(
                format!(
                    "the director reported an error for '{}': {text}",
                    redact_command(command)
                ),
                DirectorFailure {
                    messages,
                    error: Some(error),
                    raw: None,
                },
            ));
        }
        // Moved out of the envelope, not cloned: a big result is a big tree.
        Ok(match reply.envelope {
            Value::Object(mut envelope) => envelope.remove("result").unwrap_or(Value::Null),
            _ => Value::Null,
        })
    }

    /// Re-establishes the session after a lost connection: new login, same API mode.
    /// Never repeats a command.
    pub async fn reconnect(&mut self) -> Result<()> {
        let json = self.api_mode() == ApiMode::Json || self.conn.config().json;
        let mut config = self.conn.config().clone();
        config.json = json;
        self.conn.close().await;
        *self = Director::connect(config).await?;
        Ok(())
    }

    /// Ends the session (`quit`, short drain, TLS close_notify).
    pub async fn close(mut self) {
        self.conn.close().await;
    }

    /// Whether the link is TLS-PSK encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.conn.tls_info().is_some()
    }

    /// The negotiated TLS cipher and version, `None` on cleartext.
    pub fn cipher(&self) -> Option<&TlsInfo> {
        self.conn.tls_info()
    }

    /// What the director said at login (name, version, info text).
    pub fn welcome(&self) -> &Welcome {
        self.conn.session().welcome()
    }

    /// The current API mode.
    pub fn api_mode(&self) -> ApiMode {
        self.conn.session().api_mode()
    }

    /// The console protocol version in use.
    pub fn protocol_version(&self) -> ProtocolVersion {
        self.conn.config().protocol
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

    /// Whether data from the director arrives within `wait` (nothing is consumed).
    pub async fn has_data(&mut self, wait: Duration) -> Result<bool> {
        self.conn.wait_readable(wait).await
    }

    /// Whether bytes already received wait to be read (no system call needed for the
    /// next chunk to start); a caller that buffers its own output can flush it when
    /// this is false, before a read that may wait for the network.
    pub fn has_buffered_data(&self) -> bool {
        self.conn.has_buffered_data()
    }

    /// Whether the director waits for an answer to a prompt.
    pub fn at_prompt(&self) -> bool {
        self.conn.session().state() == SessionState::AwaitingInput
    }

    /// Whether the restore file-selection tree is active (for completion).
    pub fn in_restore_tree(&self) -> bool {
        self.conn.session().in_restore_tree()
    }

    /// A fresh call deadline for reading a response whose command was sent earlier.
    fn conn_deadline(&self) -> Option<Instant> {
        self.conn.config().call_timeout.map(|t| Instant::now() + t)
    }

    /// A response left unread (a dropped stream) is read to its end and discarded.
    async fn finish_previous(&mut self) -> Result<()> {
        if self.conn.session().state() == SessionState::Busy {
            debug!("discarding the rest of an unread response");
            let mut stream = ResponseStream {
                conn: &mut self.conn,
                deadline: None,
                end: None,
            };
            while stream.next_chunk().await?.is_some() {}
        }
        Ok(())
    }

    async fn collect(&mut self, deadline: Option<Instant>) -> Result<Reply> {
        collect(&mut self.conn, deadline).await
    }
}

/// Reads a whole response into memory, within the configured size cap.
pub(crate) async fn collect(conn: &mut Connection, deadline: Option<Instant>) -> Result<Reply> {
    let cap = conn.config().max_result_size;
    let mut bytes = Vec::new();
    let mut signals = Vec::new();
    loop {
        let event = conn.next_event(deadline).await?;
        match &event {
            Event::Data(data) | Event::FinalData(data) => {
                if bytes.len() + data.len() > cap {
                    return Err(Error::new(
                        Kind::TooLarge,
                        format!(
                            "the result exceeds the buffered size limit of {cap} bytes; use streaming or raise Config::max_result_size"
                        ),
                    ));
                }
                if bytes.is_empty() {
                    bytes = data.clone();
                } else {
                    bytes.extend_from_slice(data);
                }
            }
            Event::Signal(signal) => signals.push(*signal),
            _ => {}
        }
        if let Some(end) = end_of(&event) {
            return Ok(Reply {
                bytes,
                end,
                signals,
            });
        }
    }
}

/// One piece of a response as it came over the wire, for low-level callers that look
/// at signals too (see [`ResponseStream::next_part`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// A data frame.
    Data(Vec<u8>),
    /// A signal: informational, or the one that ended the response (then the stream
    /// has ended). A prompt is reported as [`Signal::SubPrompt`], the end of the
    /// session as [`Signal::Terminate`].
    Signal(Signal),
}

/// A response being read chunk by chunk; see [`Director::stream`].
pub struct ResponseStream<'a> {
    conn: &'a mut Connection,
    deadline: Option<Instant>,
    end: Option<ResponseEnd>,
}

impl<'a> ResponseStream<'a> {
    pub(crate) fn new(conn: &'a mut Connection, deadline: Option<Instant>) -> Self {
        ResponseStream {
            conn,
            deadline,
            end: None,
        }
    }

    /// Marks the stream as ended (nothing outstanding).
    pub(crate) fn finish(&mut self) {
        self.end = Some(ResponseEnd::Complete);
    }

    /// The next chunk of data, or `None` when the response has ended.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        if self.end.is_some() {
            return Ok(None);
        }
        loop {
            let event = self.conn.next_event(self.deadline).await?;
            match event {
                Event::Data(data) => return Ok(Some(data)),
                Event::FinalData(data) => {
                    self.end = Some(ResponseEnd::Complete);
                    return Ok(Some(data));
                }
                Event::Signal(_) | Event::Continue | Event::LoggedIn => continue,
                other => {
                    self.end = end_of(&other);
                    return Ok(None);
                }
            }
        }
    }

    /// The next data frame or signal, or `None` once the response has ended.
    pub async fn next_part(&mut self) -> Result<Option<Part>> {
        if self.end.is_some() {
            return Ok(None);
        }
        loop {
            let event = self.conn.next_event(self.deadline).await?;
            let part = match event {
                Event::Data(data) => Part::Data(data),
                Event::FinalData(data) => {
                    self.end = Some(ResponseEnd::Complete);
                    Part::Data(data)
                }
                Event::Signal(signal) => Part::Signal(signal),
                Event::End(signal) => {
                    self.end = Some(ResponseEnd::Complete);
                    Part::Signal(signal)
                }
                Event::Prompt(prompt) => {
                    self.end = Some(ResponseEnd::Prompt(prompt));
                    Part::Signal(Signal::SubPrompt)
                }
                Event::Closed => {
                    self.end = Some(ResponseEnd::Closed);
                    Part::Signal(Signal::Terminate)
                }
                Event::Continue | Event::LoggedIn => continue,
            };
            return Ok(Some(part));
        }
    }

    /// How the response ended, once [`ResponseStream::next_chunk`] returned `None`.
    pub fn end(&self) -> Option<&ResponseEnd> {
        self.end.as_ref()
    }
}
