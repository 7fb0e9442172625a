//! `/control/jobs/...`: list with filters, get, run, rerun, restore, cancel, enable,
//! disable, delete, logs, files, totals.

use super::{as_list, positive, AppJson, AppPath, AppQuery, RawBody};
use crate::api_models::{
    DirectorQuery, JobQuery, JobRange, Message, RestoreBody, RunBody, StartedJob,
};
use crate::command::Command;
use crate::error::{ApiError, ApiResult};
use crate::state::{Session, SharedState};
use axum::body::Bytes;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use bareos::models::{from_result, RunResult};
use serde_json::{json, Value};

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/control/jobs", get(list_jobs))
        .route("/control/jobs/totals", get(totals))
        .route("/control/jobs/run", post(run))
        .route("/control/jobs/rerun", post(rerun_range))
        .route("/control/jobs/rerun/{job_id}", post(rerun_one))
        .route("/control/jobs/restore", post(restore))
        .route("/control/jobs/cancel/{job_id}", put(cancel))
        .route("/control/jobs/enable/{job_name}", put(enable))
        .route("/control/jobs/disable/{job_name}", put(disable))
        .route("/control/jobs/logs/{job_id}", get(logs))
        .route("/control/jobs/files/{job_id}", get(files))
        .route("/control/jobs/{job_id}", get(get_job))
        .route("/control/jobs/{job_id}", delete(delete_job))
}

const JOB_STATUS: &str = "ABCDEFILMRSTWacdefijlmpqst";
const JOB_LEVEL: &str = "FIDSCVOdABf";

fn job_filters(mut command: Command, q: &JobQuery) -> ApiResult<Command> {
    if let Some(s) = &q.jobstatus {
        if s.len() != 1 || !JOB_STATUS.contains(s.as_str()) {
            return Err(ApiError::unprocessable(
                "jobstatus must be one job status letter",
            ));
        }
    }
    if let Some(l) = &q.joblevel {
        if l.len() != 1 || !JOB_LEVEL.contains(l.as_str()) {
            return Err(ApiError::unprocessable(
                "joblevel must be one job level letter",
            ));
        }
    }
    command = command
        .opt("job", q.job.as_deref())?
        .opt("client", q.client.as_deref())?
        .opt("jobstatus", q.jobstatus.as_deref())?
        .opt("joblevel", q.joblevel.as_deref())?
        .opt("volume", q.volume.as_deref())?
        .opt_num("days", q.days)
        .opt_num("hours", q.hours);
    Ok(command)
}

fn merge(query: JobQuery, body: &Bytes) -> ApiResult<JobQuery> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(query);
    }
    let b: JobQuery = serde_json::from_slice(body)
        .map_err(|e| ApiError::unprocessable(format!("invalid JSON body: {e}")))?;
    Ok(JobQuery {
        job: query.job.or(b.job),
        client: query.client.or(b.client),
        jobstatus: query.jobstatus.or(b.jobstatus),
        joblevel: query.joblevel.or(b.joblevel),
        volume: query.volume.or(b.volume),
        days: query.days.or(b.days),
        hours: query.hours.or(b.hours),
        limit: query.limit.or(b.limit),
        offset: query.offset.or(b.offset),
        director: query.director,
    })
}

/// Jobs from the catalog (`llist jobs` with filters, `list jobs ... count` for the total).
#[utoipa::path(get, path = "/control/jobs", tag = "jobs", security(("bearer" = [])), params(JobQuery),
    responses((status = 200, body = Object), (status = 422, body = crate::api_models::ErrorBody)))]
pub async fn list_jobs(
    session: Session,
    AppQuery(query): AppQuery<JobQuery>,
    RawBody(body): RawBody,
) -> ApiResult<Json<Value>> {
    let q = merge(query, &body)?;
    if q.limit == Some(0) {
        return Err(ApiError::unprocessable("limit must be at least 1"));
    }
    let list = job_filters(Command::new("llist").word("jobs"), &q)?
        .opt_num("limit", q.limit)
        .opt_num("offset", q.offset);
    let count = job_filters(Command::new("list").word("jobs"), &q)?.word("count");
    let mut conn = session.pool.checkout().await?;
    let jobs = conn.call_json(list.as_str()).await?;
    let counted = conn.call_json(count.as_str()).await?;
    drop(conn);
    let jobs = as_list(jobs.get("jobs"));
    // The director's count as it gives it (a string, `"6"`), as bareos-restapi passes it
    // on; the number of jobs listed if there is none.
    let total = as_list(counted.get("jobs"))
        .first()
        .and_then(|c| c.get("count"))
        .filter(|c| c.is_string() || c.is_u64())
        .cloned()
        .unwrap_or_else(|| json!(jobs.len()));
    let mut out = json!({ "totalItems": total });
    if let Some(limit) = q.limit {
        out["limit"] = json!(limit);
    }
    if let Some(offset) = q.offset {
        out["offset"] = json!(offset);
    }
    out["jobs"] = Value::Array(jobs);
    Ok(Json(out))
}

/// One job (`llist jobid=N`).
#[utoipa::path(get, path = "/control/jobs/{job_id}", tag = "jobs", security(("bearer" = [])),
    params(("job_id" = u64, Path), DirectorQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::api_models::ErrorBody)))]
pub async fn get_job(session: Session, AppPath(job_id): AppPath<u64>) -> ApiResult<Json<Value>> {
    let job_id = positive(job_id, "job_id")?;
    let result = session
        .call(&Command::new("llist").num("jobid", job_id))
        .await?;
    as_list(result.get("jobs"))
        .into_iter()
        .next()
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("Job with Job ID {job_id} not found")))
}

/// Totals per job name and overall (`list jobtotals`).
#[utoipa::path(get, path = "/control/jobs/totals", tag = "jobs", security(("bearer" = [])), params(DirectorQuery),
    responses((status = 200, body = Object)))]
pub async fn totals(session: Session) -> ApiResult<Json<Value>> {
    let result = session
        .call(&Command::new("list").word("jobtotals"))
        .await?;
    if result.get("jobtotals").is_none() {
        return Err(ApiError::not_found("No jobtotals found."));
    }
    Ok(Json(result))
}

/// The log of a job (`list joblog jobid=N`).
#[utoipa::path(get, path = "/control/jobs/logs/{job_id}", tag = "jobs", security(("bearer" = [])),
    params(("job_id" = u64, Path), DirectorQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::api_models::ErrorBody)))]
pub async fn logs(session: Session, AppPath(job_id): AppPath<u64>) -> ApiResult<Json<Value>> {
    let job_id = positive(job_id, "job_id")?;
    let result = session
        .call(&Command::new("list").word("joblog").num("jobid", job_id))
        .await?;
    let log = as_list(result.get("joblog"));
    if log.is_empty() {
        return Err(ApiError::not_found(format!(
            "Joblogs Job with ID {job_id} not found"
        )));
    }
    Ok(Json(json!({ "totalItems": log.len(), "joblog": log })))
}

/// The files of a job (`list files jobid=N`).
#[utoipa::path(get, path = "/control/jobs/files/{job_id}", tag = "jobs", security(("bearer" = [])),
    params(("job_id" = u64, Path), DirectorQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::api_models::ErrorBody)))]
pub async fn files(session: Session, AppPath(job_id): AppPath<u64>) -> ApiResult<Json<Value>> {
    let job_id = positive(job_id, "job_id")?;
    let result = session
        .call(&Command::new("list").word("files").num("jobid", job_id))
        .await
        .map_err(|e| {
            if e.messages.iter().any(|m| m.contains("jobid not found")) {
                ApiError::not_found(format!("Files for job with ID {job_id} not found"))
            } else {
                e
            }
        })?;
    let files = as_list(result.get("filenames"));
    if files.is_empty() {
        return Err(ApiError::not_found(format!(
            "Files for job with ID {job_id} not found"
        )));
    }
    Ok(Json(
        json!({ "totalItems": files.len(), "filenames": files }),
    ))
}

fn started(result: &Value, what: &str) -> ApiResult<Json<StartedJob>> {
    let run: RunResult = from_result(result)
        .map_err(|_| ApiError::unprocessable(format!("{what} triggered but no jobId returned")))?;
    Ok(Json(StartedJob {
        jobid: run.run.jobid,
    }))
}

/// Starts a job (`run job=... yes`). Body: `{"jobControl": {...}}` or the fields.
#[utoipa::path(post, path = "/control/jobs/run", tag = "jobs", security(("bearer" = [])), params(DirectorQuery),
    request_body = RunBody,
    responses((status = 200, body = StartedJob), (status = 404, body = crate::api_models::ErrorBody),
              (status = 422, body = crate::api_models::ErrorBody)))]
pub async fn run(session: Session, AppJson(body): AppJson<RunBody>) -> ApiResult<Json<StartedJob>> {
    let c = match body {
        RunBody::Embedded { job_control } => job_control,
        RunBody::Flat(c) => c,
    };
    let command = Command::new("run")
        .arg("job", &c.job)?
        .opt("client", c.client.as_deref())?
        .opt("fileset", c.fileset.as_deref())?
        .opt("level", c.level.as_deref())?
        .opt("storage", c.storage.as_deref())?
        .opt("when", c.when.as_deref())?
        .opt("pool", c.pool.as_deref())?
        .opt("pluginoptions", c.pluginoptions.as_deref())?
        .opt("accurate", c.accurate.map(|v| v.as_str()))?
        .opt("comment", c.comment.as_deref())?
        .opt("spooldata", c.spooldata.map(|v| v.as_str()))?
        .opt("priority", c.priority.as_deref())?
        .opt("catalog", c.catalog.as_deref())?
        .opt("migrationjob", c.migrationjob.as_deref())?
        .opt("backupformat", c.backupformat.as_deref())?
        .opt("nextpool", c.nextpool.as_deref())?
        .opt("since", c.since.as_deref())?
        .opt("verifyjob", c.verifyjob.as_deref())?
        .opt("verifylist", c.verifylist.as_deref())?
        .word("yes");
    let result = session.call(&command).await.map_err(|e| {
        if e.status == 422 && e.messages.is_empty() {
            ApiError::not_found("the director could not run this job (unknown job or denied)")
        } else {
            e
        }
    })?;
    started(&result, "Job")
}

/// Reruns one job (`rerun jobid=N yes`).
#[utoipa::path(post, path = "/control/jobs/rerun/{job_id}", tag = "jobs", security(("bearer" = [])),
    params(("job_id" = u64, Path), DirectorQuery), responses((status = 200, body = StartedJob)))]
pub async fn rerun_one(
    session: Session,
    AppPath(job_id): AppPath<u64>,
) -> ApiResult<Json<StartedJob>> {
    let job_id = positive(job_id, "job_id")?;
    let result = session
        .call(&Command::new("rerun").num("jobid", job_id).word("yes"))
        .await?;
    started(&result, "Rerun")
}

/// Reruns failed jobs of a range (`rerun days=|hours=|since_jobid= [until_jobid=] yes`).
#[utoipa::path(post, path = "/control/jobs/rerun", tag = "jobs", security(("bearer" = [])), params(DirectorQuery),
    request_body = JobRange, responses((status = 200, body = StartedJob), (status = 422, body = crate::api_models::ErrorBody)))]
pub async fn rerun_range(
    session: Session,
    AppJson(range): AppJson<JobRange>,
) -> ApiResult<Json<StartedJob>> {
    if range.days.is_none() && range.hours.is_none() && range.since_jobid.is_none() {
        return Err(ApiError::unprocessable(
            "one of days, hours or since_jobid is needed",
        ));
    }
    let command = Command::new("rerun")
        .opt_num("days", range.days)
        .opt_num("hours", range.hours)
        .opt_num("since_jobid", range.since_jobid)
        .opt_num("until_jobid", range.until_jobid)
        .word("yes");
    let result = session.call(&command).await?;
    started(&result, "Rerun")
}

/// Starts a restore (`restore ... [select all done] yes`).
#[utoipa::path(post, path = "/control/jobs/restore", tag = "jobs", security(("bearer" = [])), params(DirectorQuery),
    request_body = RestoreBody, responses((status = 200, body = StartedJob), (status = 422, body = crate::api_models::ErrorBody)))]
pub async fn restore(
    session: Session,
    AppJson(body): AppJson<RestoreBody>,
) -> ApiResult<Json<StartedJob>> {
    let c = match body {
        RestoreBody::Embedded { job_control } => job_control,
        RestoreBody::Flat(c) => c,
    };
    if let Some(r) = &c.replace {
        if !matches!(r.as_str(), "always" | "never" | "ifolder" | "ifnewer") {
            return Err(ApiError::unprocessable(
                "replace must be always, never, ifolder or ifnewer",
            ));
        }
    }
    let mut command = Command::new("restore")
        .arg("client", &c.client)?
        .opt("where", c.where_.as_deref())?
        .opt("storage", c.storage.as_deref())?
        .opt("bootstrap", c.bootstrap.as_deref())?
        .opt("restorejob", c.restorejob.as_deref())?
        .opt("comment", c.comment.as_deref())?
        .opt_num("jobid", c.jobid)
        .opt("fileset", c.fileset.as_deref())?
        .opt("replace", c.replace.as_deref())?
        .opt("pluginoptions", c.pluginoptions.as_deref())?
        .opt("regexwhere", c.regexwhere.as_deref())?
        .opt("restoreclient", c.restoreclient.as_deref())?
        .opt("backupformat", c.backupformat.as_deref())?
        .opt("pool", c.pool.as_deref())?
        .opt("file", c.file.as_deref())?
        .opt("directory", c.directory.as_deref())?
        .opt("before", c.before.as_deref())?
        .opt("strip_prefix", c.strip_prefix.as_deref())?
        .opt("add_prefix", c.add_prefix.as_deref())?
        .opt("add_suffix", c.add_suffix.as_deref())?
        .opt("select", c.select.as_deref())?;
    if c.select_all_done.is_some_and(|v| v.is_yes()) {
        command = command.word("select").word("all").word("done");
    }
    let result = session.call(&command.word("yes")).await?;
    started(&result, "Restore")
}

/// Cancels a job (`cancel jobid=N yes`).
#[utoipa::path(put, path = "/control/jobs/cancel/{job_id}", tag = "jobs", security(("bearer" = [])),
    params(("job_id" = u64, Path), DirectorQuery), responses((status = 200, body = Object)))]
pub async fn cancel(session: Session, AppPath(job_id): AppPath<u64>) -> ApiResult<Json<Value>> {
    let job_id = positive(job_id, "job_id")?;
    Ok(Json(
        session
            .call(&Command::new("cancel").num("jobid", job_id).word("yes"))
            .await?,
    ))
}

/// Enables a job (`enable job=NAME`).
#[utoipa::path(put, path = "/control/jobs/enable/{job_name}", tag = "jobs", security(("bearer" = [])),
    params(("job_name" = String, Path), DirectorQuery), responses((status = 200, body = Object)))]
pub async fn enable(session: Session, AppPath(name): AppPath<String>) -> ApiResult<Json<Value>> {
    Ok(Json(
        session
            .call(&Command::new("enable").arg("job", &name)?)
            .await?,
    ))
}

/// Disables a job (`disable job=NAME`).
#[utoipa::path(put, path = "/control/jobs/disable/{job_name}", tag = "jobs", security(("bearer" = [])),
    params(("job_name" = String, Path), DirectorQuery), responses((status = 200, body = Object)))]
pub async fn disable(session: Session, AppPath(name): AppPath<String>) -> ApiResult<Json<Value>> {
    Ok(Json(
        session
            .call(&Command::new("disable").arg("job", &name)?)
            .await?,
    ))
}

/// Deletes a job from the catalog (`delete jobid=N yes`), 404 when it does not exist.
#[utoipa::path(delete, path = "/control/jobs/{job_id}", tag = "jobs", security(("bearer" = [])),
    params(("job_id" = u64, Path), DirectorQuery),
    responses((status = 200, body = Message), (status = 404, body = crate::api_models::ErrorBody)))]
pub async fn delete_job(
    session: Session,
    AppPath(job_id): AppPath<u64>,
) -> ApiResult<Json<Message>> {
    let job_id = positive(job_id, "job_id")?;
    let mut conn = session.pool.checkout().await?;
    let existing = conn
        .call_json(Command::new("llist").num("jobid", job_id).as_str())
        .await?;
    if as_list(existing.get("jobs")).is_empty() {
        return Err(ApiError::not_found(format!(
            "No job with id {job_id} found."
        )));
    }
    conn.call_json(
        Command::new("delete")
            .num("jobid", job_id)
            .word("yes")
            .as_str(),
    )
    .await?;
    Ok(Json(Message {
        message: format!("Job {job_id} succesfully deleted."),
    }))
}
