//! Login response messages (`1000`, `1001`, `1002` with 0x1E separators) and the welcome
//! text parser.
#![no_main]

use bareos_proto::message::{ResponseMessage, Welcome};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = ResponseMessage::parse(data) {
        let _ = Welcome::parse(&message.text());
    }
    let _ = Welcome::parse(&String::from_utf8_lossy(data));
});
