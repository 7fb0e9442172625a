//! Reading recorded wire transcripts (JSON lines, one frame per line:
//! `{"conn":1,"dir":"c2s"|"s2c","len":N,"signal":"BNET_EOD"|null,"data_b64":"..."}`).

use crate::error::Error;
use crate::script::signal_by_name;
use bareos_proto::hello::FD_HELLO_OK;
use bareos_proto::message::Welcome as ParsedWelcome;
use bareos_proto::{Frame, Signal};
use base64::Engine;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Record {
    conn: u64,
    dir: String,
    len: i64,
    signal: Option<String>,
    data_b64: Option<String>,
}

/// One frame of a transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranscriptFrame {
    /// TCP connection number inside the transcript.
    pub conn: u64,
    /// True for client-to-server frames.
    pub from_client: bool,
    /// The frame.
    pub frame: Frame,
}

/// The welcome a director sent in a transcript, to reproduce it exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WelcomeInfo {
    /// Director name.
    pub director: String,
    /// Version string.
    pub version: String,
    /// Release date.
    pub date: String,
    /// The services text of the `1002` message (protocol 2 only).
    pub services: Option<String>,
}

/// A parsed transcript file.
#[derive(Clone, Debug, Default)]
pub struct Transcript {
    /// All frames in wire order.
    pub frames: Vec<TranscriptFrame>,
}

/// A command of the command phase and the frames the server sent after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// What the client sent (a data frame, usually a command line).
    pub request: Frame,
    /// The server's frames, end markers included.
    pub reply: Vec<Frame>,
}

impl Transcript {
    /// Reads a transcript file.
    pub fn load(path: impl AsRef<Path>) -> Result<Transcript, Error> {
        let text = std::fs::read_to_string(path.as_ref())?;
        Self::parse(&text)
    }

    /// Parses transcript text (JSON lines).
    pub fn parse(text: &str) -> Result<Transcript, Error> {
        let mut frames = Vec::new();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let record: Record = serde_json::from_str(line)
                .map_err(|e| Error::Format(format!("line {}: {e}", number + 1)))?;
            let frame = if record.len < 0 {
                let signal = record
                    .signal
                    .as_deref()
                    .and_then(signal_by_name)
                    .unwrap_or(Signal::from_code(record.len as i32));
                Frame::Signal(signal)
            } else {
                let data = base64::engine::general_purpose::STANDARD
                    .decode(record.data_b64.unwrap_or_default())
                    .map_err(|e| Error::Format(format!("line {}: {e}", number + 1)))?;
                Frame::Data(data)
            };
            frames.push(TranscriptFrame {
                conn: record.conn,
                from_client: record.dir == "c2s",
                frame,
            });
        }
        Ok(Transcript { frames })
    }

    fn connections(&self) -> Vec<u64> {
        let mut conns: Vec<u64> = self.frames.iter().map(|f| f.conn).collect();
        conns.dedup();
        conns.sort_unstable();
        conns.dedup();
        conns
    }

    /// The welcome of the first connection that logged in.
    pub fn welcome(&self) -> Option<WelcomeInfo> {
        for frame in self.frames.iter().filter(|f| !f.from_client) {
            let Some(data) = frame.frame.data() else {
                continue;
            };
            let text = String::from_utf8_lossy(data);
            let body = if let Some(rest) = text.strip_prefix("1000\u{1e}") {
                rest.to_string()
            } else if let Some(rest) = text.strip_prefix("1000 OK: ") {
                format!("OK: {rest}")
            } else {
                continue;
            };
            let parsed = ParsedWelcome::parse(&body);
            let services = self
                .frames
                .iter()
                .filter(|f| !f.from_client && f.conn == frame.conn)
                .filter_map(|f| f.frame.data())
                .find_map(|d| d.strip_prefix(b"1002\x1e"))
                .map(|d| {
                    let text = String::from_utf8_lossy(d).into_owned();
                    match text.rfind("\nYou are ") {
                        Some(pos) => text[..pos].to_string(),
                        None => text,
                    }
                });
            return Some(WelcomeInfo {
                director: parsed.director,
                version: parsed.version,
                date: parsed.date,
                services,
            });
        }
        None
    }

    /// The command-phase exchanges of every connection, in order. Login frames are
    /// skipped; a reply ends at EOD, MAIN_PROMPT, SUB_PROMPT or the prompt text after
    /// TEXT_INPUT, so a pipelining client's early commands are still paired correctly.
    pub fn exchanges(&self) -> Vec<Exchange> {
        let mut all = Vec::new();
        for conn in self.connections() {
            let frames: Vec<&TranscriptFrame> =
                self.frames.iter().filter(|f| f.conn == conn).collect();
            let Some(start) = frames.iter().position(|f| is_welcome_end(f)) else {
                continue;
            };
            let mut exchanges: Vec<Exchange> = Vec::new();
            let mut open: Vec<usize> = Vec::new();
            let mut after_text_input = false;
            for f in &frames[start + 1..] {
                if f.from_client {
                    if f.frame.data().is_some() {
                        exchanges.push(Exchange {
                            request: f.frame.clone(),
                            reply: Vec::new(),
                        });
                        open.push(exchanges.len() - 1);
                    }
                    continue;
                }
                let Some(target) = open.first().copied().or(exchanges.len().checked_sub(1)) else {
                    continue;
                };
                exchanges[target].reply.push(f.frame.clone());
                let ends = match &f.frame {
                    Frame::Signal(Signal::Eod | Signal::MainPrompt | Signal::SubPrompt) => true,
                    Frame::Signal(Signal::TextInput) => {
                        after_text_input = true;
                        false
                    }
                    Frame::Data(_) => std::mem::take(&mut after_text_input),
                    _ => false,
                };
                if ends && !open.is_empty() {
                    open.remove(0);
                }
            }
            all.extend(exchanges);
        }
        all
    }
}

fn is_welcome_end(frame: &TranscriptFrame) -> bool {
    if frame.from_client {
        return false;
    }
    match frame.frame.data() {
        Some(d) => {
            d.starts_with(b"1002\x1e") || d.starts_with(b"1000 OK: ") || d.starts_with(FD_HELLO_OK)
        }
        None => false,
    }
}

/// The recorded sessions of a real Bareos director and file daemon that ship with this
/// crate (`recordings/`, with a README on how and against what they were recorded).
pub const RECORDINGS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/recordings");

/// Where the recorded sessions are: `$BAREOS_TRANSCRIPTS` if set (other recordings of
/// the same format), else the ones that ship with this crate ([`RECORDINGS_DIR`]).
/// `manifest_dir` is kept for callers; the crate's own copy is always found.
///
/// Returns `None`, after saying so on stderr, when they are not there, unless
/// `BAREOS_RS_REQUIRE_TRANSCRIPTS` is set: then their absence is a panic (the project's
/// test script sets it, so the replay tests can never silently not run).
pub fn recorded_transcripts(manifest_dir: &str) -> Option<PathBuf> {
    let _ = manifest_dir;
    let dir = match std::env::var_os("BAREOS_TRANSCRIPTS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(RECORDINGS_DIR),
    };
    let has_recordings = std::fs::read_dir(&dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
    });
    if has_recordings {
        return Some(dir);
    }
    if std::env::var_os("BAREOS_RS_REQUIRE_TRANSCRIPTS").is_some() {
        panic!(
            "the recorded transcripts are required but missing at {} (set BAREOS_TRANSCRIPTS)",
            dir.display()
        );
    }
    eprintln!(
        "recorded transcripts not found at {} (set BAREOS_TRANSCRIPTS): test not run",
        dir.display()
    );
    None
}
