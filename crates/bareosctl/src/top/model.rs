//! What `bareosctl top` shows, without a terminal: the director's state as last read,
//! the transfer rates and ETAs computed from successive readings, and the view's own
//! state (focus, selection, sort, filter, dialogs) driven by keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A running or waiting job, as `status director` (and the catalog) describe it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunningJob {
    /// Job id.
    pub jobid: u64,
    /// Job resource name (without the `.date_time_nn` suffix).
    pub name: String,
    /// Client, when the catalog told it.
    pub client: Option<String>,
    /// Level in words, as the director prints it (`Full`, `Increme`, ...).
    pub level: String,
    /// Level letter of the catalog (`F`, `I`, `D`, ...), when known.
    pub level_code: Option<String>,
    /// Type in words (`Backup`, `Restore`, ...).
    pub job_type: String,
    /// What the job is doing or waiting for, in the director's words.
    pub status: String,
    /// Files so far (API 2 only).
    pub files: Option<u64>,
    /// Bytes so far (API 2 only).
    pub bytes: Option<u64>,
    /// Time since it started, by the director's clock.
    pub elapsed: Option<Duration>,
}

impl RunningJob {
    /// Whether the job waits (for its start time, a client, a volume, ...) instead of
    /// running.
    pub fn is_waiting(&self) -> bool {
        let s = self.status.to_ascii_lowercase();
        s.contains("waiting") || s.contains("blocked")
    }

    /// The key of [`Snapshot::references`]: name and level letter (or level words).
    pub fn reference_key(&self) -> (String, String) {
        (
            self.name.clone(),
            self.level_code
                .clone()
                .unwrap_or_else(|| level_letter(&self.level).to_string()),
        )
    }
}

/// The catalog letter of a level in words (`Full` -> `F`, `Increme` -> `I`).
pub fn level_letter(words: &str) -> &'static str {
    let w = words.trim().to_ascii_lowercase();
    if w.starts_with("virtual") {
        "f"
    } else if w.starts_with('f') {
        "F"
    } else if w.starts_with('d') {
        "D"
    } else if w.starts_with('i') {
        "I"
    } else if w.starts_with('b') {
        "B"
    } else if w.starts_with('s') {
        "S"
    } else {
        " "
    }
}

/// A recently terminated job of `status director`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FinishedJob {
    /// Job id.
    pub jobid: u64,
    /// Job resource name.
    pub name: String,
    /// Level (4 characters, as the director prints it).
    pub level: String,
    /// Type in words.
    pub job_type: String,
    /// Status word (`OK`, `OK -- with warnings`, `Error`, `Cancel`, ...).
    pub status: String,
    /// Files.
    pub files: u64,
    /// Bytes.
    pub bytes: u64,
    /// When it finished, as the director prints it.
    pub finished: String,
}

/// How a terminated job ended, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Terminated normally.
    Ok,
    /// Terminated with warnings.
    Warnings,
    /// Failed (error, fatal error, verify differences).
    Error,
    /// Canceled.
    Canceled,
    /// Anything else (created, other).
    Other,
}

impl FinishedJob {
    /// The outcome, from the status word.
    pub fn outcome(&self) -> Outcome {
        let s = self.status.to_ascii_lowercase();
        if s.contains("warning") {
            Outcome::Warnings
        } else if s.starts_with("ok") {
            Outcome::Ok
        } else if s.starts_with("cancel") {
            Outcome::Canceled
        } else if s.starts_with("error") || s.starts_with("fatal") || s.starts_with("diff") {
            Outcome::Error
        } else {
            Outcome::Other
        }
    }
}

/// The volumes of one pool.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PoolUsage {
    /// Pool name.
    pub name: String,
    /// Volumes in the pool.
    pub volumes: u64,
    /// Maximum number of volumes (0: no limit).
    pub max_volumes: u64,
    /// Bytes on its volumes, when the volumes could be listed.
    pub bytes: Option<u64>,
    /// Volumes that are full or used up.
    pub full: u64,
    /// Volumes that can be appended to.
    pub appendable: u64,
}

impl PoolUsage {
    /// The share of the volume limit in use, when the pool has one.
    pub fn ratio(&self) -> Option<f64> {
        (self.max_volumes > 0).then(|| (self.volumes as f64 / self.max_volumes as f64).min(1.0))
    }
}

/// The director itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DirectorInfo {
    /// Director name.
    pub name: String,
    /// Version string.
    pub version: String,
    /// Since when it runs, as it prints it.
    pub started: String,
    /// How long it runs, by its clock (or ours when it does not tell the time).
    pub uptime: Option<Duration>,
}

/// The last successful job of a name and level: what an ETA is measured against.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Reference {
    /// Its job id.
    pub jobid: u64,
    /// Bytes it wrote.
    pub bytes: u64,
    /// Files it wrote.
    pub files: u64,
}

/// One panel's content: data, or a note on why there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum Panel<T> {
    /// What the director answered.
    Ready(T),
    /// Why there is nothing: a command this console may not use, or one the director
    /// does not have.
    Note(String),
}

impl<T> Panel<T> {
    /// The data, if any.
    pub fn data(&self) -> Option<&T> {
        match self {
            Panel::Ready(data) => Some(data),
            _ => None,
        }
    }
}

/// Which protocol the panels were read with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// API mode 2 (JSON), typed models.
    Json,
    /// Text output (API 0), parsed.
    Text,
}

/// Everything read from the director in one refresh.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The director.
    pub director: Panel<DirectorInfo>,
    /// Running and waiting jobs.
    pub running: Panel<Vec<RunningJob>>,
    /// Recently terminated jobs.
    pub terminated: Panel<Vec<FinishedJob>>,
    /// Pools.
    pub pools: Panel<Vec<PoolUsage>>,
    /// The last successful job per (name, level letter) of the running jobs.
    pub references: HashMap<(String, String), Reference>,
    /// How it was read.
    pub mode: Mode,
}

/// The state of the connection.
#[derive(Clone, Debug, PartialEq)]
pub enum Link {
    /// Connecting (or reconnecting).
    Connecting,
    /// Logged in.
    Up,
    /// Gone; the reason, and when the next attempt is made.
    Down {
        /// Why.
        reason: String,
        /// When it is tried again.
        retry_at: Instant,
    },
}

/// The shortest time between two readings that a rate is computed from, in seconds.
const MIN_RATE_SPAN: f64 = 0.5;

/// Transfer rates of the running jobs, from two successive readings.
#[derive(Clone, Debug, Default)]
pub struct Rates {
    samples: HashMap<u64, (Instant, u64)>,
    rates: HashMap<u64, f64>,
}

impl Rates {
    /// Takes a reading of the running jobs at `now`; jobs no longer running are
    /// forgotten. A job's rate is the bytes written between its last two readings
    /// divided by the time between them.
    pub fn update(&mut self, jobs: &[RunningJob], now: Instant) {
        let mut samples = HashMap::new();
        for job in jobs {
            let Some(bytes) = job.bytes else { continue };
            if let Some(&(then, before)) = self.samples.get(&job.jobid) {
                let seconds = now.saturating_duration_since(then).as_secs_f64();
                if seconds < MIN_RATE_SPAN {
                    // Too close to the last reading (a refresh right after an action):
                    // keep measuring from the older one.
                    samples.insert(job.jobid, (then, before));
                    continue;
                }
                if bytes >= before {
                    self.rates
                        .insert(job.jobid, (bytes - before) as f64 / seconds);
                }
            }
            samples.insert(job.jobid, (now, bytes));
        }
        self.rates.retain(|id, _| samples.contains_key(id));
        self.samples = samples;
    }

    /// The current rate of a job in bytes per second: from the last two readings, or
    /// the average since its start while there is only one.
    pub fn rate(&self, job: &RunningJob) -> Option<f64> {
        self.rates.get(&job.jobid).copied().or_else(|| {
            let seconds = job.elapsed?.as_secs_f64();
            let bytes = job.bytes?;
            (seconds >= 1.0).then(|| bytes as f64 / seconds)
        })
    }
}

/// Time left for a job that has written `bytes` at `rate` bytes/s, when the last
/// successful job of its name and level wrote `reference.bytes`. `None` when there is
/// nothing to measure against, no progress, or the job already wrote more than that.
pub fn eta(
    bytes: Option<u64>,
    rate: Option<f64>,
    reference: Option<&Reference>,
) -> Option<Duration> {
    let reference = reference?;
    let bytes = bytes?;
    let rate = rate?;
    if reference.bytes == 0 || bytes > reference.bytes || !rate.is_finite() || rate <= 0.0 {
        return None;
    }
    Some(Duration::from_secs_f64(
        (reference.bytes - bytes) as f64 / rate,
    ))
}

/// The columns the jobs can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// Job id.
    Id,
    /// Job name.
    Name,
    /// Client (running jobs), status (terminated jobs).
    Client,
    /// Level.
    Level,
    /// Files.
    Files,
    /// Bytes.
    Bytes,
    /// Current rate (running jobs).
    Rate,
    /// Elapsed time (running jobs).
    Elapsed,
}

impl Column {
    /// All columns, in the order `s` cycles through them.
    pub const ALL: [Column; 8] = [
        Column::Id,
        Column::Name,
        Column::Client,
        Column::Level,
        Column::Files,
        Column::Bytes,
        Column::Rate,
        Column::Elapsed,
    ];

    fn next(self) -> Column {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }
}

/// Which table the selection is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// Running and waiting jobs.
    Running,
    /// Terminated jobs.
    Terminated,
}

/// What the director is asked to do on the user's behalf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `cancel jobid=N yes`.
    Cancel(u64),
    /// `rerun jobid=N yes`.
    Rerun(u64),
    /// `messages`.
    Messages,
}

/// A dialog over the panels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dialog {
    /// The key help.
    Help,
    /// Typing the filter.
    Filter,
    /// Asking before an action; the text is the question.
    Confirm(Action, String),
    /// The director's messages, or `None` while they are being read.
    Messages(Option<String>),
}

/// What a key asks of the program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Nothing beyond redrawing.
    None,
    /// Quit.
    Quit,
    /// Send this to the director.
    Send(Action),
}

/// The state of the view.
#[derive(Debug)]
pub struct App {
    /// The last snapshot read (kept while the director is away).
    pub snapshot: Option<Snapshot>,
    /// The connection.
    pub link: Link,
    /// When the last snapshot was read.
    pub updated: Option<Instant>,
    /// Transfer rates.
    pub rates: Rates,
    /// Selected table.
    pub focus: Focus,
    /// Selected row of the focused table.
    pub selected: usize,
    /// Sort column.
    pub sort: Column,
    /// Sort descending.
    pub descending: bool,
    /// Case-insensitive filter on name, client, level and status.
    pub filter: String,
    /// The dialog shown, if any.
    pub dialog: Option<Dialog>,
    /// The answer to the last action, shown in the status line.
    pub notice: Option<String>,
    /// The refresh interval.
    pub interval: Duration,
}

/// A running job with its computed rate and ETA, as the table shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRow<'a> {
    /// The job.
    pub job: &'a RunningJob,
    /// Bytes per second.
    pub rate: Option<f64>,
    /// Time left.
    pub eta: Option<Duration>,
}

impl App {
    /// A view with nothing read yet.
    pub fn new(interval: Duration) -> Self {
        App {
            snapshot: None,
            link: Link::Connecting,
            updated: None,
            rates: Rates::default(),
            focus: Focus::Running,
            selected: 0,
            sort: Column::Id,
            descending: false,
            filter: String::new(),
            dialog: None,
            notice: None,
            interval,
        }
    }

    /// Takes a new snapshot read at `now`.
    pub fn update(&mut self, snapshot: Snapshot, now: Instant) {
        if let Some(running) = snapshot.running.data() {
            self.rates.update(running, now);
        }
        self.snapshot = Some(snapshot);
        self.updated = Some(now);
        self.clamp_selection();
    }

    fn matches(&self, fields: &[&str]) -> bool {
        if self.filter.is_empty() {
            return true;
        }
        let wanted = self.filter.to_lowercase();
        fields.iter().any(|f| f.to_lowercase().contains(&wanted))
    }

    /// Running (`waiting == false`) or waiting jobs, filtered and sorted, with rate and
    /// ETA.
    pub fn jobs(&self, waiting: bool) -> Vec<JobRow<'_>> {
        let Some(snapshot) = &self.snapshot else {
            return Vec::new();
        };
        let Some(jobs) = snapshot.running.data() else {
            return Vec::new();
        };
        let mut rows: Vec<JobRow> = jobs
            .iter()
            .filter(|j| j.is_waiting() == waiting)
            .filter(|j| {
                self.matches(&[
                    &j.name,
                    j.client.as_deref().unwrap_or(""),
                    &j.level,
                    &j.status,
                    &j.jobid.to_string(),
                ])
            })
            .map(|job| {
                let rate = self.rates.rate(job);
                let eta = eta(
                    job.bytes,
                    rate,
                    snapshot.references.get(&job.reference_key()),
                );
                JobRow { job, rate, eta }
            })
            .collect();
        rows.sort_by(|a, b| {
            use std::cmp::Ordering;
            let by = match self.sort {
                Column::Id => a.job.jobid.cmp(&b.job.jobid),
                Column::Name => a.job.name.cmp(&b.job.name),
                Column::Client => a.job.client.cmp(&b.job.client),
                Column::Level => a.job.level.cmp(&b.job.level),
                Column::Files => a.job.files.cmp(&b.job.files),
                Column::Bytes => a.job.bytes.cmp(&b.job.bytes),
                Column::Rate => a.rate.partial_cmp(&b.rate).unwrap_or(Ordering::Equal),
                Column::Elapsed => a.job.elapsed.cmp(&b.job.elapsed),
            };
            let by = by.then(a.job.jobid.cmp(&b.job.jobid));
            if self.descending {
                by.reverse()
            } else {
                by
            }
        });
        rows
    }

    /// Terminated jobs, filtered and sorted (by default newest first).
    pub fn finished(&self) -> Vec<&FinishedJob> {
        let Some(jobs) = self.snapshot.as_ref().and_then(|s| s.terminated.data()) else {
            return Vec::new();
        };
        let mut rows: Vec<&FinishedJob> = jobs
            .iter()
            .filter(|j| self.matches(&[&j.name, &j.level, &j.status, &j.jobid.to_string()]))
            .collect();
        rows.sort_by(|a, b| {
            let by = match self.sort {
                Column::Name => a.name.cmp(&b.name),
                Column::Client => a.status.cmp(&b.status),
                Column::Level => a.level.cmp(&b.level),
                Column::Files => a.files.cmp(&b.files),
                Column::Bytes => a.bytes.cmp(&b.bytes),
                Column::Id | Column::Rate | Column::Elapsed => std::cmp::Ordering::Equal,
            };
            // Newest first unless reversed.
            let by = by.then(b.jobid.cmp(&a.jobid));
            if self.descending {
                by.reverse()
            } else {
                by
            }
        });
        rows
    }

    /// The job ids of the focused table, in display order (running before waiting).
    pub fn selectable(&self) -> Vec<u64> {
        match self.focus {
            Focus::Running => self
                .jobs(false)
                .iter()
                .chain(self.jobs(true).iter())
                .map(|r| r.job.jobid)
                .collect(),
            Focus::Terminated => self.finished().iter().map(|j| j.jobid).collect(),
        }
    }

    /// The selected job id.
    pub fn selected_job(&self) -> Option<u64> {
        self.selectable().get(self.selected).copied()
    }

    fn clamp_selection(&mut self) {
        let n = self.selectable().len();
        self.selected = self.selected.min(n.saturating_sub(1));
    }

    /// Handles a key; returns what the program should do.
    pub fn key(&mut self, key: KeyEvent) -> Command {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Command::Quit;
        }
        match self.dialog.clone() {
            Some(Dialog::Filter) => {
                match key.code {
                    KeyCode::Enter => self.dialog = None,
                    KeyCode::Esc => {
                        self.filter.clear();
                        self.dialog = None;
                    }
                    KeyCode::Backspace => {
                        self.filter.pop();
                    }
                    KeyCode::Char(c) if !c.is_control() && self.filter.chars().count() < 64 => {
                        self.filter.push(c)
                    }
                    _ => {}
                }
                self.clamp_selection();
                return Command::None;
            }
            Some(Dialog::Confirm(action, _)) => {
                self.dialog = None;
                return match key.code {
                    KeyCode::Char('y') | KeyCode::Char('Y') => Command::Send(action),
                    _ => {
                        self.notice = Some("not done".into());
                        Command::None
                    }
                };
            }
            Some(_) => {
                // Help and messages close with any key; `q` still quits.
                self.dialog = None;
                return if key.code == KeyCode::Char('q') {
                    Command::Quit
                } else {
                    Command::None
                };
            }
            None => {}
        }
        match key.code {
            KeyCode::Char('q') => return Command::Quit,
            KeyCode::Esc => self.filter.clear(),
            KeyCode::Char('?') | KeyCode::Char('h') | KeyCode::F(1) => {
                self.dialog = Some(Dialog::Help)
            }
            KeyCode::Char('/') => self.dialog = Some(Dialog::Filter),
            KeyCode::Char('m') => {
                self.dialog = Some(Dialog::Messages(None));
                return Command::Send(Action::Messages);
            }
            KeyCode::Char('s') => self.sort = self.sort.next(),
            KeyCode::Char('S') => self.descending = !self.descending,
            KeyCode::Tab | KeyCode::BackTab => {
                self.focus = match self.focus {
                    Focus::Running => Focus::Terminated,
                    Focus::Terminated => Focus::Running,
                };
                self.selected = 0;
            }
            KeyCode::Down | KeyCode::Char('j') => self.selected = self.selected.saturating_add(1),
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Home => self.selected = 0,
            KeyCode::End => self.selected = usize::MAX,
            KeyCode::Char('c') => match (self.focus, self.selected_job()) {
                (Focus::Running, Some(id)) => {
                    self.dialog = Some(Dialog::Confirm(
                        Action::Cancel(id),
                        format!("Cancel JobId {id}? (y/n)"),
                    ))
                }
                (Focus::Terminated, _) => {
                    self.notice = Some("only running jobs can be canceled (Tab)".into())
                }
                _ => self.notice = Some("no job selected".into()),
            },
            KeyCode::Char('r') => match self.selected_job() {
                Some(id) => {
                    self.dialog = Some(Dialog::Confirm(
                        Action::Rerun(id),
                        format!("Rerun JobId {id}? (y/n)"),
                    ))
                }
                None => self.notice = Some("no job selected".into()),
            },
            _ => {}
        }
        self.clamp_selection();
        Command::None
    }
}

/// `1.2 MB/s`-style rate (decimal units, as the director prints sizes).
pub fn human_rate(rate: f64) -> String {
    format!("{}/s", human_bytes(rate.max(0.0) as u64))
}

/// `139.9 KB`-style size (the one the progress lines print).
pub use crate::progress::bytes as human_bytes;

/// `1h02m03s` / `2m05s` / `7s`; days as `3d04h`.
pub fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    let (days, hours, minutes, seconds) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    if days > 0 {
        format!("{days}d{hours:02}h")
    } else if hours > 0 {
        format!("{hours}h{minutes:02}m{seconds:02}s")
    } else if minutes > 0 {
        format!("{minutes}m{seconds:02}s")
    } else {
        format!("{seconds}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: u64, name: &str, bytes: u64, status: &str) -> RunningJob {
        RunningJob {
            jobid: id,
            name: name.into(),
            client: Some(format!("{name}-fd")),
            level: "Full".into(),
            level_code: Some("F".into()),
            job_type: "Backup".into(),
            status: status.into(),
            files: Some(bytes / 1000),
            bytes: Some(bytes),
            elapsed: Some(Duration::from_secs(10)),
        }
    }

    fn snapshot(jobs: Vec<RunningJob>) -> Snapshot {
        Snapshot {
            director: Panel::Note(String::new()),
            running: Panel::Ready(jobs),
            terminated: Panel::Ready(vec![
                FinishedJob {
                    jobid: 1,
                    name: "a".into(),
                    status: "OK".into(),
                    ..FinishedJob::default()
                },
                FinishedJob {
                    jobid: 2,
                    name: "b".into(),
                    status: "Cancel".into(),
                    ..FinishedJob::default()
                },
            ]),
            pools: Panel::Note(String::new()),
            references: HashMap::new(),
            mode: Mode::Json,
        }
    }

    fn press(app: &mut App, code: KeyCode) -> Command {
        app.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    /// Presses `key`, then `y` to its question; returns what the answer does.
    fn confirmed(app: &mut App, key: char) -> Command {
        press(app, KeyCode::Char(key));
        press(app, KeyCode::Char('y'))
    }

    /// An app (2 s refresh) that has seen `jobs` running.
    fn app_with(jobs: Vec<RunningJob>) -> App {
        let mut app = App::new(Duration::from_secs(2));
        app.update(snapshot(jobs), Instant::now());
        app
    }

    #[test]
    fn rate_from_two_readings_and_average_before() {
        let t0 = Instant::now();
        let mut rates = Rates::default();
        let first = job(7, "x", 1_000_000, "is running");
        rates.update(std::slice::from_ref(&first), t0);
        // One reading: the average since the start (10 s).
        assert_eq!(rates.rate(&first), Some(100_000.0));
        let second = job(7, "x", 3_000_000, "is running");
        rates.update(std::slice::from_ref(&second), t0 + Duration::from_secs(2));
        assert_eq!(rates.rate(&second), Some(1_000_000.0));
        // A reading right after does not replace the measure.
        let close = job(7, "x", 3_000_100, "is running");
        rates.update(
            std::slice::from_ref(&close),
            t0 + Duration::from_millis(2100),
        );
        assert_eq!(rates.rate(&close), Some(1_000_000.0));
        let third = job(7, "x", 4_000_000, "is running");
        rates.update(std::slice::from_ref(&third), t0 + Duration::from_secs(4));
        assert_eq!(rates.rate(&third), Some(500_000.0));
        // A job that left is forgotten.
        rates.update(&[], t0 + Duration::from_secs(4));
        assert!(rates.rates.is_empty() && rates.samples.is_empty());
    }

    #[test]
    fn eta_against_the_last_successful_job() {
        let reference = Reference {
            jobid: 3,
            bytes: 10_000,
            files: 10,
        };
        assert_eq!(
            eta(Some(4_000), Some(1_000.0), Some(&reference)),
            Some(Duration::from_secs(6))
        );
        assert_eq!(eta(Some(4_000), Some(0.0), Some(&reference)), None);
        assert_eq!(eta(Some(12_000), Some(1_000.0), Some(&reference)), None);
        assert_eq!(eta(Some(4_000), Some(1_000.0), None), None);
        assert_eq!(eta(None, Some(1_000.0), Some(&reference)), None);
    }

    #[test]
    fn waiting_jobs_apart_filter_and_sort() {
        let mut app = app_with(vec![
            job(5, "beta", 3_000, "is running"),
            job(6, "alpha", 9_000, "is running"),
            job(8, "gamma", 0, "is waiting on max Client jobs"),
        ]);
        let ids = |rows: Vec<JobRow>| rows.iter().map(|r| r.job.jobid).collect::<Vec<_>>();
        assert_eq!(ids(app.jobs(false)), [5, 6]);
        assert_eq!(ids(app.jobs(true)), [8]);
        // Sort by name, then bytes descending.
        press(&mut app, KeyCode::Char('s'));
        assert_eq!(app.sort, Column::Name);
        assert_eq!(ids(app.jobs(false)), [6, 5]);
        for _ in 0..4 {
            press(&mut app, KeyCode::Char('s'));
        }
        assert_eq!(app.sort, Column::Bytes);
        press(&mut app, KeyCode::Char('S'));
        assert_eq!(ids(app.jobs(false)), [6, 5]);
        // Filter on the name.
        press(&mut app, KeyCode::Char('/'));
        for c in "BET".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.dialog, None);
        assert_eq!(ids(app.jobs(false)), [5]);
        assert!(app.jobs(true).is_empty());
        // Esc in the filter clears it; so does Esc outside (which does not quit).
        press(&mut app, KeyCode::Char('/'));
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.filter, "");
        assert_eq!(app.jobs(false).len(), 2);
        app.filter = "alpha".into();
        assert_eq!(press(&mut app, KeyCode::Esc), Command::None);
        assert_eq!(app.filter, "");
    }

    #[test]
    fn cancel_asks_first_and_rerun_works_on_terminated() {
        let mut app = app_with(vec![
            job(5, "a", 1, "is running"),
            job(6, "b", 1, "is running"),
        ]);
        press(&mut app, KeyCode::Down);
        assert_eq!(app.selected_job(), Some(6));
        assert_eq!(press(&mut app, KeyCode::Char('c')), Command::None);
        assert!(matches!(
            app.dialog,
            Some(Dialog::Confirm(Action::Cancel(6), _))
        ));
        // Anything but `y` declines.
        assert_eq!(press(&mut app, KeyCode::Char('n')), Command::None);
        assert_eq!(app.dialog, None);
        assert_eq!(confirmed(&mut app, 'c'), Command::Send(Action::Cancel(6)));
        // Terminated jobs: newest first, rerun but no cancel.
        press(&mut app, KeyCode::Tab);
        assert_eq!(app.selected_job(), Some(2));
        press(&mut app, KeyCode::Char('c'));
        assert_eq!(app.dialog, None);
        assert_eq!(confirmed(&mut app, 'r'), Command::Send(Action::Rerun(2)));
        // The selection stays within the table.
        press(&mut app, KeyCode::End);
        assert_eq!(app.selected_job(), Some(1));
        assert_eq!(press(&mut app, KeyCode::Char('q')), Command::Quit);
    }

    #[test]
    fn outcomes_and_levels() {
        let outcome = |s: &str| {
            FinishedJob {
                status: s.into(),
                ..FinishedJob::default()
            }
            .outcome()
        };
        assert_eq!(outcome("OK"), Outcome::Ok);
        assert_eq!(outcome("OK -- with warnings"), Outcome::Warnings);
        assert_eq!(outcome("Error"), Outcome::Error);
        assert_eq!(outcome("Diffs"), Outcome::Error);
        assert_eq!(outcome("Cancel"), Outcome::Canceled);
        assert_eq!(outcome("Created"), Outcome::Other);
        assert_eq!(level_letter("Increme"), "I");
        assert_eq!(level_letter("VirtualFull"), "f");
        assert_eq!(level_letter("Full"), "F");
    }

    #[test]
    fn human_units() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(139_898), "139.9 KB");
        assert_eq!(human_rate(2_500_000.0), "2.5 MB/s");
        assert_eq!(human_duration(Duration::from_secs(7)), "7s");
        assert_eq!(human_duration(Duration::from_secs(125)), "2m05s");
        assert_eq!(human_duration(Duration::from_secs(3723)), "1h02m03s");
        assert_eq!(
            human_duration(Duration::from_secs(3 * 86_400 + 4 * 3600)),
            "3d04h"
        );
    }

    #[test]
    fn pool_ratio() {
        let pool = PoolUsage {
            volumes: 25,
            max_volumes: 100,
            ..PoolUsage::default()
        };
        assert_eq!(pool.ratio(), Some(0.25));
        assert_eq!(PoolUsage::default().ratio(), None);
    }
}
