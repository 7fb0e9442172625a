//! Keeping secrets out of logs.

/// A command line with the values of password-like keywords replaced, for logging.
/// Quoted values (`password="two words"`) are replaced whole.
///
/// ```
/// use bareos::redact_command;
/// assert_eq!(
///     redact_command("configure add client name=x password=\"my secret\" address=h"),
///     "configure add client name=x password=<redacted> address=h"
/// );
/// ```
pub fn redact_command(command: &str) -> String {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in command.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c.is_whitespace() && !quoted {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
        .into_iter()
        .map(|word| match word.split_once('=') {
            Some((key, _)) if is_secret_key(key) => format!("{key}=<redacted>"),
            _ => word,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("password") || key.contains("passwd") || key.contains("secret") || key == "key"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts() {
        assert_eq!(redact_command("status director"), "status director");
        assert_eq!(
            redact_command("x Password=a\\ b y"),
            "x Password=<redacted> y"
        );
        assert_eq!(
            redact_command("x PASSWORD=\"a \\\" b\""),
            "x PASSWORD=<redacted>"
        );
    }
}
