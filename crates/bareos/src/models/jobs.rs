//! Jobs from the catalog: `list`/`llist jobs`, `llist jobid=N`, job logs, job totals,
//! files of a job, and what `run`/`rerun`/`wait` answer.

use super::lenient;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A job row of `list jobs` (short) or `llist jobs` / `llist jobid=N` (long).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Job id.
    #[serde(deserialize_with = "lenient::req_u64")]
    pub jobid: u64,
    /// Unique job name (`name.date_time_nn`), long listing only.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub job: Option<String>,
    /// Job resource name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Client name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub client: Option<String>,
    /// Job type letter (`B` backup, `R` restore, ...).
    #[serde(rename = "type", default, deserialize_with = "lenient::opt_string")]
    pub job_type: Option<String>,
    /// Level letter (`F`, `I`, `D`, ...).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub level: Option<String>,
    /// Status letter (`T` OK, `R` running, `E`/`f` error, `A` canceled, ...).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub jobstatus: Option<String>,
    /// Scheduled time (`YYYY-MM-DD hh:mm:ss`, may be empty).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub schedtime: Option<String>,
    /// Start time.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub starttime: Option<String>,
    /// End time.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub endtime: Option<String>,
    /// End time as seconds since the epoch.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub jobtdate: Option<u64>,
    /// Duration `hh:mm:ss`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub duration: Option<String>,
    /// Number of files.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub jobfiles: Option<u64>,
    /// Number of bytes.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub jobbytes: Option<u64>,
    /// Number of errors.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub joberrors: Option<u64>,
    /// Client id.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub clientid: Option<u64>,
    /// Pool id.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub poolid: Option<u64>,
    /// Pool name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub poolname: Option<String>,
    /// FileSet id.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub filesetid: Option<u64>,
    /// FileSet name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub fileset: Option<String>,
    /// Id of the job this one was copied/migrated from.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub priorjobid: Option<u64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `list jobs` / `llist jobs` / `llist jobid=N`: `{"jobs": [...]}` (or `{"jobs": {}}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobList {
    /// The jobs (empty when the director sent `{}`).
    #[serde(default, deserialize_with = "lenient::list")]
    pub jobs: Vec<Job>,
}

/// `list jobs count`: `{"jobs":[{"count":"4"}]}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Count {
    /// The count.
    #[serde(deserialize_with = "lenient::req_u64")]
    pub count: u64,
}

/// One line of `list joblog jobid=N`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobLogEntry {
    /// When it was logged.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub time: Option<String>,
    /// The text (ends with a newline).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub logtext: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `list joblog jobid=N`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobLog {
    /// The log lines.
    #[serde(default, deserialize_with = "lenient::list")]
    pub joblog: Vec<JobLogEntry>,
}

/// Per job name totals of `list jobtotals`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobTotalsRow {
    /// Job name (absent in the grand total).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub job: Option<String>,
    /// Number of jobs.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub jobs: Option<u64>,
    /// Number of files.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub files: Option<u64>,
    /// Number of bytes.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub bytes: Option<u64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `list jobtotals`: rows per job name plus the grand total.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobTotals {
    /// Per job name.
    #[serde(default, deserialize_with = "lenient::list")]
    pub jobs: Vec<JobTotalsRow>,
    /// All jobs.
    #[serde(default)]
    pub jobtotals: JobTotalsRow,
}

/// One entry of `list files jobid=N`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Full path (directories end with `/`; non-UTF-8 bytes arrive as U+FFFD).
    pub filename: String,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `list files jobid=N`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileList {
    /// The files.
    #[serde(default, deserialize_with = "lenient::list")]
    pub filenames: Vec<FileEntry>,
}

/// The `run` object of `run ... yes` / `rerun ... yes`: `{"run":{"jobid":"7"}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunStarted {
    /// The new job's id.
    #[serde(deserialize_with = "lenient::req_u64")]
    pub jobid: u64,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What `run ... yes` and `rerun ... yes` answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// The started job.
    pub run: RunStarted,
}

/// The `job` object of `wait jobid=N`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WaitedJob {
    /// Job id.
    #[serde(deserialize_with = "lenient::req_u64")]
    pub jobid: u64,
    /// Status letter.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub jobstatus: Option<String>,
    /// Status in words (`OK`, `Canceled`, ...).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub jobstatuslong: Option<String>,
    /// Exit status (0 OK).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub exitstatus: Option<u64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
