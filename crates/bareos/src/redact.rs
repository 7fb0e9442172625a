//! Keeping secrets out of logs.

use bareos_proto::command::raw_args;

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
    raw_args(command)
        .into_iter()
        .map(|word| match word.split_once('=') {
            Some((key, _)) if is_secret_key(key) => format!("{key}=<redacted>"),
            _ => word.to_string(),
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
