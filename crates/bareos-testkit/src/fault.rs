//! Fault injection: what goes wrong, and where.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Where a fault strikes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultPoint {
    /// After the hello was accepted, before the CRAM-MD5 challenge is sent.
    BeforeChallenge,
    /// Right after the welcome, before the first command is read.
    AfterLogin,
    /// When a command arrives whose trimmed line equals this text, or starts with it
    /// followed by a space (so `"list"` matches `list jobs`).
    OnCommand(String),
}

/// What goes wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Send a header announcing `announced` bytes, then `sent` of them, then close.
    CloseMidFrame {
        /// Length in the header.
        announced: usize,
        /// Payload bytes actually written before the close.
        sent: usize,
    },
    /// Never answer, keep the socket open (until the client or the daemon closes it).
    Stall,
    /// Send a header announcing 1,000,001 bytes (and a few bytes), then wait for the
    /// client to close.
    OversizedHeader,
    /// Send these bytes as they are, then close.
    Garbage(Vec<u8>),
    /// Send a signal with this (unknown, negative) code, then carry on normally.
    UnknownSignal(i32),
    /// Answer the client's CRAM-MD5 challenge as an impostor that does not know the
    /// password (the point is ignored: this happens during login).
    WrongCramAnswer,
    /// Make every TLS-PSK handshake fail (the point is ignored).
    TlsHandshakeFailure,
    /// Write every following frame (of this command, or of the whole session for the
    /// other points) one byte at a time with this pause.
    SlowTrickle(Duration),
    /// Answer with the output of this other command line.
    WrongOutput(String),
    /// Close the connection after the client answered the challenge, before the verdict
    /// (the point is ignored).
    CloseMidLogin,
    /// Think this long before answering, then answer normally (a long `wait`, a tape
    /// `mount`, `status client` of an unreachable client).
    Delay(Duration),
    /// In the interactive PAM conversation, ask for the password again after every
    /// answer, without end (the point is ignored).
    EndlessPamPrompts,
}

impl Fault {
    /// Default garbage: an HTTP error line, which reads as an oversized header.
    pub fn garbage() -> Fault {
        Fault::Garbage(b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec())
    }
}

/// A fault and the point where it applies, optionally only once.
#[derive(Clone, Debug)]
pub struct FaultSpec {
    pub(crate) point: FaultPoint,
    pub(crate) fault: Fault,
    once: bool,
    used: Arc<AtomicBool>,
}

impl FaultSpec {
    /// A fault applied at `point` on every connection.
    pub fn new(point: FaultPoint, fault: Fault) -> Self {
        FaultSpec {
            point,
            fault,
            once: false,
            used: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A fault applied when the command `line` arrives.
    pub fn on_command(line: impl Into<String>, fault: Fault) -> Self {
        Self::new(FaultPoint::OnCommand(line.into()), fault)
    }

    /// A fault during login (for the faults whose point is ignored).
    pub fn login(fault: Fault) -> Self {
        Self::new(FaultPoint::BeforeChallenge, fault)
    }

    /// Applies the fault to the first matching occasion only.
    pub fn once(mut self) -> Self {
        self.once = true;
        self
    }

    /// The point.
    pub fn point(&self) -> &FaultPoint {
        &self.point
    }

    /// The fault.
    pub fn fault(&self) -> &Fault {
        &self.fault
    }

    /// Consumes one use; false if a `once` fault already fired.
    pub(crate) fn fire(&self) -> bool {
        !self.once || !self.used.swap(true, Ordering::SeqCst)
    }

    pub(crate) fn matches_command(&self, line: &str) -> bool {
        match &self.point {
            FaultPoint::OnCommand(pattern) => {
                let line = line.trim();
                line == pattern
                    || line
                        .strip_prefix(pattern.as_str())
                        .is_some_and(|rest| rest.starts_with(' '))
            }
            _ => false,
        }
    }
}

/// The configured faults of one daemon.
#[derive(Clone, Debug, Default)]
pub(crate) struct Faults(pub Vec<FaultSpec>);

impl Faults {
    /// The first fault of this kind whose point is `point` (consuming a `once` use).
    pub fn at(&self, point: &FaultPoint) -> Option<Fault> {
        self.0
            .iter()
            .find(|f| &f.point == point && !is_login_fault(&f.fault) && f.fire())
            .map(|f| f.fault.clone())
    }

    /// The first fault for this command line.
    pub fn for_command(&self, line: &str) -> Option<Fault> {
        self.0
            .iter()
            .find(|f| f.matches_command(line) && f.fire())
            .map(|f| f.fault.clone())
    }

    /// Whether a login-only fault is configured (and still armed).
    pub fn login(&self, wanted: &Fault) -> bool {
        self.0
            .iter()
            .any(|f| std::mem::discriminant(&f.fault) == std::mem::discriminant(wanted) && f.fire())
    }
}

fn is_login_fault(fault: &Fault) -> bool {
    matches!(
        fault,
        Fault::WrongCramAnswer
            | Fault::TlsHandshakeFailure
            | Fault::CloseMidLogin
            | Fault::EndlessPamPrompts
    )
}

/// Applies the transport-level faults; `WrongOutput`, `SlowTrickle` and the login faults
/// are handled by their callers. Returns false when the connection is finished.
pub(crate) async fn apply(conn: &mut crate::conn::Conn, fault: &Fault) -> bool {
    match fault {
        Fault::CloseMidFrame { announced, sent } => {
            let mut bytes = (*announced as i32).to_be_bytes().to_vec();
            bytes.extend(vec![b'x'; (*sent).min(*announced)]);
            let _ = conn.write_raw(&bytes).await;
            conn.close().await;
            false
        }
        Fault::Stall => {
            conn.stall().await;
            false
        }
        Fault::OversizedHeader => {
            let mut bytes = 1_000_001i32.to_be_bytes().to_vec();
            bytes.extend_from_slice(b"oversized");
            let _ = conn.write_raw(&bytes).await;
            let _ = tokio::time::timeout(Duration::from_secs(10), conn.stall()).await;
            false
        }
        Fault::Garbage(bytes) => {
            let _ = conn.write_raw(bytes).await;
            conn.close().await;
            false
        }
        Fault::UnknownSignal(code) => {
            let signal = bareos_proto::Signal::from_code(*code);
            conn.signal(signal).await.is_ok()
        }
        Fault::SlowTrickle(pause) => {
            conn.trickle = Some(*pause);
            true
        }
        Fault::Delay(pause) => {
            tokio::time::sleep(*pause).await;
            true
        }
        _ => true,
    }
}
