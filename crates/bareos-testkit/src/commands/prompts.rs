//! Built-ins that ask questions: `status` (client selection), `delete volume=`,
//! `label` (text input) and `restore` (the file-selection tree).

use super::{catalog, Outcome, Session};
use crate::json::Json;
use bareos_proto::{Frame, Signal};
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
fn now_text() -> String {
    super::jobs::UtcTime::now().catalog()
}

/// The job settings `run` shows before asking (`DisplayJobParameters`, backup jobs).
fn job_parameters(name: &str, client: &str, level: &str) -> String {
    let pool = match level {
        "Full" | "VirtualFull" => "Full (From Job FullPool override)".to_string(),
        "Differential" => "Differential (From Job DiffPool override)".to_string(),
        _ => "Incremental (From Job IncPool override)".to_string(),
    };
    format!(
        "Run Backup job\nJobName:  {name}\nLevel:    {level}\nClient:   {client}\nFormat:   Native\nFileSet:  SelfTest\nPool:     {pool}\nStorage:  File (From Job resource)\nWhen:     {}\nPriority: 10\n",
        now_text()
    )
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
        s.text(job_parameters(name, client, level)).await?;
        let answer = loop {
            match s.ask("OK to run? (yes/mod/no): ").await? {
                Answer::Gone => return Ok(RunDecision::Gone),
                Answer::Cancel => return Ok(RunDecision::NotRun),
                Answer::Text(text) => {
                    let lower = text.to_ascii_lowercase();
                    let valid = lower.is_empty()
                        || "yes".starts_with(&lower)
                        || "no".starts_with(&lower)
                        || lower == "mod"
                        || lower == ".mod";
                    if valid {
                        break lower;
                    }
                    s.warning_msg(format!("Illegal response {text}\n")).await?;
                }
            }
        };
        if answer.is_empty() || "yes".starts_with(&answer) {
            return Ok(RunDecision::Run(level));
        }
        if "no".starts_with(&answer) {
            return Ok(RunDecision::NotRun);
        }
        let items: Vec<String> = RUN_PARAMETERS.iter().map(|p| p.to_string()).collect();
        match s
            .select(
                "Parameters to modify:\n",
                &items,
                "Select parameter to modify",
            )
            .await?
        {
            Ok(Some(0)) => {
                let levels: Vec<String> = RUN_LEVELS.iter().map(|l| l.to_string()).collect();
                match s.select("Levels:\n", &levels, "Select level").await? {
                    Ok(Some(i)) => level = RUN_LEVELS[i],
                    Ok(None) => return Ok(RunDecision::Gone),
                    Err(()) => {}
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => return Ok(RunDecision::Gone),
            Err(()) => return Ok(RunDecision::NotRun),
        }
    }
}

/// An answer to a prompt.
enum Answer {
    Text(String),
    Cancel,
    Gone,
}

impl Session {
    /// Reads a prompt answer: signals are ignored, TERMINATE or EOF end the session,
    /// a lone `.` cancels.
    async fn answer(&mut self) -> Answer {
        loop {
            match self.conn.read_frame().await {
                Ok(Some(Frame::Data(d))) => {
                    let text = d.split(|b| *b == 0).next().unwrap_or_default();
                    let text = String::from_utf8_lossy(text).trim().to_string();
                    return if text == "." {
                        Answer::Cancel
                    } else {
                        Answer::Text(text)
                    };
                }
                Ok(Some(Frame::Signal(Signal::Terminate))) | Ok(None) | Err(_) => {
                    return Answer::Gone
                }
                Ok(Some(Frame::Signal(_))) => {}
            }
        }
    }

    /// A free-text prompt: text + SUB_PROMPT (API 0), TEXT_INPUT + text (API 1).
    async fn ask(&mut self, prompt: &str) -> io::Result<Answer> {
        if self.api == 1 {
            self.conn.signal(Signal::TextInput).await?;
            self.conn.data(prompt).await?;
        } else {
            self.conn.data(prompt).await?;
            self.conn.signal(Signal::SubPrompt).await?;
        }
        Ok(self.answer().await)
    }

    /// A yes/no prompt; `Some(true)` for yes.
    async fn ask_yes_no(&mut self, prompt: &str) -> io::Result<Option<bool>> {
        loop {
            if self.api == 1 {
                self.conn.signal(Signal::YesNo).await?;
            }
            match self.ask(prompt).await? {
                Answer::Text(t) if t.eq_ignore_ascii_case("yes") => return Ok(Some(true)),
                Answer::Text(t) if t.eq_ignore_ascii_case("no") => return Ok(Some(false)),
                Answer::Text(_) => {
                    self.warning_msg("Invalid response. You must answer YES or NO.\n")
                        .await?
                }
                Answer::Cancel => return Ok(Some(false)),
                Answer::Gone => return Ok(None),
            }
        }
    }

    /// A selection list; `Ok(Err(()))` = cancelled, `Ok(Ok(None))` = connection gone.
    async fn select(
        &mut self,
        header: &str,
        items: &[String],
        prompt: &str,
    ) -> io::Result<Result<Option<usize>, ()>> {
        let prompt = format!("{prompt} (1-{}): ", items.len());
        loop {
            if self.api == 1 {
                self.conn.signal(Signal::StartSelect).await?;
                self.conn.data(header).await?;
                for item in items {
                    self.conn.data(item).await?;
                }
                self.conn.signal(Signal::EndSelect).await?;
                self.conn.signal(Signal::SelectInput).await?;
                self.conn.signal(Signal::TextInput).await?;
                self.conn.data(&prompt).await?;
            } else {
                let width = items.len().to_string().len();
                let list: String = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| format!("{:>width$}: {item}\n", i + 1))
                    .collect();
                self.conn.data(header).await?;
                self.conn.data(list).await?;
                self.conn.data(&prompt).await?;
                self.conn.signal(Signal::SubPrompt).await?;
            }
            match self.answer().await {
                Answer::Gone => return Ok(Ok(None)),
                Answer::Cancel => return Ok(Err(())),
                Answer::Text(t) => match t.parse::<usize>() {
                    Ok(n) if (1..=items.len()).contains(&n) => return Ok(Ok(Some(n - 1))),
                    Ok(_) => {
                        self.warning_msg(format!(
                            "Please enter a number between 1 and {}\n",
                            items.len()
                        ))
                        .await?
                    }
                    Err(_) => {
                        self.warning_msg(format!("Expected a positive integer, got: {t}\n"))
                            .await?
                    }
                },
            }
        }
    }
}

fn value<'a>(args: &'a [String], key: &str) -> Option<&'a str> {
    args.iter().find_map(|a| {
        let (k, v) = a.split_once('=')?;
        k.eq_ignore_ascii_case(key).then_some(v)
    })
}

fn has(args: &[String], word: &str) -> bool {
    args.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Runs a prompting command with its own brackets.
pub(super) async fn run(s: &mut Session, command: &str, args: &[String]) -> io::Result<Outcome> {
    s.begin().await?;
    let outcome = match command {
        "status" => status(s, args).await?,
        "delete" => delete(s, args).await?,
        "label" => label(s, args).await?,
        _ => restore(s, args).await?,
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
        if names.len() == 1 {
            if s.api == 0 {
                s.text(format!("Automatically selected Client: {}\n", names[0]))
                    .await?;
            }
            0
        } else {
            match s
                .select(
                    "The defined Client resources are:\n",
                    &names,
                    "Select Client (File daemon) resource",
                )
                .await?
            {
                Ok(Some(i)) => i,
                Ok(None) => return Ok(None),
                Err(()) => {
                    s.info_msg("Selection aborted, nothing done.\n").await?;
                    return Ok(Some((false, Json::obj())));
                }
            }
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

async fn delete(s: &mut Session, args: &[String]) -> Step {
    let Some(volume) = value(args, "volume").map(str::to_string) else {
        s.error_msg("The test director only simulates \"delete volume=<name>\".\n")
            .await?;
        return Ok(Some((false, Json::obj())));
    };
    if !has(args, "yes") && s.api != 2 {
        s.warning_msg(format!(
            "\nThis command will delete volume {volume}\nand all Jobs saved on that volume from the Catalog\n"
        ))
        .await?;
        let prompt = format!("Are you sure you want to delete Volume \"{volume}\"? (yes/no): ");
        match s.ask_yes_no(&prompt).await? {
            None => return Ok(None),
            Some(false) => return Ok(Some((true, Json::obj()))),
            Some(true) => {}
        }
    }
    s.info_msg(format!("Volume \"{volume}\" deleted (simulated).\n"))
        .await?;
    Ok(Some((true, Json::obj())))
}

async fn label(s: &mut Session, args: &[String]) -> Step {
    let volume = match value(args, "volume") {
        Some(v) => v.to_string(),
        None if s.api == 2 => {
            s.error_msg("Volume name not given.\n").await?;
            return Ok(Some((false, Json::obj())));
        }
        None => match s.ask("Enter new Volume name: ").await? {
            Answer::Text(v) => v,
            Answer::Cancel => return Ok(Some((true, Json::obj()))),
            Answer::Gone => return Ok(None),
        },
    };
    s.text(format!("Volume \"{volume}\" labeled (simulated).\n"))
        .await?;
    Ok(Some((true, Json::obj())))
}

/// A small fixed tree: `/srv/data/` with three files.
fn entries(cwd: &str) -> &'static [&'static str] {
    match cwd {
        "/" => &["srv/"],
        "/srv/" => &["data/"],
        "/srv/data/" => &["file1.txt", "file2.txt", "file3.txt"],
        _ => &[],
    }
}

async fn restore(s: &mut Session, _args: &[String]) -> Step {
    s.text("\nYou are now entering file selection mode where you add (mark) and\nremove (unmark) files to be restored. No files are initially added, unless\nyou used the \"all\" keyword on the command line.\nEnter \"done\" to leave this mode.\n\n")
        .await?;
    s.conn.signal(Signal::StartRtree).await?;
    s.conn.data("cwd is: /\n").await?;
    let mut cwd = String::from("/");
    let mut marked = 0usize;
    loop {
        s.conn.data("$ ").await?;
        s.conn.signal(Signal::SubPrompt).await?;
        let line = match s.answer().await {
            Answer::Gone => return Ok(None),
            Answer::Cancel => break,
            Answer::Text(t) => t,
        };
        let mut words = line.split_whitespace();
        let word = words.next().unwrap_or("").to_ascii_lowercase();
        if word == "done" {
            break;
        }
        if s.api > 0 {
            s.conn.signal(Signal::CmdBegin).await?;
        }
        let ok = match word.as_str() {
            "ls" | "dir" => {
                for entry in entries(&cwd) {
                    s.conn.data(format!("{entry}\n")).await?;
                }
                true
            }
            "pwd" => {
                s.conn.data(format!("cwd is: {cwd}\n")).await?;
                true
            }
            "cd" => {
                let target = words.next().unwrap_or("/");
                let next = if target == "/" {
                    "/".to_string()
                } else if target == ".." {
                    let trimmed = cwd.trim_end_matches('/');
                    match trimmed.rfind('/') {
                        Some(pos) => cwd[..=pos].to_string(),
                        None => "/".into(),
                    }
                } else {
                    format!("{cwd}{}/", target.trim_matches('/'))
                };
                if next == "/" || !entries(&next).is_empty() {
                    cwd = next;
                    s.conn.data(format!("cwd is: {cwd}\n")).await?;
                    true
                } else {
                    s.conn.data("Invalid path given.\n").await?;
                    false
                }
            }
            "mark" => {
                let newly = if cwd == "/srv/data/" {
                    words
                        .filter(|w| *w == "*" || entries(&cwd).contains(w))
                        .count()
                        .min(3)
                } else {
                    3
                };
                let newly = if line.contains('*') {
                    3 - marked.min(3)
                } else {
                    newly
                };
                marked = (marked + newly).min(3);
                s.conn
                    .data(format!("{newly} files newly marked.\n"))
                    .await?;
                true
            }
            "estimate" => {
                s.conn
                    .data(format!(
                        "3 total files; {marked} marked to be restored; 42 bytes.\n"
                    ))
                    .await?;
                true
            }
            w if w.starts_with('.') => true,
            _ => {
                s.conn
                    .data("Invalid command.  Enter \"done\" to exit.\n")
                    .await?;
                false
            }
        };
        if s.api > 0 {
            let signal = if ok { Signal::CmdOk } else { Signal::CmdFailed };
            s.conn.signal(signal).await?;
        }
    }
    s.conn.signal(Signal::EndRtree).await?;
    s.text(format!("\n{marked} files selected to be restored.\n\n"))
        .await?;
    Ok(Some((true, Json::obj())))
}
