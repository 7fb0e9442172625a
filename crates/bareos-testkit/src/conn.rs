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
}

impl Conn {
    pub fn new(io: Box<dyn Stream>, id: u64, recorder: Recorder, cipher: Option<String>) -> Self {
        Conn {
            io,
            id,
            recorder,
            command_phase: false,
            trickle: None,
            cipher,
        }
    }

    /// Reads one frame; `Ok(None)` on a clean EOF at a frame boundary.
    pub async fn read_frame(&mut self) -> Result<Option<Frame>, ReadError> {
        let mut header = [0u8; 4];
        let mut got = 0;
        while got < 4 {
            let n = self.io.read(&mut header[got..]).await?;
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
                self.io.read_exact(&mut payload).await?;
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
