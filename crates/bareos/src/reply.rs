//! Results of commands: raw bytes, a lossy text view, and how the response ended.

use crate::connection::{end_of, Connection, ResponseEnd};
use crate::error::{Error, Kind, Result};
use bareos_proto::{Event, Prompt, Signal};
use std::borrow::Cow;
use std::time::Instant;

/// The complete result of one command (or of one prompt answer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub(crate) bytes: Vec<u8>,
    pub(crate) end: ResponseEnd,
    pub(crate) signals: Vec<Signal>,
}

impl Reply {
    /// No bytes, complete: what reading returns when no response is outstanding.
    pub(crate) fn empty() -> Reply {
        Reply {
            bytes: Vec::new(),
            end: ResponseEnd::Complete,
            signals: Vec::new(),
        }
    }

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

/// Reads a whole response into memory, within the configured size cap.
pub(crate) async fn collect(conn: &mut Connection, deadline: Option<Instant>) -> Result<Reply> {
    let cap = conn.config().max_result_size;
    let mut reply = Reply::empty();
    loop {
        let event = conn.next_event(deadline).await?;
        match &event {
            Event::Data(data) | Event::FinalData(data) => {
                if reply.bytes.len() + data.len() > cap {
                    return Err(Error::new(
                        Kind::TooLarge,
                        format!(
                            "the result exceeds the buffered size limit of {cap} bytes; use streaming or raise Config::max_result_size"
                        ),
                    ));
                }
                if reply.bytes.is_empty() {
                    reply.bytes = data.clone();
                } else {
                    reply.bytes.extend_from_slice(data);
                }
            }
            Event::Signal(signal) => reply.signals.push(*signal),
            _ => {}
        }
        if let Some(end) = end_of(&event) {
            reply.end = end;
            return Ok(reply);
        }
    }
}
