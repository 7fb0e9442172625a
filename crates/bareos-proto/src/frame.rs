//! Frames: the 4-byte big-endian signed header and its payload.
//!
//! A positive header is followed by that many payload bytes, a zero header is an empty
//! data frame, and a negative header is a [`Signal`].

use crate::error::ProtocolError;
use crate::signal::Signal;

/// The largest payload a frame may carry; larger headers are refused.
pub const MAX_FRAME_PAYLOAD: usize = 1_000_000;

/// The largest payload the daemons put into one frame; longer messages are split.
pub const MAX_MESSAGE_LEN: usize = 999_996;

/// One unit on the wire.
#[derive(Clone, PartialEq, Eq)]
pub enum Frame {
    /// A data frame (possibly empty).
    Data(Vec<u8>),
    /// A signal frame.
    Signal(Signal),
}

impl Frame {
    /// Appends the wire form of this frame to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), ProtocolError> {
        match self {
            Frame::Data(payload) => encode_data(payload, out),
            Frame::Signal(signal) => {
                encode_signal(*signal, out);
                Ok(())
            }
        }
    }

    /// The wire form of this frame.
    pub fn encode(&self) -> Result<Vec<u8>, ProtocolError> {
        let mut out = Vec::new();
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// The payload of a data frame, `None` for a signal.
    pub fn data(&self) -> Option<&[u8]> {
        match self {
            Frame::Data(payload) => Some(payload),
            Frame::Signal(_) => None,
        }
    }
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Frame::Data(payload) if payload.len() <= 200 => {
                write!(f, "Data({:?})", String::from_utf8_lossy(payload))
            }
            Frame::Data(payload) => write!(f, "Data({} bytes)", payload.len()),
            Frame::Signal(signal) => write!(f, "Signal({signal})"),
        }
    }
}

/// What a frame header announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Header {
    /// A data frame with this many payload bytes (0 allowed).
    Data(usize),
    /// A signal; no payload follows.
    Signal(Signal),
}

impl Header {
    /// Decodes a header, refusing payloads over [`MAX_FRAME_PAYLOAD`].
    pub fn parse(bytes: [u8; 4]) -> Result<Header, ProtocolError> {
        let value = i32::from_be_bytes(bytes);
        if value < 0 {
            Ok(Header::Signal(Signal::from_code(value)))
        } else if value as usize > MAX_FRAME_PAYLOAD {
            Err(ProtocolError::FrameTooLarge {
                len: value as usize,
            })
        } else {
            Ok(Header::Data(value as usize))
        }
    }
}

/// Appends a data frame with `payload` to `out`, header and payload in one buffer.
pub fn encode_data(payload: &[u8], out: &mut Vec<u8>) -> Result<(), ProtocolError> {
    if payload.len() > MAX_FRAME_PAYLOAD {
        return Err(ProtocolError::FrameTooLarge { len: payload.len() });
    }
    out.reserve(4 + payload.len());
    out.extend_from_slice(&(payload.len() as i32).to_be_bytes());
    out.extend_from_slice(payload);
    Ok(())
}

/// Appends a signal frame to `out`.
pub fn encode_signal(signal: Signal, out: &mut Vec<u8>) {
    out.extend_from_slice(&signal.code().to_be_bytes());
}

/// Splits a long message into frames of at most [`MAX_MESSAGE_LEN`] bytes, the way the
/// daemons send it.
pub fn encode_message(message: &[u8], out: &mut Vec<u8>) {
    if message.is_empty() {
        out.extend_from_slice(&0i32.to_be_bytes());
        return;
    }
    for chunk in message.chunks(MAX_MESSAGE_LEN) {
        out.extend_from_slice(&(chunk.len() as i32).to_be_bytes());
        out.extend_from_slice(chunk);
    }
}

/// Incremental decoder: push bytes as they arrive, pull complete frames.
///
/// ```
/// use bareos_proto::{Frame, FrameDecoder, Signal};
/// let mut decoder = FrameDecoder::new();
/// decoder.push(&[0, 0, 0, 2, b'o']);
/// assert_eq!(decoder.next_frame().unwrap(), None);
/// decoder.push(&[b'k', 0xff, 0xff, 0xff, 0xff]);
/// assert_eq!(decoder.next_frame().unwrap(), Some(Frame::Data(b"ok".to_vec())));
/// assert_eq!(decoder.next_frame().unwrap(), Some(Frame::Signal(Signal::Eod)));
/// ```
#[derive(Debug, Default)]
pub struct FrameDecoder {
    buffer: Vec<u8>,
    start: usize,
    failed: bool,
}

impl FrameDecoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start * 2 >= self.buffer.len() {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(bytes);
    }

    /// Bytes received but not yet returned as frames.
    pub fn buffered(&self) -> usize {
        self.buffer.len() - self.start
    }

    /// The next complete frame, `Ok(None)` if more bytes are needed, or an error for an
    /// oversized header (after which the decoder stays failed).
    pub fn next_frame(&mut self) -> Result<Option<Frame>, ProtocolError> {
        if self.failed {
            return Err(ProtocolError::DecoderFailed);
        }
        let available = &self.buffer[self.start..];
        if available.len() < 4 {
            return Ok(None);
        }
        let header = [available[0], available[1], available[2], available[3]];
        match Header::parse(header) {
            Err(error) => {
                self.failed = true;
                Err(error)
            }
            Ok(Header::Signal(signal)) => {
                self.start += 4;
                Ok(Some(Frame::Signal(signal)))
            }
            Ok(Header::Data(len)) => {
                if available.len() < 4 + len {
                    return Ok(None);
                }
                let payload = available[4..4 + len].to_vec();
                self.start += 4 + len;
                Ok(Some(Frame::Data(payload)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_spec() {
        for (frame, wire) in [
            (
                Frame::Data(b"whoami".to_vec()),
                &b"\x00\x00\x00\x06whoami"[..],
            ),
            (Frame::Data(Vec::new()), &[0, 0, 0, 0]),
            (Frame::Signal(Signal::Eod), &[0xff, 0xff, 0xff, 0xff]),
            (Frame::Signal(Signal::Terminate), &[0xff, 0xff, 0xff, 0xfc]),
            (Frame::Signal(Signal::MainPrompt), &[0xff, 0xff, 0xff, 0xee]),
            (Frame::Signal(Signal::TextInput), &[0xff, 0xff, 0xff, 0xe4]),
        ] {
            assert_eq!(frame.encode().unwrap(), wire, "{frame:?}");
        }
    }

    #[test]
    fn limits() {
        assert!(Header::parse(1_000_000i32.to_be_bytes()).is_ok());
        let err = Header::parse(1_000_001i32.to_be_bytes()).unwrap_err();
        assert!(err.to_string().contains("1000001"));
        assert!(encode_data(&vec![0; 1_000_001], &mut Vec::new()).is_err());
        let mut decoder = FrameDecoder::new();
        decoder.push(&i32::MAX.to_be_bytes());
        assert!(decoder.next_frame().is_err());
        assert!(decoder.next_frame().is_err());
    }

    #[test]
    fn splits_long_messages() {
        let mut out = Vec::new();
        encode_message(&vec![b'x'; MAX_MESSAGE_LEN * 2 + 5], &mut out);
        let mut decoder = FrameDecoder::new();
        decoder.push(&out);
        let mut sizes = Vec::new();
        while let Some(frame) = decoder.next_frame().unwrap() {
            sizes.push(frame.data().unwrap().len());
        }
        assert_eq!(sizes, [MAX_MESSAGE_LEN, MAX_MESSAGE_LEN, 5]);
    }

    #[test]
    fn byte_by_byte() {
        let mut wire = Vec::new();
        encode_data(b"hello", &mut wire).unwrap();
        encode_signal(Signal::Unknown(-77), &mut wire);
        encode_data(b"", &mut wire).unwrap();
        let mut decoder = FrameDecoder::new();
        let mut frames = Vec::new();
        for byte in wire {
            decoder.push(&[byte]);
            while let Some(frame) = decoder.next_frame().unwrap() {
                frames.push(frame);
            }
        }
        assert_eq!(
            frames,
            [
                Frame::Data(b"hello".to_vec()),
                Frame::Signal(Signal::Unknown(-77)),
                Frame::Data(Vec::new())
            ]
        );
        assert_eq!(decoder.buffered(), 0);
    }

    #[test]
    fn many_frames_in_one_push_and_a_partial_one() {
        let mut wire = Vec::new();
        for i in 0..1000u32 {
            encode_data(&i.to_be_bytes(), &mut wire).unwrap();
        }
        encode_signal(Signal::Eod, &mut wire);
        // Not UTF-8: every byte value.
        let binary: Vec<u8> = (0..=255u8).rev().collect();
        encode_data(&binary, &mut wire).unwrap();
        let cut = wire.len() - 100;
        let mut decoder = FrameDecoder::new();
        decoder.push(&wire[..cut]);
        let mut frames = Vec::new();
        while let Some(frame) = decoder.next_frame().unwrap() {
            frames.push(frame);
        }
        assert_eq!(frames.len(), 1001);
        assert_eq!(decoder.buffered(), 4 + 256 - 100);
        decoder.push(&wire[cut..]);
        assert_eq!(decoder.next_frame().unwrap(), Some(Frame::Data(binary)));
        assert_eq!(decoder.next_frame().unwrap(), None);
        for (i, frame) in frames.iter().take(1000).enumerate() {
            assert_eq!(frame.data().unwrap(), (i as u32).to_be_bytes());
        }
        assert_eq!(frames[1000], Frame::Signal(Signal::Eod));
    }

    #[test]
    fn header_split_across_pushes() {
        let mut wire = Vec::new();
        encode_data(b"\xff\xfe\x80", &mut wire).unwrap();
        let mut decoder = FrameDecoder::new();
        decoder.push(&wire[..2]);
        assert_eq!(decoder.next_frame().unwrap(), None);
        decoder.push(&wire[2..5]);
        assert_eq!(decoder.next_frame().unwrap(), None);
        decoder.push(&wire[5..]);
        assert_eq!(
            decoder.next_frame().unwrap(),
            Some(Frame::Data(vec![0xff, 0xfe, 0x80]))
        );
        assert_eq!(decoder.buffered(), 0);
    }
}
