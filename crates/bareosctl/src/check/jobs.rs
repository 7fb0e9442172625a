//! `check job NAME` (the last successful run: age and what came after it) and `check
//! jobs` (failed, canceled and with-warnings jobs of a window), from `llist jobs` in
//! API mode 2.

use super::args::Check;
use super::duration::human;
use super::range::Range;
use super::report::{Perf, Report, Status};
use crate::exit::CliResult;
use bareos::blocking;
use bareos::models::{named_list, Job, JobList};
use serde_json::json;

/// Job status letters that end a job successfully (`T` OK, `W` with warnings).
const SUCCESS: [&str; 2] = ["T", "W"];
/// Status letters of failed jobs (error, non-fatal error, fatal error).
const FAILED: [&str; 3] = ["E", "e", "f"];
/// Status letter of canceled jobs.
const CANCELED: &str = "A";

fn status_of(job: &Job) -> &str {
    job.jobstatus.as_deref().unwrap_or("")
}

fn is_finished(job: &Job) -> bool {
    let s = status_of(job);
    SUCCESS.contains(&s) || FAILED.contains(&s) || s == CANCELED
}

/// When the job ended (its `JobTDate`: the end time once finished).
fn ended(job: &Job) -> Option<i64> {
    job.jobtdate.map(|t| t as i64)
}

fn describe(job: &Job) -> String {
    format!(
        "JobId {} ({}, status {})",
        job.jobid,
        job.level.as_deref().unwrap_or("?"),
        status_of(job)
    )
}

/// What the runs of one job say, apart from the connection.
pub fn judge_job(
    name: &str,
    jobs: &[Job],
    now: i64,
    warning: Option<&Range>,
    critical: Option<&Range>,
) -> Report {
    let last_success = jobs
        .iter()
        .filter(|j| SUCCESS.contains(&status_of(j)))
        .max_by_key(|j| j.jobid);
    let last_finished = jobs
        .iter()
        .filter(|j| is_finished(j))
        .max_by_key(|j| j.jobid);
    let running = jobs.iter().filter(|j| !is_finished(j)).count();
    let Some(success) = last_success else {
        let summary = match last_finished {
            Some(last) => format!("{name} never ran successfully; last run {}", describe(last)),
            None => format!("{name} never ran successfully (no run in the catalog)"),
        };
        let mut report = Report::new(Status::Critical, summary);
        report.details = json!({"job": name, "last_success": null, "running": running});
        return report;
    };
    let age = ended(success).map(|t| (now - t).max(0));
    let mut status = match age {
        Some(age) => Status::of(age as f64, warning, critical),
        None => Status::Unknown,
    };
    let mut summary = match age {
        Some(age) => format!(
            "{name}: last successful run {} ended {} ago",
            describe(success),
            human(age)
        ),
        None => format!(
            "{name}: last successful run {} has no end time",
            describe(success)
        ),
    };
    if status_of(success) == "W" {
        status = status.max(Status::Warning);
        summary.push_str(", with warnings");
    }
    if let Some(last) = last_finished.filter(|l| l.jobid > success.jobid) {
        let s = status_of(last);
        status = status.max(if s == CANCELED {
            Status::Warning
        } else {
            Status::Critical
        });
        let what = if s == CANCELED {
            "was canceled"
        } else {
            "failed"
        };
        summary = format!("{summary}; the last run {} {what}", describe(last));
    }
    if running > 0 {
        summary.push_str(&format!("; {running} running"));
    }
    let mut report = Report::new(status, summary);
    if let Some(age) = age {
        report.perf.push(
            Perf::new("age", age as f64, "s")
                .thresholds(warning, critical)
                .bounds(Some(0.0), None),
        );
    }
    if let Some(bytes) = success.jobbytes {
        report
            .perf
            .push(Perf::new("bytes", bytes as f64, "B").bounds(Some(0.0), None));
    }
    if let Some(files) = success.jobfiles {
        report
            .perf
            .push(Perf::new("files", files as f64, "").bounds(Some(0.0), None));
    }
    report.details = json!({
        "job": name,
        "age": age,
        "last_success": success,
        "last_run": last_finished,
        "running": running,
    });
    report
}

/// `check job NAME`.
pub fn job(
    director: &mut blocking::Director,
    name: &str,
    warning: Option<&Range>,
    critical: Option<&Range>,
    level: Option<char>,
) -> CliResult<Report> {
    if name.is_empty() || name.contains('"') {
        return Ok(Report::unknown(format!("'{name}' is not a job name")));
    }
    let configured = director.call_json(".jobs")?;
    let known = named_list(&configured, "jobs")
        .map(|jobs| jobs.iter().any(|j| j.name == name))
        .unwrap_or(false);
    if !known {
        return Ok(Report::unknown(format!(
            "the director has no job '{name}' (or this console may not see it)"
        )));
    }
    let list: JobList = super::typed(director, &format!("llist jobs job=\"{name}\""))?;
    let mut jobs = list.jobs;
    if let Some(level) = level {
        jobs.retain(|j| j.level.as_deref() == Some(level.encode_utf8(&mut [0; 4])));
    }
    let label = match level {
        Some(l) => format!("{name} (level {l})"),
        None => name.to_string(),
    };
    Ok(judge_job(&label, &jobs, super::now(), warning, critical))
}

/// Thresholds of `check jobs`.
pub struct JobsThresholds<'a> {
    /// Failed jobs.
    pub failed: (Option<&'a Range>, Option<&'a Range>),
    /// Canceled jobs.
    pub canceled: (Option<&'a Range>, Option<&'a Range>),
    /// Jobs with warnings.
    pub warnings: (Option<&'a Range>, Option<&'a Range>),
}

/// What the jobs of a window say.
pub fn judge_jobs(jobs: &[Job], since: u64, t: &JobsThresholds<'_>) -> Report {
    let count = |set: &[&str]| jobs.iter().filter(|j| set.contains(&status_of(j))).count();
    let failed = count(&FAILED);
    let canceled = count(&[CANCELED]);
    let warnings = count(&["W"]);
    let ok = count(&["T"]);
    let running = jobs.iter().filter(|j| !is_finished(j)).count();
    let status = [
        Status::of(failed as f64, t.failed.0, t.failed.1),
        Status::of(canceled as f64, t.canceled.0, t.canceled.1),
        Status::of(warnings as f64, t.warnings.0, t.warnings.1),
    ]
    .into_iter()
    .max()
    .unwrap_or(Status::Ok);
    let ids = |set: &[&str]| {
        let names: Vec<String> = jobs
            .iter()
            .filter(|j| set.contains(&status_of(j)))
            .take(5)
            .map(|j| format!("{} {}", j.jobid, j.name.as_deref().unwrap_or("?")))
            .collect();
        if names.is_empty() {
            String::new()
        } else {
            format!(" ({})", names.join(", "))
        }
    };
    let summary = format!(
        "{} jobs in the last {}: {failed} failed{}, {canceled} canceled{}, {warnings} with warnings{}, {ok} OK, {running} running",
        jobs.len(),
        human(since as i64),
        ids(&FAILED),
        ids(&[CANCELED]),
        ids(&["W"]),
    );
    let mut report = Report::new(status, summary);
    let zero = Some(0.0);
    report.perf = vec![
        Perf::new("failed", failed as f64, "")
            .thresholds(t.failed.0, t.failed.1)
            .bounds(zero, None),
        Perf::new("canceled", canceled as f64, "")
            .thresholds(t.canceled.0, t.canceled.1)
            .bounds(zero, None),
        Perf::new("warnings", warnings as f64, "")
            .thresholds(t.warnings.0, t.warnings.1)
            .bounds(zero, None),
        Perf::new("ok", ok as f64, "").bounds(zero, None),
        Perf::new("running", running as f64, "").bounds(zero, None),
    ];
    report.details = json!({
        "since": since,
        "failed": failed,
        "canceled": canceled,
        "warnings": warnings,
        "ok": ok,
        "running": running,
        "jobs": jobs,
    });
    report
}

/// `check jobs`.
pub fn jobs(director: &mut blocking::Director, check: &Check) -> CliResult<Report> {
    let Check::Jobs {
        since,
        job,
        client,
        warning_failed,
        critical_failed,
        warning_canceled,
        critical_canceled,
        warning_warnings,
        critical_warnings,
    } = check
    else {
        return Ok(Report::unknown("not a jobs check"));
    };
    // The director's window is whole hours of scheduling time; the end time narrows it.
    let hours = since.div_ceil(3600).max(1);
    let mut command = format!("llist jobs hours={hours}");
    for (key, value) in [("job", job), ("client", client)] {
        if let Some(value) = value {
            if value.is_empty() || value.contains('"') {
                return Ok(Report::unknown(format!("'{value}' is not a {key} name")));
            }
            command.push_str(&format!(" {key}=\"{value}\""));
        }
    }
    let list: JobList = super::typed(director, &command)?;
    let start = super::now() - *since as i64;
    let jobs: Vec<Job> = list
        .jobs
        .into_iter()
        .filter(|j| ended(j).map_or(true, |t| t >= start))
        .collect();
    let thresholds = JobsThresholds {
        failed: (warning_failed.as_ref(), critical_failed.as_ref()),
        canceled: (warning_canceled.as_ref(), critical_canceled.as_ref()),
        warnings: (warning_warnings.as_ref(), critical_warnings.as_ref()),
    };
    Ok(judge_jobs(&jobs, *since, &thresholds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: u64, status: &str, tdate: u64) -> Job {
        Job {
            jobid: id,
            name: Some("nightly".into()),
            level: Some("F".into()),
            jobstatus: Some(status.into()),
            jobtdate: Some(tdate),
            jobbytes: Some(10),
            jobfiles: Some(2),
            ..Job::default()
        }
    }

    const NOW: i64 = 1_000_000;

    #[test]
    fn job_age_against_thresholds() {
        let w = Range::duration("26h").unwrap();
        let c = Range::duration("50h").unwrap();
        let fresh = [job(1, "T", (NOW - 3600) as u64)];
        let r = judge_job("nightly", &fresh, NOW, Some(&w), Some(&c));
        assert_eq!(r.status, Status::Ok, "{}", r.summary);
        assert_eq!(r.perf[0].text(), "age=3600s;93600;180000;0");
        let old = [job(1, "T", (NOW - 30 * 3600) as u64)];
        assert_eq!(
            judge_job("n", &old, NOW, Some(&w), Some(&c)).status,
            Status::Warning
        );
        let older = [job(1, "T", (NOW - 60 * 3600) as u64)];
        assert_eq!(
            judge_job("n", &older, NOW, Some(&w), Some(&c)).status,
            Status::Critical
        );
        // Without thresholds the age is only reported.
        assert_eq!(judge_job("n", &older, NOW, None, None).status, Status::Ok);
    }

    #[test]
    fn job_failures_after_the_success() {
        let t = (NOW - 60) as u64;
        let failed = [job(1, "T", t), job(2, "E", t)];
        let r = judge_job("n", &failed, NOW, None, None);
        assert_eq!(r.status, Status::Critical);
        assert!(
            r.summary.contains("JobId 2 (F, status E) failed"),
            "{}",
            r.summary
        );
        let canceled = [job(1, "T", t), job(2, "A", t)];
        assert_eq!(
            judge_job("n", &canceled, NOW, None, None).status,
            Status::Warning
        );
        let warned = [job(1, "W", t)];
        assert_eq!(
            judge_job("n", &warned, NOW, None, None).status,
            Status::Warning
        );
        // A failure before the last success is history.
        let recovered = [job(1, "f", t), job(2, "T", t)];
        assert_eq!(
            judge_job("n", &recovered, NOW, None, None).status,
            Status::Ok
        );
        // Running jobs do not count as finished.
        let running = [job(1, "T", t), job(2, "R", t)];
        let r = judge_job("n", &running, NOW, None, None);
        assert_eq!(r.status, Status::Ok);
        assert!(r.summary.ends_with("1 running"), "{}", r.summary);
        let never = [job(1, "E", t)];
        assert_eq!(
            judge_job("n", &never, NOW, None, None).status,
            Status::Critical
        );
        assert_eq!(
            judge_job("n", &[], NOW, None, None).status,
            Status::Critical
        );
    }

    #[test]
    fn jobs_counts_against_thresholds() {
        let w = Range::number("0").unwrap();
        let c = Range::number("2").unwrap();
        let t = JobsThresholds {
            failed: (Some(&w), Some(&c)),
            canceled: (None, None),
            warnings: (None, None),
        };
        let all_ok = [job(1, "T", 0), job(2, "A", 0), job(3, "W", 0)];
        assert_eq!(judge_jobs(&all_ok, 86_400, &t).status, Status::Ok);
        let one = [job(1, "T", 0), job(2, "E", 0)];
        let r = judge_jobs(&one, 86_400, &t);
        assert_eq!(r.status, Status::Warning);
        assert!(r.summary.contains("1 failed (2 nightly)"), "{}", r.summary);
        let three = [job(1, "E", 0), job(2, "e", 0), job(3, "f", 0)];
        let r = judge_jobs(&three, 86_400, &t);
        assert_eq!(r.status, Status::Critical);
        assert_eq!(r.perf[0].text(), "failed=3;0;2;0");
    }
}
