//! `.testkit output size=<bytes> [json] [frame=<bytes>]`: a large reply generated on the
//! fly for streaming tests.
//!
//! Text (API 0 and 1): exactly `size` bytes of `list files`-like lines, cut into frames
//! of `frame` bytes (default and maximum 999,996) regardless of line ends.
//! JSON (API 2, or the `json` keyword in any mode): one
//! `{"filenames":[{"filename":...},...]}` document of at least `size` bytes, split into
//! 999,996-byte frames, bracketed like any API 2 reply.

use super::Session;
use crate::json::{self, Json};
use bareos_proto::{Signal, MAX_MESSAGE_LEN};
use std::io;

/// Collects bytes and sends a frame whenever `limit` bytes are buffered.
struct Chunker {
    buffer: Vec<u8>,
    limit: usize,
}

impl Chunker {
    async fn push(&mut self, s: &mut Session, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            let room = self.limit - self.buffer.len();
            let take = room.min(bytes.len());
            self.buffer.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.buffer.len() == self.limit {
                s.conn.data(&self.buffer).await?;
                self.buffer.clear();
            }
        }
        Ok(())
    }

    async fn flush(&mut self, s: &mut Session) -> io::Result<()> {
        if !self.buffer.is_empty() {
            s.conn.data(&self.buffer).await?;
            self.buffer.clear();
        }
        Ok(())
    }
}

fn file_name(i: u64) -> String {
    format!("/var/lib/bareos-test/tmp/backup-data-numbered-files/{i}.txt")
}

pub(super) async fn run(s: &mut Session, args: &[String]) -> io::Result<()> {
    let value = |key: &str| {
        args.iter().find_map(|a| {
            let (k, v) = a.split_once('=')?;
            k.eq_ignore_ascii_case(key)
                .then(|| v.parse::<u64>().ok())
                .flatten()
        })
    };
    let wants_output = args
        .first()
        .is_some_and(|a| a.eq_ignore_ascii_case("output"));
    let Some(size) = value("size").filter(|_| wants_output) else {
        s.begin().await?;
        s.error_msg("usage: .testkit output size=<bytes> [json] [frame=<bytes>]\n")
            .await?;
        return s.finish(false, Json::obj()).await;
    };
    let json_wanted = s.api == 2 || args.iter().any(|a| a.eq_ignore_ascii_case("json"));
    let frame = value("frame")
        .map(|f| f.clamp(1, MAX_MESSAGE_LEN as u64) as usize)
        .unwrap_or(MAX_MESSAGE_LEN);
    s.begin().await?;
    if s.api > 0 {
        s.conn.signal(Signal::CmdOk).await?;
    }
    let mut out = Chunker {
        buffer: Vec::with_capacity(frame.min(1 << 20)),
        limit: if json_wanted { MAX_MESSAGE_LEN } else { frame },
    };
    if json_wanted {
        stream_json(s, &mut out, size).await?;
    } else {
        let mut written = 0u64;
        let mut i = 1u64;
        while written < size {
            let line = format!(" {}\n", file_name(i));
            let remaining = size - written;
            let line = if (line.len() as u64) <= remaining {
                line
            } else if remaining >= 3 {
                format!(" /{}\n", "x".repeat(remaining as usize - 3))
            } else {
                "\n".repeat(remaining as usize)
            };
            out.push(s, line.as_bytes()).await?;
            written += line.len() as u64;
            i += 1;
        }
    }
    out.flush(s).await
}

async fn stream_json(s: &mut Session, out: &mut Chunker, size: u64) -> io::Result<()> {
    let compact = s.compact;
    let (head, tail) = if compact {
        (
            r#"{"jsonrpc":"2.0","id":null,"result":{"filenames":["#.to_string(),
            "]}}".to_string(),
        )
    } else {
        (
            "{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"filenames\": ["
                .to_string(),
            "\n    ]\n  }\n}".to_string(),
        )
    };
    out.push(s, head.as_bytes()).await?;
    let mut written = (head.len() + tail.len()) as u64;
    let mut i = 1u64;
    loop {
        let mut name = String::new();
        json::escape(&file_name(i), &mut name);
        let entry = match (compact, i) {
            (true, 1) => format!("{{\"filename\":{name}}}"),
            (true, _) => format!(",{{\"filename\":{name}}}"),
            (false, 1) => format!("\n      {{\n        \"filename\": {name}\n      }}"),
            (false, _) => format!(",\n      {{\n        \"filename\": {name}\n      }}"),
        };
        out.push(s, entry.as_bytes()).await?;
        written += entry.len() as u64;
        i += 1;
        if written >= size {
            break;
        }
    }
    out.push(s, tail.as_bytes()).await
}
