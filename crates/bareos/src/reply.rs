//! Results of commands: raw bytes, a lossy text view, and how the response ended.

use crate::connection::ResponseEnd;
use bareos_proto::{Prompt, Signal};
use std::borrow::Cow;

/// The complete result of one command (or of one prompt answer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub(crate) bytes: Vec<u8>,
    pub(crate) end: ResponseEnd,
    pub(crate) signals: Vec<Signal>,
}

impl Reply {
    /// The bytes exactly as the peer sent them (data frames concatenated).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Takes the bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The bytes as text; invalid UTF-8 (e.g. file names) becomes U+FFFD.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }

    /// How the response ended.
    pub fn end(&self) -> &ResponseEnd {
        &self.end
    }

    /// The prompt the peer now waits at, if any.
    pub fn prompt(&self) -> Option<&Prompt> {
        match &self.end {
            ResponseEnd::Prompt(prompt) => Some(prompt),
            _ => None,
        }
    }

    /// Whether the peer waits for input.
    pub fn is_prompt(&self) -> bool {
        self.prompt().is_some()
    }

    /// Informational signals seen in the response, in order (API 1/2: CMD_BEGIN, CMD_OK...).
    pub fn signals(&self) -> &[Signal] {
        &self.signals
    }
}
