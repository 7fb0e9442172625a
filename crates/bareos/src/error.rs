//! The one public error type, with predicates.

use bareos_proto::jsonrpc::JsonRpcError;
use bareos_proto::{ProtocolError, SessionError};
use std::fmt;

/// Result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, as returned by [`Error::kind`]. New kinds may be added: match with a
/// wildcard arm. The `is_*` predicates of [`Error`] group related kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The configuration is invalid (e.g. a name with forbidden characters).
    Config,
    /// The TCP connection could not be established.
    Connect,
    /// The TLS handshake failed for a reason other than the credentials, or cleartext was
    /// refused because TLS is required.
    Tls,
    /// The TLS-PSK handshake was refused for the credentials (wrong key, unknown name).
    TlsAuth,
    /// Certificate TLS: the peer's certificate could not be verified (CA, name), or the
    /// peer refused ours.
    TlsCertificate,
    /// The peer hung up before authentication (TERMINATE instead of a challenge).
    Refused,
    /// Authentication failed: wrong password, unknown console, or an impostor peer.
    Auth,
    /// A PAM problem: required but no credentials, credentials but no PAM, rejected,
    /// or a PAM conversation that failed (unanswered prompt, too many prompts).
    Pam,
    /// PAM credentials were not sent because the connection is not encrypted and
    /// cleartext PAM was not explicitly allowed.
    PamOverCleartext,
    /// A deadline passed (connect, read, or the whole call).
    Timeout,
    /// The connection was lost or closed by the peer.
    ConnectionLost,
    /// The peer broke the protocol (malformed frame, invalid JSON, ...).
    Protocol,
    /// A call that needs a complete result ended at a prompt of the director.
    UnexpectedPrompt,
    /// The director reported that the command failed.
    Director,
    /// A buffered result exceeded the configured size cap.
    TooLarge,
    /// The call is not possible in the current state, or an argument cannot be sent.
    Usage,
}

pub(crate) use ErrorKind as Kind;

/// An error of a Bareos connection. Opaque: use [`Error::kind`] or the predicates
/// (`is_auth()`, `is_timeout()`, ...) to tell cases apart. Messages say what to fix and
/// never contain a password, its MD5 value or a PSK.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: Kind,
    message: String,
    director: Option<DirectorFailure>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// What the director said when a command failed.
#[derive(Clone, Debug)]
pub(crate) struct DirectorFailure {
    pub messages: Vec<String>,
    pub error: Option<JsonRpcError>,
    pub raw: Option<Vec<u8>>,
}

impl Error {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                director: None,
                source: None,
            }),
        }
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.inner.source = Some(Box::new(source));
        self
    }

    pub(crate) fn director(message: impl Into<String>, failure: DirectorFailure) -> Self {
        let mut error = Error::new(Kind::Director, message);
        error.inner.director = Some(failure);
        error
    }

    pub(crate) fn invalid_reply(message: impl Into<String>, raw: Vec<u8>) -> Self {
        Error::with_raw_reply(Kind::Protocol, message, raw)
    }

    pub(crate) fn with_raw_reply(kind: Kind, message: impl Into<String>, raw: Vec<u8>) -> Self {
        let mut error = Error::new(kind, message);
        error.inner.director = Some(DirectorFailure {
            messages: Vec::new(),
            error: None,
            raw: Some(raw),
        });
        error
    }

    pub(crate) fn timeout(what: impl fmt::Display) -> Self {
        Error::new(Kind::Timeout, format!("timed out {what}"))
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::new(Kind::Config, message)
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The configuration is invalid (e.g. a name with forbidden characters).
    pub fn is_config(&self) -> bool {
        self.inner.kind == Kind::Config
    }

    /// The TCP connection could not be established.
    pub fn is_connect(&self) -> bool {
        self.inner.kind == Kind::Connect
    }

    /// The TLS handshake failed (wrong name/password under TLS-PSK, no TLS-PSK peer, a
    /// certificate that cannot be verified), or cleartext was refused because TLS is
    /// required.
    pub fn is_tls(&self) -> bool {
        matches!(
            self.inner.kind,
            Kind::Tls | Kind::TlsAuth | Kind::TlsCertificate
        )
    }

    /// Certificate TLS: the peer's certificate is not verifiable (unknown CA, expired,
    /// a name that is neither the address nor an allowed CN, no certificate at all), or
    /// the peer refused our client certificate or wanted one. Also [`Error::is_tls`].
    pub fn is_certificate(&self) -> bool {
        self.inner.kind == Kind::TlsCertificate
    }

    /// Authentication failed: wrong password, unknown console, refused connection,
    /// an impostor peer, or a PAM failure (PAM errors are also [`Error::is_pam`]). Under
    /// TLS-PSK a wrong password or unknown name fails the handshake: such errors are
    /// both [`Error::is_tls`] and `is_auth`.
    pub fn is_auth(&self) -> bool {
        matches!(
            self.inner.kind,
            Kind::Auth | Kind::Pam | Kind::PamOverCleartext | Kind::TlsAuth | Kind::Refused
        )
    }

    /// The peer refused the connection before authentication (a cleartext protocol-2
    /// hello to a console that needs TLS, an unknown name, too many connections). Also
    /// [`Error::is_auth`]. Only in this case can a protocol-1 hello get further (directors
    /// older than 18.2, consoles with `TlsRequire = no`).
    pub fn is_refused_before_auth(&self) -> bool {
        self.inner.kind == Kind::Refused
    }

    /// A PAM problem: required but no credentials, credentials but no PAM, refused over
    /// cleartext, or rejected.
    pub fn is_pam(&self) -> bool {
        matches!(self.inner.kind, Kind::Pam | Kind::PamOverCleartext)
    }

    /// A deadline passed (connect, read, or the whole call).
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == Kind::Timeout
    }

    /// The connection was lost or closed by the peer; reconnect to continue.
    pub fn is_connection_lost(&self) -> bool {
        self.inner.kind == Kind::ConnectionLost
    }

    /// The peer broke the protocol (malformed or oversized frame, invalid JSON, ...), or
    /// gave a reply other than the one expected (a prompt instead of a result).
    pub fn is_protocol(&self) -> bool {
        matches!(
            self.inner.kind,
            Kind::Protocol | Kind::TooLarge | Kind::UnexpectedPrompt
        )
    }

    /// The director reported that the command failed (JSON error envelope).
    pub fn is_director_error(&self) -> bool {
        self.inner.kind == Kind::Director
    }

    /// A buffered result exceeded the configured size cap.
    pub fn is_too_large(&self) -> bool {
        self.inner.kind == Kind::TooLarge
    }

    /// The call is not possible in the current state (e.g. answering when no prompt is open).
    pub fn is_usage(&self) -> bool {
        self.inner.kind == Kind::Usage
    }

    /// The director's messages for a failed command (`error.data.messages.error`).
    pub fn director_messages(&self) -> &[String] {
        self.inner.director.as_ref().map_or(&[], |d| &d.messages)
    }

    /// The JSON-RPC error object of a failed command, if the reply was JSON.
    pub fn json_rpc_error(&self) -> Option<&JsonRpcError> {
        self.inner.director.as_ref().and_then(|d| d.error.as_ref())
    }

    /// The raw reply bytes kept with an invalid-JSON error.
    pub fn raw_reply(&self) -> Option<&[u8]> {
        self.inner.director.as_ref().and_then(|d| d.raw.as_deref())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Error");
        debug
            .field("kind", &self.inner.kind)
            .field("message", &self.inner.message);
        if let Some(source) = &self.inner.source {
            debug.field("source", &source.to_string());
        }
        debug.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn std::error::Error + 'static))
    }
}

impl From<SessionError> for Error {
    fn from(error: SessionError) -> Self {
        let kind = match &error {
            // A value of the caller that cannot be sent (e.g. oversized PAM credentials).
            SessionError::Protocol(ProtocolError::InvalidInput { .. }) => Kind::Usage,
            SessionError::Protocol(_) => Kind::Protocol,
            SessionError::PamRequired { .. }
            | SessionError::PamNotConfigured { .. }
            | SessionError::PamFailed { .. }
            | SessionError::PamConversationFailed
            | SessionError::PamConversationTooLong { .. } => Kind::Pam,
            SessionError::PamOverCleartext => Kind::PamOverCleartext,
            SessionError::ConnectionClosed { .. } => Kind::ConnectionLost,
            SessionError::RejectedBeforeAuthentication { .. } => Kind::Refused,
            SessionError::InvalidState { .. } => Kind::Usage,
            _ => Kind::Auth,
        };
        Error::new(kind, error.to_string())
    }
}

impl From<ProtocolError> for Error {
    fn from(error: ProtocolError) -> Self {
        let kind = match error {
            ProtocolError::InvalidInput { .. } => Kind::Usage,
            _ => Kind::Protocol,
        };
        Error::new(kind, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicates() {
        let e = Error::from(SessionError::PamOverCleartext);
        assert!(e.is_pam() && e.is_auth() && !e.is_tls());
        assert_eq!(e.kind(), ErrorKind::PamOverCleartext);
        let e = Error::timeout("reading a frame");
        assert!(e.is_timeout());
        assert_eq!(e.to_string(), "timed out reading a frame");
        let e = Error::from(ProtocolError::FrameTooLarge { len: 2_000_000 });
        assert!(e.is_protocol());
    }
}
