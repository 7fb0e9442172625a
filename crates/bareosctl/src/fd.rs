//! `bareosctl fd`: talk to a File Daemon as a director (one command, or interactive).

use crate::exit::{self, CliError, CliResult};
use crate::input::{Line, LineReader};
use bareos::{blocking, Config};
use std::io::{IsTerminal, Write};

/// Connects and runs one command, or reads commands from the terminal or stdin.
pub fn run(config: Config, command: &[String]) -> CliResult<i32> {
    let mut fd = blocking::FileDaemon::connect(config)?;
    if !fd.is_encrypted() {
        eprintln!("warning: the connection to the file daemon is not encrypted (cleartext)");
    }
    if !command.is_empty() {
        let reply = fd.call(&command.join(" "))?;
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(reply.bytes())?;
        stdout.flush()?;
        fd.close();
        return Ok(exit::OK);
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
        match fd.call(line) {
            Ok(reply) => {
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(reply.bytes())?;
                stdout.flush()?;
            }
            Err(e) => {
                let error = CliError::from(e);
                eprintln!("error: {error}");
                if error.code != exit::DIRECTOR_ERROR {
                    return Ok(error.code);
                }
            }
        }
    }
    fd.close();
    Ok(if rejected { exit::USAGE } else { exit::OK })
}
