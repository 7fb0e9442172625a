//! The command-line interface (clap definitions). The option names are a contract: they
//! follow python-bareos (`--address`, `--port`, `--name`, `-p/--password`, ...) and
//! bconsole (`-c`, `-D`, `-l`, `-t`, `-u`, `-s`, `-d`).
//!
//! The connection options ([`ConnectionArgs`]) belong to the subcommands that connect
//! (`console`, `call`, `check`, `fd`, `top`) and to the bare `bareosctl` (the console);
//! they may also be given before the subcommand's name, where a value given after it
//! wins. `serve` has none: its directors are in its own configuration file.

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// A console for Bareos directors and file daemons: interactive like bconsole, scriptable,
/// JSON on request.
#[derive(Debug, Parser)]
#[command(name = "bareosctl", version, about, long_about = None)]
pub struct Cli {
    /// The configuration file: a bconsole.conf file or directory (its bconsole.d/, or
    /// its own *.conf files) for the commands that connect, the server's TOML file for
    /// `serve`.
    #[arg(short = 'c', long = "config", global = true, value_name = "FILE|DIR")]
    pub config: Option<PathBuf>,

    /// Debug level as in bconsole (0 = warnings only, 1-49 info, 50-199 debug, 200+
    /// trace); RUST_LOG takes precedence.
    #[arg(short = 'd', long = "debug", global = true, value_name = "LEVEL")]
    pub debug: Option<u32>,

    /// The connection options given before the subcommand (or without one: the
    /// console). After the global options: the flattened heading applies from here on.
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// What to do (default: the interactive console).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The options of the commands that connect to a director or a file daemon: address,
/// credentials, TLS, timeouts and the bconsole.conf selection. `Debug` redacts the
/// passwords.
#[derive(Args, Clone, Default)]
#[command(next_help_heading = "Connection options")]
pub struct ConnectionArgs {
    /// Director address (default: localhost, or the config file's Address).
    #[arg(long, env = "BAREOS_ADDRESS", value_name = "HOST")]
    pub address: Option<String>,

    /// Director port (default: 9101; 9102 for `fd`).
    #[arg(long, env = "BAREOS_PORT", value_name = "PORT")]
    pub port: Option<u16>,

    /// Console name (default: the default console). For `fd`: the director name.
    #[arg(long, env = "BAREOS_NAME", value_name = "NAME")]
    pub name: Option<String>,

    /// Password (visible to other users in the process list: prefer --password-file or
    /// BAREOS_PASSWORD).
    #[arg(
        short = 'p',
        long,
        env = "BAREOS_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD"
    )]
    pub password: Option<String>,

    /// Read the password from the first line of FILE.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// Timeout in seconds for connecting, logging in and each wait for the director.
    /// Without it: 10 s to connect, 30 s to log in, and a command runs as long as the
    /// director needs (`wait`, `mount`, `.bvfs_update`); TCP keepalive notices a dead
    /// director within about a minute.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=31_536_000))]
    pub timeout: Option<u64>,

    /// Same as --timeout (bconsole's spelling).
    #[arg(
        short = 'u',
        value_name = "SECONDS",
        conflicts_with = "timeout",
        value_parser = clap::value_parser!(u64).range(1..=31_536_000)
    )]
    pub timeout_u: Option<u64>,

    /// Console protocol version: 2 (Bareos >= 18.2), 1 (older Bareos, Bacula), 0 = try 2
    /// then 1.
    #[arg(long, value_name = "VERSION", value_parser = clap::value_parser!(u8).range(0..=2))]
    pub protocolversion: Option<u8>,

    /// PAM user name (for consoles with UsePamAuthentication). With the PAM password both
    /// are sent at once; otherwise the director's PAM prompts are answered at the
    /// terminal.
    #[arg(long, value_name = "USER")]
    pub pam_username: Option<String>,

    /// PAM password (visible to other users in the process list: prefer
    /// BAREOS_PAM_PASSWORD).
    #[arg(
        long,
        env = "BAREOS_PAM_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub pam_password: Option<String>,

    /// Send the PAM credentials even over a cleartext connection (bconsole's -o); by
    /// default PAM is refused without TLS-PSK.
    #[arg(long)]
    pub pam_allow_cleartext: bool,

    /// Set by [`parse`]: --pam-password was given on the command line.
    #[arg(skip)]
    pub pam_password_on_command_line: bool,

    /// Set by [`parse`]: -p/--password was given on the command line.
    #[arg(skip)]
    pub password_on_command_line: bool,

    /// Require TLS-PSK: never fall back to cleartext.
    #[arg(long, conflicts_with = "tls_psk_disable")]
    pub tls_psk_require: bool,

    /// Do not use TLS-PSK (cleartext; for Bacula and old directors).
    #[arg(long)]
    pub tls_psk_disable: bool,

    /// Certificate TLS: the CA certificate(s) (PEM) that signed the director's
    /// certificate (bconsole's TLS CA Certificate File). With a CA, TLS uses certificates
    /// instead of TLS-PSK and is required unless the configuration says TLS Require = no.
    #[arg(long, value_name = "FILE")]
    pub tls_ca_file: Option<PathBuf>,

    /// Certificate TLS: a hashed directory of CA certificates (TLS CA Certificate Dir).
    #[arg(long, value_name = "DIR")]
    pub tls_ca_dir: Option<PathBuf>,

    /// Certificate TLS: our certificate (PEM), for a director with TLS Verify Peer = yes.
    #[arg(long, value_name = "FILE", requires = "tls_key_file")]
    pub tls_cert_file: Option<PathBuf>,

    /// Certificate TLS: the private key (PEM) of --tls-cert-file.
    #[arg(long, value_name = "FILE", requires = "tls_cert_file")]
    pub tls_key_file: Option<PathBuf>,

    /// Certificate TLS: whether the director's certificate must name its address (or
    /// one of --tls-allowed-cn); default yes. The CA chain is always verified.
    #[arg(long, value_name = "yes|no", value_parser = clap::builder::BoolishValueParser::new())]
    pub tls_verify_peer: Option<bool>,

    /// Certificate TLS: a common name accepted instead of the address (repeatable; TLS
    /// Allowed CN).
    #[arg(long, value_name = "CN")]
    pub tls_allowed_cn: Vec<String>,

    /// OpenSSL cipher list for TLS 1.2 (TLS Cipher List).
    #[arg(long, value_name = "LIST")]
    pub tls_cipher_list: Option<String>,

    /// The global `-c/--config` (set by [`parse`]): the bconsole configuration.
    #[arg(skip)]
    pub config: Option<PathBuf>,

    /// Select the director NAME from the configuration.
    #[arg(short = 'D', long = "director", value_name = "NAME")]
    pub director: Option<String>,

    /// List the directors of the configuration and exit.
    #[arg(short = 'l', long = "list-directors")]
    pub list_directors: bool,

    /// Test the configuration and exit.
    #[arg(short = 't', long = "test-config")]
    pub test_config: bool,

    /// No signal handling (bconsole's -s): Ctrl-C ends the program instead of
    /// cancelling a prompt.
    #[arg(short = 's', long = "no-signals")]
    pub no_signals: bool,
}

/// `Some("<redacted>")` for a secret that is set.
pub fn redacted<T>(secret: &Option<T>) -> Option<&'static str> {
    secret.as_ref().map(|_| "<redacted>")
}

impl std::fmt::Debug for ConnectionArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionArgs")
            .field("address", &self.address)
            .field("port", &self.port)
            .field("name", &self.name)
            .field("password", &redacted(&self.password))
            .field("password_file", &self.password_file)
            .field("timeout", &self.timeout)
            .field("timeout_u", &self.timeout_u)
            .field("protocolversion", &self.protocolversion)
            .field("pam_username", &self.pam_username)
            .field("pam_password", &redacted(&self.pam_password))
            .field("pam_allow_cleartext", &self.pam_allow_cleartext)
            .field("tls_psk_require", &self.tls_psk_require)
            .field("tls_psk_disable", &self.tls_psk_disable)
            .field("tls_ca_file", &self.tls_ca_file)
            .field("tls_ca_dir", &self.tls_ca_dir)
            .field("tls_cert_file", &self.tls_cert_file)
            .field("tls_key_file", &self.tls_key_file)
            .field("tls_verify_peer", &self.tls_verify_peer)
            .field("tls_allowed_cn", &self.tls_allowed_cn)
            .field("tls_cipher_list", &self.tls_cipher_list)
            .field("config", &self.config)
            .field("director", &self.director)
            .field("list_directors", &self.list_directors)
            .field("test_config", &self.test_config)
            .field("no_signals", &self.no_signals)
            .finish_non_exhaustive()
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The interactive console (the default).
    ///
    /// With piped standard input, each line is echoed and run like bconsole does. A line
    /// that is not valid UTF-8, or too long to be sent as a command, is reported on stderr
    /// and skipped; the other lines still run, and the exit status is then 2.
    Console(ConsoleArgs),
    /// Run one command, print its result and exit (use --json for reliable error
    /// detection).
    ///
    /// Exit status: 0 success, 1 director error (message on stderr), 2 usage, 3
    /// connection, authentication or TLS error, 4 timeout. In text mode the director sends
    /// no error signal: only an unknown or denied command (`WORD: is an invalid command.`)
    /// is recognised as an error there. Use --json (or --raw) for reliable director-error
    /// detection for all commands.
    Call(CallArgs),
    /// A monitoring plugin (Nagios, Icinga, Sensu): check the director, a job, the jobs
    /// of a window, the pools' volumes, a storage or a client.
    ///
    /// Prints one status line with performance data (`BAREOS JOB OK - ... | age=120s;...`)
    /// or, with --json, a JSON object. Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
    /// (also for bad options, no connection, a refused login or a timeout). Without
    /// --timeout each reply is awaited at most 60 s.
    Check(crate::check::CheckArgs),
    /// Talk to a File Daemon as a director: one command, or interactive without one.
    Fd(FdArgs),
    /// Serve REST (bareos-restapi compatible), JSON-RPC 2.0 and Prometheus metrics; the
    /// global --config names the server's TOML file here.
    ///
    /// The directors, their addresses and credentials come from that file: serve takes
    /// none of the connection options of the other commands.
    Serve(ServeArgs),
    /// A live view of the director in the terminal: running and waiting jobs with
    /// their progress, the last terminated jobs, the pools.
    ///
    /// Reads `status director`, `time`, `list jobs`, `list pools` and `list volumes` (API mode
    /// 2 where the director has it, text otherwise) every --interval seconds; a command
    /// the console may not use leaves its panel empty with a note. When the director goes
    /// away the last reading stays on screen and top reconnects. Each command waits at
    /// most --timeout seconds (default 15). Keys: q quit, c cancel, r rerun, m messages,
    /// / filter, s/S sort, Tab switch table, ? help.
    Top(TopArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// Options of `console`.
#[derive(Debug, Args, Default)]
pub struct ConsoleArgs {
    /// Print each result as pretty JSON (API mode 2).
    #[arg(long)]
    pub json: bool,

    /// Start the built-in test director and connect to it.
    #[arg(long)]
    pub demo: bool,

    /// Allow @input, @output, @tee and @exec when running as root.
    #[arg(long)]
    pub allow_root_at_commands: bool,

    /// Do not run ~/.bconsolerc (or the config's RcFile) at start.
    #[arg(long)]
    pub no_rc: bool,

    /// Connection options (last: their help heading applies from here on).
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// Options of `call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// Print the `result` of the JSON reply (API mode 2), pretty-printed.
    #[arg(long, conflicts_with = "raw")]
    pub json: bool,

    /// Print the whole JSON-RPC envelope.
    #[arg(long)]
    pub raw: bool,

    /// For `run ... yes`: follow the job until it ends, with a progress line; the exit
    /// status is the job's (0 OK, 1 error, 5 canceled).
    #[arg(long)]
    pub wait: bool,

    /// Start the built-in test director and send the command to it.
    #[arg(long)]
    pub demo: bool,

    /// The command; its words are joined with spaces.
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,

    /// Connection options (last: their help heading applies from here on).
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// Options of `top`.
#[derive(Debug, Args)]
pub struct TopArgs {
    /// Seconds between two readings.
    #[arg(long, value_name = "SECONDS", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub interval: u64,

    /// Start the built-in test director and watch it.
    #[arg(long)]
    pub demo: bool,

    /// Connection options (last: their help heading applies from here on).
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// Options of `fd` (`--name` is the director name to act as).
#[derive(Debug, Args)]
pub struct FdArgs {
    /// The command (words joined with spaces); interactive when absent.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,

    /// Connection options (last: their help heading applies from here on).
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// Options of `serve` (the global `--config FILE` is the server's TOML configuration).
#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// Serve the built-in test director (consoles admin/secret, limited/secret).
    #[arg(long)]
    pub demo: bool,

    /// Address to listen on (overrides the configuration's `listen`).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
}

/// Shells for `completions`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    /// GNU bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
}

impl Cli {
    /// The connection options that apply: the connecting subcommand's, or those of the
    /// bare `bareosctl` (the console, `-l`, `-t`).
    pub fn connection(&self) -> &ConnectionArgs {
        match &self.command {
            Some(Command::Console(args)) => &args.connection,
            Some(Command::Call(args)) => &args.connection,
            Some(Command::Check(args)) => &args.connection,
            Some(Command::Fd(args)) => &args.connection,
            Some(Command::Top(args)) => &args.connection,
            Some(Command::Serve(_) | Command::Completions { .. } | Command::Man) | None => {
                &self.connection
            }
        }
    }

    /// Whether the subcommand has connection options of its own.
    fn connects_in_subcommand(&self) -> bool {
        matches!(
            self.command,
            Some(
                Command::Console(_)
                    | Command::Call(_)
                    | Command::Check(_)
                    | Command::Fd(_)
                    | Command::Top(_)
            )
        )
    }

    fn connection_mut(&mut self) -> &mut ConnectionArgs {
        match &mut self.command {
            Some(Command::Console(args)) => &mut args.connection,
            Some(Command::Call(args)) => &mut args.connection,
            Some(Command::Check(args)) => &mut args.connection,
            Some(Command::Fd(args)) => &mut args.connection,
            Some(Command::Top(args)) => &mut args.connection,
            Some(Command::Serve(_) | Command::Completions { .. } | Command::Man) | None => {
                &mut self.connection
            }
        }
    }
}

/// Whether option `id` was typed on the command line at this level (not taken from the
/// environment or a default).
fn typed(matches: &ArgMatches, id: &str) -> bool {
    matches.value_source(id) == Some(ValueSource::CommandLine)
}

impl ConnectionArgs {
    /// The options of a subcommand (`self`, matched in `after`), each completed by the
    /// same option given before the subcommand's name (`before`, matched in
    /// `before_matches`): a value typed after the name wins, then one typed before it,
    /// then the environment.
    fn completed_by(
        self,
        after: &ArgMatches,
        before: ConnectionArgs,
        before_matches: &ArgMatches,
    ) -> ConnectionArgs {
        macro_rules! choose {
            ($($field:ident),* $(,)?) => {
                ConnectionArgs {
                    $($field: if typed(after, stringify!($field))
                        || !typed(before_matches, stringify!($field))
                    {
                        self.$field
                    } else {
                        before.$field
                    },)*
                    config: self.config,
                    pam_password_on_command_line: self.pam_password_on_command_line,
                    password_on_command_line: self.password_on_command_line,
                }
            };
        }
        // Every connection option but the three above, grouped as in `--help`.
        choose! {
            address, port, name, password, password_file, timeout, timeout_u, protocolversion,
            pam_username, pam_password, pam_allow_cleartext,
            tls_psk_require, tls_psk_disable, tls_ca_file, tls_ca_dir, tls_cert_file,
            tls_key_file, tls_verify_peer, tls_allowed_cn, tls_cipher_list,
            director, list_directors, test_config, no_signals,
        }
    }

    /// The connection options as clap defines them.
    fn arguments() -> Vec<clap::Arg> {
        ConnectionArgs::augment_args(clap::Command::new("connection"))
            .get_arguments()
            .cloned()
            .collect()
    }
}

/// The command line as clap defines it, with the connection options of a subcommand
/// applying at every level below it too (`check job NAME --timeout 5`).
pub fn command() -> clap::Command {
    let ids: Vec<clap::Id> = ConnectionArgs::arguments()
        .iter()
        .map(|arg| arg.get_id().clone())
        .collect();
    Cli::command().mut_subcommands(|sub| {
        sub.mut_args(|arg| {
            let connection = ids.contains(arg.get_id());
            arg.global(connection)
        })
    })
}

/// Reads the matches of [`command`]: the connection options typed before the
/// subcommand's name complete those after it, `-c` goes with them, and a connection
/// option before `serve` is a usage error (after `serve` clap itself refuses it).
pub fn parse(matches: &ArgMatches) -> Result<Cli, clap::Error> {
    let mut cli = Cli::from_arg_matches(matches)?;
    if matches.subcommand_name() == Some("serve") {
        refuse_before_serve(matches)?;
    }
    let typed_in = |levels: &[&ArgMatches], id: &str| levels.iter().any(|m| typed(m, id));
    let mut levels = vec![matches];
    if let (Some((_, sub)), true) = (matches.subcommand(), cli.connects_in_subcommand()) {
        let before = std::mem::take(&mut cli.connection);
        let after = std::mem::take(cli.connection_mut());
        *cli.connection_mut() = after.completed_by(sub, before, matches);
        levels.push(sub);
    }
    let config = cli.config.clone();
    let connection = cli.connection_mut();
    connection.config = config;
    connection.password_on_command_line = typed_in(&levels, "password");
    connection.pam_password_on_command_line = typed_in(&levels, "pam_password");
    Ok(cli)
}

/// `bareosctl --address HOST serve`: the option was read before clap knew it would not
/// apply.
fn refuse_before_serve(matches: &ArgMatches) -> Result<(), clap::Error> {
    let Some(arg) = ConnectionArgs::arguments()
        .into_iter()
        .find(|arg| typed(matches, arg.get_id().as_str()))
    else {
        return Ok(());
    };
    let option = match (arg.get_short(), arg.get_long()) {
        (Some(short), Some(long)) => format!("-{short}/--{long}"),
        (None, Some(long)) => format!("--{long}"),
        (Some(short), None) => format!("-{short}"),
        (None, None) => arg.get_id().to_string(),
    };
    let mut command = command();
    command.build();
    let serve = command
        .find_subcommand_mut("serve")
        .expect("serve is a subcommand");
    Err(serve.error(
        clap::error::ErrorKind::ArgumentConflict,
        format!(
            "{option} does not apply to serve: the directors, their addresses and credentials are in the server's configuration file (bareosctl serve --config FILE)"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;

    fn parse_from(args: &[&str]) -> Result<Cli, clap::Error> {
        parse(&command().try_get_matches_from(args)?)
    }

    #[test]
    fn definition_is_valid() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn connection_options_before_and_after_the_subcommand() {
        let cli = parse_from(&[
            "bareosctl",
            "--address",
            "before",
            "--port",
            "9999",
            "-p",
            "x",
            "call",
            "--address",
            "after",
            "version",
        ])
        .unwrap();
        let connection = cli.connection();
        assert_eq!(connection.address.as_deref(), Some("after"));
        assert_eq!(connection.port, Some(9999));
        assert!(connection.password_on_command_line);
        let cli = parse_from(&["bareosctl", "-c", "b.conf", "--tls-psk-disable", "top"]).unwrap();
        assert!(cli.connection().tls_psk_disable);
        assert_eq!(cli.connection().config, Some(PathBuf::from("b.conf")));
        // Without a subcommand: the console with the options given.
        let cli = parse_from(&["bareosctl", "--name", "admin", "-s"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.connection().name.as_deref(), Some("admin"));
        assert!(cli.connection().no_signals);
        assert!(!cli.connection().password_on_command_line);
    }

    #[test]
    fn connection_options_after_a_check() {
        let cli = parse_from(&[
            "bareosctl",
            "check",
            "job",
            "nightly",
            "--timeout",
            "5",
            "--name",
            "watcher",
        ])
        .unwrap();
        assert_eq!(cli.connection().timeout, Some(5));
        assert_eq!(cli.connection().name.as_deref(), Some("watcher"));
        match &cli.command {
            Some(Command::Check(args)) => assert_eq!(args.connection.timeout, Some(5)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn serve_takes_no_connection_options() {
        for option in [
            &["--address", "h"][..],
            &["--port", "1"],
            &["-p", "x"],
            &["-D", "d"],
        ] {
            let mut after = vec!["bareosctl", "serve", "--demo"];
            after.extend_from_slice(option);
            let error = parse_from(&after).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::UnknownArgument, "{after:?}");
            let mut before = vec!["bareosctl"];
            before.extend_from_slice(option);
            before.extend_from_slice(&["serve", "--demo"]);
            let error = parse_from(&before).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::ArgumentConflict, "{before:?}");
            assert!(
                error.to_string().contains("does not apply to serve"),
                "{error}"
            );
            assert!(error.to_string().contains(option[0]), "{error}");
        }
        // Its own options, the configuration file and the debug level are fine.
        for args in [
            &[
                "bareosctl",
                "-c",
                "gw.toml",
                "serve",
                "--listen",
                "127.0.0.1:0",
            ][..],
            &["bareosctl", "serve", "-c", "gw.toml", "-d", "100"],
        ] {
            let cli = parse_from(args).unwrap();
            assert_eq!(cli.config, Some(PathBuf::from("gw.toml")));
            assert!(matches!(cli.command, Some(Command::Serve(_))));
        }
    }

    #[test]
    fn debug_redacts_passwords() {
        let cli = parse_from(&[
            "bareosctl",
            "-p",
            "top-secret-1",
            "--pam-username",
            "u",
            "--pam-password",
            "top-secret-2",
            "call",
            "x",
        ])
        .unwrap();
        let text = format!("{cli:?} {:#?}", cli.connection());
        assert!(!text.contains("top-secret"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }

    #[test]
    fn top_interval() {
        let cli = parse_from(&["bareosctl", "top"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Top(TopArgs { interval: 2, .. }))
        ));
        let cli = parse_from(&["bareosctl", "top", "--interval", "5"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Top(TopArgs { interval: 5, .. }))
        ));
        assert!(parse_from(&["bareosctl", "top", "--interval", "0"]).is_err());
    }

    #[test]
    fn call_words() {
        let cli = parse_from(&["bareosctl", "call", "--json", "list", "jobs"]).unwrap();
        match cli.command {
            Some(Command::Call(args)) => {
                assert!(args.json);
                assert_eq!(args.command, ["list", "jobs"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
