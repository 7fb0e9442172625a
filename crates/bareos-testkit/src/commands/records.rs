//! The rows of the simulated catalog: pools with their volumes, and the job history
//! (the fixed jobs or a [`CatalogSeed`]'s, then the runs of the director's lifetime).
//! Times are seconds since the epoch and print in UTC.

use super::catalog::JOBS;
use crate::seed::CatalogSeed;
use std::sync::{Arc, Mutex, MutexGuard};

/// A finished or running job as the catalog stores it.
#[derive(Clone, Debug)]
pub(crate) struct JobRecord {
    pub id: u32,
    pub name: String,
    pub client: String,
    pub level: String,
    pub status: String,
    pub sched: i64,
    pub start: i64,
    /// End time; `None` while the job runs.
    pub end: Option<i64>,
    pub files: u64,
    pub bytes: u64,
    pub errors: u64,
}

impl JobRecord {
    /// `JobTDate`: the end time once finished, the start time before
    /// (`UpdateJobStartRecord`/`UpdateJobEndRecord` of `sql_update.cc`).
    pub fn tdate(&self) -> i64 {
        self.end.unwrap_or(self.start)
    }

    /// The unique job name, `name.YYYY-MM-DD_hh.mm.ss_nn`.
    pub fn unique(&self) -> String {
        let t = utc_text(self.sched);
        format!(
            "{}.{}_{}_{:02}",
            self.name,
            &t[..10],
            t[11..].replace(':', "."),
            self.id % 100
        )
    }
}

/// A volume of a pool.
#[derive(Clone, Debug)]
pub(crate) struct VolumeRecord {
    pub id: u32,
    pub name: String,
    pub status: String,
    pub bytes: u64,
    pub maxvolbytes: u64,
    /// 1 enabled, 0 disabled, 2 archived.
    pub enabled: u8,
    pub recycle: bool,
    /// Seconds.
    pub volretention: u64,
    /// Seconds.
    pub voluseduration: u64,
    pub maxvoljobs: u64,
    pub maxvolfiles: u64,
    pub slot: u64,
    pub inchanger: bool,
}

impl VolumeRecord {
    /// A volume with the defaults of the pools of the fixed catalog.
    pub fn new(id: u32, name: &str, status: &str, bytes: u64, maxvolbytes: u64) -> Self {
        VolumeRecord {
            id,
            name: name.into(),
            status: status.into(),
            bytes,
            maxvolbytes,
            enabled: 1,
            recycle: true,
            volretention: 31_536_000,
            voluseduration: 0,
            maxvoljobs: 0,
            maxvolfiles: 0,
            slot: 0,
            inchanger: false,
        }
    }
}

/// A pool and its volumes.
#[derive(Clone, Debug)]
pub(crate) struct PoolRecord {
    pub id: u32,
    pub name: String,
    pub maxvols: u64,
    pub pooltype: String,
    pub labelformat: String,
    pub volumes: Vec<VolumeRecord>,
}

/// Pools, volumes and past jobs, as they are now.
#[derive(Clone, Debug)]
pub(crate) struct Records {
    pub pools: Vec<PoolRecord>,
    pub jobs: Vec<JobRecord>,
    /// Runs of the director deleted from the catalog.
    pub deleted_runs: Vec<u32>,
    /// The jobs in the long term statistics (`update stats`).
    pub statistics: Vec<u32>,
}

impl Records {
    /// The next free MediaId.
    pub fn next_mediaid(&self) -> u32 {
        self.pools
            .iter()
            .flat_map(|p| p.volumes.iter().map(|v| v.id))
            .max()
            .unwrap_or(0)
            + 1
    }
}

/// The catalog of one director, shared by its connections and changed by them
/// (`delete`, `label`, `update`).
#[derive(Clone, Debug)]
pub(crate) struct Catalog {
    records: Arc<Mutex<Records>>,
    /// The id the first run of the director gets.
    first_run: u32,
}

/// `poolid, name, maxvols, pooltype, labelformat` of the fixed catalog.
const POOLS: [(u32, &str, u64, &str, &str); 4] = [
    (1, "Scratch", 0, "Scratch", "*"),
    (2, "Incremental", 100, "Backup", "Incremental-"),
    (3, "Full", 100, "Backup", "Full-"),
    (4, "Differential", 100, "Backup", "Differential-"),
];

impl Catalog {
    /// The fixed catalog (as recorded from a real director: 4 pools, one volume, 4 jobs).
    pub fn fixed() -> Catalog {
        Catalog::new(Records::fixed())
    }

    /// The fixed catalog with the parts of `seed` replaced; job times count back from
    /// `started` (the director's start).
    pub fn seeded(seed: &CatalogSeed, started: i64) -> Catalog {
        Catalog::new(Records::seeded(seed, started))
    }

    fn new(records: Records) -> Catalog {
        let first_run = records.jobs.iter().map(|j| j.id).max().unwrap_or(0) + 1;
        Catalog {
            records: Arc::new(Mutex::new(records)),
            first_run,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Records> {
        self.records.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A copy of the records as they are now.
    pub fn snapshot(&self) -> Records {
        self.lock().clone()
    }

    /// Changes the records.
    pub fn change<T>(&self, f: impl FnOnce(&mut Records) -> T) -> T {
        f(&mut self.lock())
    }

    /// The configured jobs: the fixed ones, then the other names of the job history.
    pub fn job_names(&self) -> Vec<String> {
        self.lock().job_names()
    }

    /// The id the first run of the director gets.
    pub fn next_jobid(&self) -> u32 {
        self.first_run
    }
}

impl Records {
    fn fixed() -> Records {
        let pools = POOLS
            .iter()
            .map(|p| PoolRecord {
                id: p.0,
                name: p.1.into(),
                maxvols: p.2,
                pooltype: p.3.into(),
                labelformat: p.4.into(),
                volumes: if p.1 == "Full" {
                    vec![VolumeRecord::new(
                        1,
                        "Full-0001",
                        "Append",
                        527_139,
                        53_687_091_200,
                    )]
                } else {
                    Vec::new()
                },
            })
            .collect();
        let jobs = JOBS
            .iter()
            .map(|j| {
                let start = epoch_of(j.3).unwrap_or(0);
                let duration = epoch_of(&format!("1970-01-01 {}", j.4)).unwrap_or(0);
                JobRecord {
                    id: j.0,
                    name: j.1.into(),
                    client: j.2.into(),
                    level: j.6.into(),
                    status: j.9.into(),
                    sched: start - 2,
                    start,
                    end: Some(start + duration),
                    files: j.7,
                    bytes: j.8,
                    errors: 0,
                }
            })
            .collect();
        Records {
            pools,
            jobs,
            deleted_runs: Vec::new(),
            statistics: Vec::new(),
        }
    }

    fn seeded(seed: &CatalogSeed, started: i64) -> Records {
        let mut catalog = Records::fixed();
        if let Some(pools) = &seed.pools {
            let mut volume_id = 0;
            catalog.pools = pools
                .iter()
                .enumerate()
                .map(|(i, p)| PoolRecord {
                    id: i as u32 + 1,
                    name: p.name.clone(),
                    maxvols: p.maxvols,
                    pooltype: p.pooltype.clone(),
                    labelformat: format!("{}-", p.name),
                    volumes: p
                        .volumes
                        .iter()
                        .map(|v| {
                            volume_id += 1;
                            VolumeRecord {
                                enabled: u8::from(v.enabled),
                                ..VolumeRecord::new(
                                    volume_id,
                                    &v.name,
                                    &v.status,
                                    v.bytes,
                                    v.maxvolbytes,
                                )
                            }
                        })
                        .collect(),
                })
                .collect();
        }
        if let Some(jobs) = &seed.jobs {
            catalog.jobs = jobs
                .iter()
                .enumerate()
                .map(|(i, j)| {
                    let end = started - j.ended_ago as i64;
                    let start = end - j.duration as i64;
                    JobRecord {
                        id: i as u32 + 1,
                        name: j.name.clone(),
                        client: j.client.clone().unwrap_or_else(|| {
                            super::catalog::job_client(&j.name)
                                .unwrap_or("bareos-fd")
                                .to_string()
                        }),
                        level: j.level.clone(),
                        status: j.status.clone(),
                        sched: start - 2,
                        start,
                        end: Some(end),
                        files: j.files,
                        bytes: j.bytes,
                        errors: j.errors,
                    }
                })
                .collect();
        }
        catalog
    }

    fn job_names(&self) -> Vec<String> {
        let mut names: Vec<String> = super::catalog::JOB_NAMES
            .iter()
            .map(|n| n.to_string())
            .collect();
        for job in &self.jobs {
            if !names.contains(&job.name) {
                names.push(job.name.clone());
            }
        }
        names
    }
}

/// The pool a job of this level writes to (the jobs' `FullPool`, `IncPool` and
/// `DiffPool`).
pub(crate) fn pool_of_level(level: &str) -> &'static str {
    match level {
        "I" => "Incremental",
        "D" => "Differential",
        _ => "Full",
    }
}

/// Seconds since the epoch, now.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `YYYY-MM-DD hh:mm:ss` in UTC.
pub(crate) fn utc_text(secs: i64) -> String {
    super::jobs::UtcTime::from_unix(secs.max(0) as u64).catalog()
}

/// The inverse of [`utc_text`].
pub(crate) fn epoch_of(text: &str) -> Option<i64> {
    let (date, time) = text.split_once(' ')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.split(':').map(|p| p.parse::<i64>().ok());
    let (hh, mm, ss) = (t.next()??, t.next()??, t.next()??);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// `hh:mm:ss` of a number of seconds.
pub(crate) fn duration_text(secs: i64) -> String {
    let secs = secs.max(0);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip() {
        assert_eq!(epoch_of("2026-11-26 17:44:08"), Some(1_795_715_048));
        assert_eq!(utc_text(1_795_715_048), "2026-11-26 17:44:08");
        assert_eq!(epoch_of("1970-01-01 00:00:01"), Some(1));
        assert_eq!(duration_text(3725), "01:02:05");
        let fixed = Catalog::fixed();
        assert_eq!(fixed.next_jobid(), 5);
        assert_eq!(
            fixed.snapshot().jobs[0].unique(),
            "backup-bareos-fd.2026-11-26_17.44.06_01"
        );
    }
}
