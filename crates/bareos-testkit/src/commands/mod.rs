//! The command phase of the simulated director: the main loop, command dispatch and the
//! output rules of API modes 0, 1 and 2.

mod args;
mod cancel;
mod catalog;
mod daemons;
mod delete;
mod files;
mod jobs;
mod label;
mod listing;
mod output;
mod prompts;
mod records;
mod reports;
mod restore;
mod select;
mod stream;
mod table;
mod tree;
mod update;
mod volumes;
mod wait;

use crate::conn::{Conn, ReadError};
use crate::director::{ConsoleSpec, DirectorConfig};
use crate::fault::{self, Fault};
use crate::json::Json;
use crate::login::LoggedIn;
use bareos_proto::command::{arg_keyword, command_word, split_args};
use bareos_proto::{Frame, Signal};
use std::collections::HashMap;
use std::io;
use std::sync::Arc;

pub(crate) use jobs::Runs;
pub(crate) use records::{now, Catalog};
pub(crate) use table::{commands, lookup};

/// Result of running one command.
pub(crate) enum Outcome {
    /// Send the end marker of the (possibly new) API mode.
    Done,
    /// The reply already carried its end (scripted or replayed frames, prompts).
    Sent,
    /// The client quit; close the connection.
    Quit,
}

/// One console session after login.
pub(crate) struct Session {
    pub conn: Conn,
    pub config: Arc<DirectorConfig>,
    pub console: Option<ConsoleSpec>,
    pub whoami: String,
    pub api: u8,
    pub compact: bool,
    script_uses: HashMap<String, usize>,
    replay_step: usize,
    pending_messages: Vec<String>,
    notified: bool,
    autodisplay: bool,
    gui: bool,
    pub catalog_announced: bool,
    /// What `restore` keeps between its runs.
    restore: restore::State,
    /// Messages of the current command, for the API 2 envelope.
    pub messages: Vec<(&'static str, String)>,
}

/// Runs the main loop until the client quits, terminates or disconnects.
pub(crate) async fn run_session(conn: Conn, who: LoggedIn, config: Arc<DirectorConfig>) {
    let pending_messages = config.messages.clone();
    let mut session = Session {
        conn,
        config,
        console: who.console,
        whoami: who.whoami,
        api: 0,
        compact: false,
        script_uses: HashMap::new(),
        replay_step: 0,
        pending_messages,
        notified: false,
        autodisplay: false,
        gui: false,
        catalog_announced: false,
        restore: restore::State::default(),
        messages: Vec::new(),
    };
    if session.main_loop().await.is_ok() {
        session.conn.close().await;
    }
}

impl Session {
    async fn main_loop(&mut self) -> io::Result<()> {
        loop {
            let frame = match self.conn.read_frame().await {
                Ok(Some(frame)) => frame,
                Ok(None) | Err(ReadError::Io) | Err(ReadError::Oversized) => return Ok(()),
            };
            let payload = match frame {
                Frame::Signal(Signal::Terminate) => return Ok(()),
                Frame::Signal(_) => {
                    self.conn.signal(Signal::Poll).await?;
                    self.end_marker().await?;
                    continue;
                }
                Frame::Data(payload) => payload,
            };
            let text = payload.split(|b| *b == 0).next().unwrap_or_default();
            let line = String::from_utf8_lossy(text).trim().to_string();
            match self.execute(&line).await? {
                Outcome::Quit => return Ok(()),
                Outcome::Sent => {}
                Outcome::Done => {
                    self.after_command().await?;
                    self.end_marker().await?;
                }
            }
        }
    }

    /// EOD in API 0, MAIN_PROMPT in API 1 and 2.
    pub async fn end_marker(&mut self) -> io::Result<()> {
        let signal = if self.api == 0 {
            Signal::Eod
        } else {
            Signal::MainPrompt
        };
        self.conn.signal(signal).await
    }

    /// Message notification or autodisplay after every command, as `ua_server.cc` does:
    /// only for consoles allowed to run `messages`; shown with autodisplay on, else
    /// announced once (`You have messages.` in API 0, MSGS_PENDING in API 1/2) until
    /// they are read, and never in gui mode.
    async fn after_command(&mut self) -> io::Result<()> {
        self.queue_job_reports();
        let allowed = self.console.as_ref().map_or(true, |c| c.allows("messages"));
        let pending = !self.pending_messages.is_empty() || self.config.runs.has_messages();
        if !pending || !allowed {
            return Ok(());
        }
        if self.autodisplay {
            for line in self.take_messages() {
                self.conn.data(line).await?;
            }
            return Ok(());
        }
        if !self.gui && !self.notified {
            self.notified = true;
            if self.api == 0 {
                self.conn.data("You have messages.\n").await?;
            } else {
                self.conn.signal(Signal::MsgsPending).await?;
            }
        }
        Ok(())
    }

    /// Writes the reports of the jobs that ended since the last look into the
    /// director's console messages.
    fn queue_job_reports(&self) {
        for row in self.config.runs.take_ended() {
            let lines = reports::job_report(&self.config, &row);
            self.config.runs.queue_messages(lines);
        }
    }

    /// Takes the queued messages: this console's, then the director's.
    fn take_messages(&mut self) -> Vec<String> {
        self.queue_job_reports();
        let mut lines = std::mem::take(&mut self.pending_messages);
        lines.extend(self.config.runs.take_messages());
        lines
    }

    /// Runs one command line: replay, script, faults, then the built-ins.
    async fn execute(&mut self, line: &str) -> io::Result<Outcome> {
        if let Some(replay) = self.config.replay.clone() {
            if let Some(frames) = replay.reply(self.replay_step) {
                self.replay_step += 1;
                for frame in frames {
                    self.conn.send(frame).await?;
                }
                self.track_api_switch(line);
                if matches!(lookup(&command_word(line)), Some("quit" | "exit" | ".quit")) {
                    return Ok(Outcome::Quit);
                }
                return Ok(Outcome::Sent);
            }
        }
        let mut line = line.to_string();
        let saved_trickle = self.conn.trickle;
        if let Some(fault) = self.config.faults.for_command(&line) {
            match &fault {
                Fault::WrongOutput(other) => line = other.clone(),
                other => {
                    if !fault::apply(&mut self.conn, other).await {
                        return Ok(Outcome::Quit);
                    }
                }
            }
        }
        let outcome = self.execute_line(&line).await;
        self.conn.trickle = saved_trickle;
        outcome
    }

    async fn execute_line(&mut self, line: &str) -> io::Result<Outcome> {
        // A console's command ACL applies to scripted answers too: a denied command
        // falls through to the built-ins, which answer "is an invalid command".
        let word = command_word(line);
        let denied = self
            .console
            .as_ref()
            .is_some_and(|c| !c.allows(lookup(&word).unwrap_or(&word)));
        if denied {
            return self.builtin(line).await;
        }
        if let Some(table) = self.config.script.clone() {
            let nth = *self.script_uses.get(line).unwrap_or(&0);
            if let Some(reply) = table.lookup(line, nth) {
                self.script_uses.insert(line.to_string(), nth + 1);
                for frame in &reply.frames {
                    self.conn.send(frame).await?;
                }
                self.track_api_switch(line);
                return Ok(if reply.append_end {
                    Outcome::Done
                } else {
                    Outcome::Sent
                });
            }
        }
        self.builtin(line).await
    }

    /// Follows an `.api` command answered from a script or a replay.
    fn track_api_switch(&mut self, line: &str) {
        let words = split_args(line);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        if words.first().is_some_and(|w| lookup(w) == Some(".api")) {
            if let Some((api, compact)) = parse_api(&words[1..], self.compact) {
                self.api = api;
                self.compact = compact;
            }
        }
    }

    async fn builtin(&mut self, line: &str) -> io::Result<Outcome> {
        let words = split_args(line);
        let Some(first) = words.first().map(|word| arg_keyword(word)) else {
            return Ok(Outcome::Done);
        };
        let allowed = |command: &str| self.console.as_ref().map_or(true, |c| c.allows(command));
        let Some(command) = lookup(first).filter(|c| allowed(c)) else {
            self.invalid_command(first).await?;
            return Ok(Outcome::Done);
        };
        let args: Vec<String> = words[1..].to_vec();
        self.messages.clear();
        match command {
            "quit" | "exit" | ".quit" => {
                if self.api > 0 {
                    self.conn.signal(Signal::CmdBegin).await?;
                    self.conn.signal(Signal::CmdOk).await?;
                }
                if self.api == 2 {
                    let doc = crate::json::success(Json::obj()).dump(self.compact);
                    self.conn.data(doc).await?;
                }
                return Ok(Outcome::Quit);
            }
            ".api" => {
                self.api_command(&args).await?;
                return Ok(Outcome::Done);
            }
            "." => {
                if self.api > 0 {
                    self.conn.signal(Signal::CmdBegin).await?;
                    self.conn.signal(Signal::CmdBegin).await?;
                    self.conn.signal(Signal::CmdOk).await?;
                }
                self.finish(true, Json::obj()).await?;
                return Ok(Outcome::Done);
            }
            ".testkit" => {
                stream::run(self, &args).await?;
                return Ok(Outcome::Done);
            }
            "restore" => return restore::run(self, &words[1..]).await,
            "cancel" => return cancel::run(self, &words[1..]).await,
            "delete" => return delete::run(self, &words[1..]).await,
            "status" | "label" | "update" => {
                return prompts::run(self, command, &args).await;
            }
            _ => {}
        }
        self.run(command, &args).await?;
        Ok(Outcome::Done)
    }

    /// A normal command: CMD_BEGIN, output, CMD_OK/CMD_FAILED, JSON.
    async fn run(&mut self, command: &str, args: &[String]) -> io::Result<()> {
        self.begin().await?;
        let (ok, result) = self.dispatch(command, args).await?;
        self.finish(ok, result).await
    }

    /// The `on`/`off` keyword of `gui` and `autodisplay`; without one, the director's
    /// error message and `None`.
    async fn on_off(&mut self, args: &[String]) -> io::Result<Option<bool>> {
        let has = |key: &str| args.iter().any(|a| a.eq_ignore_ascii_case(key));
        if has("on") {
            Ok(Some(true))
        } else if has("off") {
            Ok(Some(false))
        } else {
            self.error_msg("ON or OFF keyword missing.\n").await?;
            Ok(None)
        }
    }

    async fn dispatch(&mut self, command: &str, args: &[String]) -> io::Result<(bool, Json)> {
        match command {
            "whoami" => {
                let name = self.whoami.clone();
                self.text(format!("{name}\n")).await?;
                Ok((true, Json::obj().with("whoami", Json::s(name))))
            }
            "version" => catalog::version(self).await,
            "help" => catalog::help(self, args).await,
            ".help" => catalog::dot_help(self, args).await,
            "list" | "llist" => catalog::list(self, command == "llist", args).await,
            "run" => jobs::run(self, args).await,
            "rerun" => jobs::rerun(self, args).await,
            "wait" => wait::run(self, args).await,
            ".jobs" | ".clients" | ".pools" | ".filesets" | ".storages" | ".schedule"
            | ".catalogs" | ".levels" => catalog::dot_list(self, command).await,
            // `.messages` shows them only with autodisplay on (ua_output.cc).
            ".messages" if !self.autodisplay => Ok((true, Json::obj())),
            "gui" => match self.on_off(args).await? {
                Some(on) => {
                    self.gui = on;
                    Ok((true, Json::obj()))
                }
                None => Ok((false, Json::obj())),
            },
            "messages" | ".messages" => {
                let lines = self.take_messages();
                self.notified = false;
                if lines.is_empty() && command == "messages" && self.api == 0 {
                    self.conn.data("You have no messages.\n").await?;
                }
                for line in lines {
                    self.conn.data(line).await?;
                }
                Ok((true, Json::obj()))
            }
            "autodisplay" => match self.on_off(args).await? {
                Some(on) => {
                    self.autodisplay = on;
                    Ok((true, Json::obj()))
                }
                None => Ok((false, Json::obj())),
            },
            other => {
                self.error_msg(format!("{other}: is not simulated by the test director.\n"))
                    .await?;
                Ok((false, Json::obj()))
            }
        }
    }

    /// `.api`: the reply follows the rules of the old and the new mode (7.1, errata 3).
    async fn api_command(&mut self, args: &[String]) -> io::Result<()> {
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        let old = self.api;
        let Some((api, compact)) = parse_api(&words, self.compact) else {
            if old > 0 {
                self.conn.signal(Signal::CmdBegin).await?;
                self.conn.signal(Signal::CmdFailed).await?;
            }
            return Ok(());
        };
        if old > 0 {
            self.conn.signal(Signal::CmdBegin).await?;
        }
        self.api = api;
        self.compact = compact;
        if api > 0 {
            self.conn.signal(Signal::CmdOk).await?;
        }
        if api == 2 {
            let doc = crate::json::success(Json::obj().with("api", Json::Int(2)));
            self.conn.data(doc.dump(self.compact)).await?;
        } else {
            self.conn.data(format!("api: {api}\n")).await?;
        }
        Ok(())
    }

    /// Unknown or denied command.
    async fn invalid_command(&mut self, word: &str) -> io::Result<()> {
        self.messages.clear();
        self.error_msg(format!("{word}: is an invalid command.\n"))
            .await?;
        if self.api == 2 {
            let doc = crate::json::failure(Json::obj(), self.messages_json());
            self.conn.data(doc.dump(self.compact)).await?;
        }
        Ok(())
    }
}

/// The final status of a run of job `name`: its configured outcome, else `T`.
fn outcome(config: &DirectorConfig, name: &str) -> String {
    config
        .job_outcomes
        .iter()
        .find(|(job, _)| job == name)
        .map_or_else(|| "T".to_string(), |(_, status)| status.clone())
}

/// Parses `.api` arguments: `(mode, compact)`, `None` if invalid.
fn parse_api(words: &[&str], compact: bool) -> Option<(u8, bool)> {
    if words.len() > 2 {
        return None;
    }
    let mode = match words.first().map(|w| w.to_ascii_lowercase()) {
        None => 1,
        Some(w) => match w.as_str() {
            "0" | "off" => 0,
            "1" | "on" => 1,
            "2" | "json" => 2,
            _ => return None,
        },
    };
    let compact = match words.get(1) {
        Some(w) => {
            let (key, value) = w.split_once('=')?;
            if !key.eq_ignore_ascii_case("compact") {
                return None;
            }
            value.eq_ignore_ascii_case("yes")
        }
        None => compact,
    };
    Some((mode, compact))
}
