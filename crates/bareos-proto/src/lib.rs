//! Sans-IO implementation of the Bareos console and file daemon wire protocol.
//!
//! Nothing here opens a socket or spawns a task: the types turn bytes into frames,
//! frames into meaning, and back. The `bareos` crate drives them over TCP and TLS-PSK;
//! the `bareos-testkit` crate uses the same pieces for its simulated director.
//!
//! - [`frame`]: the 4-byte header, data frames and [`Signal`]s, with a 1,000,000-byte cap
//! - [`base64`], [`cram`], [`Password`]: CRAM-MD5 authentication as the daemons do it
//! - [`hello`]: hello lines, name bashing and TLS-PSK identities
//! - [`message`]: login response messages (`1000`, `1001`, `1002`)
//! - [`jsonrpc`]: the API mode 2 envelope
//! - [`command`]: quoting and splitting command lines
//! - [`command_table`]: the director's commands and how a typed word resolves to one
//! - [`session`]: the client session state machine (login, then responses)
#![deny(missing_docs)]

pub mod base64;
pub mod command;
pub mod command_table;
pub mod cram;
mod error;
pub mod frame;
pub mod hello;
pub mod jsonrpc;
pub mod message;
pub mod password;
pub mod session;
pub mod signal;
mod tls_version;

pub use error::{excerpt, ProtocolError};
pub use frame::{Frame, FrameDecoder, Header, MAX_FRAME_PAYLOAD, MAX_MESSAGE_LEN};
pub use hello::ProtocolVersion;
pub use password::Password;
pub use session::{
    ApiMode, ClientSession, Event, LoginStep, PamAnswer, PamCredentials, PamPrompt, PamStyle, Peer,
    Prompt, PromptKind, SessionConfig, SessionError, SessionState,
};
pub use signal::Signal;
pub use tls_version::TlsVersion;
