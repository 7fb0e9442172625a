//! The interactive console: line editing, history, completion, prompts answered in place,
//! `@` commands, JSON mode, and piped stdin like bconsole.

pub mod at_commands;
pub mod completion;
pub mod output;

use crate::exit::{self, CliError, CliResult};
use crate::input::{Line, LineReader};
use at_commands::{AtCommand, HELP};
use bareos::bconsole::NamedConsole;
use bareos::{blocking, redact_command};
use completion::{ConsoleHelper, Shared};
use output::Output;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config as EditorConfig, Editor};
use std::cell::RefCell;
use std::io::{BufReader, IsTerminal};
use std::os::unix::fs::FileTypeExt;
use std::path::PathBuf;
use std::rc::Rc;

/// Console settings.
#[derive(Debug, Default)]
pub struct Options {
    /// `--json`: results as pretty JSON.
    pub json: bool,
    /// Allow `@input`, `@output`, `@tee` and `@exec` as root.
    pub allow_root_at_commands: bool,
    /// Skip the rc file.
    pub no_rc: bool,
    /// `-s`: Ctrl-C ends the console instead of cancelling.
    pub no_signals: bool,
    /// The Console resource (history and rc file settings).
    pub console: Option<NamedConsole>,
}

impl Options {
    /// The file the Console resource names with `setting` (`~/` expanded), else
    /// `default` in the home directory.
    fn file(
        &self,
        setting: impl Fn(&NamedConsole) -> Option<&str>,
        default: &str,
    ) -> Option<PathBuf> {
        self.console
            .as_ref()
            .and_then(setting)
            .map(expand_home)
            .or_else(|| dirs::home_dir().map(|h| h.join(default)))
    }
}

/// Default number of history entries (bconsole's default).
const DEFAULT_HISTORY_LENGTH: usize = 100;

/// What the next line of input came from.
enum Source {
    Terminal,
    Piped,
}

/// A running console session.
pub struct Console {
    director: Shared,
    out: Output,
    options: Options,
    editor: Option<Editor<ConsoleHelper, DefaultHistory>>,
    history_path: Option<PathBuf>,
    inputs: Vec<LineReader>,
    stdin: Option<LineReader>,
    /// A line of piped input was rejected (not UTF-8, too long): the exit status is
    /// then [`exit::USAGE`] unless something worse happened.
    rejected_input: bool,
    separator: Option<char>,
    done: bool,
    status: i32,
}

/// Whether the process runs as root.
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn expand_home(path: &str) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => dirs::home_dir().unwrap_or_default().join(rest),
        None => PathBuf::from(path),
    }
}

impl Console {
    /// Prepares a console on a logged-in connection.
    pub fn new(director: blocking::Director, options: Options) -> CliResult<Console> {
        let director: Shared = Rc::new(RefCell::new(director));
        let interactive = std::io::stdin().is_terminal();
        let mut console = Console {
            director: director.clone(),
            out: Output::default(),
            options,
            editor: None,
            history_path: None,
            inputs: Vec::new(),
            stdin: None,
            rejected_input: false,
            separator: None,
            done: false,
            status: exit::OK,
        };
        if interactive {
            let length = console
                .options
                .console
                .as_ref()
                .and_then(|c| c.history_length)
                .unwrap_or(DEFAULT_HISTORY_LENGTH);
            let config = EditorConfig::builder()
                .history_ignore_dups(true)
                .map_err(|e| CliError::usage(format!("line editor: {e}")))?
                .max_history_size(length.max(1))
                .map_err(|e| CliError::usage(format!("line editor: {e}")))?
                .auto_add_history(false)
                .completion_type(rustyline::CompletionType::List)
                .build();
            let mut editor = Editor::with_config(config)
                .map_err(|e| CliError::usage(format!("cannot start the line editor: {e}")))?;
            editor.set_helper(Some(ConsoleHelper::new(director)));
            let path = console
                .options
                .file(|c| c.history_file.as_deref(), ".bconsole_history");
            if let Some(path) = &path {
                if path.exists() {
                    if let Err(e) = editor.load_history(path) {
                        eprintln!(
                            "warning: cannot read the history file {}: {e}",
                            path.display()
                        );
                    }
                }
            }
            console.history_path = path;
            console.editor = Some(editor);
        } else {
            console.stdin = Some(LineReader::new(
                Box::new(BufReader::new(std::io::stdin())),
                "standard input",
            ));
        }
        if !console.options.no_rc {
            let rc = console
                .options
                .file(|c| c.rc_file.as_deref(), ".bconsolerc");
            if let Some(rc) = rc {
                if let Ok(file) = std::fs::File::open(&rc) {
                    tracing::info!("running {}", rc.display());
                    console.inputs.push(LineReader::new(
                        Box::new(BufReader::new(file)),
                        rc.display().to_string(),
                    ));
                }
            }
        }
        Ok(console)
    }

    /// Writes text to the console output.
    pub fn print(&mut self, text: &str) {
        self.out.write(text);
    }

    /// Runs until `quit`, `@quit` or end of input; returns the exit status.
    pub fn run(mut self) -> i32 {
        self.print("\nEnter a period (.) to cancel a command.\n");
        while !self.done {
            let Some((line, source)) = self.next_line("*") else {
                break;
            };
            self.handle_line(&line, source);
        }
        if !self.done {
            if let Ok(director) = Rc::try_unwrap(self.director.clone()) {
                director.into_inner().close();
            }
        }
        if self.rejected_input && self.status == exit::OK {
            self.status = exit::USAGE;
        }
        self.status
    }

    /// Reads the next line: @input files first, then the terminal or stdin. `None` at the
    /// end of input (or Ctrl-D).
    fn next_line(&mut self, prompt: &str) -> Option<(String, Source)> {
        while let Some(input) = self.inputs.last_mut() {
            match input.next_line() {
                Line::Text(line) => return Some((line, Source::Piped)),
                Line::Rejected(message) => self.reject(&message),
                Line::End => {
                    self.inputs.pop();
                }
                Line::Error(message) => {
                    eprintln!("error: {message}");
                    self.inputs.pop();
                }
            }
        }
        if let Some(editor) = &mut self.editor {
            loop {
                match editor.readline(prompt) {
                    Ok(line) => return Some((line, Source::Terminal)),
                    Err(ReadlineError::Interrupted) if !self.options.no_signals => continue,
                    Err(ReadlineError::Interrupted) | Err(ReadlineError::Eof) => return None,
                    Err(e) => {
                        eprintln!("error: reading the terminal: {e}");
                        return None;
                    }
                }
            }
        }
        loop {
            let stdin = self.stdin.as_mut()?;
            match stdin.next_line() {
                Line::Text(line) => return Some((line, Source::Piped)),
                Line::Rejected(message) => self.reject(&message),
                Line::End => return None,
                Line::Error(message) => {
                    eprintln!("error: {message}");
                    self.rejected_input = true;
                    return None;
                }
            }
        }
    }

    /// Reports a rejected input line; the session goes on.
    fn reject(&mut self, message: &str) {
        eprintln!("error: {message}");
        self.rejected_input = true;
    }

    fn add_history(&mut self, line: &str) {
        if let Some(editor) = &mut self.editor {
            if line.trim().is_empty() {
                return;
            }
            let _ = editor.add_history_entry(line);
            if let Some(path) = &self.history_path {
                if let Err(e) = editor.save_history(path) {
                    tracing::warn!("cannot write the history file {}: {e}", path.display());
                }
            }
        }
    }

    fn handle_line(&mut self, line: &str, source: Source) {
        match source {
            Source::Terminal => self.add_history(line),
            Source::Piped => self.print(&format!("{line}\n")),
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return;
        }
        if trimmed.starts_with('@') {
            self.at_command(trimmed);
            return;
        }
        let commands: Vec<String> = match self.separator {
            Some(sep) => trimmed
                .split(sep)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            None => vec![trimmed.to_string()],
        };
        for command in commands {
            if self.done {
                break;
            }
            self.command(&command);
        }
    }

    fn at_command(&mut self, line: &str) {
        let command = match AtCommand::parse(line) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return;
            }
        };
        if command.is_dangerous() && is_root() && !self.options.allow_root_at_commands {
            eprintln!(
                "error: {} is refused when running as root (use --allow-root-at-commands to allow it)",
                command.name()
            );
            return;
        }
        match command {
            AtCommand::Comment => {}
            AtCommand::Input(path) => match std::fs::File::open(&path) {
                Ok(file)
                    if file
                        .metadata()
                        .is_ok_and(|m| m.file_type().is_char_device()) =>
                {
                    eprintln!("error: @input {}: not a file (a device)", path.display())
                }
                Ok(file) if self.inputs.len() < 16 => self.inputs.push(LineReader::new(
                    Box::new(BufReader::new(file)),
                    path.display().to_string(),
                )),
                Ok(_) => eprintln!("error: @input nested too deeply"),
                Err(e) => eprintln!("error: cannot open {}: {e}", path.display()),
            },
            AtCommand::Output(target) | AtCommand::Tee(target) if target.is_none() => {
                self.out.reset()
            }
            AtCommand::Output(Some((path, mode))) => {
                if let Err(e) = self.out.open(&path, mode, false) {
                    eprintln!("error: cannot open {}: {e}", path.display());
                }
            }
            AtCommand::Tee(Some((path, mode))) => {
                if let Err(e) = self.out.open(&path, mode, true) {
                    eprintln!("error: cannot open {}: {e}", path.display());
                }
            }
            AtCommand::Output(None) | AtCommand::Tee(None) => self.out.reset(),
            AtCommand::Exec(command) => {
                match std::process::Command::new("sh")
                    .arg("-c")
                    .arg(&command)
                    .output()
                {
                    Ok(result) => {
                        self.out.write_bytes(&result.stdout);
                        self.out.write_bytes(&result.stderr);
                    }
                    Err(e) => eprintln!("error: cannot run '{command}': {e}"),
                }
            }
            AtCommand::Sleep(duration) => std::thread::sleep(duration),
            AtCommand::Time => {
                let now = chrono::Local::now().format("%d-%b-%Y %H:%M:%S").to_string();
                self.print(&format!("{now}\n"));
            }
            AtCommand::Version => self.print(&format!(
                "bareosctl {} (bareos-rs), director {} version {}\n",
                env!("CARGO_PKG_VERSION"),
                self.director.borrow().welcome().director,
                self.director.borrow().welcome().version
            )),
            AtCommand::Echo(text) => self.print(&format!("{text}\n")),
            AtCommand::Help => self.print(HELP),
            AtCommand::Separator(sep) => self.separator = sep,
            AtCommand::Quit => {
                self.done = true;
                self.quit();
            }
        }
    }

    fn quit(&mut self) {
        let mut director = self.director.borrow_mut();
        let _ = director.call("quit");
    }

    /// Runs one director command, answering prompts in place.
    fn command(&mut self, command: &str) {
        let is_quit =
            bareos::proto::command_table::resolve_line(command).is_some_and(|c| c.ends_session());
        tracing::debug!(command = %redact_command(command), "sending");
        if self.options.json && !is_quit {
            self.json_command(command);
            return;
        }
        // The result is streamed as it arrives, raw bytes, in constant memory. The last
        // chunk is held back: when the response ends at a prompt, it is the prompt line
        // (see `bareos::Prompt::text`), shown by `read_answer` instead.
        let mut line = command.to_string();
        loop {
            let sent = self.director.borrow_mut().send(&line);
            if let Err(e) = sent {
                return self.library_error(e);
            }
            let mut held: Option<Vec<u8>> = None;
            loop {
                let chunk = self.director.borrow_mut().next_chunk();
                match chunk {
                    Ok(Some(chunk)) => {
                        if let Some(previous) = held.replace(chunk) {
                            self.out.hold(&previous);
                        }
                        // Shown before a read that may wait for the network.
                        if !self.director.borrow().has_buffered_data() {
                            self.out.flush();
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        if let Some(previous) = held {
                            self.out.write_bytes(&previous);
                        }
                        return self.library_error(e);
                    }
                }
            }
            self.out.flush();
            let held = held.unwrap_or_default();
            if !self.director.borrow().at_prompt() {
                self.out.write_bytes(&held);
                if is_quit {
                    self.done = true;
                }
                return;
            }
            line = match self.read_answer(&held) {
                Some(answer) => answer,
                None => ".".to_string(),
            };
        }
    }

    /// Reads the answer to a prompt; `None` cancels (Ctrl-C, end of input).
    fn read_answer(&mut self, prompt_bytes: &[u8]) -> Option<String> {
        let prompt = String::from_utf8_lossy(prompt_bytes).into_owned();
        let prompt = prompt.as_str();
        if self.editor.is_some() && self.inputs.is_empty() {
            let editor = self.editor.as_mut()?;
            loop {
                match editor.readline(prompt) {
                    Ok(line) => {
                        if line.trim().is_empty() && prompt.trim_end() == "$" {
                            continue;
                        }
                        let _ = editor.add_history_entry(line.as_str());
                        return Some(line);
                    }
                    Err(ReadlineError::Interrupted) => {
                        if self.options.no_signals {
                            self.done = true;
                        }
                        return None;
                    }
                    Err(_) => return None,
                }
            }
        }
        self.out.write_bytes(prompt_bytes);
        match self.next_line(prompt) {
            Some((line, _)) => {
                self.print(&format!("{line}\n"));
                Some(line)
            }
            None => {
                self.print("\n");
                None
            }
        }
    }

    fn json_command(&mut self, command: &str) {
        let result = self.director.borrow_mut().call_json_reply(command);
        match result {
            Ok(reply) => {
                if !reply.leading_text.is_empty() {
                    self.out.write_bytes(&reply.leading_text);
                }
                if let Some(error) = reply.error() {
                    let messages = error.error_messages();
                    if messages.is_empty() {
                        eprintln!("error: {}", error.message);
                    } else {
                        for m in messages {
                            eprintln!("error: {m}");
                        }
                    }
                } else {
                    let value = reply.result().cloned().unwrap_or_default();
                    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
                    self.print(&format!("{text}\n"));
                }
            }
            Err(e) => self.library_error(e),
        }
    }

    /// Reports an error; a lost connection is re-established once.
    fn library_error(&mut self, error: bareos::Error) {
        if error.is_usage() {
            // A line the library refuses to send (too long, a line break...): an error of
            // that line only; the connection is fine.
            eprintln!("error: {}", CliError::from(error));
            self.rejected_input = true;
            return;
        }
        let message = CliError::from(error);
        eprintln!("error: {message}");
        if message.code == exit::CONNECTION || message.code == exit::TIMEOUT {
            let result = self.director.borrow_mut().reconnect();
            match result {
                Ok(()) => {
                    if let Some(helper) = self.editor.as_ref().and_then(|e| e.helper()) {
                        helper.clear_cache();
                    }
                    eprintln!("reconnected to the director");
                }
                Err(e) => {
                    eprintln!("error: cannot reconnect: {}", CliError::from(e));
                    self.status = message.code;
                    self.done = true;
                }
            }
        }
    }
}
