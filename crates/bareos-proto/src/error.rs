//! The error type of the protocol layer.

/// A violation of the wire protocol, or a refusal by the peer, found while interpreting
/// bytes. Messages name what was expected and never contain secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// A frame header announced more than 1,000,000 payload bytes.
    #[error("frame of {len} bytes exceeds the protocol limit of 1000000 bytes")]
    FrameTooLarge {
        /// The announced or attempted payload length.
        len: usize,
    },
    /// The decoder already failed and cannot resynchronise.
    #[error("frame decoder stopped after an earlier protocol error")]
    DecoderFailed,
    /// The peer sent something else than what the protocol requires at this point.
    #[error("malformed reply: expected {expected}, got {got}")]
    Unexpected {
        /// What the protocol requires here.
        expected: &'static str,
        /// A short, printable excerpt of what arrived.
        got: String,
    },
    /// A value given by the caller cannot be sent.
    #[error("invalid {what}: {reason}")]
    InvalidInput {
        /// Which value.
        what: &'static str,
        /// Why it cannot be sent.
        reason: &'static str,
    },
}

impl ProtocolError {
    /// An [`ProtocolError::Unexpected`] with a printable excerpt of `got`.
    pub fn unexpected(expected: &'static str, got: &[u8]) -> Self {
        ProtocolError::Unexpected {
            expected,
            got: excerpt(got),
        }
    }
}

/// A printable excerpt of at most 80 bytes, escaped, for error messages.
pub fn excerpt(bytes: &[u8]) -> String {
    let shown = &bytes[..bytes.len().min(80)];
    let mut text: String = shown.escape_ascii().to_string();
    if bytes.len() > shown.len() {
        text.push_str(&format!("... ({} bytes)", bytes.len()));
    }
    format!("\"{text}\"")
}
