//! `bareosctl fd`: talk to a File Daemon as a director (one command, or interactive).

use crate::exit::{self, CliError, CliResult};
use bareos::{blocking, Config};
use std::io::{BufRead, IsTerminal, Write};

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
    let mut stdin = std::io::stdin().lock();
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
            None => {
                let mut line = String::new();
                if stdin.read_line(&mut line)? == 0 {
                    break;
                }
                let line = line.trim_end().to_string();
                println!("{line}");
                line
            }
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
    Ok(exit::OK)
}
