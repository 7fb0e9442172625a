//! The client session state machine: login (hello, CRAM-MD5 both ways, welcome, PAM),
//! then commands, prompts and the end of the session.
//!
//! It never does I/O. Feed it every frame that arrives with
//! [`ClientSession::handle_frame`], send whatever [`ClientSession::take_output`] returns,
//! and act on the [`Event`]s.
//!
//! ```
//! use bareos_proto::{ClientSession, SessionConfig, Password, Frame, Event};
//! let mut session = ClientSession::new(SessionConfig::console("admin", Password::new("secret")));
//! let hello = session.take_output();
//! assert_eq!(&hello[4..], b"Hello admin calling version 25.1.1\n");
//! ```

use crate::base64::Base64Variant;
use crate::command::{arg_keyword, fd_command_line, split_args, validate_command};
use crate::command_table;
use crate::cram::{self, Challenge, AUTH_FAILED, AUTH_OK, NOT_AUTHORIZED};
use crate::error::ProtocolError;
use crate::frame::{encode_data, encode_signal, Frame};
use crate::hello::{
    console_hello, director_hello, qualified_name, ProtocolVersion, ResourceType, DEFAULT_CONSOLE,
    FD_HELLO_OK,
};
use crate::message::{ids, ResponseMessage, Welcome};
use crate::password::Password;
use crate::signal::Signal;
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
    /// PAM credentials, sent only when the director asks for them.
    pub pam: Option<PamCredentials>,
    /// Whether the transport is encrypted (TLS-PSK); PAM credentials are refused otherwise.
    pub encrypted: bool,
    /// Send PAM credentials even over cleartext.
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
    /// Logging in.
    Login,
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
            SessionState::Login => "logging in",
            SessionState::Idle => "idle",
            SessionState::Busy => "busy with a command",
            SessionState::AwaitingInput => "waiting for an answer to a prompt",
            SessionState::Quitting => "quitting",
            SessionState::Closed => "closed",
        })
    }
}

/// The director's API mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ApiMode {
    /// Human-readable text; responses end with EOD.
    #[default]
    Text,
    /// Machine text (deprecated); responses end with MAIN_PROMPT.
    Machine,
    /// JSON (API 2); responses end with MAIN_PROMPT.
    Json,
}

/// What kind of input the peer waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// A numbered selection list.
    Selection,
    /// A yes/no question.
    YesNo,
    /// The restore file-selection tree (`$ `).
    RestoreTree,
    /// Free text.
    Text,
}

/// A prompt at which the peer waits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// What is being asked.
    pub kind: PromptKind,
    /// The prompt line (the last data frame before the prompt signal), lossy text.
    pub text: String,
    /// The choices of an API-1 selection list (header excluded).
    pub items: Vec<String>,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LoginStep {
    Challenge,
    AuthVerdict,
    PeerAnswer,
    FdHello,
    Welcome,
    PamResult,
    Info,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FdEndRule {
    /// Ends at EOD.
    Eod,
    /// Ends with the first frame starting with a 4-digit code.
    CodedLine,
    /// Like `CodedLine`, but `2901` (job not found) is followed by the real verdict.
    Bandwidth,
}

/// The sans-IO client session.
pub struct ClientSession {
    config: SessionConfig,
    state: SessionState,
    step: LoginStep,
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

const LAST_DATA_KEEP: usize = 4096;

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
            state: SessionState::Login,
            step: LoginStep::Challenge,
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
            SessionState::Login => self.handle_login(frame),
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
        let (peer, peer_short) = self.names();
        let name = self.config.name.clone();
        match (self.state, self.step) {
            (SessionState::Quitting | SessionState::Closed, _) => {
                self.state = SessionState::Closed;
                Ok(Event::Closed)
            }
            (SessionState::Login, LoginStep::Challenge) => {
                self.fail(SessionError::RejectedBeforeAuthentication {
                    peer,
                    peer_short,
                    name,
                })
            }
            (SessionState::Login, LoginStep::PamResult) => {
                let username = self
                    .config
                    .pam
                    .as_ref()
                    .map(|p| p.username.clone())
                    .unwrap_or_default();
                self.fail(SessionError::PamFailed { username })
            }
            (SessionState::Login, LoginStep::Welcome) => {
                self.fail(SessionError::NotAuthorized { name })
            }
            (SessionState::Login, _) => self.fail(SessionError::ConnectionClosed {
                peer_short,
                during: "during login",
            }),
            (SessionState::Busy | SessionState::AwaitingInput, _) => {
                self.fail(SessionError::ConnectionClosed {
                    peer_short,
                    during: "in the middle of a response",
                })
            }
            (SessionState::Idle, _) => self.fail(SessionError::ConnectionClosed {
                peer_short,
                during: "while idle",
            }),
        }
    }

    fn handle_login(&mut self, frame: Frame) -> Result<Event, SessionError> {
        let (peer, peer_short) = self.names();
        let name = self.config.name.clone();
        let payload = match frame {
            Frame::Data(payload) if payload.is_empty() => return Ok(Event::Continue),
            Frame::Data(payload) => payload,
            Frame::Signal(Signal::Terminate) => {
                return match self.step {
                    LoginStep::Challenge => self.fail(SessionError::RejectedBeforeAuthentication {
                        peer,
                        peer_short,
                        name,
                    }),
                    LoginStep::PamResult => self.handle_eof(),
                    _ => self.fail(SessionError::ConnectionClosed {
                        peer_short,
                        during: "during login",
                    }),
                };
            }
            Frame::Signal(_) => return Ok(Event::Continue),
        };
        match self.step {
            LoginStep::Challenge => {
                if payload == NOT_AUTHORIZED {
                    return self.fail(SessionError::NotAuthorized { name });
                }
                let challenge = match Challenge::parse(&payload) {
                    Ok(challenge) => challenge,
                    Err(error) => return self.fail(error.into()),
                };
                let answer = cram::answer(
                    &self.config.password,
                    &challenge.token,
                    Base64Variant::Legacy,
                );
                self.queue(answer.as_bytes());
                self.step = LoginStep::AuthVerdict;
                Ok(Event::Continue)
            }
            LoginStep::AuthVerdict => {
                if payload == AUTH_OK {
                    let line = Challenge {
                        token: self.own_token.clone(),
                        tls_policy: Some(0),
                        answer_variant: Base64Variant::Legacy,
                    }
                    .to_line();
                    self.queue(&line);
                    self.step = LoginStep::PeerAnswer;
                    Ok(Event::Continue)
                } else if payload.starts_with(b"1999") || payload.starts_with(b"2999") {
                    self.fail(SessionError::WrongPassword {
                        peer,
                        peer_short,
                        name,
                    })
                } else {
                    self.fail(ProtocolError::unexpected("\"1000 OK auth\"", &payload).into())
                }
            }
            LoginStep::PeerAnswer => {
                if !cram::verify(&self.config.password, &self.own_token, &payload) {
                    self.queue(AUTH_FAILED);
                    return self.fail(SessionError::PeerNotAuthenticated { peer_short });
                }
                self.queue(AUTH_OK);
                self.step = match self.config.peer {
                    Peer::Director => LoginStep::Welcome,
                    Peer::FileDaemon => LoginStep::FdHello,
                };
                Ok(Event::Continue)
            }
            LoginStep::FdHello => {
                if payload.starts_with(FD_HELLO_OK) {
                    self.welcome = Welcome {
                        text: String::from_utf8_lossy(&payload).trim_end().to_string(),
                        ..Welcome::default()
                    };
                    self.logged_in()
                } else if payload.starts_with(b"1999") || payload.starts_with(b"2999") {
                    self.fail(SessionError::WrongPassword {
                        peer,
                        peer_short,
                        name,
                    })
                } else {
                    self.fail(ProtocolError::unexpected("\"2000 OK Hello\"", &payload).into())
                }
            }
            LoginStep::Welcome | LoginStep::PamResult => self.handle_welcome(&payload),
            LoginStep::Info => {
                let message = match ResponseMessage::parse(&payload) {
                    Ok(message) if message.id == ids::INFO_MESSAGE => message,
                    _ => {
                        return self.fail(
                            ProtocolError::unexpected("an info message \"1002<RS>...\"", &payload)
                                .into(),
                        )
                    }
                };
                self.welcome.info = Some(message.text());
                self.logged_in()
            }
        }
    }

    fn handle_welcome(&mut self, payload: &[u8]) -> Result<Event, SessionError> {
        let name = self.config.name.clone();
        if payload == NOT_AUTHORIZED {
            return self.fail(SessionError::NotAuthorized { name });
        }
        let message = match ResponseMessage::parse(payload) {
            Ok(message) => message,
            Err(_) => {
                return self.fail(
                    ProtocolError::unexpected("a welcome \"1000<RS>OK: ...\"", payload).into(),
                )
            }
        };
        match message.id {
            ids::OK => {
                if self.step == LoginStep::Welcome
                    && self.config.pam.is_some()
                    && self.config.name != DEFAULT_CONSOLE
                {
                    return self.fail(SessionError::PamNotConfigured { name });
                }
                self.welcome = Welcome::parse(&message.text());
                // Protocol 1 ends with the plain-text welcome; protocol 2 sends 1002 next.
                if self.config.protocol == ProtocolVersion::V2 && payload.get(4) == Some(&0x1e) {
                    self.step = LoginStep::Info;
                    Ok(Event::Continue)
                } else {
                    self.logged_in()
                }
            }
            ids::PAM_REQUIRED if self.step == LoginStep::Welcome => {
                let Some(pam) = self.config.pam.clone() else {
                    return self.fail(SessionError::PamRequired { name });
                };
                if !self.config.encrypted && !self.config.allow_cleartext_pam {
                    return self.fail(SessionError::PamOverCleartext);
                }
                let credentials = ResponseMessage::encode(
                    ids::PAM_USER_CREDENTIALS,
                    &[pam.username.as_bytes(), pam.password.as_bytes()],
                );
                let mut credentials = match credentials {
                    Ok(bytes) if bytes.len() <= crate::frame::MAX_MESSAGE_LEN => bytes,
                    Ok(mut bytes) => {
                        bytes.zeroize();
                        return self.fail(
                            ProtocolError::InvalidInput {
                                what: "PAM credentials",
                                reason: "they are longer than one frame (999996 bytes)",
                            }
                            .into(),
                        );
                    }
                    Err(error) => return self.fail(error.into()),
                };
                self.queue(&credentials);
                credentials.zeroize();
                self.step = LoginStep::PamResult;
                Ok(Event::Continue)
            }
            ids::NOT_AUTHORIZED => self.fail(SessionError::NotAuthorized { name }),
            _ => self
                .fail(ProtocolError::unexpected("a welcome \"1000<RS>OK: ...\"", payload).into()),
        }
    }

    fn logged_in(&mut self) -> Result<Event, SessionError> {
        self.state = SessionState::Idle;
        Ok(Event::LoggedIn)
    }

    /// Queues a command. For a file daemon the line is split like a shell and bashed.
    pub fn send_command(&mut self, command: &str) -> Result<(), SessionError> {
        if self.state != SessionState::Idle {
            return Err(SessionError::InvalidState {
                action: "send a command",
                state: self.state,
            });
        }
        let line = match self.config.peer {
            Peer::Director => command.to_string(),
            Peer::FileDaemon => fd_command_line(command)?,
        };
        validate_command(line.as_bytes())?;
        self.reset_response();
        match self.config.peer {
            Peer::Director => {
                let args = split_args(&line);
                let command = args
                    .first()
                    .and_then(|word| command_table::resolve(arg_keyword(word)));
                self.pending_api = match command {
                    Some(c) if c.name == ".api" => requested_api_mode(&args[1..]),
                    _ => None,
                };
                if command.is_some_and(|c| c.ends_session()) {
                    self.queue(line.as_bytes());
                    self.state = SessionState::Quitting;
                    return Ok(());
                }
            }
            Peer::FileDaemon => self.fd_rule = fd_end_rule(&line),
        }
        if line.is_empty() {
            self.out.extend_from_slice(&0i32.to_be_bytes());
        } else {
            self.queue(line.as_bytes());
        }
        self.state = SessionState::Busy;
        Ok(())
    }

    /// Answers the prompt the peer waits at (`.` cancels most prompts).
    pub fn answer(&mut self, text: &str) -> Result<(), SessionError> {
        if self.state != SessionState::AwaitingInput {
            return Err(SessionError::InvalidState {
                action: "answer a prompt",
                state: self.state,
            });
        }
        validate_command(text.as_bytes())?;
        self.reset_response();
        if text.is_empty() {
            self.out.extend_from_slice(&0i32.to_be_bytes());
        } else {
            self.queue(text.as_bytes());
        }
        self.state = SessionState::Busy;
        Ok(())
    }

    /// Ends the session cleanly: `quit` to a director, TERMINATE to a file daemon.
    /// Returns whether the peer is expected to close the connection itself.
    pub fn close(&mut self) -> bool {
        match (self.state, self.config.peer) {
            (SessionState::Closed | SessionState::Quitting, _) => false,
            (SessionState::Idle, Peer::Director) => {
                self.queue(b"quit");
                self.state = SessionState::Quitting;
                true
            }
            _ => {
                encode_signal(Signal::Terminate, &mut self.out);
                self.state = SessionState::Closed;
                false
            }
        }
    }

    /// Whether an API-1 text-input prompt may be complete: the director announced
    /// TEXT_INPUT and sends no end marker for it. Call [`ClientSession::input_quiet`]
    /// when no frame arrived for a short while.
    pub fn text_input_pending(&self) -> bool {
        self.state == SessionState::Busy && self.text_input_pending
    }

    /// Declares that the peer went quiet after TEXT_INPUT: the prompt is complete.
    pub fn input_quiet(&mut self) -> Option<Prompt> {
        if !self.text_input_pending() {
            return None;
        }
        self.state = SessionState::AwaitingInput;
        Some(self.prompt())
    }

    fn reset_response(&mut self) {
        self.text_input_pending = false;
        self.selecting = false;
        self.select_items.clear();
        self.last_data.clear();
        self.signals_seen.clear();
    }

    fn prompt(&mut self) -> Prompt {
        let text = String::from_utf8_lossy(&self.last_data).into_owned();
        let kind = if self.in_tree && text.trim_end() == "$" {
            PromptKind::RestoreTree
        } else if self.signals_seen.contains(&Signal::SelectInput)
            || self.signals_seen.contains(&Signal::StartSelect)
        {
            PromptKind::Selection
        } else if self.signals_seen.contains(&Signal::YesNo) {
            PromptKind::YesNo
        } else {
            classify_prompt(&text)
        };
        let items = std::mem::take(&mut self.select_items);
        self.text_input_pending = false;
        self.signals_seen.clear();
        Prompt { kind, text, items }
    }

    fn handle_response(&mut self, frame: Frame) -> Result<Event, SessionError> {
        let signal = match frame {
            Frame::Data(data) if data.is_empty() => return Ok(Event::Continue),
            Frame::Data(data) => return Ok(self.response_data(data)),
            Frame::Signal(signal) => signal,
        };
        if self.config.peer == Peer::FileDaemon {
            return match signal {
                Signal::Eod => self.end(signal),
                // The file daemon ends the session after an unknown or failed command
                // (its reply, e.g. `2999 Invalid command`, came first): that ends this
                // response and the session, it is not a lost connection.
                Signal::Terminate => {
                    self.state = SessionState::Closed;
                    Ok(Event::Closed)
                }
                other => Ok(Event::Signal(other)),
            };
        }
        match signal {
            Signal::Eod => {
                if self.pending_api.is_some() {
                    self.api = ApiMode::Text;
                }
                self.end(signal)
            }
            Signal::MainPrompt => {
                if let Some(mode) = self.pending_api {
                    self.api = mode;
                }
                self.end(signal)
            }
            Signal::SubPrompt => {
                self.state = SessionState::AwaitingInput;
                Ok(Event::Prompt(self.prompt()))
            }
            Signal::Terminate => self.fail(SessionError::ConnectionClosed {
                peer_short: "director",
                during: "in the middle of a response",
            }),
            other => {
                match other {
                    Signal::TextInput => self.text_input_pending = true,
                    Signal::StartSelect => {
                        self.selecting = true;
                        self.select_items.clear();
                    }
                    Signal::EndSelect => {
                        self.selecting = false;
                        // The first frame after START_SELECT is the header.
                        if !self.select_items.is_empty() {
                            self.select_items.remove(0);
                        }
                    }
                    Signal::StartRtree => self.in_tree = true,
                    Signal::EndRtree => self.in_tree = false,
                    _ => {}
                }
                self.signals_seen.push(other);
                Ok(Event::Signal(other))
            }
        }
    }

    fn response_data(&mut self, data: Vec<u8>) -> Event {
        if self.selecting {
            self.select_items
                .push(String::from_utf8_lossy(&data).trim_end().to_string());
        }
        if data.len() <= LAST_DATA_KEEP {
            self.last_data.clear();
            self.last_data.extend_from_slice(&data);
        } else {
            self.last_data.clear();
        }
        if self.config.peer == Peer::FileDaemon && self.fd_line_ends(&data) {
            self.state = SessionState::Idle;
            return Event::FinalData(data);
        }
        Event::Data(data)
    }

    fn fd_line_ends(&self, data: &[u8]) -> bool {
        let coded = data.len() >= 4 && data[..4].iter().all(u8::is_ascii_digit);
        match self.fd_rule {
            FdEndRule::Eod => false,
            FdEndRule::CodedLine => coded,
            FdEndRule::Bandwidth => coded && !data.starts_with(b"2901"),
        }
    }

    fn end(&mut self, signal: Signal) -> Result<Event, SessionError> {
        self.state = SessionState::Idle;
        self.pending_api = None;
        self.text_input_pending = false;
        Ok(Event::End(signal))
    }
}

/// The API mode a `.api` command with these arguments switches to, as `DotApiCmd`
/// (`core/src/dird/ua_dotcmds.cc`) reads them; `None` when the director refuses them.
fn requested_api_mode(args: &[String]) -> Option<ApiMode> {
    if args.len() > 2 {
        return None;
    }
    let Some(first) = args.first() else {
        return Some(ApiMode::Machine);
    };
    match arg_keyword(first).to_ascii_lowercase().as_str() {
        "0" | "off" => Some(ApiMode::Text),
        "1" | "on" => Some(ApiMode::Machine),
        "2" | "json" => Some(ApiMode::Json),
        _ => None,
    }
}

/// Which end rule a file daemon command follows (PROTOCOL section 9.2).
fn fd_end_rule(line: &str) -> FdEndRule {
    let word = line.split(' ').next().unwrap_or("");
    if ["status", ".status", "cancel", "estimate"]
        .iter()
        .any(|known| word.starts_with(known))
    {
        FdEndRule::Eod
    } else if word.starts_with("setbandwidth") {
        FdEndRule::Bandwidth
    } else {
        FdEndRule::CodedLine
    }
}

/// Guesses what a text prompt asks for from its wording.
pub fn classify_prompt(text: &str) -> PromptKind {
    let line = text.trim_end();
    let lower = line.to_ascii_lowercase();
    if line == "$" {
        PromptKind::RestoreTree
    } else if lower.contains("(yes/mod/no)")
        || lower.contains("(yes/no)")
        || lower.ends_with("yes/no:")
    {
        PromptKind::YesNo
    } else if is_selection_range(line) {
        PromptKind::Selection
    } else {
        PromptKind::Text
    }
}

/// `... (1-N):` at the end of a line.
fn is_selection_range(line: &str) -> bool {
    let Some(body) = line.strip_suffix("):") else {
        return false;
    };
    let Some(open) = body.rfind('(') else {
        return false;
    };
    let range = &body[open + 1..];
    let Some((low, high)) = range.split_once('-') else {
        return false;
    };
    !low.is_empty()
        && !high.is_empty()
        && low.bytes().all(|b| b.is_ascii_digit())
        && high.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::FrameDecoder;

    fn frames(bytes: &[u8]) -> Vec<Frame> {
        let mut decoder = FrameDecoder::new();
        decoder.push(bytes);
        std::iter::from_fn(|| decoder.next_frame().unwrap()).collect()
    }

    fn data(text: &[u8]) -> Frame {
        Frame::Data(text.to_vec())
    }

    fn login(config: SessionConfig) -> ClientSession {
        let password = config.password.clone();
        let mut session = ClientSession::new(config);
        session.take_output();
        let token = "<1234567890.1700000000@R_DIRECTOR::bareos-dir>";
        session
            .handle_frame(data(format!("auth cram-md5 {token} ssl=2\n").as_bytes()))
            .unwrap();
        let out = frames(&session.take_output());
        assert_eq!(
            out,
            [data(
                cram::answer(&password, token, Base64Variant::Legacy).as_bytes()
            )]
        );
        session.handle_frame(data(AUTH_OK)).unwrap();
        let out = frames(&session.take_output());
        let challenge = Challenge::parse(out[0].data().unwrap()).unwrap();
        let answer = cram::answer(&password, &challenge.token, Base64Variant::Legacy) + "\0";
        session.handle_frame(data(answer.as_bytes())).unwrap();
        assert_eq!(frames(&session.take_output()), [data(AUTH_OK)]);
        session
    }

    #[test]
    fn console_login_v2() {
        let mut config = SessionConfig::console("admin", Password::new("secret"));
        config.challenge_random = 2222222222;
        config.unix_time = 1700000001;
        let mut session = ClientSession::new(config.clone());
        assert_eq!(
            frames(&session.take_output()),
            [data(b"Hello admin calling version 25.1.1\n")]
        );
        let mut session = login(config);
        assert_eq!(
            session.handle_frame(data(
                b"1000\x1eOK: bareos-dir Version: 25.0.0 (21 August 2026)"
            )),
            Ok(Event::Continue)
        );
        assert_eq!(
            session.handle_frame(data(b"1002\x1eYou are logged in as: admin")),
            Ok(Event::LoggedIn)
        );
        assert_eq!(session.welcome().director, "bareos-dir");
        assert_eq!(
            session.welcome().info.as_deref(),
            Some("You are logged in as: admin")
        );
        assert_eq!(session.state(), SessionState::Idle);
    }

    #[test]
    fn own_challenge_matches_spec() {
        let mut config = SessionConfig::console("admin", Password::new("secret"));
        config.challenge_random = 2222222222;
        config.unix_time = 1700000001;
        let mut session = ClientSession::new(config);
        session.take_output();
        session
            .handle_frame(data(b"auth cram-md5 <1.2@R_DIRECTOR::d> ssl=0\n"))
            .unwrap();
        session.take_output();
        session.handle_frame(data(AUTH_OK)).unwrap();
        assert_eq!(
            frames(&session.take_output()),
            [data(
                b"auth cram-md5 <2222222222.1700000001@R_CONSOLE::admin> ssl=0\n"
            )]
        );
        // The spec's director answer (legacy + NUL) is accepted.
        session
            .handle_frame(data(b"T70NVW1RV1+Yh7/91H/FCD\0"))
            .unwrap();
        assert_eq!(frames(&session.take_output()), [data(AUTH_OK)]);
    }

    #[test]
    fn impostor_and_wrong_password() {
        let config = SessionConfig::console("admin", Password::new("secret"));
        let mut session = ClientSession::new(config.clone());
        session
            .handle_frame(data(b"auth cram-md5 <1.2@x> ssl=0\n"))
            .unwrap();
        let err = session.handle_frame(data(AUTH_FAILED)).unwrap_err();
        assert!(matches!(err, SessionError::WrongPassword { .. }), "{err}");
        assert!(err.to_string().contains("console 'admin'"));

        let mut session = ClientSession::new(config);
        session
            .handle_frame(data(b"auth cram-md5 <1.2@x> ssl=0\n"))
            .unwrap();
        session.handle_frame(data(AUTH_OK)).unwrap();
        session.take_output();
        let err = session
            .handle_frame(data(b"AAAAAAAAAAAAAAAAAAAAAA\0"))
            .unwrap_err();
        assert!(matches!(err, SessionError::PeerNotAuthenticated { .. }));
        assert_eq!(frames(&session.take_output()), [data(AUTH_FAILED)]);
        assert_eq!(session.state(), SessionState::Closed);
    }

    #[test]
    fn rejected_before_auth() {
        let mut session = ClientSession::new(SessionConfig::console("x", Password::new("p")));
        let err = session
            .handle_frame(Frame::Signal(Signal::Terminate))
            .unwrap_err();
        assert!(matches!(
            err,
            SessionError::RejectedBeforeAuthentication { .. }
        ));
        let mut session = ClientSession::new(SessionConfig::console("x", Password::new("p")));
        assert!(session.handle_eof().is_err());
        let mut session = ClientSession::new(SessionConfig::console("x", Password::new("p")));
        let err = session.handle_frame(data(b"garbage")).unwrap_err();
        assert!(
            err.to_string().contains("expected a CRAM-MD5 challenge"),
            "{err}"
        );
    }

    #[test]
    fn pam_rules() {
        let mut config = SessionConfig::console("pamcon", Password::new("p"));
        let mut session = login(config.clone());
        let err = session.handle_frame(data(b"1001\x1e")).unwrap_err();
        assert!(matches!(err, SessionError::PamRequired { .. }));

        config.pam = Some(PamCredentials::new("alice", "pa55"));
        config.encrypted = false;
        let mut session = login(config.clone());
        assert_eq!(
            session.handle_frame(data(b"1001\x1e")).unwrap_err(),
            SessionError::PamOverCleartext
        );
        assert!(!session.has_output());

        config.encrypted = true;
        let mut session = login(config.clone());
        session.handle_frame(data(b"1001\x1e")).unwrap();
        assert_eq!(
            frames(&session.take_output()),
            [data(b"4002\x1ealice\x1epa55")]
        );
        let err = session.handle_eof().unwrap_err();
        assert!(err
            .to_string()
            .contains("PAM authentication failed for user 'alice'"));

        let mut session = login(config.clone());
        session.handle_frame(data(b"1001\x1e")).unwrap();
        session
            .handle_frame(data(b"1000\x1eOK: d Version: 1 (x)"))
            .unwrap();
        assert_eq!(
            session.handle_frame(data(b"1002\x1eYou are logged in as: alice")),
            Ok(Event::LoggedIn)
        );

        let mut session = login(config);
        let err = session
            .handle_frame(data(b"1000\x1eOK: d Version: 1 (x)"))
            .unwrap_err();
        assert!(matches!(err, SessionError::PamNotConfigured { .. }));
        assert!(!format!("{err:?}").contains("pa55"));
    }

    #[test]
    fn oversized_pam_credentials_are_an_error() {
        let mut config = SessionConfig::console("pamcon", Password::new("p"));
        config.pam = Some(PamCredentials::new("u", "x".repeat(1_100_000)));
        let mut session = login(config);
        let err = session.handle_frame(data(b"1001\x1e")).unwrap_err();
        assert!(err.to_string().contains("PAM credentials"), "{err}");
        assert!(!session.has_output());
    }

    #[test]
    fn protocol_v1_welcome() {
        let mut config = SessionConfig::console("*UserAgent*", Password::new("p"));
        config.protocol = ProtocolVersion::V1;
        let mut session = login(config);
        assert_eq!(
            session.handle_frame(data(
                b"1000 OK: bareos-dir Version: 25.0.0 (21 August 2026) --  Encryption: None\n"
            )),
            Ok(Event::LoggedIn)
        );
        assert_eq!(session.welcome().version, "25.0.0");
    }

    fn idle_director() -> ClientSession {
        let mut session = login(SessionConfig::console("admin", Password::new("secret")));
        session
            .handle_frame(data(b"1000\x1eOK: d Version: 25.0.0 (x)"))
            .unwrap();
        session.handle_frame(data(b"1002\x1einfo")).unwrap();
        session
    }

    #[test]
    fn command_phase_api0_and_api2() {
        let mut session = idle_director();
        session.send_command("whoami").unwrap();
        assert_eq!(frames(&session.take_output()), [data(b"whoami")]);
        assert!(session.send_command("again").is_err());
        assert_eq!(
            session.handle_frame(data(b"admin\n")),
            Ok(Event::Data(b"admin\n".to_vec()))
        );
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::Eod)),
            Ok(Event::End(Signal::Eod))
        );

        session.send_command(".api 2 compact=yes").unwrap();
        session.take_output();
        session.handle_frame(Frame::Signal(Signal::CmdOk)).unwrap();
        session
            .handle_frame(data(br#"{"result":{"api":2}}"#))
            .unwrap();
        session
            .handle_frame(Frame::Signal(Signal::MainPrompt))
            .unwrap();
        assert_eq!(session.api_mode(), ApiMode::Json);

        session.send_command("foo").unwrap();
        session.take_output();
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::ErrorMsg)),
            Ok(Event::Signal(Signal::ErrorMsg))
        );
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::MainPrompt)),
            Ok(Event::End(Signal::MainPrompt))
        );
        session.send_command(".api 0").unwrap();
        session.take_output();
        session.handle_frame(Frame::Signal(Signal::Eod)).unwrap();
        assert_eq!(session.api_mode(), ApiMode::Text);

        assert!(session.close());
        assert_eq!(frames(&session.take_output()), [data(b"quit")]);
        assert_eq!(session.handle_eof(), Ok(Event::Closed));
    }

    #[test]
    fn abbreviated_commands_resolve_as_the_director_does() {
        for quit in ["q", "qu", "QUIT", "ex", ".q", "\"quit\"", "  quit  "] {
            let mut session = idle_director();
            session.send_command(quit).unwrap();
            assert_eq!(session.state(), SessionState::Quitting, "{quit}");
        }
        for other in ["que", "query", "e", "status", "quitx"] {
            let mut session = idle_director();
            session.send_command(other).unwrap();
            assert_eq!(session.state(), SessionState::Busy, "{other}");
        }

        let mut session = idle_director();
        session.send_command(".ap 2").unwrap();
        session
            .handle_frame(Frame::Signal(Signal::MainPrompt))
            .unwrap();
        assert_eq!(session.api_mode(), ApiMode::Json);
        session.send_command(".api 0 compact=yes").unwrap();
        session.handle_frame(Frame::Signal(Signal::Eod)).unwrap();
        assert_eq!(session.api_mode(), ApiMode::Text);
        session.send_command(".a 2").unwrap();
        session.handle_frame(Frame::Signal(Signal::Eod)).unwrap();
        assert_eq!(session.api_mode(), ApiMode::Text, ".a is .actiononpurge");
        session.send_command(".api bogus").unwrap();
        session.handle_frame(Frame::Signal(Signal::Eod)).unwrap();
        assert_eq!(session.api_mode(), ApiMode::Text);
    }

    #[test]
    fn prompts() {
        let mut session = idle_director();
        session.send_command("status client").unwrap();
        session.take_output();
        session
            .handle_frame(data(b"The defined Client resources are:\n"))
            .unwrap();
        session
            .handle_frame(data(b"     1: bareos-fd\n     2: other-fd\n"))
            .unwrap();
        session
            .handle_frame(data(b"Select Client (File daemon) resource (1-2): "))
            .unwrap();
        let Event::Prompt(prompt) = session
            .handle_frame(Frame::Signal(Signal::SubPrompt))
            .unwrap()
        else {
            panic!("no prompt")
        };
        assert_eq!(prompt.kind, PromptKind::Selection);
        assert_eq!(session.state(), SessionState::AwaitingInput);
        session.answer("1").unwrap();
        assert_eq!(frames(&session.take_output()), [data(b"1")]);
        session.handle_frame(Frame::Signal(Signal::Eod)).unwrap();

        // API 1: TEXT_INPUT announces a prompt without an end signal.
        session.send_command(".api 1").unwrap();
        session.take_output();
        session
            .handle_frame(Frame::Signal(Signal::MainPrompt))
            .unwrap();
        session.send_command("delete volume").unwrap();
        session.take_output();
        session.handle_frame(Frame::Signal(Signal::YesNo)).unwrap();
        session
            .handle_frame(Frame::Signal(Signal::TextInput))
            .unwrap();
        session
            .handle_frame(data(b"Are you sure? (yes/no): "))
            .unwrap();
        assert!(session.text_input_pending());
        let prompt = session.input_quiet().unwrap();
        assert_eq!(prompt.kind, PromptKind::YesNo);
        session.answer(".").unwrap();
        session.take_output();
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::MainPrompt)),
            Ok(Event::End(Signal::MainPrompt))
        );

        session.send_command("status client").unwrap();
        session.take_output();
        for frame in [
            Frame::Signal(Signal::StartSelect),
            data(b"The defined Client resources are:\n"),
            data(b"bareos-fd"),
            data(b"other-fd"),
            Frame::Signal(Signal::EndSelect),
            Frame::Signal(Signal::SelectInput),
            Frame::Signal(Signal::TextInput),
            data(b"Select Client (File daemon) resource (1-2): "),
        ] {
            session.handle_frame(frame).unwrap();
        }
        let prompt = session.input_quiet().unwrap();
        assert_eq!(prompt.kind, PromptKind::Selection);
        assert_eq!(prompt.items, ["bareos-fd", "other-fd"]);
    }

    #[test]
    fn file_daemon_rules() {
        let mut config = SessionConfig::file_daemon("bareos-dir", Password::new("secret"));
        config.challenge_random = 3333333333;
        config.unix_time = 1755750001;
        let mut session = ClientSession::new(config);
        assert_eq!(
            frames(&session.take_output()),
            [data(b"Hello Director bareos-dir calling\n")]
        );
        session
            .handle_frame(data(
                b"auth cram-md5 <1804289383.1755750000@R_CLIENT::bareos-fd> ssl=2\n",
            ))
            .unwrap();
        assert_eq!(
            frames(&session.take_output()),
            [data(b"ChhfCm/q65g5E8I1J4YLsB")]
        );
        session.handle_frame(data(AUTH_OK)).unwrap();
        assert_eq!(
            frames(&session.take_output()),
            [data(
                b"auth cram-md5 <3333333333.1755750001@R_DIRECTOR::bareos-dir> ssl=0\n"
            )]
        );
        session
            .handle_frame(data(b"OT4chFJkn5/RGzwpK7JkSC\0"))
            .unwrap();
        session.take_output();
        assert_eq!(
            session.handle_frame(data(b"2000 OK Hello 54\n")),
            Ok(Event::LoggedIn)
        );

        session.send_command("status").unwrap();
        session.take_output();
        session.handle_frame(data(b"\n")).unwrap();
        session
            .handle_frame(data(b"2000 lines can appear in status\n"))
            .unwrap();
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::Eod)),
            Ok(Event::End(Signal::Eod))
        );

        session.send_command("setbandwidth=100 Job=x").unwrap();
        session.take_output();
        assert!(matches!(
            session.handle_frame(data(b"2901 Job x not found.\n")),
            Ok(Event::Data(_))
        ));
        assert!(matches!(
            session.handle_frame(data(b"2000 OK Bandwidth\n")),
            Ok(Event::FinalData(_))
        ));

        session
            .send_command(r#"Run When=2 Command="echo hi""#)
            .unwrap();
        assert_eq!(
            frames(&session.take_output()),
            [data(b"Run When=2 Command=echo\x01hi")]
        );
        assert!(matches!(
            session.handle_frame(data(b"2000 OK RunScript\n")),
            Ok(Event::FinalData(_))
        ));

        assert!(!session.close());
        assert_eq!(session.take_output(), [0xff, 0xff, 0xff, 0xfc]);
    }

    #[test]
    fn file_daemon_ending_the_session_ends_the_response() {
        let mut config = SessionConfig::file_daemon("bareos-dir", Password::new("secret"));
        config.challenge_random = 3333333333;
        config.unix_time = 1755750001;
        let mut session = ClientSession::new(config);
        session
            .handle_frame(data(
                b"auth cram-md5 <1804289383.1755750000@R_CLIENT::bareos-fd> ssl=2\n",
            ))
            .unwrap();
        session.handle_frame(data(AUTH_OK)).unwrap();
        session
            .handle_frame(data(b"OT4chFJkn5/RGzwpK7JkSC\0"))
            .unwrap();
        session.handle_frame(data(b"2000 OK Hello 54\n")).unwrap();
        session.send_command("estimate listing=0").unwrap();
        assert_eq!(
            session.handle_frame(data(b"2999 Invalid command\n")),
            Ok(Event::Data(b"2999 Invalid command\n".to_vec()))
        );
        assert_eq!(
            session.handle_frame(Frame::Signal(Signal::Terminate)),
            Ok(Event::Closed)
        );
        assert_eq!(session.state(), SessionState::Closed);
        assert!(session.send_command("status").is_err());
    }

    #[test]
    fn classify() {
        assert_eq!(
            classify_prompt("Select Job resource (1-3): "),
            PromptKind::Selection
        );
        assert_eq!(
            classify_prompt("OK to run? (yes/mod/no): "),
            PromptKind::YesNo
        );
        assert_eq!(classify_prompt("$ "), PromptKind::RestoreTree);
        assert_eq!(
            classify_prompt("Enter new maximum (zero for unlimited): "),
            PromptKind::Text
        );
    }
}
