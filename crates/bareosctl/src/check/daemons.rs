//! `check director`, `check storage NAME`, `check client NAME`: the director answers,
//! and reaches the storage or file daemon (its `status` as the director relays it).

use super::args::TimeThresholds;
use super::report::{Perf, Report, Status};
use crate::exit::CliResult;
use bareos::blocking;
use bareos::models::VersionResult;
use serde_json::json;
use std::time::Instant;

/// `check director`: login plus `version`, timed.
pub fn director(
    director: &mut blocking::Director,
    started: Instant,
    time: &TimeThresholds,
) -> CliResult<Report> {
    let version: VersionResult = super::typed(director, "version")?;
    let elapsed = started.elapsed().as_secs_f64();
    let name = version
        .version
        .name
        .clone()
        .unwrap_or_else(|| director.welcome().director.clone());
    let number = version
        .version
        .version
        .clone()
        .unwrap_or_else(|| director.welcome().version.clone());
    let status = Status::of(
        elapsed,
        time.warning_time.as_ref(),
        time.critical_time.as_ref(),
    );
    let mut report = Report::new(status, format!("{name} {number} answered in {elapsed:.3}s"));
    report.perf.push(timing(elapsed, time));
    report.details = json!({"director": name, "version": number, "time": elapsed});
    Ok(report)
}

fn timing(elapsed: f64, time: &TimeThresholds) -> Perf {
    Perf::new("time", (elapsed * 1e6).round() / 1e6, "s")
        .thresholds(time.warning_time.as_ref(), time.critical_time.as_ref())
        .bounds(Some(0.0), None)
}

/// The daemons the director can be asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Daemon {
    /// A storage daemon (`status storage=NAME`).
    Storage,
    /// A file daemon (`status client=NAME`).
    Client,
}

impl Daemon {
    fn keyword(self) -> &'static str {
        match self {
            Daemon::Storage => "storage",
            Daemon::Client => "client",
        }
    }

    /// How the director names it in `Failed to connect to ...` (`fd_cmds.cc`,
    /// `sd_cmds.cc`).
    fn what(self) -> &'static str {
        match self {
            Daemon::Storage => "Storage daemon",
            Daemon::Client => "Client",
        }
    }
}

/// What the director's relayed status says.
#[derive(Debug, PartialEq, Eq)]
pub enum Reach {
    /// The daemon answered with its header line.
    Up {
        /// The daemon's own name.
        daemon: String,
        /// Its version.
        version: String,
    },
    /// `Failed to connect to ...`.
    Down,
    /// `Client "X" is disabled; skipping status call`.
    Disabled,
    /// Anything else (unknown resource, denied command): the director's first line.
    Other(String),
}

/// Reads the director's API 0 answer to `status client=NAME` / `status storage=NAME`.
pub fn reach(kind: Daemon, name: &str, text: &str) -> Reach {
    if text.contains(&format!("Failed to connect to {} {name}.", kind.what())) {
        return Reach::Down;
    }
    if text.contains("is disabled; skipping status call") {
        return Reach::Disabled;
    }
    let connected = text.contains(&format!("Connecting to {} {name} ", kind.what()));
    // The daemon's header: `bareos-fd Version: 25.1.1 (20 May 2026) Debian ...`.
    let header = text.lines().find_map(|line| {
        let (daemon, rest) = line.trim().split_once(" Version: ")?;
        let version = rest.split_whitespace().next()?;
        (!daemon.contains(' ')).then(|| (daemon.to_string(), version.to_string()))
    });
    match header {
        Some((daemon, version)) if connected || !text.contains("Connecting to") => {
            Reach::Up { daemon, version }
        }
        _ => Reach::Other(
            text.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("no answer")
                .to_string(),
        ),
    }
}

/// `check storage NAME` / `check client NAME`.
pub fn daemon(
    director: &mut blocking::Director,
    kind: Daemon,
    name: &str,
    time: &TimeThresholds,
) -> CliResult<Report> {
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '"') {
        return Ok(Report::unknown(format!(
            "'{name}' is not a {} resource name",
            kind.keyword()
        )));
    }
    let started = Instant::now();
    let reply = director.call(&format!("status {}={name}", kind.keyword()))?;
    let elapsed = started.elapsed().as_secs_f64();
    if reply.is_prompt() {
        // An unknown resource: the director asks to select one instead.
        let _ = director.cancel_prompt();
    }
    let text = reply.text();
    let mut report = match reach(kind, name, &text) {
        Reach::Up { daemon, version } => {
            let status = Status::of(
                elapsed,
                time.warning_time.as_ref(),
                time.critical_time.as_ref(),
            );
            let mut report = Report::new(
                status,
                format!(
                    "{} {name} ({daemon} {version}) answered in {elapsed:.3}s",
                    kind.what()
                ),
            );
            report.details =
                json!({"name": name, "daemon": daemon, "version": version, "time": elapsed});
            report
        }
        Reach::Down => {
            let mut report = Report::new(
                Status::Critical,
                format!("the director cannot connect to {} {name}", kind.what()),
            );
            report.details = json!({"name": name, "reachable": false, "time": elapsed});
            report
        }
        Reach::Disabled => Report::new(
            Status::Warning,
            format!("{} {name} is disabled in the director", kind.what()),
        ),
        Reach::Other(first) if reply.is_prompt() => Report::unknown(format!(
            "the director does not know {} {name} (or this console may not use it): {first}",
            kind.keyword()
        )),
        Reach::Other(first) => Report::unknown(format!(
            "unexpected answer to 'status {}={name}': {first}",
            kind.keyword()
        )),
    };
    if report.status != Status::Unknown {
        report.perf.push(timing(elapsed, time));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_relayed_status() {
        let up = "Connecting to Client bareos-fd at localhost:9102\n\nbareos-fd Version: 26.0.0~pre1298.eda204c31 (21 August 2026) Debian GNU/Linux 12 (bookworm)\nDaemon started 26-Nov-26 17:44. Jobs: run=4 running=0, self-compiled binary\n";
        assert_eq!(
            reach(Daemon::Client, "bareos-fd", up),
            Reach::Up {
                daemon: "bareos-fd".into(),
                version: "26.0.0~pre1298.eda204c31".into()
            }
        );
        let sd = "Connecting to Storage daemon File at localhost:9103\n Encryption: TLS_AES_256_GCM_SHA384\nbareos-sd Version: 25.1.1 (20 May 2026) Debian \n";
        assert!(
            matches!(reach(Daemon::Storage, "File", sd), Reach::Up { version, .. } if version == "25.1.1")
        );
        let down = "Connecting to Client gone-fd at 10.0.0.9:9102\n\nFailed to connect to Client gone-fd.\n====\n";
        assert_eq!(reach(Daemon::Client, "gone-fd", down), Reach::Down);
        assert_eq!(
            reach(
                Daemon::Client,
                "x",
                "Client \"x\" is disabled; skipping status call\n"
            ),
            Reach::Disabled
        );
        assert_eq!(
            reach(
                Daemon::Client,
                "nope",
                "Error: Client resource nope does not exist.\nThe defined Client resources are:\n"
            ),
            Reach::Other("Error: Client resource nope does not exist.".into())
        );
        assert_eq!(
            reach(Daemon::Client, "x", "status: is an invalid command.\n"),
            Reach::Other("status: is an invalid command.".into())
        );
    }
}
