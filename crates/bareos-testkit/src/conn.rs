//! A framed connection (cleartext or TLS) with one write per frame, bounded reads,
//! recording and the slow-trickle fault.

use crate::record::{Direction, Recorder};
use bareos_proto::{Frame, Header, Signal};
use std::io;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Any byte stream a connection can run over.
pub(crate) trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// Why reading a frame failed.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Socket error or EOF inside a frame.
    Io,
    /// A header announced more than 1,000,000 bytes.
    Oversized,
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> Self {
        ReadError::Io
    }
}

/// A framed connection of a simulated daemon.
pub(crate) struct Conn {
    io: Box<dyn Stream>,
    pub id: u64,
    pub recorder: Recorder,
    pub command_phase: bool,
    /// When set, every write goes out one byte at a time with this pause.
    pub trickle: Option<Duration>,
    /// TLS cipher and version, if the connection is encrypted.
    pub cipher: Option<String>,
    /// Bytes read ahead by [`Conn::closed`], read again by the next frame.
    read_ahead: Vec<u8>,
}

/// How much [`Conn::closed`] keeps of what the client sends meanwhile.
const READ_AHEAD_LIMIT: usize = 1_000_004;

impl Conn {
    pub fn new(io: Box<dyn Stream>, id: u64, recorder: Recorder, cipher: Option<String>) -> Self {
        Conn {
            io,
            id,
            recorder,
            command_phase: false,
            trickle: None,
            cipher,
            read_ahead: Vec::new(),
        }
    }

    /// Reads into `buf`: the bytes read ahead first, then the stream.
    async fn read_some(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.read_ahead.is_empty() {
            let n = buf.len().min(self.read_ahead.len());
            buf[..n].copy_from_slice(&self.read_ahead[..n]);
            self.read_ahead.drain(..n);
            return Ok(n);
        }
        self.io.read(buf).await
    }

    /// Resolves when the client closes the connection (or it fails); what the client
    /// sends meanwhile is kept for the next [`Conn::read_frame`]. Cancel-safe: for
    /// waiting on something else at the same time (`wait`).
    pub async fn closed(&mut self) {
        let mut chunk = [0u8; 4096];
        loop {
            if self.read_ahead.len() >= READ_AHEAD_LIMIT {
                // Enough typed ahead; stop reading until the wait ends.
                std::future::pending::<()>().await;
            }
            match self.io.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => self.read_ahead.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// Reads one frame; `Ok(None)` on a clean EOF at a frame boundary.
    pub async fn read_frame(&mut self) -> Result<Option<Frame>, ReadError> {
        let mut header = [0u8; 4];
        let mut got = 0;
        while got < 4 {
            let n = self.read_some(&mut header[got..]).await?;
            if n == 0 {
                if got == 0 {
                    return Ok(None);
                }
                return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into());
            }
            got += n;
        }
        let frame = match Header::parse(header).map_err(|_| ReadError::Oversized)? {
            Header::Signal(signal) => Frame::Signal(signal),
            Header::Data(len) => {
                let mut payload = vec![0u8; len];
                let mut filled = 0;
                while filled < len {
                    match self.read_some(&mut payload[filled..]).await? {
                        0 => return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into()),
                        n => filled += n,
                    }
                }
                Frame::Data(payload)
            }
        };
        self.recorder.push(
            self.id,
            Direction::ClientToServer,
            self.command_phase,
            &frame,
        );
        Ok(Some(frame))
    }

    /// Sends one frame: header and payload in one buffer, one write.
    pub async fn send(&mut self, frame: &Frame) -> io::Result<()> {
        let mut buffer = Vec::new();
        frame
            .encode_into(&mut buffer)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        self.recorder.push(
            self.id,
            Direction::ServerToClient,
            self.command_phase,
            frame,
        );
        self.write_raw(&buffer).await
    }

    /// Sends a data frame.
    pub async fn data(&mut self, payload: impl AsRef<[u8]>) -> io::Result<()> {
        self.send(&Frame::Data(payload.as_ref().to_vec())).await
    }

    /// Sends a signal frame.
    pub async fn signal(&mut self, signal: Signal) -> io::Result<()> {
        self.send(&Frame::Signal(signal)).await
    }

    /// Writes bytes as they are (faults), honouring the trickle setting.
    pub async fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self.trickle {
            Some(pause) => {
                for byte in bytes {
                    self.io.write_all(std::slice::from_ref(byte)).await?;
                    self.io.flush().await?;
                    tokio::time::sleep(pause).await;
                }
                Ok(())
            }
            None => {
                self.io.write_all(bytes).await?;
                self.io.flush().await
            }
        }
    }

    /// Closes the connection (TLS close_notify where applicable).
    pub async fn close(&mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(2), self.io.shutdown()).await;
    }

    /// Keeps the connection open without answering until the peer closes it.
    pub async fn stall(&mut self) {
        let mut sink = [0u8; 4096];
        loop {
            match self.io.read(&mut sink).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn closed_keeps_what_was_typed_ahead_and_ends_at_eof() {
        runtime().block_on(async {
            let (ours, mut theirs) = tokio::io::duplex(64);
            let mut conn = Conn::new(Box::new(ours), 1, Recorder::default(), None);
            // A frame typed while the command runs, in two pieces.
            let mut frame = Vec::new();
            Frame::Data(b"list jobs".to_vec())
                .encode_into(&mut frame)
                .unwrap();
            theirs.write_all(&frame[..3]).await.unwrap();
            let waited = tokio::time::timeout(Duration::from_millis(100), conn.closed()).await;
            assert!(waited.is_err(), "the peer is still there");
            theirs.write_all(&frame[3..]).await.unwrap();
            let waited = tokio::time::timeout(Duration::from_millis(100), conn.closed()).await;
            assert!(waited.is_err(), "the peer is still there");
            drop(theirs);
            tokio::time::timeout(Duration::from_secs(2), conn.closed())
                .await
                .expect("the end of the connection is seen");
            let next = conn.read_frame().await.ok().flatten();
            assert_eq!(next, Some(Frame::Data(b"list jobs".to_vec())));
            assert!(matches!(conn.read_frame().await, Ok(None)));
        });
    }
}
