//! `bareosctl call`: one command, its result on stdout, a meaningful exit status.

use crate::exit::{self, CliError, CliResult};
use bareos::{blocking, redact_command, ResponseEnd};
use std::io::Write;

/// How to print the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The director's text (API 0).
    Text,
    /// The `result` of the JSON reply, pretty-printed.
    Json,
    /// The whole JSON-RPC envelope, pretty-printed.
    Raw,
}

/// Runs `command` and prints its result; returns the exit status.
pub fn run(director: &mut blocking::Director, command: &str, format: Format) -> CliResult<i32> {
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Text => {
            let reply = director.call(command)?;
            stdout.write_all(reply.bytes())?;
            stdout.flush()?;
            if let ResponseEnd::Prompt(prompt) = reply.end() {
                let _ = director.cancel_prompt();
                return Err(CliError::director(format!(
                    "'{}' stopped at a prompt ({}); give every argument on the command line (for example add 'yes'), or use the console",
                    redact_command(command),
                    prompt.text.trim()
                )));
            }
            Ok(exit::OK)
        }
        Format::Json => {
            let value = director.call_json(command)?;
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            writeln!(stdout, "{text}")?;
            Ok(exit::OK)
        }
        Format::Raw => {
            let reply = director.call_json_reply(command)?;
            let text = serde_json::to_string_pretty(&reply.envelope).unwrap_or_default();
            writeln!(stdout, "{text}")?;
            match reply.error() {
                Some(error) => {
                    let messages = error.error_messages();
                    Err(CliError::director(format!(
                        "the director reported an error for '{}': {}",
                        redact_command(command),
                        if messages.is_empty() {
                            error.message
                        } else {
                            messages.join("; ")
                        }
                    )))
                }
                None => Ok(exit::OK),
            }
        }
    }
}
