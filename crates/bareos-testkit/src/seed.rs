//! A catalog for the simulated director: pools with their volumes and past jobs, given
//! as JSON, replacing the fixed tables. Job times are relative to the director's start,
//! so a test can ask for "the last Full ended 30 hours ago".
//!
//! ```
//! use bareos_testkit::CatalogSeed;
//! let seed = CatalogSeed::from_json(r#"{
//!   "pools": [{"name": "Full", "maxvols": 4, "volumes": [
//!     {"name": "Full-0001", "status": "Full", "bytes": 1000},
//!     {"name": "Full-0002"}]}],
//!   "jobs": [{"name": "backup-bareos-fd", "level": "F", "status": "T", "ended_ago": 108000}]
//! }"#).unwrap();
//! assert_eq!(seed.pools.unwrap()[0].volumes.len(), 2);
//! ```

use serde::Deserialize;
use std::io;
use std::path::Path;

/// The seeded catalog: each part given replaces the fixed one (`pools` the pools and
/// their volumes, `jobs` the job history).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogSeed {
    /// The pools (with their volumes).
    #[serde(default)]
    pub pools: Option<Vec<SeedPool>>,
    /// The past jobs, in job id order (ids 1, 2, ...).
    #[serde(default)]
    pub jobs: Option<Vec<SeedJob>>,
}

/// A pool of the seeded catalog.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPool {
    /// Pool name.
    pub name: String,
    /// Maximum number of volumes (0 = no limit).
    #[serde(default)]
    pub maxvols: u64,
    /// Pool type (default `Backup`).
    #[serde(default = "backup")]
    pub pooltype: String,
    /// The volumes of the pool.
    #[serde(default)]
    pub volumes: Vec<SeedVolume>,
}

/// A volume of a seeded pool.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedVolume {
    /// Volume name.
    pub name: String,
    /// Volume status (`Append`, `Full`, `Used`, `Error`, `Purged`, ...; default `Append`).
    #[serde(default = "append")]
    pub status: String,
    /// Bytes written.
    #[serde(default)]
    pub bytes: u64,
    /// Maximum bytes (default 53687091200, as the default `Maximum Volume Bytes` of the
    /// example configuration).
    #[serde(default = "max_bytes")]
    pub maxvolbytes: u64,
    /// Whether the volume is enabled (default yes).
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// A past job of the seeded catalog.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedJob {
    /// Job name.
    pub name: String,
    /// Client name (default: the job's configured client, else `bareos-fd`).
    #[serde(default)]
    pub client: Option<String>,
    /// Level letter (`F`, `I`, `D`; default `F`).
    #[serde(default = "full")]
    pub level: String,
    /// Status letter (`T` OK, `W` warnings, `E` error, `f` fatal, `A` canceled; default
    /// `T`).
    #[serde(default = "terminated")]
    pub status: String,
    /// Seconds before the director's start at which the job ended.
    pub ended_ago: u64,
    /// Run time in seconds.
    #[serde(default)]
    pub duration: u64,
    /// Files.
    #[serde(default)]
    pub files: u64,
    /// Bytes.
    #[serde(default)]
    pub bytes: u64,
    /// Errors.
    #[serde(default)]
    pub errors: u64,
}

fn backup() -> String {
    "Backup".into()
}
fn append() -> String {
    "Append".into()
}
fn full() -> String {
    "F".into()
}
fn terminated() -> String {
    "T".into()
}
fn max_bytes() -> u64 {
    53_687_091_200
}
fn yes() -> bool {
    true
}

impl CatalogSeed {
    /// Reads a seed from JSON text.
    pub fn from_json(text: &str) -> Result<CatalogSeed, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Reads a seed from a JSON file.
    pub fn from_file(path: impl AsRef<Path>) -> io::Result<CatalogSeed> {
        let text = std::fs::read_to_string(path)?;
        Self::from_json(&text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}
