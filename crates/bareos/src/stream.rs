//! A response read piece by piece: [`ResponseStream`] and its [`Part`]s.

use crate::connection::{Connection, ResponseEnd};
use crate::error::Result;
use bareos_proto::{Event, Signal};
use std::time::Instant;

/// One piece of a response as it came over the wire, for low-level callers that look
/// at signals too (see [`ResponseStream::next_part`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// A data frame.
    Data(Vec<u8>),
    /// A signal: informational, or the one that ended the response (then the stream
    /// has ended). A prompt is reported as [`Signal::SubPrompt`], the end of the
    /// session as [`Signal::Terminate`].
    Signal(Signal),
}

/// A response being read chunk by chunk; see [`Session::stream`](crate::Session::stream)
/// and [`Session::response`](crate::Session::response).
pub struct ResponseStream<'a> {
    conn: &'a mut Connection,
    deadline: Option<Instant>,
    end: Option<ResponseEnd>,
}

impl<'a> ResponseStream<'a> {
    pub(crate) fn new(conn: &'a mut Connection, deadline: Option<Instant>) -> Self {
        ResponseStream {
            conn,
            deadline,
            end: None,
        }
    }

    /// Marks the stream as ended (nothing outstanding).
    pub(crate) fn finish(&mut self) {
        self.end = Some(ResponseEnd::Complete);
    }

    /// The next chunk of data, or `None` when the response has ended.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        while let Some(part) = self.next_part().await? {
            if let Part::Data(data) = part {
                return Ok(Some(data));
            }
        }
        Ok(None)
    }

    /// The next data frame or signal, or `None` once the response has ended.
    pub async fn next_part(&mut self) -> Result<Option<Part>> {
        if self.end.is_some() {
            return Ok(None);
        }
        loop {
            let event = self.conn.next_event(self.deadline).await?;
            let part = match event {
                Event::Data(data) => Part::Data(data),
                Event::FinalData(data) => {
                    self.end = Some(ResponseEnd::Complete);
                    Part::Data(data)
                }
                Event::Signal(signal) => Part::Signal(signal),
                Event::End(signal) => {
                    self.end = Some(ResponseEnd::Complete);
                    Part::Signal(signal)
                }
                Event::Prompt(prompt) => {
                    self.end = Some(ResponseEnd::Prompt(prompt));
                    Part::Signal(Signal::SubPrompt)
                }
                Event::Closed => {
                    self.end = Some(ResponseEnd::Closed);
                    Part::Signal(Signal::Terminate)
                }
                Event::Continue | Event::LoggedIn => continue,
            };
            return Ok(Some(part));
        }
    }

    /// How the response ended, once [`ResponseStream::next_chunk`] returned `None`.
    pub fn end(&self) -> Option<&ResponseEnd> {
        self.end.as_ref()
    }
}
