//! What clients sent and what the simulated daemons answered, kept for tests.

use bareos_proto::Frame;
use std::sync::{Arc, Mutex};

/// Direction of a recorded frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Client to server.
    ClientToServer,
    /// Server to client.
    ServerToClient,
}

/// One frame seen on a connection of a simulated daemon.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedFrame {
    /// Connection number, counted from 1 per daemon.
    pub conn: u64,
    /// Who sent it.
    pub direction: Direction,
    /// Whether the frame belongs to the command phase (after the welcome).
    pub command_phase: bool,
    /// The frame itself.
    pub frame: Frame,
}

/// Frames of all connections, bounded so a long-running daemon cannot grow without end.
#[derive(Clone, Default)]
pub(crate) struct Recorder {
    inner: Arc<Mutex<Vec<RecordedFrame>>>,
}

/// At most this many frames are kept (large payloads are truncated to 64 KiB).
const MAX_RECORDED: usize = 100_000;
const MAX_RECORDED_PAYLOAD: usize = 64 * 1024;

impl Recorder {
    pub fn push(&self, conn: u64, direction: Direction, command_phase: bool, frame: &Frame) {
        let frame = match frame {
            Frame::Data(d) if d.len() > MAX_RECORDED_PAYLOAD => {
                Frame::Data(d[..MAX_RECORDED_PAYLOAD].to_vec())
            }
            other => other.clone(),
        };
        let mut frames = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if frames.len() < MAX_RECORDED {
            frames.push(RecordedFrame {
                conn,
                direction,
                command_phase,
                frame,
            });
        }
    }

    pub fn snapshot(&self) -> Vec<RecordedFrame> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
