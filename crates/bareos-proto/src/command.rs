//! Building and reading command lines: quoting values for the director, reading a line
//! as the director does, shell-like splitting and bashing for the file daemon.

use crate::error::ProtocolError;
use crate::frame::MAX_MESSAGE_LEN;
use crate::hello::bash_spaces;

/// Checks that `command` can be sent as one command frame.
pub fn validate_command(command: &[u8]) -> Result<(), ProtocolError> {
    if command.len() > MAX_MESSAGE_LEN {
        return Err(ProtocolError::InvalidInput {
            what: "command",
            reason:
                "it is longer than 999996 bytes, the largest frame a director reads as one command",
        });
    }
    if command.contains(&0) {
        return Err(ProtocolError::InvalidInput {
            what: "command",
            reason: "it contains a NUL byte, which would cut it short",
        });
    }
    Ok(())
}

/// Quotes a value for a director command line so that it stays one argument:
/// `Backup client1` becomes `"Backup client1"`. Refuses values that can never be sent
/// safely (NUL, newline, carriage return, 0x1E).
///
/// ```
/// use bareos_proto::command::quote_value;
/// assert_eq!(quote_value("Backup client1").unwrap(), "\"Backup client1\"");
/// assert_eq!(quote_value("a\"b").unwrap(), "\"a\\\"b\"");
/// assert!(quote_value("x\ny").is_err());
/// ```
pub fn quote_value(value: &str) -> Result<String, ProtocolError> {
    if value.contains(['\0', '\n', '\r', '\u{1e}']) {
        return Err(ProtocolError::InvalidInput {
            what: "command value",
            reason: "it contains a control character (NUL, newline, carriage return or 0x1E)",
        });
    }
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    Ok(quoted)
}

/// Splits a director command line into its arguments as the director does
/// (`next_arg`/`ParseArgsOnly` in `core/src/lib/scan.cc`): whitespace separates, a `"`
/// toggles quoting and is removed, `\` takes the next character literally. Single quotes
/// are ordinary characters. Like the director, it stops at the first empty argument
/// (`""`).
///
/// ```
/// use bareos_proto::command::split_args;
/// assert_eq!(split_args(r#"run job="Backup client1" yes"#), ["run", "job=Backup client1", "yes"]);
/// assert_eq!(split_args(r"a\ b 'c d'"), ["a b", "'c", "d'"]);
/// ```
pub fn split_args(line: &str) -> Vec<String> {
    raw_args(line)
        .into_iter()
        .map(unquote_arg)
        .take_while(|arg| !arg.is_empty())
        .collect()
}

/// The arguments of a director command line as they were typed (quotes and escapes
/// kept), split where [`split_args`] splits. For rewriting a line without changing how
/// the director reads it (redaction).
pub fn raw_args(line: &str) -> Vec<&str> {
    let mut args = Vec::new();
    let mut start = None;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                start.get_or_insert(i);
            }
            '"' => {
                quoted = !quoted;
                start.get_or_insert(i);
            }
            c if c.is_ascii_whitespace() && !quoted => {
                if let Some(s) = start.take() {
                    args.push(&line[s..i]);
                }
            }
            _ => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        args.push(&line[s..]);
    }
    args
}

/// Removes the quoting of one typed argument: `"` toggles quoting and is dropped, `\`
/// takes the next character.
fn unquote_arg(raw: &str) -> String {
    let mut arg = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => arg.extend(chars.next()),
            '"' => {}
            c => arg.push(c),
        }
    }
    arg
}

/// The command word of a director command line, as the director reads it: the keyword
/// of the first argument (the part before any `=`), without quotes or escapes.
///
/// ```
/// use bareos_proto::command::command_word;
/// assert_eq!(command_word("  status director"), "status");
/// assert_eq!(command_word(r#""qu"it"#), "quit");
/// assert_eq!(command_word(".api=2"), ".api");
/// assert_eq!(command_word(""), "");
/// ```
pub fn command_word(line: &str) -> String {
    let first = split_args(line).into_iter().next().unwrap_or_default();
    arg_keyword(&first).to_string()
}

/// The keyword of one argument, as the director's `argk`: the part before the first `=`.
///
/// ```
/// use bareos_proto::command::arg_keyword;
/// assert_eq!(arg_keyword("job=a=b"), "job");
/// assert_eq!(arg_keyword("yes"), "yes");
/// ```
pub fn arg_keyword(arg: &str) -> &str {
    arg.split_once('=').map_or(arg, |(key, _)| key)
}

/// Splits a line like a shell does (whitespace separates, `"` and `'` quote, `\` escapes).
pub fn shell_split(line: &str) -> Result<Vec<String>, ProtocolError> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => match chars.next() {
                Some(next @ ('"' | '\\')) => current.push(next),
                Some(next) => {
                    current.push('\\');
                    current.push(next);
                }
                None => current.push('\\'),
            },
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return Err(ProtocolError::InvalidInput {
            what: "command",
            reason: "it has an unterminated quote",
        });
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

/// A file daemon command line: split like a shell, spaces inside each word bashed to
/// 0x01, words joined with single spaces (`Command="echo hi"` becomes `Command=echo\x01hi`).
pub fn fd_command_line(line: &str) -> Result<String, ProtocolError> {
    let words = shell_split(line)?;
    Ok(words
        .iter()
        .map(|word| bash_spaces(word))
        .collect::<Vec<_>>()
        .join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting() {
        assert_eq!(
            shell_split(r#"Run When=2 Command="echo 'a b'" x\ y"#).unwrap(),
            ["Run", "When=2", "Command=echo 'a b'", "x y"]
        );
        assert_eq!(shell_split("  ").unwrap(), Vec::<String>::new());
        assert_eq!(shell_split("''").unwrap(), [""]);
        assert!(shell_split("\"open").is_err());
        assert_eq!(
            fd_command_line(r#"Run Command="echo hi""#).unwrap(),
            "Run Command=echo\u{1}hi"
        );
    }

    #[test]
    fn validation() {
        assert!(validate_command(b"status").is_ok());
        assert!(validate_command(b"a\0b").is_err());
        assert!(validate_command(&vec![b'x'; MAX_MESSAGE_LEN + 1]).is_err());
    }
}
