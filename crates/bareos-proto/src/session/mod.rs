//! The client session state machine: login (hello, CRAM-MD5 both ways, welcome, PAM),
//! then commands, prompts and the end of the session.
//!
//! It never does I/O. Feed it every frame that arrives with
//! [`ClientSession::handle_frame`], send whatever [`ClientSession::take_output`] returns,
//! and act on the [`Event`]s.
//!
//! The login lives in `login`, everything after it (commands, responses, prompts, API
//! modes) in `response`; [`SessionState::Login`] tells which [`LoginStep`] a login is at.
//!
//! ```
//! use bareos_proto::{ClientSession, SessionConfig, Password, Frame, Event};
//! let mut session = ClientSession::new(SessionConfig::console("admin", Password::new("secret")));
//! let hello = session.take_output();
//! assert_eq!(&hello[4..], b"Hello admin calling version 25.1.1\n");
//! ```

mod login;
mod pam;
mod response;
#[cfg(test)]
mod testing;

pub use login::LoginStep;
pub use pam::{PamAnswer, PamPrompt, PamStyle, MAX_PAM_MESSAGES, MAX_PAM_TEXT};
pub use response::{classify_prompt, ApiMode, Prompt, PromptKind};

use crate::cram;
use crate::error::ProtocolError;
use crate::frame::{encode_data, Frame};
use crate::hello::{console_hello, director_hello, qualified_name, ProtocolVersion, ResourceType};
use crate::message::Welcome;
use crate::password::Password;
use crate::signal::Signal;
use response::FdEndRule;
use std::fmt;
use zeroize::Zeroize;

/// Which daemon the session talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Peer {
    /// A Director, as a console.
    Director,
    /// A File Daemon, as a director.
    FileDaemon,
}

/// PAM user name and password. `Debug` shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct PamCredentials {
    /// The PAM user name.
    pub username: String,
    password: String,
}

impl PamCredentials {
    /// Credentials for a console with `UsePamAuthentication = yes`.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        PamCredentials {
            username: username.into(),
            password: password.into(),
        }
    }
}

impl PamCredentials {
    /// Whether both the user name and the password are given (not empty).
    pub fn is_complete(&self) -> bool {
        !self.username.is_empty() && !self.password.is_empty()
    }
}

impl fmt::Debug for PamCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PamCredentials(<redacted>)")
    }
}

impl Drop for PamCredentials {
    fn drop(&mut self) {
        self.password.zeroize();
    }
}

/// Everything the login needs. Randomness and time come from the caller, so the machine
/// stays deterministic.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// Director or File Daemon.
    pub peer: Peer,
    /// Console name (towards a director) or director name (towards a file daemon).
    pub name: String,
    /// The shared password.
    pub password: Password,
    /// Console protocol version (ignored for a file daemon).
    pub protocol: ProtocolVersion,
    /// PAM credentials, sent only when the director asks for them (`4002`).
    pub pam: Option<PamCredentials>,
    /// Without [`SessionConfig::pam`]: when the director asks for PAM, ask for the
    /// interactive conversation (`4001`) and relay its prompts
    /// ([`ClientSession::pam_prompt`]).
    pub pam_interactive: bool,
    /// Whether the transport is encrypted (TLS-PSK); PAM credentials are refused otherwise.
    pub encrypted: bool,
    /// Send PAM credentials (or conversation answers) even over cleartext.
    pub allow_cleartext_pam: bool,
    /// Random number for our own CRAM-MD5 challenge.
    pub challenge_random: u32,
    /// Unix time for our own CRAM-MD5 challenge.
    pub unix_time: u64,
}

impl SessionConfig {
    /// A console login with defaults: protocol 2, no PAM, encrypted transport assumed.
    pub fn console(name: impl Into<String>, password: Password) -> Self {
        SessionConfig {
            peer: Peer::Director,
            name: name.into(),
            password,
            protocol: ProtocolVersion::V2,
            pam: None,
            pam_interactive: false,
            encrypted: true,
            allow_cleartext_pam: false,
            challenge_random: 0,
            unix_time: 0,
        }
    }

    /// A login to a file daemon as the director `director_name`.
    pub fn file_daemon(director_name: impl Into<String>, password: Password) -> Self {
        SessionConfig {
            peer: Peer::FileDaemon,
            ..SessionConfig::console(director_name, password)
        }
    }
}

/// Why a session failed. Messages say what to fix and carry no secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The bytes broke the protocol.
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    /// The peer hung up (or sent TERMINATE) before the challenge.
    #[error("{peer} '{name}' was refused before authentication: the name is unknown to the {peer_short}, or it requires TLS-PSK for it (cleartext is not allowed), or it has too many connections")]
    RejectedBeforeAuthentication {
        /// "console" or "director".
        peer: &'static str,
        /// "director" or "file daemon".
        peer_short: &'static str,
        /// The name we logged in as.
        name: String,
    },
    /// The peer rejected our CRAM-MD5 answer.
    #[error("authentication failed: the {peer_short} rejected the password for {peer} '{name}' (wrong password, or unknown name)")]
    WrongPassword {
        /// "console" or "director".
        peer: &'static str,
        /// "director" or "file daemon".
        peer_short: &'static str,
        /// The name we logged in as.
        name: String,
    },
    /// The director refused the console after authentication.
    #[error("the director refused console '{name}': not authorized (it may require TLS-PSK, or this protocol version)")]
    NotAuthorized {
        /// The console name.
        name: String,
    },
    /// The peer's answer to our challenge was wrong: it does not know the password.
    #[error("the {peer_short} failed to prove it knows the password (wrong CRAM-MD5 answer): it may be an impostor, or its password differs")]
    PeerNotAuthenticated {
        /// "director" or "file daemon".
        peer_short: &'static str,
    },
    /// The console requires PAM but no credentials were given.
    #[error("the director requires PAM authentication for console '{name}', but no PAM username and password were given")]
    PamRequired {
        /// The console name.
        name: String,
    },
    /// PAM credentials were given but the console does not use PAM.
    #[error("PAM credentials were given, but console '{name}' does not use PAM authentication")]
    PamNotConfigured {
        /// The console name.
        name: String,
    },
    /// PAM over cleartext was not allowed by the caller.
    #[error("refusing to send PAM credentials over an unencrypted connection; use TLS-PSK or explicitly allow cleartext PAM")]
    PamOverCleartext,
    /// The director closed the connection after the PAM credentials.
    #[error("PAM authentication failed for user '{username}' (wrong PAM user or password, or no matching User resource)")]
    PamFailed {
        /// The PAM user name.
        username: String,
    },
    /// The director closed the connection during or after the interactive PAM
    /// conversation.
    #[error("PAM authentication failed: the director ended the PAM conversation (wrong answers, or no matching User resource)")]
    PamConversationFailed,
    /// The director sent more PAM messages than a login needs.
    #[error("the director sent more than {limit} PAM prompts or messages; giving up the PAM conversation")]
    PamConversationTooLong {
        /// The limit ([`MAX_PAM_MESSAGES`]).
        limit: usize,
    },
    /// The peer closed the connection.
    #[error("the connection was closed by the {peer_short} {during}")]
    ConnectionClosed {
        /// "director" or "file daemon".
        peer_short: &'static str,
        /// What was going on, e.g. "during login".
        during: &'static str,
    },
    /// The caller asked for something the current state does not allow.
    #[error("cannot {action} while the session is {state}")]
    InvalidState {
        /// What was attempted.
        action: &'static str,
        /// The current state.
        state: SessionState,
    },
}

/// Where the session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Logging in; the step says what the session waits for next.
    Login(LoginStep),
    /// Ready for a command.
    Idle,
    /// A command's response is being read.
    Busy,
    /// The peer waits for an answer at a prompt.
    AwaitingInput,
    /// `quit` was sent; waiting for the peer to close.
    Quitting,
    /// The session is over.
    Closed,
}

impl fmt::Display for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SessionState::Login(_) => "logging in",
            SessionState::Idle => "idle",
            SessionState::Busy => "busy with a command",
            SessionState::AwaitingInput => "waiting for an answer to a prompt",
            SessionState::Quitting => "quitting",
            SessionState::Closed => "closed",
        })
    }
}

/// What a frame meant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Nothing for the caller; keep reading.
    Continue,
    /// Login complete; see [`ClientSession::welcome`].
    LoggedIn,
    /// Part of the current response.
    Data(Vec<u8>),
    /// The last part of the current response (file daemon one-line replies).
    FinalData(Vec<u8>),
    /// An informational signal inside a response.
    Signal(Signal),
    /// The response ended with this signal; the session is idle.
    End(Signal),
    /// The peer waits for input; answer with [`ClientSession::answer`].
    Prompt(Prompt),
    /// The session ended cleanly (after `quit`).
    Closed,
}

/// The sans-IO client session.
pub struct ClientSession {
    config: SessionConfig,
    state: SessionState,
    own_token: String,
    out: Vec<u8>,
    welcome: Welcome,
    api: ApiMode,
    pending_api: Option<ApiMode>,
    fd_rule: FdEndRule,
    text_input_pending: bool,
    selecting: bool,
    select_items: Vec<String>,
    in_tree: bool,
    last_data: Vec<u8>,
    signals_seen: Vec<Signal>,
    pam: pam::PamConversationState,
}

impl fmt::Debug for ClientSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSession")
            .field("peer", &self.config.peer)
            .field("name", &self.config.name)
            .field("state", &self.state)
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

impl ClientSession {
    /// Starts a login; the hello is queued at once.
    pub fn new(config: SessionConfig) -> Self {
        let (hello, kind) = match config.peer {
            Peer::Director => (
                console_hello(&config.name, config.protocol),
                ResourceType::Console,
            ),
            Peer::FileDaemon => (director_hello(&config.name), ResourceType::Director),
        };
        let own_token = cram::make_token(
            config.challenge_random,
            config.unix_time,
            &qualified_name(kind, &config.name),
        );
        let mut session = ClientSession {
            config,
            state: SessionState::Login(LoginStep::Challenge),
            own_token,
            out: Vec::new(),
            welcome: Welcome::default(),
            api: ApiMode::Text,
            pending_api: None,
            fd_rule: FdEndRule::Eod,
            text_input_pending: false,
            selecting: false,
            select_items: Vec::new(),
            in_tree: false,
            last_data: Vec::new(),
            signals_seen: Vec::new(),
            pam: pam::PamConversationState::default(),
        };
        session.queue(&hello);
        session
    }

    /// The current state.
    pub fn state(&self) -> SessionState {
        self.state
    }

    /// The director's welcome (empty before login, and for a file daemon).
    pub fn welcome(&self) -> &Welcome {
        &self.welcome
    }

    /// The current API mode.
    pub fn api_mode(&self) -> ApiMode {
        self.api
    }

    /// Whether the restore tree mode is active.
    pub fn in_restore_tree(&self) -> bool {
        self.in_tree
    }

    /// The peer this session talks to.
    pub fn peer(&self) -> Peer {
        self.config.peer
    }

    /// Bytes to send now (whole frames), emptied by the call.
    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// Whether bytes wait to be sent.
    pub fn has_output(&self) -> bool {
        !self.out.is_empty()
    }

    fn queue(&mut self, payload: &[u8]) {
        encode_data(payload, &mut self.out).expect("internal frames are small");
    }

    fn names(&self) -> (&'static str, &'static str) {
        match self.config.peer {
            Peer::Director => ("console", "director"),
            Peer::FileDaemon => ("director", "file daemon"),
        }
    }

    fn fail(&mut self, error: SessionError) -> Result<Event, SessionError> {
        self.state = SessionState::Closed;
        Err(error)
    }

    /// Interprets one received frame.
    pub fn handle_frame(&mut self, frame: Frame) -> Result<Event, SessionError> {
        match self.state {
            SessionState::Login(step) => self.handle_login(step, frame),
            SessionState::Busy => self.handle_response(frame),
            SessionState::Quitting => match frame {
                Frame::Signal(Signal::Terminate) => {
                    self.state = SessionState::Closed;
                    Ok(Event::Closed)
                }
                // API 2 answers `quit` with a last JSON document before closing.
                Frame::Data(data) if !data.is_empty() => Ok(Event::Data(data)),
                _ => Ok(Event::Continue),
            },
            SessionState::Idle | SessionState::AwaitingInput => match frame {
                Frame::Signal(Signal::Terminate) => {
                    let peer_short = self.names().1;
                    self.fail(SessionError::ConnectionClosed {
                        peer_short,
                        during: "while idle",
                    })
                }
                // Unsolicited frames between commands are not expected; skip them.
                _ => Ok(Event::Continue),
            },
            SessionState::Closed => Err(SessionError::InvalidState {
                action: "read a frame",
                state: SessionState::Closed,
            }),
        }
    }

    /// Interprets the end of the byte stream (EOF).
    pub fn handle_eof(&mut self) -> Result<Event, SessionError> {
        let peer_short = self.names().1;
        match self.state {
            SessionState::Quitting | SessionState::Closed => {
                self.state = SessionState::Closed;
                Ok(Event::Closed)
            }
            SessionState::Login(step) => self.login_ended(step),
            SessionState::Busy | SessionState::AwaitingInput => {
                self.fail(SessionError::ConnectionClosed {
                    peer_short,
                    during: "in the middle of a response",
                })
            }
            SessionState::Idle => self.fail(SessionError::ConnectionClosed {
                peer_short,
                during: "while idle",
            }),
        }
    }
}
