//! The API 2 reply parser: JSON-RPC envelopes, optionally after text (job messages).
#![no_main]

use bareos_proto::jsonrpc::parse_reply;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(reply) = parse_reply(data) {
        assert!(
            reply.result().is_some()
                || reply.error().is_some()
                || reply.envelope.get("error").is_some()
        );
        if let Some(error) = reply.error() {
            let _ = error.error_messages();
        }
    }
});
