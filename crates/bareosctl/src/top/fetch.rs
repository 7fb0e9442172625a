//! The director side of `top`: a thread that owns the connection, reads a snapshot every
//! interval, runs the user's actions, and reconnects when the director goes away. The
//! view talks to it only through channels, so a slow or stalled director never holds up
//! the keys; every call has a deadline, after which the connection is dropped and made
//! again.

use super::model::{Action, Link, Mode, Panel, Reference, Snapshot};
use super::parse;
use bareos::models::{self, DirectorStatus, JobList, PoolList, VolumesByPool};
use bareos::{blocking, Config};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// What the worker reports.
#[derive(Debug)]
pub enum Report {
    /// The connection changed.
    Link(Link),
    /// A new snapshot, read at that instant.
    Snapshot(Box<Snapshot>, Instant),
    /// The answer to an action (cancel, rerun).
    Done(String),
    /// The director's messages.
    Messages(String),
}

/// How the worker runs.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How to connect.
    pub config: Config,
    /// Time between two snapshots.
    pub interval: Duration,
    /// Deadline of every command.
    pub call_timeout: Duration,
}

/// The handle of the worker thread: send it actions, read its reports. Dropping it
/// stops the thread (after the call in progress, which has a deadline).
pub struct Worker {
    /// Its reports.
    pub reports: Receiver<Report>,
    actions: Sender<Action>,
}

impl Worker {
    /// Starts the thread; it connects at once.
    pub fn spawn(settings: Settings) -> std::io::Result<Worker> {
        let (actions, inbox) = mpsc::channel();
        let (outbox, reports) = mpsc::channel();
        std::thread::Builder::new()
            .name("top-director".into())
            .spawn(move || Session::new(settings, inbox, outbox).run())?;
        Ok(Worker { reports, actions })
    }

    /// Asks for an action; the answer comes as a [`Report`].
    pub fn send(&self, action: Action) {
        let _ = self.actions.send(action);
    }
}

/// A command's answer: the result (API 2 JSON, or the text wrapped as a JSON string), or
/// why there is none.
type Answer = Result<Value, String>;

/// The answer of a denied or failed command: a note for its panel.
fn note(command: &str, error: &bareos::Error) -> String {
    let word = command.split_whitespace().next().unwrap_or(command);
    let messages = error.director_messages();
    if messages.iter().any(|m| m.contains("is an invalid command")) {
        format!("'{word}' is not allowed for this console")
    } else if messages.is_empty() {
        format!("'{word}': {error}")
    } else {
        format!("'{word}': {}", messages.join("; ").trim())
    }
}

/// How often pools and volumes are read at most.
const POOLS_EVERY: Duration = Duration::from_secs(30);
/// Longest wait between two connection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

struct Session {
    settings: Settings,
    inbox: Receiver<Action>,
    outbox: Sender<Report>,
    references: HashMap<(String, String), Option<Reference>>,
    pools: Option<(Instant, Panel<Vec<super::model::PoolUsage>>)>,
}

impl Session {
    fn new(settings: Settings, inbox: Receiver<Action>, outbox: Sender<Report>) -> Self {
        Session {
            settings,
            inbox,
            outbox,
            references: HashMap::new(),
            pools: None,
        }
    }

    fn report(&self, report: Report) -> bool {
        self.outbox.send(report).is_ok()
    }

    fn run(mut self) {
        let mut backoff = self.settings.interval;
        loop {
            if !self.report(Report::Link(Link::Connecting)) {
                return;
            }
            let error = match self.connect() {
                Ok((director, mode)) => {
                    backoff = self.settings.interval;
                    self.report(Report::Link(Link::Up));
                    match self.serve(director, mode) {
                        Some(error) => error,
                        None => return,
                    }
                }
                Err(error) => error,
            };
            let retry_at = Instant::now() + backoff;
            if !self.report(Report::Link(Link::Down {
                reason: error,
                retry_at,
            })) {
                return;
            }
            // Wait, answering actions, until the next attempt.
            loop {
                let now = Instant::now();
                if now >= retry_at {
                    break;
                }
                match self.inbox.recv_timeout(retry_at - now) {
                    Ok(_) => {
                        self.report(Report::Done("not connected to the director".into()));
                    }
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            backoff = (backoff * 2).min(MAX_BACKOFF.max(self.settings.interval));
        }
    }

    fn connect(&mut self) -> Result<(blocking::Director, Mode), String> {
        let mut director =
            blocking::Director::connect(self.settings.config.clone()).map_err(|e| e.to_string())?;
        director.set_call_timeout(Some(self.settings.call_timeout));
        let mode = match director.enable_json() {
            Ok(()) => Mode::Json,
            Err(e) if e.is_director_error() => Mode::Text,
            Err(e) => return Err(e.to_string()),
        };
        self.references.clear();
        self.pools = None;
        Ok((director, mode))
    }

    /// Serves a connection until it fails (the reason) or the view is gone (`None`).
    fn serve(&mut self, mut director: blocking::Director, mode: Mode) -> Option<String> {
        let mut next = Instant::now();
        loop {
            let now = Instant::now();
            if now >= next {
                match self.snapshot(&mut director, mode) {
                    Ok(snapshot) => {
                        if !self.report(Report::Snapshot(Box::new(snapshot), Instant::now())) {
                            return None;
                        }
                    }
                    Err(e) => return Some(e.to_string()),
                }
                next = Instant::now() + self.settings.interval;
                continue;
            }
            match self.inbox.recv_timeout(next - now) {
                Ok(action) => {
                    let report = match act(&mut director, mode, &action) {
                        Ok(report) => report,
                        Err(e) => return Some(e.to_string()),
                    };
                    if !self.report(report) {
                        return None;
                    }
                    // Show the effect at once.
                    if !matches!(action, Action::Messages) {
                        next = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    director.close();
                    return None;
                }
            }
        }
    }

    fn snapshot(
        &mut self,
        director: &mut blocking::Director,
        mode: Mode,
    ) -> Result<Snapshot, bareos::Error> {
        let status = ask(director, mode, "status director")?;
        let time = ask(director, mode, "time")?;
        let now = match (&time, mode) {
            (Ok(value), Mode::Json) => parse::director_time(Some(value), None),
            (Ok(value), Mode::Text) => parse::director_time(None, value.as_str()),
            _ => None,
        }
        .unwrap_or_else(|| chrono::Local::now().naive_local());
        let (director_panel, running, terminated) = match status {
            Err(note) => (
                Panel::Note(note.clone()),
                Panel::Note(note.clone()),
                Panel::Note(note),
            ),
            Ok(value) => {
                let (info, running, terminated) = match mode {
                    Mode::Json => {
                        let status: DirectorStatus = match models::from_result(&value) {
                            Ok(status) => status,
                            Err(e) => {
                                let note = unexpected("status director", &e);
                                return self.partial(note, director, mode);
                            }
                        };
                        let catalog = if status.running.is_empty() {
                            HashMap::new()
                        } else {
                            match ask_table(director, mode, "list jobs jobstatus=R", "jobs")? {
                                Ok(value) => parse::jobs_by_id(
                                    models::from_result(&value).unwrap_or_default(),
                                ),
                                Err(_) => HashMap::new(),
                            }
                        };
                        parse::status_json(&status, &catalog, now)
                    }
                    Mode::Text => parse::status_text(value.as_str().unwrap_or(""), now),
                };
                (
                    Panel::Ready(info),
                    Panel::Ready(running),
                    Panel::Ready(terminated),
                )
            }
        };
        let references = self.references(director, mode, running.data())?;
        let pools = self.pools(director, mode)?;
        Ok(Snapshot {
            director: director_panel,
            running,
            terminated,
            pools,
            references,
            mode,
        })
    }

    /// A snapshot without the `status director` panels (which show `note`).
    fn partial(
        &mut self,
        note: String,
        director: &mut blocking::Director,
        mode: Mode,
    ) -> Result<Snapshot, bareos::Error> {
        Ok(Snapshot {
            director: Panel::Note(note.clone()),
            running: Panel::Note(note.clone()),
            terminated: Panel::Note(note),
            pools: self.pools(director, mode)?,
            references: HashMap::new(),
            mode,
        })
    }

    /// The last successful job of each (name, level) that runs now; read once per key
    /// while a job of that key runs.
    fn references(
        &mut self,
        director: &mut blocking::Director,
        mode: Mode,
        running: Option<&Vec<super::model::RunningJob>>,
    ) -> Result<HashMap<(String, String), Reference>, bareos::Error> {
        let keys: Vec<(String, String)> = running
            .map(|jobs| jobs.iter().map(|j| j.reference_key()).collect())
            .unwrap_or_default();
        self.references.retain(|k, _| keys.contains(k));
        for key in keys {
            if self.references.contains_key(&key) || key.1.trim().is_empty() {
                continue;
            }
            let command = format!(
                "list jobs job={} joblevel={} jobstatus=T",
                quote(&key.0),
                key.1
            );
            let found = match ask_table(director, mode, &command, "jobs")? {
                Ok(value) => {
                    let list: JobList = models::from_result(&value).unwrap_or_default();
                    parse::last_successful(&list, &key.0, &key.1)
                }
                Err(_) => None,
            };
            self.references.insert(key, found);
        }
        Ok(self
            .references
            .iter()
            .filter_map(|(k, v)| v.map(|r| (k.clone(), r)))
            .collect())
    }

    fn pools(
        &mut self,
        director: &mut blocking::Director,
        mode: Mode,
    ) -> Result<Panel<Vec<super::model::PoolUsage>>, bareos::Error> {
        if let Some((at, panel)) = &self.pools {
            if at.elapsed() < POOLS_EVERY {
                return Ok(panel.clone());
            }
        }
        let panel = match ask_table(director, mode, "list pools", "pools")? {
            Err(note) => Panel::Note(note),
            Ok(value) => match models::from_result::<PoolList>(&value) {
                Err(e) => Panel::Note(unexpected("list pools", &e)),
                Ok(list) => {
                    let volumes: Option<VolumesByPool> = match mode {
                        // The text of `list volumes` is one table per pool: API 2 only.
                        Mode::Json => ask(director, mode, "list volumes")?
                            .ok()
                            .and_then(|v| models::from_result(&v).ok()),
                        Mode::Text => None,
                    };
                    Panel::Ready(parse::pools(&list, volumes.as_ref()))
                }
            },
        };
        self.pools = Some((Instant::now(), panel.clone()));
        Ok(panel)
    }
}

/// A job name as a command argument (quoted when it has a space).
fn quote(name: &str) -> String {
    if name.contains(' ') {
        format!("\"{}\"", name.replace('"', ""))
    } else {
        name.to_string()
    }
}

/// The note of a panel whose answer did not fit the model.
fn unexpected(command: &str, error: &serde_json::Error) -> String {
    format!("unexpected answer to '{command}': {error}")
}

/// Runs a command: `Ok(Ok(result))`, `Ok(Err(note))` when the director refused it, `Err`
/// when the connection failed.
fn ask(
    director: &mut blocking::Director,
    mode: Mode,
    command: &str,
) -> Result<Answer, bareos::Error> {
    match mode {
        Mode::Json => match director.call_json(command) {
            Ok(value) => Ok(Ok(value)),
            Err(e) if e.is_director_error() => Ok(Err(note(command, &e))),
            Err(e) => Err(e),
        },
        Mode::Text => {
            let text = director.call_text(command)?;
            if crate::call::is_invalid_command_reply(command, text.as_bytes()) {
                let word = command.split_whitespace().next().unwrap_or(command);
                return Ok(Err(format!("'{word}' is not allowed for this console")));
            }
            Ok(Ok(Value::String(text)))
        }
    }
}

/// Like [`ask`], with a text catalog table read as its API 2 result under `key`.
fn ask_table(
    director: &mut blocking::Director,
    mode: Mode,
    command: &str,
    key: &str,
) -> Result<Answer, bareos::Error> {
    Ok(ask(director, mode, command)?.map(|value| match value {
        Value::String(text) => parse::text_table(&text, key),
        other => other,
    }))
}

/// Every string in a JSON value, one a line.
fn strings(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => {
            out.push_str(s.trim_end());
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// Runs an action; its answer as a report.
fn act(
    director: &mut blocking::Director,
    mode: Mode,
    action: &Action,
) -> Result<Report, bareos::Error> {
    let command = match action {
        Action::Cancel(id) => format!("cancel jobid={id} yes"),
        Action::Rerun(id) => format!("rerun jobid={id} yes"),
        Action::Messages => {
            let text = match mode {
                Mode::Json => match director.call_json_reply("messages") {
                    Ok(reply) => {
                        let mut text = String::from_utf8_lossy(&reply.leading_text).into_owned();
                        if let Some(result) = reply.envelope.get("result") {
                            strings(result, &mut text);
                        }
                        if let Some(error) = reply.error() {
                            text.push_str(&error.error_messages().join("\n"));
                        }
                        text
                    }
                    Err(e) if e.is_director_error() => note("messages", &e),
                    // Messages sent as plain text instead of a JSON document: the reply
                    // is complete, show it as it came.
                    Err(e) if e.is_protocol() && e.raw_reply().is_some() => {
                        let raw = String::from_utf8_lossy(e.raw_reply().unwrap_or_default());
                        let text = match raw.find("{\"jsonrpc\"") {
                            Some(at) => &raw[..at],
                            None => &raw[..],
                        };
                        text.to_string()
                    }
                    Err(e) => return Err(e),
                },
                Mode::Text => match ask(director, mode, "messages")? {
                    Ok(value) => value.as_str().unwrap_or("").to_string(),
                    Err(note) => note,
                },
            };
            let text = if text.trim().is_empty() {
                "You have no messages.".to_string()
            } else {
                text
            };
            return Ok(Report::Messages(text));
        }
    };
    let answer = ask(director, mode, &command)?;
    let text = match (action, answer) {
        (_, Err(note)) => note,
        (Action::Rerun(id), Ok(value)) => match value.pointer("/run/jobid") {
            Some(new) => format!(
                "JobId {id} rerun as JobId {}",
                new.as_str().map_or_else(|| new.to_string(), str::to_string)
            ),
            None => one_line(value.as_str().unwrap_or("rerun requested")),
        },
        (Action::Cancel(id), Ok(value)) => match value.as_str() {
            Some(text) if !text.trim().is_empty() => one_line(text),
            _ => format!("JobId {id} marked to be canceled"),
        },
        (Action::Messages, Ok(_)) => String::new(),
    };
    Ok(Report::Done(text))
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
