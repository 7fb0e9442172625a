//! `list`/`llist` of pools, volumes and jobs from the catalog rows (`records`), with the
//! columns and filters of `ua_output.cc` and `sql_list.cc`: `job=`, `jobname=`,
//! `client=`, `jobstatus=` (letters or words, comma-separated), `joblevel=`/`level=`,
//! `days=`, `hours=` (scheduled within), `last` (the newest job of each name),
//! `jobid=`, `pool=` for volumes.

use super::args::{has, value};
use super::catalog::Table;
use super::records::{duration_text, utc_text, JobRecord, PoolRecord, VolumeRecord};
use super::Session;
use crate::json::Json;
use std::io;

type Reply = io::Result<(bool, Json)>;

/// Every job: the catalog's, then the runs of this director.
pub(super) fn all_jobs(s: &Session) -> Vec<JobRecord> {
    let records = s.config.catalog.snapshot();
    let mut jobs = records.jobs;
    let runs = s.config.runs.rows().into_iter();
    let runs = runs.filter(|r| !records.deleted_runs.contains(&r.id));
    jobs.extend(runs.map(|r| JobRecord {
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
    selection_letters(
        text,
        &[
            ("terminated", "T"),
            ("warnings", "W"),
            ("canceled", "A"),
            ("running", "R"),
            ("error", "E"),
            ("fatal", "f"),
        ],
    )
}

/// The level letters of `joblevel=` (`GetUserJobLevelSelection`); `None` if invalid.
fn level_letters(text: &str) -> Option<Vec<String>> {
    selection_letters(
        text,
        &[("full", "F"), ("differential", "D"), ("incremental", "I")],
    )
}

/// The letters of a comma-separated selection: each word is one of `words` (any case,
/// becoming its letter) or a single letter taken as it is; `None` if any is neither.
fn selection_letters(text: &str, words: &[(&str, &str)]) -> Option<Vec<String>> {
    text.split(',')
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            match words.iter().find(|(name, _)| *name == lower) {
                Some((_, letter)) => Some(letter.to_string()),
                None if word.len() == 1 && word.chars().all(|c| c.is_ascii_alphabetic()) => {
                    Some(word.to_string())
                }
                None => None,
            }
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
        rows: jobs.iter().map(|j| short_job_cells(j, now)).collect(),
        numeric: vec![
            true, false, false, false, false, false, false, true, true, false,
        ],
    }
}

/// One row of the short `list jobs`, in the order of its headers.
fn short_job_cells(job: &JobRecord, now: i64) -> Vec<String> {
    vec![
        job.id.to_string(),
        job.name.clone(),
        job.client.clone(),
        utc_text(job.start),
        duration(job, now),
        "B".into(),
        job.level.clone(),
        super::catalog::grouped(job.files),
        super::catalog::grouped(job.bytes),
        job.status.clone(),
    ]
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
            let pool = super::records::pool_of_level(&j.level);
            let poolid = match pool {
                "Incremental" => "2",
                "Differential" => "4",
                _ => "3",
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
    let pools = s.config.catalog.snapshot().pools;
    send_pools(s, &pools, long).await
}

/// Sends a table of these pools.
pub(super) async fn send_pools(s: &mut Session, pools: &[PoolRecord], long: bool) -> Reply {
    let table = Table {
        headers: vec![
            "poolid",
            "name",
            "numvols",
            "maxvols",
            "pooltype",
            "labelformat",
        ],
        rows: pools
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

fn volume_table(pool: &PoolRecord, volumes: &[VolumeRecord], long: bool) -> Table {
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
            "voluseduration",
            "maxvoljobs",
            "maxvolfiles",
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
    let flag = |on: bool| if on { "1" } else { "0" }.to_string();
    let rows = volumes
        .iter()
        .map(|v| {
            let enabled = v.enabled.to_string();
            if long {
                vec![
                    v.id.to_string(),
                    v.name.clone(),
                    v.slot.to_string(),
                    pool.id.to_string(),
                    pool.name.clone(),
                    "File".into(),
                    v.bytes.to_string(),
                    v.status.clone(),
                    enabled,
                    flag(v.recycle),
                    v.volretention.to_string(),
                    v.voluseduration.to_string(),
                    v.maxvoljobs.to_string(),
                    v.maxvolfiles.to_string(),
                    v.maxvolbytes.to_string(),
                    flag(v.inchanger),
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
                    v.volretention.to_string(),
                    flag(v.recycle),
                    v.slot.to_string(),
                    flag(v.inchanger),
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
    let records = s.config.catalog.snapshot();
    s.announce_catalog().await?;
    if let Some(name) = value(args, "pool") {
        let Some(pool) = records.pools.iter().find(|p| p.name == name) else {
            s.error_msg(format!("Pool {name} doesn't exist.\n")).await?;
            return Ok((false, Json::obj()));
        };
        let json = send_volumes(s, pool, long).await?;
        return Ok((true, Json::obj().with("volumes", json)));
    }
    let mut by_pool = Vec::new();
    for pool in &records.pools {
        s.text(format!("Pool: {}\n", pool.name)).await?;
        let json = send_volumes(s, pool, long).await?;
        by_pool.push((pool.name.to_lowercase(), json));
    }
    Ok((true, Json::obj().with("volumes", Json::Obj(by_pool))))
}

/// Sends a pool's volume table (API 0/1) and returns its JSON rows.
pub(super) async fn send_volumes(
    s: &mut Session,
    pool: &PoolRecord,
    long: bool,
) -> io::Result<Json> {
    let table = volume_table(pool, &pool.volumes, long);
    s.send_rows(&table, long).await?;
    Ok(table.json())
}

/// `list volume=NAME` / `llist volume=NAME`: one volume, an object in API 2.
pub(super) async fn volume(s: &mut Session, long: bool, name: &str) -> Reply {
    let records = s.config.catalog.snapshot();
    s.announce_catalog().await?;
    let found = records.pools.iter().find_map(|p| {
        p.volumes
            .iter()
            .find(|v| v.name == name)
            .map(|v| (p, v.clone()))
    });
    let Some((pool, volume)) = found else {
        return Ok((true, Json::obj().with("volume", Json::obj())));
    };
    let table = volume_table(pool, &[volume], long);
    s.send_rows(&table, long).await?;
    let row = match table.json() {
        Json::Arr(mut rows) if !rows.is_empty() => rows.remove(0),
        _ => Json::obj(),
    };
    Ok((true, Json::obj().with("volume", row)))
}

/// The jobs written to a volume (its `JobMedia`): the ended jobs with files of its
/// pool's level, on the pool's first volume; none once it is purged.
pub(super) fn volume_jobids(s: &Session, pool: &PoolRecord, volume: &VolumeRecord) -> Vec<u32> {
    let first = pool.volumes.first().is_some_and(|v| v.id == volume.id);
    if !first || volume.status == "Purged" {
        return Vec::new();
    }
    all_jobs(s)
        .into_iter()
        .filter(|j| {
            super::records::pool_of_level(&j.level) == pool.name && j.files > 0 && j.end.is_some()
        })
        .map(|j| j.id)
        .collect()
}
