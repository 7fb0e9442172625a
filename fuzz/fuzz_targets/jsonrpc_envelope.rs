//! The API 2 reply parser: JSON-RPC envelopes, optionally after text (job messages), and
//! the two readers that do not build the tree, which must agree with it.
#![no_main]

use bareos_proto::jsonrpc::{locate_reply, parse_reply, result_text};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let parsed = parse_reply(data);
    if let Ok(reply) = &parsed {
        assert!(
            reply.result().is_some()
                || reply.error().is_some()
                || reply.envelope.get("error").is_some()
        );
        if let Some(error) = reply.error() {
            let _ = error.error_messages();
        }
    }
    let located = locate_reply(data);
    match (&parsed, &located) {
        (Ok(reply), Ok(located)) => {
            let value: Value = serde_json::from_str(&located.envelope).unwrap();
            assert_eq!(value, reply.envelope);
            assert_eq!(located.leading_text, reply.leading_text);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        // A number beyond f64, nesting beyond 128: JSON all the same, only the tree
        // builder refuses them.
        (Err(_), Ok(located)) if beyond_a_tree_limit(&located.envelope) => {}
        (a, b) => panic!("parse_reply {a:?} but locate_reply {b:?}"),
    }
    if let Some(raw) = result_text(data) {
        match &parsed {
            Ok(reply) => {
                let value: Value = serde_json::from_str(raw.get()).unwrap();
                assert_eq!(Some(&value), reply.envelope.get("result"));
                assert!(reply.envelope.get("error").is_none());
            }
            Err(_) if located.is_ok_and(|l| beyond_a_tree_limit(&l.envelope)) => {}
            Err(error) => panic!("a result text of a reply parse_reply refuses: {error:?}"),
        }
    }
});

/// Whether `json` is refused by the tree builder for one of its limits only.
fn beyond_a_tree_limit(json: &str) -> bool {
    serde_json::from_str::<Value>(json).is_err_and(|error| {
        let reason = error.to_string();
        reason.starts_with("number out of range") || reason.starts_with("recursion limit")
    })
}
