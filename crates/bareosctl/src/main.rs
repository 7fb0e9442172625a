//! `bareosctl`: a console for Bareos directors and file daemons.
//!
//! Exit statuses (see [`exit`]): 0 success, 1 director error, 2 usage or configuration
//! error, 3 connection/authentication/TLS error, 4 timeout, 5 job canceled (`call --wait`);
//! `check` exits with the plugin states instead (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).

mod call;
mod check;
mod cli;
mod connect;
mod console;
mod demo;
mod exit;
mod fd;
mod input;
mod pam_prompt;
mod progress;
mod serve;
mod top;

use cli::{Cli, Command, ConnectionArgs, ConsoleArgs};
use connect::PasswordOrigin;
use exit::{CliError, CliResult};
use std::io::Write;

fn main() {
    let cli = match cli::command()
        .try_get_matches()
        .and_then(|matches| cli::parse(&matches))
    {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            std::process::exit(if !e.use_stderr() {
                exit::OK
            } else if check_usage(&e) {
                // A monitoring plugin reports bad usage as UNKNOWN.
                check::Status::Unknown.code()
            } else {
                exit::USAGE
            });
        }
    };
    let origin = if cli.connection().password_on_command_line {
        PasswordOrigin::CommandLine
    } else {
        PasswordOrigin::Elsewhere
    };
    init_logging(cli.debug);
    let code = match run(cli, origin) {
        Ok(code) => code,
        Err(error) => {
            if !error.message.is_empty() {
                eprintln!("bareosctl: {}", exit::one_line(&error.message));
            }
            error.code
        }
    };
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

/// Whether a command-line error is one of `check`'s: its usage names the subcommand,
/// or a tolerant parse of the arguments finds it.
fn check_usage(error: &clap::Error) -> bool {
    let named = error
        .get(clap::error::ContextKind::Usage)
        .is_some_and(|usage| usage.to_string().contains("bareosctl check"));
    named
        || cli::command()
            .ignore_errors(true)
            .try_get_matches()
            .is_ok_and(|m| m.subcommand_name() == Some("check"))
}

/// `-d LEVEL` and `RUST_LOG` (which wins) select what is logged, on stderr.
fn init_logging(debug: Option<u32>) {
    use tracing_subscriber::EnvFilter;
    let level = match debug.unwrap_or(0) {
        0 => "warn",
        1..=49 => "info",
        50..=199 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

fn run(cli: Cli, origin: PasswordOrigin) -> CliResult<i32> {
    let connection = cli.connection();
    if connection.list_directors || connection.test_config {
        return config_only(connection);
    }
    match cli.command {
        Some(Command::Completions { shell }) => {
            let mut command = cli::command();
            let shell = match shell {
                cli::Shell::Bash => clap_complete::Shell::Bash,
                cli::Shell::Zsh => clap_complete::Shell::Zsh,
                cli::Shell::Fish => clap_complete::Shell::Fish,
            };
            clap_complete::generate(shell, &mut command, "bareosctl", &mut std::io::stdout());
            Ok(exit::OK)
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(cli::command()).render(&mut std::io::stdout())?;
            Ok(exit::OK)
        }
        Some(Command::Fd(args)) => {
            fd::run(connect::fd_config(&args.connection, origin)?, &args.command)
        }
        Some(Command::Call(args)) => {
            let command = args.command.join(" ");
            if command.trim().is_empty() {
                return Err(CliError::usage("call needs a command"));
            }
            let (_demo, plan) = plan(&args.connection, origin, args.demo)?;
            let mut director = connect::connect(&plan)?;
            let format = if args.raw {
                call::Format::Raw
            } else if args.json {
                call::Format::Json
            } else {
                call::Format::Text
            };
            let code = if args.wait {
                progress::run_and_wait(&mut director, &command)?
            } else {
                call::run(&mut director, &command, format)?
            };
            director.close();
            Ok(code)
        }
        Some(Command::Check(args)) => Ok(check::run(&args.connection, origin, &args)),
        Some(Command::Top(args)) => {
            let (_demo, mut plan) = plan(&args.connection, origin, args.demo)?;
            if args.connection.pam_username.is_none() || args.connection.pam_password.is_none() {
                plan.config = plan
                    .config
                    .pam_conversation(pam_prompt::TerminalPam::preset_only(
                        args.connection.pam_username.clone(),
                        args.connection.pam_password.clone(),
                    ));
            }
            let call_timeout =
                connect::timeout(&args.connection).unwrap_or(top::DEFAULT_CALL_TIMEOUT);
            top::run(
                &plan,
                std::time::Duration::from_secs(args.interval),
                call_timeout,
            )
        }
        Some(Command::Console(args)) => console(origin, args),
        Some(Command::Serve(args)) => serve::run(cli.config.as_deref(), &args),
        None => console(
            origin,
            ConsoleArgs {
                connection: cli.connection,
                ..ConsoleArgs::default()
            },
        ),
    }
}

/// `-l` and `-t`.
fn config_only(connection: &ConnectionArgs) -> CliResult<i32> {
    let (config, path) = connect::load_config(connection)?
        .ok_or_else(|| CliError::usage("no configuration to read: give one with -c FILE|DIR"))?;
    if connection.list_directors {
        for director in &config.directors {
            println!("{}", director.name);
        }
    } else if let Some(name) = &connection.director {
        connect::select_director(&config, &path, Some(name))?;
    } else if config.directors.is_empty() {
        return Err(CliError::usage(format!(
            "no Director resource in {}",
            path.display()
        )));
    }
    Ok(exit::OK)
}

fn plan(
    connection: &ConnectionArgs,
    origin: PasswordOrigin,
    demo: bool,
) -> CliResult<(Option<demo::Demo>, connect::Plan)> {
    if demo {
        let demo = demo::Demo::start()?;
        let plan = demo.plan(connection);
        Ok((Some(demo), plan))
    } else {
        Ok((None, connect::director_plan(connection, origin)?))
    }
}

fn console(origin: PasswordOrigin, args: ConsoleArgs) -> CliResult<i32> {
    let (_demo, plan) = plan(&args.connection, origin, args.demo)?;
    let mut director = connect::connect(&plan)?;
    if args.json {
        director.enable_json()?;
    }
    connect::banner(&director, &mut std::io::stdout())?;
    let options = console::Options {
        json: args.json,
        allow_root_at_commands: args.allow_root_at_commands,
        no_rc: args.no_rc,
        no_signals: args.connection.no_signals,
        console: plan.console.clone(),
    };
    let console = console::Console::new(director, options)?;
    Ok(console.run())
}
