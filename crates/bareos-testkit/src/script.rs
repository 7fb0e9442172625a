//! Scripted answers: a table from command lines to frames, loadable from a JSON file or
//! derived from a transcript, and the in-order replay of a transcript.
//!
//! # File format
//!
//! JSON lines (or one JSON array of the same objects). Each entry:
//!
//! ```json
//! {"command": "list jobs", "frames": [{"signal": "CMD_BEGIN"}, {"text": "hello\n"},
//!   {"base64": "AAEC"}, {"signal": -99}], "end": true}
//! ```
//!
//! * `command`: the command line, matched exactly after trimming whitespace.
//! * `frames`: signals by name (`EOD`, `BNET_EOD`, `MAIN_PROMPT`, ...) or by negative
//!   code; data as `text` (UTF-8) or `base64`.
//! * `end` (default `true`): append the end marker of the current API mode (`EOD` in
//!   API 0, `MAIN_PROMPT` in API 1 and 2). Use `false` when `frames` already end with
//!   it, or when the reply is a prompt.
//!
//! An optional line `{"welcome": {"director": "...", "version": "...", "date": "...",
//! "services": "..."}}` sets the welcome. A command listed several times is answered
//! with each reply in turn (per connection); the last reply repeats.

use crate::error::Error;
use crate::transcript::{Transcript, WelcomeInfo};
use bareos_proto::{Frame, Signal};
use base64::Engine;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// One scripted reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptedReply {
    /// Frames sent verbatim, each with one write.
    pub frames: Vec<Frame>,
    /// Whether the director appends the end marker of the current API mode.
    pub append_end: bool,
}

/// Command lines mapped to scripted replies; they override the built-in commands.
#[derive(Clone, Debug, Default)]
pub struct ScriptTable {
    entries: HashMap<String, Vec<ScriptedReply>>,
    pub(crate) welcome: Option<WelcomeInfo>,
}

#[derive(Deserialize)]
struct EntryFile {
    command: Option<String>,
    #[serde(default)]
    frames: Vec<Value>,
    end: Option<bool>,
    welcome: Option<WelcomeFile>,
}

#[derive(Deserialize)]
struct WelcomeFile {
    director: String,
    version: String,
    date: String,
    services: Option<String>,
}

/// Looks up a signal by name, with or without the `BNET_` prefix (case-insensitive).
pub fn signal_by_name(name: &str) -> Option<Signal> {
    let upper = name.to_ascii_uppercase();
    let short = upper.strip_prefix("BNET_").unwrap_or(&upper);
    (-28..=-1)
        .map(Signal::from_code)
        .find(|s| s.name().strip_prefix("BNET_") == Some(short))
}

fn frame_from_json(value: &Value) -> Result<Frame, Error> {
    let bad = || Error::Format(format!("not a frame: {value}"));
    let object = value.as_object().ok_or_else(bad)?;
    if let Some(signal) = object.get("signal") {
        if let Some(code) = signal.as_i64() {
            if !(i32::MIN as i64..0).contains(&code) {
                return Err(bad());
            }
            return Ok(Frame::Signal(Signal::from_code(code as i32)));
        }
        let name = signal.as_str().ok_or_else(bad)?;
        return signal_by_name(name).map(Frame::Signal).ok_or_else(bad);
    }
    if let Some(text) = object.get("text") {
        return Ok(Frame::Data(
            text.as_str().ok_or_else(bad)?.as_bytes().to_vec(),
        ));
    }
    if let Some(b64) = object.get("base64") {
        let data = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().ok_or_else(bad)?)
            .map_err(|_| bad())?;
        return Ok(Frame::Data(data));
    }
    Err(bad())
}

impl ScriptTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a reply; the director appends the API mode's end marker.
    pub fn insert(&mut self, command: impl AsRef<str>, frames: Vec<Frame>) -> &mut Self {
        self.push(command.as_ref(), frames, true)
    }

    /// Adds a reply sent exactly as given (no end marker appended).
    pub fn insert_raw(&mut self, command: impl AsRef<str>, frames: Vec<Frame>) -> &mut Self {
        self.push(command.as_ref(), frames, false)
    }

    fn push(&mut self, command: &str, frames: Vec<Frame>, append_end: bool) -> &mut Self {
        self.entries
            .entry(command.trim().to_string())
            .or_default()
            .push(ScriptedReply { frames, append_end });
        self
    }

    /// Sets the welcome the director sends (name, version, date, services text).
    pub fn set_welcome(&mut self, welcome: WelcomeInfo) -> &mut Self {
        self.welcome = Some(welcome);
        self
    }

    /// Number of distinct command lines.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `nth` reply (0-based, per connection) for a command line; the last one repeats.
    pub fn lookup(&self, command: &str, nth: usize) -> Option<&ScriptedReply> {
        let replies = self.entries.get(command.trim())?;
        replies.get(nth.min(replies.len().saturating_sub(1)))
    }

    /// Reads a table file (JSON lines or a JSON array; see the module docs).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        Self::parse(&std::fs::read_to_string(path.as_ref())?)
    }

    /// Parses table text (JSON lines or a JSON array).
    pub fn parse(text: &str) -> Result<Self, Error> {
        let entries: Vec<EntryFile> = if text.trim_start().starts_with('[') {
            serde_json::from_str(text).map_err(|e| Error::Format(e.to_string()))?
        } else {
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).map_err(|e| Error::Format(e.to_string())))
                .collect::<Result<_, _>>()?
        };
        let mut table = ScriptTable::new();
        for entry in entries {
            if let Some(w) = entry.welcome {
                table.set_welcome(WelcomeInfo {
                    director: w.director,
                    version: w.version,
                    date: w.date,
                    services: w.services,
                });
                continue;
            }
            let command = entry
                .command
                .ok_or_else(|| Error::Format("an entry without \"command\"".into()))?;
            let frames = entry
                .frames
                .iter()
                .map(frame_from_json)
                .collect::<Result<Vec<_>, _>>()?;
            table.push(&command, frames, entry.end.unwrap_or(true));
        }
        Ok(table)
    }

    /// Derives a table from a transcript file: each command-phase command and the server
    /// frames that followed it (end markers included), plus the recorded welcome.
    pub fn from_transcript(path: impl AsRef<Path>) -> Result<Self, Error> {
        Ok(Self::from(&Transcript::load(path)?))
    }
}

impl From<&Transcript> for ScriptTable {
    fn from(transcript: &Transcript) -> Self {
        let mut table = ScriptTable::new();
        for exchange in transcript.exchanges() {
            if let Some(data) = exchange.request.data() {
                let command = String::from_utf8_lossy(data).into_owned();
                table.push(&command, exchange.reply, false);
            }
        }
        table.welcome = transcript.welcome();
        table
    }
}

/// In-order replay of a transcript's command phase: the n-th frame a client sends after
/// login is answered with the frames recorded after the n-th command, whatever it says.
/// Compare [`Replay::expected_requests`] with
/// [`TestDirector::received_commands`](crate::TestDirector::received_commands).
#[derive(Clone, Debug, Default)]
pub struct Replay {
    pub(crate) steps: Vec<(Frame, Vec<Frame>)>,
    pub(crate) welcome: Option<WelcomeInfo>,
}

impl Replay {
    /// Builds a replay from a transcript file.
    pub fn from_transcript(path: impl AsRef<Path>) -> Result<Self, Error> {
        Ok(Self::from(&Transcript::load(path)?))
    }

    /// The command-phase frames the recorded client sent, in order.
    pub fn expected_requests(&self) -> Vec<Frame> {
        self.steps
            .iter()
            .map(|(request, _)| request.clone())
            .collect()
    }

    /// The recorded server frames of step `n`.
    pub fn reply(&self, n: usize) -> Option<&[Frame]> {
        self.steps.get(n).map(|(_, reply)| reply.as_slice())
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether there are no steps.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

impl From<&Transcript> for Replay {
    fn from(transcript: &Transcript) -> Self {
        Replay {
            steps: transcript
                .exchanges()
                .into_iter()
                .map(|e| (e.request, e.reply))
                .collect(),
            welcome: transcript.welcome(),
        }
    }
}
