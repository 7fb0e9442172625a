//! Blocking clients: each owns a small tokio runtime and waits on the async client, as
//! the `postgres` crate wraps `tokio-postgres`.

use crate::config::Config;
use crate::connection::ResponseEnd;
use crate::director::Part;
use crate::error::{Error, Kind, Result};
use crate::reply::Reply;
use crate::transport::TlsInfo;
use bareos_proto::jsonrpc::JsonReply;
use bareos_proto::message::Welcome;
use bareos_proto::{ApiMode, ProtocolVersion};
use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::runtime::Runtime;

fn runtime() -> Result<Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(Kind::Connect, format!("cannot start the I/O runtime: {e}")))
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
#[derive(Debug)]
pub struct Director {
    runtime: Runtime,
    inner: crate::Director,
}

impl Director {
    /// Connects and logs in.
    pub fn connect(config: Config) -> Result<Director> {
        let runtime = runtime()?;
        let inner = runtime.block_on(crate::Director::connect(config))?;
        Ok(Director { runtime, inner })
    }

    /// See [`crate::Director::call`].
    pub fn call(&mut self, command: &str) -> Result<Reply> {
        self.runtime.block_on(self.inner.call(command))
    }

    /// See [`crate::Director::call_text`].
    pub fn call_text(&mut self, command: &str) -> Result<String> {
        self.runtime.block_on(self.inner.call_text(command))
    }

    /// See [`crate::Director::answer`].
    pub fn answer(&mut self, answer: &str) -> Result<Reply> {
        self.runtime.block_on(self.inner.answer(answer))
    }

    /// See [`crate::Director::cancel_prompt`].
    pub fn cancel_prompt(&mut self) -> Result<Reply> {
        self.runtime.block_on(self.inner.cancel_prompt())
    }

    /// See [`crate::Director::call_streaming`].
    pub fn call_streaming<F>(&mut self, command: &str, sink: F) -> Result<ResponseEnd>
    where
        F: FnMut(&[u8]) -> Result<()>,
    {
        self.runtime
            .block_on(self.inner.call_streaming(command, sink))
    }

    /// See [`crate::Director::send`].
    pub fn send(&mut self, line: &str) -> Result<()> {
        self.runtime.block_on(self.inner.send(line))
    }

    /// The next chunk of the response in progress (see [`crate::Director::response`]);
    /// `None` once it has ended or when none is outstanding.
    pub fn read_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        self.runtime
            .block_on(async { self.inner.response().next_chunk().await })
    }

    /// See [`crate::Director::read_response`].
    pub fn read_response(&mut self) -> Result<Reply> {
        self.runtime.block_on(self.inner.read_response())
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

    /// See [`crate::Director::set_call_timeout`].
    pub fn set_call_timeout(&mut self, timeout: Option<Duration>) {
        self.inner.set_call_timeout(timeout);
    }

    /// See [`crate::Director::addresses`].
    pub fn addresses(&self) -> std::io::Result<(SocketAddr, SocketAddr)> {
        self.inner.addresses()
    }

    /// See [`crate::Director::raw_fd`].
    pub fn raw_fd(&self) -> i32 {
        self.inner.raw_fd()
    }

    /// See [`crate::Director::has_data`].
    pub fn has_data(&mut self, wait: Duration) -> Result<bool> {
        self.runtime.block_on(self.inner.has_data(wait))
    }

    /// See [`crate::Director::has_buffered_data`].
    pub fn has_buffered_data(&self) -> bool {
        self.inner.has_buffered_data()
    }

    /// The next data frame or signal of the response in progress (see
    /// [`crate::ResponseStream::next_part`]); `None` once it has ended or when none is
    /// outstanding.
    pub fn read_part(&mut self) -> Result<Option<Part>> {
        self.runtime
            .block_on(async { self.inner.response().next_part().await })
    }

    /// See [`crate::Director::reconnect`].
    pub fn reconnect(&mut self) -> Result<()> {
        self.runtime.block_on(self.inner.reconnect())
    }

    /// See [`crate::Director::close`].
    pub fn close(self) {
        let Director { runtime, inner } = self;
        runtime.block_on(inner.close());
    }

    /// See [`crate::Director::is_encrypted`].
    pub fn is_encrypted(&self) -> bool {
        self.inner.is_encrypted()
    }

    /// See [`crate::Director::cipher`].
    pub fn cipher(&self) -> Option<&TlsInfo> {
        self.inner.cipher()
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

    /// See [`crate::Director::config`].
    pub fn config(&self) -> &Config {
        self.inner.config()
    }
}

/// A blocking connection to a File Daemon; see [`crate::FileDaemon`].
#[derive(Debug)]
pub struct FileDaemon {
    runtime: Runtime,
    inner: crate::FileDaemon,
}

impl FileDaemon {
    /// Connects and authenticates as the director named in the config.
    pub fn connect(config: Config) -> Result<FileDaemon> {
        let runtime = runtime()?;
        let inner = runtime.block_on(crate::FileDaemon::connect(config))?;
        Ok(FileDaemon { runtime, inner })
    }

    /// See [`crate::FileDaemon::call`].
    pub fn call(&mut self, command: &str) -> Result<Reply> {
        self.runtime.block_on(self.inner.call(command))
    }

    /// See [`crate::FileDaemon::send`].
    pub fn send(&mut self, command: &str) -> Result<()> {
        self.runtime.block_on(self.inner.send(command))
    }

    /// The next chunk of the result in progress (see [`crate::FileDaemon::response`]);
    /// `None` once it has ended or when none is outstanding.
    pub fn read_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        self.runtime
            .block_on(async { self.inner.response().next_chunk().await })
    }

    /// See [`crate::FileDaemon::read_response`].
    pub fn read_response(&mut self) -> Result<Reply> {
        self.runtime.block_on(self.inner.read_response())
    }

    /// See [`crate::FileDaemon::hello`].
    pub fn hello(&self) -> &str {
        self.inner.hello()
    }

    /// See [`crate::FileDaemon::is_encrypted`].
    pub fn is_encrypted(&self) -> bool {
        self.inner.is_encrypted()
    }

    /// See [`crate::FileDaemon::cipher`].
    pub fn cipher(&self) -> Option<&TlsInfo> {
        self.inner.cipher()
    }

    /// See [`crate::FileDaemon::set_call_timeout`].
    pub fn set_call_timeout(&mut self, timeout: Option<Duration>) {
        self.inner.set_call_timeout(timeout);
    }

    /// See [`crate::FileDaemon::addresses`].
    pub fn addresses(&self) -> std::io::Result<(SocketAddr, SocketAddr)> {
        self.inner.addresses()
    }

    /// See [`crate::FileDaemon::raw_fd`].
    pub fn raw_fd(&self) -> i32 {
        self.inner.raw_fd()
    }

    /// See [`crate::FileDaemon::has_data`].
    pub fn has_data(&mut self, wait: Duration) -> Result<bool> {
        self.runtime.block_on(self.inner.has_data(wait))
    }

    /// The next data frame or signal of the response in progress (see
    /// [`crate::ResponseStream::next_part`]); `None` once it has ended or when none is
    /// outstanding.
    pub fn read_part(&mut self) -> Result<Option<Part>> {
        self.runtime
            .block_on(async { self.inner.response().next_part().await })
    }

    /// See [`crate::FileDaemon::reconnect`].
    pub fn reconnect(&mut self) -> Result<()> {
        self.runtime.block_on(self.inner.reconnect())
    }

    /// See [`crate::FileDaemon::close`].
    pub fn close(self) {
        let FileDaemon { runtime, inner } = self;
        runtime.block_on(inner.close());
    }
}
