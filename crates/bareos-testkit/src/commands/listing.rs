//! `list`/`llist` of pools, volumes and jobs from the catalog rows (`records`), with the
//! columns and filters of `ua_output.cc` and `sql_list.cc`: `job=`, `jobname=`,
//! `client=`, `jobstatus=` (letters or words, comma-separated), `joblevel=`/`level=`,
//! `days=`, `hours=` (scheduled within), `last` (the newest job of each name),
//! `jobid=`, `pool=` for volumes.

use super::args::{has, value};
use super::catalog::Table;
use super::records::{duration_text, utc_text, JobRecord};
use super::Session;
use crate::json::Json;
use std::io;

type Reply = io::Result<(bool, Json)>;

/// Every job: the catalog's, then the runs of this director.
pub(super) fn all_jobs(s: &Session) -> Vec<JobRecord> {
    let mut jobs = s.config.catalog.jobs.clone();
    jobs.extend(s.config.runs.rows().into_iter().map(|r| JobRecord {
        id: r.id,
        name: r.name,
        client: r.client,
        level: r.level.to_string(),
        status: if r.status == "T" {
            r.outcome
        } else {
            r.status.to_string()
        },
        sched: r.started.unix_seconds(),
        start: r.started.unix_seconds(),
        end: r.ended.map(|t| t.unix_seconds()),
        files: r.files,
        bytes: r.bytes,
        errors: 0,
    }));
    for job in &mut jobs {
        if matches!(job.status.as_str(), "E" | "f") && job.errors == 0 {
            job.errors = 1;
        }
    }
    jobs
}

/// The status letters of `jobstatus=` (`GetUserJobStatusSelection`); `None` if invalid.
fn status_letters(text: &str) -> Option<Vec<String>> {
    text.split(',')
        .map(|word| {
            let letter = match word.to_ascii_lowercase().as_str() {
                "terminated" => "T",
                "warnings" => "W",
                "canceled" => "A",
                "running" => "R",
                "error" => "E",
                "fatal" => "f",
                _ if word.len() == 1 && word.chars().all(|c| c.is_ascii_alphabetic()) => word,
                _ => return None,
            };
            Some(letter.to_string())
        })
        .collect()
}

/// The level letters of `joblevel=` (`GetUserJobLevelSelection`); `None` if invalid.
fn level_letters(text: &str) -> Option<Vec<String>> {
    text.split(',')
        .map(|word| {
            let letter = match word.to_ascii_lowercase().as_str() {
                "full" => "F",
                "differential" => "D",
                "incremental" => "I",
                _ if word.len() == 1 && word.chars().all(|c| c.is_ascii_alphabetic()) => word,
                _ => return None,
            };
            Some(letter.to_string())
        })
        .collect()
}

/// `list jobs`, `list jobid=N`, `list job=NAME` and their `llist` forms.
pub(super) async fn jobs(s: &mut Session, long: bool, args: &[String]) -> Reply {
    let mut jobs = all_jobs(s);
    if let Some(name) = value(args, "jobname").or_else(|| value(args, "job")) {
        jobs.retain(|j| j.name == name);
    }
    if let Some(id) = value(args, "jobid") {
        let id: u32 = id.parse().unwrap_or(0);
        jobs.retain(|j| j.id == id);
        if jobs.is_empty() {
            return Ok((true, Json::obj().with("jobs", Json::obj())));
        }
    }
    if let Some(client) = value(args, "client") {
        jobs.retain(|j| j.client == client);
    }
    if let Some(text) = value(args, "jobstatus") {
        let Some(letters) = status_letters(text) else {
            s.error_msg("invalid jobstatus parameter\n").await?;
            return Ok((false, Json::obj()));
        };
        jobs.retain(|j| letters.contains(&j.status));
    }
    if let Some(text) = value(args, "joblevel").or_else(|| value(args, "level")) {
        let Some(letters) = level_letters(text) else {
            s.error_msg("invalid joblevel parameter\n").await?;
            return Ok((false, Json::obj()));
        };
        jobs.retain(|j| letters.contains(&j.level));
    }
    let now = super::records::now();
    let mut since = None;
    if let Some(days) = value(args, "days") {
        since = Some(now - 86_400 * days.parse::<i64>().unwrap_or(0));
    }
    if let Some(hours) = value(args, "hours") {
        since = Some(now - 3600 * hours.parse::<i64>().unwrap_or(0));
    }
    if let Some(since) = since {
        jobs.retain(|j| j.sched > since);
    }
    if has(args, "last") {
        let newest: Vec<u32> = jobs
            .iter()
            .map(|j| {
                jobs.iter()
                    .filter(|k| k.name == j.name)
                    .map(|k| k.id)
                    .max()
                    .unwrap_or(j.id)
            })
            .collect();
        jobs.retain(|j| newest.contains(&j.id));
    }
    jobs.sort_by_key(|j| (j.start, j.id));
    let table = if long {
        long_jobs(&jobs, now)
    } else {
        short_jobs(&jobs, now)
    };
    s.send_table("jobs", table, long).await
}

fn duration(job: &JobRecord, now: i64) -> String {
    duration_text(job.end.unwrap_or(now) - job.start)
}

fn short_jobs(jobs: &[JobRecord], now: i64) -> Table {
    Table {
        headers: vec![
            "jobid",
            "name",
            "client",
            "starttime",
            "duration",
            "type",
            "level",
            "jobfiles",
            "jobbytes",
            "jobstatus",
        ],
        rows: jobs
            .iter()
            .map(|j| {
                vec![
                    j.id.to_string(),
                    j.name.clone(),
                    j.client.clone(),
                    utc_text(j.start),
                    duration(j, now),
                    "B".into(),
                    j.level.clone(),
                    super::catalog::grouped(j.files),
                    super::catalog::grouped(j.bytes),
                    j.status.clone(),
                ]
            })
            .collect(),
        numeric: vec![
            true, false, false, false, false, false, false, true, true, false,
        ],
    }
}

fn long_jobs(jobs: &[JobRecord], now: i64) -> Table {
    let headers = vec![
        "jobid",
        "job",
        "name",
        "purgedfiles",
        "type",
        "level",
        "clientid",
        "client",
        "jobstatus",
        "schedtime",
        "starttime",
        "endtime",
        "realendtime",
        "duration",
        "jobtdate",
        "jobfiles",
        "jobbytes",
        "joberrors",
        "jobmissingfiles",
        "poolid",
        "poolname",
        "priorjobid",
        "filesetid",
        "fileset",
    ];
    let numeric = headers
        .iter()
        .map(|h| h.starts_with("job") && !matches!(*h, "job" | "jobstatus"))
        .collect();
    let rows = jobs
        .iter()
        .map(|j| {
            let end = j.end.map(utc_text).unwrap_or_default();
            let (poolid, pool) = match j.level.as_str() {
                "I" => ("2", "Incremental"),
                "D" => ("4", "Differential"),
                _ => ("3", "Full"),
            };
            vec![
                j.id.to_string(),
                j.unique(),
                j.name.clone(),
                "0".into(),
                "B".into(),
                j.level.clone(),
                if j.client == "bareos-fd" { "2" } else { "1" }.into(),
                j.client.clone(),
                j.status.clone(),
                utc_text(j.sched),
                utc_text(j.start),
                end.clone(),
                end,
                duration(j, now),
                j.tdate().to_string(),
                j.files.to_string(),
                j.bytes.to_string(),
                j.errors.to_string(),
                "0".into(),
                poolid.into(),
                pool.into(),
                "0".into(),
                "1".into(),
                "SelfTest".into(),
            ]
        })
        .collect();
    Table {
        headers,
        rows,
        numeric,
    }
}

/// `list pools` / `llist pools`.
pub(super) async fn pools(s: &mut Session, long: bool) -> Reply {
    let table = Table {
        headers: vec![
            "poolid",
            "name",
            "numvols",
            "maxvols",
            "pooltype",
            "labelformat",
        ],
        rows: s
            .config
            .catalog
            .pools
            .iter()
            .map(|p| {
                vec![
                    p.id.to_string(),
                    p.name.clone(),
                    p.volumes.len().to_string(),
                    p.maxvols.to_string(),
                    p.pooltype.clone(),
                    p.labelformat.clone(),
                ]
            })
            .collect(),
        numeric: vec![true, false, true, true, false, false],
    };
    s.send_table("pools", table, long).await
}

fn volume_table(pool: &super::records::PoolRecord, long: bool) -> Table {
    let headers = if long {
        vec![
            "mediaid",
            "volumename",
            "slot",
            "poolid",
            "pool",
            "mediatype",
            "volbytes",
            "volstatus",
            "enabled",
            "recycle",
            "volretention",
            "maxvolbytes",
            "inchanger",
            "storage",
        ]
    } else {
        vec![
            "mediaid",
            "volumename",
            "volstatus",
            "enabled",
            "volbytes",
            "volfiles",
            "volretention",
            "recycle",
            "slot",
            "inchanger",
            "mediatype",
            "storage",
        ]
    };
    let rows = pool
        .volumes
        .iter()
        .map(|v| {
            let enabled = if v.enabled { "1" } else { "0" }.to_string();
            if long {
                vec![
                    v.id.to_string(),
                    v.name.clone(),
                    "0".into(),
                    pool.id.to_string(),
                    pool.name.clone(),
                    "File".into(),
                    v.bytes.to_string(),
                    v.status.clone(),
                    enabled,
                    "1".into(),
                    "31536000".into(),
                    v.maxvolbytes.to_string(),
                    "0".into(),
                    "File".into(),
                ]
            } else {
                vec![
                    v.id.to_string(),
                    v.name.clone(),
                    v.status.clone(),
                    enabled,
                    v.bytes.to_string(),
                    "0".into(),
                    "31536000".into(),
                    "1".into(),
                    "0".into(),
                    "0".into(),
                    "File".into(),
                    "File".into(),
                ]
            }
        })
        .collect();
    let numeric = headers
        .iter()
        .map(|h| {
            !matches!(
                *h,
                "volumename" | "pool" | "mediatype" | "volstatus" | "storage"
            )
        })
        .collect();
    Table {
        headers,
        rows,
        numeric,
    }
}

/// `list volumes [pool=NAME]` / `llist volumes` / `list media`: volumes keyed by the
/// lower-cased pool name (empty pools as `[]`), or a plain array with `pool=`.
pub(super) async fn volumes(s: &mut Session, long: bool, args: &[String]) -> Reply {
    let config = s.config.clone();
    s.announce_catalog().await?;
    if let Some(name) = value(args, "pool") {
        let Some(pool) = config.catalog.pools.iter().find(|p| p.name == name) else {
            s.error_msg(format!("Pool {name} doesn't exist.\n")).await?;
            return Ok((false, Json::obj()));
        };
        let json = send_volumes(s, pool, long).await?;
        return Ok((true, Json::obj().with("volumes", json)));
    }
    let mut by_pool = Vec::new();
    for pool in &config.catalog.pools {
        s.text(format!("Pool: {}\n", pool.name)).await?;
        let json = send_volumes(s, pool, long).await?;
        by_pool.push((pool.name.to_lowercase(), json));
    }
    Ok((true, Json::obj().with("volumes", Json::Obj(by_pool))))
}

/// Sends a pool's volume table (API 0/1) and returns its JSON rows.
async fn send_volumes(
    s: &mut Session,
    pool: &super::records::PoolRecord,
    long: bool,
) -> io::Result<Json> {
    let table = volume_table(pool, long);
    let frames = if long {
        table.long()
    } else {
        table.frames(s.api == 0)
    };
    for frame in frames {
        s.text(frame).await?;
    }
    Ok(table.json())
}
