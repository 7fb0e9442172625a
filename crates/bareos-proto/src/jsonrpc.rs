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
    let (start, value) = find_document(buffer, serde_json::from_slice::<Value>)?;
    if value.get("result").is_none() && value.get("error").is_none() {
        return Err(not_an_envelope(&value.to_string()));
    }
    Ok(JsonReply {
        envelope: value,
        leading_text: buffer[..start].to_vec(),
    })
}

/// A reply's JSON-RPC envelope as the director sent it, for a caller that parses the
/// text itself (the Python package hands it to `json.loads`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonReplyText {
    /// The envelope's JSON text, unchanged.
    pub envelope: String,
    /// Bytes received before the JSON document (empty in the usual case).
    pub leading_text: Vec<u8>,
}

/// Finds the envelope as [`parse_reply`] does, with the same errors, but checks the
/// document without building its tree, and returns its text. The limits of building a
/// tree do not apply: a number beyond the range of `f64` (`1e400`) and nesting deeper
/// than 128 levels are JSON all the same and pass here (`parse_reply` refuses them); the
/// caller's parser decides.
///
/// ```
/// use bareos_proto::jsonrpc::locate_reply;
/// let reply = locate_reply(b"job message\n{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"api\":2}}").unwrap();
/// assert_eq!(reply.envelope, r#"{"jsonrpc":"2.0","id":null,"result":{"api":2}}"#);
/// assert_eq!(reply.leading_text, b"job message\n");
/// ```
pub fn locate_reply(buffer: &[u8]) -> Result<JsonReplyText, JsonReplyError> {
    use serde_json::value::RawValue;
    // On failure the error is the one `parse_reply` gives (the two parsers word their
    // reasons differently); failing is the rare case.
    let same_error = |error: JsonReplyError| parse_reply(buffer).err().unwrap_or(error);
    let (start, document) =
        find_document(buffer, serde_json::from_slice::<&RawValue>).map_err(same_error)?;
    let text = document.get();
    // The top level's members, each value only checked, not built.
    let members = serde_json::from_str::<std::collections::HashMap<String, &RawValue>>(text);
    if !members.is_ok_and(|m| m.contains_key("result") || m.contains_key("error")) {
        return Err(same_error(not_an_envelope(text)));
    }
    Ok(JsonReplyText {
        envelope: text.to_string(),
        leading_text: buffer[..start].to_vec(),
    })
}

/// The `result` of a reply as the director sent it, unparsed: `Some` when `buffer` holds
/// (after any leading text, as [`parse_reply`] finds it) an envelope with a non-null
/// `result` and no `error`. Anything else is `None`, and so is an envelope that names a
/// member twice: [`parse_reply`] says what it is. The limits of building a tree do not
/// apply, as in [`locate_reply`].
///
/// For a caller that passes a result on as JSON, no tree is built.
///
/// ```
/// use bareos_proto::jsonrpc::result_text;
/// let result = result_text(b"{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"api\":2}}").unwrap();
/// assert_eq!(result.get(), r#"{"api":2}"#);
/// assert!(result_text(br#"{"jsonrpc":"2.0","id":null,"error":{"code":1}}"#).is_none());
/// ```
pub fn result_text(buffer: &[u8]) -> Option<Box<serde_json::value::RawValue>> {
    /// The members that matter; the others are skipped unparsed.
    #[derive(serde::Deserialize)]
    struct Members {
        result: Option<Box<serde_json::value::RawValue>>,
        /// Present, whatever its value (`"error": null` is an error envelope too).
        #[serde(default, deserialize_with = "present")]
        error: Option<serde::de::IgnoredAny>,
    }
    fn present<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<serde::de::IgnoredAny>, D::Error> {
        serde::Deserialize::deserialize(deserializer).map(Some)
    }
    // Only an object: a derived struct would also take an array (`[5]`) as its fields.
    let object = |bytes: &[u8]| match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => serde_json::from_slice::<Members>(bytes),
        _ => Err(serde::de::Error::custom("not an object")),
    };
    let (_, members) = find_document(buffer, object).ok()?;
    match members {
        Members {
            result: Some(result),
            error: None,
        } => Some(result),
        _ => None,
    }
}

/// Where the document starts in `buffer`, and what `parse` made of it.
fn find_document<'a, T>(
    buffer: &'a [u8],
    parse: impl Fn(&'a [u8]) -> serde_json::Result<T>,
) -> Result<(usize, T), JsonReplyError> {
    let trimmed_len = buffer.len()
        - buffer
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    if trimmed_len == 0 {
        return Err(JsonReplyError::Empty);
    }
    let first_error = match parse(buffer) {
        Ok(document) => return Ok((0, document)),
        Err(error) => error.to_string(),
    };
    let starts = (1..trimmed_len).filter(|&i| buffer[i] == b'{' && buffer[i - 1] == b'\n');
    for start in starts {
        if let Ok(document) = parse(&buffer[start..]) {
            return Ok((start, document));
        }
    }
    Err(JsonReplyError::InvalidJson {
        reason: first_error,
    })
}

/// The error for a document that is not an envelope, with its first 80 bytes (cut at a
/// character boundary).
fn not_an_envelope(text: &str) -> JsonReplyError {
    let mut end = text.len().min(80);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    JsonReplyError::NotAnEnvelope {
        got: text[..end].to_string(),
    }
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

    /// Replies of every kind: envelopes with and without leading text, errors, empty,
    /// not JSON, JSON that is not an envelope.
    fn reply_cases() -> Vec<Vec<u8>> {
        let long_key = format!("{{\"x{}\":1}}", "\u{e9}".repeat(60));
        let cases: Vec<&[u8]> = vec![
            br#"{"jsonrpc":"2.0","id":null,"result":{"a":[1,2.5,"x\u00e9"]}}"#,
            b"job 1 done\n{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":null}\n",
            b"job 1 done\n{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"b\":\"\\\"\"}}\n",
            br#"{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"failed"}}"#,
            br#"{"jsonrpc":"2.0","id":null,"result":{},"error":{"code":1}}"#,
            br#"{"jsonrpc":"2.0","id":null,"result":{"a":1},"error":null}"#,
            br#"{"result":[1,2],"result":[3]}"#,
            b"text\n{not json\n{\"result\":{}}",
            b"",
            b"  \n",
            b"not json",
            b"[1,2]",
            b"[5]",
            b"x\n{\"result\":{\"a\":1},\"id\":2e999}",
            b"[{\"a\":1},null]",
            b"{\"a\":1}",
            b"{\"b\": 1, \"a\": 2}",
            b"\r-",
            long_key.as_bytes(),
            b"{\"result\":1} trailing",
            b"{\"result\":[1e400]}",
            b"{\"result\":{\"n\":123456789012345678901234567890}}",
        ];
        let mut cases: Vec<Vec<u8>> = cases.into_iter().map(<[u8]>::to_vec).collect();
        let deep = format!("{{\"result\":{}1{}}}", "[".repeat(200), "]".repeat(200));
        cases.push(deep.into_bytes());
        cases
    }

    /// Whether the tree builder refuses `json` for one of its limits only.
    fn beyond_a_tree_limit(json: &str) -> bool {
        serde_json::from_str::<Value>(json).is_err_and(|error| {
            let reason = error.to_string();
            reason.starts_with("number out of range") || reason.starts_with("recursion limit")
        })
    }

    fn text_of(case: &str) -> Option<String> {
        result_text(case.as_bytes()).map(|raw| raw.get().to_string())
    }

    #[test]
    fn result_text_agrees_with_the_parsed_reply() {
        for case in reply_cases() {
            let expected = parse_reply(&case).ok().and_then(|reply| {
                let result = reply.envelope.get("result").filter(|r| !r.is_null())?;
                reply
                    .envelope
                    .get("error")
                    .is_none()
                    .then(|| result.clone())
            });
            let case = String::from_utf8_lossy(&case);
            if case.contains(r#""result":[1,2],"result""#) {
                assert_eq!(
                    text_of(&case),
                    None,
                    "a member twice is left to parse_reply"
                );
            } else if locate_reply(case.as_bytes())
                .is_ok_and(|located| beyond_a_tree_limit(&located.envelope))
            {
                // parse_reply refuses it; the result is passed on as written.
                let result = text_of(&case).expect("a result");
                assert!(case.contains(&format!("{{\"result\":{result}")), "{case:?}");
            } else {
                let got = text_of(&case).map(|raw| serde_json::from_str::<Value>(&raw).unwrap());
                assert_eq!(got, expected, "{case:?}");
            }
        }
    }

    #[test]
    fn located_text_agrees_with_the_parsed_reply() {
        for case in reply_cases() {
            let case = case.as_slice();
            let parsed = parse_reply(case);
            let located = locate_reply(case);
            match (parsed, located) {
                (Ok(parsed), Ok(located)) => {
                    let value: Value = serde_json::from_str(&located.envelope).unwrap();
                    assert_eq!(value, parsed.envelope);
                    assert_eq!(located.leading_text, parsed.leading_text);
                }
                (Err(parsed), Err(located)) => assert_eq!(parsed, located),
                (Err(_), Ok(located)) if beyond_a_tree_limit(&located.envelope) => {
                    assert!(case.ends_with(located.envelope.as_bytes()));
                }
                (parsed, located) => panic!("{case:?}: {parsed:?} vs {located:?}"),
            }
        }
    }
}
