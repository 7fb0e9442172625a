//! From the director's answers to the model of `top`: API 2 results through the typed
//! models of `bareos::models`, and the text of API 0 (`status director` as
//! `ListRunningJobs`/`ListTerminatedJobs` print it, and the `+---+` catalog tables).

use super::model::{DirectorInfo, FinishedJob, PoolUsage, Reference, RunningJob};
use bareos::models::{DirectorStatus, Job, JobList, PoolList, StatusJob, VolumesByPool};
use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::time::Duration;

/// How `status` prints times (`bstrftime_nc`): `26-Nov-26 17:44`.
const STATUS_TIME: &str = "%d-%b-%y %H:%M";
/// How catalog rows print times.
const CATALOG_TIME: &str = "%Y-%m-%d %H:%M:%S";
/// How `time` prints the time.
const TIME_COMMAND: &str = "%a %d-%b-%Y %H:%M:%S";

/// The job resource name of a unique job name (`name.2026-11-26_17.44.08_03`): the
/// director strips three periods.
pub fn job_resource_name(unique: &str) -> String {
    let mut name = unique;
    for _ in 0..3 {
        if let Some(i) = name.rfind('.') {
            name = &name[..i];
        }
    }
    name.to_string()
}

/// A `status` time (`26-Nov-26 17:44`).
pub fn status_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text.trim(), STATUS_TIME).ok()
}

/// A catalog time (`2026-11-26 17:44:08`).
pub fn catalog_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text.trim(), CATALOG_TIME).ok()
}

/// The director's clock from `time`: the JSON result or the text line.
pub fn director_time(json: Option<&Value>, text: Option<&str>) -> Option<NaiveDateTime> {
    if let Some(value) = json {
        let full = value.get("time")?.get("full")?.as_str()?;
        return NaiveDateTime::parse_from_str(full.trim(), TIME_COMMAND).ok();
    }
    let text = text?;
    text.lines()
        .find_map(|l| NaiveDateTime::parse_from_str(l.trim(), TIME_COMMAND).ok())
}

fn since(start: Option<NaiveDateTime>, now: NaiveDateTime) -> Option<Duration> {
    (now - start?).to_std().ok()
}

/// The director, the running and the terminated jobs of an API 2 `status director`.
/// `catalog` adds the client, level letter and start time of running jobs (from `list
/// jobs`), `now` is the director's clock.
pub fn status_json(
    status: &DirectorStatus,
    catalog: &HashMap<u64, Job>,
    now: NaiveDateTime,
) -> (DirectorInfo, Vec<RunningJob>, Vec<FinishedJob>) {
    let header = &status.header;
    let started = text_of(&header.extra, "daemon_started");
    let director = DirectorInfo {
        name: header.director.clone().unwrap_or_default(),
        version: header.version.clone().unwrap_or_default(),
        uptime: since(status_time(&started), now),
        started,
    };
    let running = status
        .running
        .iter()
        .filter_map(|j| running_job(j, catalog, now))
        .collect();
    let terminated = status
        .terminated
        .iter()
        .filter_map(|j| {
            Some(FinishedJob {
                jobid: j.jobid?,
                name: j.name.clone().unwrap_or_default(),
                level: j.level.clone().unwrap_or_default(),
                job_type: j.job_type.clone().unwrap_or_default(),
                status: j.status.clone().unwrap_or_default(),
                files: j.files.unwrap_or(0),
                bytes: j.bytes.unwrap_or(0),
                finished: text_of(&j.extra, "finished"),
            })
        })
        .collect();
    (director, running, terminated)
}

fn text_of(extra: &Map<String, Value>, key: &str) -> String {
    match extra.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn running_job(
    j: &StatusJob,
    catalog: &HashMap<u64, Job>,
    now: NaiveDateTime,
) -> Option<RunningJob> {
    let jobid = j.jobid?;
    let row = catalog.get(&jobid);
    let unique = j.name.clone().unwrap_or_default();
    let start = row
        .and_then(|r| r.starttime.as_deref())
        .and_then(catalog_time)
        .or_else(|| status_time(&text_of(&j.extra, "start_time")));
    Some(RunningJob {
        jobid,
        name: row
            .and_then(|r| r.name.clone())
            .unwrap_or_else(|| job_resource_name(&unique)),
        client: row.and_then(|r| r.client.clone()),
        level: j.level.clone().unwrap_or_default().trim().to_string(),
        level_code: row.and_then(|r| r.level.clone()),
        job_type: j.job_type.clone().unwrap_or_default(),
        status: j.status.clone().unwrap_or_default(),
        files: j.files,
        bytes: j.bytes,
        elapsed: since(start, now),
    })
}

/// Catalog rows by job id.
pub fn jobs_by_id(list: JobList) -> HashMap<u64, Job> {
    list.jobs.into_iter().map(|j| (j.jobid, j)).collect()
}

/// The last successful (`T` or `W`) job of `name` at level `level` in a `list jobs`.
pub fn last_successful(list: &JobList, name: &str, level: &str) -> Option<Reference> {
    list.jobs
        .iter()
        .filter(|j| j.name.as_deref() == Some(name))
        .filter(|j| j.level.as_deref() == Some(level))
        .filter(|j| matches!(j.jobstatus.as_deref(), Some("T" | "W")))
        .max_by_key(|j| j.jobid)
        .map(|j| Reference {
            jobid: j.jobid,
            bytes: j.jobbytes.unwrap_or(0),
            files: j.jobfiles.unwrap_or(0),
        })
}

/// Pools with the counts and bytes of their volumes (`volumes` when `list volumes` was
/// allowed).
pub fn pools(list: &PoolList, volumes: Option<&VolumesByPool>) -> Vec<PoolUsage> {
    list.pools
        .iter()
        .map(|p| {
            let vols = volumes.and_then(|v| v.volumes.get(&p.name.to_lowercase()));
            let count = |states: &[&str]| {
                vols.map_or(0, |v| {
                    v.iter()
                        .filter(|m| {
                            m.volstatus
                                .as_deref()
                                .is_some_and(|s| states.iter().any(|w| s.eq_ignore_ascii_case(w)))
                        })
                        .count() as u64
                })
            };
            PoolUsage {
                name: p.name.clone(),
                volumes: p.numvols.unwrap_or(vols.map_or(0, |v| v.len() as u64)),
                max_volumes: p.maxvols.unwrap_or(0),
                bytes: vols.map(|v| v.iter().filter_map(|m| m.volbytes).sum()),
                full: count(&["Full", "Used"]),
                appendable: count(&["Append", "Recycle", "Purged"]),
            }
        })
        .collect()
}

/// The rows of a text catalog table (`+---+` borders, `| a | b |` lines) under the
/// `key` of its API 2 result, every cell a string: `{"jobs": [{"jobid": "1", ...}]}`.
/// Thousands separators are dropped from numbers.
pub fn text_table(text: &str, key: &str) -> Value {
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if !(line.starts_with('|') && line.ends_with('|') && line.len() >= 2) {
            continue;
        }
        let cells: Vec<String> = line[1..line.len() - 1]
            .split('|')
            .map(|c| c.trim().to_string())
            .collect();
        match &headers {
            None => headers = Some(cells.iter().map(|c| c.to_lowercase()).collect()),
            Some(names) => {
                let row: Map<String, Value> = names
                    .iter()
                    .zip(cells)
                    .map(|(name, cell)| {
                        let number = !cell.is_empty()
                            && cell.chars().all(|c| c.is_ascii_digit() || c == ',')
                            && cell.chars().any(|c| c.is_ascii_digit());
                        let cell = if number { cell.replace(',', "") } else { cell };
                        (name.clone(), Value::String(cell))
                    })
                    .collect();
                rows.push(Value::Object(row));
            }
        }
    }
    let mut result = Map::new();
    result.insert(key.to_string(), Value::Array(rows));
    Value::Object(result)
}

/// An approximate byte count of a `status` size (`139.8 K`, `5.005 M`, `0 `).
fn status_size(text: &str) -> u64 {
    let text = text.trim();
    let (number, unit) = match text.split_once(' ') {
        Some((n, u)) => (n, u.trim()),
        None => (text, ""),
    };
    let factor = match unit {
        "K" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        _ => 1.0,
    };
    number
        .replace(',', "")
        .parse::<f64>()
        .map_or(0, |n| (n * factor) as u64)
}

/// Where a `status` time (`dd-Mon-yy hh:mm`) starts in `text`.
fn find_status_time(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(14)).find(|&i| {
        bytes[i].is_ascii_digit()
            && bytes[i + 14].is_ascii_digit()
            && text.is_char_boundary(i)
            && text.is_char_boundary(i + 15)
            && NaiveDateTime::parse_from_str(&text[i..i + 15], STATUS_TIME).is_ok()
    })
}

/// `status director` in text (API 0): the director, the running and the terminated
/// jobs. `now` is the director's clock (for the uptime).
pub fn status_text(
    text: &str,
    now: NaiveDateTime,
) -> (DirectorInfo, Vec<RunningJob>, Vec<FinishedJob>) {
    let mut director = DirectorInfo::default();
    let mut lines = text.lines();
    if let Some(first) = lines.next() {
        if let Some((name, rest)) = first.split_once(" Version: ") {
            director.name = name.trim().to_string();
            director.version = rest.split(' ').next().unwrap_or("").to_string();
        }
    }
    let mut running = Vec::new();
    let mut terminated = Vec::new();
    #[derive(PartialEq)]
    enum Part {
        Other,
        Running,
        Terminated,
    }
    let mut part = Part::Other;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Daemon started ") {
            if let Some(i) = find_status_time(rest) {
                director.started = rest[i..i + 15].to_string();
                director.uptime = since(status_time(&director.started), now);
            }
            continue;
        }
        match line.trim() {
            "Running Jobs:" => {
                part = Part::Running;
                continue;
            }
            "Terminated Jobs:" => {
                part = Part::Terminated;
                continue;
            }
            "====" => {
                part = Part::Other;
                continue;
            }
            _ => {}
        }
        // Job lines start with the right-aligned job id in 6 columns.
        let Some(jobid) = line.get(..6).and_then(|s| s.trim().parse::<u64>().ok()) else {
            continue;
        };
        // Restore, admin and archive jobs have a blank level.
        let has_level = line.get(7..13).is_some_and(|l| !l.trim().is_empty());
        let mut words = line[6..].split_whitespace();
        let level = if has_level {
            words.next().unwrap_or("").to_string()
        } else {
            String::new()
        };
        match part {
            // `%6u %-6s  %-20s %s` (a 7-letter level pushes the rest to the right).
            Part::Running => {
                let unique = words.next().unwrap_or("");
                running.push(RunningJob {
                    jobid,
                    name: job_resource_name(unique),
                    level,
                    status: words.collect::<Vec<_>>().join(" "),
                    ..RunningJob::default()
                });
            }
            // `%6u  %-6s %8s %10s  %-7s  %-8s %s`: files, size (`139.8 K`), status words,
            // the finish time, the name.
            Part::Terminated => {
                let Some(at) = find_status_time(line) else {
                    continue;
                };
                let head = line.get(6..at).unwrap_or("");
                let mut words = head.split_whitespace().skip(usize::from(has_level));
                let files = words
                    .next()
                    .unwrap_or("")
                    .replace(',', "")
                    .parse()
                    .unwrap_or(0);
                let mut size = words.next().unwrap_or("").to_string();
                let mut rest: Vec<&str> = words.collect();
                if rest
                    .first()
                    .is_some_and(|u| matches!(*u, "K" | "M" | "G" | "T" | "P"))
                {
                    size = format!("{size} {}", rest.remove(0));
                }
                terminated.push(FinishedJob {
                    jobid,
                    name: line[at + 15..].trim().to_string(),
                    level,
                    job_type: String::new(),
                    status: rest.join(" "),
                    files,
                    bytes: status_size(&size),
                    finished: line[at..at + 15].to_string(),
                });
            }
            Part::Other => {}
        }
    }
    (director, running, terminated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bareos::models::from_result;
    use serde_json::json;

    fn now() -> NaiveDateTime {
        catalog_time("2026-11-26 18:01:00").unwrap()
    }

    #[test]
    fn resource_name_of_unique_name() {
        assert_eq!(
            job_resource_name("backup-bareos-fd.2026-11-26_17.44.08_03"),
            "backup-bareos-fd"
        );
        assert_eq!(job_resource_name("plain"), "plain");
    }

    #[test]
    fn json_status_with_catalog_rows() {
        let status: DirectorStatus = from_result(&json!({
            "header": {"director": "bareos-dir", "version": "26.0.0", "daemon_started": "26-Nov-26 17:44",
                       "jobs_run": 4, "jobs_running": 1},
            "running": [{"jobid": 5, "name": "backup-bareos-fd.2026-11-26_18.00.00_05", "level": "Full",
                         "type": "Backup", "status": "is running", "start_time": "26-Nov-26 18:00",
                         "files": 500, "bytes": 2500000},
                        {"jobid": 6, "name": "other.2026-11-26_18.00.30_06", "level": "Increme",
                         "type": "Backup", "status": "is waiting on max Client jobs",
                         "start_time": "26-Nov-26 18:00", "files": 0, "bytes": 0}],
            "terminated": [{"jobid": 1, "name": "backup-bareos-fd", "level": "Full", "type": "Backup",
                            "status": "OK -- with warnings", "files": 86, "bytes": 139898,
                            "finished": "26-Nov-26 17:44"}]
        }))
        .unwrap();
        let catalog = jobs_by_id(
            from_result(
                &json!({"jobs": [{"jobid": "5", "name": "backup-bareos-fd", "client": "bareos-fd",
                "level": "F", "starttime": "2026-11-26 18:00:30", "jobstatus": "R"}]}),
            )
            .unwrap(),
        );
        let (director, running, terminated) = status_json(&status, &catalog, now());
        assert_eq!(director.version, "26.0.0");
        assert_eq!(director.uptime, Some(Duration::from_secs(17 * 60)));
        assert_eq!(running[0].client.as_deref(), Some("bareos-fd"));
        assert_eq!(running[0].level_code.as_deref(), Some("F"));
        assert_eq!(running[0].bytes, Some(2_500_000));
        assert_eq!(running[0].elapsed, Some(Duration::from_secs(30)));
        assert!(!running[0].is_waiting());
        // Without a catalog row: the name from the unique name, the minute of the status.
        assert_eq!(running[1].name, "other");
        assert_eq!(running[1].elapsed, Some(Duration::from_secs(60)));
        assert!(running[1].is_waiting());
        assert_eq!(terminated[0].finished, "26-Nov-26 17:44");
    }

    #[test]
    fn last_successful_job_of_name_and_level() {
        let list: JobList = from_result(&json!({"jobs": [
            {"jobid": "1", "name": "a", "level": "F", "jobstatus": "T", "jobbytes": "100"},
            {"jobid": "2", "name": "a", "level": "I", "jobstatus": "T", "jobbytes": "5"},
            {"jobid": "3", "name": "a", "level": "F", "jobstatus": "T", "jobbytes": "300"},
            {"jobid": "4", "name": "a", "level": "F", "jobstatus": "E", "jobbytes": "7"},
            {"jobid": "5", "name": "b", "level": "F", "jobstatus": "T", "jobbytes": "9"}
        ]}))
        .unwrap();
        let r = last_successful(&list, "a", "F").unwrap();
        assert_eq!((r.jobid, r.bytes), (3, 300));
        assert_eq!(last_successful(&list, "a", "D"), None);
    }

    #[test]
    fn text_status_as_list_running_and_terminated_jobs_print_it() {
        let text = [
            "bareos-dir Version: 26.0.0~pre1298.eda204c31 (21 August 2026) Debian GNU/Linux 12 (bookworm)",
            "Daemon started 26-Nov-26 17:44. Jobs: run=4, running=1 db:postgresql, self-compiled binary",
            "No Scheduled Jobs.",
            "====",
            "",
            "Running Jobs:",
            "Console connected at 26-Nov-26 17:44",
            " JobId Level   Name                       Status",
            "======================================================================",
            "     5 Full    backup-bareos-fd.2026-11-26_18.00.00_05 is running",
            "     8 Increme  backup-test2-fd.2026-11-26_18.00.02_08 is running",
            "     6         RestoreFiles.2026-11-26_18.00.01_06 is waiting on Storage \"File\"",
            "====",
            "",
            "Terminated Jobs:",
            " JobId  Level    Files      Bytes   Status   Finished        Name ",
            "====================================================================",
            "     1  Full         86    139.8 K  OK       26-Nov-26 17:44 backup-bareos-fd",
            "     9  Full   12,345,678  12.34 G  Error    26-Nov-26 17:59 big job",
            "     7  Incr       1,002    5.005 M  OK -- with warnings  26-Nov-26 17:50 backup-test2-fd",
            "====",
        ]
        .join("\n");
        let text = text.as_str();
        let (director, running, terminated) = status_text(text, now());
        assert_eq!(director.name, "bareos-dir");
        assert_eq!(director.version, "26.0.0~pre1298.eda204c31");
        assert_eq!(director.uptime, Some(Duration::from_secs(17 * 60)));
        assert_eq!(running.len(), 3);
        assert_eq!(running[0].name, "backup-bareos-fd");
        assert_eq!(running[0].level, "Full");
        assert_eq!(running[0].status, "is running");
        assert_eq!(running[1].name, "backup-test2-fd");
        assert_eq!(running[1].level, "Increme");
        assert_eq!(running[2].level, "");
        assert_eq!(running[2].name, "RestoreFiles");
        assert_eq!(running[2].status, "is waiting on Storage \"File\"");
        assert!(running[2].is_waiting());
        assert_eq!(terminated.len(), 3);
        assert_eq!(terminated[0].bytes, 139_800);
        assert_eq!(terminated[0].files, 86);
        assert_eq!(terminated[0].status, "OK");
        assert_eq!(terminated[1].files, 12_345_678);
        assert_eq!(terminated[1].bytes, 12_340_000_000);
        assert_eq!(terminated[1].name, "big job");
        assert_eq!(terminated[1].status, "Error");
        assert_eq!(terminated[2].files, 1002);
        assert_eq!(terminated[2].status, "OK -- with warnings");
        assert_eq!(terminated[2].name, "backup-test2-fd");
        assert_eq!(terminated[2].finished, "26-Nov-26 17:50");
        // Lines that only look like jobs do not break the reading.
        let odd = "Terminated Jobs:\n    12-Nov-26 17:44 x\n     7\n\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\n====\n";
        let (_, _, terminated) = status_text(odd, now());
        assert!(
            terminated.iter().all(|j| j.files == 0 && j.bytes == 0),
            "{terminated:?}"
        );
    }

    #[test]
    fn text_tables_read_like_api_2() {
        let text = "+-------+------+---------+\n| poolid | name | numvols |\n+---+\n|      1 | Full | 1,001 |\n+---+\n";
        let pools: PoolList = from_result(&text_table(text, "pools")).unwrap();
        assert_eq!(pools.pools[0].name, "Full");
        assert_eq!(pools.pools[0].numvols, Some(1001));
    }

    #[test]
    fn pools_with_volumes() {
        let list: PoolList = from_result(
            &json!({"pools": [{"poolid": "3", "name": "Full", "numvols": "2", "maxvols": "10"}]}),
        )
        .unwrap();
        let volumes: VolumesByPool = from_result(&json!({"volumes": {"full": [
            {"mediaid": "1", "volumename": "Full-0001", "volstatus": "Full", "volbytes": "1000"},
            {"mediaid": "2", "volumename": "Full-0002", "volstatus": "Append", "volbytes": "500"}
        ]}}))
        .unwrap();
        let usage = pools(&list, Some(&volumes));
        assert_eq!(usage[0].bytes, Some(1500));
        assert_eq!((usage[0].full, usage[0].appendable), (1, 1));
        assert_eq!(usage[0].ratio(), Some(0.2));
        assert_eq!(pools(&list, None)[0].bytes, None);
    }

    #[test]
    fn director_clock() {
        let value = json!({"time": {"full": "Thu 26-Nov-2026 17:53:53"}});
        assert_eq!(
            director_time(Some(&value), None),
            catalog_time("2026-11-26 17:53:53")
        );
        assert_eq!(
            director_time(None, Some("Thu 26-Nov-2026 17:53:53\n")),
            catalog_time("2026-11-26 17:53:53")
        );
    }
}
