//! Building command lines: quoting values for the director, shell-like splitting and
//! bashing for the file daemon.

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
