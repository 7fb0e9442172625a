//! `wait` (`wait_cmd` in `ua_cmds.cc`): without arguments until no job runs; with
//! `jobid=`, `job=`/`jobname=` (a prefix of a running job's unique name) or `ujobid=`
//! (the full unique name) until that job ends, then `JobId=N` and `JobStatus=...`;
//! `mount [timeout=N]` until the timeout, as no simulated job waits for a volume. The
//! wait polls the runs and ends early when the client closes the connection; other
//! connections go on meanwhile.

use super::args::value;
use super::jobs::{unique_name, RunRow};
use super::{Runs, Session};
use crate::json::Json;
use std::io;
use std::time::{Duration, Instant};

type Reply = io::Result<(bool, Json)>;

/// How often the simulation looks at the runs (the director looks every second).
const POLL: Duration = Duration::from_millis(100);
/// The director's pause "to let the job actually start".
const SETTLE: Duration = Duration::from_millis(200);

/// `job_status_to_str`.
fn status_words(letter: &str) -> &'static str {
    match letter {
        "T" => "OK",
        "W" => "OK -- with warnings",
        "E" | "e" => "Error",
        "f" => "Fatal Error",
        "A" => "Canceled",
        "D" => "Differences",
        _ => "Unknown term code",
    }
}

/// The exit status `wait` reports: 0 ok, 1 warning, 2 critical, 3 unknown.
fn exit_status(letter: &str) -> i64 {
    match letter {
        "e" => 1,
        "f" | "E" | "A" => 2,
        "W" | "T" => 0,
        _ => 3,
    }
}

fn running(rows: &[RunRow]) -> impl Iterator<Item = &RunRow> {
    rows.iter().filter(|r| matches!(r.status, "C" | "R"))
}

/// Sleeps until `done` holds, looking every [`POLL`]; `false` if the client closed the
/// connection first.
async fn until(s: &mut Session, deadline: Option<Instant>, done: impl Fn(&Runs) -> bool) -> bool {
    let runs = s.config.runs.clone();
    let poll = async {
        tokio::time::sleep(SETTLE).await;
        loop {
            if done(&runs) || deadline.is_some_and(|d| Instant::now() >= d) {
                return;
            }
            tokio::time::sleep(POLL).await;
        }
    };
    let closed = s.conn.closed();
    tokio::select! {
        () = poll => true,
        () = closed => false,
    }
}

pub(super) async fn run(s: &mut Session, args: &[String]) -> Reply {
    let gone = || Err(io::ErrorKind::ConnectionAborted.into());
    if args.is_empty() {
        if !until(s, None, |runs| running(&runs.rows()).next().is_none()).await {
            return gone();
        }
        return Ok((true, Json::obj()));
    }
    let deadline = value(args, "timeout")
        .and_then(|t| t.parse::<u64>().ok())
        .map(|t| Instant::now() + Duration::from_secs(t));
    if args.iter().any(|a| a.eq_ignore_ascii_case("mount")) {
        if !until(s, deadline, |_| false).await {
            return gone();
        }
        s.warning_msg("Wait on mount timed out\n").await?;
        return Ok((true, Json::obj()));
    }
    let rows = s.config.runs.rows();
    let id = if let Some(id) = value(args, "jobid") {
        id.parse::<u32>().unwrap_or(0)
    } else if let Some(name) = value(args, "job").or_else(|| value(args, "jobname")) {
        running(&rows)
            .find(|r| unique_name(r).starts_with(name))
            .map_or(0, |r| r.id)
    } else if let Some(name) = value(args, "ujobid") {
        running(&rows)
            .find(|r| unique_name(r) == name)
            .map_or(0, |r| r.id)
    } else {
        0
    };
    if id == 0 {
        s.error_msg("ERR: Job was not found\n").await?;
        return Ok((true, Json::obj()));
    }
    let ended = |runs: &Runs| running(&runs.rows()).all(|r| r.id != id);
    if !until(s, None, ended).await {
        return gone();
    }
    let status = super::listing::all_jobs(s)
        .into_iter()
        .find(|j| j.id == id)
        .map_or_else(|| "?".to_string(), |j| j.status);
    let words = status_words(&status);
    s.text(format!("JobId={id}\nJobStatus={words} ({status})\n"))
        .await?;
    let job = Json::obj()
        .with("jobid", Json::Int(id as i64))
        .with("jobstatuslong", Json::s(words))
        .with("jobstatus", Json::s(status.as_str()))
        .with("exitstatus", Json::Int(exit_status(&status)));
    Ok((true, Json::obj().with("job", job)))
}
