//! `/metrics` in the OpenMetrics text format (the `prometheus-client` crate), read through the console protocol with a
//! (read-only) named console, so its ACLs apply and no catalog credentials are needed.
//! One reading is shared by all scrapes within `cache_seconds`; the gateway's own
//! counters (director connection pools) are current at each scrape.

use crate::pool::PoolStats;
use crate::state::SharedState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use bareos::models::{
    from_result, DirectorStatus, JobList, JobTotals, VersionResult, VolumesByPool,
};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::Registry;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The last reading of the director and its age, plus error counters.
#[derive(Default)]
pub struct MetricsCache {
    cached: Mutex<Option<Cached>>,
    scrape_errors: AtomicU64,
    scrapes: AtomicU64,
}

/// A reading (or its failure) and when it was made.
struct Cached {
    at: Instant,
    reading: Option<Reading>,
    duration: Duration,
}

/// One reading of the director (shared by the scrapes within `cache_seconds`).
struct Reading {
    version: Option<String>,
    jobs: JobList,
    totals: JobTotals,
    status: DirectorStatus,
    volumes: VolumesByPool,
}

async fn read(state: &SharedState) -> Result<Reading, String> {
    let Some(m) = &state.config.metrics else {
        return Err("no [metrics] console configured".into());
    };
    let director = state
        .config
        .director(m.director.as_deref())
        .ok_or("unknown metrics director")?
        .clone();
    let pool = state.pool(&director, &m.console, &m.password);
    let mut conn = pool.checkout().await.map_err(|e| e.detail)?;
    let version: VersionResult = parse(conn.call_json("version").await)?;
    let jobs: JobList = parse(
        conn.call_json(&format!("llist jobs hours={}", m.window_hours))
            .await,
    )?;
    let totals: JobTotals = parse(conn.call_json("list jobtotals").await)?;
    let status: DirectorStatus = parse(conn.call_json("status director").await)?;
    let volumes: VolumesByPool = parse(conn.call_json("llist volumes").await)?;
    Ok(Reading {
        version: version.version.version,
        jobs,
        totals,
        status,
        volumes,
    })
}

fn parse<T: serde::de::DeserializeOwned>(
    result: Result<serde_json::Value, crate::error::ApiError>,
) -> Result<T, String> {
    let value = result.map_err(|e| format!("{} {}", e.detail, e.messages.join(" ")))?;
    from_result(&value).map_err(|e| format!("unexpected director answer: {e}"))
}

/// Labels of a series, in order.
type Labels = Vec<(String, String)>;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A gauge family (integer values) filled from `series`.
fn gauges(
    registry: &mut Registry,
    name: &str,
    help: &str,
    series: impl IntoIterator<Item = (Labels, i64)>,
) {
    let family = Family::<Labels, Gauge>::default();
    for (l, v) in series {
        family.get_or_create(&l).set(v);
    }
    registry.register(name, help, family);
}

/// A counter family (`_total` is appended to the name) filled from `series`.
fn counters(
    registry: &mut Registry,
    name: &str,
    help: &str,
    series: impl IntoIterator<Item = (Labels, u64)>,
) {
    let family = Family::<Labels, Counter>::default();
    for (l, v) in series {
        family.get_or_create(&l).inc_by(v);
    }
    registry.register(name, help, family);
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// What a scrape shows: the (cached) reading of the director and the gateway's own
/// counters (read at each scrape).
struct Snapshot<'a> {
    reading: Option<&'a Reading>,
    window_hours: u64,
    duration: Duration,
    errors: u64,
    director: &'a str,
    pools: &'a PoolStats,
    pool_count: usize,
}

fn render(s: &Snapshot<'_>) -> String {
    let mut registry = Registry::default();
    let d = s.director;
    let dl = || labels(&[("director", d)]);
    gauges(
        &mut registry,
        "bareos_director_up",
        "Whether the director answered the last reading",
        [(dl(), i64::from(s.reading.is_some()))],
    );
    let duration = Family::<Labels, Gauge<f64, AtomicU64>>::default();
    duration.get_or_create(&dl()).set(s.duration.as_secs_f64());
    registry.register(
        "bareos_scrape_duration_seconds",
        "Time spent reading the director",
        duration,
    );
    counters(
        &mut registry,
        "bareos_scrape_errors",
        "Readings of the director that failed",
        [(dl(), s.errors)],
    );
    let p = s.pools;
    let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
    for (name, help, value) in [
        (
            "bareos_gateway_pool_connections_opened",
            "Director connections opened by the pools",
            load(&p.opened),
        ),
        (
            "bareos_gateway_pool_connections_broken",
            "Pooled director connections dropped after an error or timeout",
            load(&p.broken),
        ),
        (
            "bareos_gateway_pool_connections_expired",
            "Idle pooled director connections ended with quit after the idle timeout",
            load(&p.expired),
        ),
        (
            "bareos_gateway_pool_checkout_timeouts",
            "Requests that found no free director connection in time",
            load(&p.checkout_timeouts),
        ),
        (
            "bareos_gateway_pool_commands",
            "Commands run on pooled director connections",
            load(&p.commands),
        ),
        (
            "bareos_gateway_pool_commands_abandoned",
            "Commands abandoned before their answer was read (their connection was closed)",
            load(&p.abandoned),
        ),
    ] {
        let counter = Counter::<u64>::default();
        counter.inc_by(value);
        registry.register(name, help, counter);
    }
    let pools = Gauge::<i64>::default();
    pools.set(signed(s.pool_count as u64));
    registry.register(
        "bareos_gateway_pools",
        "Connection pools (director, console) in use",
        pools,
    );
    if let Some(r) = s.reading {
        render_reading(&mut registry, r, s.window_hours, d);
    }
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = encode(&mut out, &registry);
    out
}

fn render_reading(registry: &mut Registry, r: &Reading, window_hours: u64, d: &str) {
    registry.register(
        "bareos_director",
        "Director version",
        Info::new(labels(&[
            ("director", d),
            ("version", r.version.as_deref().unwrap_or("")),
        ])),
    );
    let mut by_status: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut last_success: BTreeMap<String, u64> = BTreeMap::new();
    for job in &r.jobs.jobs {
        let status = job.jobstatus.clone().unwrap_or_default();
        let level = job.level.clone().unwrap_or_default();
        *by_status.entry((status.clone(), level)).or_default() += 1;
        if status == "T" && job.job_type.as_deref() == Some("B") {
            if let (Some(name), Some(t)) = (&job.name, job.jobtdate) {
                let e = last_success.entry(name.clone()).or_default();
                *e = (*e).max(t);
            }
        }
    }
    gauges(
        registry,
        "bareos_jobs",
        &format!("Jobs of the last {window_hours} hours by status and level"),
        by_status.iter().map(|((status, level), n)| {
            (
                labels(&[("director", d), ("status", status), ("level", level)]),
                signed(*n),
            )
        }),
    );
    gauges(
        registry,
        "bareos_last_successful_backup_timestamp_seconds",
        "End of the last successful backup per job name (within the window)",
        last_success
            .iter()
            .map(|(name, t)| (labels(&[("director", d), ("job", name)]), signed(*t))),
    );
    // Sums over the catalogued jobs: they go down when jobs are pruned, so gauges
    // (without a counter's `_total`).
    gauges(
        registry,
        "bareos_job_bytes",
        "Bytes of all catalogued jobs per job name",
        r.totals.jobs.iter().map(|row| {
            (
                labels(&[("director", d), ("job", row.job.as_deref().unwrap_or(""))]),
                signed(row.bytes.unwrap_or(0)),
            )
        }),
    );
    gauges(
        registry,
        "bareos_job_files",
        "Files of all catalogued jobs per job name",
        r.totals.jobs.iter().map(|row| {
            (
                labels(&[("director", d), ("job", row.job.as_deref().unwrap_or(""))]),
                signed(row.files.unwrap_or(0)),
            )
        }),
    );
    let waiting = r
        .status
        .running
        .iter()
        .filter(|j| {
            j.status
                .as_deref()
                .unwrap_or("")
                .to_lowercase()
                .contains("wait")
        })
        .count();
    gauges(
        registry,
        "bareos_jobs_running",
        "Jobs running now",
        [(
            labels(&[("director", d)]),
            signed((r.status.running.len() - waiting) as u64),
        )],
    );
    gauges(
        registry,
        "bareos_jobs_waiting",
        "Jobs waiting now",
        [(labels(&[("director", d)]), signed(waiting as u64))],
    );
    let mut vols: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for (pool_key, list) in &r.volumes.volumes {
        for v in list {
            let pool = v.pool.clone().unwrap_or_else(|| pool_key.clone());
            let e = vols
                .entry((pool, v.volstatus.clone().unwrap_or_default()))
                .or_default();
            e.0 += 1;
            e.1 += v.volbytes.unwrap_or(0);
        }
    }
    let vol_labels =
        |pool: &str, status: &str| labels(&[("director", d), ("pool", pool), ("status", status)]);
    gauges(
        registry,
        "bareos_volumes",
        "Volumes per pool and status",
        vols.iter()
            .map(|((pool, status), (n, _))| (vol_labels(pool, status), signed(*n))),
    );
    gauges(
        registry,
        "bareos_volume_bytes",
        "Bytes on volumes per pool and status",
        vols.iter()
            .map(|((pool, status), (_, bytes))| (vol_labels(pool, status), signed(*bytes))),
    );
}

/// The content type of the exposition (OpenMetrics text, which Prometheus reads).
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// `GET /metrics`.
#[utoipa::path(get, path = "/metrics", tag = "metrics", operation_id = "metrics",
    responses((status = 200, description = "OpenMetrics text format", content_type = "application/openmetrics-text")))]
pub async fn handle(State(state): State<SharedState>) -> Response {
    let text = scrape(&state).await;
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response()
}

/// The metrics text: the director reading cached (or read now, one reading at a time),
/// the gateway's counters as they are now.
pub async fn scrape(state: &SharedState) -> String {
    let cache_for = Duration::from_secs(
        state
            .config
            .metrics
            .as_ref()
            .map_or(15, |m| m.cache_seconds),
    );
    let mut cached = state.metrics.cached.lock().await;
    let fresh = cached.as_ref().is_some_and(|c| c.at.elapsed() < cache_for);
    if !fresh {
        state.metrics.scrapes.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let reading = read(state).await;
        if let Err(e) = &reading {
            tracing::warn!(error = %e, "metrics reading failed");
            state.metrics.scrape_errors.fetch_add(1, Ordering::Relaxed);
        }
        *cached = Some(Cached {
            at: Instant::now(),
            reading: reading.ok(),
            duration: started.elapsed(),
        });
    }
    let Some(c) = cached.as_ref() else {
        return String::new();
    };
    let m = state.config.metrics.as_ref();
    let director = m
        .and_then(|m| state.config.director(m.director.as_deref()))
        .map(|d| d.name.clone())
        .unwrap_or_default();
    render(&Snapshot {
        reading: c.reading.as_ref(),
        window_hours: m.map_or(24, |m| m.window_hours),
        duration: c.duration,
        errors: state.metrics.scrape_errors.load(Ordering::Relaxed),
        director: &director,
        pools: &state.pools.stats,
        pool_count: state.pools.len(),
    })
}

impl MetricsCache {
    /// Number of real readings (not served from the cache).
    pub fn readings(&self) -> u64 {
        self.scrapes.load(Ordering::Relaxed)
    }
}
