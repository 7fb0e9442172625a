//! A tiny ordered JSON value with the director's two layouts (compact and 2-space
//! indented), so key order is the order the director emits.

use std::fmt::Write;

/// A JSON value whose objects keep insertion order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// An empty object.
    pub fn obj() -> Json {
        Json::Obj(Vec::new())
    }

    /// A string value.
    pub fn s(text: impl Into<String>) -> Json {
        Json::Str(text.into())
    }

    /// Appends a key (objects only).
    pub fn with(mut self, key: &str, value: Json) -> Json {
        if let Json::Obj(items) = &mut self {
            items.push((key.to_string(), value));
        }
        self
    }

    /// Serialises compact (`,` and `:` without spaces) or indented by 2.
    pub fn dump(&self, compact: bool) -> String {
        let mut out = String::new();
        self.write(&mut out, compact, 0);
        out
    }

    fn write(&self, out: &mut String, compact: bool, depth: usize) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Json::Str(s) => escape(s, out),
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Obj(items) if items.is_empty() => out.push_str("{}"),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    separator(out, compact, depth + 1, i > 0);
                    item.write(out, compact, depth + 1);
                }
                separator(out, compact, depth, false);
                out.push(']');
            }
            Json::Obj(items) => {
                out.push('{');
                for (i, (key, value)) in items.iter().enumerate() {
                    separator(out, compact, depth + 1, i > 0);
                    escape(key, out);
                    out.push_str(if compact { ":" } else { ": " });
                    value.write(out, compact, depth + 1);
                }
                separator(out, compact, depth, false);
                out.push('}');
            }
        }
    }
}

fn separator(out: &mut String, compact: bool, depth: usize, comma: bool) {
    if comma {
        out.push(',');
    }
    if !compact {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

/// Writes a JSON string literal: UTF-8 kept, control characters escaped.
pub(crate) fn escape(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The success envelope around a result.
pub(crate) fn success(result: Json) -> Json {
    Json::obj()
        .with("jsonrpc", Json::s("2.0"))
        .with("id", Json::Null)
        .with("result", result)
}

/// The error envelope (`code` 1, `message` "failed") with the collected messages.
pub(crate) fn failure(result: Json, messages: Json) -> Json {
    let data = Json::obj()
        .with("result", result)
        .with("messages", messages);
    let error = Json::obj()
        .with("code", Json::Int(1))
        .with("message", Json::s("failed"))
        .with("data", data);
    Json::obj()
        .with("jsonrpc", Json::s("2.0"))
        .with("id", Json::Null)
        .with("error", error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_of_section_13_6() {
        let doc = success(Json::obj().with("api", Json::Int(2)));
        assert_eq!(
            doc.dump(true),
            r#"{"jsonrpc":"2.0","id":null,"result":{"api":2}}"#
        );
        assert_eq!(
            doc.dump(false),
            "{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"api\": 2\n  }\n}"
        );
        let err = failure(
            Json::obj(),
            Json::obj().with(
                "error",
                Json::Arr(vec![Json::s("foo: is an invalid command.\n")]),
            ),
        );
        assert_eq!(err.dump(true).len(), 141);
        assert!(err.dump(false).contains("\"result\": {},\n"));
        let mut s = String::new();
        escape("a\u{1e}é", &mut s);
        assert_eq!(s, "\"a\\u001eé\"");
    }
}
