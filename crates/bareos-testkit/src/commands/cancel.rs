//! `cancel` as the director runs it (`CancelJobs`, `select_jobs` in `ua_select.cc`,
//! `CancelJob` in `job.cc`): jobs named by `jobid=`, `job=` or `ujobid=`, else all or
//! by `state=` with `Confirm cancel (yes/no):`, else the `Select Job:` list; a created
//! job is taken off the queue, a running one is cancelled at the file and storage
//! daemons.

use super::args::has;
use super::select::Choice;
use super::{Outcome, Session};
use crate::json::Json;
use std::io;

/// A job that has not ended: `(jobid, unique job name, status letter)`.
type Active = (u32, String, &'static str);

fn active_jobs(s: &Session) -> Vec<Active> {
    s.config
        .runs
        .rows()
        .into_iter()
        .filter(|r| matches!(r.status, "C" | "R"))
        .filter_map(|r| Some((r.id, s.config.runs.unique_name(r.id)?, r.status)))
        .collect()
}

fn values<'a>(args: &'a [String], key: &'a str) -> impl Iterator<Item = Option<&'a str>> + 'a {
    args.iter().filter_map(move |a| match a.split_once('=') {
        Some((k, v)) if k.eq_ignore_ascii_case(key) => Some(Some(v)),
        None if a.eq_ignore_ascii_case(key) => Some(None),
        _ => None,
    })
}

/// Runs `cancel` with its own brackets.
pub(super) async fn run(s: &mut Session, args: &[String]) -> io::Result<Outcome> {
    s.begin().await?;
    if values(args, "storage").any(|v| v.is_some()) {
        s.error_msg("cancel storage=: is not simulated by the test director.\n")
            .await?;
        s.finish(false, Json::obj()).await?;
        return Ok(Outcome::Done);
    }
    let Some(selected) = select_jobs(s, args).await? else {
        return Ok(Outcome::Quit);
    };
    for (id, job, status) in selected {
        if !s.config.runs.cancel(id) {
            continue;
        }
        if status == "C" {
            s.info_msg(format!("JobId {id}, Job {job} marked to be canceled.\n"))
                .await?;
        } else {
            s.text(format!("2001 Job {job} marked to be canceled.\n"))
                .await?;
            s.text(format!(
                "3000 JobId={id} Job=\"{job}\" marked to be canceled.\n"
            ))
            .await?;
        }
    }
    s.finish(true, Json::obj()).await?;
    Ok(Outcome::Done)
}

/// `select_jobs(ua, "cancel")`: the jobs to cancel, `None` when the connection is gone.
async fn select_jobs(s: &mut Session, args: &[String]) -> io::Result<Option<Vec<Active>>> {
    let active = active_jobs(s);
    let mut selected: Vec<Active> = Vec::new();
    let add = |job: &Active, selected: &mut Vec<Active>| {
        if !selected.iter().any(|j| j.0 == job.0) {
            selected.push(job.clone());
        }
    };
    for value in values(args, "jobid").flatten() {
        let Ok(id) = value.parse::<u32>() else {
            continue;
        };
        if id == 0 {
            continue;
        }
        match active.iter().find(|j| j.0 == id) {
            Some(job) => add(job, &mut selected),
            None => {
                s.error_msg(format!(
                    "JobId {value} is not running. Use Job name to cancel inactive jobs.\n"
                ))
                .await?
            }
        }
    }
    for (key, partial) in [("job", true), ("ujobid", false)] {
        for value in values(args, key).flatten() {
            let found = active.iter().find(|j| {
                if partial {
                    j.1.starts_with(value)
                } else {
                    j.1 == value
                }
            });
            match found {
                Some(job) => add(job, &mut selected),
                None => {
                    s.warning_msg(format!(
                        "Warning Job {value} is not running. Continuing anyway ...\n"
                    ))
                    .await?
                }
            }
        }
    }
    if !selected.is_empty() {
        return Ok(Some(selected));
    }
    if active.is_empty() {
        s.text("No Jobs running.\n").await?;
        return Ok(Some(Vec::new()));
    }
    let state = values(args, "state").flatten().next();
    if has(args, "all") || state.is_some() {
        let wanted = match state.map(str::to_ascii_lowercase).as_deref() {
            None => None,
            Some("created") => Some("C"),
            Some("running") => Some("R"),
            // The simulated jobs never block or wait.
            Some("blocked") | Some("waiting") => Some("-"),
            Some(_) => {
                s.error_msg("Illegal state either created, blocked, waiting or running\n")
                    .await?;
                return Ok(Some(Vec::new()));
            }
        };
        for job in &active {
            if wanted.map_or(true, |w| w == job.2) {
                selected.push(job.clone());
                s.text(format!("Selected Job {} for cancelling\n", job.0))
                    .await?;
            }
        }
        if selected.is_empty() {
            s.text("No Jobs selected.\n").await?;
            return Ok(Some(Vec::new()));
        }
        if !has(args, "yes") {
            match s.ask_yes_no("Confirm cancel (yes/no): ").await? {
                None => return Ok(None),
                Some(false) => return Ok(Some(Vec::new())),
                Some(true) => {}
            }
        }
        return Ok(Some(selected));
    }
    let items: Vec<String> = active
        .iter()
        .map(|(id, job, _)| format!("JobId={id} Job={job}"))
        .collect();
    let index = match s
        .choose("Select Job:\n", &items, "Job", "Choose Job to cancel")
        .await?
    {
        Choice::Item(i) => i,
        Choice::Gone => return Ok(None),
        Choice::Aborted | Choice::Empty => return Ok(Some(Vec::new())),
    };
    if active.len() == 1 {
        let prompt = if s.api > 0 {
            format!("Cancel: {}\n\nConfirm cancel?", items[index])
        } else {
            "Confirm cancel (yes/no): ".to_string()
        };
        match s.ask_yes_no(&prompt).await? {
            None => return Ok(None),
            Some(false) => return Ok(Some(Vec::new())),
            Some(true) => {}
        }
    }
    Ok(Some(vec![active[index].clone()]))
}
