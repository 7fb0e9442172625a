//! `/metrics` in Prometheus text format, read through the console protocol with a
//! (read-only) named console, so its ACLs apply and no catalog credentials are needed.
//! One reading is shared by all scrapes within `cache_seconds`.

use crate::state::SharedState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use bareos::models::{
    from_result, DirectorStatus, JobList, JobTotals, VersionResult, VolumesByPool,
};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The cached text and its age, plus error counters.
#[derive(Default)]
pub struct MetricsCache {
    cached: Mutex<Option<(Instant, String)>>,
    scrape_errors: AtomicU64,
    scrapes: AtomicU64,
}

/// Escapes a label value.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

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

fn render(
    reading: Option<&Reading>,
    window_hours: u64,
    duration: Duration,
    errors: u64,
    director: &str,
) -> String {
    let mut out = String::new();
    let d = label(director);
    let _ = writeln!(
        out,
        "# HELP bareos_director_up Whether the director answered the last reading."
    );
    let _ = writeln!(out, "# TYPE bareos_director_up gauge");
    let _ = writeln!(
        out,
        "bareos_director_up{{director=\"{d}\"}} {}",
        u8::from(reading.is_some())
    );
    let _ = writeln!(
        out,
        "# HELP bareos_scrape_duration_seconds Time spent reading the director."
    );
    let _ = writeln!(out, "# TYPE bareos_scrape_duration_seconds gauge");
    let _ = writeln!(
        out,
        "bareos_scrape_duration_seconds{{director=\"{d}\"}} {:.6}",
        duration.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "# HELP bareos_scrape_errors_total Readings of the director that failed."
    );
    let _ = writeln!(out, "# TYPE bareos_scrape_errors_total counter");
    let _ = writeln!(
        out,
        "bareos_scrape_errors_total{{director=\"{d}\"}} {errors}"
    );
    let Some(r) = reading else {
        return out;
    };
    let _ = writeln!(out, "# HELP bareos_director_info Director version.");
    let _ = writeln!(out, "# TYPE bareos_director_info gauge");
    let _ = writeln!(
        out,
        "bareos_director_info{{director=\"{d}\",version=\"{}\"}} 1",
        label(r.version.as_deref().unwrap_or(""))
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
    let _ = writeln!(
        out,
        "# HELP bareos_jobs Jobs of the last {window_hours} hours by status and level."
    );
    let _ = writeln!(out, "# TYPE bareos_jobs gauge");
    for ((status, level), n) in &by_status {
        let _ = writeln!(
            out,
            "bareos_jobs{{director=\"{d}\",status=\"{}\",level=\"{}\"}} {n}",
            label(status),
            label(level)
        );
    }
    let _ = writeln!(out, "# HELP bareos_last_successful_backup_timestamp_seconds End of the last successful backup per job name (within the window).");
    let _ = writeln!(
        out,
        "# TYPE bareos_last_successful_backup_timestamp_seconds gauge"
    );
    for (name, t) in &last_success {
        let _ = writeln!(
            out,
            "bareos_last_successful_backup_timestamp_seconds{{director=\"{d}\",job=\"{}\"}} {t}",
            label(name)
        );
    }
    let _ = writeln!(
        out,
        "# HELP bareos_job_bytes_total Bytes of all catalogued jobs per job name."
    );
    let _ = writeln!(out, "# TYPE bareos_job_bytes_total gauge");
    for row in &r.totals.jobs {
        let _ = writeln!(
            out,
            "bareos_job_bytes_total{{director=\"{d}\",job=\"{}\"}} {}",
            label(row.job.as_deref().unwrap_or("")),
            row.bytes.unwrap_or(0)
        );
    }
    let _ = writeln!(
        out,
        "# HELP bareos_job_files_total Files of all catalogued jobs per job name."
    );
    let _ = writeln!(out, "# TYPE bareos_job_files_total gauge");
    for row in &r.totals.jobs {
        let _ = writeln!(
            out,
            "bareos_job_files_total{{director=\"{d}\",job=\"{}\"}} {}",
            label(row.job.as_deref().unwrap_or("")),
            row.files.unwrap_or(0)
        );
    }
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
    let _ = writeln!(out, "# HELP bareos_jobs_running Jobs running now.");
    let _ = writeln!(out, "# TYPE bareos_jobs_running gauge");
    let _ = writeln!(
        out,
        "bareos_jobs_running{{director=\"{d}\"}} {}",
        r.status.running.len() - waiting
    );
    let _ = writeln!(out, "# HELP bareos_jobs_waiting Jobs waiting now.");
    let _ = writeln!(out, "# TYPE bareos_jobs_waiting gauge");
    let _ = writeln!(out, "bareos_jobs_waiting{{director=\"{d}\"}} {waiting}");
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
    let _ = writeln!(out, "# HELP bareos_volumes Volumes per pool and status.");
    let _ = writeln!(out, "# TYPE bareos_volumes gauge");
    for ((pool, status), (n, _)) in &vols {
        let _ = writeln!(
            out,
            "bareos_volumes{{director=\"{d}\",pool=\"{}\",status=\"{}\"}} {n}",
            label(pool),
            label(status)
        );
    }
    let _ = writeln!(
        out,
        "# HELP bareos_volume_bytes Bytes on volumes per pool and status."
    );
    let _ = writeln!(out, "# TYPE bareos_volume_bytes gauge");
    for ((pool, status), (_, bytes)) in &vols {
        let _ = writeln!(
            out,
            "bareos_volume_bytes{{director=\"{d}\",pool=\"{}\",status=\"{}\"}} {bytes}",
            label(pool),
            label(status)
        );
    }
    out
}

/// `GET /metrics`.
#[utoipa::path(get, path = "/metrics", tag = "metrics", operation_id = "metrics",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub async fn handle(State(state): State<SharedState>) -> Response {
    let text = scrape(&state).await;
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// The metrics text: cached, or read now (one reading at a time).
pub async fn scrape(state: &SharedState) -> String {
    let cache_for = Duration::from_secs(
        state
            .config
            .metrics
            .as_ref()
            .map_or(15, |m| m.cache_seconds),
    );
    let mut cached = state.metrics.cached.lock().await;
    if let Some((at, text)) = cached.as_ref() {
        if at.elapsed() < cache_for {
            return text.clone();
        }
    }
    state.metrics.scrapes.fetch_add(1, Ordering::Relaxed);
    let started = Instant::now();
    let reading = read(state).await;
    if let Err(e) = &reading {
        tracing::warn!(error = %e, "metrics reading failed");
        state.metrics.scrape_errors.fetch_add(1, Ordering::Relaxed);
    }
    let m = state.config.metrics.as_ref();
    let director = m
        .and_then(|m| state.config.director(m.director.as_deref()))
        .map(|d| d.name.clone())
        .unwrap_or_default();
    let text = render(
        reading.as_ref().ok(),
        m.map_or(24, |m| m.window_hours),
        started.elapsed(),
        state.metrics.scrape_errors.load(Ordering::Relaxed),
        &director,
    );
    *cached = Some((Instant::now(), text.clone()));
    text
}

impl MetricsCache {
    /// Number of real readings (not served from the cache).
    pub fn readings(&self) -> u64 {
        self.scrapes.load(Ordering::Relaxed)
    }
}
