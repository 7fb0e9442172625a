//! Simulated job runs: `run job=NAME [level=L] yes` queues a job that moves through
//! created, running (1.5 s by default, see [`Runs::new`]) and terminated; `cancel jobid=N
//! yes` stops it. `list`/`llist jobs` and `jobid=N` show the runs after the catalog's
//! jobs, with their real times; a run ends `T`, or with the outcome configured for its
//! job. `status director` shows them running, with growing files and bytes, then among
//! the terminated jobs.

use super::args::{has, value};
use super::Session;
use crate::json::Json;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Reply = io::Result<(bool, Json)>;

/// How long a simulated job stays created, then running (by default).
const CREATED_FOR: Duration = Duration::from_millis(300);
const DEFAULT_RUNNING_FOR: Duration = Duration::from_millis(1500);
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
    started_at: UtcTime,
    canceled_at: Option<Instant>,
    /// The final status letter (`T`, or the configured outcome of the job).
    outcome: String,
    /// Whether its job report went to the console messages.
    reported: bool,
}

/// The runs of one director, shared by all its connections.
#[derive(Clone, Debug)]
pub(crate) struct Runs {
    list: Arc<Mutex<Vec<Run>>>,
    running_for: Duration,
    max_running: Option<usize>,
    /// The director's console messages (the job reports), read by any console.
    console: Arc<Mutex<Vec<String>>>,
    /// When the director started (seconds since the epoch): the volume session time.
    pub(super) started: u64,
}

impl Default for Runs {
    fn default() -> Self {
        Runs::new(DEFAULT_RUNNING_FOR)
    }
}

/// A job row as the catalog shows it (see `catalog::JobRow`).
pub(super) struct RunRow {
    pub id: u32,
    pub name: String,
    pub client: String,
    pub level: &'static str,
    pub files: u64,
    pub bytes: u64,
    pub status: &'static str,
    /// When it started.
    pub started: UtcTime,
    /// Created, but waiting for a free slot (see `TestDirectorBuilder::max_running_jobs`).
    pub waits: bool,
    /// When it began to run, if it did.
    pub began: Option<UtcTime>,
    /// When it ended (canceled or terminated), if it did.
    pub ended: Option<UtcTime>,
    /// The final status letter.
    pub outcome: String,
}

impl Runs {
    /// No runs yet; each job will run for `running_for` after 0.3 s in the created state.
    pub(crate) fn new(running_for: Duration) -> Self {
        Runs {
            list: Arc::default(),
            running_for,
            max_running: None,
            console: Arc::default(),
            started: UtcTime::now().unix,
        }
    }

    /// Each job runs for `running_for` (set before any job runs).
    pub(crate) fn set_running_for(&mut self, running_for: Duration) {
        self.running_for = running_for;
    }

    /// At most `max` jobs run at once (at least one); the others wait (set before any
    /// job runs).
    pub(crate) fn set_max_running(&mut self, max: usize) {
        self.max_running = Some(max.max(1));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Run>> {
        self.list.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current state of every run. With a limit on running jobs, a run waits for the
    /// earliest one to end (`is waiting on max total jobs`).
    pub(super) fn rows(&self) -> Vec<RunRow> {
        let now = Instant::now();
        // When each busy slot frees up.
        let mut slots: Vec<Instant> = Vec::new();
        self.lock()
            .iter()
            .map(|run| {
                let ready = run.started + CREATED_FOR;
                let taken = match self.max_running {
                    Some(max) if slots.len() >= max.max(1) => {
                        slots.sort();
                        Some(slots.remove(0))
                    }
                    _ => None,
                };
                let start = taken.map_or(ready, |free| free.max(ready));
                let natural_end = start + self.running_for;
                // A cancel after the end changes nothing.
                let canceled = run.canceled_at.filter(|c| *c < natural_end);
                let end = canceled.unwrap_or(natural_end);
                if end > start {
                    slots.push(end);
                } else if let Some(free) = taken {
                    slots.push(free);
                }
                let at = now.min(end);
                let share = if at > start {
                    (at - start).as_secs_f64() / self.running_for.as_secs_f64()
                } else {
                    0.0
                };
                let (status, waits) = if canceled.is_some() {
                    ("A", false)
                } else if at >= natural_end {
                    ("T", false)
                } else if at >= start {
                    ("R", false)
                } else {
                    ("C", at >= ready)
                };
                RunRow {
                    id: run.id,
                    name: run.name.clone(),
                    client: run.client.clone(),
                    level: run.level,
                    files: (FINAL_FILES as f64 * share.min(1.0)) as u64,
                    bytes: (FINAL_BYTES as f64 * share.min(1.0)) as u64,
                    status,
                    waits,
                    started: run.started_at,
                    began: (at > start).then(|| {
                        let waited = start.saturating_duration_since(run.started);
                        UtcTime::from_unix(run.started_at.unix + waited.as_secs())
                    }),
                    ended: matches!(status, "T" | "A").then(|| {
                        let ran = end.saturating_duration_since(run.started);
                        UtcTime::from_unix(run.started_at.unix + ran.as_secs())
                    }),
                    outcome: run.outcome.clone(),
                }
            })
            .collect()
    }
}

/// A wall-clock time (UTC: the simulation has no time zone), split into its fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct UtcTime {
    unix: u64,
    year: i64,
    month: i64,
    day: i64,
    hour: u64,
    minute: u64,
    second: u64,
}

impl UtcTime {
    /// Seconds since the epoch.
    pub(super) fn unix_seconds(&self) -> i64 {
        self.unix as i64
    }

    /// Now.
    pub(super) fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::from_unix(secs)
    }

    /// From seconds since 1970-01-01 00:00:00 UTC.
    pub(super) fn from_unix(secs: u64) -> Self {
        let (days, rest) = (secs / 86_400, secs % 86_400);
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        UtcTime {
            unix: secs,
            year: yoe + era * 400 + i64::from(month <= 2),
            month,
            day,
            hour: rest / 3600,
            minute: rest % 3600 / 60,
            second: rest % 60,
        }
    }

    /// `YYYY-MM-DD hh:mm:ss`, as catalog rows show times.
    pub(super) fn catalog(&self) -> String {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `dd-Mon-yy hh:mm`, as `status` shows times (`bstrftime_nc`).
    pub(super) fn status(&self) -> String {
        format!(
            "{:02}-{}-{:02} {:02}:{:02}",
            self.day,
            self.month_name(),
            self.year % 100,
            self.hour,
            self.minute
        )
    }

    /// `dd-Mon-YYYY hh:mm:ss`, as job reports show times (`bstrftimes`).
    pub(super) fn report(&self) -> String {
        format!(
            "{:02}-{}-{:04} {:02}:{:02}:{:02}",
            self.day,
            self.month_name(),
            self.year,
            self.hour,
            self.minute,
            self.second
        )
    }

    /// `dd-Mon hh:mm`, the time before each console message.
    pub(super) fn message(&self) -> String {
        format!(
            "{:02}-{} {:02}:{:02}",
            self.day,
            self.month_name(),
            self.hour,
            self.minute
        )
    }

    fn month_name(&self) -> &'static str {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        MONTHS[(self.month - 1).clamp(0, 11) as usize]
    }

    /// `YYYY-MM-DD_hh.mm.ss`, as in unique job names.
    fn job_name_part(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}_{:02}.{:02}.{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
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
    if !has(args, "yes") {
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
        "Full" => "F",
        // `L_VIRTUAL_FULL` of `job_level.h`.
        "VirtualFull" => "f",
        "Differential" => "D",
        _ => "I",
    };
    let outcome = super::outcome(&s.config, name);
    let id = s
        .config
        .runs
        .start(s.config.catalog.next_jobid(), name, job, level, outcome);
    s.text(format!("Job queued. JobId={id}\n")).await?;
    Ok((
        true,
        Json::obj().with("run", Json::obj().with("jobid", Json::s(id.to_string()))),
    ))
}

/// `rerun jobid=N [yes]`: runs job N's job again at its level (a run of the fixed
/// catalog or a simulated one), as `run job=NAME level=LEVEL` does.
pub(super) async fn rerun(s: &mut Session, args: &[String]) -> Reply {
    let id: Option<u32> = value(args, "jobid").and_then(|v| v.parse().ok());
    let fixed = super::catalog::JOBS
        .iter()
        .find(|j| Some(j.0) == id)
        .map(|j| (j.1.to_string(), j.6));
    let found = fixed.or_else(|| {
        s.config
            .runs
            .rows()
            .into_iter()
            .find(|r| Some(r.id) == id)
            .map(|r| (r.name, r.level))
    });
    let Some((name, level)) = found else {
        s.error_msg("No jobids with the specified options were found.\n")
            .await?;
        return Ok((false, Json::obj()));
    };
    let mut run_args = vec![format!("job={name}"), format!("level={level}")];
    if has(args, "yes") {
        run_args.push("yes".into());
    }
    run(s, &run_args).await
}

impl Runs {
    /// Queues a run of job `name` (by `run`, `rerun` or the restore job of `restore`);
    /// its id, counted on from `first_id`, the first id after the catalog's jobs.
    pub(super) fn start(
        &self,
        first_id: u32,
        name: &str,
        client: &str,
        level: &'static str,
        outcome: String,
    ) -> u32 {
        let mut runs = self.lock();
        let id = first_id + runs.len() as u32;
        runs.push(Run {
            id,
            name: name.to_string(),
            client: client.to_string(),
            level,
            started: Instant::now(),
            started_at: UtcTime::now(),
            canceled_at: None,
            outcome,
            reported: false,
        });
        id
    }

    /// The unique job name of a run (`NAME.YYYY-MM-DD_HH.MM.SS_NN`, the time it
    /// started), `None` for an unknown id.
    pub(super) fn unique_name(&self, id: u32) -> Option<String> {
        self.rows()
            .into_iter()
            .find(|r| r.id == id)
            .map(|row| unique_name(&row))
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

impl Runs {
    /// The runs that ended since the last call (each one once, whichever console asks).
    pub(super) fn take_ended(&self) -> Vec<RunRow> {
        let ended: Vec<RunRow> = self
            .rows()
            .into_iter()
            .filter(|r| matches!(r.status, "T" | "A"))
            .collect();
        let mut runs = self.lock();
        ended
            .into_iter()
            .filter(|row| {
                runs.iter_mut()
                    .find(|r| r.id == row.id)
                    .is_some_and(|r| !std::mem::replace(&mut r.reported, true))
            })
            .collect()
    }

    fn console(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.console.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds lines to the director's console messages.
    pub(super) fn queue_messages(&self, lines: Vec<String>) {
        self.console().extend(lines);
    }

    /// Whether console messages wait to be read.
    pub(super) fn has_messages(&self) -> bool {
        !self.console().is_empty()
    }

    /// Takes the console messages (`messages` reads them for every console).
    pub(super) fn take_messages(&self) -> Vec<String> {
        std::mem::take(&mut *self.console())
    }
}

/// `status director`'s view of the runs: the ones still running (created or running)
/// and the terminated ones, in start order.
pub(super) struct StatusRuns {
    /// Created or running.
    pub running: Vec<RunRow>,
    /// Terminated or canceled.
    pub terminated: Vec<RunRow>,
}

impl Runs {
    /// The runs split as `status director` lists them.
    pub(super) fn status(&self) -> StatusRuns {
        let (running, terminated) = self
            .rows()
            .into_iter()
            .partition(|r| matches!(r.status, "C" | "R"));
        StatusRuns {
            running,
            terminated,
        }
    }
}

/// The unique job name (`NAME.YYYY-MM-DD_hh.mm.ss_NN`) of a run.
pub(super) fn unique_name(row: &RunRow) -> String {
    format!(
        "{}.{}_{:02}",
        row.name,
        row.started.job_name_part(),
        row.id % 100
    )
}

/// `JobLevelToString` cut to `width` characters, as `status director` prints levels.
fn level_words(letter: &str, width: usize) -> String {
    let words = match letter {
        "F" => "Full",
        "D" => "Differential",
        _ => "Incremental",
    };
    words.chars().take(width).collect()
}

/// What a running job waits for or does, in the director's words.
fn running_status(row: &RunRow) -> &'static str {
    if row.waits {
        "is waiting on max total jobs"
    } else if row.status == "C" {
        "is waiting execution"
    } else {
        "is running"
    }
}

/// The running-jobs part of `status director` after `Running Jobs:` and the console
/// lines, as text (API 0), tab-separated lines (API 1) and the `running` array (API 2),
/// as `ListRunningJobs` prints them.
pub(super) fn running_section(rows: &[RunRow], api: u8) -> (String, Json) {
    let mut text = String::new();
    let mut json = Vec::new();
    if rows.is_empty() {
        if api == 0 {
            text.push_str("No Jobs running.\n====\n");
        }
        return (text, Json::Arr(json));
    }
    if api == 0 {
        text.push_str(" JobId Level   Name                       Status\n");
        text.push_str(&"=".repeat(70));
        text.push('\n');
    }
    for row in rows {
        let level = level_words(row.level, 7);
        let job = unique_name(row);
        let status = running_status(row);
        match api {
            0 => text.push_str(&format!(
                "{:>6} {:<6}  {:<20} {}\n",
                row.id, level, job, status
            )),
            1 => text.push_str(&format!(
                "{:>6}\t{:<6}\t{:<20}\t{}\t\n",
                row.id, level, job, status
            )),
            _ => {}
        }
        json.push(
            Json::obj()
                .with("jobid", Json::Int(row.id as i64))
                .with("name", Json::s(job))
                .with("level", Json::s(level))
                .with("type", Json::s("Backup"))
                .with("status", Json::s(status))
                .with("start_time", Json::s(row.started.status()))
                .with("files", Json::Int(row.files as i64))
                .with("bytes", Json::Int(row.bytes as i64)),
        );
    }
    if api == 0 {
        text.push_str("====\n");
    }
    (text, Json::Arr(json))
}

/// A terminated job as `status director` lists it.
pub(super) struct TerminatedRow {
    pub jobid: u32,
    /// Level, 4 characters.
    pub level: String,
    pub files: u64,
    pub bytes: u64,
    /// Status word (`OK`, `Cancel`).
    pub status: &'static str,
    /// `dd-Mon-yy hh:mm`.
    pub finished: String,
    /// Job resource name.
    pub name: String,
}

/// A terminated run as a row of `status director`'s terminated jobs.
pub(super) fn terminated_row(row: &RunRow) -> TerminatedRow {
    TerminatedRow {
        jobid: row.id,
        level: level_words(row.level, 4),
        files: row.files,
        bytes: row.bytes,
        status: if row.status == "A" { "Cancel" } else { "OK" },
        finished: row.ended.unwrap_or(row.started).status(),
        name: row.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::UtcTime;

    #[test]
    fn utc_time_formats() {
        let t = UtcTime::from_unix(1_795_715_045); // 2026-11-26 17:44:05 UTC
        assert_eq!(t.catalog(), "2026-11-26 17:44:05");
        assert_eq!(t.status(), "26-Nov-26 17:44");
        assert_eq!(t.job_name_part(), "2026-11-26_17.44.05");
        assert_eq!(t.report(), "26-Nov-2026 17:44:05");
        assert_eq!(t.message(), "26-Nov 17:44");
        assert_eq!(UtcTime::from_unix(0).catalog(), "1970-01-01 00:00:00");
        assert_eq!(
            UtcTime::from_unix(951_782_400).catalog(),
            "2000-02-29 00:00:00"
        );
    }
}
