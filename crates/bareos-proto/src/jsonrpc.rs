//! The JSON-RPC envelope of API mode 2.

use serde_json::Value;

/// The command that switches a connection to compact JSON (API mode 2).
pub const API2_COMPACT_COMMAND: &str = ".api 2 compact=yes";

/// A JSON reply of the director: the envelope, plus any raw text that came before it
/// (for example job messages).
#[derive(Clone, Debug, PartialEq)]
pub struct JsonReply {
    /// The whole envelope `{"jsonrpc":"2.0","id":null,"result"|"error":...}`.
    pub envelope: Value,
    /// Bytes received before the JSON document (empty in the usual case).
    pub leading_text: Vec<u8>,
}

/// The `error` member of an envelope.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonRpcError {
    /// `error.code` (always 1 on current directors).
    pub code: i64,
    /// `error.message` (always `failed` on current directors).
    pub message: String,
    /// `error.data`, with `result` and `messages`.
    pub data: Option<Value>,
}

impl JsonRpcError {
    /// The texts of `data.messages.error` (the director's reasons), trimmed.
    pub fn error_messages(&self) -> Vec<String> {
        self.messages_of("error")
    }

    /// The texts of `data.messages.<kind>` (`error`, `warning`, `info`), trimmed.
    pub fn messages_of(&self, kind: &str) -> Vec<String> {
        self.data
            .as_ref()
            .and_then(|d| d.get("messages"))
            .and_then(|m| m.get(kind))
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|s| s.trim_end().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl JsonReply {
    /// The `result` member, if the envelope is a success.
    pub fn result(&self) -> Option<&Value> {
        self.envelope.get("result")
    }

    /// The `error` member, if the envelope is an error.
    pub fn error(&self) -> Option<JsonRpcError> {
        let error = self.envelope.get("error")?;
        Some(JsonRpcError {
            code: error.get("code").and_then(Value::as_i64).unwrap_or(0),
            message: error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            data: error.get("data").cloned(),
        })
    }
}

/// Why a reply is not a JSON-RPC envelope.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JsonReplyError {
    /// The reply was empty (e.g. after an empty command).
    #[error("expected a JSON-RPC document, got an empty reply")]
    Empty,
    /// No JSON document could be found.
    #[error("expected a JSON-RPC document, got invalid JSON: {reason}")]
    InvalidJson {
        /// The parser's complaint.
        reason: String,
    },
    /// JSON, but not an envelope with `result` or `error`.
    #[error("expected a JSON-RPC envelope with \"result\" or \"error\", got {got}")]
    NotAnEnvelope {
        /// A short excerpt of the document.
        got: String,
    },
}

/// Finds the JSON-RPC document in a reply: the whole buffer if it parses, otherwise the
/// last document starting at the beginning of a line, with the text before it kept.
///
/// ```
/// use bareos_proto::jsonrpc::parse_reply;
/// let reply = parse_reply(b"job message\n{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"api\":2}}").unwrap();
/// assert_eq!(reply.result().unwrap()["api"], 2);
/// assert_eq!(reply.leading_text, b"job message\n");
/// ```
pub fn parse_reply(buffer: &[u8]) -> Result<JsonReply, JsonReplyError> {
    let trimmed_len = buffer.len()
        - buffer
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    if trimmed_len == 0 {
        return Err(JsonReplyError::Empty);
    }
    let first_error = match serde_json::from_slice::<Value>(buffer) {
        Ok(value) => return envelope(value, Vec::new()),
        Err(error) => error.to_string(),
    };
    let starts = (1..trimmed_len).filter(|&i| buffer[i] == b'{' && buffer[i - 1] == b'\n');
    for start in starts {
        if let Ok(value) = serde_json::from_slice::<Value>(&buffer[start..]) {
            return envelope(value, buffer[..start].to_vec());
        }
    }
    Err(JsonReplyError::InvalidJson {
        reason: first_error,
    })
}

fn envelope(value: Value, leading_text: Vec<u8>) -> Result<JsonReply, JsonReplyError> {
    if value.get("result").is_none() && value.get("error").is_none() {
        let mut got = value.to_string();
        got.truncate(80);
        return Err(JsonReplyError::NotAnEnvelope { got });
    }
    Ok(JsonReply {
        envelope: value,
        leading_text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_and_error() {
        let ok =
            parse_reply(br#"{"jsonrpc":"2.0","id":null,"result":{"whoami":"admin"}}"#).unwrap();
        assert_eq!(ok.result().unwrap()["whoami"], "admin");
        assert!(ok.error().is_none());
        let err = parse_reply(br#"{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"failed","data":{"result":{},"messages":{"error":["foo: is an invalid command.\n"]}}}}"#).unwrap();
        let e = err.error().unwrap();
        assert_eq!(e.code, 1);
        assert_eq!(e.message, "failed");
        assert_eq!(e.error_messages(), ["foo: is an invalid command."]);
    }

    #[test]
    fn pretty_and_failures() {
        let pretty =
            b"{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"api\": 2\n  }\n}";
        assert_eq!(parse_reply(pretty).unwrap().result().unwrap()["api"], 2);
        assert_eq!(parse_reply(b"").unwrap_err(), JsonReplyError::Empty);
        assert!(matches!(
            parse_reply(b"not json"),
            Err(JsonReplyError::InvalidJson { .. })
        ));
        assert!(matches!(
            parse_reply(b"{\"a\":1}"),
            Err(JsonReplyError::NotAnEnvelope { .. })
        ));
        let with_brace_text = b"{weird line\n{\"result\":{}}";
        assert_eq!(
            parse_reply(with_brace_text).unwrap().leading_text,
            b"{weird line\n"
        );
    }
}
