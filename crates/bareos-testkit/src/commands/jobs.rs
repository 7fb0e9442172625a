//! Simulated job runs: `run job=NAME [level=L] yes` queues a job that moves through
//! created, running and terminated within about two seconds; `cancel jobid=N yes` stops
//! it. `list`/`llist jobs` and `jobid=N` show the runs next to the fixed catalog.

use super::Session;
use crate::json::Json;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Reply = io::Result<(bool, Json)>;

/// How long a simulated job stays created, then running.
const CREATED_FOR: Duration = Duration::from_millis(300);
const RUNNING_FOR: Duration = Duration::from_millis(1500);
const FINAL_FILES: u64 = 1002;
const FINAL_BYTES: u64 = 5_005_123;

/// One started job.
#[derive(Clone, Debug)]
struct Run {
    id: u32,
    name: String,
    client: String,
    level: &'static str,
    started: Instant,
    canceled_at: Option<Instant>,
}

/// The runs of one director, shared by all its connections.
#[derive(Clone, Debug, Default)]
pub(crate) struct Runs(Arc<Mutex<Vec<Run>>>);

/// A job row as the catalog shows it (see `catalog::JobRow`).
pub(super) struct RunRow {
    pub id: u32,
    pub name: String,
    pub client: String,
    pub level: &'static str,
    pub files: u64,
    pub bytes: u64,
    pub status: &'static str,
}

impl Runs {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Run>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current state of every run.
    pub(super) fn rows(&self) -> Vec<RunRow> {
        let now = Instant::now();
        self.lock()
            .iter()
            .map(|run| {
                let at = run.canceled_at.unwrap_or(now);
                let elapsed = at.saturating_duration_since(run.started);
                let (status, share) = if elapsed < CREATED_FOR {
                    ("C", 0.0)
                } else if elapsed < CREATED_FOR + RUNNING_FOR {
                    let running = (elapsed - CREATED_FOR).as_secs_f64();
                    ("R", running / RUNNING_FOR.as_secs_f64())
                } else {
                    ("T", 1.0)
                };
                let status = if run.canceled_at.is_some() {
                    "A"
                } else {
                    status
                };
                RunRow {
                    id: run.id,
                    name: run.name.clone(),
                    client: run.client.clone(),
                    level: run.level,
                    files: (FINAL_FILES as f64 * share) as u64,
                    bytes: (FINAL_BYTES as f64 * share) as u64,
                    status,
                }
            })
            .collect()
    }
}

fn value<'a>(args: &'a [String], key: &str) -> Option<&'a str> {
    args.iter().find_map(|a| {
        a.split_once('=')
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn has_yes(args: &[String]) -> bool {
    args.iter().any(|a| a.eq_ignore_ascii_case("yes"))
}

/// `run job=NAME [level=Full|Incremental|Differential] yes`.
pub(super) async fn run(s: &mut Session, args: &[String]) -> Reply {
    let Some(name) = value(args, "job") else {
        s.error_msg("run: job=<job-name> is required by the test director.\n")
            .await?;
        return Ok((false, Json::obj()));
    };
    let Some(job) = super::catalog::job_client(name) else {
        // The real director reports nothing but the failure (transcript 66).
        return Ok((false, Json::obj()));
    };
    let mut level = match value(args, "level").map(|l| l.to_ascii_lowercase()) {
        Some(l) if l.starts_with('f') => "Full",
        Some(l) if l.starts_with('d') => "Differential",
        Some(l) if l.starts_with('v') => "VirtualFull",
        Some(l) if l.starts_with('s') => "Since",
        // The job's default level.
        _ => "Incremental",
    };
    if !has_yes(args) {
        match super::prompts::confirm_run(s, name, job, level).await? {
            super::prompts::RunDecision::Run(chosen) => level = chosen,
            super::prompts::RunDecision::NotRun => {
                s.text("Job not run.\n").await?;
                return Ok((false, Json::obj()));
            }
            super::prompts::RunDecision::Gone => {
                return Err(io::ErrorKind::ConnectionAborted.into())
            }
        }
    }
    let level = match level {
        "Full" | "VirtualFull" => "F",
        "Differential" => "D",
        _ => "I",
    };
    let id = {
        let mut runs = s.config.runs.lock();
        let id = 5 + runs.len() as u32;
        runs.push(Run {
            id,
            name: name.to_string(),
            client: job.to_string(),
            level,
            started: Instant::now(),
            canceled_at: None,
        });
        id
    };
    s.text(format!("Job queued. JobId={id}\n")).await?;
    Ok((
        true,
        Json::obj().with("run", Json::obj().with("jobid", Json::s(id.to_string()))),
    ))
}

impl Runs {
    /// Queues a job started by another command (the restore job of `restore`); its id.
    pub(super) fn start(&self, name: &str, client: &str, level: &'static str) -> u32 {
        let mut runs = self.lock();
        let id = 5 + runs.len() as u32;
        runs.push(Run {
            id,
            name: name.to_string(),
            client: client.to_string(),
            level,
            started: Instant::now(),
            canceled_at: None,
        });
        id
    }

    /// The unique job name of a run (`NAME.YYYY-MM-DD_HH.MM.SS_NN`, the time it
    /// started), `None` for an unknown id.
    pub(super) fn unique_name(&self, id: u32) -> Option<String> {
        let runs = self.lock();
        let run = runs.iter().find(|r| r.id == id)?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let started = now.saturating_sub(run.started.elapsed().as_secs());
        let stamp = super::prompts::time_text(started)
            .replace(' ', "_")
            .replace(':', ".");
        Some(format!("{}.{stamp}_{:02}", run.name, run.id))
    }

    /// Marks a run canceled; `false` if it is unknown or already canceled.
    pub(super) fn cancel(&self, id: u32) -> bool {
        let mut runs = self.lock();
        match runs.iter_mut().find(|r| r.id == id) {
            Some(run) if run.canceled_at.is_none() => {
                run.canceled_at = Some(Instant::now());
                true
            }
            _ => false,
        }
    }
}
