//! `bareosctl call`: one command, its result on stdout, a meaningful exit status.

use crate::exit::{self, CliError, CliResult};
use bareos::{blocking, redact_command};
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
        Format::Text => text(director, command, &mut stdout),
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

/// Text mode: the result is streamed to stdout chunk by chunk, raw bytes, in constant
/// memory. Only a reply short enough to be the invalid-command text is held back until
/// its end, to tell it apart.
fn text(
    director: &mut blocking::Director,
    command: &str,
    stdout: &mut impl Write,
) -> CliResult<i32> {
    let word = command.split_whitespace().next().unwrap_or("");
    let hold_limit = word.len() + INVALID_SUFFIX.len();
    director.send(command)?;
    // One `write` per 64 KiB of a big result of small frames, and what has arrived is
    // shown before a read that may wait for the network.
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, stdout);
    let mut held: Option<Vec<u8>> = Some(Vec::new());
    let mut last = Vec::new();
    while let Some(chunk) = director.next_chunk()? {
        match &mut held {
            Some(buffer) if buffer.len() + chunk.len() <= hold_limit => {
                buffer.extend_from_slice(&chunk);
                continue;
            }
            Some(buffer) => {
                stdout.write_all(buffer)?;
                held = None;
            }
            None => {}
        }
        stdout.write_all(&chunk)?;
        if !director.has_buffered_data() {
            stdout.flush()?;
        }
        last = chunk;
    }
    if let Some(buffer) = held {
        if is_invalid_command_reply(command, &buffer) {
            return Err(CliError::director(String::from_utf8_lossy(&buffer)));
        }
        stdout.write_all(&buffer)?;
        last = buffer;
    }
    stdout.flush()?;
    if director.at_prompt() {
        let _ = director.cancel_prompt();
        return Err(CliError::director(format!(
            "'{}' stopped at a prompt ({}); give every argument on the command line (for example add 'yes'), or use the console",
            redact_command(command),
            String::from_utf8_lossy(&last).trim()
        )));
    }
    Ok(exit::OK)
}

const INVALID_SUFFIX: &str = ": is an invalid command.\n";

/// Whether a text-mode reply is exactly the director's fixed text for an unknown or
/// ACL-denied command, `<first word>: is an invalid command.` (API 0 sends no error
/// signal, so this is the one director error that text mode detects reliably; `--json`
/// detects all of them).
pub fn is_invalid_command_reply(command: &str, reply: &[u8]) -> bool {
    let Some(word) = command.split_whitespace().next() else {
        return false;
    };
    let matches = |word: &str| {
        let expected = format!("{word}{INVALID_SUFFIX}");
        reply == expected.as_bytes()
    };
    matches(word) || word.split_once('=').is_some_and(|(key, _)| matches(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_command_reply() {
        assert!(is_invalid_command_reply(
            "foo bar",
            b"foo: is an invalid command.\n"
        ));
        assert!(is_invalid_command_reply(
            "foo=1",
            b"foo: is an invalid command.\n"
        ));
        assert!(!is_invalid_command_reply(
            "bar",
            b"foo: is an invalid command.\n"
        ));
        assert!(!is_invalid_command_reply(
            "foo",
            b"x\nfoo: is an invalid command.\n"
        ));
        assert!(!is_invalid_command_reply("", b""));
    }
}
