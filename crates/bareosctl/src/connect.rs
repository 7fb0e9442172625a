//! From options, environment and configuration file to a logged-in connection: password
//! sources, director and console selection, protocol auto-detection, warnings.

use crate::cli::ConnectionArgs;
use crate::exit::{CliError, CliResult};
use crate::pam_prompt::TerminalPam;
use bareos::bconsole::{ConsoleConfig, DirectorResource, NamedConsole, TlsDirectives};
use bareos::{blocking, Config, Password, ProtocolVersion, TlsMode};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The configuration bconsole reads when no `-c` is given.
pub const DEFAULT_CONFIG: &str = "/etc/bareos/bconsole.conf";

/// Everything needed to connect, plus the console settings that matter to the REPL.
/// `Debug` shows no secret.
#[derive(Clone)]
pub struct Plan {
    /// The library configuration.
    pub config: Config,
    /// The Console resource in use, if any (history file, rc file).
    pub console: Option<NamedConsole>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("address", &self.config.get_address())
            .field("port", &self.config.get_port())
            .field("name", &self.config.get_name())
            .field("tls", &self.config.get_tls())
            .field("console", &self.console)
            .finish_non_exhaustive()
    }
}

/// Whether a password was given where others can see it: decided by `main` from clap's
/// value source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PasswordOrigin {
    /// Not given with `-p/--password`.
    #[default]
    Elsewhere,
    /// Given on the command line.
    CommandLine,
}

/// Reads the configuration named by `-c`, or the default one when it exists and nothing
/// else says where to connect.
pub fn load_config(opts: &ConnectionArgs) -> CliResult<Option<(ConsoleConfig, PathBuf)>> {
    let path = match &opts.config {
        Some(path) => path.clone(),
        None => {
            let implicit =
                opts.address.is_none() && opts.password.is_none() && opts.password_file.is_none();
            let default = PathBuf::from(DEFAULT_CONFIG);
            if (implicit || opts.list_directors || opts.test_config) && default.is_file() {
                default
            } else if opts.list_directors || opts.test_config {
                return Err(CliError::usage(format!(
                    "no configuration to read: give one with -c FILE|DIR ({DEFAULT_CONFIG} does not exist)"
                )));
            } else {
                return Ok(None);
            }
        }
    };
    let config = ConsoleConfig::load(&path).map_err(|e| CliError::usage(e.to_string()))?;
    Ok(Some((config, path)))
}

/// Picks the director: `-D NAME`, the only one, or asks on a terminal like bconsole.
pub fn select_director<'a>(
    config: &'a ConsoleConfig,
    path: &Path,
    wanted: Option<&str>,
) -> CliResult<&'a DirectorResource> {
    let names = || {
        config
            .directors
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(name) = wanted {
        return config.director(name).ok_or_else(|| {
            CliError::usage(format!(
                "unknown director '{name}' in {} (configured: {})",
                path.display(),
                names()
            ))
        });
    }
    match config.directors.len() {
        0 => Err(CliError::usage(format!(
            "no Director resource in {}",
            path.display()
        ))),
        1 => Ok(&config.directors[0]),
        n => {
            if !std::io::stdin().is_terminal() {
                return Err(CliError::usage(format!(
                    "{n} directors are configured in {} ({}); choose one with -D NAME",
                    path.display(),
                    names()
                )));
            }
            let mut err = std::io::stderr();
            let _ = writeln!(err, "Available Directors:");
            for (i, d) in config.directors.iter().enumerate() {
                let _ = writeln!(
                    err,
                    "{:2}:  {} at {}:{}",
                    i + 1,
                    d.name,
                    d.address.as_deref().unwrap_or("localhost"),
                    d.port.unwrap_or(bareos::DIRECTOR_PORT)
                );
            }
            let _ = write!(err, "Select Director by entering a number: ");
            let _ = err.flush();
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            let choice: usize = line.trim().parse().unwrap_or(0);
            if choice == 0 || choice > n {
                return Err(CliError::usage(format!(
                    "you must enter a number between 1 and {n}"
                )));
            }
            Ok(&config.directors[choice - 1])
        }
    }
}

/// The timeout from `--timeout` or `-u`.
pub fn timeout(opts: &ConnectionArgs) -> Option<Duration> {
    opts.timeout.or(opts.timeout_u).map(Duration::from_secs)
}

/// Applies `--timeout` to every deadline of a config.
pub fn apply_timeout(config: Config, opts: &ConnectionArgs) -> Config {
    match timeout(opts) {
        Some(t) => config.timeout(t),
        None => config,
    }
}

/// Largest password file read.
const MAX_PASSWORD_FILE: u64 = 4096;

/// Reads the first line of a password file: a regular file of at most 4 KiB, or a FIFO
/// (`/dev/stdin` piped, a process substitution) of which at most 4 KiB are read.
/// The password given as an option (with a warning when it was typed on the command
/// line) or in `--password-file`, if any.
fn given_password(opts: &ConnectionArgs, origin: PasswordOrigin) -> CliResult<Option<String>> {
    if let Some(p) = &opts.password {
        if origin == PasswordOrigin::CommandLine {
            eprintln!(
                "warning: a password on the command line is visible to other users; prefer --password-file or BAREOS_PASSWORD"
            );
        }
        Ok(Some(p.clone()))
    } else if let Some(file) = &opts.password_file {
        read_password_file(file).map(Some)
    } else {
        Ok(None)
    }
}

fn read_password_file(path: &Path) -> CliResult<String> {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let fail = |why: String| {
        CliError::usage(format!(
            "cannot read the password file {}: {why}",
            path.display()
        ))
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let kind = file
        .metadata()
        .map_err(|e| fail(e.to_string()))?
        .file_type();
    if kind.is_file() {
        let bytes = bareos::bconsole::read_capped(path, MAX_PASSWORD_FILE).map_err(fail)?;
        return first_line(path, &bytes);
    }
    if !(kind.is_fifo() || kind.is_socket()) {
        return Err(fail("not a regular file or a pipe".into()));
    }
    let mut bytes = Vec::new();
    let mut reader = std::io::BufReader::new(file.take(MAX_PASSWORD_FILE + 1));
    std::io::BufRead::read_until(&mut reader, b'\n', &mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_PASSWORD_FILE {
        return Err(fail(format!(
            "its first line is longer than {MAX_PASSWORD_FILE} bytes"
        )));
    }
    first_line(path, &bytes)
}

fn first_line(path: &Path, bytes: &[u8]) -> CliResult<String> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        CliError::usage(format!(
            "the password file {} is not valid UTF-8",
            path.display()
        ))
    })?;
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        return Err(CliError::usage(format!(
            "the password file {} is empty",
            path.display()
        )));
    }
    Ok(line.to_string())
}

/// Asks for a password on the terminal (without echo).
fn prompt_password(what: &str) -> CliResult<String> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "no password given for {what}: use -p, --password-file, BAREOS_PASSWORD or a config file with -c"
        )));
    }
    rpassword::prompt_password(format!("Password for {what}: "))
        .map_err(|e| CliError::usage(format!("cannot read the password: {e}")))
}

/// Builds the plan for a director connection.
pub fn director_plan(opts: &ConnectionArgs, origin: PasswordOrigin) -> CliResult<Plan> {
    let loaded = load_config(opts)?;
    let mut director = None;
    let mut console = None;
    if let Some((config, path)) = &loaded {
        let d = select_director(config, path, opts.director.as_deref())?;
        console = match &opts.name {
            Some(name) => config.consoles.iter().find(|c| &c.name == name).cloned(),
            None => config.console_for(&d.name).cloned(),
        };
        director = Some(d.clone());
    } else if opts.director.is_some() {
        return Err(CliError::usage(
            "-D needs a configuration file (-c FILE|DIR)",
        ));
    }

    let address = opts
        .address
        .clone()
        .or_else(|| director.as_ref().and_then(|d| d.address.clone()))
        .unwrap_or_else(|| "localhost".to_string());
    let port = opts
        .port
        .or_else(|| director.as_ref().and_then(|d| d.port))
        .unwrap_or(bareos::DIRECTOR_PORT);
    let mut config = Config::new(address).port(port);
    let name = opts
        .name
        .clone()
        .or_else(|| console.as_ref().map(|c| c.name.clone()));
    if let Some(name) = &name {
        config = config.name(name.clone());
    }

    let password = if let Some(p) = given_password(opts, origin)? {
        p
    } else if let Some(p) = console
        .as_ref()
        .and_then(|c| c.password.clone())
        .filter(|_| name.is_some())
        .or_else(|| director.as_ref().and_then(|d| d.password.clone()))
    {
        p
    } else {
        prompt_password(&format!("console '{}'", config.get_name()))?
    };
    config = config.password(Password::from_config_value(&password));

    let (tls_enable, tls_require) = match (&console, &director) {
        (Some(c), _) if c.tls_enable.is_some() || c.tls_require.is_some() => {
            (c.tls_enable, c.tls_require)
        }
        (_, Some(d)) => (d.tls_enable, d.tls_require),
        _ => (None, None),
    };
    // As bconsole: a console from the configuration brings its own TLS settings,
    // the default console uses the Director resource's.
    let directives = match (&console, &director) {
        (Some(c), _) => c.tls.clone(),
        (None, Some(d)) => d.tls.clone(),
        _ => TlsDirectives::default(),
    };
    config = with_certificates(config, &directives, opts);
    let tls = if opts.tls_psk_disable {
        TlsMode::Disabled
    } else if opts.tls_psk_require {
        TlsMode::Required
    } else if tls_enable == Some(false) {
        TlsMode::Disabled
    } else if tls_require == Some(true) {
        TlsMode::Required
    } else if config.uses_certificates() && tls_require != Some(false) {
        // Falling back to cleartext would defeat the certificate check.
        TlsMode::Required
    } else {
        TlsMode::Prefer
    };
    config = config.tls(tls);

    if opts.pam_password.is_some() && opts.pam_password_on_command_line {
        eprintln!(
            "warning: a PAM password on the command line is visible to other users; prefer BAREOS_PAM_PASSWORD"
        );
    }
    match (&opts.pam_username, &opts.pam_password) {
        (Some(user), Some(pass)) => config = config.pam(user.clone(), pass.clone()),
        // What is missing is asked at the terminal when the director runs PAM; without
        // a terminal and without credentials, PAM consoles are refused at once.
        (user, pass) => {
            if user.is_some() || pass.is_some() || std::io::stdin().is_terminal() {
                config = config.pam_conversation(TerminalPam::new(user.clone(), pass.clone()));
            }
        }
    }
    config = config.allow_cleartext_pam(opts.pam_allow_cleartext);

    let (protocol, auto_protocol) = match opts.protocolversion.unwrap_or(0) {
        1 => (ProtocolVersion::V1, false),
        2 => (ProtocolVersion::V2, false),
        _ => (ProtocolVersion::V2, true),
    };
    config = apply_timeout(
        config.protocol(protocol).protocol_fallback(auto_protocol),
        opts,
    );
    Ok(Plan { config, console })
}

/// Applies the certificate TLS directives of the configuration, overridden one by one
/// by the `--tls-*` options.
fn with_certificates(
    mut config: Config,
    directives: &TlsDirectives,
    opts: &ConnectionArgs,
) -> Config {
    let path = |option: &Option<PathBuf>, directive: &Option<String>| {
        option
            .clone()
            .or_else(|| directive.as_ref().map(PathBuf::from))
    };
    if let Some(file) = path(&opts.tls_ca_file, &directives.ca_certificate_file) {
        config = config.tls_ca_file(file);
    }
    if let Some(dir) = path(&opts.tls_ca_dir, &directives.ca_certificate_dir) {
        config = config.tls_ca_dir(dir);
    }
    if let Some(file) = path(&opts.tls_cert_file, &directives.certificate) {
        config = config.tls_cert_file(file);
    }
    if let Some(file) = path(&opts.tls_key_file, &directives.key) {
        config = config.tls_key_file(file);
    }
    if let Some(verify) = opts.tls_verify_peer.or(directives.verify_peer) {
        config = config.tls_verify_peer(verify);
    }
    let allowed = if opts.tls_allowed_cn.is_empty() {
        &directives.allowed_cn
    } else {
        &opts.tls_allowed_cn
    };
    if !allowed.is_empty() {
        config = config.tls_allowed_cn(allowed.iter().cloned());
    }
    if let Some(ciphers) = opts
        .tls_cipher_list
        .as_ref()
        .or(directives.cipher_list.as_ref())
    {
        config = config.tls_cipher_list(ciphers.clone());
    }
    config
}

/// Builds the config for a file daemon connection (`fd`).
pub fn fd_config(opts: &ConnectionArgs, origin: PasswordOrigin) -> CliResult<Config> {
    let address = opts
        .address
        .clone()
        .ok_or_else(|| CliError::usage("fd needs --address HOST"))?;
    let name = opts
        .name
        .clone()
        .ok_or_else(|| CliError::usage("fd needs --name DIRECTOR_NAME (the director to act as)"))?;
    let password = if let Some(p) = given_password(opts, origin)? {
        p
    } else {
        prompt_password(&format!("director '{name}' on the file daemon"))?
    };
    let config = with_certificates(
        Config::file_daemon(address),
        &TlsDirectives::default(),
        opts,
    );
    let tls = if opts.tls_psk_disable {
        TlsMode::Disabled
    } else if opts.tls_psk_require || config.uses_certificates() {
        TlsMode::Required
    } else {
        TlsMode::Prefer
    };
    let config = config
        .port(opts.port.unwrap_or(bareos::FILE_DAEMON_PORT))
        .name(name)
        .password(Password::from_config_value(&password))
        .tls(tls);
    Ok(apply_timeout(config, opts))
}

/// Connects as planned (with `--protocolversion 0`, the library retries a refused
/// cleartext protocol-2 login once with protocol 1).
pub fn connect(plan: &Plan) -> CliResult<blocking::Director> {
    tracing::info!(
        address = plan.config.get_address(),
        port = plan.config.get_port(),
        console = plan.config.get_name(),
        "connecting"
    );
    Ok(blocking::Director::connect(plan.config.clone())?)
}

/// The connect banner, as bconsole prints it: the address, the encryption, the
/// director's `1000 OK: ...` welcome and its info message. Cleartext is a warning (on
/// stderr); the `(TLS-PSK)` note is only shown on a terminal, so piped output is
/// bconsole's byte for byte.
pub fn banner(director: &blocking::Director, out: &mut dyn Write) -> std::io::Result<()> {
    use std::io::IsTerminal;
    let config = director.config();
    writeln!(
        out,
        "Connecting to Director {}:{}",
        config.get_address(),
        config.get_port()
    )?;
    match director.cipher() {
        Some(info) if std::io::stdout().is_terminal() => match &info.peer_certificate {
            Some(subject) => writeln!(
                out,
                " Encryption: {} {} (certificate {subject})",
                info.cipher, info.version
            )?,
            None => writeln!(
                out,
                " Encryption: {} {} (TLS-PSK)",
                info.cipher, info.version
            )?,
        },
        Some(info) => writeln!(out, " Encryption: {} {}", info.cipher, info.version)?,
        None => {
            writeln!(out, " Encryption: None")?;
            eprintln!("warning: the connection is not encrypted (cleartext): commands and results can be read on the network");
        }
    }
    let welcome = director.welcome();
    if welcome.text.is_empty() {
        writeln!(
            out,
            "1000 OK: {} Version: {}",
            welcome.director, welcome.version
        )?;
    } else {
        // bconsole prints the message with its id (`1000 OK: ...`).
        writeln!(out, "1000 {}", welcome.text.trim_end_matches('\n'))?;
    }
    if let Some(info) = &welcome.info {
        writeln!(out, "{}", info.trim_end_matches('\n'))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_debug_shows_no_secret() {
        let opts = ConnectionArgs {
            address: Some("127.0.0.1".into()),
            password: Some("plan-secret-1".into()),
            pam_username: Some("u".into()),
            pam_password: Some("plan-secret-2".into()),
            ..ConnectionArgs::default()
        };
        let mut plan = director_plan(&opts, PasswordOrigin::Elsewhere).unwrap();
        plan.console = Some(NamedConsole {
            name: "c".into(),
            password: Some("plan-secret-3".into()),
            ..NamedConsole::default()
        });
        let text = format!("{plan:?} {plan:#?}");
        assert!(!text.contains("plan-secret"), "{text}");
        let md5 = Password::new("plan-secret-1").md5_hex().to_string();
        assert!(!text.contains(&md5), "{text}");
        assert!(text.contains("127.0.0.1"), "{text}");
    }
}
