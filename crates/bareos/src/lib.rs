//! Async and blocking clients for the Bareos Director console and the File Daemon.
//!
//! - [`Director`]: console sessions in text (API 0) or JSON (API 2) mode, with prompts,
//!   streaming of huge results, deadlines everywhere and typed errors.
//! - [`FileDaemon`]: talk to a File Daemon the way a director does.
//! - [`blocking`]: the same without async.
//! - TLS-PSK through OpenSSL, required by default; cleartext only when asked for.
//!
//! ```no_run
//! # async fn example() -> bareos::Result<()> {
//! use bareos::{Config, Director, Password};
//! let mut director = Director::connect(
//!     Config::new("localhost").password(Password::new("director-password")),
//! )
//! .await?;
//! let reply = director.call("list pools").await?;
//! print!("{}", reply.text());
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

pub mod bconsole;
pub mod blocking;
mod config;
mod connection;
mod director;
mod error;
mod file_daemon;
pub mod models;
pub mod pam;
mod redact;
mod reply;
mod session;
mod socket;
mod stream;
mod tls_cert;
mod transport;

pub use bareos_proto::jsonrpc::{JsonReply, JsonReplyText, JsonRpcError};
pub use bareos_proto::message::Welcome;
pub use bareos_proto::{
    ApiMode, Password, Prompt, PromptKind, ProtocolVersion, Signal, TlsVersion,
};
pub use config::{Config, TlsMode, DIRECTOR_PORT, FILE_DAEMON_PORT};
pub use connection::ResponseEnd;
pub use director::Director;
pub use error::{Error, ErrorKind, Result};
pub use file_daemon::FileDaemon;
pub use pam::{PamAnswer, PamConversation, PamPrompt, PamStyle};
pub use redact::redact_command;
pub use reply::Reply;
pub use session::{DirectorPeer, FileDaemonPeer, PeerKind, Session};
pub use stream::{Part, ResponseStream};
pub use transport::TlsInfo;

/// The protocol crate, for lower-level work.
pub use bareos_proto as proto;

/// The README's example is compiled as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
