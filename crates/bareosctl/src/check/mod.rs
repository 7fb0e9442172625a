//! `bareosctl check`: a monitoring plugin in the Nagios / Icinga / Sensu convention
//! (Monitoring Plugins Development Guidelines). It prints one status line, performance
//! data after `|`, and exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; `--json` prints
//! the same as a JSON object. Whatever stops a check from telling (no connection, a
//! refused login, a timeout, an unexpected answer) is UNKNOWN with the reason.

mod args;
mod daemons;
mod duration;
mod jobs;
mod range;
mod report;
mod volumes;

pub use args::{Check, CheckArgs};
pub use report::{Report, Status};

use crate::cli::ConnectionArgs;
use crate::connect::{self, PasswordOrigin};
use crate::exit::{CliError, CliResult};
use bareos::blocking;
use std::time::Duration;

/// How long a check waits for each reply unless `--timeout` says otherwise: monitoring
/// systems kill a plugin that hangs (Nagios after 60 s by default).
pub const DEFAULT_WAIT: Duration = Duration::from_secs(60);

/// Runs the check, prints its result and returns the exit code.
pub fn run(connection: &ConnectionArgs, origin: PasswordOrigin, args: &CheckArgs) -> i32 {
    let name = args.what.name();
    let report =
        execute(connection, origin, &args.what).unwrap_or_else(|e| Report::unknown(reason(&e)));
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report.json(name)).unwrap_or_default()
        );
    } else {
        println!("{}", report.line(name));
    }
    report.status.code()
}

/// The reason of an UNKNOWN, naming the kind of failure (the message never holds a
/// secret: see `CliError`).
fn reason(error: &CliError) -> String {
    let kind = match error.code {
        crate::exit::TIMEOUT => "timeout",
        crate::exit::CONNECTION => "cannot connect or log in",
        crate::exit::USAGE => "usage",
        _ => "director error",
    };
    format!("{kind}: {}", error.message)
}

fn execute(
    connection: &ConnectionArgs,
    origin: PasswordOrigin,
    check: &Check,
) -> CliResult<Report> {
    let mut plan = connect::director_plan(connection, origin)?;
    if connect::timeout(connection).is_none() {
        plan.config = plan.config.clone().read_timeout(DEFAULT_WAIT);
    }
    let started = std::time::Instant::now();
    let mut director = connect::connect(&plan)?;
    let report = match check {
        Check::Director { time } => daemons::director(&mut director, started, time),
        Check::Job {
            job: name,
            warning_age,
            critical_age,
            level,
        } => jobs::job(
            &mut director,
            name,
            warning_age.as_ref(),
            critical_age.as_ref(),
            *level,
        ),
        Check::Jobs { .. } => jobs::jobs(&mut director, check),
        Check::Volumes {
            pool,
            warning,
            critical,
            min_appendable,
        } => volumes::volumes(
            &mut director,
            pool.as_deref(),
            warning.as_ref(),
            critical.as_ref(),
            *min_appendable,
        ),
        Check::Storage {
            storage: name,
            time,
        } => daemons::daemon(&mut director, daemons::Daemon::Storage, name, time),
        Check::Client { client: name, time } => {
            daemons::daemon(&mut director, daemons::Daemon::Client, name, time)
        }
    };
    director.close();
    report
}

/// Runs a command in JSON mode and reads its typed result.
fn typed<T: serde::de::DeserializeOwned>(
    director: &mut blocking::Director,
    command: &str,
) -> CliResult<T> {
    let value = director.call_json(command)?;
    bareos::models::from_result(&value).map_err(|e| {
        CliError::director(format!(
            "unexpected answer to '{command}' from the director: {e}"
        ))
    })
}

/// Seconds since the epoch, now.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
