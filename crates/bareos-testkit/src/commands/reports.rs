//! The job report a director writes to the console messages when a job ends
//! (`GenerateBackupSummary` in `backup.cc`, `GenerateRestoreSummary` in `restore.cc`),
//! one line per message, as `messages` delivers them.

use super::catalog::{grouped, human_size};
use super::jobs::{unique_name, RunRow, UtcTime};
use super::restore::RESTORE_JOB;
use crate::director::DirectorConfig;

/// `kBareosVersionStrings.ShortDate`: `21Aug26` for `21 August 2026`.
fn short_date(date: &str) -> String {
    let mut parts = date.split_whitespace();
    let (day, month, year) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let month: String = month.chars().take(3).collect();
    let year = year.get(year.len().saturating_sub(2)..).unwrap_or_default();
    format!("{day}{month}{year}")
}

/// `edit_utime`: `0 secs`, `1 sec`, `1 min 5 secs`.
pub(super) fn elapsed_text(mut secs: u64) -> String {
    const UNITS: [(u64, &str); 5] = [
        (60 * 60 * 24 * 365, "year"),
        (60 * 60 * 24 * 30, "month"),
        (60 * 60 * 24, "day"),
        (60 * 60, "hour"),
        (60, "min"),
    ];
    let mut out = String::new();
    for (size, name) in UNITS {
        let n = secs / size;
        if n > 0 {
            secs -= n * size;
            out.push_str(&format!("{n} {name}{} ", if n > 1 { "s" } else { "" }));
        }
    }
    if secs == 0 && out.is_empty() {
        out.push_str("0 secs");
    } else if secs != 0 {
        out.push_str(&format!("{secs} sec{}", if secs > 1 { "s" } else { "" }));
    }
    out
}

/// `123,456 (123.4 KB)`: a count of bytes with its size.
fn bytes_text(bytes: u64) -> String {
    format!("{} ({}B)", grouped(bytes), human_size(bytes))
}

/// `JobstatusToAscii` of the file and storage daemons' status.
fn daemon_status(status: &str) -> &'static str {
    match status {
        "T" => "OK",
        "W" => "OK -- with warnings",
        "A" => "Canceled",
        "E" | "f" => "Error",
        _ => "",
    }
}

/// The final status of a run: `A` when canceled, else its outcome.
fn final_status(row: &RunRow) -> &str {
    if row.status == "A" {
        "A"
    } else {
        &row.outcome
    }
}

/// The lines a run's end adds to the console messages: the `Version:` line, `Start
/// Backup` if it ran, and the report ending in `Termination:` and an empty line.
pub(super) fn job_report(config: &DirectorConfig, row: &RunRow) -> Vec<String> {
    let ended = row.ended.unwrap_or(row.started);
    let prefix = format!("{} {} JobId {}: ", ended.message(), config.name, row.id);
    let mut lines = vec![format!(
        "{prefix}Version: {} ({}) {}\n",
        config.version, config.date, config.os
    )];
    let restore = row.name == RESTORE_JOB;
    if row.began.is_some() && !restore {
        lines.push(format!(
            "{prefix}Start Backup JobId {}, Job={}\n",
            row.id,
            unique_name(row)
        ));
    }
    let body = if restore {
        restore_summary(config, row)
    } else {
        backup_summary(config, row)
    };
    lines.push(format!(
        "{prefix}Bareos {} {} ({}):\n",
        config.name,
        config.version,
        short_date(&config.date)
    ));
    lines.extend(body.lines().map(|l| format!("{l}\n")));
    lines.push("\n".into());
    lines
}

/// The start and end times and the run time in seconds.
fn times(row: &RunRow) -> (UtcTime, UtcTime, u64) {
    let ended = row.ended.unwrap_or(row.started);
    let began = row.began.unwrap_or(ended);
    let secs = (ended.unix_seconds() - began.unix_seconds()).max(0) as u64;
    (began, ended, secs)
}

fn rate(bytes: u64, secs: u64) -> f64 {
    if secs == 0 {
        0.0
    } else {
        bytes as f64 / 1000.0 / secs as f64
    }
}

fn backup_summary(config: &DirectorConfig, row: &RunRow) -> String {
    let (began, ended, secs) = times(row);
    let status = final_status(row);
    let termination = match status {
        "T" => "Backup OK",
        "W" => "Backup OK -- with warnings",
        "A" => "Backup Canceled",
        "I" => "Backup failed -- incomplete",
        _ => "*** Backup Error ***",
    };
    let (level, source) = match row.level {
        "F" => ("Full", "Job FullPool override"),
        "f" => ("Virtual Full", "Job FullPool override"),
        "D" => ("Differential", "Job DiffPool override"),
        _ => ("Incremental", "Job IncPool override"),
    };
    let pool = super::records::pool_of_level(row.level);
    let catalog = config.catalog.snapshot();
    let since = if matches!(row.level, "I" | "D") {
        catalog
            .jobs
            .iter()
            .filter(|j| j.name == row.name && j.level == "F")
            .map(|j| j.start)
            .max()
            .map(|t| format!(", since={}", super::records::utc_text(t)))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let volume = catalog
        .pools
        .iter()
        .find(|p| p.name == pool)
        .and_then(|p| p.volumes.first());
    let ran = row.began.is_some();
    let (volume_name, volume_bytes) = match volume {
        Some(v) if ran => (v.name.clone(), v.bytes + row.bytes),
        _ => (String::new(), 0),
    };
    let fd_status = if ran { daemon_status(status) } else { "" };
    let erase = if ran {
        ""
    } else {
        "  FD  Secure Erase Cmd:   (null)\n  SD  Secure Erase Cmd:   (null)\n"
    };
    let client = format!(
        "\"{}\" {} ({}) {},debian",
        row.client,
        config.version,
        short_date(&config.date),
        config.os
    );
    let files = grouped(row.files);
    let bytes = bytes_text(row.bytes);
    format!(
        "  OS Information:         {os}
  JobId:                  {id}
  Job:                    {job}
  Backup Level:           {level}{since}
  Client:                 {client}
  FileSet:                \"SelfTest\" 2026-11-26 17:44:06
  Pool:                   \"{pool}\" (From {source})
  Catalog:                \"MyCatalog\" (From Client resource)
  Storage:                \"File\" (From Job resource)
  Scheduled time:         {sched}
  Start time:             {start}
  End time:               {end}
  Elapsed time:           {elapsed}
  Priority:               10
  Allow Mixed Priority:   no
  FD Files Written:       {files}
  SD Files Written:       {files}
  FD Bytes Read:          {bytes}
  FD Bytes Written:       {bytes}
  SD Bytes Written:       {bytes}
  Rate:                   {rate:.1} KB/s
  Software Compression:   None
  VSS:                    no
  Encryption:             no
  Accurate:               no
  Volume name(s):         {volume_name}
  Volume Session Id:      {session}
  Volume Session Time:    {session_time}
  Last Volume Bytes:      {volume_bytes}
  Non-fatal FD errors:    {errors}
  SD Errors:              0
  FD termination status:  {fd_status}
  SD termination status:  {fd_status}
{erase}  Bareos binary info:     Self-compiled: Get professional support from https://www.bareos.com
  Job triggered by:       User
  Termination:            {termination}
",
        os = config.os,
        id = row.id,
        job = unique_name(row),
        sched = row.started.report(),
        start = began.report(),
        end = ended.report(),
        elapsed = elapsed_text(secs),
        rate = rate(row.bytes, secs),
        session = if ran { row.id } else { 0 },
        session_time = if ran { config.runs.started } else { 0 },
        volume_bytes = bytes_text(volume_bytes),
        errors = u64::from(matches!(status, "E" | "f")),
    )
}

fn restore_summary(config: &DirectorConfig, row: &RunRow) -> String {
    let (began, ended, secs) = times(row);
    let status = final_status(row);
    let termination = match status {
        "T" => "Restore OK",
        "W" => "Restore OK -- with warnings",
        "A" => "Restore Canceled",
        _ => "*** Restore Error ***",
    };
    let ran = row.began.is_some();
    let fd_status = if ran { daemon_status(status) } else { "" };
    format!(
        "  OS Information:         {os}
  JobId:                  {id}
  Job:                    {job}
  Restore Client:         \"{client}\" {version} ({date}) {os},debian
  Start time:             {start}
  End time:               {end}
  Elapsed time:           {elapsed}
  Files Expected:         {files}
  Files Restored:         {files}
  Bytes Restored:         {bytes}
  Rate:                   {rate:.1} KB/s
  FD Errors:              {errors}
  FD termination status:  {fd_status}
  SD termination status:  {fd_status}
  Bareos binary info:     Self-compiled: Get professional support from https://www.bareos.com
  Job triggered by:       User
  Termination:            {termination}
",
        os = config.os,
        id = row.id,
        job = unique_name(row),
        client = row.client,
        version = config.version,
        date = short_date(&config.date),
        start = began.report(),
        end = ended.report(),
        elapsed = elapsed_text(secs),
        files = grouped(row.files),
        bytes = grouped(row.bytes),
        rate = rate(row.bytes, secs),
        errors = u64::from(matches!(status, "E" | "f")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_texts_as_the_director_edits_them() {
        assert_eq!(short_date("21 August 2026"), "21Aug26");
        assert_eq!(elapsed_text(0), "0 secs");
        assert_eq!(elapsed_text(1), "1 sec");
        assert_eq!(elapsed_text(65), "1 min 5 secs");
        assert_eq!(elapsed_text(7200), "2 hours ");
        assert_eq!(bytes_text(139_898), "139,898 (139.8 KB)");
        assert_eq!(bytes_text(0), "0 (0 B)");
    }
}
