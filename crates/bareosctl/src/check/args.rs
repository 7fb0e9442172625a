//! The options of `bareosctl check`.

use super::range::Range;
use clap::{Args, Subcommand};

/// Options of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print the result as JSON (state, summary, performance data, details) instead of
    /// the status line; the exit code is the same.
    #[arg(long, global = true)]
    pub json: bool,

    /// What to check.
    #[command(subcommand)]
    pub what: Check,

    /// Connection options (last: their help heading applies from here on).
    #[command(flatten)]
    pub connection: crate::cli::ConnectionArgs,
}

/// Response-time thresholds in seconds (`--warning-time 1 --critical-time 5`).
#[derive(Debug, Args, Clone, Default)]
pub struct TimeThresholds {
    /// Warning range for the response time, in seconds.
    #[arg(long, value_name = "RANGE", value_parser = Range::number)]
    pub warning_time: Option<Range>,
    /// Critical range for the response time, in seconds.
    #[arg(long, value_name = "RANGE", value_parser = Range::number)]
    pub critical_time: Option<Range>,
}

/// The checks.
#[derive(Debug, Subcommand)]
pub enum Check {
    /// The director answers: its version and the response time (login and `version`).
    Director {
        /// Thresholds.
        #[command(flatten)]
        time: TimeThresholds,
    },
    /// The last successful run of a job: its age, and the status of the runs after it
    /// (CRITICAL when it never ran successfully or its last run failed).
    Job {
        /// The job name.
        #[arg(value_name = "NAME")]
        job: String,
        /// Warning range for the age of the last successful run (`26h`).
        #[arg(long, value_name = "RANGE", value_parser = Range::duration)]
        warning_age: Option<Range>,
        /// Critical range for the age of the last successful run (`50h`).
        #[arg(long, value_name = "RANGE", value_parser = Range::duration)]
        critical_age: Option<Range>,
        /// Only runs of this level (Full, Incremental, Differential, VirtualFull, or F, I,
        /// D).
        #[arg(long, value_name = "LEVEL", value_parser = level_letter)]
        level: Option<char>,
    },
    /// Failed, canceled and with-warnings jobs of a time window.
    Jobs {
        /// The window: jobs scheduled this long ago or later (`24h`, `30m`, `7d`).
        #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = super::duration::parse)]
        since: u64,
        /// Only jobs of this name.
        #[arg(long, value_name = "NAME")]
        job: Option<String>,
        /// Only jobs of this client.
        #[arg(long, value_name = "NAME")]
        client: Option<String>,
        /// Warning range for the failed jobs (status E, e, f).
        #[arg(long, value_name = "RANGE", value_parser = Range::number)]
        warning_failed: Option<Range>,
        /// Critical range for the failed jobs.
        #[arg(long, value_name = "RANGE", value_parser = Range::number)]
        critical_failed: Option<Range>,
        /// Warning range for the canceled jobs (status A).
        #[arg(long, value_name = "RANGE", value_parser = Range::number)]
        warning_canceled: Option<Range>,
        /// Critical range for the canceled jobs.
        #[arg(long, value_name = "RANGE", value_parser = Range::number)]
        critical_canceled: Option<Range>,
        /// Warning range for the jobs that ended with warnings (status W).
        #[arg(long, value_name = "RANGE", value_parser = Range::number)]
        warning_warnings: Option<Range>,
        /// Critical range for the jobs that ended with warnings.
        #[arg(long, value_name = "RANGE", value_parser = Range::number)]
        critical_warnings: Option<Range>,
    },
    /// Usage of pools: volumes full or used against the pool's capacity, appendable
    /// volumes, bytes.
    Volumes {
        /// Only this pool (default: every pool of type Backup).
        #[arg(long, value_name = "NAME")]
        pool: Option<String>,
        /// Warning range for a pool's usage, in percent (`80%`).
        #[arg(long, value_name = "RANGE", value_parser = Range::percent)]
        warning: Option<Range>,
        /// Critical range for a pool's usage, in percent (`95%`).
        #[arg(long, value_name = "RANGE", value_parser = Range::percent)]
        critical: Option<Range>,
        /// WARNING when a pool has fewer appendable volumes than this.
        #[arg(long, value_name = "N")]
        min_appendable: Option<u64>,
    },
    /// A storage daemon is reachable from the director; its version.
    Storage {
        /// The storage resource name.
        #[arg(value_name = "NAME")]
        storage: String,
        /// Thresholds.
        #[command(flatten)]
        time: TimeThresholds,
    },
    /// A file daemon is reachable from the director; its version.
    Client {
        /// The client resource name.
        #[arg(value_name = "NAME")]
        client: String,
        /// Thresholds.
        #[command(flatten)]
        time: TimeThresholds,
    },
}

impl Check {
    /// The name in the status line (`BAREOS JOB OK - ...`).
    pub fn name(&self) -> &'static str {
        match self {
            Check::Director { .. } => "director",
            Check::Job { .. } => "job",
            Check::Jobs { .. } => "jobs",
            Check::Volumes { .. } => "volumes",
            Check::Storage { .. } => "storage",
            Check::Client { .. } => "client",
        }
    }
}

/// A level name or letter to the catalog's letter.
pub fn level_letter(text: &str) -> Result<char, String> {
    let letter = match text.to_ascii_lowercase().as_str() {
        "full" | "f" => 'F',
        "incremental" | "incr" | "i" => 'I',
        "differential" | "diff" | "d" => 'D',
        // `L_VIRTUAL_FULL` of `job_level.h`.
        "virtualfull" | "virtual-full" => 'f',
        _ => {
            return Err(format!(
                "unknown level '{text}' (Full, Incremental, Differential, VirtualFull)"
            ))
        }
    };
    Ok(letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(level_letter("Full"), Ok('F'));
        assert_eq!(level_letter("i"), Ok('I'));
        assert_eq!(level_letter("Differential"), Ok('D'));
        assert_eq!(level_letter("VirtualFull"), Ok('f'));
        assert!(level_letter("Weekly").is_err());
    }
}
