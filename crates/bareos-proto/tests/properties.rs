//! Property tests: arbitrary input never panics, and encoding round-trips.

use bareos_proto::base64::{encode, Base64Variant};
use bareos_proto::cram::Challenge;
use bareos_proto::hello::Hello;
use bareos_proto::jsonrpc::parse_reply;
use bareos_proto::message::{ResponseMessage, Welcome};
use bareos_proto::{
    ClientSession, Frame, FrameDecoder, Password, SessionConfig, Signal, MAX_FRAME_PAYLOAD,
};
use proptest::prelude::*;

fn frame_strategy() -> impl Strategy<Value = Frame> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(Frame::Data),
        (i32::MIN..0).prop_map(|code| Frame::Signal(Signal::from_code(code))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000), split in 1usize..64) {
        let mut decoder = FrameDecoder::new();
        for chunk in bytes.chunks(split) {
            decoder.push(chunk);
            loop {
                match decoder.next_frame() {
                    Ok(Some(Frame::Data(payload))) => prop_assert!(payload.len() <= MAX_FRAME_PAYLOAD),
                    Ok(Some(Frame::Signal(_))) => {}
                    Ok(None) | Err(_) => break,
                }
            }
        }
    }

    #[test]
    fn frames_round_trip(frames in proptest::collection::vec(frame_strategy(), 0..20), split in 1usize..50) {
        let mut wire = Vec::new();
        for frame in &frames {
            frame.encode_into(&mut wire).unwrap();
        }
        let mut decoder = FrameDecoder::new();
        let mut decoded = Vec::new();
        for chunk in wire.chunks(split) {
            decoder.push(chunk);
            while let Some(frame) = decoder.next_frame().unwrap() {
                decoded.push(frame);
            }
        }
        prop_assert_eq!(decoded, frames);
        prop_assert_eq!(decoder.buffered(), 0);
    }

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = Challenge::parse(&bytes);
        let _ = Hello::parse(&bytes);
        let _ = ResponseMessage::parse(&bytes);
        let _ = parse_reply(&bytes);
        let _ = Welcome::parse(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn session_survives_any_frames(frames in proptest::collection::vec(frame_strategy(), 0..30), eof in any::<bool>()) {
        let mut session = ClientSession::new(SessionConfig::console("admin", Password::new("secret")));
        for frame in frames {
            if session.handle_frame(frame).is_err() {
                break;
            }
            let _ = session.take_output();
        }
        if eof {
            let _ = session.handle_eof();
        }
    }

    #[test]
    fn standard_base64_matches_reference(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        use base64::Engine;
        let reference = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes);
        prop_assert_eq!(encode(&bytes, Base64Variant::Standard), reference);
        let legacy = encode(&bytes, Base64Variant::Legacy);
        prop_assert_eq!(legacy.len(), (bytes.len() * 8).div_ceil(6));
    }
}
