//! `bareosctl fd`: talk to a File Daemon as a director (one command, or interactive).
//!
//! The file daemon ends the session after an unknown command and after most errors
//! (`2999 Invalid command`, `29xx Bad ... command`): its reply is shown, followed by a
//! note that the session was ended. A one-shot command then exits with status 1; the
//! interactive loop reconnects for the next command.

use crate::exit::{self, CliError, CliResult};
use crate::input::{Line, LineReader};
use bareos::{blocking, Config};
use std::io::{IsTerminal, Write};

/// How one command went.
enum Outcome {
    /// The reply was shown; the session goes on.
    Done,
    /// The reply was shown; it ends with a `29xx` failure code, after which the file
    /// daemon usually ends the session.
    Rejected,
    /// The connection ended while the reply was read (shown as far as received).
    Ended {
        /// Whether any of the reply arrived.
        any_data: bool,
    },
}

/// Sends `command` and streams its reply to stdout. A connection lost after the command
/// was sent means the file daemon ended the session; other failures are returned.
fn one_command(fd: &mut blocking::FileDaemon, command: &str) -> CliResult<Outcome> {
    fd.send(command)?;
    let mut stdout = std::io::stdout().lock();
    let mut tail: Vec<u8> = Vec::new();
    let mut any_data = false;
    loop {
        match fd.next_chunk() {
            Ok(Some(chunk)) => {
                any_data |= !chunk.is_empty();
                stdout.write_all(&chunk)?;
                stdout.flush()?;
                tail.extend_from_slice(&chunk);
                if tail.len() > 4096 {
                    tail.drain(..tail.len() - 1024);
                }
            }
            Ok(None) => {
                return Ok(if last_line_is_failure(&tail) {
                    Outcome::Rejected
                } else {
                    Outcome::Done
                })
            }
            Err(e) if e.is_connection_lost() && !e.is_timeout() => {
                return Ok(Outcome::Ended { any_data });
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Whether the last line of a reply carries a `29xx` failure code.
fn last_line_is_failure(reply: &[u8]) -> bool {
    let text = String::from_utf8_lossy(reply);
    let last = text
        .split(['\n', '\0'])
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("");
    last.len() >= 4 && last.starts_with("29") && last[..4].bytes().all(|b| b.is_ascii_digit())
}

fn explain(command: &str) {
    eprintln!(
        "error: the file daemon rejected '{}' and ended the session (it does so after an unknown command and most errors)",
        bareos::redact_command(command)
    );
}

/// Connects and runs one command, or reads commands from the terminal or stdin.
pub fn run(config: Config, command: &[String]) -> CliResult<i32> {
    let mut fd = blocking::FileDaemon::connect(config)?;
    if !fd.is_encrypted() {
        eprintln!("warning: the connection to the file daemon is not encrypted (cleartext)");
    }
    if !command.is_empty() {
        let command = command.join(" ");
        return match one_command(&mut fd, &command)? {
            Outcome::Done => {
                fd.close();
                Ok(exit::OK)
            }
            Outcome::Rejected | Outcome::Ended { .. } => {
                explain(&command);
                Ok(exit::DIRECTOR_ERROR)
            }
        };
    }
    let interactive = std::io::stdin().is_terminal();
    println!("{}", fd.hello().trim_end());
    let mut editor = if interactive {
        Some(
            rustyline::DefaultEditor::new()
                .map_err(|e| CliError::usage(format!("cannot start the line editor: {e}")))?,
        )
    } else {
        None
    };
    let mut stdin = LineReader::new(
        Box::new(std::io::BufReader::new(std::io::stdin())),
        "standard input",
    );
    let mut rejected = false;
    let mut failed = false;
    let mut ended = false;
    loop {
        let line = match &mut editor {
            Some(editor) => match editor.readline("fd> ") {
                Ok(line) => {
                    let _ = editor.add_history_entry(line.as_str());
                    line
                }
                Err(rustyline::error::ReadlineError::Interrupted) => continue,
                Err(_) => break,
            },
            None => match stdin.next_line() {
                Line::Text(line) => {
                    println!("{line}");
                    line
                }
                Line::Rejected(message) => {
                    eprintln!("error: {message}");
                    rejected = true;
                    continue;
                }
                Line::End => break,
                Line::Error(message) => {
                    eprintln!("error: {message}");
                    rejected = true;
                    break;
                }
            },
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if matches!(line, "quit" | "exit" | "@quit" | "@exit") {
            break;
        }
        let mut retried = false;
        loop {
            if ended {
                if let Err(e) = fd.reconnect() {
                    let error = CliError::from(e);
                    eprintln!("error: cannot reconnect to the file daemon: {error}");
                    return Ok(error.code);
                }
                eprintln!("(a new session with the file daemon)");
                ended = false;
            }
            match one_command(&mut fd, line) {
                Ok(Outcome::Done) => {}
                Ok(Outcome::Rejected) | Ok(Outcome::Ended { any_data: true }) => {
                    explain(line);
                    failed = true;
                    ended = true;
                }
                // Closed before any reply: the session had already ended after the
                // previous command; run this one again on a new session, once.
                Ok(Outcome::Ended { any_data: false }) if !retried => {
                    retried = true;
                    ended = true;
                    continue;
                }
                Ok(Outcome::Ended { any_data: false }) => {
                    explain(line);
                    failed = true;
                    ended = true;
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    if error.code != exit::DIRECTOR_ERROR {
                        return Ok(error.code);
                    }
                    failed = true;
                }
            }
            break;
        }
    }
    if !ended {
        fd.close();
    }
    Ok(if rejected {
        exit::USAGE
    } else if failed {
        exit::DIRECTOR_ERROR
    } else {
        exit::OK
    })
}
