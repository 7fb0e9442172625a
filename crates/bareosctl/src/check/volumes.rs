//! `check volumes`: per pool, the share of its capacity taken by volumes that cannot be
//! written (Full, Used, Error, disabled, ...), the appendable volumes and the bytes, from
//! `list pools` and `llist volumes` in API mode 2.

use super::range::Range;
use super::report::{Perf, Report, Status};
use crate::exit::CliResult;
use bareos::blocking;
use bareos::models::{CatalogPool, PoolList, Volume, VolumesByPool};
use serde_json::json;

/// Volume statuses a job can still write to (after recycling for `Recycle`/`Purged`).
const APPENDABLE: [&str; 3] = ["Append", "Recycle", "Purged"];

/// One pool's usage.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolUsage {
    /// Pool name.
    pub pool: String,
    /// Volumes in the pool.
    pub volumes: u64,
    /// Volumes that cannot be written.
    pub used: u64,
    /// Enabled volumes with an appendable status.
    pub appendable: u64,
    /// The capacity in volumes: `Maximum Volumes`, or the volumes there are without a
    /// limit.
    pub capacity: u64,
    /// Bytes on the volumes.
    pub bytes: u64,
}

impl PoolUsage {
    /// Counts the volumes of a pool.
    pub fn of(pool: &str, maxvols: u64, volumes: &[&Volume]) -> PoolUsage {
        let appendable = volumes
            .iter()
            .filter(|v| {
                v.enabled != Some(false)
                    && APPENDABLE.contains(&v.volstatus.as_deref().unwrap_or(""))
            })
            .count() as u64;
        let count = volumes.len() as u64;
        PoolUsage {
            pool: pool.to_string(),
            volumes: count,
            used: count - appendable,
            appendable,
            capacity: if maxvols > 0 {
                maxvols.max(count)
            } else {
                count
            },
            bytes: volumes.iter().filter_map(|v| v.volbytes).sum(),
        }
    }

    /// Used volumes as a percentage of the capacity (0 for an empty pool).
    pub fn percent(&self) -> f64 {
        if self.capacity == 0 {
            0.0
        } else {
            (self.used as f64 * 100.0 / self.capacity as f64 * 10.0).round() / 10.0
        }
    }
}

/// The state of the pools.
pub fn judge(
    pools: &[PoolUsage],
    warning: Option<&Range>,
    critical: Option<&Range>,
    min_appendable: Option<u64>,
) -> Report {
    if pools.is_empty() {
        return Report::unknown("no pool to check");
    }
    let mut states: Vec<(Status, String)> = Vec::new();
    let mut perf = Vec::new();
    for p in pools {
        let percent = p.percent();
        let mut status = Status::of(percent, warning, critical);
        let mut text = format!(
            "pool {} {}% used ({} of {} volumes full or unusable, {} appendable{}), {}",
            p.pool,
            super::range::plain(percent),
            p.used,
            p.capacity,
            p.appendable,
            if p.capacity > p.volumes {
                format!(", room for {} more", p.capacity - p.volumes)
            } else {
                String::new()
            },
            crate::progress::bytes(p.bytes)
        );
        if let Some(min) = min_appendable {
            if p.appendable < min {
                status = status.max(Status::Warning);
                text.push_str(&format!(" - fewer than {min} appendable"));
            }
        }
        states.push((status, text));
        perf.push(
            Perf::new(format!("{}_used", p.pool), percent, "%")
                .thresholds(warning, critical)
                .bounds(Some(0.0), Some(100.0)),
        );
        let min = min_appendable.and_then(|n| Range::number(&format!("{n}:")).ok());
        perf.push(
            Perf::new(format!("{}_appendable", p.pool), p.appendable as f64, "")
                .thresholds(min.as_ref(), None)
                .bounds(Some(0.0), None),
        );
        perf.push(
            Perf::new(format!("{}_volumes", p.pool), p.volumes as f64, "")
                .bounds(Some(0.0), (p.capacity > 0).then_some(p.capacity as f64)),
        );
        perf.push(
            Perf::new(format!("{}_bytes", p.pool), p.bytes as f64, "B").bounds(Some(0.0), None),
        );
    }
    let status = states.iter().map(|(s, _)| *s).max().unwrap_or(Status::Ok);
    // The worst pools first.
    let mut ordered: Vec<&(Status, String)> = states.iter().collect();
    ordered.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    let summary = ordered
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let mut report = Report::new(status, summary);
    report.perf = perf;
    report.details = json!({
        "pools": pools.iter().map(|p| json!({
            "pool": p.pool, "volumes": p.volumes, "used": p.used, "appendable": p.appendable,
            "capacity": p.capacity, "bytes": p.bytes, "percent": p.percent(),
        })).collect::<Vec<_>>(),
    });
    report
}

/// `check volumes`.
pub fn volumes(
    director: &mut blocking::Director,
    pool: Option<&str>,
    warning: Option<&Range>,
    critical: Option<&Range>,
    min_appendable: Option<u64>,
) -> CliResult<Report> {
    let pools: PoolList = super::typed(director, "list pools")?;
    let selected: Vec<&CatalogPool> = match pool {
        Some(name) => match pools.pools.iter().find(|p| p.name == name) {
            Some(p) => vec![p],
            None => {
                return Ok(Report::unknown(format!(
                    "the catalog has no pool '{name}' (or this console may not see it)"
                )))
            }
        },
        None => pools
            .pools
            .iter()
            .filter(|p| p.pooltype.as_deref().map_or(true, |t| t == "Backup"))
            .collect(),
    };
    let volumes: VolumesByPool = super::typed(director, "llist volumes")?;
    let usage: Vec<PoolUsage> = selected
        .iter()
        .map(|p| {
            let mine: Vec<&Volume> = volumes
                .all()
                .filter(|v| match &v.pool {
                    Some(name) => name == &p.name,
                    None => false,
                })
                .collect();
            // Short listings carry no pool name: use the pool's key.
            let mine = if mine.is_empty() {
                volumes
                    .volumes
                    .get(&p.name.to_lowercase())
                    .or_else(|| volumes.volumes.get(&p.name))
                    .map(|list| list.iter().collect())
                    .unwrap_or_default()
            } else {
                mine
            };
            PoolUsage::of(&p.name, p.maxvols.unwrap_or(0), &mine)
        })
        .collect();
    Ok(judge(&usage, warning, critical, min_appendable))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volume(status: &str, bytes: u64, enabled: bool) -> Volume {
        Volume {
            volstatus: Some(status.into()),
            volbytes: Some(bytes),
            enabled: Some(enabled),
            ..Volume::default()
        }
    }

    #[test]
    fn usage_counts() {
        let vols = [
            volume("Full", 10, true),
            volume("Used", 10, true),
            volume("Append", 5, true),
            volume("Append", 0, false),
            volume("Purged", 0, true),
        ];
        let refs: Vec<&Volume> = vols.iter().collect();
        let u = PoolUsage::of("Full", 10, &refs);
        assert_eq!(
            (u.volumes, u.used, u.appendable, u.capacity, u.bytes),
            (5, 3, 2, 10, 25)
        );
        assert_eq!(u.percent(), 30.0);
        let unlimited = PoolUsage::of("Full", 0, &refs);
        assert_eq!(unlimited.percent(), 60.0);
        assert_eq!(PoolUsage::of("Empty", 0, &[]).percent(), 0.0);
    }

    #[test]
    fn states() {
        let w = Range::percent("80%").unwrap();
        let c = Range::percent("95%").unwrap();
        let pool = |used, appendable| PoolUsage {
            pool: "P".into(),
            volumes: used + appendable,
            used,
            appendable,
            capacity: 100,
            bytes: 0,
        };
        assert_eq!(
            judge(&[pool(50, 50)], Some(&w), Some(&c), None).status,
            Status::Ok
        );
        assert_eq!(
            judge(&[pool(81, 19)], Some(&w), Some(&c), None).status,
            Status::Warning
        );
        let r = judge(&[pool(10, 1), pool(96, 4)], Some(&w), Some(&c), None);
        assert_eq!(r.status, Status::Critical);
        assert!(r.summary.starts_with("pool P 96% used"), "{}", r.summary);
        assert_eq!(r.perf[0].text(), "P_used=10%;80;95;0;100");
        let low = judge(&[pool(10, 1)], None, None, Some(2));
        assert_eq!(low.status, Status::Warning);
        assert!(
            low.summary.contains("fewer than 2 appendable"),
            "{}",
            low.summary
        );
        assert_eq!(low.perf[1].text(), "P_appendable=1;2:;;0");
        assert_eq!(judge(&[], None, None, None).status, Status::Unknown);
    }
}
