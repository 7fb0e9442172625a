//! Built-ins that ask questions: `run` (yes/mod/no) and `status` (client selection);
//! the brackets of those and of `label` and `update`.

use super::args::{has, value};
use super::select::{Answer, Choice};
use super::{catalog, Outcome, Session};
use crate::json::Json;
use bareos_proto::Signal;
use std::io;

/// What the user decided at `OK to run? (yes/mod/no):`.
pub(super) enum RunDecision {
    /// Run, at this level.
    Run(&'static str),
    /// `no` or a cancelled prompt: `Job not run.`
    NotRun,
    /// The connection went away.
    Gone,
}

/// The backup levels of `mod` > `Level` (`SelectJobLevel` in `ua_run.cc`).
const RUN_LEVELS: [&str; 5] = [
    "Full",
    "Incremental",
    "Differential",
    "Since",
    "VirtualFull",
];

/// The parameters of `mod` for a backup job (`ModifyJobParameters` in `ua_run.cc`).
const RUN_PARAMETERS: [&str; 11] = [
    "Level",
    "Storage",
    "Job",
    "FileSet",
    "Client",
    "Backup Format",
    "When",
    "Priority",
    "Pool",
    "NextPool",
    "Plugin Options",
];

/// `YYYY-MM-DD HH:MM:SS` (UTC) of now, as the `When:` line shows it.
pub(super) fn now_text() -> String {
    super::jobs::UtcTime::now().catalog()
}

/// The job settings `run` shows before asking (`DisplayJobParameters`, backup jobs): the
/// console layout in API 0, `Type:` and `Title:` with bare resource names in API 1/2.
fn job_parameters(name: &str, client: &str, level: &str, api: u8) -> String {
    let (pool, source) = match level {
        "Full" | "VirtualFull" => ("Full", "FullPool"),
        "Differential" => ("Differential", "DiffPool"),
        _ => ("Incremental", "IncPool"),
    };
    let when = now_text();
    if api > 0 {
        let next_pool = if level == "VirtualFull" {
            "NextPool: *None*\n"
        } else {
            ""
        };
        return format!(
            "Type: Backup\nTitle: Run Backup Job\nJobName:  {name}\nLevel:    {level}\nClient:   {client}\nFormat:   Native\nFileSet:  SelfTest\nPool:     {pool}\n{next_pool}Storage:  File\nWhen:     {when}\nPriority: 10\n"
        );
    }
    format!(
        "Run Backup job\nJobName:  {name}\nLevel:    {level}\nClient:   {client}\nFormat:   Native\nFileSet:  SelfTest\nPool:     {pool} (From Job {source} override)\nStorage:  File (From Job resource)\nWhen:     {when}\nPriority: 10\n"
    )
}

/// An answer to `OK to run? (yes/mod/no):`.
pub(super) enum RunAnswer {
    /// `yes`, a prefix of it, or nothing.
    Yes,
    /// `no` or a prefix of it.
    No,
    /// `mod` (or `.mod`): the parameter menu.
    Mod,
    /// A lone `.`.
    Cancel,
    /// The console went away.
    Gone,
}

/// Asks `OK to run? (yes/mod/no):` until the answer is one the director takes; an
/// illegal one is answered `Illegal response ...` and asked again.
pub(super) async fn ask_ok_to_run(s: &mut Session) -> io::Result<RunAnswer> {
    loop {
        match s.ask("OK to run? (yes/mod/no): ").await? {
            Answer::Gone => return Ok(RunAnswer::Gone),
            Answer::Cancel => return Ok(RunAnswer::Cancel),
            Answer::Text(text) => {
                let lower = text.to_ascii_lowercase();
                if lower.is_empty() || "yes".starts_with(&lower) {
                    return Ok(RunAnswer::Yes);
                }
                if "no".starts_with(&lower) {
                    return Ok(RunAnswer::No);
                }
                if lower == "mod" || lower == ".mod" {
                    return Ok(RunAnswer::Mod);
                }
                s.warning_msg(format!("Illegal response {text}\n")).await?;
            }
        }
    }
}

/// The interactive part of `run` without `yes`: the job's settings, `OK to run?
/// (yes/mod/no):`, and with `mod` the parameter menu (the level can be changed; the
/// other parameters are listed but not simulated: they show the settings again).
pub(super) async fn confirm_run(
    s: &mut Session,
    name: &str,
    client: &str,
    mut level: &'static str,
) -> io::Result<RunDecision> {
    if !s.catalog_announced && s.api == 0 {
        s.catalog_announced = true;
        s.text("Using Catalog \"MyCatalog\"\n").await?;
    }
    loop {
        if s.api > 0 {
            s.conn.signal(Signal::RunCmd).await?;
        }
        s.text(job_parameters(name, client, level, s.api)).await?;
        match ask_ok_to_run(s).await? {
            RunAnswer::Gone => return Ok(RunDecision::Gone),
            RunAnswer::Cancel | RunAnswer::No => return Ok(RunDecision::NotRun),
            RunAnswer::Yes => return Ok(RunDecision::Run(level)),
            RunAnswer::Mod => {}
        }
        match s.choose_parameter(&RUN_PARAMETERS).await? {
            Choice::Item(0) => {
                let levels: Vec<String> = RUN_LEVELS.iter().map(|l| l.to_string()).collect();
                match s.choose("Levels:\n", &levels, "", "Select level").await? {
                    Choice::Item(i) => level = RUN_LEVELS[i],
                    Choice::Gone => return Ok(RunDecision::Gone),
                    Choice::Aborted | Choice::Empty => {}
                }
            }
            Choice::Item(_) => {}
            Choice::Gone => return Ok(RunDecision::Gone),
            Choice::Aborted | Choice::Empty => return Ok(RunDecision::NotRun),
        }
    }
}

/// Runs a prompting command with its own brackets.
pub(super) async fn run(s: &mut Session, command: &str, args: &[String]) -> io::Result<Outcome> {
    s.begin().await?;
    let outcome = match command {
        "status" => status(s, args).await?,
        "update" => super::update::run(s, args).await?,
        _ => super::label::run(s, args).await?,
    };
    match outcome {
        Some((ok, result)) => {
            s.finish(ok, result).await?;
            Ok(Outcome::Done)
        }
        None => Ok(Outcome::Quit),
    }
}

type Step = io::Result<Option<(bool, Json)>>;

async fn status(s: &mut Session, args: &[String]) -> Step {
    let client = if let Some(name) = value(args, "client") {
        match s.config.clients.iter().position(|c| c.name == name) {
            Some(i) => i,
            None => {
                s.error_msg(format!("Client \"{name}\" not found.\n"))
                    .await?;
                return Ok(Some((false, Json::obj())));
            }
        }
    } else if has(args, "client") {
        let names: Vec<String> = s.config.clients.iter().map(|c| c.name.clone()).collect();
        if s.api == 2 {
            return Ok(Some((true, Json::obj())));
        }
        match s
            .choose(
                "The defined Client resources are:\n",
                &names,
                "Client",
                "Select Client (File daemon) resource",
            )
            .await?
        {
            Choice::Item(i) => i,
            Choice::Gone => return Ok(None),
            Choice::Aborted | Choice::Empty => return Ok(Some((false, Json::obj()))),
        }
    } else if let Some(name) = value(args, "storage") {
        return super::daemons::status_storage(s, name).await.map(Some);
    } else {
        return catalog::status_director(s).await.map(Some);
    };
    let c = s.config.clients[client].clone();
    if s.api == 0 {
        s.text(format!(
            "Connecting to Client {} at {}:{}\n",
            c.name, c.address, c.port
        ))
        .await?;
    }
    if !c.reachable {
        return super::daemons::unreachable(s, &format!("Client {}", c.name))
            .await
            .map(Some);
    }
    for line in crate::fd::status_lines(
        &c.name,
        &s.config.name,
        &s.config.version,
        &s.config.date,
        &s.config.os,
    ) {
        s.text(line).await?;
    }
    Ok(Some((true, Json::obj())))
}
