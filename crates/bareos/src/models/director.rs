//! The director itself: `version`, `time`, `status director`, `whoami`.

use super::lenient;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `version`: `{"version": {...}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DirectorVersion {
    /// Director name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Daemon type (`bareos-director`).
    #[serde(rename = "type", default, deserialize_with = "lenient::opt_string")]
    pub daemon_type: Option<String>,
    /// Version string, e.g. `25.1.1` or `26.0.0~pre1298.eda204c31`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub version: Option<String>,
    /// Build date.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub bdate: Option<String>,
    /// Operating system.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub operatingsystem: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The wrapper of `version`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VersionResult {
    /// The version object.
    pub version: DirectorVersion,
}

/// `time`: `{"time": {"full": "...", "year": "2026", ...}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DirectorTime {
    /// Human-readable time, e.g. `Thu 26-Nov-2026 17:53:53`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub full: Option<String>,
    /// Year.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub year: Option<u64>,
    /// Month (1-12).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub month: Option<u64>,
    /// Day of month.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub day: Option<u64>,
    /// Hour.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub hour: Option<u64>,
    /// Minute.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub minute: Option<u64>,
    /// Second.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub second: Option<u64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The wrapper of `time`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeResult {
    /// The time object.
    pub time: DirectorTime,
}

/// The `header` of `status director`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusHeader {
    /// Director name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub director: Option<String>,
    /// Version.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub version: Option<String>,
    /// Jobs run since start.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub jobs_run: Option<u64>,
    /// Jobs running now.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub jobs_running: Option<u64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A job of the `running`, `scheduled` or `terminated` lists of `status director`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusJob {
    /// Job id (absent for scheduled jobs).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub jobid: Option<u64>,
    /// Job name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Level in words.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub level: Option<String>,
    /// Type in words.
    #[serde(rename = "type", default, deserialize_with = "lenient::opt_string")]
    pub job_type: Option<String>,
    /// Status in words (`OK`, `Error`, `is waiting ...`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    /// Files.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub files: Option<u64>,
    /// Bytes.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub bytes: Option<u64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `status director`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DirectorStatus {
    /// The header.
    #[serde(default)]
    pub header: StatusHeader,
    /// Scheduled jobs.
    #[serde(default, deserialize_with = "lenient::list")]
    pub scheduled: Vec<StatusJob>,
    /// Running jobs.
    #[serde(default, deserialize_with = "lenient::list")]
    pub running: Vec<StatusJob>,
    /// Recently terminated jobs.
    #[serde(default, deserialize_with = "lenient::list")]
    pub terminated: Vec<StatusJob>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `whoami`: `{"whoami": "admin"}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WhoAmI {
    /// The console name.
    pub whoami: String,
}
