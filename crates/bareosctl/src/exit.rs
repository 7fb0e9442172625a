//! Exit statuses and the error type that carries one: every way out of `bareosctl` is here
//! (except `check`, which exits with the monitoring-plugin states of `check::Status`).

use std::fmt;

/// Success.
pub const OK: i32 = 0;
/// The director reported an error for the command (or a job ended in error).
pub const DIRECTOR_ERROR: i32 = 1;
/// Bad usage: unknown option, bad config file, missing password, unknown director...
pub const USAGE: i32 = 2;
/// The connection could not be made: unreachable, TLS, authentication, lost connection.
pub const CONNECTION: i32 = 3;
/// A deadline (`--timeout`) passed.
pub const TIMEOUT: i32 = 4;
/// `call --wait`: the job was canceled.
pub const JOB_CANCELED: i32 = 5;

/// A failure with the exit status it maps to. The message is one line and never contains
/// a secret.
#[derive(Debug)]
pub struct CliError {
    /// The exit status.
    pub code: i32,
    /// What went wrong and, where possible, what to do about it.
    pub message: String,
}

impl CliError {
    /// A usage error (status 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            code: USAGE,
            message: message.into(),
        }
    }

    /// A director-reported error (status 1).
    pub fn director(message: impl Into<String>) -> Self {
        CliError {
            code: DIRECTOR_ERROR,
            message: message.into(),
        }
    }

    /// A failure with an explicit status.
    pub fn with_code(code: i32, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The exit status for a library error.
pub fn code_of(error: &bareos::Error) -> i32 {
    use bareos::ErrorKind as K;
    match error.kind() {
        K::Timeout => TIMEOUT,
        // A result over the buffered size limit (JSON mode) is that command's failure,
        // not a connection problem.
        K::Director | K::TooLarge => DIRECTOR_ERROR,
        K::Config | K::Usage => USAGE,
        _ => CONNECTION,
    }
}

impl From<bareos::Error> for CliError {
    fn from(error: bareos::Error) -> Self {
        let mut message = error.to_string();
        if let Some(source) = std::error::Error::source(&error) {
            let source = source.to_string();
            if !message.contains(&source) {
                message = format!("{message}: {source}");
            }
        }
        if error.kind() == bareos::ErrorKind::PamOverCleartext {
            message.push_str(" (with --pam-allow-cleartext)");
        }
        if error.kind() == bareos::ErrorKind::Pam
            && message.contains("no PAM username and password were given")
        {
            message.push_str(
                " (give --pam-username and BAREOS_PAM_PASSWORD, or run on a terminal to answer the PAM prompts)",
            );
        }
        CliError {
            code: code_of(&error),
            message: one_line(&message),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            // The reader went away (`| head`): not an error worth a message.
            return CliError::with_code(OK, "");
        }
        CliError::with_code(DIRECTOR_ERROR, format!("I/O error: {error}"))
    }
}

/// Joins the lines of a message so that every error prints as one line.
pub fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Result type of the binary.
pub type CliResult<T = ()> = Result<T, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_joins() {
        assert_eq!(one_line("a\nb\r\n\n c "), "a; b; c");
    }
}
