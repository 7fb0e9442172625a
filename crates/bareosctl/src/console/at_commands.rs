//! bconsole's `@` commands, which run locally and are never sent to the director.

use super::output::FileMode;
use std::path::PathBuf;
use std::time::Duration;

/// A parsed `@` command.
#[derive(Clone, Debug, PartialEq)]
pub enum AtCommand {
    /// `@input FILE`: read commands from a file.
    Input(PathBuf),
    /// `@output [FILE [w|a]]`: send output to a file (no file: back to the terminal).
    Output(Option<(PathBuf, FileMode)>),
    /// `@tee [FILE [w|a]]`: output to the terminal and a file.
    Tee(Option<(PathBuf, FileMode)>),
    /// `@exec COMMAND`: run a shell command and show its output.
    Exec(String),
    /// `@sleep N`: wait N seconds.
    Sleep(Duration),
    /// `@time`: print the current time.
    Time,
    /// `@version`: print the version of bareosctl.
    Version,
    /// `@echo TEXT`.
    Echo(String),
    /// `@help`.
    Help,
    /// `@separator [C]`: split lines into several commands at C (none: off).
    Separator(Option<char>),
    /// `@exit`, `@quit`.
    Quit,
    /// `@# ...` and empty `@`.
    Comment,
}

/// The help text of `@help`.
pub const HELP: &str = "\
\x20 @input <file>          read commands from <file>
  @output <file> [w|a]   send output to <file> (w: truncate, a: append, the default)
  @output                send output to the terminal again
  @tee <file> [w|a]      send output to the terminal and to <file>
  @exec \"<command>\"      run a shell command and show its output
  @sleep <seconds>       wait
  @time                  print the current time
  @version               print the version of bareosctl
  @echo <text>           print <text>
  @separator <c>         treat <c> as a command separator (no <c>: off)
  @help                  this list
  @exit, @quit           leave the console
  @# <text>              a comment
";

impl AtCommand {
    /// Whether bconsole refuses this command to root (it reads or writes files or runs
    /// programs).
    pub fn is_dangerous(&self) -> bool {
        matches!(
            self,
            AtCommand::Input(_) | AtCommand::Output(_) | AtCommand::Tee(_) | AtCommand::Exec(_)
        )
    }

    /// The command's name, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            AtCommand::Input(_) => "@input",
            AtCommand::Output(_) => "@output",
            AtCommand::Tee(_) => "@tee",
            AtCommand::Exec(_) => "@exec",
            AtCommand::Sleep(_) => "@sleep",
            AtCommand::Time => "@time",
            AtCommand::Version => "@version",
            AtCommand::Echo(_) => "@echo",
            AtCommand::Help => "@help",
            AtCommand::Separator(_) => "@separator",
            AtCommand::Quit => "@quit",
            AtCommand::Comment => "@#",
        }
    }

    /// Parses a line starting with `@`.
    pub fn parse(line: &str) -> Result<AtCommand, String> {
        let body = line.trim().trim_start_matches('@');
        if body.is_empty() || body.starts_with('#') {
            return Ok(AtCommand::Comment);
        }
        let (word, rest) = match body.split_once(char::is_whitespace) {
            Some((w, r)) => (w, r.trim()),
            None => (body, ""),
        };
        let word = word.to_ascii_lowercase();
        let file_and_mode = |rest: &str| -> Result<Option<(PathBuf, FileMode)>, String> {
            let words = split_words(rest);
            match words.as_slice() {
                [] => Ok(None),
                [file] => Ok(Some((PathBuf::from(file), FileMode::Append))),
                [file, mode] => {
                    let mode = match mode.as_str() {
                        "w" => FileMode::Write,
                        "a" => FileMode::Append,
                        other => {
                            return Err(format!(
                                "unknown mode '{other}': use w (truncate) or a (append)"
                            ))
                        }
                    };
                    Ok(Some((PathBuf::from(file), mode)))
                }
                _ => Err(format!("usage: @{word} <file> [w|a]")),
            }
        };
        match word.as_str() {
            "input" => match split_words(rest).as_slice() {
                [file] => Ok(AtCommand::Input(PathBuf::from(file))),
                _ => Err("usage: @input <file>".into()),
            },
            "output" => Ok(AtCommand::Output(file_and_mode(rest)?)),
            "tee" => Ok(AtCommand::Tee(file_and_mode(rest)?)),
            "exec" => {
                let command = rest.trim_matches('"');
                if command.is_empty() {
                    Err("usage: @exec \"<command>\"".into())
                } else {
                    Ok(AtCommand::Exec(command.to_string()))
                }
            }
            "sleep" => rest
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e7)
                .map(|s| AtCommand::Sleep(Duration::from_secs_f64(s)))
                .ok_or_else(|| "usage: @sleep <seconds>".into()),
            "time" => Ok(AtCommand::Time),
            "version" => Ok(AtCommand::Version),
            "echo" => Ok(AtCommand::Echo(rest.to_string())),
            "help" => Ok(AtCommand::Help),
            "separator" => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (None, _) => Ok(AtCommand::Separator(None)),
                    (Some(c), None) => Ok(AtCommand::Separator(Some(c))),
                    _ => Err("usage: @separator <one character>".into()),
                }
            }
            "exit" | "quit" => Ok(AtCommand::Quit),
            other => Err(format!(
                "unknown command '@{other}'; @help lists the @ commands"
            )),
        }
    }
}

/// Splits on whitespace, honouring double quotes.
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    words.push(std::mem::take(&mut current));
                    any = false;
                }
            }
            c => {
                current.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(AtCommand::parse("@# hi").unwrap(), AtCommand::Comment);
        assert_eq!(
            AtCommand::parse("@output \"a b\" w").unwrap(),
            AtCommand::Output(Some((PathBuf::from("a b"), FileMode::Write)))
        );
        assert_eq!(
            AtCommand::parse("@output").unwrap(),
            AtCommand::Output(None)
        );
        assert_eq!(
            AtCommand::parse("@separator ;").unwrap(),
            AtCommand::Separator(Some(';'))
        );
        assert!(AtCommand::parse("@sleep x").is_err());
        assert!(AtCommand::parse("@sleep -1").is_err());
        assert!(AtCommand::parse("@frobnicate").is_err());
        assert!(AtCommand::parse("@tee f x").is_err());
        assert!(AtCommand::parse("@exec ls").unwrap().is_dangerous());
    }
}
