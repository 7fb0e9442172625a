//! Injection-proof command lines: the command word and keywords come from the code, every
//! value from a request is checked and, unless it is made of harmless characters only,
//! quoted so that it stays one argument.

use bareos_proto::command::command_word;
use bareos_proto::command_table::{self, DirectorCommand, DIRECTOR_COMMANDS};
use std::fmt::Write;

/// A value that cannot be placed into a command.
#[derive(Debug, Clone, thiserror::Error)]
#[error("invalid value for {key}: {reason}")]
pub struct InvalidValue {
    /// The parameter.
    pub key: String,
    /// Why.
    pub reason: &'static str,
}

/// Builds one director command line.
#[derive(Debug, Clone)]
pub struct Command {
    line: String,
}

/// Characters sent without quotes.
fn is_plain(value: &str) -> bool {
    !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._:/@+,-*~".contains(c))
}

/// Checks and renders one value: plain, or quoted.
pub fn render_value(key: &str, value: &str) -> Result<String, InvalidValue> {
    let bad = |reason| InvalidValue {
        key: key.to_string(),
        reason,
    };
    if value.is_empty() {
        return Err(bad("it is empty"));
    }
    if value.len() > 4096 {
        return Err(bad("it is longer than 4096 bytes"));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(bad(
            "it contains a control character (newline, carriage return, 0x1E, NUL, ...)",
        ));
    }
    if is_plain(value) {
        return Ok(value.to_string());
    }
    bareos_proto::command::quote_value(value).map_err(|_| bad("it cannot be quoted"))
}

impl Command {
    /// Starts with a fixed command word (never from a request).
    pub fn new(word: &'static str) -> Self {
        Command {
            line: word.to_string(),
        }
    }

    /// Appends a fixed keyword.
    pub fn word(mut self, word: &str) -> Self {
        debug_assert!(is_plain(word));
        self.line.push(' ');
        self.line.push_str(word);
        self
    }

    /// Appends `key=value` with a checked, possibly quoted value. The key must be a
    /// plain lower-case word.
    pub fn arg(mut self, key: &str, value: &str) -> Result<Self, InvalidValue> {
        check_key(key)?;
        let value = render_value(key, value)?;
        let _ = write!(self.line, " {key}={value}");
        Ok(self)
    }

    /// Appends `key=value` when the value is present.
    pub fn opt(self, key: &str, value: Option<&str>) -> Result<Self, InvalidValue> {
        match value {
            Some(v) => self.arg(key, v),
            None => Ok(self),
        }
    }

    /// Appends `key=number`.
    pub fn num(mut self, key: &str, value: u64) -> Self {
        let _ = write!(self.line, " {key}={value}");
        self
    }

    /// Appends `key=number` when present.
    pub fn opt_num(self, key: &str, value: Option<u64>) -> Self {
        match value {
            Some(v) => self.num(key, v),
            None => self,
        }
    }

    /// The command line.
    pub fn as_str(&self) -> &str {
        &self.line
    }
}

/// Checks a keyword that comes from a request body's field name.
pub fn check_key(key: &str) -> Result<(), InvalidValue> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(InvalidValue {
            key: key.chars().take(64).collect(),
            reason: "parameter names are lower-case letters, digits and '_'",
        })
    }
}

/// Session-changing commands of other director versions, not in this version's table.
const OTHER_SESSION_COMMANDS: &[&str] = &[".exit"];

/// Whether a typed command word may run a session-changing command
/// ([`DirectorCommand::changes_session`]). Directors of other versions have other tables,
/// so any word that is a prefix of such a command counts, unless it is the full name of a
/// harmless command that resolves to itself (`.`).
fn changes_session(word: &str) -> bool {
    if word.starts_with('@') {
        return true;
    }
    let resolved = command_table::resolve(word);
    if resolved.is_some_and(DirectorCommand::changes_session) {
        return true;
    }
    let full_harmless_name = resolved.is_some_and(|c| c.name.eq_ignore_ascii_case(word));
    let lower = word.to_lowercase();
    !full_harmless_name
        && (DIRECTOR_COMMANDS
            .iter()
            .any(|c| c.changes_session() && c.is_typed_as(word))
            || OTHER_SESSION_COMMANDS.iter().any(|c| c.starts_with(&lower)))
}

/// Checks a free command line (JSON-RPC): one line, no control characters, and no command
/// that would change the session itself, however abbreviated, quoted or escaped.
pub fn check_free_command(command: &str) -> Result<&str, InvalidValue> {
    let bad = |reason| InvalidValue {
        key: "command".into(),
        reason,
    };
    let command = command.trim();
    if command.is_empty() {
        return Err(bad("it is empty"));
    }
    if command.len() > 65536 {
        return Err(bad("it is too long"));
    }
    if command.chars().any(|c| c.is_control()) {
        return Err(bad("it contains a control character"));
    }
    if changes_session(&command_word(command)) {
        return Err(bad(
            "this command would change the session; it is not allowed",
        ));
    }
    Ok(command)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_and_quoted() {
        let c = Command::new("show").arg("client", "bareos-fd").unwrap();
        assert_eq!(c.as_str(), "show client=bareos-fd");
        let c = Command::new("show").arg("client", "a b\"c=d;e").unwrap();
        assert_eq!(c.as_str(), "show client=\"a b\\\"c=d;e\"");
        for v in ["a\nb", "a\rb", "a\u{1e}b", "a\0b", ""] {
            assert!(Command::new("show").arg("client", v).is_err());
        }
        assert!(check_key("Name").is_err());
        assert!(check_key("name x").is_err());
        assert!(check_free_command(".api 0").is_err());
        assert!(check_free_command("list jobs\nquit").is_err());
        assert_eq!(check_free_command(" list jobs ").unwrap(), "list jobs");
        for refused in [
            "q",
            "QU",
            "qui",
            "quit",
            "e",
            "ex",
            "Exit",
            ".a",
            ".ap 0",
            ".API",
            ".q",
            ".qu",
            ".e",
            ".exit",
            "g",
            "gu",
            "GUI on",
            "au",
            "aut",
            "autod on",
            "us",
            "use catalog=x",
            "\"quit\"",
            "q\\uit",
            "\"q\"ui",
            ".api=0",
            "qui=1",
            "@exec /bin/sh",
            "@output /tmp/x",
            "\"\" version",
            "automount on",
            "AUTOMOUNT off",
            "autom off",
        ] {
            assert!(check_free_command(refused).is_err(), "{refused:?}");
        }
        for allowed in [
            ".",
            "version",
            "list jobs",
            "llist jobs",
            ".jobs",
            ".api_x",
            "quitx",
            "query",
            "update volume",
            "status dir",
            "show clients",
        ] {
            assert!(check_free_command(allowed).is_ok(), "{allowed:?}");
        }
    }

    proptest! {
        /// Whatever the value, the line splits into exactly the command, keyword and one
        /// `key=value` word whose value is the original.
        #[test]
        fn one_argument(value in "\\PC{1,40}") {
            if let Ok(c) = Command::new("show").arg("client", &value) {
                let words = bareos_proto::command::shell_split(c.as_str()).unwrap();
                prop_assert_eq!(words.len(), 2);
                prop_assert_eq!(&words[1], &format!("client={value}"));
            }
        }
    }
}
