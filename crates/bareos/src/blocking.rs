//! Blocking clients: each owns a small tokio runtime and waits on the async client, as
//! the `postgres` crate wraps `tokio-postgres`. As that runtime runs nothing else, the
//! socket waits in its own blocking calls, bounded by socket timeouts, rather than in
//! the reactor: one system call per read instead of two. Dropping a client closes it
//! politely, as [`Session::close`] does.

use crate::config::Config;
use crate::connection::ResponseEnd;
use crate::error::{Error, Kind, Result};
use crate::reply::Reply;
use crate::session::{DirectorPeer, FileDaemonPeer, PeerKind};
use crate::socket::Waiting;
use crate::stream::Part;
use crate::transport::TlsInfo;
use bareos_proto::jsonrpc::{JsonReply, JsonReplyText};
use bareos_proto::message::Welcome;
use bareos_proto::{ApiMode, ProtocolVersion};
use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::runtime::Runtime;

/// The private runtime of one blocking client.
struct IoRuntime(Option<Runtime>);

impl IoRuntime {
    fn new() -> Result<IoRuntime> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::new(Kind::Connect, format!("cannot start the I/O runtime: {e}")))?;
        Ok(IoRuntime(Some(runtime)))
    }

    fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.0
            .as_ref()
            .expect("the runtime is there until it is dropped")
            .block_on(future)
    }
}

/// Whether this thread runs an async runtime (where nothing may block).
fn inside_async_runtime() -> bool {
    tokio::runtime::Handle::try_current().is_ok()
}

impl Drop for IoRuntime {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which would panic inside another one.
        if let Some(runtime) = self.0.take() {
            if inside_async_runtime() {
                runtime.shutdown_background();
            }
        }
    }
}

/// A blocking session with a daemon of kind `P`, used through its names [`Director`]
/// and [`FileDaemon`]; see [`crate::Session`].
///
/// Dropping it ends the session politely (`quit` or TERMINATE, within about a second at
/// most), except inside an async runtime, where it cannot wait and only drops the
/// connection.
pub struct Session<P: PeerKind> {
    inner: crate::Session<P>,
    runtime: IoRuntime,
}

/// A blocking console connection to a Director; see [`crate::Director`].
///
/// ```no_run
/// use bareos::{blocking, Config, Password};
/// let config = Config::new("localhost").password(Password::new("secret"));
/// let mut director = blocking::Director::connect(config)?;
/// print!("{}", director.call("version")?.text());
/// # Ok::<(), bareos::Error>(())
/// ```
pub type Director = Session<DirectorPeer>;

/// A blocking connection to a File Daemon; see [`crate::FileDaemon`].
pub type FileDaemon = Session<FileDaemonPeer>;

impl<P: PeerKind> std::fmt::Debug for Session<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl<P: PeerKind> Drop for Session<P> {
    fn drop(&mut self) {
        // `block_on` inside a runtime would panic; there the connection is only dropped.
        if !inside_async_runtime() {
            self.runtime.block_on(self.inner.conn.close());
        }
    }
}

impl<P: PeerKind> Session<P> {
    /// See [`crate::Session::connect`].
    pub fn connect(config: Config) -> Result<Self> {
        let runtime = IoRuntime::new()?;
        let inner = runtime.block_on(crate::Session::open(config, Waiting::Blocking))?;
        Ok(Session { inner, runtime })
    }

    /// See [`crate::Session::call`].
    pub fn call(&mut self, command: &str) -> Result<Reply> {
        self.runtime.block_on(self.inner.call(command))
    }

    /// See [`crate::Session::call_text`].
    pub fn call_text(&mut self, command: &str) -> Result<String> {
        self.runtime.block_on(self.inner.call_text(command))
    }

    /// See [`crate::Session::stream`]; the stream is also an [`Iterator`] of chunks.
    pub fn stream(&mut self, command: &str) -> Result<ResponseStream<'_>> {
        let inner = self.runtime.block_on(self.inner.stream(command))?;
        Ok(ResponseStream::new(&self.runtime, inner))
    }

    /// See [`crate::Session::call_streaming`].
    pub fn call_streaming<F>(&mut self, command: &str, sink: F) -> Result<ResponseEnd>
    where
        F: FnMut(&[u8]) -> Result<()>,
    {
        self.runtime
            .block_on(self.inner.call_streaming(command, sink))
    }

    /// See [`crate::Session::send`].
    pub fn send(&mut self, line: &str) -> Result<()> {
        self.runtime.block_on(self.inner.send(line))
    }

    /// See [`crate::Session::response`]; the stream is also an [`Iterator`] of chunks.
    pub fn response(&mut self) -> ResponseStream<'_> {
        ResponseStream::new(&self.runtime, self.inner.response())
    }

    /// See [`crate::Session::next_chunk`].
    pub fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        self.runtime.block_on(self.inner.next_chunk())
    }

    /// See [`crate::Session::next_part`].
    pub fn next_part(&mut self) -> Result<Option<Part>> {
        self.runtime.block_on(self.inner.next_part())
    }

    /// See [`crate::Session::read_response`].
    pub fn read_response(&mut self) -> Result<Reply> {
        self.runtime.block_on(self.inner.read_response())
    }

    /// See [`crate::Session::reconnect`].
    pub fn reconnect(&mut self) -> Result<()> {
        self.runtime.block_on(self.inner.reconnect())
    }

    /// Ends the session politely; dropping does the same.
    pub fn close(self) {
        drop(self);
    }

    /// See [`crate::Session::is_encrypted`].
    pub fn is_encrypted(&self) -> bool {
        self.inner.is_encrypted()
    }

    /// See [`crate::Session::cipher`].
    pub fn cipher(&self) -> Option<&TlsInfo> {
        self.inner.cipher()
    }

    /// See [`crate::Session::config`].
    pub fn config(&self) -> &Config {
        self.inner.config()
    }

    /// See [`crate::Session::set_call_timeout`].
    pub fn set_call_timeout(&mut self, timeout: Option<Duration>) {
        self.inner.set_call_timeout(timeout);
    }

    /// See [`crate::Session::addresses`].
    pub fn addresses(&self) -> std::io::Result<(SocketAddr, SocketAddr)> {
        self.inner.addresses()
    }

    /// See [`crate::Session::raw_fd`].
    pub fn raw_fd(&self) -> i32 {
        self.inner.raw_fd()
    }

    /// See [`crate::Session::has_data`].
    pub fn has_data(&mut self, wait: Duration) -> Result<bool> {
        self.runtime.block_on(self.inner.has_data(wait))
    }

    /// See [`crate::Session::has_buffered_data`].
    pub fn has_buffered_data(&self) -> bool {
        self.inner.has_buffered_data()
    }
}

impl Session<DirectorPeer> {
    /// See [`crate::Director::answer`].
    pub fn answer(&mut self, answer: &str) -> Result<Reply> {
        self.runtime.block_on(self.inner.answer(answer))
    }

    /// See [`crate::Director::cancel_prompt`].
    pub fn cancel_prompt(&mut self) -> Result<Reply> {
        self.runtime.block_on(self.inner.cancel_prompt())
    }

    /// See [`crate::Director::enable_json`].
    pub fn enable_json(&mut self) -> Result<()> {
        self.runtime.block_on(self.inner.enable_json())
    }

    /// See [`crate::Director::call_json`].
    pub fn call_json(&mut self, command: &str) -> Result<Value> {
        self.runtime.block_on(self.inner.call_json(command))
    }

    /// See [`crate::Director::call_json_reply`].
    pub fn call_json_reply(&mut self, command: &str) -> Result<JsonReply> {
        self.runtime.block_on(self.inner.call_json_reply(command))
    }

    /// See [`crate::Director::call_json_text`].
    pub fn call_json_text(&mut self, command: &str) -> Result<JsonReplyText> {
        self.runtime.block_on(self.inner.call_json_text(command))
    }

    /// See [`crate::Director::call_json_raw`].
    pub fn call_json_raw(&mut self, command: &str) -> Result<Box<serde_json::value::RawValue>> {
        self.runtime.block_on(self.inner.call_json_raw(command))
    }

    /// See [`crate::Director::welcome`].
    pub fn welcome(&self) -> &Welcome {
        self.inner.welcome()
    }

    /// See [`crate::Director::api_mode`].
    pub fn api_mode(&self) -> ApiMode {
        self.inner.api_mode()
    }

    /// See [`crate::Director::protocol_version`].
    pub fn protocol_version(&self) -> ProtocolVersion {
        self.inner.protocol_version()
    }

    /// See [`crate::Director::at_prompt`].
    pub fn at_prompt(&self) -> bool {
        self.inner.at_prompt()
    }

    /// See [`crate::Director::in_restore_tree`].
    pub fn in_restore_tree(&self) -> bool {
        self.inner.in_restore_tree()
    }
}

impl Session<FileDaemonPeer> {
    /// See [`crate::FileDaemon::hello`].
    pub fn hello(&self) -> &str {
        self.inner.hello()
    }
}

/// A response being read chunk by chunk, blocking; see [`crate::ResponseStream`]. As an
/// [`Iterator`] it yields the chunks and ends after the last one or after an error.
pub struct ResponseStream<'a> {
    runtime: &'a IoRuntime,
    inner: crate::ResponseStream<'a>,
    failed: bool,
}

impl<'a> ResponseStream<'a> {
    fn new(runtime: &'a IoRuntime, inner: crate::ResponseStream<'a>) -> Self {
        ResponseStream {
            runtime,
            inner,
            failed: false,
        }
    }

    /// See [`crate::ResponseStream::next_chunk`].
    pub fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        self.runtime.block_on(self.inner.next_chunk())
    }

    /// See [`crate::ResponseStream::next_part`].
    pub fn next_part(&mut self) -> Result<Option<Part>> {
        self.runtime.block_on(self.inner.next_part())
    }

    /// See [`crate::ResponseStream::end`].
    pub fn end(&self) -> Option<&ResponseEnd> {
        self.inner.end()
    }
}

impl Iterator for ResponseStream<'_> {
    type Item = Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let next = self.next_chunk();
        self.failed = next.is_err();
        next.transpose()
    }
}
