//! The frame decoder on arbitrary bytes, pushed in pieces: never panics, never returns a
//! frame over the 1,000,000-byte cap, and every frame it returns encodes back to the
//! bytes it came from.
#![no_main]

use bareos_proto::{Frame, FrameDecoder, MAX_FRAME_PAYLOAD};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&split, wire)) = data.split_first() else {
        return;
    };
    let piece = usize::from(split).max(1);
    let mut decoder = FrameDecoder::new();
    let mut decoded = Vec::new();
    'feed: for chunk in wire.chunks(piece) {
        decoder.push(chunk);
        loop {
            match decoder.next_frame() {
                Ok(Some(frame)) => {
                    if let Frame::Data(payload) = &frame {
                        assert!(payload.len() <= MAX_FRAME_PAYLOAD);
                    }
                    frame
                        .encode_into(&mut decoded)
                        .expect("a decoded frame encodes");
                }
                Ok(None) => break,
                Err(_) => break 'feed,
            }
        }
    }
    assert!(
        wire.starts_with(&decoded),
        "re-encoding differs from the input"
    );
});
